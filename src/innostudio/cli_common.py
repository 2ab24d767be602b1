"""What every command of the command line shares: the repository it works on, and usage errors."""
from __future__ import annotations

from pathlib import Path


class UsageError(Exception):
    pass


def find_root(start: Path) -> Path:
    """The nearest folder upward from ``start`` that holds mkdocs.yml."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    raise UsageError(f"在 {start} 及其上级目录中找不到 mkdocs.yml：请在仓库内运行，或用 --root 指定仓库目录")


def _root(args) -> Path:
    if args.root:
        root = Path(args.root)
        if not (root / "mkdocs.yml").is_file():
            raise UsageError(f"{root} 不是仓库目录（没有 mkdocs.yml）")
        return root.resolve()
    return find_root(Path.cwd())


def _filter_paths(root: Path, paths: list[str]) -> list[str]:
    out = []
    for p in paths:
        full = Path(p).resolve() if not Path(p).is_absolute() else Path(p)
        try:
            rel = full.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{p} 不在仓库 {root} 内") from None
        if not full.exists():
            raise UsageError(f"{p} 不存在")
        out.append("" if rel == "." else rel)
    return out
