"""Pages written by two processes, indexed in one order.

A generator renders a site's pages one after another, each into the theme's layout. On a site of a few
thousand pages that is most of the build; with a second core free, :class:`Helper` forks a child that
renders pages while this process renders the others. Both walk the pages in the generator's order and
claim each page before they render it (:class:`Claims`: a counter in shared memory), so each renders as
many as it has time for. Each page is rendered by the generator's own function, on the same data
(copy-on-write), into the same folder; the child only tells this process, over a pipe, which pages are on
disk.

The search index must not depend on which process finished first: :class:`OrderedIndex` hands the pages to
the indexer in the generator's order, whoever wrote them, so a build on two processes gives the same index,
byte for byte, as a build on one (tests/test_parallel_build.py). What the child logs is logged by this
process, so that it is printed once and a generator's strict mode counts it; a failure of the child fails
the build as soon as this process notices it.

INNOSTUDIO_JOBS (as for ``check``): unset or ``auto``, two processes on a site of :data:`MIN_PAGES` pages or
more where ``fork`` exists, two cores are free and no other thread runs; ``1``, one process; ``2`` or more,
two processes whatever the size.
"""
from __future__ import annotations

import contextlib
import errno
import logging
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from ..forking import Pickled, child_ready, fork, fork_jobs

__all__ = ["MIN_PAGES", "Claims", "Helper", "HelperFailed", "OrderedIndex", "helper_wanted", "map_split"]

T = TypeVar("T")
R = TypeVar("R")

MIN_PAGES = 400  # below this, rendering half of the pages takes about as long as starting the child

_SEP = b"\0"
_DONE, _FAILED, _LOG = b"d", b"f", b"l"
_LOCK_PATIENCE = 2.0  # seconds between looks at whether the child still lives, while waiting for the lock


class HelperFailed(RuntimeError):
    """The child stopped before it had written its pages: the message is what it said, or its exit status."""


def helper_wanted(n: int, minimum: int = MIN_PAGES) -> bool:
    """Whether ``n`` pages (or other pieces of work) are shared with a second process (forking.fork_jobs):
    ``minimum`` of them or more."""
    return fork_jobs(n, minimum) >= 2


def map_split(fn: Callable[[T], R], items: Sequence[T], minimum: int) -> list[R]:
    """``[fn(x) for x in items]``, on two processes when there are ``minimum`` items or more and a second
    core is free (:func:`helper_wanted`): a forked child takes every other item and sends its results back
    pickled. Anything the child fails to send is computed here; the results are the same either way."""
    child = Pickled.start(lambda: [fn(x) for x in items[1::2]]) if helper_wanted(len(items), minimum) else None
    if child is None:
        return [fn(x) for x in items]
    try:
        mine = [fn(x) for x in items[0::2]]
    except BaseException:  # fn failed here (or an interrupt): the child's results are not wanted
        child.stop()
        raise
    ok, theirs = child.result()
    if not ok or not isinstance(theirs, list) or len(theirs) != len(items[1::2]):
        theirs = [fn(x) for x in items[1::2]]
    out: list[R] = []
    for i, result in enumerate(mine):
        out.append(result)
        if i < len(theirs):
            out.append(theirs[i])
    return out


class Claims:
    """Which process renders which page: the pages are claimed in order, one at a time, by either process.
    The position of the first page nobody has claimed lives in shared memory, under a lock."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self._lock = ctx.Lock()
        self._next = ctx.RawValue("q", 0)

    def next(self) -> int:
        """Claim the first page nobody has claimed, and return its position (the child's side)."""
        with self._lock:
            i = self._next.value
            self._next.value = i + 1
        return i

    def take(self, i: int, alive: Callable[[], bool] = lambda: True) -> bool:
        """Claim the page at position ``i``, unless the other process has (this process's side: it visits
        every position in order, so a page before ``i`` is never left unclaimed). ``alive``: whether the
        child still lives; HelperFailed when it died, perhaps holding the lock."""
        while not self._lock.acquire(timeout=_LOCK_PATIENCE):
            if not alive():
                raise HelperFailed("the child ended while it held the page counter")
        try:
            if self._next.value > i:
                return False
            self._next.value = i + 1
        finally:
            self._lock.release()
        return True


class Helper:
    """A forked child that writes the pages of ``paths`` it claims (:class:`Claims`) by calling ``write(path)``
    for each, in order, and says so after each one; ``in_child`` runs in the child before the first page
    (the caller's state for a child), then ``before`` (more of the site's files: meanwhile this process
    claims the first pages). What the child logs is not printed there: each record goes to this process,
    which logs it (:meth:`poll`, :meth:`wait`), so that a generator's strict mode counts the child's
    warnings too, and the output is not interleaved."""

    def __init__(self, pid: int, fd: int, paths: Sequence[str]):
        self.pid, self._fd, self.paths = pid, fd, tuple(paths)
        self._buffer = b""
        self._error = ""
        self._status: int | None = None  # the exit status, once reaped
        self._open = True

    @classmethod
    def start(cls, paths: Sequence[str], claims: Claims, write: Callable[[str], None],
              in_child: Callable[[], None], before: Callable[[], None]) -> Helper | None:
        """The child, started; None when no process could be started (write everything here)."""
        try:
            r, w = os.pipe()
        except OSError:
            return None
        try:
            pid, old = fork()
        except OSError:
            os.close(r)
            os.close(w)
            return None
        if pid == 0:  # the child: write, tell, leave without the parent's clean-up (atexit, temp folder)
            status = 1
            try:
                child_ready(old)
                os.close(r)
                _forward_logs(w)
                in_child()
                before()
                while (i := claims.next()) < len(paths):
                    write(paths[i])
                    _send(w, _DONE + paths[i].encode("utf-8"))
                status = 0
            except BaseException:  # noqa: BLE001 - reported to the parent, which fails the build
                try:  # the innermost frames: where a template or a page went wrong
                    _send(w, _FAILED + traceback.format_exc(limit=-10).encode("utf-8", "replace"))
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                os._exit(status)
        os.close(w)
        os.set_blocking(r, False)
        return cls(pid, r, paths)

    def alive(self) -> bool:
        """Whether the child still runs."""
        if not self.pid or self._status is not None:
            return False
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True
        self._status = status  # reaped here: wait() reads it
        return False

    def poll(self) -> list[str]:
        """The pages written since the last call (never waits); HelperFailed as soon as the child says it
        failed."""
        if not self._open:
            return []
        chunks = []
        while True:
            try:
                chunk = os.read(self._fd, 1 << 16)
            except BlockingIOError:
                break
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                raise
            if not chunk:
                self._close()
                break
            chunks.append(chunk)
        done = self._messages(b"".join(chunks))
        if self._error:
            raise HelperFailed(self._error)
        return done

    def wait(self) -> list[str]:
        """The pages written since the last call, once the child has ended; HelperFailed if it failed."""
        done: list[str] = []
        if self._open:
            os.set_blocking(self._fd, True)
            chunks = []
            while chunk := os.read(self._fd, 1 << 16):
                chunks.append(chunk)
            self._close()
            done = self._messages(b"".join(chunks))
        status = self._status if self._status is not None else os.waitpid(self.pid, 0)[1]
        self.pid = 0
        code = os.waitstatus_to_exitcode(status)
        if code != 0 or self._error:
            raise HelperFailed(self._error or f"exit status {code}")
        return done

    def stop(self) -> None:
        """End the child now (a failed or interrupted build) and wait for it."""
        if self.pid and self._status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self.pid = 0
        self._close()

    def _messages(self, data: bytes) -> list[str]:
        *complete, self._buffer = (self._buffer + data).split(_SEP)
        done = []
        for message in complete:
            if message.startswith(_DONE):
                done.append(message[1:].decode("utf-8"))
            elif message.startswith(_LOG):
                _relog(message[1:])
            elif message.startswith(_FAILED):
                self._error = message[1:].decode("utf-8", "replace")
        return done

    def _close(self) -> None:
        if self._open:
            self._open = False
            os.close(self._fd)


def _send(fd: int, message: bytes) -> None:
    data = message.replace(_SEP, b" ") + _SEP
    while data:
        data = data[os.write(fd, data):]


class _Forward(logging.Filter):
    """In the child: a record goes to the parent instead of the child's own handlers."""

    def __init__(self, fd: int):
        super().__init__()
        self.fd = fd

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_innostudio_sent", False):  # a record passes every handler up its loggers
            return False
        record._innostudio_sent = True
        with contextlib.suppress(OSError):
            _send(self.fd, _LOG + f"{record.levelno}\t{record.name}\t{record.getMessage()}".encode("utf-8",
                                                                                              "replace"))
        return False


def _forward_logs(fd: int) -> None:
    """Every handler of the child (those it has from the parent) passes its records to the parent."""
    forward = _Forward(fd)
    loggers = [logging.getLogger()] + [x for x in logging.Logger.manager.loggerDict.values()
                                       if isinstance(x, logging.Logger)]
    for handler in {h for lg in loggers for h in lg.handlers}:
        handler.addFilter(forward)


def _relog(data: bytes) -> None:
    level, name, message = data.decode("utf-8", "replace").split("\t", 2)
    logging.getLogger(name).log(int(level), message)


class OrderedIndex:
    """Hands pages to ``add(path, html)`` in the order of ``order`` (site paths), whichever process wrote them:
    a page of this process is kept until the pages before it have been handed over, a page of the child is
    read from ``folder`` when its turn comes."""

    def __init__(self, order: Iterable[str], folder: Path, add: Callable[[str, str], None]):
        self._order = list(order)
        self._position = {path: i for i, path in enumerate(self._order)}
        self._folder, self._add = folder, add
        self._ready: dict[int, str | None] = {}  # position -> HTML (None: on disk, from the child)
        self._next = 0
        self.counts = [0, 0]  # pages written here, by the child

    def position(self, path: str) -> int | None:
        """Where ``path`` stands in the order (None: not one of the pages)."""
        return self._position.get(path)

    def here(self, path: str, html: str) -> None:
        """A page this process wrote."""
        self._ready[self._position[path]] = html
        self.counts[0] += 1
        self._flush()

    def elsewhere(self, paths: Iterable[str]) -> None:
        """Pages the child wrote (now on disk)."""
        for path in paths:
            self._ready[self._position[path]] = None
            self.counts[1] += 1
        self._flush()

    def finish(self) -> None:
        """Hand over what is left, in order, skipping a page nobody wrote (the generator left it out)."""
        for i in sorted(self._ready):
            self._hand(i)
        self._ready.clear()
        self._next = len(self._order)

    def _flush(self) -> None:
        while self._next in self._ready:
            self._hand(self._next)
            del self._ready[self._next]
            self._next += 1

    def _hand(self, i: int) -> None:
        path, html = self._order[i], self._ready[i]
        if html is None:
            try:
                html = (self._folder / path).read_text(encoding="utf-8", errors="replace")
            except FileNotFoundError:  # the generator wrote nothing for it (empty output)
                return
        self._add(path, html)
