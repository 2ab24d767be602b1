"""Benchmark `innostudio check` against a floor that only reads and parses the same files.

Targets: check within 1.5x the floor at 300 studios (10 photos, 6 rule documents each), stretch 1.3x, on
an error-free corpus and on one where every studio has an error finding (--findings: an achievement type
that is not a code, as in a contributor's typo); peak memory (the checker or its largest loading process)
under 500 MB at 1,000 studios. Each measurement runs in a fresh process (peak RSS from getrusage) and is
repeated, floor and check interleaved; the best time of each is kept.
Usage: python benchmarks/bench_check.py [--sizes 300,1000] [--repeat 3] [--findings both|yes|no]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import make  # noqa: E402

FLOOR = r"""
import resource, sys, time, json
from pathlib import Path
import yaml
root = Path(sys.argv[1])
t, c = time.perf_counter(), time.process_time()
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
cpu = time.process_time() - c
print(json.dumps({"seconds": dt, "cpu_seconds": cpu, "files": n,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHECK = r"""
import resource, sys, time, json, datetime
from pathlib import Path
t0 = time.perf_counter()
from innostudio.check import run
def cpu():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
t, c = time.perf_counter(), cpu()
report = run(Path(sys.argv[1]), datetime.date(2026, 6, 30))
from innostudio.output import format_text
text = format_text(report)  # what the user waits for: the findings printed, not only found
dt, cpu_seconds = time.perf_counter() - t, cpu() - c
errors = sum(f.severity == "error" for f in report.findings)
assert report.exit_code == (1 if "findings" in sys.argv[1] else 0), [f for f in report.findings][:5]
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": dt, "cpu_seconds": cpu_seconds, "import_seconds": t - t0,
                  "findings": len(report.findings), "errors": errors, "rss_mb": rss / 1024}))
"""


def once(code: str, root: Path) -> dict:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout), process_seconds=time.perf_counter() - t)


def cli(root: Path) -> float:
    """`innostudio check` as a user runs it, timed from outside (interpreter start and imports included)."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "innostudio", "check", "--root", str(root), "--as-of", "2026-06-30"],
                   capture_output=True, check=False)
    return time.perf_counter() - t


def measure_pair(root: Path, repeat: int) -> tuple[dict, dict]:
    """Best of ``repeat`` runs each, floor and check interleaved so that machine noise hits both."""
    floor = check = None
    best_cli = float("inf")
    once(FLOOR, root)  # warm the page cache
    for _ in range(repeat):
        f, c = once(FLOOR, root), once(CHECK, root)
        best_cli = min(best_cli, cli(root))
        floor = f if floor is None or f["seconds"] < floor["seconds"] else floor
        check = c if check is None or c["seconds"] < check["seconds"] else check
        floor["process_seconds"] = min(floor["process_seconds"], f["process_seconds"])
        floor["cpu_seconds"] = min(floor["cpu_seconds"], f["cpu_seconds"])
        check["cpu_seconds"] = min(check["cpu_seconds"], c["cpu_seconds"])
    assert floor is not None and check is not None
    check["cli_seconds"] = best_cli
    return floor, check


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="300,1000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--findings", choices=("both", "yes", "no"), default="both")
    args = ap.parse_args()
    print("method: wall time in a fresh process, best of --repeat runs each, floor and check interleaved; "
          f"repeat={args.repeat}; check = innostudio.check.run + the text report (not the import)")
    print(f"{'studios':>8} {'corpus':>14} {'files':>6} {'errors':>6} {'floor s':>8} {'check s':>8} {'ratio':>6} "
          f"{'floor MB':>9} {'check MB':>9} {'outside: floor s':>17} {'cli s':>6} {'ratio':>6} {'CPU ratio':>9}")
    kinds = {"both": (False, True), "yes": (True,), "no": (False,)}[args.findings]
    for n in (int(x) for x in args.sizes.split(",")):
        for findings in kinds:
            root = HERE / "out" / (f"corpus-{n}-findings" if findings else f"corpus-{n}")
            if not (root / "union" / "decisions.yml").is_file():  # deterministic: made once, reused
                make(n, root, findings=findings)
            floor, check = measure_pair(root, args.repeat)
            ratio = check["seconds"] / floor["seconds"]
            label = "1 error/studio" if findings else "error-free"
            print(f"{n:>8} {label:>14} {floor['files']:>6} {check['errors']:>6} {floor['seconds']:>8.2f} "
                  f"{check['seconds']:>8.2f} {ratio:>6.2f} {floor['rss_mb']:>9.0f} {check['rss_mb']:>9.0f} "
                  f"{floor['process_seconds']:>17.2f} {check['cli_seconds']:>6.2f} "
                  f"{check['cli_seconds'] / floor['process_seconds']:>6.2f} "
                  f"{check['cpu_seconds'] / floor['cpu_seconds']:>9.2f}", flush=True)
    print("floor: read + PyYAML CSafeLoader parse of every .yml and front matter, stat of every other file")
    print("CPU ratio: user+sys seconds of check (both its processes) over the floor's: all the work done, "
          "whichever core did it; less sensitive to other jobs on a shared machine than wall time")
    print("outside: the whole process timed by the caller (interpreter start and imports included), "
          "floor script vs `python -m innostudio check --root DIR`")
    print("targets: ratio <= 1.5 (stretch 1.3) at 300 studios, also with an error in every studio; "
          "check peak memory < 500 MB at 1000 studios")


if __name__ == "__main__":
    main()
