"""What a visitor sees in a real browser: Debian's Chromium driven by Playwright, on the built sample site.

These tests run in CI. Without a browser they are skipped on a developer's machine, and fail when CI is
set (a missing browser must never make CI green).
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (apt-get install chromium): browser tests must run in CI")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(sample_site: Path):
    handler = functools.partial(_Quiet, directory=str(sample_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    ctx.close()


def search(page, term: str, expect: str | None = None, delay: int = 20) -> None:
    """Type a query into the header's search box, ``delay`` ms between keys, and wait until the results of
    the whole query are shown and hold ``expect`` (default: the query). Pagefind searches on every input
    event, so an input method's inserted text counts; a pause while typing (a slow typist or a loaded
    machine) searches the query typed so far, and the list is aria-busy until it shows the results of
    what the box holds."""
    box = page.locator(".inno-search input[name=q]")
    box.click()
    box.fill("")
    box.press_sequentially(term, delay=delay)
    page.wait_for_function(
        """([q, t]) => {
             const box = document.querySelector('.inno-search input[name=q]');
             const list = document.querySelector('.inno-search .md-search-result__list');
             return box.value === q && !list.hasAttribute('aria-busy') && list.innerText.includes(t);
           }""", arg=[term, expect or term], timeout=30_000)


def result_titles(page, scope: str = ".inno-search") -> list[str]:
    return page.locator(f"{scope} .inno-search__title").all_inner_texts()


def test_chinese_search_finds_the_studio(page, server):
    page.goto(server)
    search(page, "万古霉素")
    text = page.locator(".inno-search .md-search-result").inner_text()
    assert "一种万古霉素血药浓度快速检测试剂盒" in text  # the achievement that mentions it
    assert "\u200b" not in text
    search(page, "王丽华", expect="精准药学创新工作室")  # a leader's name finds her studio


def test_search_finds_a_studio_by_its_unit_and_a_member_by_name(page, server):
    page.goto(server + "stats/")
    search(page, "药学院分工会", expect="精准药学创新工作室")
    assert result_titles(page)[0] == "精准药学创新工作室"
    search(page, "赵欣", expect="精准药学创新工作室")  # a team member (not the leader)
    assert "\u200b" not in page.locator(".inno-search .md-search-result").inner_text()


@pytest.fixture(scope="module")
def planted_server(tmp_path_factory):
    """The sample with a phrase found nowhere else planted in the middle of one achievement's body."""
    from conftest import REPO, build_site, copy_repo, edit

    repo = copy_repo(REPO, tmp_path_factory.mktemp("planted") / "repo")
    edit(repo, "studios/huli-gexin/achievements/2023-rationalization.md", "被学校工会评为优秀合理化建议。",
         "该建议改进了病区交接班流程。通过引入钙钛矿荧光探针阵列的床旁快检，减少了标本往返。被学校工会评为优秀合理化建议。")
    build_site(repo)
    handler = functools.partial(_Quiet, directory=str(repo / "build" / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_search_finds_a_phrase_planted_in_an_achievement_body(browser, planted_server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    pg.goto(planted_server + "studios/")
    # typed slower than the search waits for a pause (120 ms): every shorter query is searched on the
    # way, and 荧光探 alone finds three pages; the list must end with the one page of the whole query
    for query, delay in (("钙钛矿荧光探针阵列", 20), ("荧光探针", 400)):
        search(pg, query, expect="护理技术革新工作室", delay=delay)  # the achievement's title names its studio
        links = pg.locator(".inno-search .md-search-result__link")
        assert links.count() == 1, result_titles(pg)
        assert links.first.get_attribute("href").endswith("/studios/huli-gexin/achievements/2023-rationalization/")
        assert "钙钛矿" in links.first.inner_text() or "荧光探针" in links.first.inner_text()  # the excerpt
    ctx.close()


def test_studio_page_ranks_first_for_its_own_name(page, server):
    page.goto(server)
    for name in ("精准药学创新工作室", "医学影像智能分析创新工作室", "口腔数字化修复创新工作室"):
        search(page, name)
        titles = result_titles(page)
        assert titles[0] == name, titles  # above its six rules documents and the achievements


def test_no_index_request_before_the_visitor_searches(page, server):
    for path in ["", "studios/", "studios/jingzhun-yaoxue/", "studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit/"]:
        page.goto(server + path)
        page.mouse.wheel(0, 3000)
        page.wait_for_load_state("networkidle")
    assert not [u for u in page.requests if "/pagefind/" in u or "search_index" in u or "sitemap.xml" in u], \
        page.requests
    search(page, "万古霉素")
    fetched = [u for u in page.requests if "/pagefind/" in u]
    assert any(u.endswith(".pf_index") for u in fetched) and any(u.endswith(".pf_fragment") for u in fetched)
    assert len([u for u in fetched if u.endswith(".pf_fragment")]) <= 10  # only the results shown


def test_search_deep_link_and_keyboard(page, server):
    page.goto(server + "search/?q=" + "万古霉素")
    page.wait_for_function("() => document.querySelector('.inno-search-page__results').innerText.includes('试剂盒')",
                           timeout=30_000)
    assert "个符合条件的结果" in page.locator(".inno-search-page__status").inner_text()
    assert page.locator(".inno-search input[name=q]").input_value() == "万古霉素"
    # keyboard only: "/" jumps to the box, arrows reach the results, Enter opens one
    page.goto(server + "stats/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.insert_text("王丽华")
    page.wait_for_function("() => document.querySelectorAll('.inno-search .md-search-result__link').length > 0",
                           timeout=30_000)
    page.keyboard.press("ArrowDown")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href and page.evaluate("document.activeElement.closest('.md-search-result__list') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + href.rstrip("/") + "/**")
    # Enter in the box opens the shareable results page
    page.locator(".inno-search input[name=q]").click()
    page.keyboard.insert_text("赵欣")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_function("() => document.querySelector('.inno-search-page__results').innerText.includes('精准药学')",
                           timeout=30_000)


def test_search_results_pass_axe(page, server):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server)
    search(page, "万古霉素")
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def test_directory_filter_narrows_the_cards(page, server):
    page.goto(server + "studios/")
    cards = page.locator(".inno-directory .inno-card")
    assert cards.count() == 6
    assert page.locator(".inno-filter").is_visible()
    page.select_option("select[name=unit]", "药学院分工会")
    visible = page.locator(".inno-directory .inno-card:not([hidden])")
    assert visible.count() == 1
    assert "精准药学创新工作室" in visible.first.inner_text()
    page.select_option("select[name=unit]", "")
    page.select_option("select[name=status]", "candidate")
    assert visible.count() == 1 and "口腔数字化修复创新工作室" in visible.first.inner_text()
    assert "显示 1 / 6 个工作室" in page.locator(".inno-filter__count").inner_text()


def test_directory_without_javascript_is_a_plain_list(browser, server):
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(server + "studios/")
    assert pg.locator(".inno-card").count() == 6
    assert not pg.locator(".inno-filter").is_visible()
    ctx.close()


def test_studio_page_shows_its_matrix(page, server):
    page.goto(server + "studios/kouqiang-shuzi/")
    rows = page.locator(".inno-matrix tbody tr")
    assert rows.count() == 6
    assert "S1 有领衔人才" in rows.nth(0).inner_text()
    assert "✗ 未达标" in rows.nth(1).inner_text() and "标牌" in rows.nth(1).inner_text()
    assert page.locator(".inno-banner--candidate").is_visible()


@pytest.mark.parametrize("path", ["", "studios/", "studios/jingzhun-yaoxue/", "achievements/", "achievements/2026/",
                                  "stats/", "studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit/", "challenges/",
                                  "inspections/2025/", "rules/"])
def test_phone_width_has_no_horizontal_scroll(browser, server, path):
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    pg = ctx.new_page()
    pg.goto(server + path)
    pg.wait_for_load_state("networkidle")
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{path}: page is {width}px wide"
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = (path.strip("/").replace("/", "_") or "home") + "-375.png"
    pg.screenshot(path=str(SHOTS / name), full_page=False)
    assert (SHOTS / name).stat().st_size > 5_000
    ctx.close()


def test_no_request_leaves_localhost(page, server):
    for path in ["", "studios/", "studios/jingzhun-yaoxue/", "stats/", "achievements/", "achievements/2026/"]:
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    search(page, "工作室")
    assert any("/pagefind/" in u for u in page.requests)
    outside = [u for u in page.requests if not u.startswith(server)]
    assert not outside, outside


@pytest.mark.parametrize("path", ["", "studios/", "studios/jingzhun-yaoxue/", "studios/huli-gexin/", "stats/",
                                  "search/?q=万古霉素",
                                  "studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit/", "challenges/",
                                  "achievements/", "achievements/2026/", "inspections/2025/"])
def test_axe_finds_no_serious_or_critical_violations(page, server, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def test_site_works_under_its_content_security_policy(browser, server, sample_site):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    for path in ["", "studios/", "studios/jingzhun-yaoxue/", "stats/"]:
        pg.goto(server + path)
        pg.wait_for_load_state("networkidle")
        assert pg.evaluate("window.__csp") == [], path
        html = pg.content()
        assert 'http-equiv="Content-Security-Policy"' in html
    pg.goto(server + "studios/")
    pg.select_option("select[name=status]", "candidate")  # the site's own script runs
    assert pg.locator(".inno-directory .inno-card:not([hidden])").count() == 1
    search(pg, "万古霉素")  # Material's scripts and the search (WebAssembly) run
    assert pg.evaluate("window.__csp") == [] and not errors
    ctx.close()


def test_content_security_policy_blocks_an_injected_inline_script(browser, server, sample_site):
    page_html = (sample_site / "studios/jingzhun-yaoxue/index.html").read_text(encoding="utf-8")
    injected = page_html.replace("<h1>", "<script>window.__pwned = 1</script><h1>", 1)
    (sample_site / "csp-probe.html").write_text(injected, encoding="utf-8")
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(server + "csp-probe.html")
        pg.wait_for_load_state("networkidle")
        assert pg.evaluate("window.__pwned") is None
        ctx.close()
    finally:
        (sample_site / "csp-probe.html").unlink()


def test_studio_page_prints_on_a4(browser, server):
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.goto(server + "studios/jingzhun-yaoxue/")
    pg.wait_for_load_state("networkidle")
    pg.emulate_media(media="print")
    assert not pg.locator(".md-header").is_visible()
    assert not pg.locator(".md-sidebar--primary").is_visible()
    assert pg.locator(".inno-matrix").is_visible() and pg.locator("h1").first.is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = pg.pdf(path=str(SHOTS / "studio-a4.pdf"), format="A4", print_background=False)
    import re

    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pdf.startswith(b"%PDF") and 1 <= pages <= 10, pages
    ctx.close()
