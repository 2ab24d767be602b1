"""A build as a process: interrupted, it removes its temporary folder; a later build removes what a killed
one left (never a running build's folder, never the published site); its output names no temporary path."""
from __future__ import annotations

import hashlib
import os
import pty
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import BASE, REPO, SAMPLE_AS_OF, build_site, copy_repo, edit


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _temps(build: Path) -> list[str]:
    return sorted(p.name for p in build.iterdir() if p.name.startswith(".site-"))


# Make the pseudo-terminal on stdin the session's controlling terminal, then become the command.
_ON_TERMINAL = ("import fcntl, os, sys, termios\n"
                "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
                "os.execv(sys.argv[1], sys.argv[1:])\n")


class _Run:
    """A command started as from a terminal: in a session of its own, whose controlling terminal is a
    pseudo-terminal when ``terminal`` (typing Ctrl-C there signals the foreground process group, as a
    user's would); its output is collected as it comes."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], terminal: bool):
        self.chunks: list[bytes] = []
        self.master: int | None = None
        if terminal:
            self.master, slave = pty.openpty()
            self.proc = subprocess.Popen([sys.executable, "-c", _ON_TERMINAL, *args], cwd=cwd, env=env,
                                         stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
            os.close(slave)
            source = self.master
        else:
            self.proc = subprocess.Popen(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         start_new_session=True)
            assert self.proc.stdout is not None
            source = self.proc.stdout.fileno()
        self._reader = threading.Thread(target=self._read, args=(source,), daemon=True)
        self._reader.start()

    def _read(self, fd: int) -> None:
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal's last process has ended
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    @property
    def output(self) -> str:
        return b"".join(self.chunks).decode("utf-8", "replace")

    def ctrl_c(self) -> None:
        assert self.master is not None
        os.write(self.master, b"\x03")

    def wait(self, timeout: float = 300) -> str:
        self.proc.wait(timeout=timeout)
        self._reader.join(timeout=10)
        if self.master is not None:
            os.close(self.master)
        return self.output


def _start(repo: Path, command: list[str], terminal: bool = False) -> _Run:
    env = dict(os.environ, INNOSTUDIO_AS_OF=SAMPLE_AS_OF)
    env.pop("SOURCE_DATE_EPOCH", None)
    return _Run([sys.executable, "-m", "innostudio", *command, "--root", str(repo)], repo, env, terminal)


def _wait_for_temp(proc: subprocess.Popen, build: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if build.is_dir() and _temps(build):
            return
        assert proc.poll() is None, "the build ended before it made its temporary folder"
        time.sleep(0.02)
    raise AssertionError("no temporary folder appeared")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("how", ["ctrl-c", "sigint-to-group", "sigint", "sigterm"])
def test_an_interrupted_build_removes_its_temporary_folder_and_keeps_the_site(tmp_path: Path, how: str):
    repo = copy_repo(REPO, tmp_path / "repo")
    build = repo / "build"
    build_site(repo)
    before = _digest(build / "site")
    edit(repo, "studios/jingzhun-yaoxue/studio.yml", "summary: ", "summary: 中断前的新简介。")
    run = _start(repo, ["build"], terminal=how == "ctrl-c")
    _wait_for_temp(run.proc, build)
    if how == "ctrl-c":  # typed in the terminal: every process of the foreground group has it
        run.ctrl_c()
    elif how == "sigint-to-group":  # kill -INT -<group>, as some job runners cancel
        os.killpg(run.proc.pid, signal.SIGINT)
    else:  # kill, a CI runner cancelling the job: the command's own process only
        run.proc.send_signal(signal.SIGINT if how == "sigint" else signal.SIGTERM)
    out = run.wait()
    assert run.proc.returncode != 0, out
    assert "Traceback" not in out, out
    assert not _temps(build), out
    assert _digest(build / "site") == before  # the interrupted build published nothing
    assert ".site-" not in out


def test_ctrl_c_stops_the_live_preview(tmp_path: Path):
    """The build passes interrupts on to MkDocs; Ctrl-C typed in the terminal has reached it already, and
    must stop the live preview (signalled twice, MkDocs' server would not stop)."""
    repo = copy_repo(BASE, tmp_path / "repo")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = _start(repo, ["serve", "--addr", f"127.0.0.1:{port}"], terminal=True)
    deadline = time.monotonic() + 300
    while "Serving on" not in run.output:
        assert run.proc.poll() is None and time.monotonic() < deadline, run.output
        time.sleep(0.1)
    run.ctrl_c()
    try:
        out = run.wait(timeout=60)
    except subprocess.TimeoutExpired:
        run.proc.kill()
        raise
    assert "Traceback" not in out, out


def test_the_live_preview_reloads_under_no_policy_that_blocks_its_script(tmp_path: Path):
    """`innostudio serve` injects MkDocs' reload script into every page; a Content-Security-Policy made
    for the published site would block it, so the preview carries none (the built site always does)."""
    import urllib.request

    repo = copy_repo(BASE, tmp_path / "repo")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = _start(repo, ["serve", "--addr", f"127.0.0.1:{port}"], terminal=True)
    try:
        deadline = time.monotonic() + 300
        while "Serving on" not in run.output:
            assert run.proc.poll() is None and time.monotonic() < deadline, run.output
            time.sleep(0.1)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode("utf-8")
        assert "livereload(" in page
        assert "Content-Security-Policy" not in page
    finally:
        run.ctrl_c()
        try:
            run.wait(timeout=60)
        except subprocess.TimeoutExpired:
            run.proc.kill()
    build_site(repo, "2026-06-30")
    assert "Content-Security-Policy" in (repo / "build/site/index.html").read_text(encoding="utf-8")


def test_the_next_build_removes_stale_temporary_folders_but_not_a_running_builds(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    build = repo / "build"
    build_site(repo, "2026-06-30")
    published = _digest(build / "site")
    killed = build / f".site-{_dead_pid()}-k1lled00"  # a build killed outright (SIGKILL, power cut)
    (killed / "studios" / "alpha").mkdir(parents=True)
    (killed / "studios" / "alpha" / "index.html").write_text("half written", encoding="utf-8")
    legacy = build / ".site-ab12cd_9"  # an earlier version's folder, which names no owner
    (legacy / "assets").mkdir(parents=True)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        alive = build / f".site-{running.pid}-running0"  # a build still writing beside this one
        (alive / "assets").mkdir(parents=True)
        (alive / "assets" / "x.css").write_text("being written", encoding="utf-8")
        outside = tmp_path / "elsewhere"
        outside.mkdir()
        (outside / "keep.txt").write_text("keep", encoding="utf-8")
        (build / f".site-{_dead_pid()}-linked00").symlink_to(outside, target_is_directory=True)
        build_site(repo, "2026-06-30")
        assert not killed.exists() and not legacy.exists()
        assert (alive / "assets" / "x.css").read_text(encoding="utf-8") == "being written"
        assert (outside / "keep.txt").read_text(encoding="utf-8") == "keep"  # a link is not followed
        assert _digest(build / "site") == published  # the published site is never taken for a leftover
    finally:
        running.kill()
        running.wait()


def test_an_interrupt_during_the_swap_waits_until_the_new_site_is_in_place(tmp_path: Path):
    """SIGTERM arrives between the two renames of the swap: the build stops only once the new site is
    wholly in place (never a moment without build/site)."""
    repo = copy_repo(BASE, tmp_path / "repo")
    build_site(repo, "2026-06-30")
    edit(repo, "studios/alpha/studio.yml", "summary: ", "summary: 换入时中断。")
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import os, signal\n"
        "import innostudio.render.publish as p\n"
        "_swap = p.swap\n"
        "def swap(tmp, site):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return _swap(tmp, site)\n"
        "p.swap = swap\n", encoding="utf-8")
    env = dict(os.environ, INNOSTUDIO_AS_OF="2026-06-30", PYTHONPATH=str(inject))
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(repo / "mkdocs.yml")], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 128 + signal.SIGTERM, out
    assert "换入时中断" in (repo / "build/site/studios/alpha/index.html").read_text(encoding="utf-8")
    assert not _temps(repo / "build") and "Traceback" not in out


def test_build_output_names_no_temporary_folder(tmp_path: Path):
    repo = copy_repo(BASE, tmp_path / "repo")
    build_site(repo, "2026-06-30")  # a second build also sets the first one's site aside
    proc = build_site(repo, "2026-06-30")
    out = proc.stdout + proc.stderr
    assert str(repo / "build" / "site") in out
    assert ".site-" not in out and ".site." not in out, out
    edit(repo, "studios/alpha/studio.yml", "summary:", "sumary:")  # a failing build
    failed = build_site(repo, "2026-06-30", expect=1)
    assert "F002" in failed.stdout + failed.stderr
    assert ".site-" not in failed.stdout + failed.stderr
