"""`innostudio federate`: the provincial portal built from member sites' open data (federation.md).

Members are written by tests/federation_data.py from the contract; the portal is built with the real
command line (``cli.main``) and checked as a user would: exit codes, stderr, the built files."""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from federation_data import simple_member, studio, write_member

from innostudio.cli import main
from innostudio.federate import search as fsearch

AS_OF = "2026-11-30"
RECS = {2: [("2025-04-01", "济医工字〔2025〕3号"), ("2026-04-01", "济医工字〔2026〕5号")]}


def write_config(folder: Path, members: list[dict[str, str]], extra: str = "") -> Path:
    lines = ["name: 山东省教育工会劳模和优秀人才创新工作室", "site_url: https://cx.example.gov.cn/",
             "extra: {icp: 鲁ICP备00000000号, police: 鲁公网安备00000000000000号}", extra, "members:"]
    for m in members:
        lines.append("  - " + json.dumps(m, ensure_ascii=False))
    path = folder / "federation.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def province(tmp_path: Path) -> Path:
    """A CONFIG over two good members (jnmc: 6 studios, one recommended twice; sdu: 4 studios)."""
    simple_member(tmp_path / "jnmc", "jnmc", "济宁医学院", 6, RECS)
    simple_member(tmp_path / "sdu", "sdu", "山东某大学", 4, {0: [("2026-05-01", "某大工〔2026〕9号")]})
    return write_config(tmp_path, [
        {"id": "jnmc", "name": "济宁医学院工会", "url": "https://jnmc.example.edu.cn/", "source": "jnmc"},
        {"id": "sdu", "name": "山东某大学工会", "url": "https://sdu.example.edu.cn/", "source": "sdu"}])


def federate(config: Path, out: Path, *extra: str) -> int:
    return main(["federate", str(config), "--out", str(out), "--as-of", AS_OF, *extra])


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def break_member(folder: Path, mutate) -> None:
    path = folder / "api" / "studios.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    mutate(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


# -- building ---------------------------------------------------------------------------------------

def test_builds_the_portal_from_every_member(province: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert federate(province, out) == 0
    assert capsys.readouterr().err == ""
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "济宁医学院工会" in home and "山东某大学工会" in home
    assert "<strong>10</strong> 个工作室" in home and "<strong>2</strong> 项 2026 年推荐" in home
    assert "鲁ICP备00000000号" in home and "鲁公网安备00000000000000号" in home  # the CONFIG's footer filings
    assert '<link rel="canonical" href="https://cx.example.gov.cn/">' in home
    studios = (out / "studios" / "index.html").read_text(encoding="utf-8")
    assert studios.count('<li class="card"') == 10
    assert 'href="https://jnmc.example.edu.cn/studios/s002/"' in studios  # links to the member's studio page
    assert 'data-member="sdu" data-status="accredited"' in studios
    member = (out / "members" / "jnmc" / "index.html").read_text(encoding="utf-8")
    assert "济医工字〔2025〕3号" in member and "某大工〔2026〕9号" not in member
    assert (out / "stats" / "index.html").is_file()


def test_recommended_list_by_year_with_document_numbers(province: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    assert federate(province, out) == 0
    page = (out / "recommended" / "index.html").read_text(encoding="utf-8")
    assert page.index('id="y2026"') < page.index("济医工字〔2026〕5号") < page.index('id="y2025"') \
        < page.index("济医工字〔2025〕3号")
    csv_lines = (out / "recommended" / "recommended.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_lines[0].startswith("年份,成员单位,工作室")
    assert [line.split(",")[0] for line in csv_lines[1:]] == ["2026", "2026", "2025"]
    assert "某大工〔2026〕9号" in csv_lines[2]
    ws = load_workbook(out / "recommended" / "recommended.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("年份", "成员单位", "工作室") and len(rows) == 4
    assert rows[3][1] == "济宁医学院工会" and rows[3][7] == "济医工字〔2025〕3号"
    merged = json.loads((out / "api" / "recommended.json").read_text(encoding="utf-8"))
    assert merged["count"] == 3 and merged["items"][1]["member"] == "sdu"


def test_merged_open_data_carries_the_member(province: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert federate(province, out) == 0
    studios = json.loads((out / "api" / "studios.json").read_text(encoding="utf-8"))
    assert studios["count"] == 10 and {s["member"] for s in studios["items"]} == {"jnmc", "sdu"}
    assert studios["items"][0]["leader_title"] == "教授"  # fields the portal does not read are kept
    site_doc = json.loads((out / "api" / "site.json").read_text(encoding="utf-8"))
    assert [m["id"] for m in site_doc["members"]] == ["jnmc", "sdu"] and site_doc["url"] == "https://cx.example.gov.cn/"
    achievements = json.loads((out / "api" / "achievements.json").read_text(encoding="utf-8"))
    assert achievements["count"] == 20 and achievements["items"][-1]["member"] == "sdu"


def test_rebuild_is_byte_identical(province: Path, tmp_path: Path) -> None:
    assert federate(province, tmp_path / "one") == 0
    assert federate(province, tmp_path / "two") == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert federate(province, tmp_path / "one") == 0  # over an existing portal: swapped, same bytes
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".one.")]


def test_pages_are_valid_html(province: Path, tmp_path: Path) -> None:
    """html-validate (pinned in package.json, installed by ./run) with the project's configuration."""
    from test_outputs import validate

    out = tmp_path / "out"
    assert federate(province, out) == 0
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 8
    errors = [f"{Path(e['file']).relative_to(out)}:{e['line']} {e['rule']} {e['message']}"
              for e in validate(pages, tmp_path / "report.json")]
    assert not errors, "\n".join(errors)


def test_config_without_footer_filings(tmp_path: Path) -> None:
    simple_member(tmp_path / "jnmc", "jnmc", "济宁医学院", 2)
    config = tmp_path / "federation.yml"
    config.write_text("name: 某市教育工会\nsite_url: https://cx.example.cn/portal/\nmembers:\n"
                      "  - {id: jnmc, name: 济宁医学院工会, url: 'https://jnmc.example.edu.cn/', source: jnmc}\n",
                      encoding="utf-8")
    assert federate(config, tmp_path / "out") == 0
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "beian.miit.gov.cn" not in home and "备" not in home
    assert '<link rel="canonical" href="https://cx.example.cn/portal/">' in home


def test_date_comes_from_the_environment(province: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("INNOSTUDIO_AS_OF", "2025-12-31")
    assert main(["federate", str(province), "--out", str(tmp_path / "out")]) == 0
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "2025 年推荐" in home and "截至 2025-12-31" in home


def test_failed_build_leaves_the_old_portal(province: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    assert federate(province, out) == 0
    before = tree(out)

    def boom(portal):
        raise RuntimeError("index failed")

    monkeypatch.setattr("innostudio.federate.build.build_index", boom)
    assert federate(province, out) == 2  # internal failure
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["jnmc", "sdu", "federation.yml", "out"])


def test_member_text_is_escaped(tmp_path: Path) -> None:
    base = "https://evil.example.edu.cn/"
    bad = studio(base, 0, name="<script>alert('x')</script>工作室", org="甲",
                 recommendations=[("2026-03-01", '"><img src=x onerror=alert(1)>')])
    bad["fields"] = ["<b>领域</b>"]
    write_member(tmp_path / "evil", base, "<i>某</i>大学", [bad])
    config = write_config(tmp_path, [{"id": "evil", "name": "<em>工会</em>", "url": base, "source": "evil"}])
    out = tmp_path / "out"
    assert federate(config, out) == 0
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "<em>工会" not in text, page
        assert "<b>领域" not in text and "<i>某" not in text, page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;工作室" in (out / "studios" / "index.html").read_text(
        encoding="utf-8")


# -- members that cannot be used ------------------------------------------------------------------------

def test_invalid_member_is_named_and_left_out(province: Path, tmp_path: Path, capsys) -> None:
    break_member(tmp_path / "sdu", lambda doc: doc["items"][1].pop("status"))
    out = tmp_path / "out"
    assert federate(province, out) == 0
    err = capsys.readouterr().err
    assert "成员 sdu" in err and "缺少必填字段" in err and "api/studios.json.items[1].status" in err
    assert (out / "members" / "jnmc" / "index.html").is_file()
    assert not (out / "members" / "sdu").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<strong>6</strong> 个工作室" in home and "山东某大学工会（api/studios.json.items[1].status）" in home


@pytest.mark.parametrize("mutate, field, reason", [
    (lambda d: d["items"][0].update(url="javascript:alert(1)"), "items[0].url", "https://"),
    (lambda d: d["items"][0].update(status="gold"), "items[0].status", "gold"),
    (lambda d: d["items"][0].update(recommendation={"date": "不是日期", "document": "x"}),
     "items[0].recommendation.date", "类型或取值不符"),
    (lambda d: d.update(schema_version=2), "schema_version", "不支持的 schema_version 2"),
])
def test_validation_names_the_field(province: Path, tmp_path: Path, capsys, mutate, field, reason) -> None:
    break_member(tmp_path / "sdu", mutate)
    assert federate(province, tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert "成员 sdu" in err and f"api/studios.json.{field}" in err and reason in err


def test_unreadable_json_is_reported(province: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "sdu" / "api" / "site.json").write_text("{not json", encoding="utf-8")
    assert federate(province, tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert "成员 sdu" in err and "不是有效的 JSON" in err and "api/site.json" in err


def test_strict_builds_nothing(province: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert federate(province, out) == 0
    before = tree(out)
    (tmp_path / "sdu" / "api" / "achievements.json").unlink()
    assert federate(province, out, "--strict") == 1
    err = capsys.readouterr().err
    assert "成员 sdu" in err and "api/achievements.json" in err and "--strict" in err
    assert tree(out) == before


def test_no_readable_member_exits_1(tmp_path: Path, capsys) -> None:
    config = write_config(tmp_path, [{"id": "gone", "name": "甲", "url": "https://a.example.cn/", "source": "nope"}])
    assert federate(config, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "成员 gone" in err and "没有任何成员可以读取" in err
    assert not (tmp_path / "out").exists()


def test_cache_serves_the_last_valid_copy_marked_stale(province: Path, tmp_path: Path, capsys) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    assert federate(province, out, "--cache", str(cache)) == 0
    assert (cache / "sdu" / "studios.json").is_file()
    # the member publishes again, a later date but a broken file: the cached copy of 2026-11-30 is used
    break_member(tmp_path / "sdu", lambda doc: doc["items"][0].pop("under_review"))
    assert federate(province, out, "--cache", str(cache)) == 0
    err = capsys.readouterr().err
    assert "成员 sdu" in err and "under_review" in err and "缓存" in err
    member = (out / "members" / "sdu" / "index.html").read_text(encoding="utf-8")
    assert "已过期" in member and "2026-11-30 的数据" in member and member.count('<li class="card"') == 4
    assert "已过期" in (out / "index.html").read_text(encoding="utf-8")
    stale_card = "数据截至 2026-11-30，已过期"
    assert (out / "studios" / "index.html").read_text(encoding="utf-8").count(stale_card) == 4  # sdu's 4 studios
    assert stale_card in (out / "recommended" / "index.html").read_text(encoding="utf-8")
    assert "2026-11-30（已过期）" in (out / "recommended" / "recommended.csv").read_text(encoding="utf-8-sig")
    assert json.loads((out / "api" / "site.json").read_text(encoding="utf-8"))["members"][1]["stale"] is True
    # the broken copy did not replace the cached one
    assert json.loads((cache / "sdu" / "studios.json").read_text(encoding="utf-8"))["items"][0]["under_review"] is False
    assert federate(province, out, "--cache", str(cache), "--strict") == 1


@pytest.mark.parametrize("text, needle", [
    ("name: [unclosed\n", "不是有效的 YAML"),
    ("- a\n- b\n", "应为一个映射"),
    ("name: 甲\nmembers: []\n", "site_url"),
    ("name: 甲\nsite_url: ftp://x/\nmembers: [{id: ab, name: 乙, url: 'https://a.cn/'}]\n", "site_url"),
    ("name: 甲\nsite_url: https://x.cn/\nmembers: [{id: A_B, name: 乙, url: 'https://a.cn/'}]\n", "members[0].id"),
    ("name: 甲\nsite_url: https://x.cn/\nmembers: [{id: ab, name: 乙, url: 'http://a.cn/'}]\n", "明文 http"),
    (("name: 甲\nsite_url: https://x.cn/\nmembers: [{id: ab, name: 乙, url: 'https://a.cn/'}, "
     "{id: ab, name: 丙, url: 'https://b.cn/'}]\n"), "重复"),
    ("name: 甲\nsite_url: https://x.cn/\nmembers: [{id: ab, name: 乙, url: 'https://a.cn/', srouce: x}]\n", "srouce"),
])
def test_bad_config_exits_2(tmp_path: Path, capsys, text: str, needle: str) -> None:
    config = tmp_path / "federation.yml"
    config.write_text(text, encoding="utf-8")
    assert federate(config, tmp_path / "out") == 2
    assert needle in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_missing_config_exits_2(tmp_path: Path, capsys) -> None:
    assert federate(tmp_path / "nope.yml", tmp_path / "out") == 2
    assert "无法读取配置文件" in capsys.readouterr().err


# -- members read over http (127.0.0.1 only) ---------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path: Path):
    folder = simple_member(tmp_path / "web", "web", "网络大学", 3)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_member_read_over_http(served: str, tmp_path: Path, capsys) -> None:
    config = write_config(tmp_path, [{"id": "web", "name": "网络大学工会", "url": served},
                                     {"id": "down", "name": "停机大学工会", "url": served + "missing/"}])
    out = tmp_path / "out"
    assert federate(config, out) == 0
    assert "<strong>3</strong> 个工作室" in (out / "index.html").read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "成员 down" in err and "HTTP 404" in err


def test_a_member_that_does_not_answer_times_out(province: Path, tmp_path: Path) -> None:
    import io

    from innostudio.federate import federate as build

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        config = write_config(tmp_path, [
            {"id": "jnmc", "name": "济宁医学院工会", "url": "https://jnmc.example.edu.cn/", "source": "jnmc"},
            {"id": "slow", "name": "慢大学工会", "url": f"http://127.0.0.1:{listener.getsockname()[1]}/"}])
        err = io.StringIO()
        import datetime as dt

        result = build(config, tmp_path / "out", dt.date(2026, 11, 30), err=err, timeout=0.5)
    finally:
        listener.close()
    assert result.code == 0 and "成员 slow" in err.getvalue() and "timed out" in err.getvalue()


# -- search ---------------------------------------------------------------------------------------------

def test_posting_lists_round_trip() -> None:
    for ids in ([], [0], [3, 4, 5, 10], list(range(1000)), [0, 2, 3, 4, 9, 10, 200, 201], [7, 9, 11]):
        assert fsearch.decode(fsearch.encode(ids)) == ids
    assert fsearch.encode(list(range(33000))) == [-33000]  # a key of every record costs one token
    assert fsearch.encode([3, 4, 5, 10]) == [3, -2, 4]


def test_long_queries_look_up_a_covering_chain_of_bigrams() -> None:
    assert fsearch.query_keys("创新工作室") == [("b", "创新"), ("b", "新工"), ("b", "工作"), ("b", "作室")]
    assert fsearch.query_keys("万古霉素快速检测") == [("b", "万古"), ("b", "霉素"), ("b", "快速"), ("b", "检测")]
    assert fsearch.query_keys("药 ABC") == [("u", "药"), ("b", "~abc")]


def test_search_index_finds_any_chinese_substring(province: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert federate(province, out) == 0
    files = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in (out / "search").rglob("*.json")}
    records = [r for name in sorted((k for k in files if k.startswith("search/r/")),
                                    key=lambda k: int(k.rsplit("/", 1)[1][:-5])) for r in json.loads(files[name])]
    jnmc = fsearch.search(files, "济宁医学")  # the member's name is in each of its records
    assert len(jnmc) == 6 + 12 and {records[i]["m"] for i in jnmc} == {0}
    assert [records[i]["k"] for i in fsearch.search(files, "论文")] == ["论文"] * 10  # achievement types
    assert "济宁医学院第2创新工作室" in [records[i]["t"] for i in fsearch.search(files, "济宁医学院第2创新工作室")]
    assert fsearch.search(files, "不存在的词") == []
    assert len(fsearch.search(files, "某")) == 4 + 8  # one character: unigrams (sdu: 山东某大学)


# -- in a real browser (Debian's Chromium, as tests/test_browser.py) ---------------------------------------

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
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
        {"id": "evil", "name": "某学院工会", "url": base, "source": "evil"}])
    out = folder / "out"
    assert federate(config, out) == 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


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


@pytest.fixture
def page(browser):
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
def test_phone_width_has_no_horizontal_scroll(browser, portal_server, path: str) -> None:
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
