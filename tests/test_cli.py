"""The command line as a user meets it: formats, exit codes, status, new, schema, rules, root discovery."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASE_AS_OF, REPO, SAMPLE_AS_OF, edit, run
from innostudio.rules.registry import RULES
from innostudio.schema import schema_texts

S = "studios/alpha/studio.yml"


def test_sample_repository_passes():
    res = run("check", "--as-of", SAMPLE_AS_OF, "--root", str(REPO))
    assert res.code == 0, res.out


def test_sample_covers_every_status_and_achievement_type():
    data = run("check", "--format", "json", "--as-of", SAMPLE_AS_OF, "--root", str(REPO)).json()
    statuses = {s["status"] for s in data["studios"]}
    assert statuses == {"candidate", "accredited", "demonstration", "rectifying", "revoked"}
    candidate = [s for s in data["studios"] if s["status"] == "candidate"]
    assert [s["met"] for s in candidate] == [4]
    from innostudio.corpus import load_repo
    from innostudio.model import AchievementType

    repo = load_repo(REPO)
    types = {str(d.model.type) for s in repo.studios for d in s.achievements}
    assert types == {t.value for t in AchievementType}
    assert all(len(s.ledgers) >= 2 for s in repo.studios)  # accredited studios also keep earlier ledgers


def test_json_format_shape(base: Path):
    edit(base, S, "summary:", "sumary:")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 1
    doc = res.json()
    assert doc["as_of"] == BASE_AS_OF
    f = next(f for f in doc["findings"] if f["code"] == "F002")
    assert f == {"code": "F002", "severity": "error", "path": S, "line": 5, "column": 1, "studio": "alpha",
                 "message": f["message"]}
    assert "sumary" in f["message"]
    s = doc["studios"][0]
    assert set(s) >= {"slug", "name", "status", "met", "standards"}
    assert set(s["standards"]) == {"S1", "S2", "S3", "S4", "S5", "S6"}


def test_text_format(base: Path):
    edit(base, S, "summary:", "sumary:")
    res = run("check", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 1
    assert f"{S}:5:1: F002 未知字段 sumary" in res.out
    assert "错误 2 个" in res.out  # F002 and the F001 for the now-missing summary
    en = run("check", "--as-of", BASE_AS_OF, "--lang", "en", cwd=base)
    assert f"{S}:5:1: F002 unknown field sumary" in en.out


def test_github_format(base: Path):
    edit(base, "studios/alpha/achievements/a1.md", "project: p1", "projct: p1")
    edit(base, S, "boards: [org_structure, duties, goals, management_rules]", "boards: [org_structure]")
    (base / "union" / "decisions.yml").write_text("decisions: []\n", encoding="utf-8")
    res = run("check", "--format", "github", "--as-of", BASE_AS_OF, cwd=base)
    lines = res.out.splitlines()
    assert "::error file=studios/alpha/achievements/a1.md,line=6,col=1,title=F002::未知字段 projct：您是不是要写 project？" \
        in lines
    assert any(x.startswith(f"::notice file={S},line=48,col=3,title=S2.2::") for x in lines)
    assert res.code == 1


def test_github_format_escapes_newlines_and_percent(base: Path):
    (base / S).write_text("name: [\n", encoding="utf-8")
    res = run("check", "--format", "github", "--as-of", BASE_AS_OF, cwd=base)
    for line in res.out.splitlines():
        assert line.startswith("::")
    assert res.code == 1


def test_check_paths_limit_the_report(base: Path):
    edit(base, "studios/alpha/achievements/a1.md", "type: paper", "type: nonsense")
    edit(base, "union/decisions.yml", "studio: alpha", "studio: alpha\n    note: 1")
    only = run("check", "--format", "json", "--as-of", BASE_AS_OF, "--root", str(base),
               str(base / "studios/alpha/achievements"))
    paths = {f["path"] for f in only.json()["findings"]}
    assert "studios/alpha/achievements/a1.md" in paths
    assert all(p.startswith("studios/alpha/achievements") for p in paths), paths
    full = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert "union/decisions.yml" in {f["path"] for f in full.json()["findings"]}
    assert only.code == 1


def test_exit_2_for_usage_errors(base: Path, tmp_path: Path):
    assert run("check", "--as-of", "2026-13-01", cwd=base).code == 2
    assert run("check", "--root", str(tmp_path)).code == 2
    assert run("nonsense").code == 2


def test_repository_is_found_upward_from_cwd(base: Path):
    env = dict(os.environ, INNOSTUDIO_AS_OF=BASE_AS_OF)
    proc = subprocess.run([sys.executable, "-m", "innostudio", "check", "--format", "json"],
                          cwd=base / "studios" / "alpha" / "ledger", env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["as_of"] == BASE_AS_OF


def test_status_shows_matrix_and_whats_missing(base: Path):
    edit(base, S, "boards: [org_structure, duties, goals, management_rules]", "boards: [org_structure, duties]")
    res = run("status", "alpha", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0
    assert "阿尔法创新工作室（alpha）" in res.out
    assert "状态：已授牌；六有：5/6" in res.out
    assert "✗ S2 有明显标志：未达标" in res.out
    assert "缺少上墙的规范性标志：目标任务、管理办法" in res.out
    assert "✓ S1 有领衔人才：达标" in res.out
    assert run("status", "nope", cwd=base).code == 2


def test_rules_catalogue_and_one_rule():
    res = run("rules")
    assert res.code == 0
    for code in RULES:
        assert code in res.out
    one = run("rules", "S6.2")
    assert "月月有活动" in one.out and "ledger" in one.out


def test_schema_written_and_committed_copy_is_current(base: Path):
    res = run("schema", cwd=base)
    assert res.code == 0
    for name, text in schema_texts().items():
        assert (base / "schema" / name).read_text(encoding="utf-8") == text
        assert (REPO / "schema" / name).read_text(encoding="utf-8") == text, f"schema/{name} is stale: run " \
                                                                            "innostudio schema"
    studio = json.loads((base / "schema" / "studio.schema.json").read_text(encoding="utf-8"))
    assert studio["additionalProperties"] is False
    assert "市级" in json.dumps(studio, ensure_ascii=False)


STUDIO_OPTS = ["--name", "贝塔创新工作室", "--unit", "测试分工会", "--fields", "护理,康复", "--established",
               "2026-01-05", "--summary", "新建的工作室。", "--maintainers", "beta-lead", "--leader-name", "戊五",
               "--leader-title", "副主任护师", "--leader-title-level", "副高级", "--leader-discipline", "护理学",
               "--leader-education", "bachelor", "--leader-birth-year", "1980", "--leader-frontline", "是"]


def test_new_studio_passes_check_and_never_overwrites(base: Path):
    res = run("new", "studio", "beta", *STUDIO_OPTS, "--no-input", cwd=base)
    assert res.code == 0, res.err
    text = (base / "studios/beta/studio.yml").read_text(encoding="utf-8")
    assert text.startswith("name: 贝塔创新工作室\n")  # the editor's layout: no comments (forms.md)
    assert run("fmt", "--check", str(base / "studios/beta/studio.yml"), cwd=base).code == 0
    check = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert check.code == 0, check.out
    beta = next(s for s in check.json()["studios"] if s["slug"] == "beta")
    assert beta["status"] == "candidate"
    again = run("new", "studio", "beta", *STUDIO_OPTS, "--no-input", cwd=base)
    assert again.code == 1 and "已存在" in again.err
    assert (base / "studios/beta/studio.yml").read_text(encoding="utf-8") == text


def test_new_without_values_lists_missing_options(base: Path):
    res = run("new", "studio", "gamma", "--no-input", cwd=base)
    assert res.code == 2
    assert "--leader-name" in res.err and "--unit" in res.err
    assert not (base / "studios/gamma/studio.yml").exists()


def test_new_achievement(base: Path):
    res = run("new", "achievement", "alpha", "--no-input", "--title", "新专利", "--type", "发明专利", "--date",
              "2026-05-01", "--members", "甲一，乙二", "--identifier", "ZL 2026 1 0000001.0", cwd=base)
    assert res.code == 0, res.err
    path = base / "studios/alpha/achievements/2026-invention-patent.md"  # <YYYY>-<type> without a name (forms.md)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 新专利\ntype: invention_patent\n")  # canonical layout (forms.md)
    assert "type: invention_patent" in text
    assert run("check", "--as-of", BASE_AS_OF, cwd=base).code == 0
    second = run("new", "achievement", "alpha", "--no-input", "--title", "另一项", "--type", "paper", "--date",
                 "2026-05-01", cwd=base)
    assert second.code == 0 and (base / "studios/alpha/achievements/2026-paper.md").is_file()
    assert (base / "studios/alpha/achievements/2026-invention-patent.md").read_text(encoding="utf-8") == text
    third = run("new", "achievement", "alpha", "--no-input", "--title", "第三项", "--type", "paper", "--date",
                "2026-05-03", cwd=base)
    assert third.code == 0 and (base / "studios/alpha/achievements/2026-paper-1.md").is_file()  # as the editor does
    slugged = run("new", "achievement", "alpha", "--no-input", "--title", "试剂盒", "--type", "paper", "--date",
                  "2026-05-04", "--file", "vancomycin-kit", cwd=base)
    assert slugged.code == 0 and (base / "studios/alpha/achievements/2026-vancomycin-kit.md").is_file()
    named = run("new", "achievement", "alpha", "--no-input", "--title", "x", "--type", "paper", "--date",
                "2026-05-02", "--file", "2026-paper", cwd=base)
    assert named.code == 1 and "已存在" in named.err
    hanzi = run("new", "achievement", "alpha", "--no-input", "--title", "x", "--type", "paper", "--date",
                "2026-05-02", "--file", "试剂盒", cwd=base)
    assert hanzi.code == 2 and "小写英文字母" in hanzi.err
    bad = run("new", "achievement", "alpha", "--no-input", "--title", "x", "--type", "transformation", "--date",
              "2026-05-02", cwd=base)
    assert bad.code == 2 and "value-yuan" in bad.err


def test_new_activity_appends_to_the_ledger(base: Path):
    before = (base / "studios/alpha/ledger/2025.yml").read_text(encoding="utf-8")
    res = run("new", "activity", "alpha", "--no-input", "--date", "2025-12-20", "--kind", "例会", "--title",
              "年终总结会", "--participants", "8", "--summary", "总结全年工作", cwd=base)
    assert res.code == 0, res.err
    after = (base / "studios/alpha/ledger/2025.yml").read_text(encoding="utf-8")
    activities, development = before.split("development:")  # appended to the activities, before development
    assert after.startswith(activities) and after.endswith("development:" + development) and "年终总结会" in after
    res = run("new", "activity", "alpha", "--no-input", "--date", "2027-01-08", "--kind", "meeting", "--title",
              "开年例会", "--participants", "8", "--summary", "部署工作", cwd=base)
    assert res.code == 0
    new = (base / "studios/alpha/ledger/2027.yml").read_text(encoding="utf-8")
    assert new.startswith("activities:\n- date: 2027-01-08\n")  # canonical layout (forms.md)
    check = run("check", "--format", "json", "--as-of", "2027-01-31", cwd=base)
    assert not [f for f in check.json()["findings"] if f["code"].startswith(("F", "Y"))], check.out
    assert run("new", "activity", "nope", "--no-input", "--date", "2026-01-01", "--kind", "meeting", "--title",
               "x", "--participants", "1", "--summary", "y", cwd=base).code == 2


def test_new_asks_on_a_terminal(base: Path, monkeypatch):
    answers = iter(["测试成果", "论文", "2026-04-01", "", "甲一", "", "", "", "一段介绍", ""])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    res = run("new", "achievement", "alpha", cwd=base)
    assert res.code == 0, res.err
    text = (base / "studios/alpha/achievements/2026-paper.md").read_text(encoding="utf-8")
    assert "title: 测试成果" in text and "members:\n- 甲一\n" in text and "一段介绍" in text  # canonical layout


def test_new_reads_answers_from_a_pipe(base: Path):
    """A lead (or a script) pipes the answers in: each line answers one question, empty lines keep defaults."""
    answers = "管道成果\n论文\n2026-04-02\n\n甲一\n\n\n\n一段介绍\n\n"
    proc = subprocess.run([sys.executable, "-m", "innostudio", "new", "achievement", "alpha", "--root", str(base)],
                          input=answers, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (base / "studios/alpha/achievements/2026-paper.md").read_text(encoding="utf-8")
    assert "title: 管道成果" in text and "一段介绍" in text
    short = subprocess.run([sys.executable, "-m", "innostudio", "new", "achievement", "alpha", "--root", str(base)],
                           input="只有标题\n", capture_output=True, text=True, timeout=60)
    assert short.returncode == 2 and "输入已结束" in short.stderr and "--type" in short.stderr


def test_prompts_show_defaults_in_chinese(base: Path, monkeypatch):
    shown: list[str] = []
    answers = iter(["贝塔创新工作室", "理学院", "物理", "", "简介", "beta-lead", "李四", "教授", "正高级", "物理学",
                    "博士", "1970", ""])

    def ask(prompt: str = "") -> str:
        shown.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", ask)
    assert run("new", "studio", "beta", cwd=base).code == 0
    assert shown[-1].endswith("（默认：是）：") and "True" not in "".join(shown)
    assert "  frontline: true\n" in (base / "studios/beta/studio.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_no_traceback_on_broken_files(base: Path, fmt: str):
    (base / S).write_bytes(b"\x00\x01\x02garbage")
    (base / "union" / "decisions.yml").write_text("- just a list\n", encoding="utf-8")
    (base / "studios" / "alpha" / "achievements" / "x.md").write_text("---\n: : :\n---\n", encoding="utf-8")
    res = run("check", "--format", fmt, "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 1
    assert "Traceback" not in res.err + res.out


@pytest.mark.parametrize("args", [["rules"], ["check", "--format", "json", "--as-of", SAMPLE_AS_OF,
                                              "--root", str(REPO)]])
def test_closed_pipe_ends_quietly(args):
    """`innostudio rules | head`: the reader is gone before the command writes. No traceback, no 内部错误,
    and the status a shell reports for a tool ended by SIGPIPE."""
    r, w = os.pipe()
    proc = subprocess.Popen([sys.executable, "-m", "innostudio", *args], stdout=w, stderr=subprocess.PIPE)
    os.close(w)
    os.close(r)
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_rules_piped_into_head_prints_its_lines():
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; '{sys.executable}' -m innostudio rules | head -n 2"],
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.splitlines()[0].startswith("S1.1")  # the six standards first
    assert len(proc.stdout.splitlines()) == 2
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr


def test_status_without_a_studio_is_the_union_officers_desk():
    out = run("status", "--as-of", SAMPLE_AS_OF, cwd=REPO).out
    desk = out.split("四、各工作室")[0]
    # inspections due: the 2026 round, with its date from inspection.due
    assert "2026 年度检查：应于 2027-03-31 前登记（还有 121 天）" in desk and "精准药学创新工作室" in desk
    # rectification deadlines
    assert "危重症救治技能创新工作室（weizhongzheng-jiuzhi）：整改期限 2027-04-30（还有 151 天）" in desk
    assert "工会记录没有问题" in desk
    # a revoked studio: the date and the 文号, not a 6/6 matrix
    assert "护理技术革新工作室（huli-gexin）：已摘牌，2025-06-25（济医工字〔2025〕16号）" in out
    assert "护理技术革新工作室（huli-gexin）\n  状态" not in out
    assert "摘牌：2025-06-25（济医工字〔2025〕16号）" in run("status", "huli-gexin", "--as-of", SAMPLE_AS_OF,
                                                           cwd=REPO).out


def test_the_desk_lists_overdue_inspections_and_records_with_findings(base: Path):
    (base / "union/inspections/2025.yml").unlink()
    (base / "union/inspections/2026.yml").write_text(
        "inspections:\n  - {studio: alpha, date: 2026-01-10, result: fail, findings: 误录}\n", encoding="utf-8")
    desk = run("status", "--as-of", BASE_AS_OF, cwd=base).out.split("四、各工作室")[0]
    assert "2025 年度检查：已过登记日期 2026-03-31（91 天），请尽快登记；尚未登记：阿尔法创新工作室（alpha）" in desk
    assert re.search(r"union/inspections/2026\.yml:2:\d+: L004 ", desk)
    assert "状态待核实" in desk and "阿尔法创新工作室（alpha）" in desk.split("状态待核实")[1]
