"""Benchmark `innostudio check` against a floor that only reads and parses the same files.

Targets (issue: foundation): check within 2.0x the floor at 300 studios; peak memory under 500 MB at
1,000 studios. Each measurement runs in a fresh process (peak RSS from getrusage) and is repeated;
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
    elif p.suffix == ".md" and p.parent.name == "achievements":
        text = p.read_text(encoding="utf-8-sig")
        yaml.load(text.split("\n---", 1)[0][4:], Loader=yaml.CSafeLoader); n += 1
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
print(json.dumps({"seconds": dt, "import_seconds": t - t0, "findings": len(report.findings),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(code: str, root: Path, repeat: int) -> dict:
    best = None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True)
        res = json.loads(out.stdout)
        if best is None or res["seconds"] < best["seconds"]:
            best = res
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="300,1000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{'studios':>8} {'files':>6} {'floor s':>8} {'check s':>8} {'ratio':>6} {'floor MB':>9} {'check MB':>9}")
    for n in (int(x) for x in args.sizes.split(",")):
        root = make(n, HERE / "out" / f"corpus-{n}")
        floor = measure(FLOOR, root, args.repeat)
        check = measure(CHECK, root, args.repeat)
        ratio = check["seconds"] / floor["seconds"]
        print(f"{n:>8} {floor['files']:>6} {floor['seconds']:>8.2f} {check['seconds']:>8.2f} {ratio:>6.2f} "
              f"{floor['rss_mb']:>9.0f} {check['rss_mb']:>9.0f}")
    print("targets: ratio <= 2.0 at 300 studios; check peak memory < 500 MB at 1000 studios")


if __name__ == "__main__":
    main()
