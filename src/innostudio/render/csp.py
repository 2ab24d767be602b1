"""Content-Security-Policy for every page: the site's own origin only, and inline script only by hash.

The hashes are taken from the theme's own inline scripts (outside the page body), so a script that
somehow came from data would not be allowed even if it were rendered.
"""
from __future__ import annotations

import base64
import hashlib
import re

_INLINE = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>(.*?)</script>", re.S | re.I)
_AFTER = re.compile(r"<meta charset=[^>]*>", re.I)


def script_hashes(html: str) -> list[str]:
    return sorted({"'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
                   for body in _INLINE.findall(html)})


def policy(hashes: list[str]) -> str:
    return "; ".join([
        "default-src 'self'",
        # 'wasm-unsafe-eval': the search (Pagefind) runs WebAssembly from the site itself; no JS eval
        "script-src 'self' 'wasm-unsafe-eval'" + "".join(" " + h for h in hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def add_policy(html: str, trusted_part: str) -> str:
    """Insert the CSP meta tag, allowing only the inline scripts found in ``trusted_part``."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(script_hashes(trusted_part))}">'
    m = _AFTER.search(html)
    if m is None:
        m = re.search(r"<head[^>]*>", html, re.I)
        if m is None:
            return html
    return html[: m.end()] + "\n    " + meta + html[m.end():]
