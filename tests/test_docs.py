"""The project's own reference in docs/: the contract mirrored from the design, in agreement with it.

The code cites docs/contract/*.md (the data format, the rule catalogue, the site, the forms, the policy as
data, the federation). Those files are copies of the normative design documents kept beside the
repository (../shared/design/); where that folder is present, a copy that drifted from it fails here, so
the reference the code cites is the contract and not an older reading of it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

CONTRACT = REPO / "docs" / "contract"
SHARED = REPO.parent / "shared"
DESIGN_FILES = ["data-format.md", "rules.md", "site.md", "forms.md", "policy-profile.md", "federation.md"]


def _shared_copy(name: str) -> Path | None:
    for folder in (SHARED / "design", SHARED / "policy"):
        if (folder / name).is_file():
            return folder / name
    return None


@pytest.mark.parametrize("name", DESIGN_FILES)
def test_the_contract_the_code_cites_is_in_the_repository(name: str):
    text = (CONTRACT / name).read_text(encoding="utf-8")
    assert text.startswith("# ") and len(text) > 1000


@pytest.mark.parametrize("path", sorted(CONTRACT.glob("*.md")), ids=lambda p: p.name)
def test_the_mirrored_contract_agrees_with_the_design(path: Path):
    source = _shared_copy(path.name)
    if source is None:
        if not SHARED.is_dir():
            pytest.skip("no ../shared beside this checkout: nothing to compare the mirror with")
        pytest.fail(f"docs/contract/{path.name} mirrors no design document in {SHARED}")
    assert path.read_text(encoding="utf-8") == source.read_text(encoding="utf-8"), (
        f"docs/contract/{path.name} differs from {source}: copy the design document again "
        f"(the design is the contract; where they differ, the repository's copy is the one to fix)")


def test_code_cites_contract_files_that_exist():
    """Every `docs/contract/<file>.md` or bare `<file>.md` the code names as a reference exists."""
    cited: set[str] = set()
    for py in list((REPO / "src").rglob("*.py")) + list((REPO / "hooks").glob("*.py")):
        cited.update(re.findall(r"\b((?:data-format|rules|site|forms|policy-profile|federation)\.md)\b",
                                py.read_text(encoding="utf-8")))
    assert cited, "the code cites no contract document at all"
    missing = sorted(name for name in cited if not (CONTRACT / name).is_file())
    assert not missing, missing


def test_the_generated_reference_is_current():
    """docs/reference/ is generated from the registry and the models: `innostudio schema` rewrites it."""
    from innostudio.reference import FOLDER, reference_texts

    for name, text in reference_texts().items():
        committed = (REPO / FOLDER / name).read_text(encoding="utf-8")
        assert committed == text, f"{FOLDER / name} is stale: run innostudio schema"
    rules = (REPO / FOLDER / "rules.md").read_text(encoding="utf-8")
    from innostudio.rules.registry import RULES

    assert all(f"| {code} |" in rules for code in RULES)
