"""MkDocs hooks: the adapter from MkDocs 1.6's events to innostudio.render.build.SiteBuild.

The build itself (check, generated pages, search index, CSP, editor, photos, atomic swap, interrupts) is
generator-neutral and lives in the package, which never imports MkDocs; its docstring says what an adapter
does. Here are only the MkDocs parts: generated pages become MkDocs File objects, their finished HTML
bodies skip MkDocs' Markdown pass (a Markdown instance with every configured extension per page), and on a
large site a forked child writes every other page (SiteBuild.share) with MkDocs 1.6's own page writer,
``mkdocs.commands.build._build_page``, which MkDocs' loop then skips for those pages.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import mkdocs.commands.build as mkdocs_build
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from innostudio.forge import Forge
from innostudio.render.build import BuildFailed, Options, SiteBuild, anchor_ids

log = logging.getLogger("mkdocs.plugins.innostudio")
_command: list[str] = []  # the MkDocs command: a site is published (swapped in) only by "build"
_build: list[SiteBuild] = []  # this build's
_nav: list[Any] = []  # this build's navigation
# MkDocs 1.6's own: render one page into the theme and write it (never this module's stand-in below, which
# an earlier load of this module may have left in place)
_write_page = getattr(mkdocs_build._build_page, "_innostudio_original", mkdocs_build._build_page)


def _run(call: Any, *args: Any) -> Any:
    """Call into the build; BuildFailed stops MkDocs with its message."""
    try:
        return call(*args)
    except BuildFailed as exc:
        raise PluginError(str(exc)) from exc


def on_startup(command, dirty=False, **kwargs):
    _command[:] = [command]


def on_config(config, **kwargs):
    if _build:  # a live-preview rebuild: the previous one has ended or failed
        _build.pop().abort()
    root = Path(config.config_file_path).resolve().parent
    forge = Forge.from_extra(dict(config.extra))  # the repository's address and edit links follow extra.forge
    if forge is not None:
        config.repo_url, config.edit_uri = forge.repo_url, forge.edit_uri
    options = Options(root=root, site_dir=Path(config.site_dir), docs_dir=Path(config.docs_dir),
                      extra=dict(config.extra), site_name=config.site_name, site_url=config.site_url or "",
                      repo_url=config.repo_url or "", directory_urls=config.use_directory_urls,
                      icon=config.theme.get("favicon") or "assets/images/favicon.png")
    build = SiteBuild(options, log, publishing=_command == ["build"])
    _build.append(build)
    config.site_dir = str(_run(build.prepare))
    return config


def on_files(files, config, **kwargs):
    build = _build[-1]
    copied = [f.dest_uri for f in files if f.dest_uri.endswith(".html") and not f.is_documentation_page()]
    docs = Path(config.docs_dir).resolve()
    for out in _run(build.generated, {f.src_uri for f in files}, copied):
        f = File.generated(config, out.path, content=out.content)
        # the edit button opens the source a lead edits; an index page made of many files has none
        f.edit_uri = os.path.relpath(out.edit, docs).replace(os.sep, "/") if out.edit else None
        files.append(f)
    return files


def on_serve(server, config, builder, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    for name in ("studios", "union"):  # live preview rebuilds when entries change
        if (root / name).is_dir():
            server.watch(str(root / name))
    return server


def on_pre_page(page, config, files, **kwargs):
    body = _build[-1].body(page.file.src_uri)
    if body is not None:  # finished HTML: what MkDocs' Markdown pass and its collection of anchors give
        page.render = lambda config, files: _render_generated(page, body)
    return page


def _render_generated(page, body: str) -> None:
    page.content = body
    page.toc = get_toc([])  # no headings of its own in the table of contents
    page._title_from_render = None  # the title comes from the front matter
    page.present_anchor_ids = anchor_ids(body)  # links into it are checked against what is published


def on_page_markdown(markdown, page, config, files, **kwargs):
    return _build[-1].source(page.file.src_uri, markdown)


def on_nav(nav, config, files, **kwargs):
    _nav[:] = [nav]
    return nav


def on_env(env, config, files, **kwargs):
    """Every page is read: share the writing with a child (large sites), then start the search index."""
    build = _build[-1]
    docs = files.documentation_pages(inclusion=InclusionLevel.is_included)
    pages = {f.dest_uri: f.page for f in docs if f.page is not None}

    def write(path: str) -> None:  # as MkDocs' loop would
        _write_page(pages[path], config, docs, _nav[0], env)

    # A plugin (not a hook) may keep state per page, which the child's pages would not reach: one process.
    plugins = set(config.plugins) - set(config.hooks)
    if not plugins and len(pages) == len(docs) and _run(build.share, list(pages), write):
        mkdocs_build._build_page = _write_if_claimed
    _run(build.start_index)
    return env


def _write_if_claimed(page, *args, **kwargs):
    if _run(_build[-1].claim, page.file.dest_uri):  # else the child has written it
        _write_page(page, *args, **kwargs)


_write_if_claimed._innostudio_original = _write_page  # type: ignore[attr-defined]


def _unshare() -> None:
    mkdocs_build._build_page = _write_page


def on_post_page(output, page, config, **kwargs):
    # the page as written: no other plugin runs after this hook
    return _run(_build[-1].page_written, page.file.dest_uri, output, page.title or "", page.content or "")


def on_post_template(output_content, template_name, config, **kwargs):
    return _build[-1].template_written(template_name, output_content)  # 404.html and the like


def on_post_build(config, **kwargs):
    _unshare()
    config.site_dir = str(_run(_build[-1].finish, Path(config.site_dir)))


def on_build_error(error, **kwargs):
    _unshare()
    if _build:
        _build[-1].abort()
