"""The site's search index: Pagefind, fed each finished page as the site generator writes it.

PyPI ``pagefind[extended]`` ships its own binary, with Chinese word segmentation. Only the page body is
indexed (``data-pagefind-body``, set by the page template), without the edit button.

:class:`Indexer` runs that binary as a service process (``pagefind --service``) and hands it each page's
URL and final HTML while the generator renders the next one: Pagefind parses the pages on another core
during the render, and only assembles the index at the end. Nothing here knows the generator: any one that
can tell a page's output path and HTML can feed it.

The index files are written here, not by Pagefind: its ``WriteFiles`` replies before the last bytes of
its files are on disk (Tokio file writes, never flushed), and the service exits as soon as its input
ends, so on a busy machine a file (``pagefind-worker.js``, ``pagefind-component-ui.js``) came out cut
short. ``GetFiles`` hands over every file's bytes instead, and they are on disk when :meth:`Indexer.write`
returns.
"""
from __future__ import annotations

import base64
import io
import json
import queue
import re
import subprocess
import tempfile
import threading
from pathlib import Path, PurePosixPath
from typing import IO, cast

EXCLUDE_SELECTORS = [".md-content__button"]  # the edit button is not page text

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


# A div's start or end tag, outside comments and the elements whose text is not markup
_DIV = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|template|textarea)\b.*?(?:</\1\s*>|\Z)|(<div\b)|</div\s*>",
                  re.S | re.I)


def indexed_part(html: str) -> str:
    """What Pagefind reads of a page: its ``<head>`` and the ``data-pagefind-body`` element, without the
    theme's navigation, header and footer around it (most of a page's bytes, which Pagefind would parse
    only to skip). A page without that element is returned whole."""
    start = html.find("<div data-pagefind-body")
    if start < 0:
        return html
    depth = 0
    for m in _DIV.finditer(html, start):
        if m.group(1) is not None or m.group(0).startswith("<!--"):
            continue  # a comment, or a script's text
        depth += 1 if m.group(2) is not None else -1
        if depth == 0:
            end = m.end()
            break
    else:
        return html
    head_end = html.find("</head>", 0, start)
    if head_end < 0:
        return html
    return f"{html[:head_end]}</head><body>{html[start:end]}</body></html>"


def url_of(path: str) -> str:
    """The result URL of an HTML file at site path ``path``, as Pagefind gives it when indexing a folder
    (``studios/x/index.html`` -> ``/studios/x/``)."""
    path = path.replace("\\", "/").lstrip("/")
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return "/" + path


def _executable() -> str:
    # the pinned binary of pagefind[extended]
    from pagefind.service import get_executable

    exe = get_executable()
    if exe is None:
        raise SearchIndexError("找不到 Pagefind 程序（pip install 'pagefind[extended]'）/ Pagefind binary not found")
    return str(exe)


class Indexer:
    """A Pagefind index built page by page in a service process.

    ``add`` never waits: pages are queued and written to the service by a thread, whose replies another
    thread reads. ``write`` waits for every page, takes the index files from the service, writes them
    and stops the service; ``close`` stops it without writing (a failed build). Pages are indexed in the
    order added, so the same pages added in the same order give the same index, byte for byte.
    """

    def __init__(self, exclude_selectors: list[str] | None = None):
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the service runs)
        try:
            self._proc = subprocess.Popen([_executable(), "--service"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=self._stderr)
        except OSError as exc:
            self._stderr.close()
            raise SearchIndexError(f"Pagefind 无法启动 / could not start Pagefind: {exc}") from exc
        self._stdin = cast(IO[bytes], self._proc.stdin)  # both pipes exist: PIPE was asked for
        self._stdout = cast(io.BufferedReader, self._proc.stdout)
        self._sent = 0  # messages handed to the writer thread (ids 1..sent)
        self._replies = 0
        self._errors: list[str] = []
        self._urls: dict[int, str] = {}
        self._files: list[dict[str, str]] | None = None  # the index, as GetFiles gave it
        self._ended = False  # the service's output ended (it exited)
        self._done = threading.Condition()
        # bounded: if Pagefind falls behind (a busy machine), the generator waits instead of piling up pages
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=64)
        self._closed = False
        self._writer = threading.Thread(target=self._write_loop, name="pagefind-in", daemon=True)
        self._reader = threading.Thread(target=self._read_loop, name="pagefind-out", daemon=True)
        self._writer.start()
        self._reader.start()
        self._send({"type": "NewIndex", "config": {"exclude_selectors": list(
            EXCLUDE_SELECTORS if exclude_selectors is None else exclude_selectors)}})

    # -- feeding ------------------------------------------------------------------------------------
    def add(self, url: str, html: str) -> None:
        """Index ``html`` as the page at ``url`` (a site-absolute URL, see :func:`url_of`); Pagefind is handed
        only :func:`indexed_part` (the same index, from a quarter of the bytes)."""
        page = indexed_part(html)
        self._urls[self._send({"type": "AddFile", "index_id": 0, "url": url, "file_contents": page,
                               "file_path": None})] = url

    def _send(self, payload: dict) -> int:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}, ensure_ascii=False)
        self._queue.put(base64.b64encode(message.encode("utf-8")) + b",")
        return self._sent

    def _write_loop(self) -> None:
        stdin, broken = self._stdin, False
        while (data := self._queue.get()) is not None:
            if broken:  # the service died (the reader reports it): keep taking pages so add() never blocks
                continue
            try:
                stdin.write(data)
                if self._queue.empty():
                    stdin.flush()
            except (OSError, ValueError):
                broken = True

    def _read_loop(self) -> None:
        out, parts = self._stdout, []  # parts: the reply read so far (GetFiles' is megabytes long)
        try:
            while chunk := out.read1(1 << 20):
                start = 0
                while (end := chunk.find(b",", start)) >= 0:
                    parts.append(chunk[start:end])
                    self._receive(json.loads(base64.b64decode(b"".join(parts))))
                    parts, start = [], end + 1
                if start < len(chunk):
                    parts.append(chunk[start:])
        except (ValueError, OSError) as exc:
            with self._done:
                self._errors.append(f"unreadable reply from Pagefind: {exc}")
        finally:
            with self._done:
                self._ended = True
                self._done.notify_all()

    def _receive(self, reply: dict) -> None:
        payload = reply.get("payload") or {}
        with self._done:
            if payload.get("type") == "Error":
                url = self._urls.get(reply.get("message_id") or 0)
                self._errors.append((f"{url}: " if url else "") + str(payload.get("message")))
            elif payload.get("type") == "GetFiles":
                self._files = payload.get("files") or []
            self._replies += 1
            self._done.notify_all()

    # -- finishing ----------------------------------------------------------------------------------
    def write(self, output_dir: Path) -> None:
        """Wait for every page, write the index to ``output_dir`` and stop the service; raises
        ``SearchIndexError`` (the service stopped) if Pagefind reported an error or gave no index."""
        try:
            self._send({"type": "GetFiles", "index_id": 0})
            with self._done:
                self._done.wait_for(lambda: self._replies >= self._sent or self._ended or self._errors)
                failed = self._errors or self._replies < self._sent
            if failed or self._files is None:
                raise SearchIndexError(self._failure())
            _write_files(Path(output_dir), self._files)
        finally:
            self.close()

    def _failure(self) -> str:
        lines = list(self._errors[:20])
        if self._replies < self._sent:
            lines.append(f"Pagefind stopped after {self._replies} of {self._sent} requests "
                         f"(exit status {self._proc.poll()})")
        self._stderr.seek(0)
        lines.append(self._stderr.read()[-2000:].decode("utf-8", "replace"))
        return "\n".join(line for line in lines if line)

    def close(self) -> None:
        """Stop the service (it exits at the end of its input)."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._writer.join(timeout=60)
        try:
            self._stdin.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=10)
        self._stdout.close()
        self._stderr.close()


def _write_files(output_dir: Path, files: list[dict[str, str]]) -> None:
    """Write Pagefind's files (``path`` relative to the bundle, ``content`` in base64) into ``output_dir``,
    in path order, each closed before the next; raises ``SearchIndexError`` on a path that would leave
    ``output_dir``, or if the runtime ``pagefind.js`` is not among them."""
    by_path: dict[PurePosixPath, str] = {}
    for f in files:
        rel = PurePosixPath(f["path"].replace("\\", "/"))
        if rel.is_absolute() or not rel.parts or ".." in rel.parts:
            raise SearchIndexError(f"Pagefind 给出的文件路径无效 / Pagefind gave a bad file path: {f['path']!r}")
        by_path[rel] = f["content"]
    if PurePosixPath("pagefind.js") not in by_path:
        raise SearchIndexError("Pagefind 没有给出 pagefind.js / Pagefind gave no pagefind.js")
    for rel in sorted(by_path):
        target = output_dir.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(by_path[rel]))
