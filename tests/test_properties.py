"""Property-based tests: random mutations of valid entries never crash the checker and never give exit 2.

Each example mutates one file of the base fixture (a value replaced, a key dropped or renamed, text
inserted, the file truncated) and runs the whole pipeline in-process: load, model, rules, the three
output formats and the site's view model.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import BASE, BASE_AS_OF, run
from innostudio.check import run as run_check
from innostudio.output import format_github, format_json, format_text
from innostudio.render.view import SiteConfig, build_view

TARGETS = ["studios/alpha/studio.yml", "studios/alpha/achievements/a1.md", "studios/alpha/ledger/2026.yml",
           "union/decisions.yml", "union/inspections/2025.yml", "union/challenges.yml"]
# Examples per property: INNOSTUDIO_HYPOTHESIS_EXAMPLES if set, else the full 500 in CI and 100 locally.
EXAMPLES = int(os.environ.get("INNOSTUDIO_HYPOTHESIS_EXAMPLES") or (500 if os.environ.get("CI") else 100))

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                    st.sampled_from(["2025-02-30", "2026-13-01", "9999-12-31", "市级", "accredit", "[", "{",
                                     "&a", "*a", "!!str", "…", "\ufeff", "<script>", "13912345678",
                                     "11010519491231002X", "../x", "/etc/passwd", "media/plaque.jpg"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _set(node, path, value):
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value


def _split(text: str, markdown: bool):
    if markdown:
        _, fm, body = text.split("---\n", 2)
        return yaml.safe_load(fm), body
    return yaml.safe_load(text), None


def _join(data, body) -> str:
    fm = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return fm if body is None else f"---\n{fm}---\n{body}"


@st.composite
def mutation(draw):
    target = draw(st.sampled_from(TARGETS))
    kind = draw(st.sampled_from(["replace", "drop", "rename", "insert", "truncate", "bytes"]))
    return target, kind, draw(st.randoms(use_true_random=False)), draw(values), draw(st.text(max_size=20)), \
        draw(st.binary(max_size=40))


def mutate(root: Path, target: str, kind: str, rnd, value, text: str, raw: bytes) -> None:
    path = root / target
    original = path.read_text(encoding="utf-8")
    markdown = target.endswith(".md")
    if kind == "truncate":
        path.write_text(original[: rnd.randrange(len(original) + 1)], encoding="utf-8")
        return
    if kind == "insert":
        at = rnd.randrange(len(original) + 1)
        path.write_text(original[:at] + text + original[at:], encoding="utf-8")
        return
    if kind == "bytes":
        data = original.encode("utf-8")
        at = rnd.randrange(len(data) + 1)
        path.write_bytes(data[:at] + raw + data[at:])
        return
    data, body = _split(original, markdown)
    paths = [p for p in _paths(data) if p]
    p = rnd.choice(paths)
    if kind == "replace":
        _set(data, p, value)
    else:
        parent = data
        for q in p[:-1]:
            parent = parent[q]
        if isinstance(parent, dict):
            v = parent.pop(p[-1])
            if kind == "rename":
                parent[text or "x"] = v
        else:
            parent.pop(p[-1])
    path.write_text(_join(data, body), encoding="utf-8")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("prop")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
@given(mutation())
def test_random_mutations_never_crash(workdir: Path, m):
    root = workdir / "repo"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(BASE, root)
    mutate(root, *m)
    import datetime as dt

    report = run_check(root, dt.date.fromisoformat(BASE_AS_OF))
    assert report.exit_code in (0, 1)
    json.loads(format_json(report))
    format_text(report)
    format_github(report)
    build_view(report, SiteConfig())


def test_cli_on_a_mutated_file_exits_0_or_1(tmp_path: Path):
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    (root / "studios/alpha/studio.yml").write_bytes(b"\xff\xfe" + bytes(range(1, 200)))
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=root)
    assert res.code == 1 and json.loads(res.out)["findings"]


# -- load.py: the fast path (libyaml composes, _convert resolves) equals the event path --------------
from innostudio import load as _load  # noqa: E402

yaml_keys = st.one_of(st.text(max_size=8), st.sampled_from(["title", "date", "名称", "a b", "x:y", "- z", "#"]))
yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
              st.floats(allow_nan=False), st.text(max_size=20),
              st.sampled_from(["2025-02-30", "2026-05-01", "yes", "No", "~", "0x1F", "1_000", ".5", "+.inf",
                               "0o17", "1e3", "null", "市级", "'quoted'", '"dq"', "a: b", "- item", "#c"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(yaml_keys, inner, max_size=4)),
    max_leaves=12)


def _tree(node):
    """Data and positions of a parsed tree, in a form that compares with ==."""
    if isinstance(node, _load.YMap):
        return ("map", node.pos, [(k, node.kpos.get(k), node.vpos.get(k), _tree(v)) for k, v in node.items()])
    if isinstance(node, _load.YList):
        return ("seq", node.pos, [(p, _tree(v)) for p, v in zip(node.ipos, node, strict=True)])
    if isinstance(node, float) and node != node:
        return ("nan",)
    return (type(node).__name__, node)


@pytest.mark.skipif(not _load.C_LOADER, reason="the fast path needs libyaml")
@settings(max_examples=EXAMPLES, deadline=None)
@given(yaml_values, st.sampled_from([False, True, None]), st.integers(min_value=0, max_value=5),
       st.sampled_from(["", "# comment\n", "\n\n"]), st.booleans())
def test_fast_and_event_paths_give_equal_trees_and_positions(data, flow, offset, prefix, duplicate):
    text = prefix + yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    if duplicate and isinstance(data, dict) and data and flow is not True:  # a key given twice
        text += yaml.safe_dump({next(iter(data)): 1}, allow_unicode=True)
    if _load._SPECIAL.search(text):  # anchors, aliases, tags and markers always take the event path
        return
    fast, fast_problems = _load._parse_composed(text, offset)
    slow, slow_problems = _load._parse_events(text, offset)
    assert _tree(fast) == _tree(slow), text
    assert [(p.kind, p.line, p.column) for p in fast_problems] == \
        [(p.kind, p.line, p.column) for p in slow_problems], text


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body


jpeg_segments = st.lists(st.one_of(
    st.builds(_segment, st.sampled_from([0xE0, 0xE1, 0xDB, 0xC4, 0xFE]), st.binary(max_size=3000)),
    st.builds(lambda m, b: _segment(m, b), st.sampled_from([0xC0, 0xC2, 0xC3, 0xC8]),
              st.binary(min_size=0, max_size=8)),
    st.sampled_from([b"\xff\xd0", b"\xff\xff\xff\x01", b"\xff\xd9", b"\xff\xda", b"\xff\xe1\x00\x01"]),
    st.binary(max_size=4)), max_size=8)


@settings(max_examples=EXAMPLES, deadline=None)
@given(jpeg_segments, st.binary(max_size=20_000))
def test_jpeg_size_from_the_first_bytes_equals_the_walk_through_the_file(tmp_path_factory, segments, tail):
    """W001/R003 read a JPEG's size from the bytes _sniff_file has already read when they hold the frame
    header; the answer (a size, or None for "not a JPEG Pillow opens") is the file walk's."""
    import io

    from innostudio.domain import media as refs

    data = b"\xff\xd8\xff" + b"".join(segments)[1:] + tail if segments else b"\xff\xd8\xff" + tail
    walked = refs._jpeg_size(io.BytesIO(data))
    got = refs._jpeg_size_in(data[:refs._CHUNK], len(data) < refs._CHUNK)
    if got is refs._MORE:
        assert len(data) >= refs._CHUNK
    else:
        assert got == walked


# Text the quick pre-checks must not misjudge: digits of several scripts, the letters that end the
# forbidden URL schemes (also in other cases and as Unicode case-folding partners), colons, spaces and the
# characters of YAML anchors, tags and document markers.
_risky_text = st.lists(st.sampled_from(list("0123456789１３９٣Xx:： \t\n-.&*!<>=\"'()[]aAtTſKk")
                                              + ["javascript", "JAVASCRIPT", "vbscript", "data", "DaTa",
                                                 "livescript", "---", "...", "139", "13912345678",
                                                 "110105194912310021", "11010519491231002X", "１３９１２３４５６７８", "13９１２３４５６７８",
                                                 "1101051949１２31００２X", "2", "+86", "(86)", "0086", "－", "（", "）", "．", "\u3000"]),
                       max_size=8).map("".join)


@settings(max_examples=EXAMPLES, deadline=None)
@given(_risky_text)
@example("电话13９１２３４５６７８")  # digits of another script after an ASCII 1
@example("身份证1101051949１２31００２X")
@example("身份证 110105 19491231 002X")
@example("+86 (139) 1234-5678")
@example("１３９－１２３４－５６７８")
@example("139 - 1234 - 5678")
@example("<a href='JavaScript :x'>")
@example("<a href=DATA:x>")
@example("x\n---\ny")
def test_quick_prechecks_never_hide_what_the_full_patterns_find(text):
    """P001/P002, P003 and the loader skip their slow regexes on texts a quick check rules out; on every
    text the quick check rules out, the slow regex finds nothing."""
    from innostudio import personal
    from innostudio.rules import privacy

    if personal.DIGIT_RUN.search(text) is None:
        assert personal.scan_ids(text) == [], text
        assert personal.scan_mobiles(text) == [], text
    if ":" not in text or privacy._SCHEME_END.search(text) is None:
        assert privacy._URL.search(text) is None, text
    if not _load._maybe_special(text):
        assert _load._SPECIAL.search(text) is None, text
