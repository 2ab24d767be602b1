"""``innostudio federate``: read the members, build the portal into a temporary folder, swap it in."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .config import ConfigError, FederationConfig, load_config
from .exports import intake_csv, intake_xlsx, merged
from .pages import render_pages
from .reader import TIMEOUT, Member, MemberError, read_member
from .search import build_index
from .view import Portal, build_portal


@dataclass
class Result:
    code: int  # 0 built, 1 refused (strict, or no member), 2 bad CONFIG
    portal: Portal | None = None


def read_members(config_path: Path, cache: Path | None, err: TextIO, timeout: float = TIMEOUT
                 ) -> tuple[FederationConfig, list[Member], list[tuple[str, str, str]], list[MemberError]]:
    config, sources = load_config(config_path)
    members: list[Member] = []
    missing: list[tuple[str, str, str]] = []
    errors: list[MemberError] = []
    for mc in config.members:
        member, error = read_member(mc, sources.get(mc.id), cache, timeout)
        if error is not None:
            errors.append(error)
            if member is not None:
                err.write(f"{error.message()}；改用缓存中 {member.site.as_of.isoformat()} 的数据（标记为过期）\n")
            else:
                err.write(f"{error.message()}；此成员未纳入本次生成\n")
                missing.append((mc.id, mc.name, error.field))
        if member is not None:
            members.append(member)
    return config, members, missing, errors


def files_of(portal: Portal, members: list[Member]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    files.update(render_pages(portal))
    files.update(merged(portal, members))
    files.update(build_index(portal))
    files["recommended/recommended.csv"] = intake_csv(portal)
    files["recommended/recommended.xlsx"] = intake_xlsx(portal)
    return files


def write_atomic(out: Path, files: dict[str, str | bytes]) -> None:
    """Write ``files`` into a temporary folder beside ``out`` and swap it in; on failure ``out`` is untouched."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.tmp-"))
    try:
        for rel, content in sorted(files.items()):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8", newline="\n")
        os.chmod(tmp, 0o755)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def federate(config_path: Path, out: Path, as_of: dt.date, *, strict: bool = False, cache: Path | None = None,
             err: TextIO | None = None, timeout: float = TIMEOUT) -> Result:
    """Build the portal; the exit code and what was built. Messages (Chinese) go to ``err`` (stderr)."""
    err = err if err is not None else sys.stderr
    try:
        config, members, missing, errors = read_members(config_path, cache, err, timeout)
    except ConfigError as exc:
        err.write(f"{exc}\n")
        return Result(2)
    if strict and errors:
        err.write(f"--strict：{len(errors)} 个成员读取失败，未生成门户（原有输出保持不变）\n")
        return Result(1)
    if not members:
        err.write("没有任何成员可以读取，未生成门户\n")
        return Result(1)
    portal = build_portal(config, members, missing, as_of)
    write_atomic(out, files_of(portal, members))
    return Result(0, portal)
