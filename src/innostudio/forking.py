"""Work shared with a forked child process: when to fork, and a child that computes one value and sends it
back pickled. `check` runs some rules this way, the build converts half of the Markdown texts this way
(render/parallel.py, which also forks the child that writes pages).

INNOSTUDIO_JOBS: unset or ``auto``, a second process where ``fork`` exists (not on macOS, where it is
unsafe), no other thread runs (one may hold a lock the child would wait for: ``mkdocs serve``), two cores
are free and the work is large enough; ``1``, one process; ``N`` >= 2, N processes whatever the size.
"""
from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["JOBS_ENV", "Pickled", "child_ready", "cores", "fork", "fork_jobs"]

JOBS_ENV = "INNOSTUDIO_JOBS"
_SIGNALS = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def fork_jobs(n: int, minimum: int) -> int:
    """How many processes share ``n`` pieces of work, of which ``minimum`` pay for a second process (see
    the module's docstring)."""
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return 1
    if threading.active_count() > 1:
        return 1
    value = os.environ.get(JOBS_ENV, "").strip().lower()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    if value not in ("", "auto"):
        return 1
    return 2 if n >= minimum and cores() >= 2 else 1


def fork() -> tuple[int, set[Any] | None]:
    """os.fork with interrupts held back: the parent takes them again at once, the child once it is inside
    the block that ends it (:func:`child_ready`), so that an interrupt never makes the child run on as a
    copy of the parent. Returns the pid and the signal mask to restore."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS) if hasattr(signal, "pthread_sigmask") else None
    try:
        pid = os.fork()
    except BaseException:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        raise
    if pid != 0 and old is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
    return pid, old


def child_ready(old: set[Any] | None) -> None:
    """In the child of :func:`fork`, inside the block that ends it: interrupts are taken again."""
    if old is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class Pickled:
    """A forked child that computes ``compute()`` on the parent's data (copy-on-write) and sends the value
    back pickled; :meth:`result` waits for it. The child leaves without the parent's clean-up."""

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd

    @classmethod
    def start(cls, compute: Callable[[], Any]) -> Pickled | None:
        """The child, started; None when no process could be started (compute here)."""
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
        if pid == 0:
            status = 1
            try:
                child_ready(old)
                os.close(r)
                gc.freeze()  # the parent's objects stay shared: the collector would write to each one it scans
                data = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(w, "wb") as fh:
                    fh.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(w)
        return cls(pid, r)

    def result(self) -> tuple[bool, Any]:
        """``(True, value)`` once the child has sent it; ``(False, None)`` when it sent nothing whole."""
        try:
            with os.fdopen(self.fd, "rb") as fh:
                data = fh.read()
        except OSError:
            data = b""
        finally:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        try:
            return True, pickle.loads(data)
        except Exception:  # noqa: BLE001 - nothing or a broken message
            return False, None

    def stop(self) -> None:
        """The value is not wanted (this process failed or was interrupted): end the child and wait for it."""
        with contextlib.suppress(OSError):
            os.close(self.fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
