"""All benchmarks in one run, side by side: check vs the parse floor, build vs plain Material, and the
bytes a phone downloads with the chunked search and with Material's built-in search.

Usage: python benchmarks/bench_all.py [--check-sizes 300,1000] [--site-sizes 60,300] [--repeat 3]
[--lighthouse CMD]
(./run bench runs it). Figures go to stdout; the README's engineering section records a run.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def section(title: str, script: str, *args: str) -> None:
    print(f"\n== {title} ==", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check-sizes", default="300,1000")
    ap.add_argument("--site-sizes", default="60,300")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lighthouse", default="", help="a lighthouse command (e.g. /tmp/lh/node_modules/.bin/lighthouse);"
                    " without it the Lighthouse section is skipped (lighthouse is not a dependency)")
    a = ap.parse_args()
    section("check vs floor (read + parse every file, stat the rest)", "bench_check.py",
            "--sizes", a.check_sizes, "--repeat", str(a.repeat))
    section("build vs plain Material (same number of pages, Material search plugin)", "bench_site.py",
            "--sizes", a.site_sizes, "--repeat", str(max(1, a.repeat - 1)))
    section("phone bytes: studio page cold, then until the first search result (Chromium, 375 px, gzip)",
            "bench_pages.py", "--sizes", a.site_sizes)
    if a.lighthouse:
        section("Lighthouse mobile performance of the sample site as built (build/site)", "bench_lighthouse.py",
                "--lighthouse", a.lighthouse, "--repeat", str(a.repeat))


if __name__ == "__main__":
    main()
