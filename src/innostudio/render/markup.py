"""Contributor Markdown → safe HTML: python-markdown, then the nh3 sanitiser with an allowlist.

Even if the checker were bypassed (P003), no script, event handler, ``javascript:``/``data:`` URL,
iframe or form reaches a page: nh3 keeps only what Markdown itself produces.
"""
from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "hr", "em", "strong", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a",
                "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
                "dl", "dt", "dd", "abbr"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
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


def render_markdown(text: str, shift_headings: int = 1, fenced: bool = False) -> str:
    """Render contributor Markdown to sanitised HTML. Headings are shifted down (h1 → h2) so that a
    narrative never competes with the page title. Raw HTML in the source is escaped, not passed."""
    html = _converter(fenced).reset().convert(text or "")
    if shift_headings:
        for level in range(5, 0, -1):
            html = html.replace(f"<h{level}", f"<h{level + shift_headings}").replace(
                f"</h{level}>", f"</h{level + shift_headings}>")
    return sanitize(html)
