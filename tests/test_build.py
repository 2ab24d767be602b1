"""A build as a process: interrupted, it removes its temporary folder; a later build removes what a killed
one left (never a running build's folder, never the published site); its output names no temporary path."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BASE, REPO, SAMPLE_AS_OF, build_site, copy_repo, edit


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _temps(build: Path) -> list[str]:
    return sorted(p.name for p in build.iterdir() if p.name.startswith(".site-"))


def _start_build(repo: Path, env_extra: dict[str, str] | None = None) -> subprocess.Popen:
    env = dict(os.environ, INNOSTUDIO_AS_OF=SAMPLE_AS_OF, **(env_extra or {}))
    env.pop("SOURCE_DATE_EPOCH", None)
    # a session of its own, as a build started from a terminal: Ctrl-C signals its whole process group
    return subprocess.Popen([sys.executable, "-m", "innostudio", "build", "--root", str(repo)], cwd=repo,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


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


@pytest.mark.parametrize("how", ["ctrl-c", "sigint", "sigterm"])
def test_an_interrupted_build_removes_its_temporary_folder_and_keeps_the_site(tmp_path: Path, how: str):
    repo = copy_repo(REPO, tmp_path / "repo")
    build = repo / "build"
    build_site(repo)
    before = _digest(build / "site")
    edit(repo, "studios/jingzhun-yaoxue/studio.yml", "summary: ", "summary: 中断前的新简介。")
    proc = _start_build(repo)
    _wait_for_temp(proc, build)
    if how == "ctrl-c":  # the terminal signals every process of the foreground group
        os.killpg(proc.pid, signal.SIGINT)
    else:  # `kill`, a CI runner cancelling the job: the command's own process only
        proc.send_signal(signal.SIGINT if how == "sigint" else signal.SIGTERM)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode != 0, out
    assert "Traceback" not in out, out
    assert not _temps(build), out
    assert _digest(build / "site") == before  # the interrupted build published nothing
    assert ".site-" not in out


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
                          env=env, capture_output=True, text=True, timeout=600)
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
