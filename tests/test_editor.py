"""The browser editor end to end (forms.md): a temporary git copy of the sample data, decap-server
(pinned, 127.0.0.1) on it, the built site served on 127.0.0.1, Playwright in Debian's Chromium.
A lead's editor is /admin/<slug>/ (that studio's collections only), the union's /admin/.

After each form the file on disk has the expected content, `innostudio check` passes and no request
left 127.0.0.1. Screenshots of the real editor go to build/screenshots/editor-*.png (the guide's
images in content/guide/img/ are copies of them).
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_AS_OF, copy_repo, run
from test_browser import CHROMIUM, SHOTS

NODE_MODULES = REPO / "node_modules"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: browser tests must run in CI")
        pytest.skip("Chromium is not installed")
    if not (NODE_MODULES / "decap-server").is_dir():
        pytest.fail("node_modules missing: run the tests with ./run test (it runs npm ci)")
    root = copy_repo(REPO, tmp_path_factory.mktemp("editor") / "repo")
    assert run("fmt", cwd=root).code == 0  # the sample data in canonical layout (as the repository's)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "sample")
    cms_port = _free_port()
    env = dict(os.environ, INNOSTUDIO_AS_OF=SAMPLE_AS_OF, INNOSTUDIO_CMS_LOCAL_PORT=str(cms_port),
               INNOSTUDIO_NODE_MODULES=str(NODE_MODULES))
    env.pop("SOURCE_DATE_EPOCH", None)
    site = root.parent / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
                   cwd=root, env=env, check=True, capture_output=True, timeout=600)
    from innostudio.edit import serve, start_decap_server

    log = open(root.parent / "decap-server.log", "w")  # noqa: SIM115 - open while the server runs
    proc = start_decap_server(root, cms_port, NODE_MODULES, log=log)
    httpd = serve(site, 0)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", cms_port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield {"root": root, "url": f"http://127.0.0.1:{httpd.server_address[1]}/admin/", "cms_port": cms_port}
    httpd.shutdown()
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                                                               "--disable-background-networking"])
        yield b
        b.close()


def open_editor(browser, url: str, ready: str, **options):
    """A new browser context on the editor at ``url``, signed in to the local backend, ``ready`` shown."""
    ctx = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", **options})
    pg = ctx.new_page()
    pg.requests = []
    pg.errors = []
    pg.on("request", lambda r: pg.requests.append((r.url, r.post_data or "")))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(url)
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_selector(f"text={ready}", timeout=60_000)
    return ctx, pg


def close_editor(ctx, pg) -> None:
    outside = [u for u, _body in pg.requests if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert outside == [], outside
    ctx.close()


@pytest.fixture
def page(browser, editor):
    """Signed in on the union's editor; tests then open a studio's editor with goto (same sign-in)."""
    ctx, pg = open_editor(browser, editor["url"], "年度检查（工会）")
    yield pg
    close_editor(ctx, pg)


def goto(page, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready, timeout=60_000)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"editor-{name}.png"))


def labelled(scope, label: str, last: bool = False):
    """The control of the field labelled ``label`` (Decap adds " (可选)" to optional fields); ``last``:
    the last one shown on the page (the list item just added; collapsed items hide theirs)."""
    import re

    found = scope.get_by_label(re.compile(rf"^{re.escape(label)}( \(可选\))?$"))
    return found.filter(visible=True).last if last else found.first


def pick(page, label: str, option: str, last: bool = False) -> None:
    """Choose ``option`` in the select labelled ``label``, and wait until the select shows it (on a busy
    machine a click can land while the menu is still filtering; then the choice is made again)."""
    box = labelled(page, label, last)
    chosen = page.locator("[class*='-multiValue'], [class*='-singleValue']", has_text=option)
    before = chosen.count()
    for _attempt in range(3):
        box.click()
        box.press_sequentially(option)
        page.locator("[class*='-option']", has_text=option).first.click()
        try:
            page.wait_for_function("([sel, text, n]) => [...document.querySelectorAll(sel)]"
                                   ".filter(e => e.textContent.includes(text)).length > n",
                                   arg=["[class*='-multiValue'], [class*='-singleValue']", option, before],
                                   timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: try the choice again
            box.press("Escape")
    raise AssertionError(f"could not choose {option!r} in {label!r}")


def fill(page, label: str, value: str, last: bool = False) -> None:
    labelled(page, label, last).fill(value)


def publish(page) -> None:
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    page.wait_for_selector("text=已发布", timeout=30_000)


def check_passes(root: Path) -> None:
    res = run("check", "--as-of", SAMPLE_AS_OF, cwd=root)
    assert res.code == 0, res.out


def test_editor_opens_without_configuration_error(page, editor):
    text = page.inner_text("body")
    assert "配置错误" not in text and "Config Errors" not in text and "Error loading" not in text
    assert "年度检查（工会）" in text and "推荐和表彰（工会）" in text and "工作室档案" not in text
    page.get_by_text("各工作室的编辑页面").click()  # the union's editor lists the studio editors
    page.get_by_role("link", name="精准药学创新工作室").click()
    page.wait_for_selector("text=工作室档案", timeout=60_000)
    assert page.url == editor["url"] + "jingzhun-yaoxue/#/collections/achievements", page.url
    text = page.inner_text("body")
    assert "配置错误" not in text and "成果" in text and "工作台账" in text and "年度检查（工会）" not in text
    assert page.errors == []
    shot(page, "collections")


def test_create_achievement_through_the_form(page, editor):
    root = editor["root"]
    goto(page, editor["url"] + "jingzhun-yaoxue/#/collections/achievements/new", "label:text-is('成果名称')")
    fill(page, "成果名称", "血药浓度快速测定方法获省级科技奖")
    pick(page, "成果类别", "科技奖励")
    labelled(page, "日期").fill("2026-10-15")
    pick(page, "级别", "省级")
    pick(page, "完成人", "王丽华")  # the leader is offered, not only the members
    shot(page, "achievement")
    publish(page)
    path = root / "studios/jingzhun-yaoxue/achievements/2026-science-award.md"  # <YYYY>-<type code>
    assert path.is_file(), sorted(p.name for p in path.parent.iterdir())
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 血药浓度快速测定方法获省级科技奖\ntype: science_award\ndate: 2026-10-15\n"
                           "level: provincial\nmembers:\n- 王丽华\n---\n"), text
    assert run("fmt", "--check", str(path), cwd=root).code == 0  # the editor writes the canonical layout
    check_passes(root)


def test_add_member_to_studio(page, editor):
    root = editor["root"]
    rel = "studios/kouqiang-shuzi/studio.yml"
    before = (root / rel).read_text(encoding="utf-8")
    goto(page, editor["url"] + "kouqiang-shuzi/#/collections/profiles/entries/kouqiang-shuzi", "text=团队成员")
    page.get_by_role("button", name="新增团队成员").click()
    fill(page, "姓名", "韩雪", last=True)
    fill(page, "职称/职务", "住院医师", last=True)
    pick(page, "职称等级", "初级", last=True)
    fill(page, "专业/学科", "口腔医学", last=True)
    pick(page, "学历", "硕士研究生", last=True)
    fill(page, "出生年份", "1996", last=True)
    pick(page, "角色", "成员", last=True)
    shot(page, "member")
    publish(page)
    after = (root / rel).read_text(encoding="utf-8")
    added = [line[1:] for line in _diff(before, after) if line.startswith("+")]
    removed = [line for line in _diff(before, after) if line.startswith("-")]
    assert removed == [], removed
    assert "- name: 韩雪" in added and "  title_level: junior" in added and "  role: member" in added, added
    check_passes(root)


def test_union_records_inspection(page, editor):
    root = editor["root"]
    page.goto(editor["url"] + "#/collections/inspections/entries/inspections-2026")
    page.wait_for_selector("label:text-is('检查记录')")
    page.get_by_role("button", name="新增检查记录").first.click()
    pick(page, "工作室", "精准药学创新工作室")
    labelled(page, "检查日期").fill("2026-11-20")
    pick(page, "检查结果", "合格")
    fill(page, "检查意见", "台账完整，课题按计划推进。")
    shot(page, "inspection")
    publish(page)
    text = (root / "union/inspections/2026.yml").read_text(encoding="utf-8")
    assert text == ("inspections:\n- studio: jingzhun-yaoxue\n  date: 2026-11-20\n  result: pass\n"
                    "  findings: 台账完整，课题按计划推进。\n"), text
    check_passes(root)


def test_one_field_edit_changes_only_that_line(page, editor):
    """After fmt, changing one field through the form changes only that field's line."""
    root = editor["root"]
    rel = "studios/jingzhun-yaoxue/studio.yml"
    before = (root / rel).read_text(encoding="utf-8")
    goto(page, editor["url"] + "jingzhun-yaoxue/#/collections/profiles/entries/jingzhun-yaoxue",
         "label:text-is('所属单位')")
    fill(page, "所属单位", "药学院分工会（临床药学教研室）")
    publish(page)
    after = (root / rel).read_text(encoding="utf-8")
    assert _diff(before, after) == ["-unit: 药学院分工会", "+unit: 药学院分工会（临床药学教研室）"]
    check_passes(root)


def _diff(a: str, b: str) -> list[str]:
    import difflib

    return [line for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]


def test_editing_an_achievement_keeps_its_body_and_other_lines(page, editor):
    root = editor["root"]
    rel = "studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit.md"
    before = (root / rel).read_text(encoding="utf-8")
    goto(page, editor["url"] + "jingzhun-yaoxue/#/collections/achievements/entries/2024-vancomycin-kit",
         "label:text-is('成果名称')")
    fill(page, "编号", "ZL 2023 1 0000001.9")
    publish(page)
    after = (root / rel).read_text(encoding="utf-8")
    assert _diff(before, after) == ["-identifier: ZL 2023 1 0000001.X", "+identifier: ZL 2023 1 0000001.9"]
    check_passes(root)


def test_public_pages_never_load_the_editor(editor):
    site = editor["root"].parent / "site"
    assert (site / "admin/index.html").is_file() and (site / "admin/config.yml").is_file()
    assert (site / "admin/jingzhun-yaoxue/index.html").is_file()
    assert (site / "admin/jingzhun-yaoxue/config.yml").is_file()
    uris = (site / "admin/oauth-redirect-uris.txt").read_text(encoding="utf-8").split()  # for the OAuth app
    assert len(uris) == 1 + len(list((editor["root"] / "studios").glob("*/studio.yml")))
    assert uris[0].endswith("/admin/") and any(u.endswith("/admin/jingzhun-yaoxue/") for u in uris)
    head = (site / "admin/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in head and "http" not in head.split("<body")[0]
    for page in site.rglob("*.html"):
        if "admin" in page.relative_to(site).parts:
            continue
        text = page.read_text(encoding="utf-8")
        assert "decap-cms" not in text and "innostudio-format.js" not in text and "config.yml" not in text, page
    assert "/admin/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    studio_page = (site / "studios/jingzhun-yaoxue/index.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="inno-edit-studio" href="([^"]+)"[^>]*>编辑本工作室</a>', studio_page)
    assert link and (site / "studios/jingzhun-yaoxue" / link.group(1) / "index.html").resolve() == \
        (site / "admin/jingzhun-yaoxue/index.html").resolve(), link
    import gzip

    # the search index (Pagefind: one gzipped fragment per indexed page) holds no /admin/ page
    assert "data-pagefind-body" not in head
    fragments = [gzip.decompress(f.read_bytes()) for f in (site / "pagefind/fragment").iterdir()]
    assert fragments and all(b'"url":"/' in f for f in fragments)
    assert not [f for f in fragments if b'"url":"/admin' in f]


def _listening_on_loopback_only(port: int) -> bool:
    """From /proc/net/tcp*: a listening socket on ``port`` exists, and only on 127.0.0.1."""
    addrs = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:
                addrs.append(addr)
    return bool(addrs) and all(a == "0100007F" for a in addrs)


def test_innostudio_edit_serves_the_site_and_a_loopback_decap_server(tmp_path: Path):
    import urllib.request

    root = copy_repo(REPO, tmp_path / "repo")
    port, cms_port = _free_port(), _free_port()
    env = dict(os.environ, INNOSTUDIO_AS_OF=SAMPLE_AS_OF, INNOSTUDIO_NODE_MODULES=str(NODE_MODULES))
    proc = subprocess.Popen([sys.executable, "-m", "innostudio", "edit", "--root", str(root), "--port", str(port),
                             "--cms-port", str(cms_port)], cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        config = None
        for _ in range(600):
            try:
                config = urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/config.yml", timeout=1).read()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.2)
        assert config is not None
        import yaml

        cfg = yaml.safe_load(config)
        assert cfg["local_backend"]["url"] == f"http://127.0.0.1:{cms_port}/api/v1"
        for _ in range(100):
            if _listening_on_loopback_only(cms_port):
                break
            time.sleep(0.1)
        assert _listening_on_loopback_only(cms_port) and _listening_on_loopback_only(port)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    time.sleep(0.5)
    assert not _listening_on_loopback_only(cms_port)  # decap-server ended with it


def test_admin_page_loads_without_a_missing_file(browser, editor):
    site = editor["root"].parent / "site"
    head = (site / "admin/index.html").read_text(encoding="utf-8").split("<body")[0]
    icon = re.search(r'<link rel="icon" href="([^"]+)"', head)
    assert icon and (site / "admin" / icon.group(1)).resolve().is_file()  # an icon the built site holds
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    failed = []
    pg.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    pg.goto(editor["url"])
    pg.wait_for_selector("text=登录", timeout=60_000)
    pg.wait_for_load_state("networkidle")
    assert pg.evaluate(f"fetch({icon.group(1)!r}).then(r => r.status)") == 200  # the tab icon resolves
    ctx.close()
    assert failed == []


def _other_studios(root: Path, own: str) -> list[str]:
    return sorted(p.parent.name for p in (root / "studios").glob("*/studio.yml") if p.parent.name != own)


def test_a_lead_fetches_nothing_of_other_studios(browser, editor):
    """/admin/<slug>/: its own small config.yml, and no request (URL or decap-server call) names another
    studio, through the collection list, the profile, a ledger, the media library and a new entry."""
    own = "jingzhun-yaoxue"
    url = editor["url"] + own + "/"
    ctx, pg = open_editor(browser, url, "工作室档案")
    for path, ready in [("#/collections/achievements", "text=万古霉素"),
                        (f"#/collections/profiles/entries/{own}", "label:text-is('所属单位')"),
                        (f"#/collections/ledgers/entries/{own}-2026", "text=活动记录"),
                        ("#/collections/achievements/new", "label:text-is('成果名称')")]:
        goto(pg, url + path, ready)
    pg.goto(url + "#/media")
    pg.wait_for_load_state("networkidle")
    others = _other_studios(editor["root"], own)
    assert len(others) >= 5
    leaks = [(u, body[:200]) for u, body in pg.requests for slug in others if slug in u or slug in body]
    assert leaks == [], leaks
    configs = [u for u, _ in pg.requests if u.split("?")[0].endswith("config.yml")]
    assert configs and all(u.split("?")[0] == url + "config.yml" for u in configs), configs
    assert any(f'"studios/{own}/achievements"' in body for _u, body in pg.requests)  # its own files were read
    close_editor(ctx, pg)


def test_the_form_refuses_a_bad_entry_before_saving(page, editor):
    """Values the checker would refuse are refused in the form, in Chinese, and no file is written."""
    root = editor["root"]
    folder = root / "studios/jingzhun-yaoxue/achievements"
    before = sorted(p.name for p in folder.iterdir())
    ledger = (root / "studios/jingzhun-yaoxue/ledger/2026.yml").read_text(encoding="utf-8")
    goto(page, editor["url"] + "jingzhun-yaoxue/#/collections/achievements/new", "label:text-is('成果名称')")
    fill(page, "文件名（英文）", "血药 Award")  # not ASCII: the checker's id rule
    pick(page, "成果类别", "发明专利")
    labelled(page, "日期").fill("2026-09-01")
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    page.wait_for_selector("text=“成果名称”是必填项")
    assert page.get_by_text("“文件名（英文）”格式不符合要求：只能用小写字母、数字和连字符").count() == 1
    shot(page, "refused-achievement")
    page.on("dialog", lambda d: d.accept())  # leave the refused entry unsaved
    page.goto(editor["url"] + "jingzhun-yaoxue/#/collections/ledgers/entries/jingzhun-yaoxue-2026")
    page.reload()  # Decap would keep the refused entry's errors on the next form
    page.wait_for_selector("text=新增活动记录", timeout=60_000)
    page.get_by_role("button", name="新增活动记录").first.click()
    labelled(page, "日期", last=True).fill("2026-11-02")
    pick(page, "活动类别", "例会", last=True)
    fill(page, "活动名称", "月度例会", last=True)
    fill(page, "参加人数", "0", last=True)  # ge=1 in the model
    fill(page, "活动内容", "讨论课题进度", last=True)
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    page.wait_for_selector("text=“参加人数”必须位于 1 和 100000 之间")
    shot(page, "refused-activity")
    time.sleep(1)
    assert sorted(p.name for p in folder.iterdir()) == before
    assert (root / "studios/jingzhun-yaoxue/ledger/2026.yml").read_text(encoding="utf-8") == ledger
    assert "已发布" not in page.inner_text("body")


PHONE = {"viewport": {"width": 375, "height": 667}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


def _fits(pg) -> None:
    """Nothing wider than the screen: the page cannot be scrolled sideways."""
    width = pg.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= 375, width
    wide = pg.evaluate("""() => [...document.querySelectorAll('input, textarea, button, [class*="-ControlContainer"]')]
        .filter(e => !e.closest('.Toastify'))  // a notice sliding in, gone after a few seconds
        .filter(e => { const r = e.getBoundingClientRect(); return r.width && (r.left < 0 || r.right > 375); })
        .map(e => e.tagName + ' ' + e.className).slice(0, 5)""")
    assert wide == [], wide


def _tap_publish(pg) -> None:
    """The publish control is on screen and nothing covers it; tapped like a finger would."""
    button = pg.get_by_role("button", name="发布").first
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert box["y"] >= 0 and box["y"] + box["height"] <= 667
    assert box["height"] >= 32 and box["width"] >= 44, box  # a finger's size
    on_top = pg.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('[class*=\"-PublishButton\"]') !== null",
                         [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert on_top
    button.tap()
    pg.get_by_text("立即发布").tap()
    try:
        pg.wait_for_selector("text=已发布", timeout=30_000)
    finally:
        shot(pg, "phone-published")


def test_a_lead_on_a_phone_adds_an_achievement_and_an_activity(browser, editor):
    root = editor["root"]
    url = editor["url"] + "kouqiang-shuzi/"
    ctx, pg = open_editor(browser, url, "工作室档案", **PHONE)
    _fits(pg)
    shot(pg, "phone-collections")
    goto(pg, url + "#/collections/achievements/new", "label:text-is('成果名称')")
    _fits(pg)
    fill(pg, "成果名称", "口腔数字化导板设计方法")
    fill(pg, "文件名（英文）", "guide-design")
    pick(pg, "成果类别", "发明专利")
    labelled(pg, "日期").fill("2026-08-18")
    _fits(pg)
    shot(pg, "phone-achievement")
    _tap_publish(pg)
    path = root / "studios/kouqiang-shuzi/achievements/2026-guide-design.md"
    assert path.is_file(), sorted(p.name for p in path.parent.iterdir())
    assert path.read_text(encoding="utf-8").startswith("---\ntitle: 口腔数字化导板设计方法\ntype: invention_patent\n"
                                                       "date: 2026-08-18\n")
    rel = "studios/kouqiang-shuzi/ledger/2026.yml"
    before = (root / rel).read_text(encoding="utf-8") if (root / rel).exists() else ""
    pg.goto(url + "#/collections/ledgers/entries/kouqiang-shuzi-2026")
    pg.reload()  # a fresh form: Decap keeps the state of the entry just published across a hash change
    pg.wait_for_selector("text=新增活动记录", timeout=60_000)
    _fits(pg)
    pg.get_by_role("button", name="新增活动记录").first.tap()
    labelled(pg, "日期", last=True).fill("2026-11-12")
    pick(pg, "活动类别", "学习培训", last=True)
    fill(pg, "活动名称", "数字化导板培训", last=True)
    fill(pg, "参加人数", "12", last=True)
    fill(pg, "活动内容", "学习导板设计软件。", last=True)
    _fits(pg)
    shot(pg, "phone-activity")
    _tap_publish(pg)
    after = (root / rel).read_text(encoding="utf-8")
    added = [line[1:] for line in _diff(before, after) if line.startswith("+")]
    assert "  title: 数字化导板培训" in added and "  participants: 12" in added, added
    check_passes(root)
    close_editor(ctx, pg)
