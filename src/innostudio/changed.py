"""`check --changed-since REF`: a pull request is judged by what it introduced (rules.md, "Output of check").

The same rules run on REF's tree as of the same date. An error fails the change only when it is absent
there, matched by code, path and record (the entry it is about: a list item by its id, name, title or
studio and date; never by line, since an edit above it moves it). So a lead is never blocked by a union
record or by time passing (an overdue rectification, activities decaying out of the window), and is
blocked when the change itself breaks something, a standard included (a team that drops below the
minimum). A renamed member is reported in the achievements that still name the old one. Warnings and
info are shown for the files the change touches.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .check import Report, run
from .corpus import Repo
from .load import YList, YMap


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


_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ID_KEYS = ("id", "name", "title", "studio")


def _records(repo: Repo) -> dict[str, list[tuple[int, str]]]:
    """For each YAML file: (first line, identity) of every item of its top-level lists, in file order."""
    out: dict[str, list[tuple[int, str]]] = {}
    for doc in repo.all_docs():
        data = doc.data
        if not isinstance(data, YMap):
            continue
        items = []
        for key, value in data.items():
            if not isinstance(value, YList):
                continue
            for i, item in enumerate(value):
                ident = ""
                if isinstance(item, YMap):
                    ident = "|".join(str(item.get(k)) for k in _ID_KEYS if item.get(k) is not None)
                    if item.get("date") is not None:
                        ident += f"|{item.get('date')}"
                items.append((value.ipos[i][0], f"{key}:{ident or i}"))
        out[doc.path] = sorted(items)
    return out


def _record(records: dict[str, list[tuple[int, str]]], f) -> str:
    """The entry a finding is about: the list item its line falls in, else the whole file."""
    rec = ""
    for line, ident in records.get(f.path or "", ()):
        if f.line is None or line > f.line:
            break
        rec = ident
    return rec


def _key(f, records) -> tuple:
    # numbers in a message are counts and figures that any edit may move ("only 2 activities" → 3)
    message = _DIGITS.sub("#", f.message)
    if f.code.startswith("S") and f.studio:
        # a standard is about the studio as a whole: the file it points at may move (S6.2 points at the
        # newest ledger, which a new year's file replaces)
        return (f.code, f"studios/{f.studio}", "", message)
    return (f.code, f.path, _record(records, f), message)


def _extract(archive: bytes, dest: str) -> None:
    """Extract REF's tree safely. A link that leaves the tree (an absolute symlink, ``../..``) is not followed
    while extracting; symlinks are re-created afterwards exactly as committed, so the base is checked as it
    is (R002 on both sides), and nothing is ever written through them."""
    links: list[tarfile.TarInfo] = []

    def keep(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
        try:
            return tarfile.data_filter(member, path)
        except tarfile.FilterError:
            if member.issym():
                links.append(member)
            return None  # skipped: a link out of the tree, or a name that would escape it

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter=keep)
        else:  # Python < 3.11.4: no extraction filters; keep plain files and folders with in-tree names
            def inside(name: str) -> bool:
                return not os.path.isabs(name) and ".." not in Path(name).parts

            links += [m for m in tar.getmembers() if m.issym() and inside(m.name)]
            tar.extractall(dest, [m for m in tar.getmembers() if (m.isfile() or m.isdir()) and inside(m.name)])  # noqa: S202
    top = os.path.realpath(dest)
    for member in links:
        target = os.path.join(dest, member.name)
        parent = os.path.realpath(os.path.dirname(target))
        if (parent == top or parent.startswith(top + os.sep)) and not os.path.lexists(target):
            os.symlink(member.linkname, os.path.join(parent, os.path.basename(target)))


def check_changed(root: Path, ref: str, as_of: dt.date, lang: str) -> tuple[Report, set[str]]:
    """Return the current report reduced to the change's findings, and the changed files."""
    prefix = _prefix(root)
    changed = changed_files(root, ref, prefix)
    report = run(root, as_of, lang)
    archive = _git(root, "archive", "--format=tar", ref, "--", ".") if prefix == "" else \
        _git(root, "archive", "--format=tar", f"{ref}:{prefix}")
    with tempfile.TemporaryDirectory(prefix="innostudio-base-") as tmp:
        _extract(archive, tmp)
        base = run(Path(tmp), as_of, lang)
        base_records = _records(base.repo)
        before = {_key(f, base_records) for f in base.findings if f.severity == "error"}
    records = _records(report.repo)

    def touched_by_change(f) -> bool:  # a file changed, or a folder holding one (S6.3 points at achievements/)
        return f.path in changed or any(c.startswith((f.path or "\0") + "/") for c in changed)

    report.findings = [f for f in report.findings
                       if (f.severity == "error" and _key(f, records) not in before)
                       or (f.severity != "error" and touched_by_change(f))]
    touched = {p.split("/")[1] for p in changed if p.startswith("studios/") and p.count("/") >= 1}
    return report, touched
