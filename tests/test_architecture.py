"""The package's layers (issue 22): load -> model -> domain facts -> rules -> check -> render/cli, with no import
cycle; the renderers, the workbook, the ranking and the CLI read the rule registry, never a rule implementation;
the registry lists every rule module and carries each rule's metadata."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from innostudio.rules.registry import IMPLEMENTATIONS, RULES, Kind, Severity

PACKAGE = Path(__file__).parent.parent / "src" / "innostudio"


def _modules() -> dict[str, Path]:
    out = {}
    for p in PACKAGE.rglob("*.py"):
        parts = p.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = p
    return out


def _imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (at the top or inside a function)."""
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        pkg = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = pkg
                for _ in range(node.level - 1):
                    base = base.rsplit(".", 1)[0]
                mod = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
                targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in mods else mod for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for t in targets:
                while t not in mods and "." in t:
                    t = t.rsplit(".", 1)[0]
                if t in mods and t != name:
                    edges[name].add(t)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    for start, targets in edges.items():
        if start in index:
            continue
        work = [(start, iter(sorted(targets)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    x = stack.pop()
                    on.discard(x)
                    comp.append(x)
                    if x == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_the_package_has_no_import_cycle():
    assert _cycles(_imports(_modules())) == []


@pytest.mark.parametrize("reader", ["innostudio.render", "innostudio.workbook", "innostudio.rank",
                                    "innostudio.cli", "innostudio.output"])
def test_readers_of_the_report_import_no_rule_implementation(reader: str):
    edges = _imports(_modules())
    allowed = {"innostudio.rules", "innostudio.rules.registry", "innostudio.rules.ruledoc"}
    for name, targets in edges.items():
        if name == reader or name.startswith(reader + "."):
            bad = sorted(t for t in targets if t.startswith("innostudio.rules") and t not in allowed)
            assert bad == [], (name, bad)


def test_the_domain_layer_imports_no_rule_and_no_renderer():
    edges = _imports(_modules())
    for name, targets in edges.items():
        if name.startswith("innostudio.domain"):
            assert not [t for t in targets if t.startswith(("innostudio.rules", "innostudio.render",
                                                            "innostudio.check"))], name


def test_the_registry_lists_every_module_that_defines_a_rule():
    with_rules = {p.stem for p in (PACKAGE / "rules").glob("*.py") if re.search(r"^@rule\(", p.read_text(
        encoding="utf-8"), re.MULTILINE)}
    assert with_rules == set(IMPLEMENTATIONS)
    defined = {m for p in (PACKAGE / "rules").glob("*.py")
               for m in re.findall(r'^@rule\("([A-Z][0-9.]+)"', p.read_text(encoding="utf-8"), re.MULTILINE)}
    assert defined == set(RULES)


def test_rule_metadata_kind_severity_and_clause_key():
    table = {"L005": "accredit", "L003": "recommend", "L006": "ledger", "D002": "ledger", "D004": "funding",
             "D005": "funding", "D006": "funding", "L002": "inspection", "L004": "inspection",
             "L007": "inspection", "L008": "inspection", "D003": "inspection", "W004": "challenges"}
    for code, rule in RULES.items():
        assert isinstance(rule.severity, Severity)
        # data rules (their errors stop a build) are exactly the Y, F, R, P and C rules (policy-profile.md)
        assert (rule.kind is Kind.DATA) == code.startswith(("Y", "F", "R", "P", "C")), code
        expected = code.split(".")[0] if code.startswith("S") else table.get(code)
        assert rule.clause_key == expected, code
        if rule.standard is not None:
            assert rule.reads, code  # a standard names what it reads, so a broken input is 无法评价
