"""The hostile corpus (tests/hostile/): every case ends in the right exit code with valid JSON, no traceback,
within 10 seconds and 1 GiB of memory (enforced on the checker's process)."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BASE, BASE_AS_OF, copy_repo
from hostile.cases import CASES

LIMIT_BYTES = 1024 ** 3


def _limit():  # in the child, before exec: address space capped at 1 GiB
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def test_corpus_is_large_enough():
    assert len(CASES) >= 30 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(tmp_path: Path, case):
    repo = copy_repo(BASE, tmp_path / "repo")
    case.build(repo)
    env = dict(os.environ, INNOSTUDIO_AS_OF=BASE_AS_OF)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "innostudio", "check", "--format", "json", "--root", str(repo)],
                          capture_output=True, text=True, timeout=30, env=env, preexec_fn=_limit)
    elapsed = time.monotonic() - started
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == case.exit, (proc.returncode, proc.stdout[:2000], proc.stderr[-2000:])
    doc = json.loads(proc.stdout)
    codes = {f["code"] for f in doc["findings"]}
    assert case.codes <= codes, (case.codes, sorted(codes))
    if case.exit == 1:
        assert any(f["severity"] == "error" for f in doc["findings"])
    assert elapsed < 10, f"{case.name} took {elapsed:.1f}s"
