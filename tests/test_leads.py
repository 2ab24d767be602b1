"""Issue 10 as leads, union staff and adopters meet it: nothing silently ignored, time never stops the
site, a pull request judged by what it introduced, one-command adoption."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import BASE_AS_OF, BASE_HISTORY, build_site, edit, run

S = "studios/alpha/studio.yml"
A = "studios/alpha/achievements/a1.md"
OVERDUE = """
  - studio: alpha
    action: rectify
    date: 2026-01-10
    deadline: 2026-03-31
    document: 测试〔2026〕2号
"""


def git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def findings(root: Path, *extra: str) -> list[dict]:
    """The findings of a check, without W003 (layout warnings: the fixture is not in the editor's layout) and
    the fixture's own history warnings, each at its place (conftest.BASE_HISTORY)."""
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, *extra, cwd=root)
    assert res.code in (0, 1), res.err
    return [f for f in res.json()["findings"] if f["code"] != "W003"
            and not (f["severity"] == "warning" and (f["code"], f["path"], f["line"]) in BASE_HISTORY)]


def codes(root: Path, *extra: str) -> set[tuple[str, str | None, int | None]]:
    return {(f["code"], f["path"], f["line"]) for f in findings(root, *extra)}


# -- 5. time never stops the site ------------------------------------------------------------------
def test_overdue_rectification_still_builds_and_shows_it(base: Path):
    with (base / "union/decisions.yml").open("a", encoding="utf-8") as fh:
        fh.write(OVERDUE)
    (base / "studios/alpha/ledger/2026.yml").write_text("activities: []\n", encoding="utf-8")  # S6.2 decays
    res = run("check", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 1 and "L002" in res.out and "S6.2" in res.out  # check keeps its exit code
    proc = build_site(base, BASE_AS_OF)  # ... but the site is built
    log = proc.stdout + proc.stderr
    assert "L002" in log and ":0:0" not in log
    assert "站点已生成" in log and "serve" in log
    page = (base / "build/site/studios/alpha/index.html").read_text(encoding="utf-8")
    assert "整改逾期" in page
    assert "未达标" in page  # S6 is shown unmet, with its reason


def test_data_error_still_stops_the_build(base: Path):
    edit(base, S, "summary:", "sumary:")
    proc = build_site(base, BASE_AS_OF, expect=1)
    assert "F002" in proc.stdout + proc.stderr


def test_deploy_workflow_runs_daily():
    import yaml

    from conftest import REPO
    doc = yaml.safe_load((REPO / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    on = doc.get("on", doc.get(True))
    assert on["schedule"] and on["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]


# -- 6. a pull request is judged by what it introduced ---------------------------------------------
@pytest.fixture
def overdue_repo(base: Path) -> Path:
    with (base / "union/decisions.yml").open("a", encoding="utf-8") as fh:
        fh.write(OVERDUE)
    git(base, "init", "-q", "-b", "main")
    git(base, "add", "-A")
    git(base, "commit", "-q", "-m", "base with an overdue rectification")
    return base


def test_valid_achievement_passes_despite_overdue_rectification_on_base(overdue_repo: Path):
    assert ("L002", "union/decisions.yml") in {(c, p) for c, p, _ in codes(overdue_repo)}
    # a new valid achievement, and one more activity: the ledger lines move, S6.2 counts change
    (overdue_repo / "studios/alpha/achievements/new-paper.md").write_text(
        "---\ntitle: 新论文\ntype: paper\ndate: 2026-06-01\nmembers: [甲一]\n---\n\n新论文的介绍。\n", encoding="utf-8")
    res = run("check", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=overdue_repo)
    assert res.code == 0, res.out
    git(overdue_repo, "add", "-A")
    git(overdue_repo, "commit", "-q", "-m", "paper")
    res = run("check", "--as-of", BASE_AS_OF, "--changed-since", "HEAD~1", cwd=overdue_repo)
    assert res.code == 0, res.out


def test_change_dropping_team_below_standard_fails(overdue_repo: Path):
    text = (overdue_repo / S).read_text(encoding="utf-8")
    start, end = text.index("  - name: 丙三"), text.index("signage:")
    (overdue_repo / S).write_text(text[:start] + text[end:], encoding="utf-8")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=overdue_repo)
    assert res.code == 1
    found = {(f["code"], f["path"]) for f in res.json()["findings"]}
    assert ("S3.1", S) in found
    assert ("L002", "union/decisions.yml") not in found


def test_pre_existing_error_moved_by_an_edit_is_not_new(overdue_repo: Path):
    edit(overdue_repo, "studios/alpha/ledger/2026.yml", "activities:\n",
         "activities:\n  - {date: 2026-06-20, kind: training, title: 新培训, participants: 6, summary: 新方法}\n")
    edit(overdue_repo, "studios/alpha/ledger/2026.yml", "member: 丙三", "member: 无名")  # a new R004
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=overdue_repo)
    assert [(f["code"], f["path"]) for f in res.json()["findings"] if f["severity"] == "error"] == [
        ("R004", "studios/alpha/ledger/2026.yml")]


def test_pull_request_workflow_judges_the_change_not_the_date(overdue_repo: Path):
    import yaml

    from conftest import REPO
    doc = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    check = next(s for j in doc["jobs"].values() for s in j["steps"] if s.get("id") == "check")
    git(overdue_repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    (overdue_repo / "studios/alpha/achievements/new-paper.md").write_text(
        "---\ntitle: 新论文\ntype: paper\ndate: 2026-06-01\n---\n\n新论文的介绍。\n", encoding="utf-8")
    import sys
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
               INNOSTUDIO_AS_OF=BASE_AS_OF, GITHUB_BASE_REF="main")
    proc = subprocess.run(["bash", "-e", "-c", check["run"]], cwd=overdue_repo, env=env, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- 1. files the portal does not read ---------------------------------------------------------------
ACH = "---\ntitle: 放错位置的成果\ntype: paper\ndate: 2026-03-01\n---\n\n介绍。\n"
WRONG_PLACES = [
    ("achievement/x.md", ACH, "studios/alpha/achievements/x.md"),
    ("achievements/2026/x.md", ACH, "studios/alpha/achievements/x.md"),
    ("x.md", ACH, "studios/alpha/achievements/x.md"),
    ("achievements/x.md.txt", ACH, "studios/alpha/achievements/x.md"),
    ("ledger/x.md", ACH, "studios/alpha/achievements/x.md"),
    ("achievements/X.MD", ACH, "studios/alpha/achievements/X.md"),
    ("achievements/2026.yml", "activities: []\n", "studios/alpha/ledger/2026.yml"),
    ("studio.yaml", "name: x\n", "studio.yml"),
    ("photo.jpg", "x", "studios/alpha/media/photo.jpg"),
    ("notes.docx", "x", "studios/alpha/docs/notes.docx"),
    ("achievements/Thumbs.db", "x", "删除"),
]


@pytest.mark.parametrize("rel,text,where", WRONG_PLACES, ids=[w[0] for w in WRONG_PLACES])
def test_file_in_a_place_the_portal_does_not_read_is_an_error(base: Path, rel: str, text: str, where: str):
    target = base / "studios/alpha" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 1
    hits = [f for f in res.json()["findings"] if f["code"] == "R006"]
    assert [(f["path"], f["severity"]) for f in hits] == [(f"studios/alpha/{rel}", "error")]
    assert where in hits[0]["message"], hits[0]["message"]
    assert "门户不读取" in hits[0]["message"]


def test_referenced_files_and_media_docs_are_not_reported(base: Path):
    (base / "studios/alpha/docs").mkdir()
    (base / "studios/alpha/docs/会议纪要.docx").write_bytes(b"PK\x03\x04")
    (base / "studios/alpha/media/spare.jpg").write_bytes((base / "studios/alpha/media/plaque.jpg").read_bytes())
    (base / "studios/alpha/evidence").mkdir()
    (base / "studios/alpha/evidence/cert.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    edit(base, A, "project: p1", "project: p1\nevidence: [evidence/cert.pdf]")
    (base / "studios/alpha/.gitkeep").write_text("", encoding="utf-8")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert not [f for f in res.json()["findings"] if f["code"] == "R006"], res.out
    assert res.code == 0, res.out


# -- 2. Chinese-IME slips at their own line, in Chinese ----------------------------------------------
L26 = "studios/alpha/ledger/2026.yml"
IME = [
    (A, "type: paper", "type：paper", 3, "：", "Y001"),
    (L26, "kind: training, title: 培训, participants: 6, summary: 学习新方法}\n  - {date: 2026-02-15",
     "kind：training, title: 培训, participants: 6, summary: 学习新方法}\n  - {date: 2026-02-15", 2, "：", "Y001"),
    (S, "  area_m2: 40", "\u3000area_m2: 40", 51, "全角空格", "Y001"),
    (S, "fields: [测试领域]", "fields: ［测试领域］", 3, "［］", "Y001"),
    (A, "title: 测试成果", "title: “测试成果”", 2, "中文引号", "Y005"),
    (A, "type: paper", "type:\u3000paper", 3, "全角空格", "Y001"),
]


@pytest.mark.parametrize("path,old,new,line,named,code", IME, ids=["colon", "flow-colon", "u3000", "brackets",
                                                                  "quotes", "u3000-after-colon"])
def test_ime_slip_is_reported_at_its_line_in_chinese(base: Path, path, old, new, line, named, code):
    edit(base, path, old, new)
    found = findings(base)
    hits = [f for f in found if f["path"] == path and f["code"] == code]
    assert [f["line"] for f in hits] == [line], found
    assert named in hits[0]["message"]
    assert not any(w in hits[0]["message"] for w in ("found", "expected", "could not")), hits[0]["message"]
    if code == "Y005":
        assert hits[0]["severity"] == "warning" and run("check", "--as-of", BASE_AS_OF, cwd=base).code == 0
    else:
        assert not [f for f in found if f["path"] == path and f["code"] != code]  # nothing else on that file


def test_chinese_punctuation_inside_a_value_is_text(base: Path):
    edit(base, A, "title: 测试成果", "title: 基于“互联网+”的护理：新方法［试行］")
    edit(base, S, "summary: 用于测试的虚构工作室。", "summary: 时间：每周三；地点：实验楼　101")
    res = run("check", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0 and "Y00" not in res.out, res.out


def test_tab_indentation_is_named_in_chinese(base: Path):
    (base / L26).write_text("activities:\n\t- {date: 2026-01-15}\n", encoding="utf-8")
    hits = [f for f in findings(base) if f["code"] == "Y001"]
    assert [(f["path"], f["line"]) for f in hits] == [(L26, 2)] and "Tab" in hits[0]["message"]


def test_utf16_file_says_save_as_utf8(base: Path):
    (base / A).write_bytes((base / A).read_text(encoding="utf-8").encode("utf-16"))
    hits = [f for f in findings(base) if f["path"] == A]
    assert [f["code"] for f in hits] == ["Y004"]
    assert "UTF-16" in hits[0]["message"] and "UTF-8" in hits[0]["message"] and "NUL" not in hits[0]["message"]


# -- 3. no misleading cascades -----------------------------------------------------------------------
@pytest.mark.parametrize("data", ["activities:\n  - {date: 2026-01-15, kind: training, title: 培训}\n".encode("gbk"),
                                  b"activities:\n\t- {date: 2026-01-15}\n"], ids=["gbk", "tab"])
def test_unreadable_ledger_reports_itself_not_few_activities(base: Path, data: bytes):
    (base / L26).write_bytes(data)
    found = findings(base)
    assert {f["code"] for f in found} <= {"Y001", "Y004"}, found
    assert [f["path"] for f in found] == [L26]
    status = run("status", "alpha", "--as-of", BASE_AS_OF, cwd=base).out
    assert "无法评价" in status and "只有" not in status


def test_decision_is_not_blamed_for_a_broken_ledger(base: Path):
    """An accreditation judged as of its date (L005) does not call S6 unmet when the ledger it reads cannot
    be read: the ledger's own error is the finding. A readable ledger that is too thin still fails it."""
    edit(base, "union/decisions.yml", "date: 2022-05-10", "date: 2026-06-20")
    (base / L26).write_bytes("activities:\n  - {date: 2026-01-15, kind: training, title: 培训}\n".encode("gbk"))
    found = findings(base)
    assert [(f["code"], f["path"]) for f in found if f["severity"] == "error"] == [("Y004", L26)], found
    assert "L005" not in {f["code"] for f in found}
    (base / L26).write_text("activities: []\n", encoding="utf-8")
    (base / "studios/alpha/ledger/2025.yml").write_text("activities: []\n", encoding="utf-8")
    l005 = [f for f in findings(base) if f["code"] == "L005"]
    assert l005 and "S6" in l005[0]["message"], l005


def test_mistyped_venue_area_is_not_missing_venue(base: Path):
    edit(base, S, "area_m2: 40", "area_m2: 40平方米")
    found = findings(base)
    assert [(f["code"], f["line"]) for f in found] == [("F003", 51)], found
    assert "没有固定场所" not in run("status", "alpha", "--as-of", BASE_AS_OF, cwd=base).out


# -- 4. smaller slips ---------------------------------------------------------------------------------
NEW_ACH = ("new", "achievement", "alpha", "--no-input", "--title", "新论文", "--type", "论文", "--date", "2026-05-01")


def test_new_achievement_twice_refuses_and_names_the_file(base: Path):
    first = run(*NEW_ACH, cwd=base)
    assert first.code == 0, first.err
    second = run(*NEW_ACH, cwd=base)
    assert second.code == 1
    assert "studios/alpha/achievements/2026-paper.md" in second.err
    assert sorted(p.name for p in (base / "studios/alpha/achievements").iterdir()) == ["2026-paper.md", "a1.md"]


def test_scaffold_placeholder_is_a_warning(base: Path):
    assert run(*NEW_ACH, cwd=base).code == 0
    res = run("new", "activity", "alpha", "--no-input", "--date", "2026-06-20", "--kind", "培训", "--title", "学习",
              "--participants", "5", cwd=base)
    assert res.code == 0, res.err
    found = findings(base)
    w = sorted((f["code"], f["path"], f["severity"]) for f in found if f["code"] == "W002")
    assert w == [("W002", "studios/alpha/achievements/2026-paper.md", "warning"),
                 ("W002", "studios/alpha/ledger/2026.yml", "warning")]
    assert run("check", "--as-of", BASE_AS_OF, cwd=base).code == 0


def test_new_studio_accepts_short_forms_and_writes_true(base: Path):
    res = run("new", "studio", "gamma", "--no-input", "--name", "伽马创新工作室", "--unit", "测试学院", "--fields", "测试",
              "--established", "2026-01-01", "--summary", "简介", "--maintainers", "gamma-lead",
              "--leader-name", "戊五", "--leader-title", "副教授", "--leader-title-level", "副高",
              "--leader-discipline", "护理学", "--leader-education", "博士", "--leader-birth-year", "1980",
              "--leader-frontline", "是", cwd=base)
    assert res.code == 0, res.err
    text = (base / "studios/gamma/studio.yml").read_text(encoding="utf-8")
    assert "education: doctorate" in text and "title_level: associate_senior" in text
    assert "frontline: true" in text and "True" not in text


# -- union staff: an empty union file means no records -----------------------------------------------
@pytest.mark.parametrize("text", ["", "# 尚无记录\n\n"], ids=["empty", "comments"])
def test_empty_union_file_means_no_records(base: Path, text: str):
    (base / "union/challenges.yml").write_text(text, encoding="utf-8")
    (base / "union/inspections/2026.yml").write_text(text, encoding="utf-8")
    (base / "union/team.yml").write_text(text, encoding="utf-8")
    found = findings(base)
    assert not [f for f in found if f["path"].startswith("union/")], found


# -- 7. another school adopts it -----------------------------------------------------------------------
def test_init_gives_a_clean_repository_that_checks_and_builds(tmp_path: Path):
    import sys

    import yaml
    new = tmp_path / "other"
    res = run("init", str(new), "--org", "某某理工大学工会", "--policy-number", "某工字〔2024〕1号",
              "--policy-title", "某某理工大学劳模创新工作室管理办法", "--policy-short", "管理办法")
    assert res.code == 0, res.err
    cfg = yaml.safe_load((new / "mkdocs.yml").read_text(encoding="utf-8"))
    assert cfg["extra"]["organisation"] == "某某理工大学工会" and cfg["copyright"] == "某某理工大学工会"
    assert not [p for p in (new / "studios").iterdir() if p.is_dir()]
    assert (new / "union/standards.yml").is_file() and (new / "content/guide/local.md").is_file()
    assert (new / ".github/workflows/deploy.yml").is_file() and (new / ".pre-commit-config.yaml").is_file()
    policy = yaml.safe_load((new / "union/policy.yml").read_text(encoding="utf-8"))
    assert policy["document"]["short"] == "管理办法" and policy["clauses"] == {}  # every rule local until cited
    assert "本单位细则" in run("rules", "S1.1", cwd=new).out
    # the union pastes its document and cites two clauses of it
    page = new / "content/policy.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "（在此粘贴政策文件原文）", "第五条 创建标准：（一）有领衔人才，由市级以上劳动模范领衔。\n\n第九条 经费专款专用。"),
        encoding="utf-8")
    (new / "union/policy.yml").write_text((new / "union/policy.yml").read_text(encoding="utf-8").replace(
        "clauses: {}", "clauses:\n  S1: {ref: 第五条第一项, quote: 有领衔人才，由市级以上劳动模范领衔。}\n"
        "  funding: {ref: 第九条, quote: 经费专款专用。}"), encoding="utf-8")
    check = run("check", cwd=new)
    assert check.code == 0, check.out
    assert run("codeowners", "--check", cwd=new).code == 0
    env = dict(os.environ)
    env.pop("INNOSTUDIO_AS_OF", None)
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run([sys.executable, "-m", "innostudio", "build", "--strict", "--root", str(new)], cwd=new,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = new / "build/site"
    pages = [p for p in site.rglob("*") if p.is_file()]
    assert len(pages) > 20
    leaks = [p for p in pages if "济宁".encode() in p.read_bytes() or "济医".encode() in p.read_bytes()]
    assert leaks == []
    # the adopter's policy is cited by its own short name everywhere: rule texts, bases, guide, schemas
    seed = "《实施意见》".encode()
    assert [p for p in pages if seed in p.read_bytes()] == []
    assert [p for p in (new / "schema").iterdir() if seed in p.read_bytes()] == []
    rules_page = (site / "rules/index.html").read_text(encoding="utf-8")
    assert "《管理办法》第五条第一项" in rules_page and "《管理办法》第九条" in rules_page
    assert "《管理办法》第五条第一项" in run("rules", "S1.1", cwd=new).out
    assert [p for p in pages if "三（一）".encode() in p.read_bytes()] == []  # no clause number of the seed
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "某某理工大学工会" in home and "某工字〔2024〕1号" in home and "某某理工大学劳模创新工作室管理办法" in home
    assert init_refuses_non_empty(new)


def init_refuses_non_empty(path: Path) -> bool:
    res = run("init", str(path), "--org", "x")
    return res.code == 2 and "不是空目录" in res.err


def test_checker_cites_the_configured_policy(base: Path):
    """An adopter whose policy has another short name sees it in findings and rule docs, not the seed's."""
    edit(base, "union/policy.yml", "  short: 实施意见", "  short: 创新工作室管理办法")
    edit(base, S, "frontline: true", "frontline: false")
    s1 = [f for f in findings(base) if f["code"] == "S1.2"]
    assert s1 and "《创新工作室管理办法》三（一）1" in s1[0]["message"], s1
    assert "实施意见" not in run("check", "--as-of", BASE_AS_OF, cwd=base).out
    doc = run("rules", "S1.2", cwd=base).out
    assert "《创新工作室管理办法》三（一）1" in doc and "实施意见" not in doc
    status = run("status", "alpha", "--as-of", BASE_AS_OF, cwd=base).out
    assert "实施意见" not in status
    (base / "union/standards.yml").write_text("s4:\n  min_area_m2: {value: 30, basis: maybe}\n", encoding="utf-8")
    res = run("check", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 1 and "basis 应为 policy" in res.out, res.out
    assert "实施意见" not in res.out


def test_sample_studio_page_cites_policy_from_configuration(sample_site: Path):
    page = (sample_site / "studios/jingzhun-yaoxue/index.html").read_text(encoding="utf-8")
    assert "“六有”标准见《实施意见》（济医工字〔2022〕22号）" in page and "标注“本校细则”" in page


# -- 8, 9. README and local checking -------------------------------------------------------------------
def test_readme_and_guide_point_at_nothing_outside(tmp_path: Path):
    from conftest import REPO
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme and "shared/design" not in readme
    for cmd in ("report", "rank", "codeowners", "init"):
        assert f"innostudio {cmd}" in readme, cmd
    assert "./run <命令>" in readme or "./run <command>" in readme
    assert "sudo" in readme and ".venv/bin/activate" in readme
    local = (REPO / "content/guide/local.md").read_text(encoding="utf-8")
    assert "pip install innostudio" not in local and "./run check" in local


def test_pre_commit_config_runs_from_the_repository(base: Path):
    import re

    import yaml

    from conftest import REPO
    cfg = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for r in cfg["repos"] for h in r["hooks"]]
    assert {r["repo"] for r in cfg["repos"]} == {"local"} and {h["id"] for h in hooks} >= {"innostudio-check"}
    dispatched = set()
    for m in re.finditer(r"^  ([a-z|-]+)\)", (REPO / "run").read_text(encoding="utf-8"), re.M):
        dispatched |= set(m.group(1).split("|"))
    assert run("codeowners", cwd=base).code == 0
    for h in hooks:
        prog, cmd, *rest = h["entry"].split()
        assert prog == "./run" and cmd in dispatched, h["entry"]
        assert run(cmd, *rest, "--as-of", BASE_AS_OF, cwd=base).code == 0 if cmd == "check" else \
            run(cmd, *rest, cwd=base).code == 0
    edit(base, S, "summary:", "sumary:")
    assert run("check", "--as-of", BASE_AS_OF, cwd=base).code == 1


def test_misnamed_ledger_reports_its_name_not_few_activities(base: Path):
    (base / L26).rename(base / "studios/alpha/ledger/2026年台账.yml")
    found = findings(base)
    assert [(f["code"], f["path"]) for f in found if f["severity"] == "error"] == [
        ("F003", "studios/alpha/ledger/2026年台账.yml")], found


def test_ime_characters_inside_a_block_text_are_text(base: Path):
    edit(base, S, "description: 一段**公开**的介绍。",
         "description: |\n  　　本工作室成立于 2021 年。\n  note：这是正文里的冒号\n  ［附］说明")
    res = run("check", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0 and "Y00" not in res.out, res.out


def test_unmet_standard_on_base_is_not_new_when_its_file_moves(base: Path):
    (base / L26).unlink()  # S6.2 fails on the base, pointing at ledger/2025.yml
    git(base, "init", "-q", "-b", "main")
    git(base, "add", "-A")
    git(base, "commit", "-q", "-m", "base")
    assert ("S6.2", "studios/alpha/ledger/2025.yml") in {(c, p) for c, p, _ in codes(base)}
    (base / L26).write_text("activities:\n  - {date: 2026-01-15, kind: training, title: 培训, participants: 6, "
                            "summary: 学习新方法}\n", encoding="utf-8")
    res = run("check", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=base)
    assert res.code == 0, res.out


def test_an_earlier_real_parse_error_is_not_hidden_by_a_later_slip(base: Path):
    (base / L26).write_text("activities:\n\t- {date: 2026-01-15}\ndevelopment：[]\n", encoding="utf-8")
    hits = sorted((f["line"], f["message"]) for f in findings(base) if f["code"] == "Y001")
    assert [h[0] for h in hits] == [2, 3]
    assert hits[0][1].startswith("这一行用 Tab 键缩进了") and "：" in hits[1][1]


def test_fullwidth_space_after_colon_is_named_at_its_column(base: Path):
    edit(base, A, "type: paper", "type:\u3000paper")
    hits = [f for f in findings(base) if f["path"] == A]
    assert [(f["code"], f["line"], f["column"]) for f in hits] == [("Y001", 3, 6)], hits
    assert "全角空格" in hits[0]["message"] and "冒号" in hits[0]["message"]


NEAR_MISSES = [("venue:", "venu:", "S4"), ("members:", "member:", "S3"), ("signage:", "signag:", "S2"),
               ("funding:", "fundings:", "S4"), ("rules:", "rule:", "S5"), ("projects:", "project:", "S5")]


@pytest.mark.parametrize("old,new,std", NEAR_MISSES, ids=[n[1] for n in NEAR_MISSES])
def test_misspelt_section_key_is_the_only_finding(base: Path, old: str, new: str, std: str):
    line = next(i for i, t in enumerate((base / S).read_text(encoding="utf-8").split("\n"), 1) if t == old)
    edit(base, S, "\n" + old + "\n", "\n" + new + "\n")
    found = findings(base)
    assert [(f["code"], f["path"], f["line"]) for f in found] == [("F002", S, line)], found
    status = run("status", "alpha", "--as-of", BASE_AS_OF, cwd=base).out
    assert f"? {std} " in status and "无法评价" in status and "没有固定场所" not in status, status


@pytest.mark.parametrize("data", ["activities:\n  - {date: 2026-01-15, kind: training, title: 培训}\n".encode("gbk"),
                                  b"activities:\n\t- {date: 2026-01-15}\n"], ids=["gbk", "tab"])
def test_broken_ledger_is_a_third_state_not_unmet(base: Path, data: bytes):
    (base / L26).write_bytes(data)
    res = run("check", "--as-of", BASE_AS_OF, cwd=base)
    summary = next(t for t in res.out.splitlines() if t.startswith("alpha："))
    assert "六有 5/6" in summary and "S6?" in summary and "S6✗" not in summary and "无法评价" in summary, summary
    status = run("status", "alpha", "--as-of", BASE_AS_OF, cwd=base).out
    assert "? S6 有创新成效：无法评价" in status and "✗ S6" not in status and "未达标" not in status, status
    js = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base).json()
    assert js["studios"][0]["standards"]["S6"] is False and js["studios"][0]["met"] == 5


def test_file_directly_under_studios_is_reported(base: Path):
    (base / "studios/x.md").write_text("---\ntitle: 成果\n---\n", encoding="utf-8")
    (base / "studios/.gitkeep").write_text("", encoding="utf-8")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 1
    hits = [f for f in res.json()["findings"] if f["code"] == "R006"]
    assert [(f["path"], f["line"], f["severity"]) for f in hits] == [("studios/x.md", None, "error")], hits
    assert "studios/<工作室>/" in hits[0]["message"]


def test_rule_docs_show_readable_messages_and_cite_the_guide(base: Path):
    res = run("rules", "S3.1", "--root", str(base))
    assert res.code == 0
    hints = res.out.split("## 提示信息", 1)[1]
    assert "{" not in hints and "}" not in hints and "只有 … 名在册成员" in hints, hints
    r006 = run("rules", "R006", "--root", str(base)).out
    assert "data-format.md" not in r006 and "贡献指南" in r006


def test_changed_since_a_base_with_an_absolute_symlink(base: Path):
    """git archive of the base holds a symlink to /etc/passwd: it is checked as it is, never followed."""
    link = base / "studios/alpha/media/evil.jpg"
    link.symlink_to("/etc/passwd")
    edit(base, S, "plaque: media/plaque.jpg", "plaque: media/evil.jpg")
    git(base, "init", "-q", "-b", "main")
    git(base, "add", "-A")
    git(base, "commit", "-q", "-m", "base with a link out of the tree")
    line = next(i for i, t in enumerate((base / S).read_text(encoding="utf-8").split("\n"), 1)
                if "media/evil.jpg" in t)
    assert ("R002", S, line) in codes(base)
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=base)
    assert res.code == 0, res.out + res.err  # the link is on the base too: nothing new
    # a change that adds a second link out of the tree fails on it, with its code, file and line
    (base / "studios/alpha/media/evil2.jpg").symlink_to("/etc/hostname")
    edit(base, S, "plaque: media/evil.jpg", "plaque: media/evil2.jpg")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=base)
    assert res.code == 1, res.out + res.err
    assert ("R002", S, line) in {(f["code"], f["path"], f["line"]) for f in res.json()["findings"]}


def test_init_creates_a_git_repository_without_a_commit(tmp_path: Path):
    new = tmp_path / "other"
    res = run("init", str(new), "--org", "某某理工大学工会")
    assert res.code == 0, res.err
    assert "git init" in res.out and "尚未提交" in res.out, res.out
    assert git(new, "rev-parse", "--show-toplevel").strip() == str(new.resolve())
    assert subprocess.run(["git", "-C", str(new), "rev-parse", "--verify", "HEAD"], capture_output=True).returncode != 0
    assert run("check", cwd=new).code == 0
    # inside an existing repository: no nested one
    git(tmp_path, "init", "-q")
    inner = tmp_path / "inner"
    res = run("init", str(inner), "--org", "某某理工大学工会")
    assert res.code == 0 and not (inner / ".git").exists() and "未再运行 git init" in res.out, res.out
