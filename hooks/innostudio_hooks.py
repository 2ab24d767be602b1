"""MkDocs hooks: thin adapters from MkDocs events to the innostudio package.

Everything MkDocs-specific lives here, in mkdocs.yml and in overrides/: moving to another generator
means rewriting only these. The package itself never imports MkDocs.

- on_config: run the checker (data errors, Y/F/R/P, abort the build with the same findings as
  `innostudio check`; state findings never do: the site shows where each studio stands), pin the build date for reproducible output, and build into a temporary folder.
- on_files: add every generated page and file (innostudio.render.site) as a MkDocs File; photos from the
  encoder's cache are hard-linked into the site in on_post_build instead (nothing to read or write).
- on_page_markdown: append the generated sections to the hand-written home page.
- on_pre_build / on_post_page / on_post_template: start Pagefind's service and hand it every finished page,
  so that it parses them on the second core while MkDocs renders the next ones.
- on_post_build: have Pagefind write the index (into the temporary folder, so the index is part of the
  atomic swap), then swap it into place; on_build_error leaves the old one untouched. The swap renames
  the old site aside; the next build deletes it in a child process while it renders (render/publish.py).
- on_pre_page: generated pages (finished HTML) skip MkDocs' Markdown pass.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

import innostudio.check
from innostudio.admin import EditorMissing, write_admin
from innostudio.forge import Forge
from innostudio.render import publish, search
from innostudio.render.csp import add_policy
from innostudio.render.search import url_of, with_title
from innostudio.render.site import render_site
from innostudio.render.view import SiteConfig

log = logging.getLogger("mkdocs.plugins.innostudio")
_state: dict = {}
PLACEHOLDER = "<!-- innostudio:generated -->"


def on_startup(command, dirty=False, **kwargs):
    _state["command"] = command


def on_config(config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    if _state.get("command") == "build":
        # The site a previous build retired is deleted in a child process while this one checks and renders.
        _finish_sweep()
        _state["sweep"] = publish.sweep(Path(config.site_dir))
    as_of = innostudio.check.resolve_as_of(os.environ.get(innostudio.check.AS_OF_ENV))
    # Reproducible output: MkDocs dates the sitemap and its gzip header from SOURCE_DATE_EPOCH.
    epoch = int(dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc).timestamp())
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    report = innostudio.check.run(root, as_of)
    blocking = innostudio.check.blocking(report)
    for f in report.findings:
        place = f.path or "."
        if f.line is not None:
            place += f":{f.line}:{f.column or 1}"
        line = f"{place}: {f.code} {f.message}"
        if f.severity == "error" and f not in blocking:  # state: published as it is, not a build failure
            log.info(line + "（工作室状态：照常发布，页面显示这一状态）")
        else:
            {"error": log.error, "warning": log.warning}.get(f.severity, log.info)(line)
    if blocking:
        raise PluginError(f"innostudio check 发现 {len(blocking)} 个数据错误，站点未生成。"
                          f"运行 innostudio check 查看并修正后再构建。")
    forge = Forge.from_extra(dict(config.extra))  # the repository's address and edit links follow extra.forge
    if forge is not None:
        config.repo_url, config.edit_uri = forge.repo_url, forge.edit_uri
    site = SiteConfig.from_extra(dict(config.extra), config.site_name, config.site_url or "",
                                 config.repo_url or "")
    outputs, home = render_site(report, site, config.use_directory_urls)
    _state.update(report=report, outputs=outputs, home=home, root=root)
    # Atomic output: build into a temporary folder beside the target; on_post_build swaps it in.
    final = Path(config.site_dir)
    if _state.get("command") == "build":
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=final.parent))
        _state.update(final=final, tmp=tmp)
        config.site_dir = str(tmp)
    return config


def on_files(files, config, **kwargs):
    bodies = _state["bodies"] = {}
    # HTML files copied as they are (not rendered by MkDocs): indexed from the site folder at the end
    _state["static_html"] = [f.dest_uri for f in files if f.dest_uri.endswith(".html") and not f.is_documentation_page()]
    placed = _state["placed"] = []
    for out in _state.get("outputs", []):
        if files.get_file_from_path(out.path) is not None:
            raise PluginError(f"{out.path} 同时存在于 {config.docs_dir}/ 和生成的页面中：请删除手写的那一份")
        if out.file is not None:  # a cached photo: hard-linked into the site in on_post_build, not copied
            placed.append(out)
            continue
        content = out.content
        if out.path.endswith(".md"):
            # The body is finished HTML: MkDocs gets only the front matter and a placeholder, and
            # on_page_content puts the HTML back (Markdown would only slow down on large HTML blocks).
            front, body = out.split()
            bodies[out.path] = body
            content = front + "\n" + PLACEHOLDER + "\n"
        f = File.generated(config, out.path, content=content)
        if out.edit:  # the edit button opens the source a lead edits: studio.yml or the achievement
            docs = Path(config.docs_dir).resolve()
            f.edit_uri = os.path.relpath(_state["root"] / out.edit, docs).replace(os.sep, "/")
        else:  # an index page made from many files has no single source to edit
            f.edit_uri = None
        files.append(f)
    return files


def on_serve(server, config, builder, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    for name in ("studios", "union"):  # live preview rebuilds when entries change
        if (root / name).is_dir():
            server.watch(str(root / name))
    return server


def on_page_content(html, page, config, files, **kwargs):
    body = _state.get("bodies", {}).get(page.file.src_uri)
    if body is not None and PLACEHOLDER in html:
        # MkDocs collected the anchors of the placeholder only: give it those of the real body, so that
        # links like guide/achievement.md -> fields.md#achievement are checked against what is published.
        page.present_anchor_ids = _anchor_ids(body)
        return body
    return html


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if value and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


_START_TAG = re.compile(r"""<[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*>""")
_ID_OR_NAME = re.compile(r"\s(?:id|name)\s*=", re.I)
_OPAQUE = re.compile(r"<(?:!|\?|script|style)", re.I)  # what html.parser reads other than as tags


def _anchor_ids(body: str) -> set[str]:
    parser = _Anchors()
    if _OPAQUE.search(body):  # comments, scripts and the like: let the parser tell text from tags
        parser.feed(body)
    else:  # only start tags that carry an id or a name need parsing (a page body has thousands of tags)
        parser.feed("".join(t for t in _START_TAG.findall(body) if _ID_OR_NAME.search(t)))
    parser.close()
    return parser.ids


def on_pre_page(page, config, files, **kwargs):
    body = _state.get("bodies", {}).get(page.file.src_uri)
    if body is not None:
        # The body is finished HTML: MkDocs' Markdown pass (a new Markdown instance with every configured
        # extension for each page, about 0.7 ms) would convert only the placeholder. The page gets what that
        # pass and on_page_content would give it: the body, no headings of its own for the table of
        # contents, and the anchors of the body.
        page.render = lambda config, files: _render_generated(page, body)
    return page


def _render_generated(page, body: str) -> None:
    page.content = body
    page.toc = get_toc([])
    page._title_from_render = None  # the title comes from the front matter
    page.present_anchor_ids = _anchor_ids(body)


def on_page_markdown(markdown, page, config, files, **kwargs):
    if page.file.src_uri == "index.md":
        return markdown + "\n\n" + _state.get("home", "") + "\n"
    return markdown


def on_pre_build(config, **kwargs):
    _close_indexer()  # a live-preview rebuild that failed before on_post_build
    try:
        _state["indexer"] = search.Indexer()
    except search.SearchIndexError as exc:
        raise PluginError(f"Pagefind 未能启动 / Pagefind failed to start:\n{exc}") from exc


def _index(path: str, html: str) -> None:
    """Hand a finished HTML file of the site (its site path and content) to the search indexer."""
    indexer = _state.get("indexer")
    if indexer is not None:
        indexer.add(url_of(path), html)


def on_post_page(output, page, config, **kwargs):
    output = with_title(output, page.title or "")
    # Content-Security-Policy: inline scripts allowed by hash, taken from the theme around the body only.
    output = add_policy(output, output.replace(page.content or "", ""))
    _index(page.file.dest_uri, output)  # the page as written: no other plugin runs after this hook
    return output


def on_post_template(output_content, template_name, config, **kwargs):
    output = add_policy(output_content, output_content)  # 404.html and other theme pages (no data inside)
    if template_name.endswith(".html"):
        _index(template_name, output)
    return output


def index_site(site_dir: Path, more: list[str]) -> None:
    """Write the search index into ``site_dir``, after adding the HTML files ``more`` (site paths) that
    MkDocs did not render itself."""
    indexer = _state.pop("indexer")
    try:
        for path in more:
            indexer.add(url_of(path), (site_dir / path).read_text(encoding="utf-8", errors="replace"))
        indexer.write(site_dir / "pagefind")
    except search.SearchIndexError as exc:
        raise PluginError(f"Pagefind 未能生成搜索索引 / Pagefind failed:\n{exc}") from exc
    finally:
        indexer.close()


def _close_indexer() -> None:
    indexer = _state.pop("indexer", None)
    if indexer is not None:
        indexer.close()


def on_post_build(config, **kwargs):
    site = Path(config.site_dir)
    for out in _state.get("placed", []):
        out.place(site)
    # The editor at /admin/: not a MkDocs page, so it is in neither the sitemap nor the search index.
    report = _state.get("report")
    more = list(_state.get("static_html", []))
    if report is not None:
        try:
            admin = write_admin(site, _state["root"], report.repo, dict(config.extra),
                                report.as_of, config.site_name, config.site_url or "",
                                icon=config.theme.get("favicon") or "assets/images/favicon.png")
            more += sorted(p.relative_to(site).as_posix() for p in admin.rglob("*.html"))
        except EditorMissing as exc:
            log.warning(f"未生成在线编辑页面 /admin/：{exc}")
    if _state.get("tmp") is None:
        index_site(site, more)  # live preview: index the served folder
        return
    index_site(_state["tmp"], more)  # a failure here leaves the old site (on_build_error removes tmp)
    tmp, final = _state.pop("tmp"), _state.pop("final")
    retired = publish.swap(tmp, final)  # the old site is renamed aside: the next build deletes it
    config.site_dir = str(final)
    if retired is not None and not publish.BACKGROUND:
        publish.Sweep([retired], background=False)
    _finish_sweep()


def _finish_sweep() -> None:
    """Wait until the previous builds' leftovers are deleted (a build never leaves its child behind)."""
    sweep = _state.pop("sweep", None)
    if sweep is not None:
        sweep.wait()


def on_build_error(error, **kwargs):
    _close_indexer()
    _finish_sweep()
    tmp = _state.pop("tmp", None)
    _state.pop("final", None)
    if tmp is not None and tmp.exists():
        shutil.rmtree(tmp, ignore_errors=True)
