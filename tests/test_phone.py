"""What a phone (375 px wide, Chromium) and a phone camera see: layout checks with screenshots, and the
plaque's QR code decoded by zbarimg with its quiet zone measured.

Screenshots go to build/screenshots/ for a person to look at; the assertions measure the page itself.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from test_browser import SHOTS, browser, server  # noqa: F401 - fixtures shared with the other browser tests

COPY = 'button[data-md-type="copy"]'  # Material's copy button (content.code.copy)
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser):  # noqa: F811
    ctx = browser.new_context(**PHONE, locale="zh-CN")
    pg = ctx.new_page()
    yield pg
    ctx.close()


def _open(pg, url: str, shot: str):
    pg.goto(url)
    pg.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{shot}-375.png"), full_page=True)


LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
  const tops = new Set(Array.from(r.getClientRects()).filter(x => x.width > 0).map(x => Math.round(x.top)));
  return tops.size; }"""


@pytest.mark.parametrize("slug", ["jingzhun-yaoxue", "weizhongzheng-jiuzhi", "manbing-guanli", "yingxiang-zhineng",
                                  "kouqiang-shuzi"])
def test_team_table_values_stay_on_one_line(phone, server, slug):  # noqa: F811
    _open(phone, server + f"studios/{slug}/", f"team-{slug}")
    rows = phone.locator("table.inno-team tbody tr")
    assert rows.count() >= 2
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        if cells.count() < 4:
            continue
        for col, name in ((1, "职称"), (2, "学科"), (3, "角色")):
            cell = cells.nth(col)
            text = cell.inner_text().strip()
            if text:
                assert cell.evaluate(LINES) == 1, f"{slug}: {name} {text!r} wraps"
    wrap = phone.locator(".inno-table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # and the table needs no sideways scroll


@pytest.mark.parametrize("path", ["stats/", "studios/jingzhun-yaoxue/"])
def test_chart_labels_are_not_clipped(phone, server, path):  # noqa: F811
    _open(phone, server + path, "charts-" + (path.strip("/").replace("/", "_")))
    clipped = phone.evaluate("""() => Array.from(document.querySelectorAll('svg.inno-chart')).flatMap(svg => {
        const box = svg.getBoundingClientRect();
        return Array.from(svg.querySelectorAll('text')).filter(t => {
          const r = t.getBoundingClientRect();
          return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5); })
          .map(t => t.textContent); })""")
    assert clipped == []
    if path == "stats/":  # the unit chart shows every unit's whole name
        labels = phone.locator("svg.inno-chart:has(#by-unit-t)").locator("text.inno-chart__label").all_text_contents()
        assert "公共卫生学院分工会" in labels


@pytest.mark.parametrize("page_path", ["guide/achievement/", "guide/ledger/", "guide/local/"])
def test_guide_code_templates_fit_and_have_a_copy_button(phone, server, page_path):  # noqa: F811
    _open(phone, server + page_path, "guide-" + page_path.strip("/").split("/")[-1])
    blocks = phone.locator(".md-content pre")
    assert blocks.count() >= 1
    for i in range(blocks.count()):
        pre = blocks.nth(i)
        code = pre.locator("code")
        assert code.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), f"block {i} scrolls sideways"
        assert pre.locator(COPY).count() == 1, f"block {i} has no copy button"
    # the template inside a list item is a code block, not text run together
    if page_path == "guide/ledger/":
        assert phone.locator("li pre code").first.inner_text().startswith("- date: 2026-11-20\n")


def test_copy_button_copies_the_template_unchanged(browser, server):  # noqa: F811
    ctx = browser.new_context(**PHONE)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    pg = ctx.new_page()
    pg.goto(server + "guide/achievement/")
    pg.wait_for_load_state("networkidle")
    pg.locator(f".md-content pre {COPY}").first.click()
    copied = pg.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("---\n# 成果名称\ntitle: 一种万古霉素血药浓度快速检测试剂盒\n")
    assert "\ntype: invention_patent\n" in copied  # lines wrapped on screen are copied whole
    ctx.close()


def test_home_figures_leave_no_orphan_tile(phone, server):  # noqa: F811
    _open(phone, server, "home-figures")
    tiles = phone.locator(".inno-figures li")
    assert tiles.count() == 5
    boxes = [tiles.nth(i).bounding_box() for i in range(tiles.count())]
    rows: dict[int, list[dict]] = {}
    for b in boxes:
        rows.setdefault(round(b["y"]), []).append(b)
    assert len(rows) >= 2
    assert all(len(r) >= 2 for r in rows.values()), [len(r) for r in rows.values()]
    right = max(b["x"] + b["width"] for b in boxes)
    for r in rows.values():  # every row spans the full width: no gap where a tile is missing
        assert abs(max(b["x"] + b["width"] for b in r) - right) < 1.5


def _png_gray(path: Path):
    from PIL import Image

    return Image.open(path).convert("L")


def test_qr_code_decodes_with_a_four_module_quiet_zone(browser, server, sample_site, tmp_path):  # noqa: F811
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is missing: ./run test installs it (zbar-tools)"
    ctx = browser.new_context(viewport={"width": 600, "height": 600}, device_scale_factor=1)
    pg = ctx.new_page()
    pg.goto(server + "404.html")
    pg.set_content(f'<body style="margin:0;background:#777"><img id="q" src="{server}qr/jingzhun-yaoxue.svg" '
                   'style="display:block;width:492px;height:492px"></body>')
    pg.wait_for_function("document.getElementById('q').complete")
    png = tmp_path / "qr.png"
    pg.locator("#q").screenshot(path=str(png))
    ctx.close()
    out = subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "https://example.edu.cn/innostudio/studios/jingzhun-yaoxue/", out.stderr
    img = _png_gray(png)
    w, h = img.size
    px = img.load()
    dark = [(x, y) for y in range(h) for x in range(w) if px[x, y] < 128]
    left, top = min(x for x, _ in dark), min(y for _, y in dark)
    right, bottom = max(x for x, _ in dark), max(y for _, y in dark)
    run = 0  # the top-left finder pattern: 7 dark modules in a row
    while px[left + run, top] < 128:
        run += 1
    module = run / 7
    assert module > 5
    for side, gap in (("left", left), ("top", top), ("right", w - 1 - right), ("bottom", h - 1 - bottom)):
        assert gap / module >= 3.9, f"{side} quiet zone is {gap / module:.1f} modules"
    # the quiet zone is white, not the page behind it (the SVG carries its own background)
    assert min(px[x, y] for x in range(0, left) for y in range(0, h, 7)) > 240


def test_rule_index_reads_on_a_phone(phone, server):  # noqa: F811
    _open(phone, server + "rules/", "rules")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways page scroll
    rows = phone.locator("table.inno-ruletable tbody tr")
    assert rows.count() >= 20
    for i in range(rows.count()):
        row = rows.nth(i)
        code = row.locator("th code")
        assert code.evaluate(LINES) == 1, f"rule code {code.inner_text()!r} wraps"
        title, level, basis, summary = (row.locator("td").nth(j) for j in range(4))
        assert level.evaluate(LINES) == 1, f"level of {code.inner_text()} wraps"
        assert title.bounding_box()["width"] >= 120, f"{code.inner_text()}: title squeezed"
        assert title.evaluate(LINES) <= 2, f"{code.inner_text()}: title"
        assert not basis.is_visible() and not summary.is_visible()  # on the rule's page instead
    wrap = phone.locator(".inno-rules .inno-table-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    # a short index: a line per rule, a few screens for every rule
    assert wrap.bounding_box()["height"] < 5 * 812
    # the rule's page says what the index leaves out: its basis and its requirement
    phone.goto(server + "rules/s3-1/")
    text = phone.locator("article").inner_text()
    assert "依据：" in text and "要求" in text


def test_rules_is_a_short_index_with_a_page_per_rule(phone, server):  # noqa: F811
    _open(phone, server + "rules/", "rules")
    # 48 full write-ups once made a 57,000 px page: the index is the summary table, a line per rule, and each
    # write-up has its own page (site.md: /rules/<code>/)
    assert phone.evaluate("document.documentElement.scrollHeight") < 6 * 812
    assert "`" not in phone.locator("table.inno-ruletable").inner_text()
    assert phone.locator("details.inno-ruledoc").count() == 0 and not phone.get_by_text("如何修改").count()
    codes = phone.locator("table.inno-ruletable tbody th code").all_inner_texts()
    assert codes[:3] == ["S1.1", "S1.2", "S2.1"]  # the six standards first
    assert all(c.startswith("S") for c in codes[:codes.index("S6.3") + 1])
    phone.locator("table.inno-ruletable a[href='s3-1/']").first.click()  # the index's link opens the page
    phone.wait_for_url("**/rules/s3-1/")
    expect(phone.get_by_role("heading", name="如何修改")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.evaluate("document.documentElement.scrollHeight") < 8 * 812  # one rule: a few screens
    phone.goto(server + "rules/#Y001")  # an older link to the folded page, arriving from a check message
    phone.wait_for_url("**/rules/y001/")
    expect(phone.get_by_role("heading", name="示例")).to_be_visible()


def test_yearly_counts_keep_years_and_headers_on_one_line(phone, server):  # noqa: F811
    _open(phone, server + "stats/", "stats-growth")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    cells = phone.locator("table.inno-growth th")
    assert cells.count() >= 6
    for i in range(cells.count()):
        cell = cells.nth(i)
        assert cell.evaluate(LINES) == 1, f"{cell.inner_text()!r} wraps"
    wrap = phone.locator(".inno-table-wrap:has(table.inno-growth)")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # and the whole table fits the screen
