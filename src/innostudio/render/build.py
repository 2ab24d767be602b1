"""One build of the site, whatever static-site generator lays out the pages: :class:`SiteBuild`.

The package makes every generated page and file (render/site.py); a generator (MkDocs today, through the
adapter hooks/innostudio_hooks.py) puts the pages into its theme and writes them. SiteBuild does the rest
and knows no generator: the check that may stop the build, the list of generated files, the search index
fed with each finished page, the Content-Security-Policy, the editor at /admin/, the photos linked from the
encoder's cache, and the atomic swap of the finished folder into place (render/publish.py).

What an adapter for a generator does, and all it does:

1. Once the generator has read its configuration, make ``SiteBuild(Options(...), log, publishing=...)``
   (``publishing``: a build of the site; False for a live preview, written into the generator's own folder)
   and call :meth:`SiteBuild.prepare`. ``log``: a logger the generator prints (the checker's findings go
   there; a warning counts as one in the generator's strict mode). Have the generator write into the
   folder :meth:`~SiteBuild.prepare` returns. A :class:`BuildFailed` from any method stops the build with
   its message (no traceback).
2. Add :meth:`SiteBuild.generated` to the generator's sources. A plain file is written as it is. A page
   (``body`` set) is a front matter block for the generator's layout (title, description, template) and a
   finished HTML body: the generator must use the body as the page's content as it is (no Markdown pass),
   with no headings of its own for a table of contents, and the anchors :func:`anchor_ids` finds, if it
   checks links. Hand-written pages go through :meth:`SiteBuild.source` (the home page gets the generated
   sections appended).
3. Once every page is read and only the writing is left, :meth:`SiteBuild.share` with the pages in the
   order the generator writes them and a function that renders and writes one page: on a large site a
   forked child writes every other page with it, and the generator skips the pages share returns (optional:
   without it one process writes everything). Then, before the first page is written,
   :meth:`SiteBuild.start_index`. Every page the generator writes goes through
   :meth:`SiteBuild.page_written`, every other HTML file it renders from its theme (404.html) through
   :meth:`SiteBuild.template_written`; it writes what these return.
4. When everything is written, :meth:`SiteBuild.finish`, which publishes the site and returns its folder;
   when the build fails, :meth:`SiteBuild.abort`.

Interrupts need nothing from the adapter: a build stopped by Ctrl-C, SIGTERM or SIGHUP removes its
temporary folder as it exits, and a later build removes the folder of one that was killed outright. The
generator's log shows the published folder wherever it would name the temporary one. ``innostudio build``
and ``serve`` run the generator's command through :func:`run_child`, which passes interrupts on to it (the
command line is the one other place that names the generator: cli.py's ``_mkdocs``).
"""
from __future__ import annotations

import atexit
import datetime as dt
import gc
import logging
import os
import re
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from .. import check
from ..admin import EditorMissing, write_admin
from . import parallel, publish, search
from .anchors import anchor_ids
from .csp import add_policy
from .site import Output, render_site
from .view import SiteConfig

__all__ = ["BuildFailed", "Generated", "Options", "SiteBuild", "anchor_ids", "run_child"]

_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


# What a hand-written page may cite of the union's policy (SiteBuild.source).
_POLICY_PLACEHOLDER = re.compile(r"\{\{(policy|local)\}\}|\{\{(cite|quote):([A-Za-z0-9_]+)\}\}")

class BuildFailed(Exception):
    """The build stops; the message says why and what to do (the published site is left as it was)."""


@dataclass(frozen=True)
class Options:
    """What the generator's configuration says about the site."""
    root: Path  # the repository: studios/, union/
    site_dir: Path  # where the site is published
    docs_dir: Path  # the hand-written pages
    extra: dict[str, Any] = field(default_factory=dict)  # the site's settings (mkdocs.yml: extra)
    site_name: str = ""
    site_url: str = ""
    repo_url: str = ""
    directory_urls: bool = True  # studios/x/ rather than studios/x.html
    icon: str = "assets/images/favicon.png"  # the favicon, relative to the site root


@dataclass(frozen=True)
class Generated:
    """A generated file for the generator: ``content`` as it is, or, for a page, a front matter block and
    its finished HTML ``body``. ``edit``: the file a lead edits for it (None: made from many files)."""
    path: str
    content: str | bytes
    edit: Path | None = None
    body: str | None = None


class SiteBuild:
    """One build: see the module's docstring for the order of the calls."""

    def __init__(self, options: Options, log: logging.Logger, publishing: bool = True):
        self.options, self.log, self.publishing = options, log, publishing
        self.report: check.Report | None = None
        self.home = ""  # the generated sections of the home page (HTML)
        self._site = SiteConfig()  # the pages' settings, once the check has run
        self._outputs: list[Output] = []
        self._bodies: dict[str, str] = {}
        self._linked: list[Output] = []  # photos from the encoder's cache: hard-linked at the end
        self._copied_html: list[str] = []  # HTML files the generator copies without rendering them
        self._indexer: search.Indexer | None = None
        self._shared: _Shared | None = None  # the pages' writing, when a child writes some of them
        self._frozen = False  # share() froze the collector's view of what exists
        self._in_child = False  # this process is that child: it writes pages, the parent indexes them
        self._folder: Path | None = None  # where the site is written
        self._sweep: publish.Sweep | None = None
        self._tmp: Path | None = None
        self._mask: _PathMask | None = None
        self._handlers: dict[int, Any] = {}
        self._stopping: int | None = None  # the signal that stops the build
        self._swapping = False

    # -- 1. planning ------------------------------------------------------------------------------
    def prepare(self) -> Path:
        """Check the repository (BuildFailed on a data error), plan the pages, and return the folder to
        write the site into: a fresh temporary one beside the site for a build, else the site's own."""
        site = self.options.site_dir
        if self.publishing:  # what earlier builds left is deleted in a child process meanwhile
            self._sweep = publish.sweep(site)
        as_of = check.resolve_as_of(os.environ.get(check.AS_OF_ENV))
        # Reproducible output: generators date the sitemap and its gzip header from SOURCE_DATE_EPOCH.
        epoch = int(dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC).timestamp())
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        self._plan(as_of)
        if not self.publishing:
            self._folder = site
            return site
        self._guard()
        self._tmp = self._folder = publish.make_temp(site)
        self._mask = _PathMask(self._tmp, site)
        for handler in _handlers_of(self.log):
            handler.addFilter(self._mask)
        return self._tmp

    def _plan(self, as_of: dt.date) -> None:
        """Every call into the checker and the renderers: the report, and the outputs made from it."""
        o = self.options
        self.report = check.run(o.root, as_of)
        self._log_findings(self.report)
        site = SiteConfig.from_settings(self.report.repo.settings, repo_url=o.repo_url)
        self._site = site
        self._outputs, self.home = render_site(self.report, site, o.directory_urls)

    def _log_findings(self, report: check.Report) -> None:
        blocking = check.blocking(report)
        for f in report.findings:
            place = f.path or "."
            if f.line is not None:
                place += f":{f.line}:{f.column or 1}"
            line = f"{place}: {f.code} {f.message}"
            if f.severity == "error" and f not in blocking:  # state: published as it is, not a failure
                self.log.info(line + "（工作室状态：照常发布，页面显示这一状态）")
            else:
                {"error": self.log.error, "warning": self.log.warning}.get(f.severity, self.log.info)(line)
        if blocking:
            raise BuildFailed(f"innostudio check 发现 {len(blocking)} 个数据错误，站点未生成。"
                              f"运行 innostudio check 查看并修正后再构建。")

    # -- 2. sources -------------------------------------------------------------------------------
    def generated(self, sources: Iterable[str], copied_html: Iterable[str] = ()) -> list[Generated]:
        """The generated files, for the generator's sources. ``sources``: the paths of its hand-written
        ones (a generated file must not replace one); ``copied_html``: site paths of the HTML files it
        copies as they are, which are indexed at the end."""
        taken = set(sources)
        self._copied_html = list(copied_html)
        self._linked, self._bodies = [], {}
        result = []
        for out in self._outputs:
            if out.path in taken:
                raise BuildFailed(f"{out.path} 同时存在于 {self.options.docs_dir}/ 和生成的页面中："
                                  f"请删除手写的那一份")
            if out.file is not None:  # a cached photo: hard-linked in finish(), never read here
                self._linked.append(out)
                continue
            edit = self.options.root / out.edit if out.edit else None
            if out.path.endswith(".md"):
                front, body = out.split()
                self._bodies[out.path] = body
                result.append(Generated(out.path, front, edit, body))
            else:
                result.append(Generated(out.path, out.content, edit))
        return result

    def body(self, path: str) -> str | None:
        """The finished HTML body of the generated page at source path ``path`` (None: not generated)."""
        return self._bodies.get(path)

    def source(self, path: str, text: str) -> str:
        """A hand-written page's source as the generator should read it: the union's policy cited where the
        page says ``{{policy}}``, ``{{cite:KEY}}``, ``{{quote:KEY}}`` or ``{{local}}`` (the guide speaks of the
        adopter's document, from union/policy.yml), and the home page, ``index.md``, with the generated
        sections."""
        text = _POLICY_PLACEHOLDER.sub(self._policy_text, text) if "{{" in text else text
        return text + "\n\n" + self.home + "\n" if path == "index.md" else text

    def _policy_text(self, match: re.Match[str]) -> str:
        site = self._site
        kind, key = match.group(1) or match.group(2), match.group(3) or ""
        if kind == "policy":
            return f"《{site.policy_short}》"
        if kind == "local":
            return site.local_label
        if kind == "cite":
            return site.cite(key)
        clause = site.clauses.get(key)
        return f"“{clause.quote}”" if clause is not None and clause.quote else ""

    # -- 3. writing -------------------------------------------------------------------------------
    def share(self, pages: Sequence[str], write: Callable[[str], None]) -> bool:
        """Whether a forked child writes some of ``pages`` (site paths, in the order the generator writes
        them), by calling ``write(path)`` for each: on a site large enough and a machine with a second core
        free (render/parallel.py). The generator then asks :meth:`claim` before it writes each page. The
        search index takes the pages in the order of ``pages`` either way. Before :meth:`start_index`."""
        if self._shared is not None or not self.publishing or self._folder is None \
                or not parallel.helper_wanted(len(pages)):
            return False
        # What the pages are made of stays alive to the end: the collector need not scan it again, and the
        # child's copy of it stays shared with this process (a scan writes to every object it visits).
        # Undone in _end (a live preview, which rebuilds in one process, never shares).
        gc.freeze()
        self._frozen = True
        try:
            claims = parallel.Claims()
        except (OSError, ImportError):  # no working semaphores (a container without /dev/shm): one process
            return False
        pages, folder = list(pages), self._folder
        helper = parallel.Helper.start(pages, claims, write, self._become_child, lambda: self._complete(folder))
        if helper is None:
            return False
        self._shared = _Shared(helper, claims, parallel.OrderedIndex(pages, folder, self._index))
        return True

    def claim(self, path: str) -> bool:
        """Whether this process writes the page at ``path`` (else the child of :meth:`share` has). Asked for
        every page, in the order given to share, right before writing it."""
        shared = self._shared
        i = shared.ordered.position(path) if shared is not None else None
        if shared is None or i is None:
            return True
        try:
            if shared.claims.take(i, shared.helper.alive):
                return True
        except parallel.HelperFailed as exc:
            raise _child_failed(exc) from exc
        self._from_child()
        return False

    def _from_child(self) -> None:
        """Index what the child has written since the last look; BuildFailed as soon as it failed."""
        if self._shared is not None:
            try:
                self._shared.ordered.elsewhere(self._shared.helper.poll())
            except parallel.HelperFailed as exc:
                raise _child_failed(exc) from exc

    def _become_child(self) -> None:
        """In the child of :meth:`share`: write pages, index nothing, own nothing of the parent's."""
        self._in_child = True
        self._indexer = self._sweep = None
        self._tmp = None

    def start_index(self) -> None:
        """Start the search indexer, which reads each page as it is written."""
        self._close_indexer()
        try:
            self._indexer = search.Indexer()
        except search.SearchIndexError as exc:
            raise BuildFailed(f"Pagefind 未能启动 / Pagefind failed to start:\n{exc}") from exc

    def page_written(self, path: str, html: str, title: str, body: str) -> str:
        """The final HTML of the page the generator writes at site path ``path`` (``body``: the content it
        put into its layout, the only part that may hold data)."""
        html = search.with_title(html, title)
        # Content-Security-Policy: inline scripts allowed by hash, taken from the layout around the body only.
        # A live preview has none: the generator injects its reload script, different on every request.
        if self.publishing:
            html = add_policy(html, html.replace(body, "") if body else html)
        if self._in_child:
            return html
        if self._shared is not None and self._shared.ordered.position(path) is not None:
            self._shared.ordered.here(path, html)
            self._from_child()
        else:
            self._index(path, html)
        return html

    def template_written(self, path: str, html: str) -> str:
        """The final HTML of a file the generator renders from its theme alone (no data inside)."""
        if self.publishing:
            html = add_policy(html, html)
        if path.endswith(".html"):
            self._index(path, html)
        return html

    def _index(self, path: str, html: str) -> None:
        if self._indexer is not None:
            self._indexer.add(search.url_of(path), html)

    # -- 4. finishing -----------------------------------------------------------------------------
    def finish(self, folder: Path) -> Path:
        """Complete the site the generator wrote into ``folder`` (photos, editor, search index) and publish
        it; returns the published folder. On BuildFailed the published site is left as it was."""
        if not self._join_helper():  # else the child did it
            self._complete(folder)
        admin = folder / "admin"
        more = list(dict.fromkeys(self._copied_html + sorted(p.relative_to(folder).as_posix()
                                                             for p in admin.rglob("*.html"))))
        self._write_index(folder, more)
        if self._tmp is None:  # a live preview: the generator's own folder
            return folder
        site = self.options.site_dir
        self._swapping = True  # an interrupt now waits until the site is whole in its place
        try:
            retired = publish.swap(self._tmp, site)
        finally:
            self._swapping = False
        self._tmp = None
        if retired is not None and not publish.BACKGROUND:
            publish.Sweep([retired], background=False)
        self._end()
        return site

    def _join_helper(self) -> bool:
        """Wait for the child of :meth:`share` and index what is left, in order; BuildFailed if it failed.
        Whether there was one (it has then completed the folder too)."""
        if self._shared is None:
            return False
        helper, ordered = self._shared.helper, self._shared.ordered
        try:  # until the child has ended, an interrupt here stops it (_stop_helper)
            ordered.elsewhere(helper.wait())
        except parallel.HelperFailed as exc:
            raise _child_failed(exc) from exc
        finally:
            if not helper.pid:  # ended and reaped
                self._shared = None
        ordered.finish()
        here, there = ordered.counts
        self.log.info(f"页面由两个进程写出：本进程 {here:,} 页，子进程 {there:,} 页 / pages written by two processes")
        return True

    def _complete(self, folder: Path) -> None:
        """What the site holds besides its pages: the photos and the editor."""
        for out in self._linked:
            out.place(folder)
        self._write_editor(folder)

    def _write_editor(self, folder: Path) -> None:
        """The editor at /admin/ (in neither the sitemap nor the search index: its pages say
        data-pagefind-ignore)."""
        o, report = self.options, self.report
        if report is None:
            return
        try:
            write_admin(folder, o.root, report.repo, dict(o.extra), report.as_of, o.site_name, o.site_url,
                        icon=o.icon)
        except EditorMissing as exc:
            self.log.warning(f"未生成在线编辑页面 /admin/：{exc}")

    def _write_index(self, folder: Path, more: list[str]) -> None:
        """Add the HTML files ``more`` (site paths) and write the index into ``folder``/pagefind."""
        indexer, self._indexer = self._indexer, None
        if indexer is None:
            return
        try:
            for path in more:
                indexer.add(search.url_of(path), (folder / path).read_text(encoding="utf-8", errors="replace"))
            indexer.write(folder / "pagefind")
        except search.SearchIndexError as exc:
            raise BuildFailed(f"Pagefind 未能生成搜索索引 / Pagefind failed:\n{exc}") from exc
        finally:
            indexer.close()

    def abort(self) -> None:
        """The build failed: stop the indexer, remove the temporary folder; the published site stays."""
        self._stop_helper()
        self._close_indexer()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        self._end()

    def _stop_helper(self) -> None:
        shared, self._shared = self._shared, None
        if shared is not None:
            shared.helper.stop()

    def _close_indexer(self) -> None:
        indexer, self._indexer = self._indexer, None
        if indexer is not None:
            indexer.close()

    def _end(self) -> None:
        """Wait for the deletion of earlier leftovers (a build never leaves its child behind); undo
        :meth:`_guard` and the log mask; and stop now if an interrupt came during the swap."""
        sweep, self._sweep = self._sweep, None
        if sweep is not None:
            sweep.wait()
        if self._frozen:
            self._frozen = False
            gc.unfreeze()
        if self._mask is not None:
            for handler in _handlers_of(self.log):
                handler.removeFilter(self._mask)
            self._mask = None
        atexit.unregister(self._on_exit)
        for signum, handler in self._handlers.items():
            signal.signal(signum, handler)
        self._handlers = {}
        if self._stopping:
            raise SystemExit(128 + self._stopping)

    # -- interrupts -------------------------------------------------------------------------------
    def _guard(self) -> None:
        """Until :meth:`_end`, an interrupt ends the process (its exit removes the temporary folder)."""
        atexit.register(self._on_exit)
        if threading.current_thread() is threading.main_thread():
            for signum in _SIGNALS:
                self._handlers[signum] = signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._stopping is not None:  # the same interrupt again (from the terminal and the parent)
            return
        self._stopping = signum
        if not self._swapping:
            raise SystemExit(128 + signum)

    def _on_exit(self) -> None:
        """At the exit of a process whose build did not end (interrupted): remove the temporary folder."""
        if self._stopping is None:
            self._stopping = 0  # a signal during this clean-up is ignored
        tmp = self._tmp
        self._stop_helper()
        self._close_indexer()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
            self._tmp = None
            self.log.warning(f"构建已中断，未完成的站点已删除，{self.options.site_dir} 保持原样 / "
                             f"build interrupted: the unfinished site was removed, the published one is unchanged")


@dataclass(frozen=True)
class _Shared:
    """The writing of the pages shared with a child (:meth:`SiteBuild.share`)."""
    helper: parallel.Helper  # the child
    claims: parallel.Claims  # which process writes which page
    ordered: parallel.OrderedIndex  # the order the pages are indexed in, whoever wrote them


def _child_failed(exc: parallel.HelperFailed) -> BuildFailed:
    return BuildFailed(f"写页面的子进程失败 / the process that wrote half of the pages failed:\n{exc}")


class _PathMask(logging.Filter):
    """Shows ``final`` in log records that name the temporary folder ``tmp``."""

    def __init__(self, tmp: Path, final: Path):
        super().__init__()
        self.tmp, self.final = str(tmp), str(final)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.tmp in message:
            record.msg, record.args = message.replace(self.tmp, self.final), None
        return True


def _handlers_of(log: logging.Logger) -> list[logging.Handler]:
    """The handlers that print the records of ``log``: its own and its ancestors'."""
    handlers: list[logging.Handler] = []
    current: logging.Logger | None = log
    while current is not None:
        handlers += current.handlers
        current = current.parent if current.propagate else None
    return handlers


def _in_terminal_foreground() -> bool:
    """Whether this process is in the foreground process group of its terminal, whose Ctrl-C then
    signals every process of the group: a child started here has had it too."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | getattr(os, "O_NOCTTY", 0))
    except OSError:  # no controlling terminal (CI, a service), or not POSIX
        return False
    try:
        return os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(fd)


def run_child(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run a generator's command and return its exit status. An interrupt of this process (SIGINT,
    SIGTERM, SIGHUP) is passed on to it, and waited for, so that a build can remove its temporary folder;
    except a Ctrl-C typed in the terminal, which has reached the child already (MkDocs' live preview,
    signalled twice, may not stop). A second interrupt kills the child at once."""
    proc = subprocess.Popen(command, cwd=cwd, env=env)
    interrupts: list[int] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        interrupts.append(signum)
        if len(interrupts) > 1:
            proc.kill()
        elif signum != signal.SIGINT or (os.name == "posix" and not _in_terminal_foreground()):
            try:
                proc.send_signal(signum)
            except (OSError, ValueError):
                pass

    old: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        old = {signum: signal.signal(signum, forward) for signum in _SIGNALS}
    try:
        return proc.wait()
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)
