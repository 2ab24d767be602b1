"""Reading a member: its ``/api/*.json`` from a local ``source`` folder or over HTTPS from its ``url``,
validated against :mod:`.schema`; with a cache folder, the last valid copy of a member that cannot be read
now (marked stale)."""
from __future__ import annotations

import json
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .config import MemberConfig, check_url, reason
from .schema import DOCUMENTS, AchievementsDoc, SiteDoc, StudiosDoc

TIMEOUT = 20.0  # seconds per request
MAX_BYTES = 64 << 20  # a member's document larger than this is refused


class MemberError(Exception):
    """A member cannot be used: ``reason`` (Chinese) and the ``field`` (document and path) concerned."""

    def __init__(self, member: str, reason: str, field: str = ""):
        super().__init__(f"{member}: {field} {reason}")
        self.member, self.reason, self.field = member, reason, field

    def message(self) -> str:
        where = f"（字段 {self.field}）" if self.field else ""
        return f"成员 {self.member}：{self.reason}{where}"


@dataclass
class Member:
    config: MemberConfig
    site: SiteDoc
    studios: StudiosDoc
    achievements: AchievementsDoc
    stale: bool = False  # read from the cache: the member could not be read now
    error: str = ""  # why it is stale


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an address the CONFIG could name (https, or http on 127.0.0.1)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            check_url(newurl, fetch=True)
        except ValueError as exc:
            raise urllib.error.URLError(f"重定向到 {newurl}：{exc}") from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_Redirects)


def _fetch(url: str, member: str, name: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "innostudio-federate"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:  # its scheme was checked with the CONFIG
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise MemberError(member, f"读取 {url} 失败：HTTP {exc.code}", f"api/{name}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        why = getattr(exc, "reason", exc)
        raise MemberError(member, f"读取 {url} 失败：{why}", f"api/{name}") from None
    if len(data) > MAX_BYTES:
        raise MemberError(member, f"文件超过 {MAX_BYTES >> 20} MB", f"api/{name}")
    return data


def read_raw(config: MemberConfig, source: Path | None, timeout: float = TIMEOUT) -> dict[str, bytes]:
    """The member's three documents as bytes, from ``source`` or its URL."""
    out: dict[str, bytes] = {}
    for name in DOCUMENTS:
        if source is not None:
            path = source / "api" / name
            try:
                if path.stat().st_size > MAX_BYTES:
                    raise MemberError(config.id, f"文件超过 {MAX_BYTES >> 20} MB", f"api/{name}")
                out[name] = path.read_bytes()
            except OSError as exc:
                raise MemberError(config.id, f"无法读取 {path}：{exc.strerror or exc}", f"api/{name}") from None
        else:
            out[name] = _fetch(config.url + "api/" + name, config.id, name, timeout)
    return out


def _where(name: str, loc: tuple[Any, ...]) -> str:
    out = f"api/{name}"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def validate(config: MemberConfig, raw: dict[str, bytes]) -> Member:
    """The member's validated documents, or :class:`MemberError` naming the first bad field."""
    docs: dict[str, Any] = {}
    for name, model in DOCUMENTS.items():
        try:
            data = json.loads(raw[name].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise MemberError(config.id, f"不是有效的 JSON：{exc}", f"api/{name}") from None
        if isinstance(data, dict) and data.get("schema_version") not in (None, 1):
            raise MemberError(config.id, f"不支持的 schema_version {data.get('schema_version')!r}（本程序读取 1）",
                              f"api/{name}.schema_version")
        try:
            docs[name] = model.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise MemberError(config.id, reason(err), _where(name, tuple(err["loc"]))) from None
    return Member(config, docs["site.json"], docs["studios.json"], docs["achievements.json"])


def save_cache(cache: Path, member_id: str, raw: dict[str, bytes]) -> None:
    """Keep ``raw`` as the member's last valid copy (each file replaced atomically)."""
    folder = cache / member_id
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in raw.items():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / name)


def load_cache(cache: Path, config: MemberConfig) -> Member | None:
    """The member's last valid copy in ``cache``, or None."""
    folder = cache / config.id
    try:
        raw = {name: (folder / name).read_bytes() for name in DOCUMENTS}
    except OSError:
        return None
    try:
        return validate(config, raw)
    except MemberError:
        return None


def read_member(config: MemberConfig, source: Path | None, cache: Path | None,
                timeout: float = TIMEOUT) -> tuple[Member | None, MemberError | None]:
    """The member (fresh, or stale from the cache) and the error that kept it from being read now."""
    try:
        raw = read_raw(config, source, timeout)
        member = validate(config, raw)
    except MemberError as exc:
        stale = load_cache(cache, config) if cache is not None else None
        if stale is not None:
            stale.stale, stale.error = True, exc.message()
        return stale, exc
    if cache is not None:
        save_cache(cache, config.id, raw)
    return member, None
