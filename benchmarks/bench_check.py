"""Benchmark `innostudio check` against a floor that only reads and parses the same files.

Targets: check within 1.5x the floor at 300 studios (10 photos, 6 rule documents each); peak memory
(the checker or its largest loading process) under 500 MB at 1,000 studios. Each measurement runs in a fresh process (peak RSS from getrusage) and is repeated;
the best time is kept. Usage: python benchmarks/bench_check.py [--sizes 300,1000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import make  # noqa: E402

FLOOR = r"""
import resource, sys, time, json
from pathlib import Path
import yaml
root = Path(sys.argv[1])
t = time.perf_counter()
n = 0
for p in sorted((root / "studios").rglob("*")):
    if p.suffix == ".yml":
        yaml.load(p.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader); n += 1
    elif p.suffix == ".md":
        text = p.read_text(encoding="utf-8-sig"); n += 1
        if text.startswith("---"):
            yaml.load(text.split("\n---", 1)[0][4:], Loader=yaml.CSafeLoader)
    elif p.is_file():
        p.stat(); n += 1
for p in sorted((root / "union").rglob("*.yml")):
    yaml.load(p.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader); n += 1
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "files": n, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHECK = r"""
import resource, sys, time, json, datetime
from pathlib import Path
t0 = time.perf_counter()
from innostudio.check import run
t = time.perf_counter()
report = run(Path(sys.argv[1]), datetime.date(2026, 6, 30))
dt = time.perf_counter() - t
assert report.exit_code == 0, [f for f in report.findings][:5]
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": dt, "import_seconds": t - t0, "findings": len(report.findings), "rss_mb": rss / 1024}))
"""


def once(code: str, root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def measure_pair(root: Path, repeat: int) -> tuple[dict, dict]:
    """Best of ``repeat`` runs each, floor and check interleaved so that machine noise hits both."""
    floor = check = None
    once(FLOOR, root)  # warm the page cache
    for _ in range(repeat):
        f, c = once(FLOOR, root), once(CHECK, root)
        floor = f if floor is None or f["seconds"] < floor["seconds"] else floor
        check = c if check is None or c["seconds"] < check["seconds"] else check
    return floor, check


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="300,1000")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"{'studios':>8} {'files':>6} {'floor s':>8} {'check s':>8} {'ratio':>6} {'floor MB':>9} {'check MB':>9}")
    for n in (int(x) for x in args.sizes.split(",")):
        root = HERE / "out" / f"corpus-{n}"
        if not (root / "union" / "decisions.yml").is_file():  # deterministic: made once, reused
            make(n, root)
        floor, check = measure_pair(root, args.repeat)
        ratio = check["seconds"] / floor["seconds"]
        print(f"{n:>8} {floor['files']:>6} {floor['seconds']:>8.2f} {check['seconds']:>8.2f} {ratio:>6.2f} "
              f"{floor['rss_mb']:>9.0f} {check['rss_mb']:>9.0f}")
    print("targets: ratio <= 1.5 at 300 studios; check peak memory < 500 MB at 1000 studios")


if __name__ == "__main__":
    main()
