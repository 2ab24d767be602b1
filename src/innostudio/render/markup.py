"""Contributor Markdown → safe HTML: python-markdown, then the nh3 sanitiser with an allowlist.

Even if the checker were bypassed (P003), no script, event handler, ``javascript:``/``data:`` URL,
iframe or form reaches a page: nh3 keeps only what Markdown itself produces.
"""
from __future__ import annotations

import contextlib
import html
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator

import markdown
import nh3

from .images import THUMB_SIZE, fitted
from .pages import MediaRef

ALLOWED_TAGS = {"p", "br", "hr", "em", "strong", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a",
                "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
                "dl", "dt", "dd", "abbr", "img"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"},
                 "img": {"src", "alt", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes=ALLOWED_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


_CONVERTERS: dict[bool, markdown.Markdown] = {}


def _converter(fenced: bool) -> markdown.Markdown:
    """One Markdown instance per configuration, reset before each text (building one costs more than
    converting a short text)."""
    md = _CONVERTERS.get(fenced)
    if md is None:
        extensions = ["tables", "sane_lists"] + (["fenced_code"] if fenced else [])
        md = markdown.Markdown(extensions=extensions, output_format="html")
        md.preprocessors.deregister("html_block")  # raw HTML blocks are escaped, never passed through
        md.inlinePatterns.deregister("html")
        _CONVERTERS[fenced] = md
    return md


# A site path in a rendered text, made relative to the page by the template's ``site_urls`` filter.
SITE_PREFIX = "inno-site:"
Resolver = Callable[[str, str], MediaRef | None]  # (studio-relative path, "image" | "link") -> published file
_IMG = re.compile(r"<img\b([^>]*)>")
_HREF = re.compile(r'<a href="([^"]*)"')
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _target(value: str) -> str | None:
    """The studio-relative path an attribute names; None for an address with a scheme, //host or #anchor."""
    value = html.unescape(value).strip()
    if not value or value.startswith(("//", "#")) or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        return None
    return urllib.parse.unquote(value.split("#", 1)[0])


def _image(match: re.Match, resolve: Resolver | None) -> str:
    """A local image published through the photo pipeline (its 640 px copy, linked to the full size); any
    other image is never loaded: only its description is left."""
    attrs = dict(_ATTR.findall(match.group(1)))
    alt = attrs.get("alt", "")
    target = _target(attrs.get("src", ""))
    ref = resolve(target, "image") if resolve is not None and target else None
    if ref is None or ref.kind != "image" or ref.thumb is None:
        return f'<span class="inno-missing-image">{alt}</span>' if alt else ""
    width, height = fitted(ref.width or 0, ref.height or 0, THUMB_SIZE)
    title = f' title="{attrs["title"]}"' if "title" in attrs else ""
    return (f'<a class="inno-body-image" href="{SITE_PREFIX}{html.escape(ref.url)}"><img src="{SITE_PREFIX}'
            f'{html.escape(ref.thumb)}" alt="{alt}"{title} width="{width}" height="{height}" loading="lazy" '
            f'decoding="async"></a>')


def _link(match: re.Match, resolve: Resolver | None) -> str:
    """A link to a file of the studio folder points at its published copy; one that cannot be published
    loses its address (R001/R003 report it)."""
    value = match.group(1)
    target = _target(value)
    if target is None:
        return match.group(0)
    ref = resolve(target, "link") if resolve is not None else None
    return f'<a href="{SITE_PREFIX}{html.escape(ref.url)}"' if ref is not None else "<a"


def _convert(text: str, shift_headings: int = 1, fenced: bool = False) -> str:
    """Markdown to sanitised HTML, headings shifted; the same text gives the same HTML, on any process."""
    out = _converter(fenced).reset().convert(text or "")
    if shift_headings:
        for level in range(5, 0, -1):
            out = out.replace(f"<h{level}", f"<h{level + shift_headings}").replace(
                f"</h{level}>", f"</h{level + shift_headings}>")
    return sanitize(out)


_Key = tuple[str, int, bool]
_CONVERTED: dict[_Key, str] = {}
MANY_TEXTS = 200  # from here on, converting in two processes pays for starting the second


def _convert_key(key: _Key) -> str:
    return _convert(*key)


@contextlib.contextmanager
def converted(texts: Iterable[str], shift_headings: int = 1, fenced: bool = False) -> Iterator[None]:
    """Within the block, :func:`render_markdown` finds ``texts`` (with these settings) converted already: a
    site's many texts are converted up front, on two processes where a second core is free
    (render/parallel.py), as the conversion of one text does not depend on the page it goes into."""
    from .parallel import map_split

    keys = list(dict.fromkeys((t, shift_headings, fenced) for t in texts if t))
    _CONVERTED.update(zip(keys, map_split(_convert_key, keys, MANY_TEXTS), strict=True))
    try:
        yield
    finally:
        _CONVERTED.clear()


def render_markdown(text: str, shift_headings: int = 1, fenced: bool = False,
                    resolve: Resolver | None = None) -> str:
    """Render contributor Markdown to sanitised HTML. Headings are shifted down (h1 → h2) so that a
    narrative never competes with the page title. Raw HTML in the source is escaped, not passed. Images
    and links naming files of the studio folder are published through ``resolve``; other images are
    dropped (the site loads nothing from another host, R008)."""
    out = _CONVERTED.get((text, shift_headings, fenced)) if text else None
    if out is None:
        out = _convert(text, shift_headings, fenced)
    if "<img" in out:
        out = _IMG.sub(lambda m: _image(m, resolve), out)
    if '<a href="' in out:
        out = _HREF.sub(lambda m: _link(m, resolve), out)
    return out
