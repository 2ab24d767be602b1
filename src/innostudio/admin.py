"""The browser editor at /admin/ of the built site: Decap CMS from the pinned npm install, its
generated config.yml, and innostudio's file formats. Public pages never load any of it."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import cms
from .corpus import Repo

TEMPLATES = Path(__file__).with_name("templates") / "admin"
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
LOCAL_PORT_ENV = "INNOSTUDIO_CMS_LOCAL_PORT"


class EditorMissing(Exception):
    pass


def node_modules(root: Path) -> Path:
    """The folder that holds the pinned npm packages (the repository's, else the checkout of innostudio)."""
    env = os.environ.get("INNOSTUDIO_NODE_MODULES")
    for cand in ([Path(env)] if env else []) + [root / "node_modules", PACKAGE_ROOT / "node_modules"]:
        if (cand / "decap-cms" / "dist" / "decap-cms.js").is_file():
            return cand
    raise EditorMissing("找不到 node_modules/decap-cms：请先运行 ./run site（它会用 npm ci 安装锁定版本的编辑器）")


def dump_config(cfg: dict, anchors: bool = False, writer: _BlockYaml | None = None) -> str:
    """``cfg`` as YAML. ``anchors``: a list or mapping used more than once is written once, as a YAML anchor
    and aliases (PyYAML's writer; Decap's parser resolves them), instead of repeated. ``writer``: one fast
    writer shared by several configurations (it remembers how each value is written)."""
    head = "# 由 innostudio cms-config 根据数据模型生成，请勿手工修改。\n"
    if anchors:
        return head + _pyyaml(cfg)
    try:
        return head + (writer or _BlockYaml()).document(cfg)
    except _Unusual:  # something the fast writer does not handle: PyYAML itself (same text, slower)
        return head + _pyyaml(cfg)


def _pyyaml(data) -> str:
    # libyaml's emitter writes the same text as PyYAML's pure-Python one, several times faster
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=_WIDTH)


_WIDTH = 1000
_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


class _Unusual(Exception):
    """The value needs PyYAML's general writer (a multi-line or very long string, an unusual type)."""


class _BlockYaml:
    """``_pyyaml`` for the configuration's shapes, byte for byte, without building a YAML node per value.

    The configuration repeats the same fields for every studio (several MB at 300 studios); PyYAML spends
    seconds representing it. This writer lays out PyYAML's block style itself (two-space indent,
    sequences inside mappings not indented, ``[]``/``{}`` when empty) and has PyYAML render each distinct
    scalar once (its choice of plain or quoted style), so quoting is PyYAML's own. Anything whose text
    could depend on its position (line breaks, folding near the line width) is left to PyYAML.
    """

    def __init__(self):
        self._scalars: dict[tuple[type, object], str] = {}

    def document(self, data) -> str:
        if not isinstance(data, dict) or not data:
            raise _Unusual
        out: list[str] = []
        self._mapping(data, 0, out, first="")
        return "".join(out)

    def _scalar(self, value, column: int) -> str:
        if not (value is None or type(value) in (str, bool, int)):
            raise _Unusual
        key = (type(value), value)
        text = self._scalars.get(key)
        if text is None:
            if isinstance(value, str) and any(b in value for b in _LINE_BREAKS):
                raise _Unusual
            text = _pyyaml(value)
            if text.endswith("\n...\n"):
                text = text[:-4]
            text = text[:-1]
            if "\n" in text:
                raise _Unusual
            self._scalars[key] = text
        if column + len(text) >= _WIDTH - 2:  # PyYAML might fold it
            raise _Unusual
        return text

    def _key(self, key, column: int) -> str:
        if type(key) is not str or not key or len(key) > 100:
            raise _Unusual
        return self._scalar(key, column)

    def _mapping(self, data: dict, indent: int, out: list[str], first: str | None = None) -> None:
        """``data`` at ``indent``; its first line starts with ``first`` instead of the indentation."""
        pad = " " * indent
        for i, (k, v) in enumerate(data.items()):
            lead = first if (i == 0 and first is not None) else pad
            key = self._key(k, indent)
            out.append(f"{lead}{key}:")
            self._value(v, indent, indent + len(key) + 2, out)

    def _value(self, v, indent: int, column: int, out: list[str]) -> None:
        """A mapping's value: inline if a scalar or empty, else on the following lines."""
        if isinstance(v, dict):
            if not v:
                out.append(" {}\n")
            else:
                out.append("\n")
                self._mapping(v, indent + 2, out)
        elif isinstance(v, list):
            if not v:
                out.append(" []\n")
            else:
                out.append("\n")
                self._sequence(v, indent, out)
        else:
            out.append(f" {self._scalar(v, column)}\n")

    def _sequence(self, items: list, indent: int, out: list[str], first: str | None = None) -> None:
        pad = " " * indent
        for i, item in enumerate(items):
            lead = (first if (i == 0 and first is not None) else pad) + "- "
            if isinstance(item, dict) and item:
                self._mapping(item, indent + 2, out, first=lead)
            elif isinstance(item, list) and item:
                self._sequence(item, indent + 2, out, first=lead)
            elif isinstance(item, (dict, list)):
                out.append(f"{lead}{'{}' if isinstance(item, dict) else '[]'}\n")
            else:
                out.append(f"{lead}{self._scalar(item, indent + 2)}\n")


def local_port() -> int | None:
    raw = os.environ.get(LOCAL_PORT_ENV)
    return int(raw) if raw else None


def build_config(repo: Repo, extra: dict, as_of: dt.date, site_url: str, port: int | None) -> dict:
    """Every studio's and the union's collections in one configuration (what ``cms-config`` prints)."""
    return cms.config(repo, dict(extra.get("forge") or {}), as_of, site_url, port)


STATIC = ("innostudio-format.js", "innostudio-setup.js", "innostudio-phone.css")


def _copy_editor(modules: Path, out: Path) -> str:
    """Decap's files, the yaml package and innostudio's scripts, once, in ``out``; returns the cache key."""
    dist = modules / "decap-cms" / "dist"
    for f in sorted(dist.iterdir()):
        if f.name == "decap-cms.js" or (f.name.endswith(".decap-cms.js")):
            shutil.copyfile(f, out / f.name)
    ydist = modules / "yaml" / "browser" / "dist"
    (out / "yaml").mkdir(exist_ok=True)
    for f in sorted(ydist.iterdir()):
        if f.suffix == ".js":
            shutil.copyfile(f, out / "yaml" / f.name)
    for name in STATIC:
        shutil.copyfile(TEMPLATES / name, out / name)
    shapes = "export default " + json.dumps(cms.shapes(), ensure_ascii=False, sort_keys=False) + ";\n"
    (out / "shapes.js").write_text(shapes, encoding="utf-8")
    return hashlib.sha256((dist / "decap-cms.js").read_bytes()[:4096] + shapes.encode()
                          + b"".join((TEMPLATES / name).read_bytes() for name in STATIC)).hexdigest()[:10]


def write_admin(site_dir: Path, root: Path, repo: Repo, extra: dict, as_of: dt.date, site_name: str,
                site_url: str = "", icon: str = "assets/images/favicon.png") -> Path:
    """Write the editors to ``site_dir``/admin: the union's at ``admin/`` (with the list of studio editors)
    and one per studio at ``admin/<slug>/``, each with a configuration of its own collections only.
    ``icon`` is the site's favicon, relative to the site root."""
    modules = node_modules(root)
    out = Path(site_dir) / "admin"
    out.mkdir(parents=True, exist_ok=True)
    version = _copy_editor(modules, out)
    forge, port = dict(extra.get("forge") or {}), local_port()
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    page = env.get_template("index.html")
    studios = sorted(repo.studios, key=lambda f: f.slug)
    listed = [{"slug": f.slug, "name": f.studio.name if f.studio else f.slug} for f in studios]
    union = cms.union_config(repo, forge, as_of, site_url, port)
    (out / "config.yml").write_text(dump_config(union, anchors=True), encoding="utf-8")
    (out / "index.html").write_text(page.render(site_name=site_name, version=version, up="",
                                                icon=icon.lstrip("/"), title="工会", studios=listed),
                                    encoding="utf-8")
    if site_url:  # an OAuth application accepts only registered callback addresses: every editor's, one a line
        base = site_url.rstrip("/") + "/admin/"
        uris = [base] + [f"{base}{f.slug}/" for f in studios]
        (out / "oauth-redirect-uris.txt").write_text("".join(u + "\n" for u in uris), encoding="utf-8")
    writer = _BlockYaml()
    for folder, item in zip(studios, listed, strict=True):
        sub = out / folder.slug
        sub.mkdir(exist_ok=True)
        cfg = cms.studio_config(folder, forge, as_of, site_url, port)
        (sub / "config.yml").write_text(dump_config(cfg, writer=writer), encoding="utf-8")
        (sub / "index.html").write_text(page.render(site_name=site_name, version=version, up="../",
                                                    icon=icon.lstrip("/"), title=item["name"], studios=[]),
                                        encoding="utf-8")
    return out
