"""Site safety in depth, link integrity, privacy audit and "nothing lost"."""
from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import BASE, REPO, SAMPLE_AS_OF, build_site, copy_repo, edit, run
from test_site import EDITOR_SCHEMA, _vendor

SITE_PATH = urlsplit("https://example.edu.cn/innostudio/").path  # site_url of the sample mkdocs.yml


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_every_internal_link_and_image_resolves(sample_site: Path):
    broken, checked = [], 0
    for page in sorted(sample_site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        base = page.parent.relative_to(sample_site).as_posix()
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:")):
                continue
            if not parts.path:
                continue
            if parts.path.startswith("/"):  # root-absolute (404.html): relative to the site_url path
                assert parts.path.startswith(SITE_PATH), link
                target = posixpath.normpath(unquote(parts.path[len(SITE_PATH):]) or ".")
            else:
                target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
            path = sample_site / target
            if link.endswith("/") or path.is_dir():
                path = path / "index.html"
            checked += 1
            if not path.is_file():
                broken.append(f"{page.relative_to(sample_site)} → {link}")
    assert checked > 1000
    assert not broken, broken[:20]


def test_only_raster_images_from_the_repository_are_served(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    (repo / "studios/alpha/media/notes.pdf").write_bytes(b"%PDF-1.4\n%secret\n")
    (repo / "studios/alpha/media/private-scan.jpg").write_bytes((repo / "studios/alpha/media/plaque.jpg")
                                                               .read_bytes())
    build_site(repo, "2026-06-30")
    files = {p.relative_to(repo / "build/site").as_posix() for p in (repo / "build/site").rglob("*")}
    assert "studios/alpha/files/media/plaque.jpg" in files
    assert not [f for f in files if "private-scan" in f or "notes.pdf" in f]  # not referenced: not published
    assert not [f for f in files if f.startswith("studios/") and f.endswith(".svg")]


PRIVATE = {
    "person": "私密联系人甲乙",
    "studio": "工作室内部备注丙丁",
    "activity": "活动内部记录戊己",
    "signage": "标牌内部说明庚辛",
    "funding_source": "专项经费来源壬癸",
    "voucher": "PZ-SECRET-778899",
    "expense_note": "支出说明子丑寅卯",
}


def test_privacy_audit_of_every_output(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    s = "studios/alpha/studio.yml"
    edit(repo, s, "  frontline: true\n  honors:", f"  frontline: true\n  private: {{contact: {PRIVATE['person']}}}\n"
                                                   "  honors:")
    edit(repo, s, "maintainers: [alpha-lead]", f"maintainers: [alpha-lead]\nprivate: {{note: {PRIVATE['studio']}}}")
    edit(repo, s, "  plaque: media/plaque.jpg", f"  plaque: media/plaque.jpg\n  private: {{note: {PRIVATE['signage']}}}")
    edit(repo, s, "source: 学校专项经费", f"source: {PRIVATE['funding_source']}")
    edit(repo, s, "budget_yuan: 10000", "budget_yuan: 876543")
    edit(repo, s, "    spent_yuan: 2000\n", "")
    edit(repo, s, f"source: {PRIVATE['funding_source']}\n",
         f"source: {PRIVATE['funding_source']}\n    expenses:\n"
         f"      - {{date: 2026-03-02, amount_yuan: 234567, purpose: other, voucher: {PRIVATE['voucher']}, "
         f"note: {PRIVATE['expense_note']}}}\n")
    for old, new in (("1970", "1957"), ("1982", "1983"), ("1995", "1993"), ("1999", "1997")):
        edit(repo, s, f"birth_year: {old}", f"birth_year: {new}")
    edit(repo, "studios/alpha/ledger/2026.yml", "summary: 学习新方法}",
         f"summary: 学习新方法, private: {{n: {PRIVATE['activity']}}}}}")
    build_site(repo, "2026-06-30")
    site = repo / "build" / "site"
    import material

    theme = Path(material.__file__).parent / "templates"
    kinds = set()
    for p in site.rglob("*"):
        if not p.is_file():
            continue
        original = theme / p.relative_to(site)
        if original.is_file() and original.read_bytes() == p.read_bytes():
            continue  # an unchanged theme file
        if _vendor(site, p):
            continue  # the editor's code, copied unchanged from the pinned npm packages
        data = gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
        text = data.decode("utf-8", errors="replace")
        kinds.add(p.suffix)
        for value in [*PRIVATE.values(), "876543", "234567", "876,543", "234,567", "1957", "1983", "1993", "1997",
                      '"birth_year"', "birth_year:"]:
            if "birth_year" in value and p.relative_to(site).as_posix() in EDITOR_SCHEMA:
                continue  # the form's field name, not a value
            assert value not in text, f"{value} leaked into {p.relative_to(site)}"
    assert {".html", ".json", ".xml", ".csv", ".svg", ".gz", ".jpg"} <= kinds


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_failing_halfway_leaves_the_previous_site(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    build_site(repo, "2026-06-30")
    before = _digest(repo / "build" / "site")
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import mkdocs.commands.build as b\n"
        "_orig = b._build_page\n"
        "_n = [0]\n"
        "def _boom(*a, **k):\n"
        "    _n[0] += 1\n"
        "    if _n[0] == 3:\n"
        "        raise RuntimeError('injected failure halfway through the pages')\n"
        "    return _orig(*a, **k)\n"
        "b._build_page = _boom\n", encoding="utf-8")
    env = dict(os.environ, INNOSTUDIO_AS_OF="2026-06-30", PYTHONPATH=str(inject))
    proc = subprocess.run([sys.executable, "-m", "innostudio", "build", "--root", str(repo)], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "injected failure" in proc.stdout + proc.stderr
    assert _digest(repo / "build" / "site") == before
    assert not [p for p in (repo / "build").iterdir() if p.name.startswith(".site-")]


def test_no_command_changes_studio_or_union_files(sample: Path):
    before = {name: _digest(sample / name) for name in ("studios", "union")}
    commands = [["check"], ["check", "--format", "json"], ["status"], ["rules"], ["schema"],
                ["report", "--year", "2025"], ["rank", "--year", "2026"], ["codeowners"], ["codeowners", "--check"]]
    for args in commands:
        res = run(*args, "--as-of", SAMPLE_AS_OF, cwd=sample) if args[0] in ("check", "status", "report", "rank") \
            else run(*args, cwd=sample)
        assert res.code in (0, 1), (args, res.err)
    build_site(sample)
    after = {name: _digest(sample / name) for name in ("studios", "union")}
    assert after == before
    written = {p.relative_to(sample).as_posix() for p in sample.rglob("*") if p.is_file()} - {
        p.relative_to(REPO).as_posix() for p in REPO.rglob("*") if p.is_file()}
    assert not [w for w in written if not w.startswith(("build/", "schema/", ".github/"))], sorted(written)[:10]
