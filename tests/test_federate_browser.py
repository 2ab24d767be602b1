"""The federation portal in a real browser: Debian's Chromium driven by Playwright (as tests/test_browser.py),
on a portal built from three members (one with markup in its studio's name) and one member left out."""
from __future__ import annotations

import functools
import http.server
import threading

import pytest

from federation_data import simple_member, studio, write_member
from test_browser import browser  # noqa: F401 - the shared Chromium fixture (fails in CI without a browser)
from test_federate import RECS, _Quiet, federate, write_config

PAGES = ["", "studios/", "recommended/", "members/jnmc/", "stats/", "search/?q=创新工作室"]


@pytest.fixture(scope="module")
def portal_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("portal")
    simple_member(folder / "jnmc", "jnmc", "济宁医学院", 6, RECS)
    simple_member(folder / "sdu", "sdu", "山东某大学", 4, {0: [("2026-05-01", "某大工〔2026〕9号")]})
    base = "https://evil.example.edu.cn/"
    write_member(folder / "evil", base, "某", [studio(base, 0, name="<script>window.pwned=1</script>万古霉素工作室",
                                                       org="某", summary="研制万古霉素快速检测试剂盒")])
    config = write_config(folder, [
        {"id": "jnmc", "name": "济宁医学院工会", "url": "https://jnmc.example.edu.cn/", "source": "jnmc"},
        {"id": "sdu", "name": "山东某大学工会", "url": "https://sdu.example.edu.cn/", "source": "sdu"},
        {"id": "evil", "name": "某学院工会", "url": base, "source": "evil"},
        {"id": "gone", "name": "停办学院工会", "url": "https://gone.example.edu.cn/", "source": "gone"}])
    out = folder / "out"
    assert federate(config, out) == 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture
def page(browser):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    ctx.close()


def type_query(page, term: str, expect: str) -> None:
    box = page.locator("form.fed-search input[name=q]")
    box.click()
    box.fill("")
    box.press_sequentially(term, delay=20)
    page.wait_for_function("t => (document.querySelector('#fed-search-page') || document.querySelector("
                           "'.fed-search__results')).innerText.includes(t)", arg=expect, timeout=30_000)


def test_search_over_every_member_in_the_browser(page, portal_server) -> None:
    page.goto(portal_server)
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.requests if "/search/" in u]  # nothing of the index before a visitor types
    type_query(page, "万古霉素", "万古霉素工作室")
    results = page.locator(".fed-search__results")
    assert "某学院工会" in results.inner_text()
    link = results.locator("a").first
    assert link.get_attribute("href") == "https://evil.example.edu.cn/studios/s000/"
    assert page.evaluate("window.pwned") is None  # the studio's name is text, not markup
    type_query(page, "山东某大学第3", "山东某大学第3创新工作室")
    assert results.locator("li").first.inner_text().startswith("山东某大学第3创新工作室")
    type_query(page, "专利", "成果0：专利")
    fetched = [u for u in page.requests if "/search/" in u]
    assert any(u.endswith("/search/meta.json") for u in fetched) and any("/search/r/" in u for u in fetched)


def test_search_page_deep_link(page, portal_server) -> None:
    page.goto(portal_server + "search/?q=济宁医学院第2")
    page.wait_for_function("document.querySelector('#fed-search-page').innerText.includes('济宁医学院第2创新工作室')",
                           timeout=30_000)
    assert "找到" in page.locator("#fed-search-page").inner_text()


def test_studio_filters(page, portal_server) -> None:
    page.goto(portal_server + "studios/")
    cards = page.locator("#fed-studios > .card")
    visible = page.locator("#fed-studios > .card:not([hidden])")
    assert cards.count() == 11
    page.select_option("select[name=member]", "sdu")
    assert visible.count() == 4 and "显示 4 个工作室" in page.locator(".filters__count").inner_text()
    page.select_option("select[name=status]", "demonstration")
    assert visible.count() == 1 and "山东某大学第2创新工作室" in visible.first.inner_text()
    page.select_option("select[name=member]", "")
    page.select_option("select[name=status]", "")
    page.select_option("select[name=field]", "药学")
    assert 0 < visible.count() < 11
    assert all("药学" in t for t in visible.all_inner_texts())


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_has_no_horizontal_scroll(browser, portal_server, path: str) -> None:  # noqa: F811
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    pg = ctx.new_page()
    pg.goto(portal_server + path)
    pg.wait_for_load_state("networkidle")
    width = pg.evaluate("document.documentElement.scrollWidth")
    ctx.close()
    assert width <= 375, f"{path}: page is {width}px wide"


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violations(page, portal_server, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(portal_server + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("search/"):
        page.wait_for_function("document.querySelector('#fed-search-page').innerText.includes('找到')", timeout=30_000)
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def test_no_request_leaves_the_portal(page, portal_server) -> None:
    for path in PAGES:
        page.goto(portal_server + path)
        page.wait_for_load_state("networkidle")
    type_query(page, "工作室", "工作室")
    outside = [u for u in page.requests if not u.startswith(portal_server)]
    assert not outside, outside
