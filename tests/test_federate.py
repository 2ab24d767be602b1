"""`innostudio federate`: the provincial portal built from member sites' open data (federation.md).

Members are written by tests/federation_data.py from the contract; the portal is built with the real
command line (``cli.main``) and checked as a user would: exit codes, stderr, the built files."""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import socket
import threading
from pathlib import Path

import pytest

from federation_data import simple_member, studio, write_member
from innostudio.cli import main
from innostudio.federate import schema
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


def test_runs_from_any_folder_into_build_federation(province: Path, tmp_path: Path, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no mkdocs.yml here or above: no school repository is needed
    assert main(["federate", str(province), "--as-of", AS_OF]) == 0
    assert (elsewhere / "build" / "federation" / "members" / "sdu" / "index.html").is_file()


def test_the_fields_relied_on_are_the_contracts() -> None:
    """The member fields the portal requires (federate/schema.py), as JSON Schemas for comparing with the
    sites' published /api/schema/: exactly the contract's, and no more."""
    schemas = schema.relied_on()
    assert set(schemas["site.json"]["required"]) == {"schema_version", "org", "url", "policy", "as_of",
                                                      "generated_with", "counts"}
    studio_item = schemas["studios.json"]["$defs"]["StudioItem"]
    assert set(studio_item["required"]) == {"slug", "name", "url", "status", "under_review", "recommended",
                                            "recommendation", "recommendations"}
    assert set(schemas["achievements.json"]["$defs"]["AchievementItem"]["required"]) == {"title", "url", "studio"}
    assert set(schemas["studios.json"]["required"]) == {"schema_version", "items"}


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


def test_the_guides_workflow_example_passes_actionlint(tmp_path: Path) -> None:
    import subprocess

    from test_forms import _actionlint

    guide = (Path(__file__).resolve().parent.parent / "content" / "guide" / "federation.md").read_text(encoding="utf-8")
    start = guide.index("# .github/workflows/federation.yml")
    workflow = tmp_path / "federation.yml"
    workflow.write_text(guide[start:guide.index("```", start)], encoding="utf-8")
    proc = subprocess.run([_actionlint(), str(workflow)], check=False, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


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


class _Redirect(_Quiet):
    def do_GET(self) -> None:  # every document redirects to plain http on another host name
        self.send_response(301)
        self.send_header("Location", f"http://localhost:{self.server.server_address[1]}{self.path}")
        self.end_headers()


def test_a_redirect_to_plain_http_elsewhere_is_refused(province: Path, tmp_path: Path, capsys) -> None:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        config = write_config(tmp_path, [
            {"id": "jnmc", "name": "济宁医学院工会", "url": "https://jnmc.example.edu.cn/", "source": "jnmc"},
            {"id": "moved", "name": "搬家大学工会", "url": f"http://127.0.0.1:{httpd.server_address[1]}/"}])
        assert federate(config, tmp_path / "out") == 0
    finally:
        httpd.shutdown()
    err = capsys.readouterr().err
    assert "成员 moved" in err and "重定向到 http://localhost:" in err and "只能用 https://" in err


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


def test_a_real_school_site_federates_from_what_it_publishes(sample_site: Path, tmp_path: Path):
    """The sample school's built site (its /api/ open data, validated against its own published schemas) is a
    member as it is: its studios, its recommendation with the 文号 and its policy reach the portal."""
    import jsonschema

    for name in ("site", "studios", "achievements"):
        schema = json.loads((sample_site / "api" / "schema" / f"{name}.json").read_text(encoding="utf-8"))
        jsonschema.validate(json.loads((sample_site / "api" / f"{name}.json").read_text(encoding="utf-8")), schema)
    config = write_config(tmp_path, [{"id": "sample", "name": "示例学校工会", "url": "https://example.edu.cn/innostudio/",
                                      "source": str(sample_site)}])
    out = tmp_path / "portal"
    assert federate(config, out) == 0
    studios = (out / "studios" / "index.html").read_text(encoding="utf-8")
    assert "精准药学创新工作室" in studios and 'href="https://example.edu.cn/innostudio/studios/' in studios
    recommended = json.loads((sample_site / "api" / "studios.json").read_text(encoding="utf-8"))
    documents = [r["document"] for s in recommended["items"] for r in s["recommendations"]]
    assert documents and all(d in (out / "recommended" / "index.html").read_text(encoding="utf-8") for d in documents)
