"""What a lead's browser downloads to open the editor: the size of each ``config.yml`` the build writes.

Forms.md (contract v3) asks for one editor per studio, ``/admin/<slug>/``, with a configuration of that
studio's collections only, and none above 150 KB at 300 studios. Prints, for synthetic repositories of
N studios (benchmarks/corpus.py): the single configuration that held every studio before (what
``innostudio cms-config`` prints), the largest and the median studio configuration, the union's, and
the union page's list of editors; raw and gzipped (as a web host sends it). Usage:
python benchmarks/bench_editor.py [--sizes 6,60,300]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))
from corpus import make  # noqa: E402
from innostudio import cms  # noqa: E402
from innostudio.admin import _BlockYaml, dump_config  # noqa: E402
from innostudio.corpus import load_repo  # noqa: E402

AS_OF = dt.date(2026, 6, 30)
FORGE = {"kind": "gitlab", "base_url": "https://git.example.edu.cn", "repo": "union/innostudio", "app_id": "x"}
LIMIT = 150 * 1024


def kb(text: str) -> str:
    raw = text.encode("utf-8")
    return f"{len(raw) / 1024:7.1f} KB ({len(gzip.compress(raw, 9)) / 1024:5.1f} KB gz)"


def measure(root: Path) -> dict:
    repo = load_repo(root)
    start = time.perf_counter()
    writer = _BlockYaml()  # as the build writes them (admin.write_admin)
    studios = {f.slug: dump_config(cms.studio_config(f, FORGE, AS_OF), writer=writer) for f in repo.studios}
    union = dump_config(cms.union_config(repo, FORGE, AS_OF), anchors=True)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    combined = dump_config(cms.config(repo, FORGE, AS_OF))
    before = time.perf_counter() - start
    sizes = sorted((len(t.encode("utf-8")), slug) for slug, t in studios.items())
    return {"n": len(studios), "combined": combined, "largest": studios[sizes[-1][1]],
            "median": statistics.median(s for s, _ in sizes), "union": union, "seconds": seconds, "before": before,
            "max_bytes": max(sizes[-1][0], len(union.encode("utf-8")))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="6,60,300")
    args = parser.parse_args()
    worst = 0
    print("studios | before: one config.yml        | largest studio config.yml     | median studio | union config.yml"
          "              | written in (before)")
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            r = measure(make(n, Path(tmp) / "repo"))
        worst = max(worst, r["max_bytes"])
        print(f"{r['n']:7d} | {kb(r['combined'])} | {kb(r['largest'])} | {r['median'] / 1024:8.1f} KB | "
              f"{kb(r['union'])} | {r['seconds']:.2f} s ({r['before']:.2f} s)")
    verdict = "within" if worst <= LIMIT else "ABOVE"
    print(f"largest config.yml a browser fetches: {worst / 1024:.1f} KB, {verdict} the 150 KB limit")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
