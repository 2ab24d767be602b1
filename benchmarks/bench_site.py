"""Benchmark `innostudio build` against a plain Material build with as many Markdown pages.

Target: the innostudio build (with its Pagefind index) at or below a plain Material build (with
Material's search plugin) of as many pages (issue 23; it was 1.2x), at 300 studios; INNOSTUDIO_JOBS=1
measures the build on one process (by default a site of 400 pages or more is written on two); also peak
memory and the search index sizes. Each build runs in a fresh process (peak RSS of the child from
getrusage); the best of --repeat runs, interleaved, is kept. The baseline has our mkdocs.yml (theme,
features, extra, navigation); the earlier one (navigation of 首页 alone) is printed beside it as home s /
ratio1.
Usage: python benchmarks/bench_site.py [--sizes 60,300] [--repeat 2]
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import make  # noqa: E402

AS_OF = "2026-06-30"


def site_repo(n: int) -> Path:
    root = make(n, HERE / "out" / f"site-{n}")
    for name in ("content", "hooks", "overrides"):
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def plain_repo(n_pages: int, src: Path, home_only: bool = False) -> Path:
    """A plain Material site of n_pages ordinary Markdown pages: the same mkdocs.yml (theme, features,
    extra, validation, the same navigation: the entries our build generates point at plain pages instead)
    without the hooks, with Material's search plugin instead of Pagefind. ``home_only``: the baseline used
    until 2026-11-25, mkdocs.yml cut before its hooks (no extra) and a navigation of 首页 alone, which spares
    the plain build the rendering of the site's 16 navigation entries on every page."""
    root = HERE / "out" / f"plain-{n_pages}{'-home' if home_only else ''}"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "overrides", root / "overrides")
    for name in ("header.html", "search.html"):  # Material's own header and search box
        (root / "overrides" / "partials" / name).unlink()
    (root / "content" / "search.md").unlink()
    cfg = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = cfg.replace("plugins: []", "plugins:\n  - search").replace("  - assets/innostudio-search.js\n", "")
    if home_only:
        cfg = cfg.split("hooks:\n", 1)[0] + "validation:\n  nav:\n    omitted_files: ignore\n" + \
            "nav:\n  - 首页: index.md\n"
    else:
        cfg = _same_nav(cfg, root / "content", n_pages)
    (root / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    body = (src / "studios" / "studio-0000" / "achievements" / "a00.md").read_text(encoding="utf-8")
    body = body.split("---\n", 2)[2]
    for i in range(n_pages):
        folder = root / "content" / "pages" / f"p{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        rows = "\n".join(f"| 项目 {k} | 内容 {k} | 说明 {k} |" for k in range(12))
        (folder / f"page{i:05d}.md").write_text(
            f"# 页面 {i}：合成创新工作室成果\n\n{body}\n\n## 详细信息\n\n| 字段 | 值 | 备注 |\n|---|---|---|\n{rows}\n",
            encoding="utf-8")
    return root


def _same_nav(cfg: str, content: Path, n_pages: int) -> str:
    """mkdocs.yml without its hooks, its navigation pointing at plain pages where ours are generated."""
    cfg = re.sub(r"^hooks:\n(  .*\n)+", "", cfg, flags=re.M)
    head, rest = cfg.split("\nnav:\n", 1)
    end = re.match(r"(?:[ \t][^\n]*\n|\n)*", rest).end()  # the indented lines of the nav block
    nav_text, tail = rest[:end], rest[end:]
    generated = iter(f"pages/p000/page{i:05d}.md" for i in range(n_pages))
    nav = _plain_nav(yaml.safe_load(nav_text), content, generated)
    return head + "\n" + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False) + "\n" + tail


def _plain_nav(nav, content: Path, generated):
    """Our navigation, with each page our build generates replaced by a plain page."""
    if isinstance(nav, list):
        return [_plain_nav(x, content, generated) for x in nav]
    if isinstance(nav, dict):
        return {k: _plain_nav(v, content, generated) for k, v in nav.items()}
    return nav if (content / nav).is_file() else next(generated)


def build(root: Path, hooks: bool) -> tuple[float, float]:
    env = dict(os.environ, INNOSTUDIO_AS_OF=AS_OF, NO_MKDOCS_2_WARNING="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    cmd = [sys.executable, "-m", "innostudio", "build", "--root", str(root)] if hooks else \
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")]
    subprocess.run(cmd, cwd=root, env=env, check=True, capture_output=True)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024


def pages_of(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="60,300")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    print(f"{'studios':>8} {'pages':>6} {'plain s':>8} {'cold s':>7} {'inno s':>8} {'ratio':>6} {'home s':>7} "
          f"{'ratio1':>6} {'peak MB':>8} {'pagefind KB':>12} {'plain index KB':>15}")
    for n in (int(x) for x in args.sizes.split(",")):
        repo = site_repo(n)
        shutil.rmtree(repo / "build", ignore_errors=True)
        cold = build(repo, True)  # photos encoded from scratch
        # A build deletes the site its predecessor set aside (in a child process, while it renders): one
        # unmeasured build first, so that every measured one has that site to delete, as on a daily rebuild.
        build(repo, True)
        site = repo / "build" / "site"
        n_pages = pages_of(site)
        plain, home = plain_repo(n_pages, repo), plain_repo(n_pages, repo, home_only=True)
        runs: dict[str, list] = {"inno": [], "plain": [], "home": []}
        for _ in range(args.repeat):  # interleaved, so that a noisy minute hits all three alike
            runs["inno"].append(build(repo, True))  # photo cache warm
            runs["plain"].append(build(plain, False))
            runs["home"].append(build(home, False))
        inno = min(runs["inno"], default=cold)
        base, base1 = min(runs["plain"]), min(runs["home"])
        index = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) / 1024
        plain_index = (plain / "build" / "site" / "search" / "search_index.json").stat().st_size / 1024
        print(f"{n:>8} {n_pages:>6} {base[0]:>8.1f} {cold[0]:>7.1f} {inno[0]:>8.1f} {inno[0] / base[0]:>6.2f} "
              f"{base1[0]:>7.1f} {inno[0] / base1[0]:>6.2f} {inno[1]:>8.0f} {index:>12.0f} {plain_index:>15.0f}")
    print(f"method: wall time of each build in a fresh process, best of {args.repeat} interleaved runs; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (other jobs make times noisy); "
          f"INNOSTUDIO_JOBS={os.environ.get('INNOSTUDIO_JOBS', 'auto')} (1: the build on one process)")
    print("target: ratio <= 1.0, at or below plain Material for the same page count (issue 23; was 1.2) (inno s: photo cache warm, as on a daily rebuild; cold s: first\n"
          "build, every photo encoded; plain s: Material with our mkdocs.yml and navigation; home s / ratio1: the\n"
          "earlier baseline, a navigation of 首页 alone and no extra;"
          " peak MB is the largest child process so far; pagefind KB is the\n"
          "whole chunked index on disk, of which a search fetches a few pieces; plain index KB is the one file\n"
          "every page of a Material site fetches)")


if __name__ == "__main__":
    main()
