"""`check` splits the repo-wide rules between forked processes on a large repository (INNOSTUDIO_JOBS=N
forces N processes on any repository); what it reports must not depend on that: the same findings, in the
same order, in every format and with the same exit code, as running every rule in one process."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_AS_OF, copy_repo, edit


def check(root: Path, jobs: int, fmt: str) -> tuple[int, str]:
    env = dict(os.environ, INNOSTUDIO_JOBS=str(jobs), INNOSTUDIO_AS_OF=SAMPLE_AS_OF)
    proc = subprocess.run([sys.executable, "-m", "innostudio", "check", "--root", str(root), "--format", fmt],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout


def mutate(root: Path) -> None:
    """Problems spread over several studios, so that each loading process meets some of them."""
    studios = sorted(p.name for p in (root / "studios").iterdir())
    for i in range(4):  # more folders (copies) so every process gets several
        shutil.copytree(root / "studios" / studios[i % len(studios)], root / "studios" / f"zz-copy-{i}")
    edit(root, "studios/huli-gexin/studio.yml", "name:", "name: [broken\nname:")  # YAML error
    (root / "studios/jingzhun-yaoxue/media/plaque.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (root / "studios/kouqiang-shuzi/studio.yml").unlink()  # missing profile
    ach = next((root / "studios/manbing-guanli/achievements").glob("*.md"))
    ach.write_text(ach.read_text(encoding="utf-8").replace("date:", "date: 2099-13-45\nold_date:", 1),
                   encoding="utf-8")
    (root / "studios/yingxiang-zhineng/ledger/notayear.yml").write_text("activities: []\n", encoding="utf-8")
    os.symlink("/etc/hostname", root / "studios/zz-copy-1/achievements/escape.md")
    (root / "studios/Bad_Slug").mkdir()
    (root / "studios/zz-copy-2/rules").mkdir(exist_ok=True)
    (root / "studios/zz-copy-3/studio.yml").write_bytes(b"\xff\xfe not utf-8 \x00")
    # what the rules run in the other processes look at: layout (W003), personal data (P001, P002),
    # code in Markdown (P003), and files they must skip (GBK, CRLF and BOM, broken front matter)
    prof = root / "studios/zz-copy-0/studio.yml"
    prof.write_text("# 手写的注释\n" + prof.read_text(encoding="utf-8"), encoding="utf-8")
    achs = sorted((root / "studios/zz-copy-0/achievements").glob("*.md"))
    achs[0].write_text(achs[0].read_text(encoding="utf-8") + "\n身份证 11010519491231002X，电话 13912345678\n"
                       "<script>alert(1)</script> [点击](javascript:alert(1))\n", encoding="utf-8")
    achs[-1].write_bytes(b"\xef\xbb\xbf" + achs[-1].read_bytes().replace(b"\n", b"\r\n"))
    ach = sorted((root / "studios/zz-copy-1/achievements").glob("*.md"))[0]
    ach.write_bytes(ach.read_text(encoding="utf-8").encode("gbk"))
    ach = sorted((root / "studios/zz-copy-2/achievements").glob("*.md"))[0]
    ach.write_text(ach.read_text(encoding="utf-8").replace("---", "--", 1), encoding="utf-8")
    led = sorted((root / "studios/zz-copy-2/ledger").glob("*.yml"))[0]
    led.write_text(led.read_text(encoding="utf-8").replace("\n", "\n\n", 3), encoding="utf-8")
    edit(root, "union/decisions.yml", "decisions:", "decisions:  # 注释")


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_parallel_check_equals_serial_on_the_sample(tmp_path: Path, fmt: str):
    repo = copy_repo(REPO, tmp_path / "sample")
    serial = check(repo, 1, fmt)
    assert serial[1].strip()
    assert check(repo, 2, fmt) == serial
    assert check(repo, 3, fmt) == serial


def test_parallel_check_equals_serial_on_a_mutated_corpus(tmp_path: Path):
    repo = copy_repo(REPO, tmp_path / "mutated")
    mutate(repo)
    for fmt in ("json", "text"):
        serial = check(repo, 1, fmt)
        assert serial[0] == 1 and serial[1].count("studios/") > 10  # many findings, in several studios
        for code in ("W003", "P001", "P002", "P003", "Y004", "L008", "Y001", "R002"):
            assert code in serial[1], code
        assert check(repo, 2, fmt) == serial, fmt
        assert check(repo, 4, fmt) == serial, fmt


def test_a_rule_that_fails_in_another_process_fails_the_check_as_in_one(monkeypatch, tmp_path: Path):
    """A crash of a rule run in a forked process is not a silent lack of findings: the rule runs again
    here and the error reaches the caller as it would in one process."""
    import datetime as dt

    from innostudio import check as chk
    from innostudio.corpus import load_repo
    from innostudio.rules.registry import RULES

    def broken(ctx):
        raise RuntimeError("rule bug")
        yield  # pragma: no cover

    monkeypatch.setattr(RULES["W003"], "check", broken)
    repo = load_repo(REPO)
    for jobs in (1, 2):
        with pytest.raises(RuntimeError, match="rule bug"):
            chk.evaluate(repo, dt.date.fromisoformat(SAMPLE_AS_OF), jobs=jobs)


def test_the_default_splits_only_a_large_repository(monkeypatch):
    """Unset or "auto": a small repository (the sample, the tests) is checked in one process, a large one
    in two where fork exists; "1" keeps one process."""
    from innostudio import check as chk
    from innostudio import forking
    from innostudio.corpus import load_repo

    repo = load_repo(REPO)
    monkeypatch.delenv(forking.JOBS_ENV, raising=False)
    assert chk.jobs_for(repo) == 1
    monkeypatch.setattr(chk, "PARALLEL_MIN_DOCS", 1)
    monkeypatch.setattr(forking, "cores", lambda: 2)
    expected = 2 if hasattr(os, "fork") and sys.platform != "darwin" else 1
    assert chk.jobs_for(repo) == expected
    monkeypatch.setenv(forking.JOBS_ENV, "auto")
    assert chk.jobs_for(repo) == expected
    monkeypatch.setenv(forking.JOBS_ENV, "1")
    assert chk.jobs_for(repo) == 1
    monkeypatch.setenv(forking.JOBS_ENV, "2")
    assert chk.jobs_for(repo) == expected
    import threading
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)  # e.g. mkdocs serve's server: no fork then
    worker.start()
    try:
        assert chk.jobs_for(repo) == 1
    finally:
        stop.set()
        worker.join()
