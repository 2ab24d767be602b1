"""The site's search index: Pagefind over the finished HTML folder (no site generator involved).

PyPI ``pagefind[extended]`` ships its own binary, with Chinese word segmentation. Only the page body is
indexed (``data-pagefind-body``, set by the page template), without the edit button.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PAGEFIND = [sys.executable, "-m", "pagefind", "--output-subdir", "pagefind",
            "--exclude-selectors", ".md-content__button", "--silent"]

# Pagefind 1.5.2 makes result titles searchable, and a word found in any page's title then no longer
# matches page text anywhere (工作室 in 工作室名录 hid it on every studio page). The title is therefore
# handed over hex-encoded (one ASCII token that matches no query); the search script decodes it.
BODY = '<div data-pagefind-body>'


class SearchIndexError(RuntimeError):
    """Pagefind did not produce an index."""


def with_title(html: str, title: str) -> str:
    """The page's HTML with its title attached, hex-encoded, to the indexed body."""
    if BODY not in html:
        return html
    return html.replace(BODY, f'<div data-pagefind-body data-pagefind-meta="title:{title.encode("utf-8").hex()}">',
                        1)


def index_site(site_dir: Path) -> None:
    """Write the chunked index to ``site_dir/pagefind``; raises ``SearchIndexError`` when Pagefind fails."""
    proc = subprocess.run([*PAGEFIND, "--site", str(site_dir)], capture_output=True, text=True)
    if proc.returncode != 0 or not (site_dir / "pagefind" / "pagefind.js").is_file():
        raise SearchIndexError((proc.stderr or proc.stdout)[-2000:])
