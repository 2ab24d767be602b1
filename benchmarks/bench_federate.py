"""The provincial portal at scale: 50 members x 60 studios (3,000 studios) federated on this machine.

Prints, each with its method beside it:
- the federation build time (wall clock of ``innostudio federate`` in a child process) and its peak memory
  (the child's maximum resident set size, from ``getrusage(RUSAGE_CHILDREN)``);
- the portal's size and the search index's files;
- the bytes a first search fetches in a real browser: Chromium (Playwright) at 375 px opens the home page,
  a visitor types a query into the header's box until the first result shows; the server counts the
  bytes of every response body sent after typing began (gzipped where a host would gzip text, and the raw
  file sizes too). Target: <= 500 KB.

Members are synthetic (fictional names), written from the contract by tests/federation_data.py, with
10 achievements per studio, each with a summary. Usage: python benchmarks/bench_federate.py [--members 50]
[--studios 60] [--achievements 10] [--builds 2] [--pagefind] [--keep DIR]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
from bench_pages import send_gzipped  # noqa: E402 - the same gzip-as-a-host-would server
from federation_data import achievement, studio, write_member  # noqa: E402 - after the sys.path entry

AS_OF = "2026-11-30"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TEXT = ("text/", "application/javascript", "application/json")
CITIES = "济南青岛淄博枣庄东营烟台潍坊济宁泰安威海日照临沂德州聊城滨州菏泽"
KINDS = ["大学", "医学院", "职业技术学院", "师范学院", "理工大学", "农业大学", "中学", "实验小学"]
TOPICS = ["精准药学", "智能制造", "临床护理", "数字口腔", "新能源材料", "海洋生物", "智慧农业", "机器人", "大数据",
          "中医药", "高端装备", "化工安全", "现代物流", "乡村振兴", "基础教育", "体育康复", "水利工程", "集成电路"]
VERBS = ["攻关", "研制", "优化", "推广", "开发", "改进", "建立", "培养"]
THINGS = ["快速检测试剂盒", "教学案例库", "工艺流程", "实训平台", "质量标准", "评价体系", "专利技术", "课程资源"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅"


def _phrase(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)}{rng.choice(TOPICS)}{rng.choice(THINGS)}"


def make_province(root: Path, members: int, studios: int, achievements: int) -> Path:
    """Write ``members`` member folders and federation.yml under ``root``; returns the CONFIG."""
    rng = random.Random(24)
    lines = ["name: 合成省教育工会劳模和优秀人才创新工作室", "site_url: https://cx.example.gov.cn/",
             "extra: {icp: 鲁ICP备00000000号}", "members:"]
    for m in range(members):
        org = f"{CITIES[m % len(CITIES)]}{KINDS[m % len(KINDS)]}{m:02d}"
        mid, base = f"m{m:02d}", f"https://m{m:02d}.example.edu.cn/"
        items, works = [], []
        for i in range(studios):
            recs = [(f"{2024 + k}-04-0{1 + i % 9}", f"{org[:2]}工字〔{2024 + k}〕{i}号") for k in range(i % 3)] \
                if i % 10 == 0 else []
            s = studio(base, i, org=org, recommendations=recs,
                       name=f"{org}{rng.choice(TOPICS)}{rng.choice(SURNAMES)}{rng.choice(GIVEN)}创新工作室{i:02d}",
                       summary="；".join(_phrase(rng) for _ in range(4)))
            s["leader_name"] = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            items.append(s)
            works += [achievement(base, s, j, summary="，".join(_phrase(rng) for _ in range(3)))
                      for j in range(achievements)]
        write_member(root / mid, base, org, items, works)
        lines.append(f"  - {{id: {mid}, name: {org}工会, url: '{base}', source: {mid}}}")
    config = root / "federation.yml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def build(config: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak MB of one ``innostudio federate`` run in a child process."""
    exe = [sys.executable, "-m", "innostudio", "federate", str(config), "--out", str(out), "--as-of", AS_OF]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(exe, check=True, cwd=config.parent)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


class Counting(http.server.SimpleHTTPRequestHandler):
    """Serves files, gzipped where a web host would (text types), and adds up what it sends."""

    def log_message(self, *args: Any) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        sent = send_gzipped(self, path, TEXT)
        if sent is None:
            return None
        data, raw = sent
        with self.server.lock:  # type: ignore[attr-defined]
            self.server.log.append((self.path, len(data), raw))  # type: ignore[attr-defined]
        import io

        return io.BytesIO(data)


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(folder)))
    httpd.lock = threading.Lock()  # type: ignore[attr-defined]
    httpd.log = []  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def first_search(browser: Any, base: str, httpd: Any, query: str, expect: str) -> dict[str, Any]:
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                              has_touch=True, locale="zh-CN")
    pg = ctx.new_page()
    pg.goto(base)
    pg.wait_for_load_state("networkidle")
    page_log = list(httpd.log)
    box = pg.locator("form.fed-search input[name=q]")
    box.click()
    box.press_sequentially(query, delay=30)
    # the first result shows (a query found only in summaries shows titles without the query: wait for the count)
    pg.wait_for_function("t => { const r = document.querySelector('.fed-search__results');"
                         " return r.innerText.includes(t) || /^找到/.test(r.innerText); }", arg=expect, timeout=120_000)
    pg.wait_for_timeout(1500)  # requests started by the last keystrokes finish too (counted, conservatively)
    found = pg.locator(".fed-search__results .hits__status").inner_text()
    search_log = httpd.log[len(page_log):]
    ctx.close()
    httpd.log.clear()
    return {"query": query, "found": found, "page_gz": sum(x[1] for x in page_log),
            "page_raw": sum(x[2] for x in page_log), "search_gz": sum(x[1] for x in search_log),
            "search_raw": sum(x[2] for x in search_log), "requests": len(search_log),
            "index_on_load": any("/search/" in x[0] and x[0].endswith(".json") for x in page_log)}


def measure_search(out: Path, queries: list[tuple[str, str]]) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    httpd = serve(out)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for query, expect in queries:
            rows.append(first_search(browser, base, httpd, query, expect))
        browser.close()
    httpd.shutdown()
    return rows


PAGEFIND_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>pagefind</title></head>
<body><script>
window.run = async (q) => {
  const pf = await import("/pagefind/pagefind.js");
  const r = await pf.search(q);
  await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  return r.results.length;
};
</script></body></html>
"""


def pagefind_comparison(root: Path, queries: list[tuple[str, str]]) -> list[tuple[str, int, int, int]]:
    """The same records as one small page each in a Pagefind 1.5.2 index (the school site's search, via
    render/search.py's Indexer); a first search through Pagefind's own API (search, then the first 10
    results' data) in Chromium: (query, results, KB gz, KB raw)."""
    import datetime as dt
    import io
    from html import escape

    from playwright.sync_api import sync_playwright

    from innostudio.federate.build import read_members
    from innostudio.federate.search import _records as records_of
    from innostudio.federate.view import build_portal
    from innostudio.render.search import Indexer

    site = root / "pagefind-site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir()
    (site / "index.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    indexer = Indexer(exclude_selectors=[])
    config_path = root / "federation.yml"
    config, members, missing, _ = read_members(config_path, None, io.StringIO())
    portal = build_portal(config, members, missing, dt.date.fromisoformat(AS_OF))
    for number, (rec, text) in enumerate(records_of(portal)):  # the texts the portal's own index holds
        html = (f'<html lang="zh-CN"><body><div data-pagefind-body><h1>{escape(str(rec["t"]))}</h1>'
                f"<p>{escape(text)}</p></div></body></html>")
        indexer.add(f"/r/{number}/", html)
    indexer.write(site / "pagefind")
    httpd = serve(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for query, _ in queries:
            ctx = browser.new_context()
            pg = ctx.new_page()
            pg.goto(base)
            httpd.log.clear()  # type: ignore[attr-defined]
            found = pg.evaluate("q => window.run(q)", query)
            log = list(httpd.log)  # type: ignore[attr-defined]
            rows.append((query, found, sum(x[1] for x in log), sum(x[2] for x in log)))
            ctx.close()
        browser.close()
    httpd.shutdown()
    return rows


def folder_stats(out: Path) -> tuple[int, int, int, int]:
    files = [p for p in out.rglob("*") if p.is_file()]
    search = [p for p in files if p.relative_to(out).parts[0] == "search"]
    return len(files), sum(p.stat().st_size for p in files), len(search), max(p.stat().st_size for p in search)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=50)
    ap.add_argument("--studios", type=int, default=60)
    ap.add_argument("--achievements", type=int, default=10)
    ap.add_argument("--builds", type=int, default=2, help="timed builds (the best is printed first)")
    ap.add_argument("--pagefind", action="store_true", help="also measure Pagefind over the same records")
    ap.add_argument("--keep", help="write the members and the portal here (default: a temporary folder)")
    args = ap.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-federate-"))
    root.mkdir(parents=True, exist_ok=True)
    config = make_province(root, args.members, args.studios, args.achievements)
    out = root / "portal"
    total = args.members * args.studios
    print(f"province: {args.members} members x {args.studios} studios = {total} studios, "
          f"{total * args.achievements} achievements (synthetic, tests/federation_data.py)")
    runs = [build(config, out) for _ in range(args.builds)]
    times = ", ".join(f"{t:.2f}" for t, _ in runs)
    print(f"build time        {min(t for t, _ in runs):8.2f} s   (best of {args.builds}: {times} s; wall clock of "
          f"`innostudio federate` in a child process, Python start-up included; machine shared with other jobs; "
          f"load average {os.getloadavg()[0]:.1f})")
    print(f"peak memory       {max(m for _, m in runs):8.0f} MB  (children's max RSS, getrusage RUSAGE_CHILDREN)")
    n, size, n_search, biggest = folder_stats(out)
    print(f"portal            {n:8d} files, {size / 1e6:.1f} MB; search index {n_search} files, "
          f"largest {biggest / 1024:.0f} KB (raw)")
    mid = args.members // 2
    org = f"{CITIES[mid % len(CITIES)]}{KINDS[mid % len(KINDS)]}{mid:02d}"
    queries = [(f"{org}", org), ("创新工作室", "创新工作室"), ("快速检测试剂盒", "快速检测"), ("药", "药"),
               (f"工作室{args.studios // 2:02d}", f"工作室{args.studios // 2:02d}")]
    rows = measure_search(out, queries)
    print("first search (Chromium at 375 px, home page then typing; bytes counted by the server, response bodies, "
          "gzip where a host would / raw files):")
    print(f"  {'query':<16} {'home KB gz/raw':>15} {'search KB gz/raw':>17} {'requests':>9} "
          f"{'index on load':>14}  result")
    for r in rows:
        print(f"  {r['query']:<16} {r['page_gz'] / 1024:>7.0f}/{r['page_raw'] / 1024:<7.0f} "
              f"{r['search_gz'] / 1024:>8.0f}/{r['search_raw'] / 1024:<8.0f} {r['requests']:>9} "
              f"{'yes' if r['index_on_load'] else 'no':>14}  {r['found']}")
    worst = max(r["search_raw"] for r in rows)
    print(f"largest first search: {worst / 1024:.0f} KB raw (target <= 500 KB)")
    if args.pagefind:
        print("for comparison, Pagefind 1.5.2 over the same records (one small page each; Chromium, its JS API: "
              "search, then the first 10 results' data; each page holds the title and the text the portal's own "
              "index holds, so it is smaller than a full studio page would be):")
        for query, found, gz, raw in pagefind_comparison(root, queries):
            print(f"  {query:<16} {found:>6} results  {gz / 1024:>6.0f} KB gz / {raw / 1024:.0f} KB raw")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
