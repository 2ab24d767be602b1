"""Publishing a finished site folder: an atomic swap, and the retired site deleted during the next build.

A build writes into a temporary folder beside the site and swaps it in only when everything succeeded, so
a failed build leaves the published site as it was. Deleting the previous site (some 30,000 files at 300
studios, about 4 s of kernel work) used to be the last step of every build. Now the swap only renames the
old folder aside, into ``.<site>.old-XXXX/`` beside the site, and the next build deletes such leftovers in a
child process while it checks and renders on the other core (:func:`sweep`), and waits for it before it
ends. Plain ``mkdocs build`` deletes the previous site synchronously, at the start of its build.

- A leftover that a crash or a kill left half deleted is simply deleted by the next build; so are several.
- The temporary folder a build writes into is named after the process that owns it (``.<site>-<pid>-XXXX``,
  :func:`make_temp`). A build that is interrupted removes its own (render/build.py); one that was killed
  outright leaves it, and the next build deletes it with the retired sites once no process of that id runs
  (:func:`stale_temps`). A build never deletes the temporary folder of a build still running beside it.
- A web server still sending files of the old folder keeps them: they are unlinked, not rewritten.
- On Windows the old site is deleted right after the swap, in the build itself, as before (files there can
  be held open by other programs: what cannot be deleted is left for the next build). Where no child
  process can be started, leftovers are deleted synchronously.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The child process: lowest priority for the build's sake, and nothing it fails to delete is an error
# (the next build tries again).
_SWEEP = ("import os, shutil, sys\n"
          "try:\n    os.nice(10)\nexcept (AttributeError, OSError):\n    pass\n"
          "for p in sys.argv[1:]:\n    shutil.rmtree(p, ignore_errors=True)\n")


BACKGROUND = os.name != "nt"  # Windows: deleted in the build itself


def retired_prefix(site: Path) -> str:
    return f".{site.name}.old-"


def make_temp(site: Path) -> Path:
    """A new, empty temporary folder beside ``site`` for a build to write into, named after this process."""
    site.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site.name}-{os.getpid()}-", dir=site.parent))


def _alive(pid: int) -> bool:
    """Whether a process with id ``pid`` runs (this one excepted: a folder of that id is an earlier
    process's, one that had the same id, as happens in containers)."""
    if pid == os.getpid() or pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        import ctypes

        kernel = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        ok = kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return not ok or code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process
        return True
    return True


def stale_temps(site: Path) -> list[Path]:
    """Temporary folders of builds of ``site`` that no running process owns: ``.<site>-<pid>-XXXX`` whose
    process has ended, and the ``.<site>-XXXX`` of earlier versions, which named no owner. Call it before
    this process makes its own folder."""
    if not site.parent.is_dir():
        return []
    # tempfile's names: 8 characters of a-z, 0-9 and _
    owned = re.compile(re.escape(f".{site.name}-") + r"(\d+)-[a-z0-9_]{8}")
    unowned = re.compile(re.escape(f".{site.name}-") + r"[a-z0-9_]{8}")
    found = []
    for p in site.parent.iterdir():
        m = owned.fullmatch(p.name)
        if (unowned.fullmatch(p.name) or (m and not _alive(int(m.group(1))))) and p.is_dir() \
                and not p.is_symlink():
            found.append(p)
    return sorted(found)


def leftovers(site: Path) -> list[Path]:
    """Retired copies of ``site`` beside it: ``.<site>.old-*`` folders, and the ``<site>.old`` an earlier
    version left when a build stopped between its two renames; and the temporary folders of builds that
    were killed (:func:`stale_temps`)."""
    if not site.parent.is_dir():
        return []
    prefix = retired_prefix(site)
    found = sorted(p for p in site.parent.iterdir() if p.name.startswith(prefix) and p.is_dir()
                   and not p.is_symlink())
    legacy = site.with_name(site.name + ".old")
    if legacy.is_dir() and not legacy.is_symlink():
        found.append(legacy)
    return found + stale_temps(site)


class Sweep:
    """Leftover folders being deleted, in a child process where possible; :meth:`wait` until they are."""

    def __init__(self, paths: list[Path], background: bool | None = None):
        self.paths = paths
        self._proc: subprocess.Popen | None = None
        if not paths:
            return
        if background is None:
            background = BACKGROUND
        if background:
            try:
                self._proc = subprocess.Popen([sys.executable, "-c", _SWEEP, *map(str, paths)],
                                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL, close_fds=True)
                return
            except OSError:
                pass
        self._delete()

    def _delete(self) -> None:
        for p in self.paths:
            shutil.rmtree(p, ignore_errors=True)

    def wait(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.wait()  # interrupted: the child finishes on its own, or the next build sweeps the rest


def sweep(site: Path, background: bool | None = None) -> Sweep:
    """Start deleting the retired copies of ``site`` (see the module's docstring)."""
    return Sweep(leftovers(site), background)


def swap(tmp: Path, site: Path) -> Path | None:
    """Put the finished folder ``tmp`` in the place of ``site``. The previous site is renamed aside into a
    fresh ``.<site>.old-XXXX`` folder beside it and returned (the next build's :func:`sweep` deletes it);
    None when there was no previous site."""
    retired = None
    if site.exists():
        retired = Path(tempfile.mkdtemp(prefix=retired_prefix(site), dir=site.parent))
        site.rename(retired / site.name)
    try:
        tmp.rename(site)
    except OSError:  # the previous site goes back into place
        if retired is not None:
            (retired / site.name).rename(site)
            retired.rmdir()
        raise
    os.chmod(site, 0o755)
    return retired
