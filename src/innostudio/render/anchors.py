"""The anchors of a finished HTML body: what a link ``page#anchor`` into it may point at."""
from __future__ import annotations

import re
from html.parser import HTMLParser


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


_START_TAG = re.compile(r"""<[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*>""")
_ID_OR_NAME = re.compile(r"\s(?:id|name)\s*=", re.IGNORECASE)
_OPAQUE = re.compile(r"<(?:!|\?|script|style)", re.IGNORECASE)  # what html.parser reads other than as tags


def anchor_ids(body: str) -> set[str]:
    """Every ``id`` in ``body``, and the ``name`` of every ``<a>``."""
    parser = _Anchors()
    if _OPAQUE.search(body):  # comments, scripts and the like: let the parser tell text from tags
        parser.feed(body)
    else:  # only start tags that carry an id or a name need parsing (a page body has thousands of tags)
        parser.feed("".join(t for t in _START_TAG.findall(body) if _ID_OR_NAME.search(t)))
    parser.close()
    return parser.ids
