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


def dump_config(cfg: dict) -> str:
    head = "# 由 innostudio cms-config 根据数据模型生成，请勿手工修改。\n"
    # libyaml's emitter writes the same text as PyYAML's pure-Python one, several times faster (the
    # configuration grows with the number of studios)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return head + yaml.dump(cfg, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def local_port() -> int | None:
    raw = os.environ.get(LOCAL_PORT_ENV)
    return int(raw) if raw else None


def build_config(repo: Repo, extra: dict, as_of: dt.date, site_url: str, port: int | None) -> dict:
    return cms.config(repo, dict(extra.get("forge") or {}), as_of, site_url, port)


def write_admin(site_dir: Path, root: Path, repo: Repo, extra: dict, as_of: dt.date, site_name: str,
                site_url: str = "", icon: str = "assets/images/favicon.png") -> Path:
    """Write the editor to ``site_dir``/admin; ``icon`` is the site's favicon, relative to the site root."""
    modules = node_modules(root)
    out = Path(site_dir) / "admin"
    out.mkdir(parents=True, exist_ok=True)
    dist = modules / "decap-cms" / "dist"
    for f in sorted(dist.iterdir()):
        if f.name == "decap-cms.js" or (f.name.endswith(".decap-cms.js")):
            shutil.copyfile(f, out / f.name)
    ydist = modules / "yaml" / "browser" / "dist"
    (out / "yaml").mkdir(exist_ok=True)
    for f in sorted(ydist.iterdir()):
        if f.suffix == ".js":
            shutil.copyfile(f, out / "yaml" / f.name)
    shutil.copyfile(TEMPLATES / "innostudio-format.js", out / "innostudio-format.js")
    shapes = "export default " + json.dumps(cms.shapes(), ensure_ascii=False, sort_keys=False) + ";\n"
    (out / "shapes.js").write_text(shapes, encoding="utf-8")
    cfg = build_config(repo, extra, as_of, site_url, local_port())
    (out / "config.yml").write_text(dump_config(cfg), encoding="utf-8")
    version = hashlib.sha256(((dist / "decap-cms.js").read_bytes()[:4096] + shapes.encode()
                              + (TEMPLATES / "innostudio-format.js").read_bytes())).hexdigest()[:10]
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    (out / "index.html").write_text(env.get_template("index.html").render(site_name=site_name, version=version,
                                                                        icon=icon.lstrip("/")),
                                    encoding="utf-8")
    return out
