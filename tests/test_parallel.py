"""`check` loads studio folders in parallel processes on a large repository; what it reports must not
depend on that: the same findings, in the same order, in every format, as loading them one by one."""
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
        assert check(repo, 2, fmt) == serial, fmt
        assert check(repo, 4, fmt) == serial, fmt
