"""The portal's pages: plain static HTML from the Jinja2 templates in ``templates/federation/`` (every value
autoescaped), with the portal's own small stylesheet and script (no theme, nothing from another host)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .. import __version__
from .view import Portal

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "federation"
ASSETS = ("federation.css", "federation.js")


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env


def _page(env: Environment, template: str, path: str, portal: Portal, root: str = "", **context: object) -> str:
    """``path``'s page; links are relative (``root`` up to the portal), so it can be served under any path."""
    root = root or "../" * path.count("/") or "./"  # "studios/index.html" -> "../"
    return env.get_template(template).render(portal=portal, root=root, path=path, version=__version__,
                                              canonical=portal.config.site_url + path.removesuffix("index.html"),
                                              **context)


def render_pages(portal: Portal) -> dict[str, str]:
    """Every page and asset, by path under the portal."""
    env = environment()
    year = portal.as_of.year
    pages = {
        "index.html": _page(env, "home.html", "index.html", portal, year=year),
        "studios/index.html": _page(env, "studios.html", "studios/index.html", portal),
        "recommended/index.html": _page(env, "recommended.html", "recommended/index.html", portal, year=year),
        "stats/index.html": _page(env, "stats.html", "stats/index.html", portal),
        "search/index.html": _page(env, "search.html", "search/index.html", portal),
        # served for any missing path: links from the portal's own address
        "404.html": _page(env, "404.html", "404.html", portal, root=urlsplit(portal.config.site_url).path or "/"),
    }
    for member in portal.members:
        path = f"members/{member.id}/index.html"
        pages[path] = _page(env, "member.html", path, portal, member=member)
    for name in ASSETS:
        pages[f"assets/{name}"] = (TEMPLATES / "assets" / name).read_text(encoding="utf-8")
    return pages
