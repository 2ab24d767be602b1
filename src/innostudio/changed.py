"""`check --changed-since REF`: the findings of a change, not of the whole repository.

Reported: every finding in a file changed since REF (committed, staged, unstaged or new), plus every
finding elsewhere that the change introduced (it is absent when the same rules run on REF's tree). A
renamed member, for instance, is reported in the achievements that still name the old one.
"""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .check import Report, run


class GitError(Exception):
    pass


def _git(root: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("找不到 git 命令") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} 失败")
    return proc.stdout


def _prefix(root: Path) -> str:
    """Where ``root`` stands inside the git work tree ('' at its top, else 'sub/dir/')."""
    return _git(root, "rev-parse", "--show-prefix").decode().strip()


def changed_files(root: Path, ref: str, prefix: str) -> set[str]:
    names = _git(root, "diff", "--name-only", "-z", "--no-renames", ref, "--", ".").split(b"\0")
    names += _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".").split(b"\0")
    out = set()
    for raw in names:
        name = raw.decode("utf-8", "surrogateescape")
        if not name:
            continue
        if prefix and name.startswith(prefix):
            name = name[len(prefix):]
        out.add(name)
    return out


def _key(f) -> tuple:
    return (f.code, f.path, f.line, f.column, f.message)


def check_changed(root: Path, ref: str, as_of: dt.date, lang: str) -> tuple[Report, set[str]]:
    """Return the current report reduced to the change's findings, and the changed files."""
    prefix = _prefix(root)
    changed = changed_files(root, ref, prefix)
    report = run(root, as_of, lang)
    archive = _git(root, "archive", "--format=tar", ref, "--", ".") if prefix == "" else \
        _git(root, "archive", "--format=tar", f"{ref}:{prefix}")
    with tempfile.TemporaryDirectory(prefix="innostudio-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            try:
                tar.extractall(tmp, filter="data")
            except TypeError:  # Python < 3.11.4: no extraction filters (git archive output is trusted)
                tar.extractall(tmp)  # noqa: S202
        before = {_key(f) for f in run(Path(tmp), as_of, lang).findings}
    # a finding on a changed file, or on a folder holding one (S6.3 points at achievements/), or a new one
    report.findings = [f for f in report.findings
                       if f.path in changed or any(c.startswith((f.path or "\0") + "/") for c in changed)
                       or _key(f) not in before]
    touched = {p.split("/")[1] for p in changed if p.startswith("studios/") and p.count("/") >= 1}
    return report, touched
