"""What outside tools see in the published outputs: an HTML validator, link checking, link previews.

The browser-based checks (QR codes, phone layout) are in test_browser.py; the printed workbook in
test_workbook_print.py.
"""
from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO

HTML_VALIDATE = REPO / "node_modules" / ".bin" / "html-validate"
# .htmlvalidate.json: html-validate's recommended and document presets, less four rules of style rather
# than validity: trailing whitespace, the DOCTYPE's letter case, self-closing void elements (<img/>), and
# SRI (every asset is served by the site itself; the policy allows no CDN). Ids are checked as HTML5 defines
# them (relaxed): Material's "__drawer" and Markdown's "_1" are valid ids.
CONFIG = REPO / ".htmlvalidate.json"
SITE_URL = "https://example.edu.cn/innostudio/"  # the sample's site_url (mkdocs.yml)

# Material for MkDocs' own markup, which this project does not write and cannot change. Each entry is a
# rule, the selector it reports, and a pattern the offending tag (the reported line and the three before
# it) must match: an error of the same rule in the project's own markup is not excused.
MATERIAL_KNOWN = [
    # <input type="checkbox" autocomplete="off"> toggles for the drawer and the search overlay
    ("valid-autocomplete", r"^#__(drawer|search)$", r'data-md-toggle="(drawer|search)"'),
    # navigation section labels carry tabindex="" when navigation.tabs hides them
    ("attribute-allowed-values", r"^#__nav_\d+_label$", r'<label class="md-nav__link" for="__nav_\d+" '
                                                         r'id="__nav_\d+_label" tabindex="">'),
    # the table of contents appears twice (sidebar and integrated) with the same label "目录", and nested
    # navigation reuses its section title
    ("unique-landmark", r"> nav$", r'<nav class="md-nav'),
]


def validate(paths: list[Path], report: Path) -> list[dict]:
    """Run html-validate (pinned in package.json, installed by ./run) with the project's configuration.
    The report goes to a file: Node cuts a large report short on a pipe when the validator exits."""
    assert HTML_VALIDATE.exists(), "html-validate is missing: ./run installs it with npm ci"
    proc = subprocess.run([str(HTML_VALIDATE), "-c", str(CONFIG), "--formatter", f"json={report}",
                           *map(str, paths)], capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    found = []
    for f in json.loads(report.read_text(encoding="utf-8")):
        lines = Path(f["filePath"]).read_text(encoding="utf-8").split("\n")
        for msg in f["messages"]:
            context = "\n".join(lines[max(0, msg["line"] - 4):msg["line"]])
            found.append({"file": f["filePath"], "rule": msg["ruleId"], "selector": msg.get("selector") or "",
                          "message": msg["message"], "line": msg["line"], "context": context})
    return found


def is_material(err: dict) -> bool:
    return any(err["rule"] == rule and re.search(sel, err["selector"]) and re.search(tag, err["context"])
               for rule, sel, tag in MATERIAL_KNOWN)


def test_built_pages_are_valid_html_apart_from_materials_known_errors(sample_site: Path, tmp_path: Path):
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    errors = validate(pages, tmp_path / "report.json")
    ours = [f"{Path(e['file']).relative_to(sample_site)}:{e['line']} {e['rule']} {e['message']} ({e['selector']})"
            for e in errors if not is_material(e)]
    assert not ours, "\n".join(ours[:40])
    # the allowlist stays honest: every entry still matches something Material prints
    used = {rule for rule, _s, _t in MATERIAL_KNOWN if any(e["rule"] == rule and is_material(e) for e in errors)}
    assert used == {rule for rule, _s, _t in MATERIAL_KNOWN}


def test_validator_reports_the_errors_this_project_once_made(sample_site: Path, tmp_path: Path):
    """The validator run is not a formality: the faults the issues named are reported, and not excused:
    two in the studio list, and the shared header's (its search form without a submit button, the edit
    button an icon link without a name, the search toggle's labels without text)."""
    page = (sample_site / "studios/index.html").read_text(encoding="utf-8")
    page = page.replace('<h2 class="inno-card__title">', '<h3 class="inno-card__title">', 1)
    page = page.replace('<span class="inno-six"', '<span class="inno-six" aria-label="六有"', 1)
    probe = tmp_path / "probe.html"
    probe.write_text(page, encoding="utf-8")
    ours = {e["rule"] for e in validate([probe], tmp_path / "report.json") if not is_material(e)}
    assert {"heading-level", "aria-label-misuse"} <= ours
    page = (sample_site / "policy/index.html").read_text(encoding="utf-8")
    for part in [r'<button type="submit"[^>]*>[^<]*</button>', r' aria-label="[^"]*"(?= class="md-content__button)',
                 r'(?<=for="__search" title="查找") aria-label="[^"]*"']:
        page, n = re.subn(part, "", page)
        assert n == 1, part
    probe.write_text(page, encoding="utf-8")
    found = [e for e in validate([probe], tmp_path / "report.json") if not is_material(e)]
    assert {"wcag/h32", "wcag/h30", "input-missing-label"} <= {e["rule"] for e in found}, found


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.links.append(a[key])


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _target(site: Path, page: Path, url: str) -> Path | None:
    """The file a relative link from ``page`` lands on, or None when it is outside the site."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("//"):
        return None
    if not parts.path:
        return page
    if parts.path.startswith("/"):  # 404.html links from the site root, which site_url puts under /innostudio/
        root = urlsplit(SITE_URL).path
        if not parts.path.startswith(root):
            return Path("/") / parts.path  # outside the published folder: reported as leaving the site
        target = (site / unquote(parts.path[len(root):])).resolve()
    else:
        target = (page.parent / unquote(parts.path)).resolve()
    if url.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def test_every_internal_link_and_anchor_resolves(sample_site: Path):
    site = sample_site.resolve()
    pages = sorted(site.rglob("*.html"))
    parsed = {p: _parse(p) for p in pages}
    broken, checked = [], 0
    for page, links in parsed.items():
        for url in links.links:
            if url.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            target = _target(site, page, url)
            if target is None:
                continue
            checked += 1
            where = f"{page.relative_to(site)} → {url}"
            if not target.is_relative_to(site):
                broken.append(f"{where}: leaves the site")
            elif not target.is_file():
                broken.append(f"{where}: no such file")
            elif (frag := urlsplit(url).fragment) and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(frag) not in ids:
                    broken.append(f"{where}: no anchor #{frag}")
    assert checked > 1000
    assert not broken, "\n".join(broken[:40])


def test_guide_link_to_the_field_reference_anchor_is_real(sample_site: Path):
    """The link that once drew a false warning (guide/achievement.md → fields.md#achievement) lands on the
    achievement section of the generated field reference."""
    guide = _parse(sample_site / "guide/achievement/index.html")
    assert "../fields/#achievement" in guide.links
    fields = (sample_site / "guide/fields/index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="achievement">[^<]*成果', fields)


def test_a_broken_anchor_is_a_build_warning(tmp_path: Path):
    """A link to an anchor that does not exist is a build warning, on which every test build fails (and a
    --strict build); a link to a real anchor passes."""
    from conftest import BASE, build_site, copy_repo

    repo = copy_repo(BASE, tmp_path / "repo")
    guide = repo / "content" / "link-probe.md"
    guide.write_text("# 链接\n\n[字段](guide/fields.md#achievement)\n", encoding="utf-8")
    build_site(repo, "2026-06-30")  # fails on any build warning
    guide.write_text("# 链接\n\n[字段](guide/fields.md#no-such-section)\n", encoding="utf-8")
    proc = build_site(repo, "2026-06-30", warnings_ok=True)
    warnings = [line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("WARNING")]
    assert any("link-probe.md" in w and "no-such-section" in w for w in warnings), warnings


def _meta(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r'<meta property="(og:[a-z_]+)" content="([^"]*)"', text)}


@pytest.mark.parametrize("rel", ["studios/jingzhun-yaoxue/index.html", "studios/kouqiang-shuzi/index.html",
                                 "studios/jingzhun-yaoxue/achievements/2024-vancomycin-kit/index.html",
                                 "index.html"])
def test_link_previews_carry_title_description_and_absolute_image(sample_site: Path, rel: str):
    meta = _meta(sample_site / rel)
    assert meta.get("og:title") and meta.get("og:description"), meta
    site_url = SITE_URL
    image = meta.get("og:image", "")
    assert image.startswith(site_url), meta
    assert (sample_site / image[len(site_url):]).is_file(), image  # the image is published
    assert not image.endswith(".svg")  # WeChat and most apps show raster images only
    if rel == "index.html":
        assert image == site_url + "assets/logo.png"  # home falls back to the site logo


def test_every_studio_and_achievement_page_has_a_preview(sample_site: Path):
    pages = [p for p in (sample_site / "studios").rglob("index.html") if p.parent != sample_site / "studios"]
    assert len(pages) > 20
    missing = [str(p.relative_to(sample_site)) for p in pages
               if not {"og:title", "og:description", "og:image"} <= set(_meta(p))]
    assert not missing, missing
    studio = _meta(sample_site / "studios/jingzhun-yaoxue/index.html")
    assert studio["og:title"] == "精准药学创新工作室"
    assert "studios/jingzhun-yaoxue/" in studio["og:image"]  # its own plaque photo, not the logo
