"""The federation's CONFIG (``federation.yml``, federation.md): its name, public address, footer filings and
members. A CONFIG that does not parse or validate raises :class:`ConfigError` (the command exits 2)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

MEMBER_ID = re.compile(r"[a-z0-9-]{2,40}")
LOCAL_HOSTS = frozenset({"127.0.0.1"})  # the only host that may be read over plain http


class ConfigError(Exception):
    """The CONFIG cannot be used; the message names the problem (in Chinese)."""


def check_url(value: str, *, fetch: bool) -> str:
    """An absolute https URL (plain http only for 127.0.0.1 when ``fetch``), ending with ``/``."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("应为以 https:// 开头的完整网址")
    if fetch and parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise ValueError("只能用 https:// 读取（明文 http 只允许 127.0.0.1）")
    return value if value.endswith("/") else value + "/"


class MemberConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str = Field(min_length=1)
    url: str
    source: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not MEMBER_ID.fullmatch(value):
            raise ValueError("应为 2 到 40 个小写字母、数字或连字符（[a-z0-9-]{2,40}）")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_url(value, fetch=True)


class FederationConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    site_url: str
    extra: dict[str, str] = Field(default_factory=dict)
    members: list[MemberConfig] = Field(min_length=1)

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value: str) -> str:
        return check_url(value, fetch=False)


def _where(loc: tuple[Any, ...], data: Any) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    if len(loc) >= 2 and loc[0] == "members" and isinstance(loc[1], int):
        try:
            member_id = data["members"][loc[1]]["id"]
            out += f"（成员 {member_id}）"
        except (KeyError, IndexError, TypeError):
            pass
    return out


def load_config(path: Path) -> tuple[FederationConfig, dict[str, Path]]:
    """The CONFIG at ``path`` and the resolved local ``source`` folder of each member that has one (a
    relative ``source`` is relative to the CONFIG's folder)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取配置文件 {path}：{exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise ConfigError(f"配置文件 {path} {where}不是有效的 YAML：{getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"配置文件 {path} 应为一个映射（name、site_url、members …）")
    try:
        config = FederationConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"配置文件 {path}：字段 {_where(tuple(err['loc']), data)}：{reason(err)}") from None
    seen: set[str] = set()
    for member in config.members:
        if member.id in seen:
            raise ConfigError(f"配置文件 {path}：成员 id “{member.id}” 重复")
        seen.add(member.id)
    sources = {m.id: (path.parent / m.source).resolve() for m in config.members if m.source}
    return config, sources


def reason(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        return "不认识的字段"
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err.get("msg")))
    if kind in ("too_short", "string_too_short"):
        return "不能为空"
    return f"类型或取值不符（{err.get('msg')}）"
