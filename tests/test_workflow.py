"""Union and contributor workflow: workbook, ranking, CODEOWNERS, --changed-since, GitHub files, pre-commit."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from conftest import BASE_AS_OF, REPO, SAMPLE_AS_OF, edit, run

S = "studios/alpha/studio.yml"
A = "studios/alpha/achievements/a1.md"


# -- workbook -----------------------------------------------------------------------------------
def test_inspection_workbook(sample: Path):
    res = run("report", "--year", "2025", "--as-of", SAMPLE_AS_OF, cwd=sample)
    assert res.code == 0, res.err
    path = sample / "build" / "reports" / "inspection-2025.xlsx"
    wb = load_workbook(path)
    ws = wb["汇总"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["工作室", "单位／领衔人", "状态"]
    assert headers[3:9] == ["S1 有领衔人才", "S2 有明显标志", "S3 有创新团队", "S4 有场地经费", "S5 有规章制度",
                            "S6 有创新成效"]
    assert "2025年活动次数" in headers and "2025年成果（按类型）" in headers and "2025年检查结果" in headers
    assert ws.freeze_panes == "B2"  # the studio column and the header row stay in view
    # printed at full size across pages, the studio column and header row repeated (issue 13: the summary
    # no longer shrinks to one page width, where its 30 columns came out at 3 pt)
    assert ws.page_setup.orientation == "landscape" and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    # the studios that held a plaque at some time in 2025: not the candidate (rules.md, "Public counts and
    # lists"), but the studio revoked in 2025
    assert set(rows) == {"精准药学创新工作室", "护理技术革新工作室", "慢病健康管理创新工作室", "危重症救治技能创新工作室",
                         "医学影像智能分析创新工作室"}
    col = {h: i for i, h in enumerate(headers)}
    huli = rows["护理技术革新工作室"]
    assert huli[col["状态"]].value == "已摘牌"
    assert huli[col["S3 有创新团队"]].value == "未达标"
    assert huli[col["S3 有创新团队"]].fill.fgColor.rgb.endswith("FFCDD2")
    assert huli[col["S1 有领衔人才"]].fill.fgColor.rgb.endswith("C8E6C9")
    jz = rows["精准药学创新工作室"]
    assert jz[col["单位／领衔人"]].value == "药学院分工会\n王丽华"
    assert jz[col["2025年检查结果"]].value == "合格"
    assert jz[col["2025年预算（元）"]].value == 80000 and jz[col["2025年支出（元）"]].value == 72350
    assert jz[col["2025年成果（按类型）"]].value == "2 项：论文 1、成果转化 1"
    ledger = yaml.safe_load((sample / "studios/jingzhun-yaoxue/ledger/2025.yml").read_text(encoding="utf-8"))
    assert jz[col["2025年活动次数"]].value == len(ledger["activities"])
    # the 2025 round: rectification, then the re-inspection of 2026-06-26 filed under 2025 (data-format.md)
    assert rows["医学影像智能分析创新工作室"][col["2025年检查结果"]].value == "限期整改（2025-12-12）；合格（2026-06-26）"
    assert ws.column_dimensions["A"].width >= 20
    # one sheet of every studio's year: its ledger (each activity with its date), achievements and records
    sheet = wb["台账与成果"]
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    start = next(i for i, r in enumerate(cells) if r[0] == "精准药学创新工作室 2025 年台账与成果")
    block = []
    for r in cells[start + 3:]:
        if r[0] is None or str(r[0]).endswith("年台账与成果"):
            break
        block.append(r)
    kinds = [r[0] for r in block]
    assert kinds == ["台账", "成果", "成果", "决定", "检查"]
    assert block[0][2] == f"{len(ledger['activities'])} 次"
    assert all(str(a["date"]) in block[0][3] for a in ledger["activities"])
    assert sheet.page_setup.orientation == "landscape"
    assert wb.sheetnames == ["汇总", "台账与成果", "经费支出", "标准依据"]


# -- ranking -------------------------------------------------------------------------------------
def _rank(base: Path) -> dict:
    res = run("rank", "--year", "2026", "--as-of", BASE_AS_OF, "--format", "json", cwd=base)
    assert res.code == 0, res.err
    return {s["slug"]: s for s in res.json()["studios"]}


def test_ranking_shows_every_component(base: Path):
    alpha = _rank(base)["alpha"]
    parts = {c["name"]: c["points"] for c in alpha["components"]}
    assert parts == {"未注明级别成果": 1, "台账活动": 1.2, "六有达标": 12}
    assert alpha["total"] == 14.2 and alpha["eligible"]
    (base / "studios/alpha/achievements/a2.md").write_text(
        "---\ntitle: 国家级奖项\ntype: science_award\ndate: 2026-04-01\nlevel: 国家级\n---\n\n介绍。\n", encoding="utf-8")
    alpha = _rank(base)["alpha"]
    assert alpha["total"] == 24.2
    assert {"name": "国家级成果", "points": 10, "basis": "1 项 × 10"} in alpha["components"]
    text = run("rank", "--year", "2026", "--as-of", BASE_AS_OF, cwd=base).out
    assert "1. 阿尔法创新工作室（alpha）  总分 24.2" in text and "国家级成果：+10（1 项 × 10）" in text


def test_ranking_weights_come_from_standards(base: Path):
    (base / "union" / "standards.yml").write_text("ranking:\n  standard_met: 5\n", encoding="utf-8")
    assert _rank(base)["alpha"]["total"] == 1 + 1.2 + 30


def test_ranking_lists_l003_ineligible_with_reason(base: Path):
    # the years-since-accreditation condition is a local rule (本校细则): only when standards.yml sets it
    (base / "union" / "standards.yml").write_text("lifecycle:\n  enforce_from: 2030-01-01\n"
                                                  "  demonstrate_min_years: 3\n", encoding="utf-8")
    edit(base, "union/decisions.yml", "date: 2022-05-10", "date: 2024-05-10")
    alpha = _rank(base)["alpha"]
    assert not alpha["eligible"]
    assert any("授牌不满 3 年" in r and "L003" in r for r in alpha["ineligible"])
    text = run("rank", "--year", "2026", "--as-of", BASE_AS_OF, cwd=base).out
    assert "没有符合推荐条件的工作室" in text and "不符合推荐条件" in text and "授牌不满 3 年" in text


# -- CODEOWNERS ---------------------------------------------------------------------------------
def test_codeowners_generation_and_staleness(base: Path):
    (base / "union" / "team.yml").write_text("team: [union-office, '@org/union-team']\n", encoding="utf-8")
    assert run("codeowners", "--check", cwd=base).code == 1  # missing
    assert run("codeowners", cwd=base).code == 0
    text = (base / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "* @union-office @org/union-team" in lines
    assert "/union/ @union-office @org/union-team" in lines
    assert "/studios/alpha/ @alpha-lead" in lines
    assert lines.index("* @union-office @org/union-team") < lines.index("/studios/alpha/ @alpha-lead")
    assert run("codeowners", "--check", cwd=base).code == 0
    edit(base, S, "maintainers: [alpha-lead]", "maintainers: [alpha-lead, new-helper]")
    stale = run("codeowners", "--check", cwd=base)
    assert stale.code == 1 and "不是最新" in stale.err
    assert run("codeowners", cwd=base).code == 0
    assert "/studios/alpha/ @alpha-lead @new-helper" in (base / ".github/CODEOWNERS").read_text(encoding="utf-8")


def test_committed_codeowners_is_current():
    assert run("codeowners", "--check", "--root", str(REPO)).code == 0


# -- --changed-since ----------------------------------------------------------------------------
def git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def gitrepo(base: Path) -> Path:
    git(base, "init", "-q", "-b", "main")
    edit(base, "union/challenges.yml", "status: open", "status: open\n    claimed_by: [ghost]")  # an old error
    git(base, "add", "-A")
    git(base, "commit", "-q", "-m", "base")
    return base


def test_changed_since_reports_changed_files_and_what_they_break(gitrepo: Path):
    full = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=gitrepo)
    assert any(f["path"] == "union/challenges.yml" for f in full.json()["findings"])
    clean = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=gitrepo)
    assert clean.code == 0 and clean.json()["findings"] == []
    edit(gitrepo, A, "date: 2026-03-01", "date: 2026-02-30")  # unstaged change
    (gitrepo / "studios/alpha/achievements/new.md").write_text("---\ntitle: 新\ntype: 论文\n---\n", encoding="utf-8")
    edit(gitrepo, S, "  - name: 乙二", "  - name: 乙贰")  # breaks a1.md's members (an unchanged line of it)
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=gitrepo)
    found = {(f["code"], f["path"]) for f in res.json()["findings"]}
    assert ("F004", A) in found and ("F001", "studios/alpha/achievements/new.md") in found
    assert ("R004", "studios/alpha/ledger/2026.yml") not in found
    assert all(p != "union/challenges.yml" for _c, p in found)
    assert res.code == 1
    git(gitrepo, "add", "-A")
    git(gitrepo, "commit", "-q", "-m", "change")
    edit(gitrepo, A, "date: 2026-02-30", "date: 2026-03-01")
    edit(gitrepo, A, "members: [甲一, 乙二]", "members: [甲一]")
    git(gitrepo, "commit", "-qam", "fix")
    # the member rename alone, since the base commit: R004 appears in an unchanged ledger file
    edit(gitrepo, "studios/alpha/ledger/2026.yml", "member: 丙三", "member: 丙三")
    edit(gitrepo, S, "  - name: 丙三", "  - name: 丙叁")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=gitrepo)
    found = {(f["code"], f["path"]) for f in res.json()["findings"]}
    assert ("R004", "studios/alpha/ledger/2026.yml") in found
    assert ("R004", "union/challenges.yml") not in found


def test_changed_since_bad_ref_is_a_usage_error(gitrepo: Path):
    res = run("check", "--changed-since", "no-such-ref", "--as-of", BASE_AS_OF, cwd=gitrepo)
    assert res.code == 2 and "no-such-ref" in res.err


# -- GitHub workflow and pre-commit, run locally ----------------------------------------------------
def _steps(workflow: Path) -> list[dict]:
    doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [s for job in doc["jobs"].values() for s in job["steps"]]


def _run_steps(root: Path, steps: list[dict], env: dict) -> list[tuple[str, int, str]]:
    out = []
    for step in steps:
        if "run" not in step or step.get("id") == "install":  # the project is installed already
            continue
        proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=root, env=env, capture_output=True, text=True,
                              timeout=600)
        out.append((step.get("name", ""), proc.returncode, proc.stdout + proc.stderr))
    return out


def _ci_env(root: Path) -> dict:
    bindir = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), INNOSTUDIO_AS_OF=BASE_AS_OF,
                GITHUB_BASE_REF="main", GITHUB_STEP_SUMMARY=str(root / "summary.md"), NO_MKDOCS_2_WARNING="1")


def test_pull_request_workflow_runs_locally(base: Path):
    steps = _steps(REPO / ".github/workflows/pull-request.yml")
    assert any(s.get("id") == "install" for s in steps)
    git(base, "init", "-q", "-b", "main")
    assert run("codeowners", cwd=base).code == 0
    git(base, "add", "-A")
    git(base, "commit", "-q", "-m", "base")
    git(base, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(base, "checkout", "-q", "-b", "feature")
    (base / "studios/alpha/achievements/a2.md").write_text(
        "---\ntitle: 新成果\ntype: paper\ndate: 2026-05-01\n---\n\n介绍。\n", encoding="utf-8")
    git(base, "add", "-A")
    git(base, "commit", "-q", "-m", "add")
    env = _ci_env(base)
    results = _run_steps(base, steps, env)
    assert [r[1] for r in results] == [0] * len(results), results
    summary = (base / "summary.md").read_text(encoding="utf-8")
    assert "| 阿尔法创新工作室 | 已授牌 | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | 6/6 | 0 |" in summary
    assert (base / "build/site/index.html").is_file()
    # a broken entry: the check step fails and annotates the line
    edit(base, "studios/alpha/achievements/a2.md", "date: 2026-05-01", "date: 2026-5-1")
    results = dict((name, (code, out)) for name, code, out in _run_steps(base, steps[:4], env))
    code, out = next(v for k, v in results.items() if k.startswith("检查"))
    assert code == 1 and "::error file=studios/alpha/achievements/a2.md,line=4,col=7,title=F004::" in out


def test_deploy_workflow_builds_the_site(base: Path):
    steps = _steps(REPO / ".github/workflows/deploy.yml")
    results = _run_steps(base, steps, _ci_env(base))
    assert results and all(code == 0 for _n, code, _o in results), results
    assert (base / "build/site/studios/alpha/index.html").is_file()
    uploads = [s for s in steps if "upload-pages-artifact" in s.get("uses", "")]
    assert uploads and uploads[0]["with"]["path"] == "build/site"


def test_pre_commit_hooks_run(base: Path):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"innostudio-check", "innostudio-codeowners"}
    assert run("codeowners", cwd=base).code == 0
    env = _ci_env(base)
    for hook in hooks:
        proc = subprocess.run(shlex.split(hook["entry"]), cwd=base, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, (hook["id"], proc.stdout, proc.stderr)
    edit(base, S, "summary:", "sumary:")
    check = next(h for h in hooks if h["id"] == "innostudio-check")
    proc = subprocess.run(shlex.split(check["entry"]), cwd=base, env=env, capture_output=True, text=True)
    assert proc.returncode == 1 and "F002" in proc.stdout


def test_pull_request_template_is_a_chinese_checklist():
    text = (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 5 and "身份证号" in text


# -- contributor guide ---------------------------------------------------------------------------
def test_field_reference_is_generated_from_the_model(sample_site: Path):
    html = (sample_site / "guide/fields/index.html").read_text(encoding="utf-8")
    from innostudio.model import AchievementType, Studio

    for key in Studio.model_fields:
        assert f"<code>{key}</code>" in html, key
    for code, label in AchievementType.labels().items():
        assert f"{code} = {label}" in html
    for page in ("achievement", "ledger", "errors", "local"):
        assert (sample_site / "guide" / page / "index.html").is_file()
    guide = (sample_site / "guide/achievement/index.html").read_text(encoding="utf-8")
    assert "Create new file" in guide and "合并请求" in guide
    assert json.loads((sample_site / "api/studios.json").read_text(encoding="utf-8"))["count"] == 6


def test_changed_since_reports_a_folder_finding_when_a_change_introduces_it(gitrepo: Path):
    # issue 10: a change fails only on errors absent on the base as of the same date (rules.md)
    (gitrepo / "studios/alpha/achievements/a2.md").write_text(
        "---\ntitle: 旧成果二\ntype: paper\ndate: 2019-05-01\n---\n\n介绍。\n", encoding="utf-8")
    edit(gitrepo, A, "date: 2026-03-01", "date: 2020-03-01")  # the change leaves no recent achievement
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=gitrepo)
    # (W003 aside: the hand-written fixture ledger is not in the editor's layout)
    assert [(f["code"], f["path"]) for f in res.json()["findings"] if f["code"] != "W003"] == [
        ("S6.3", "studios/alpha/achievements")]
    assert res.code == 1
    git(gitrepo, "commit", "-qam", "old achievement")
    (gitrepo / "studios/alpha/achievements/a3.md").write_text(
        "---\ntitle: 旧成果三\ntype: paper\ndate: 2019-06-01\n---\n\n介绍。\n", encoding="utf-8")
    already = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--changed-since", "HEAD", cwd=gitrepo)
    assert already.code == 0 and not [f for f in already.json()["findings"] if f["code"] == "S6.3"]
