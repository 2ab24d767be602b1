"""Shared helpers: copies of fixture repositories and an in-process CLI runner."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from innostudio.cli import main

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
BASE = FIXTURES / "base"
REPO = TESTS.parent  # the project itself: its sample data
BASE_AS_OF = "2026-06-30"
# The base fixture's own warnings, each a warning at this place (alpha's history is imported from paper): its 2022 accreditation, before
# lifecycle.enforce_from, judged as a warning (L005); its 2025 pass inspection, before it met all six (L008);
# its 2026 funding, a total without expenses (D006). test_rules.test_base_fixture_is_clean asserts them.
BASE_HISTORY = {("L005", "union/decisions.yml", 3), ("L008", "union/inspections/2025.yml", 4),
                ("D006", "studios/alpha/studio.yml", 57)}
SAMPLE_AS_OF = "2026-11-30"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run(*args: str, cwd: Path | None = None) -> Result:
    """Run the innostudio command in-process, capturing its output and exit code."""
    out, err = io.StringIO(), io.StringIO()
    argv = list(args)
    if cwd is not None and "--root" not in argv:
        argv = [argv[0], "--root", str(cwd), *argv[1:]] if argv[0] != "new" else \
            [argv[0], argv[1], "--root", str(cwd), *argv[2:]]
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return Result(code, out.getvalue(), err.getvalue())


def copy_repo(src: Path, dst: Path) -> Path:
    """Copy a repository's data and site configuration; the hooks and theme overrides always come from
    the project itself (a fixture repository uses the real ones)."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "content", "studios", "union", "hooks", "overrides"):
        p = (REPO if name in ("hooks", "overrides") else src) / name
        if p.is_dir():
            shutil.copytree(p, dst / name, symlinks=True)
        elif p.is_file():
            shutil.copy2(p, dst / name)
    return dst


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A fresh copy of the minimal valid repository (one accredited studio meeting all six standards)."""
    return copy_repo(BASE, tmp_path / "repo")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A fresh copy of the project's own sample data."""
    return copy_repo(REPO, tmp_path / "sample")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


sys.dont_write_bytecode = True
os.environ["INNOSTUDIO_STRICT_MESSAGES"] = "1"  # a rule's message template that does not format fails the test


# A finding of the checker, which the build shows as MkDocs' warning (D005 asks the union to review an
# expense, for example): content for the union to act on, not a defect of the build.
FINDING_LINE = re.compile(r"^WARNING\s+-\s+\S+:\d+:\d+: [A-Z]\d")


def build_site(repo: Path, as_of: str = SAMPLE_AS_OF, expect: int = 0,
               strict: bool = False, warnings_ok: bool = False) -> subprocess.CompletedProcess:
    """Run `innostudio build` as a user would (a separate process), in ``repo``. Every warning of the build
    itself (a broken link or anchor, a missing file) fails the test; ``strict`` passes --strict, which also
    fails on the checker's warnings."""
    env = dict(os.environ, INNOSTUDIO_AS_OF=as_of)
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run([sys.executable, "-m", "innostudio", "build", "--root", str(repo),
                           *(["--strict"] if strict else [])], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == expect, proc.stdout + proc.stderr
    if expect == 0 and not warnings_ok:
        warnings = [line for line in (proc.stdout + proc.stderr).splitlines()
                    if line.startswith("WARNING") and not FINDING_LINE.match(line)]
        assert not warnings, "\n".join(warnings)
    return proc


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample repository built once per test session; returns its build/site."""
    repo = copy_repo(REPO, tmp_path_factory.mktemp("built") / "repo")
    build_site(repo)
    return repo / "build" / "site"
