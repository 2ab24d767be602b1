"""Bytes a phone downloads: a studio page, cold, then typing a query until the first result shows.

Compares the site as built (Pagefind, loaded only once the visitor searches) with the same site built
with Material's built-in search (its whole-site index fetched by every page). Chromium (Playwright) at
375 px, device pixel ratio 2; the site is served by a local server that gzips text as a web host would,
and the bytes are counted on the server (response bodies). Usage:
python benchmarks/bench_pages.py [--sizes 60,300,1000] [--material yes|no]
(--material no skips the comparison build with Material's search, the slow half at 1,000 studios)
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import make  # noqa: E402

AS_OF = "2026-06-30"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TEXT = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


def send_gzipped(handler: http.server.SimpleHTTPRequestHandler, path: str,
                 text: tuple[str, ...] = TEXT) -> tuple[bytes, int] | None:
    """Send the headers for the file at ``path`` as a web host would: gzipped for the ``text`` content types when
    the browser accepts it. Returns (the body to send, the file's own size), or None after a 404."""
    if not os.path.isfile(path):
        handler.send_error(404)
        return None
    with open(path, "rb") as fh:
        data = fh.read()
    raw = len(data)
    ctype = handler.guess_type(path)
    handler.send_response(200)
    handler.send_header("Content-Type", ctype)
    if ctype.startswith(text) and "gzip" in handler.headers.get("Accept-Encoding", ""):
        data = gzip.compress(data, 6, mtime=0)
        handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    return data, raw


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzipped where a host would (text types) and adds up the bytes sent."""

    def log_message(self, *args):
        pass

    def send_head(self):  # noqa: D401 - same contract as the base class
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()
            path = os.path.join(path, "index.html")
        sent = send_gzipped(self, path)
        if sent is None:
            return None
        data = sent[0]
        with self.server.lock:
            self.server.sent += len(data)
            self.server.urls.append(self.path)
        import io

        return io.BytesIO(data)


def serve(site: Path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(site)))
    httpd.sent, httpd.urls, httpd.lock = 0, [], threading.Lock()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def site_repo(n: int, material_search: bool) -> Path:
    """The synthetic repository with the project's site configuration; optionally the old set-up:
    Material's search plugin, Material's own header and search box, no Pagefind script."""
    root = make(n, HERE / "out" / (f"pages-material-{n}" if material_search else f"pages-{n}"))
    for name in ("content", "hooks", "overrides"):
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
    cfg = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if material_search:
        cfg = cfg.replace("plugins: []", "plugins:\n  - search").replace("  - assets/innostudio-search.js\n", "")
        for name in ("header.html", "search.html"):
            (root / "overrides" / "partials" / name).unlink()
        (root / "content" / "search.md").unlink()
    (root / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    env = dict(os.environ, INNOSTUDIO_AS_OF=AS_OF)
    subprocess.run([sys.executable, "-m", "innostudio", "build", "--root", str(root)], cwd=root, env=env, check=True,
                   capture_output=True)
    return root / "build" / "site"


LCP = """() => new Promise(done => {
  let last = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) last = e.startTime; })
    .observe({type: "largest-contentful-paint", buffered: true});
  setTimeout(() => done(last), 300);
})"""


def measure(browser, site: Path, page: str, query: str, expect: str, material: bool) -> dict:
    httpd = serve(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                              has_touch=True, locale="zh-CN")
    pg = ctx.new_page()
    pg.goto(base + page)
    pg.wait_for_load_state("networkidle")
    lcp = pg.evaluate(LCP)
    page_bytes, page_urls = httpd.sent, list(httpd.urls)
    pg.locator("label.md-header__button[for=__search]").click()
    box = pg.locator(".md-search__input")
    box.press_sequentially(query, delay=30)
    if material:
        box.press("End")  # Material searches on keyup; an input method's text arrives without one
    pg.wait_for_function("() => document.querySelector('.md-search-result__item')", timeout=120_000)
    pg.wait_for_timeout(2000)  # requests started by the last keystrokes finish too (counted, conservatively)
    first = pg.locator(".md-search-result__item").first.inner_text().replace("\u200b", "")
    total = httpd.sent
    ctx.close()
    httpd.shutdown()
    return {"page_kb": page_bytes / 1024, "total_kb": total / 1024, "lcp_ms": lcp, "first_is_studio": expect in first,
            "index_on_load": any("search_index" in u or "/pagefind/" in u for u in page_urls),
            "sitemap_on_load": any("sitemap.xml" in u for u in page_urls)}


def run(sizes: list[int], material_too: bool = True) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for n in sizes:
            k = n // 2
            page, query, expect = f"studios/studio-{k:04d}/", f"合成创新工作室{k:04d}", f"合成创新工作室{k:04d}"
            for material in ((False, True) if material_too else (False,)):
                site = site_repo(n, material)
                r = measure(browser, site, page, query, expect, material)
                r.update(studios=n, search="Material (whole index)" if material else "Pagefind (chunked)")
                rows.append(r)
        browser.close()
    return rows


def print_rows(rows: list[dict]) -> None:
    print(f"{'studios':>8} {'search':<24} {'page KB':>8} {'+first result KB':>17} {'LCP ms':>7} "
          f"{'index on load':>14} {'sitemap on load':>16} {'1st result = studio':>20}")
    for r in rows:
        print(f"{r['studios']:>8} {r['search']:<24} {r['page_kb']:>8.0f} {r['total_kb']:>17.0f} {r['lcp_ms']:>7.0f} "
              f"{'yes' if r['index_on_load'] else 'no':>14} {'yes' if r['sitemap_on_load'] else 'no':>16} "
              f"{'yes' if r['first_is_studio'] else 'no':>20}")
    print("method: Chromium (Playwright) at 375x812 px, DPR 2, cold cache; bytes counted on a local server that gzips "
          "text (response bodies); 'page' = a studio page until network idle, '+first result' = then typing the "
          "studio's name in the search box until the first result shows, plus 2 s")
    print("targets at 300 studios: studio page <= 400 KB cold; page + first result <= 500 KB (gzip, 375 px phone); "
          "at 1,000 studios: page + first result <= 400 KB (stretch 300 KB)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="60,300")
    ap.add_argument("--material", choices=("yes", "no"), default="yes")
    args = ap.parse_args()
    print_rows(run([int(x) for x in args.sizes.split(",")], args.material == "yes"))


if __name__ == "__main__":
    main()
