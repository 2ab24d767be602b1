"""The built site, read as files: every page and output exists, privacy, escaping, determinism, atomicity."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BASE, BASE_AS_OF, REPO, SAMPLE_AS_OF, build_site, copy_repo, edit
from innostudio.render.markup import render_markdown

SLUGS = ["jingzhun-yaoxue", "weizhongzheng-jiuzhi", "yingxiang-zhineng", "huli-gexin", "kouqiang-shuzi",
         "manbing-guanli"]


def _html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_every_page_and_output_exists(sample_site: Path):
    expected = ["index.html", "studios/index.html", "achievements/index.html", "achievements/2026/index.html",
                "achievements/2025/index.html", "challenges/index.html",
                "inspections/index.html", "inspections/2025/index.html", "stats/index.html", "rules/index.html",
                "policy/index.html", "guide/index.html", "feed.xml", "api/studios.json", "api/studios.csv",
                "api/achievements.json", "api/achievements.csv", "api/site.json", "api/schema/site.json",
                "api/schema/studios.json", "api/schema/achievements.json", "sitemap.xml", "sitemap.xml.gz",
                "pagefind/pagefind.js", "pagefind/pagefind-entry.json", "search/index.html"]
    for slug in SLUGS:
        expected += [f"studios/{slug}/index.html", f"badges/{slug}.svg", f"qr/{slug}.svg"]
    expected += ["studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit/index.html",
                 "studios/jingzhun-yaoxue/rules/xuexi/index.html",
                 "studios/jingzhun-yaoxue/files/media/plaque.jpg", "studios/jingzhun-yaoxue/thumbs/media/plaque.jpg"]
    missing = [p for p in expected if not (sample_site / p).is_file()]
    assert not missing, missing
    achievements = json.loads((sample_site / "api/achievements.json").read_text(encoding="utf-8"))
    pages = [a["url"] for a in achievements["items"]]
    assert len(pages) == achievements["count"] >= 13
    for item in achievements["items"]:
        rel = item["url"].split("/innostudio/", 1)[1]
        assert (sample_site / rel / "index.html").is_file(), rel


def test_home_shows_headline_figures_and_demonstration_studio(sample_site: Path):
    html = _html(sample_site, "index.html")
    figures = dict(re.findall(r"<li><b>(\d+)</b><span>([^<]+)</span></li>", html))
    assert figures == {"6": "创新工作室", "4": "已授牌（含整改中 1 个）", "1": "示范工作室", "22": "团队成员",
                       "8": "2026 年成果"}
    demo = html.split('id="demo"', 1)[1].split("</section>", 1)[0]
    assert "精准药学创新工作室" in demo and "护理技术革新工作室" not in demo
    # a merely recommended studio is not listed under 示范工作室, but apart as 已推荐
    assert "慢病健康管理创新工作室" not in demo
    recommended = html.split('id="recommended"', 1)[1].split("</section>", 1)[0]
    assert "已推荐申报省级示范" in recommended and "慢病健康管理创新工作室" in recommended
    # 已授牌 counts the rectifying studio, as the 授牌名单 lists it
    assert "已授牌（含整改中 1 个）" in html
    assert 'href="policy/"' in html


def test_studio_page_shows_matrix_team_projects_and_ledger(sample_site: Path):
    html = _html(sample_site, "studios/kouqiang-shuzi/index.html")
    assert html.count('<tr class="is-met">') == 4 and html.count('<tr class="is-unmet">') == 2
    assert "缺少上墙的规范性标志" in html  # the reason of an unmet standard
    assert "没有工作室标牌照片" not in html  # a candidate has no plaque yet: the plaque follows the 授牌
    assert "筹建中" in html and "已达到“六有”标准 4 项" in html
    jz = _html(sample_site, "studios/jingzhun-yaoxue/index.html")
    assert "王丽华" in jz and "山东省劳动模范" in jz and "赵欣" in jz
    assert 'class="inno-track"' in jz and "总结推广" in jz
    assert "inno-timeline" in jz and "成员成长" in jz
    assert 'role="img"' in jz  # the aggregate age chart
    assert '<meta property="og:image"' in jz
    assert "<title>精准药学创新工作室 - 劳模和优秀人才创新工作室</title>" in jz
    assert re.search(r'<meta name="description" content="以个体化用药为方向', jz)


def test_revoked_studio_keeps_an_archived_page_with_a_banner(sample_site: Path):
    html = _html(sample_site, "studios/huli-gexin/index.html")
    assert "inno-banner--revoked" in html and "本页为存档" in html
    cards = _html(sample_site, "studios/index.html")
    assert cards.index("精准药学创新工作室") < cards.index("护理技术革新工作室")  # archived last


def test_edit_button_opens_the_source_file(sample_site: Path):
    html = _html(sample_site, "studios/jingzhun-yaoxue/index.html")
    # extra.forge is GitLab: its edit shape, on the forge's host (not a repo_url that could disagree)
    assert 'href="https://gitlab.example.edu.cn/union/innostudio-data/-/edit/main/studios/jingzhun-yaoxue/studio.yml"' \
        in html
    ach = _html(sample_site, "studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit/index.html")
    assert "/-/edit/main/studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit.md" in ach


def test_footer_shows_filing_numbers(sample_site: Path):
    html = _html(sample_site, "index.html")
    assert "鲁ICP备00000000号-1" in html and "鲁公网安备" in html


def test_inspection_page_has_accredited_list(sample_site: Path):
    html = _html(sample_site, "inspections/2025/index.html")
    section = html.split('id="list"', 1)[1].split("</section>", 1)[0]
    # every studio holding a plaque at the year's end, 整改中 marked (rules.md, "Public counts and lists")
    items = re.findall(r"<li>(.*?)</li>", section)
    listed = {re.sub(r"<[^>]+>", "", i).split("（")[0]: i for i in items}
    assert set(listed) == {"精准药学创新工作室", "危重症救治技能创新工作室", "慢病健康管理创新工作室",
                           "医学影像智能分析创新工作室"}
    assert "整改中，整改期限 2026-06-30" in listed["医学影像智能分析创新工作室"]
    assert "整改中" not in listed["精准药学创新工作室"]
    assert "护理技术革新工作室" not in section and "口腔数字化修复创新工作室" not in section
    assert "限期整改（期限 2026-06-30）" in html


def test_open_data_feed_badges_and_qr(sample_site: Path):
    studios = json.loads((sample_site / "api/studios.json").read_text(encoding="utf-8"))
    assert studios["as_of"] == SAMPLE_AS_OF and studios["count"] == 6
    rec = next(s for s in studios["items"] if s["slug"] == "kouqiang-shuzi")
    assert rec["status"] == "candidate" and rec["met"] == 4 and rec["standards"]["S2"] is False
    csv_text = (sample_site / "api/studios.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("slug,name,unit")
    feed = (sample_site / "feed.xml").read_text(encoding="utf-8")
    dates = re.findall(r"<entry>\s*<title>[^<]*</title>\s*<id>[^<]*</id>\s*<link[^>]*/>\s*<updated>([^<]+)</updated>",
                       feed)
    assert dates and dates == sorted(dates, reverse=True)
    badge = (sample_site / "badges/jingzhun-yaoxue.svg").read_text(encoding="utf-8")
    assert "示范 · 六有 6/6" in badge
    qr = (sample_site / "qr/jingzhun-yaoxue.svg").read_text(encoding="utf-8")
    assert qr.lstrip().startswith("<") and "<svg" in qr and "path" in qr


def test_stats_charts_are_svg_without_script(sample_site: Path):
    html = _html(sample_site, "stats/index.html")
    assert html.count('class="inno-chart"') == 5  # + studios per year by status (issue 9, 二（二）)
    body = html.split('<div class="inno-page inno-stats">', 1)[1].split("</article>", 1)[0]
    assert "<script" not in body


def test_no_requests_to_other_hosts(sample_site: Path):
    """Nothing a page loads (scripts, styles, images, fonts) comes from another host."""
    for page in sample_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag, _attr, url in re.findall(r"<(script|link|img|iframe|source|video|audio)\b[^>]*?\s(src|href)=\"([^\"]+)\"",
                                         html):
            if tag == "link" and re.search(r'rel="(canonical|alternate)"', html[html.find(url) - 200:html.find(url)]):
                continue
            assert not re.match(r"^(https?:)?//", url), f"{page}: {tag} {url}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    css = "\n".join(p.read_text(encoding="utf-8") for p in sample_site.rglob("*.css"))
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)


def test_search_index_is_chunked_and_pages_do_not_load_it(sample_site: Path):
    """Pagefind's index is in pieces, and no page links the index or Material's whole-site index."""
    entry = json.loads((sample_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh"] and entry["languages"]["zh"]["page_count"] > 20
    assert len(list((sample_site / "pagefind/fragment").iterdir())) == entry["languages"]["zh"]["page_count"]
    assert not (sample_site / "search/search_index.json").exists()
    for page in ("index.html", "studios/jingzhun-yaoxue/index.html"):
        html = _html(sample_site, page)
        assert "pagefind" not in re.sub(r"data-pagefind-[a-z]+(=\"[^\"]*\")?", "", html), page
        assert 'data-md-component="search"' not in html and "search_index" not in html
        assert "\u200b" not in html


def test_studio_pages_outweigh_rule_documents(sample_site: Path):
    assert '<h1 data-pagefind-weight="10">精准药学创新工作室</h1>' in _html(sample_site, "studios/jingzhun-yaoxue/index.html")
    assert 'data-pagefind-weight="0.2"' in _html(sample_site, "studios/jingzhun-yaoxue/rules/xuexi/index.html")
    assert "data-pagefind-body" not in _html(sample_site, "search/index.html")  # the search page is not a result


def test_photos_carry_srcset_sizes_and_dimensions(sample_site: Path):
    from PIL import Image

    pages = ["studios/jingzhun-yaoxue/index.html", "studios/huli-gexin/index.html",
             "studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit/index.html"]
    seen = 0
    for page in pages:
        base = (sample_site / page).parent
        for tag, attrs in _elements(_html(sample_site, page)):
            a = dict(attrs)
            if tag != "img" or not a["src"].endswith(".jpg"):
                continue
            seen += 1
            assert a.get("width", "").isdigit() and a.get("height", "").isdigit(), (page, a)
            assert a.get("sizes"), (page, a)
            candidates = [c.strip().rsplit(" ", 1) for c in a["srcset"].split(",")]
            assert len(candidates) == 3
            for url, w in candidates:
                with Image.open(base / url) as im:
                    assert f"{im.width}w" == w, (page, url, im.size, w)  # descriptors are the real widths
            if a.get("fetchpriority") != "high":
                assert a.get("loading") == "lazy", (page, a)  # below the fold
    assert seen >= 3  # plaque, venue photo, activity photo
    studio = _html(sample_site, "studios/jingzhun-yaoxue/index.html")
    plaque = re.search(r'<figure class="inno-hero__plaque">.*?(<img[^>]*>)', studio).group(1)
    assert 'fetchpriority="high"' in plaque and "loading=" not in plaque  # the main image comes first


def _digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path, sample_site: Path):
    repo = copy_repo(REPO, tmp_path / "again")
    build_site(repo)
    first, second = _digest(sample_site), _digest(repo / "build" / "site")
    assert first.keys() == second.keys()
    index = {k for k in first if k.startswith("pagefind/")}  # the search index is compared too
    assert {"pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/pagefind-entry.json"} <= index
    assert any(k.startswith("pagefind/fragment/") for k in index) and any(k.startswith("pagefind/index/") for k in index)
    diff = [k for k in first if first[k] != second[k]]
    assert not diff, diff
    with gzip.open(repo / "build/site/sitemap.xml.gz") as fh:
        assert b"<lastmod>" + SAMPLE_AS_OF.encode() + b"</lastmod>" in fh.read()


def test_the_search_index_is_whole_when_the_build_writes_it(tmp_path: Path):
    """Pagefind's own WriteFiles replied before its files were all on disk, and its service exits when its
    input ends: on a busy machine a file came out cut short (pagefind-worker.js differed between two
    builds of one commit; 3 runs in 60 here, and this test failed 5 times in 5). The index is written by
    the Indexer, whole, before ``write`` returns: 24 indexes of the same pages, eight at a time (the
    machine kept busy), are the same bytes, and the runtime files are Pagefind's, whole."""
    from concurrent.futures import ThreadPoolExecutor

    from innostudio.render.search import Indexer

    pages = [(f"/studios/s{i}/", (f'<html lang="zh"><body><div data-pagefind-body><h1>工作室 {i}</h1>'
                                  f"<p>第 {i} 个创新工作室的成果：钙钛矿荧光探针阵列。</p></div></body></html>"))
             for i in range(40)]

    def index(n: int) -> dict[str, str]:
        indexer = Indexer()
        for url, html in pages:
            indexer.add(url, html)
        indexer.write(tmp_path / str(n) / "pagefind")
        return _digest(tmp_path / str(n) / "pagefind")

    with ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(index, range(24)))
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "pagefind-entry.json"} <= runs[0].keys()
    assert [n for n, run in enumerate(runs) if run != runs[0]] == []
    worker = (tmp_path / "0" / "pagefind" / "pagefind-worker.js").read_text(encoding="utf-8")
    assert worker.startswith('const pagefind_version="1.5.2";') and worker.rstrip().endswith("})();")  # whole


def test_photos_are_linked_from_the_encoder_cache_and_rebuilds_leave_it_alone(tmp_path: Path):
    """Published photos are hard links to the encoder's cache (nothing re-read or re-written); a rebuild,
    and a build with the cache gone, give the same bytes and never write through a link into the cache."""
    repo = copy_repo(BASE, tmp_path / "repo")
    build_site(repo, "2026-06-30")
    site, cache = repo / "build" / "site", repo / "build" / ".cache" / "photos"
    photos = sorted(p for p in site.rglob("*.jpg") if "/assets/" not in p.as_posix())
    assert photos and all(p.stat().st_nlink >= 2 for p in photos)
    cached = _digest(cache)
    published = _digest(site)
    build_site(repo, "2026-06-30")
    assert _digest(cache) == cached and _digest(site) == published
    shutil.rmtree(cache)
    build_site(repo, "2026-06-30")  # photos encoded again
    assert _digest(site) == published


def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    build_site(repo, "2026-06-30")
    before = _digest(repo / "build" / "site")
    edit(repo, "studios/alpha/studio.yml", "summary:", "sumary:")
    proc = build_site(repo, "2026-06-30", expect=1)
    assert "F002" in proc.stdout + proc.stderr and "Traceback" not in proc.stdout + proc.stderr
    assert _digest(repo / "build" / "site") == before
    assert not [p for p in (repo / "build").iterdir() if p.name.startswith(".site-")]


def _retired(build: Path) -> list[Path]:
    return sorted(p for p in build.iterdir() if p.name.startswith(".site.old-"))


def test_the_old_site_is_set_aside_and_deleted_by_the_next_build(tmp_path: Path):
    """A rebuild swaps the new site in and renames the old one aside; the next build deletes every leftover
    (its predecessor's, one a crash left half deleted, the site.old of earlier versions) before it ends,
    and leaves only the site it replaced."""
    repo = copy_repo(BASE, tmp_path / "repo")
    build = repo / "build"
    build_site(repo, "2026-06-30")
    first = _digest(build / "site")
    edit(repo, "studios/alpha/studio.yml", "summary: ", "summary: 新的简介。")
    build_site(repo, "2026-06-30")
    second = _digest(build / "site")
    assert second != first and "新的简介" in _html(build / "site", "studios/alpha/index.html")
    [aside] = _retired(build)
    assert _digest(aside / "site") == first
    crashed = build / ".site.old-crashed" / "site" / "studios"
    crashed.mkdir(parents=True)
    (crashed / "half.html").write_text("half deleted", encoding="utf-8")
    legacy = build / "site.old" / "assets"
    legacy.mkdir(parents=True)
    (legacy / "old.js").write_text("old", encoding="utf-8")
    outside = tmp_path / "not-a-leftover"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    (build / ".site.old-link").symlink_to(outside, target_is_directory=True)
    build_site(repo, "2026-06-30")
    assert _digest(build / "site") == second  # a rebuild of the same data: the same bytes
    [new] = [p for p in _retired(build) if not p.is_symlink()]  # the one this build set aside, nothing else
    assert new != aside and _digest(new / "site") == second
    assert not (build / "site.old").exists() and not aside.exists()
    assert (build / ".site.old-link").is_symlink()  # a link is neither followed nor removed
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_a_failed_build_keeps_the_site_and_still_deletes_leftovers(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    build_site(repo, "2026-06-30")
    build_site(repo, "2026-06-30")
    before = _digest(repo / "build" / "site")
    [aside] = _retired(repo / "build")
    edit(repo, "studios/alpha/studio.yml", "summary:", "sumary:")
    build_site(repo, "2026-06-30", expect=1)
    assert _digest(repo / "build" / "site") == before
    assert not aside.exists() and not _retired(repo / "build")
    assert not [p for p in (repo / "build").iterdir() if p.name.startswith(".site-")]


def test_where_no_background_deletion_is_used_the_old_site_goes_at_once(tmp_path: Path):
    """Windows (no child process deleting behind the build): the old site is deleted by the build that
    replaced it, and nothing is left aside."""
    repo = copy_repo(BASE, tmp_path / "repo")
    build_site(repo, "2026-06-30")
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text("import innostudio.render.publish as p\np.BACKGROUND = False\n",
                                             encoding="utf-8")
    env = dict(os.environ, INNOSTUDIO_AS_OF="2026-06-30", PYTHONPATH=str(inject))
    proc = subprocess.run([sys.executable, "-m", "innostudio", "build", "--root", str(repo)], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (repo / "build" / "site" / "index.html").is_file() and not _retired(repo / "build")


def test_search_indexer_failure_leaves_the_previous_site_untouched(tmp_path: Path, monkeypatch):
    """Pagefind indexes pages while they are written; if it dies midway, the build fails with its message
    and the published site (index included) stays as it was."""
    repo = copy_repo(BASE, tmp_path / "repo")
    build_site(repo, "2026-06-30")
    before = _digest(repo / "build" / "site")
    assert any(k.startswith("pagefind/fragment/") for k in before)
    edit(repo, "studios/alpha/studio.yml", "summary: ", "summary: 新的简介。")
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\nhead -c 20000 >/dev/null\necho 'index store unavailable' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    proc = build_site(repo, "2026-06-30", expect=1)
    out = proc.stdout + proc.stderr
    assert "Pagefind" in out and "index store unavailable" in out and "Traceback" not in out
    assert _digest(repo / "build" / "site") == before
    assert not [p for p in (repo / "build").iterdir() if p.name.startswith(".site-")]


def test_private_data_never_reaches_the_build(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    edit(repo, "studios/alpha/studio.yml", "  frontline: true\n  honors:",
         "  frontline: true\n  private: {phone_note: 私密备注甲乙丙, home: 住址丁戊己}\n  honors:")
    edit(repo, "studios/alpha/studio.yml", "    budget_yuan: 10000\n    spent_yuan: 2000\n    source: 学校专项经费",
         "    budget_yuan: 987654\n    spent_yuan: 123457\n    source: 保密经费来源庚辛")
    edit(repo, "studios/alpha/ledger/2026.yml", "summary: 学习新方法}", "summary: 学习新方法, private: {n: 活动私密壬癸}}")
    build_site(repo, "2026-06-30")
    site = repo / "build" / "site"
    secrets = ["私密备注甲乙丙", "住址丁戊己", "987654", "123457", "保密经费来源庚辛", "活动私密壬癸", "\"birth_year\"", "birth_year:",
               "1970", "1982", "1995", "1999"]
    checked = 0
    for p in site.rglob("*"):
        if p.is_file() and not _vendor(site, p):
            data = gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
            text = data.decode("utf-8", errors="replace")
            checked += 1
            for s in secrets:
                if "birth_year" in s and p.relative_to(site).as_posix() in EDITOR_SCHEMA:
                    continue
                assert s not in text, f"{s} leaked into {p.relative_to(site)}"
    assert checked > 20


def _vendor(site: Path, path: Path) -> bool:
    """A theme file copied unchanged from Material, or an editor file copied unchanged from the pinned
    npm packages (minified code may contain any number)."""
    import material

    rel = path.relative_to(site)
    candidates = [Path(material.__file__).parent / "templates" / rel]
    if rel.parts[0] == "admin":
        modules = Path(__file__).resolve().parent.parent / "node_modules"
        candidates += [modules / "decap-cms" / "dist" / rel.name, modules / "yaml" / "browser" / "dist" / rel.name]
    return any(o.is_file() and o.read_bytes() == path.read_bytes() for o in candidates)


# The editor's form schema names the fields (birth_year is a form field); no value may appear there.
EDITOR_SCHEMA = {"admin/config.yml", "admin/shapes.js"}


def test_data_values_are_escaped(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    edit(repo, "studios/alpha/achievements/a1.md", "title: 测试成果", "title: '<b>加粗</b> & \"引号\" {{ x }}'")
    edit(repo, "studios/alpha/studio.yml", "summary: 用于测试的虚构工作室。", "summary: '<i>斜体</i> <a href=x>链接</a>'")
    build_site(repo, "2026-06-30")
    site = repo / "build" / "site"
    page = (site / "studios/alpha/achievements/a1/index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;加粗&lt;/b&gt; &amp; " in page and "<b>加粗</b>" not in page
    assert "<title>&lt;b&gt;加粗&lt;/b&gt;" in page
    studio = (site / "studios/alpha/index.html").read_text(encoding="utf-8")
    assert "&lt;i&gt;斜体&lt;/i&gt;" in studio and "<i>斜体</i>" not in studio and "<a href=x>" not in studio
    cards = (site / "studios/index.html").read_text(encoding="utf-8")
    assert "<i>斜体</i>" not in cards


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.js></SCRIPT>", "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))", "<img src=x onerror=alert(1)>", "<iframe src=//evil></iframe>",
    "[x][r]\n\n[r]: javascript:alert(1)", "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
    "<svg onload=alert(1)>", "<form action=//evil><input></form>", "[x](&#106;avascript:alert(1))",
])
def test_sanitiser_removes_code_even_past_the_checker(attack: str):
    html = render_markdown(attack)
    for tag, attrs in _elements(html):
        assert tag not in {"script", "iframe", "form", "svg", "img", "object", "embed", "input"}, (attack, html)
        for name, value in attrs:
            assert not name.startswith("on"), (attack, html)
            assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I), (attack, html)


def _elements(html: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list]] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    P().feed(html)
    return found


def test_mkdocs_config_musts():
    cfg = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "python"))
    theme = cfg["theme"]
    assert theme["language"] == "zh" and theme["font"] is False
    assert "navigation.prune" in theme["features"]
    assert cfg["site_dir"] == "build/site"
    assert not cfg["plugins"]  # no Material search plugin: Pagefind indexes the built site
    assert "assets/innostudio-search.js" in cfg["extra_javascript"]


def test_generated_index_pages_have_no_edit_button(sample_site: Path):
    for page in ("studios/index.html", "stats/index.html", "achievements/index.html", "achievements/2026/index.html"):
        assert "content/studios/index.md" not in _html(sample_site, page)
        assert "md-content__button" not in _html(sample_site, page), page
    assert "md-content__button" in _html(sample_site, "policy/index.html")


def test_funding_wording_agrees_with_the_six_standards_matrix(base: Path):
    """S4's summary names the latest funding year; it says 有经费保障 only while S4.2 counts that year."""
    build_site(base, BASE_AS_OF)
    row = re.search(r'<tr class="is-met"[^>]*>(?:(?!</tr>).)*?有场地经费.*?</tr>',
                    (base / "build/site/studios/alpha/index.html").read_text(encoding="utf-8"), re.S)
    assert row and "有经费保障（2026 年度）" in row.group(0)
    build_site(base, "2028-06-30", warnings_ok=True)  # findings due to the late date (D002 ledger 2028); the only
    # funding record (2026) is now outside S4.2's window
    row = re.search(r'<tr class="is-unmet"[^>]*>(?:(?!</tr>).)*?有场地经费.*?</tr>',
                    (base / "build/site/studios/alpha/index.html").read_text(encoding="utf-8"), re.S)
    assert row and "未达标" in row.group(0)
    assert "有经费保障" not in row.group(0) and "最近经费为 2026 年度" in row.group(0)


def test_markdown_images_of_the_studio_are_shown_and_outside_ones_never_loaded(sample_site: Path, tmp_path: Path):
    # rules.md R008: a local image in an achievement body is shown on the page through the photo pipeline
    page = _html(sample_site, "studios/jingzhun-yaoxue/achievements/2026-standard/index.html")
    img = re.search(r'<img src="([^"]+)" alt="基层医院推广培训现场"[^>]*>', page)
    assert img is not None and img.group(1) == "../../thumbs/media/activity-2026.jpg"
    published = sample_site / "studios/jingzhun-yaoxue/thumbs/media/activity-2026.jpg"
    assert published.read_bytes()[:3] == b"\xff\xd8\xff"  # re-encoded, as every photo
    assert 'href="../../files/media/activity-2026.jpg"' in page
    # an image from another host is never loaded, even when a page is rendered without the checker
    repo = copy_repo(BASE, tmp_path / "repo")
    edit(repo, "studios/alpha/achievements/a1.md", "成果的公开介绍。",
         "成果的公开介绍。\n\n![外部](https://img.example.com/a.jpg)\n\n![标牌](media/plaque.jpg)")
    import datetime as dt

    from innostudio.check import run as check_run
    from innostudio.render.site import render_site
    from innostudio.render.view import SiteConfig

    outputs, _home = render_site(check_run(repo, dt.date(2026, 6, 30)), SiteConfig())
    html = next(o for o in outputs if o.path == "studios/alpha/achievements/a1.md").content
    assert "img.example.com" not in html and "外部" in html
    assert '<img src="../../thumbs/media/plaque.jpg" alt="标牌"' in html
    # and the checker stops the build on it (R008 is a data error)
    res = build_site(repo, BASE_AS_OF, expect=1)
    assert "R008" in res.stdout + res.stderr


def test_a_past_target_is_marked_as_past_and_judged_at_its_years_end(sample_site: Path):
    # union/policy.yml targets: 2025, 2-3 demonstration studios; the sample had none at the end of 2025
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _html(sample_site, "stats/index.html")))
    assert "2025 年的目标（已过期）" in text and "2025 年末有 0 个，没有达到目标（差 2 个）" in text
    assert "已推荐申报示范、尚未获评的 1 个" in text


def test_rule_pages_show_no_space_inside_a_chinese_sentence(sample_site: Path):
    """A rule's documentation is wrapped in its docstring; the page joins the lines, so no paragraph shows a
    space between two Chinese characters where the source broke the line."""
    for page in sorted((sample_site / "rules").glob("*/index.html")):
        for para in re.findall(r"<p>(.*?)</p>", page.read_text(encoding="utf-8"), re.S):
            assert not re.search(r"[\u4e00-\u9fff，。；：、）]\n[\u4e00-\u9fff（]", para), (page.parent.name, para[:80])
