"""Every rule code has a fixture that triggers it; the test asserts the code, the file and the line.

Each case starts from tests/fixtures/base (one accredited studio meeting all six standards, exit 0 as
of 2026-06-30) and breaks one thing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import BASE_AS_OF, BASE_HISTORY, FIXTURES, edit, run
from innostudio.rules.registry import RULES

S = "studios/alpha/studio.yml"
A = "studios/alpha/achievements/a1.md"
L26 = "studios/alpha/ledger/2026.yml"
L25 = "studios/alpha/ledger/2025.yml"
I26 = "union/inspections/2026.yml"
D = "union/decisions.yml"
POL = "union/policy.yml"
STD = "union/standards.yml"
VALID_ID = "11010519491231002X"  # the example number of GB 11643-1999


@dataclass
class Case:
    code: str
    edits: list
    path: str
    line: int | None
    severity: str = "error"
    as_of: str = BASE_AS_OF
    id: str = ""
    extra: dict = field(default_factory=dict)


def rep(path, old, new):
    return ("replace", path, old, new)


def write(path, text):
    return ("write", path, text)


def delete(path):
    return ("delete", path)


def raw(path, data: bytes):
    return ("bytes", path, data)


SRC = "    source: 学校专项经费\n"


def expenses(*items: str) -> tuple:
    """Expenses under the base fixture's 2026 funding record: the first item is on line 60, the next on 61."""
    return rep(S, SRC, SRC + "    expenses:\n" + "".join(f"      - {{{x}}}\n" for x in items))


EX1 = "date: 2026-03-02, amount_yuan: 1500, purpose: equipment, voucher: BX2026-01"
EX2 = "date: 2026-04-02, amount_yuan: 500, purpose: training, voucher: BX2026-02"
RG = "union/recognitions.yml"

ACT = "  - {date: 2026-01-15, kind: training, title: 培训, participants: 6, summary: 学习新方法}"

CASES = [
    Case("Y001", [write(L26, "activities:\n\t- {date: 2026-01-15}\n")], L26, 2),
    Case("Y001", [write(A, "title: 没有 front matter\n")], A, 1, id="Y001-frontmatter"),
    Case("Y002", [rep(S, "unit: 测试学院分工会\n", "unit: 测试学院分工会\nunit: 重复\n")], S, 3),
    Case("Y003", [rep(L26, ACT, ACT.replace("- {", "- &a {") + "\n  - *a")], L26, 2),
    Case("Y004", [raw(A, "---\ntitle: 测试成果\ntype: paper\ndate: 2026-03-01\n---\n正文\n".encode("gbk"))], A, 2),
    Case("Y004", [write(A, "---\ntitle: 大\ntype: paper\ndate: 2026-03-01\n---\n" + "长" * 100_000)], A, None,
         id="Y004-size"),
    Case("Y005", [rep(A, "title: 测试成果", "title: “测试成果”")], A, 2, severity="warning"),
    Case("F001", [rep(S, "unit: 测试学院分工会\n", "")], S, 1),
    Case("F001", [delete(S)], S, None, id="F001-nofile"),
    Case("F001", [rep(A, "type: paper", "type: transformation")], A, 3, id="F001-conditional"),
    Case("F002", [rep(S, "summary:", "sumary:")], S, 5),
    Case("F003", [rep(S, "level: provincial", "level: 区级")], S, 19),
    Case("F003", [rep(S, "area_m2: 40", "area_m2: -40")], S, 51, id="F003-negative"),
    Case("F004", [rep(A, "date: 2026-03-01", "date: 2026-02-30")], A, 4),
    Case("F004", [rep(L26, "date: 2026-01-15", "date: 2025-01-15")], L26, 2, id="F004-ledger-year"),
    Case("F004", [rep(S, "collected: 2025-12-01", "collected: 2026-02-01")], S, 72, id="F004-stage-order"),
    Case("R001", [rep(S, "plaque: media/plaque.jpg", "plaque: media/nope.jpg")], S, 47),
    Case("R002", [rep(S, "plaque: media/plaque.jpg", "plaque: ../beta/media/plaque.jpg")], S, 47),
    Case("R003", [write("studios/alpha/media/plaque.jpg", "not an image")], S, 47),
    Case("R004", [rep(A, "members: [甲一, 乙二]", "members: [甲一, 张三]")], A, 5),
    Case("R005", [rep(S, "      approved: 2026-01-10", "      approved: 2026-01-10\n  - id: p1\n    title: 重复\n"
                      "    source: assigned\n    stages: {collected: 2026-01-01}")], S, 73),
    Case("R006", [write("studios/alpha/ledger/x.md", "---\ntitle: 放错了\ntype: paper\ndate: 2026-03-01\n---\n")],
         "studios/alpha/ledger/x.md", None),
    Case("P001", [rep(L26, "summary: 学习新方法}", f"summary: 身份证 {VALID_ID}}}")], L26, 2),
    Case("P002", [rep(A, "成果的公开介绍。", "联系电话 13912345678")], A, 9),
    # the policy as data (policy-profile.md)
    Case("C001", [rep(POL, "quote: 有领衔人才。至少有一名", "quote: 有领衔人才。至少有两名")], POL, 11),
    Case("C002", [write(POL, "document: {title: 测试用政策, short: 测试政策}\n"),
                  rep(STD, "lifecycle:\n", "s4:\n  min_area_m2: {value: 30, basis: policy, clause: S4}\nlifecycle:\n")],
         STD, 5),
    Case("W005", [rep(POL, "  title: 测试工会关于开展创新工作室创建工作的实施意见", "  title: （待填写：本单位政策文件的全称）")],
         POL, 3, "warning"),
    Case("W006", [rep(STD, "lifecycle:\n", "lifecycle:\n  inspection_min_months: 6\n")], STD, 5, "warning"),
    Case("P003", [rep(A, "成果的公开介绍。", "介绍 <ScRiPt >alert(1)</script>")], A, 9),
    Case("P003", [rep(A, "成果的公开介绍。", "[点击](&#106;avascript:alert(1))")], A, 9, id="P003-entity"),
    Case("L001", [rep(D, "decisions:\n", "decisions:\n  - {studio: beta, action: accredit, date: 2023-01-01, "
                      "document: x}\n")], D, 2),
    Case("L001", [rep(D, "decisions:\n", "decisions:\n  - {studio: alpha, action: restore, date: 2024-01-01, "
                      "document: x}\n")], D, 2, id="L001-impossible"),
    Case("L008", [], "union/inspections/2025.yml", 4, "warning"),
    Case("L008", [rep("union/inspections/2025.yml", "result: pass", "result: rectify\n    deadline: 2026-03-01"),
                  write(I26, "inspections:\n  - {studio: alpha, date: 2026-02-20, result: pass, findings: 复查合格}\n")],
         I26, 2, "warning", id="L008-reinspection"),
    Case("D006", [], S, 57, "warning"),
    Case("W004", [rep("union/challenges.yml", "    status: open\n", "    status: claimed\n    claimed_by: [alpha]\n")],
         "union/challenges.yml", 8, "warning"),
    Case("W004", [rep(S, "    source: problem_collection\n", "    source: open_call\n    challenge: c1\n")],
         S, 70, "warning", id="W004-project"),
    Case("R008", [rep(A, "成果的公开介绍。", "成果的公开介绍。\n\n![现场](https://img.example.com/a.jpg)")], A, 11),
    Case("R008", [rep(A, "成果的公开介绍。", "详见 [新闻](http://news.example.com/1)")], A, 9, id="R008-http-link"),
    Case("R008", [rep(S, "description: 一段**公开**的介绍。", "description: 见 ![图](//cdn.example.com/a.png)")], S, 6,
         id="R008-description"),
    Case("R001", [rep(A, "成果的公开介绍。", "成果的公开介绍。\n\n![现场](media/现场.jpg)")], A, 11, id="R001-markdown"),
    Case("R003", [rep(A, "成果的公开介绍。", "[报告](media/report.pdf)"), raw("studios/alpha/media/report.pdf", b"PK\x03\x04")],
         A, 9, id="R003-markdown-link"),
    Case("L002", [write(D, "decisions:\n  - {studio: alpha, action: accredit, date: 2022-05-10, document: x}\n"
                        "  - {studio: alpha, action: rectify, date: 2026-01-10, document: y,\n"
                        "     deadline: 2026-03-31}\n")], D, 4),
    Case("L003", [write(D, "decisions:\n  - {studio: alpha, action: accredit, date: 2022-05-10, document: x}\n"
                        "  - {studio: alpha, action: recommend, date: 2024-01-10, document: y}\n")], D, 3),
    Case("L004", [write(I26, "inspections:\n  - {studio: alpha, date: 2026-02-01, result: fail, findings: 不达标}\n")],
         I26, 2, id="L004-fail-without-rectification"),
    Case("L004", [rep(D, "document: 测试〔2022〕1号\n", "document: 测试〔2022〕1号\n"
                      "  - {studio: alpha, action: revoke, date: 2026-05-01, document: y}\n")], D, 6,
         id="L004-revoke-in-good-standing"),
    Case("L004", [rep(D, "document: 测试〔2022〕1号\n", "document: 测试〔2022〕1号\n"
                      "  - {studio: alpha, action: revoke, date: 2026-05-01, document: y, note: 工作室撤销}\n")], D, 6,
         severity="warning", id="L004-revoke-with-reason"),
    Case("L004", [write(I26, "inspections:\n  - {studio: alpha, date: 2026-02-01, result: rectify, findings: 台账不全,\n"
                        "     deadline: 2026-08-01}\n"),
                  rep(D, "document: 测试〔2022〕1号\n", "document: 测试〔2022〕1号\n"
                      "  - {studio: alpha, action: rectify, date: 2026-03-01, document: y,\n"
                      "     deadline: 2026-10-31}\n")], D, 7, id="L004-second-deadline"),
    Case("L005", [write(D, "decisions:\n  - {studio: alpha, action: accredit, date: 2024-05-10, document: x}\n")],
         D, 2),
    Case("L006", [rep(L25, "development:\n  - {date: 2025-11-20, member: 乙二, event: 获校级教学比赛二等奖}\n", "")],
         L25, 1, severity="warning"),
    Case("L007", [write(D, "decisions: []\n")], "union/inspections/2025.yml", 4, severity="info"),
    Case("F004", [rep(A, "date: 2026-03-01", "date: 2026-08-01")], A, 4, id="F004-future-achievement"),
    Case("F004", [rep(L26, "date: 2026-06-15", "date: 2026-07-15")], L26, 7, id="F004-future-activity"),
    Case("F004", [rep(D, "document: 测试〔2022〕1号\n", "document: 测试〔2022〕1号\n"
                      "  - {studio: alpha, action: rectify, date: 2026-09-01, document: y, deadline: 2026-12-31}\n")],
         D, 6, id="F004-future-decision"),
    Case("D001", [rep(S, "spent_yuan: 2000", "spent_yuan: 20000")], S, 57),
    Case("D001", [expenses(EX1, EX2.replace("500", "1000"))], S, 57, id="D001-sum-differs"),
    Case("D001", [rep(S, "    spent_yuan: 2000\n", ""), expenses(EX1.replace("1500", "9000"), EX2.replace("500", "1500"))],
         S, 58, id="D001-expenses-over-budget"),
    Case("D004", [write("union/standards.yml", "funding:\n  allowed_purposes: [equipment, materials]\n"),
                  expenses(EX1, EX2)], S, 61),
    Case("D005", [expenses(EX1, EX2.replace("training", "other") + ", note: 成果展板制作")], S, 61, severity="warning"),
    Case("F001", [expenses(EX1, EX2.replace(", voucher: BX2026-02", ""))], S, 61, id="F001-expense-voucher"),
    Case("F001", [expenses(EX1, EX2.replace("training", "other"))], S, 61, id="F001-expense-other-note"),
    Case("F001", [rep(S, "    spent_yuan: 2000\n", "")], S, 55, id="F001-no-spending"),
    Case("F004", [expenses(EX1.replace("2026-03-02", "2025-12-30"), EX2)], S, 60, id="F004-expense-year"),
    Case("F004", [expenses(EX1, EX2.replace("2026-04-02", "2026-07-15"))], S, 61, id="F004-expense-future"),
    Case("R004", [write(RG, "recognitions:\n  - {studio: alpha, kind: commend, date: 2026-01-10, document: x}\n"
                            "  - {studio: ghost, kind: commend, date: 2026-01-10, document: y}\n")], RG, 3,
         id="R004-recognition-studio"),
    Case("R004", [write(RG, "recognitions:\n  - {studio: alpha, kind: recommend_achievement, achievement: a9.md,\n"
                            "     date: 2026-01-10, document: x}\n")], RG, 2, id="R004-recognition-achievement"),
    Case("R004", [write(RG, "recognitions:\n  - {studio: alpha, kind: commend, member: 张三, date: 2026-01-10, "
                            "document: x}\n")], RG, 2, id="R004-recognition-member"),
    Case("F001", [write(RG, "recognitions:\n  - {studio: alpha, kind: recommend_achievement, date: 2026-01-10, "
                            "document: x}\n")], RG, 2, id="F001-recognition-achievement"),
    Case("D002", [delete(L26)], L26, None, severity="warning"),
    Case("D003", [delete("union/inspections/2025.yml")], S, 1, severity="warning"),
    Case("W002", [rep(A, "成果的公开介绍。", "（请在这里用一两段话介绍这项成果：解决了什么问题，效果如何。）")], A, 9,
         severity="warning"),
    Case("W003", [write("union/challenges.yml", "challenges: []\n# 注释\n")], "union/challenges.yml", 2,
         severity="warning"),
    Case("W001", [("copy", "small.jpg", "studios/alpha/media/plaque.jpg")], S, 47, severity="warning"),
    Case("S1.1", [rep(S, "level: provincial", "level: school"), rep(S, "title_level: full_senior", "title_level: "
                                                                         "intermediate")], S, 8),
    Case("S1.2", [rep(S, "  frontline: true\n  honors", "  frontline: false\n  honors")], S, 15),
    Case("S2.1", [rep(S, "signage:\n  plaque: media/plaque.jpg\n  boards: [org_structure, duties, goals, "
                         "management_rules]\n", "")], S, None),
    Case("S2.2", [rep(S, "boards: [org_structure, duties, goals, management_rules]", "boards: [org_structure]")],
         S, 48),
    Case("S3.1", [rep(S, "  - name: 丁四", "  - name: 丁四\n    left: 2026-01\n")], S, 21),
    Case("S3.2", [rep(S, "birth_year: 1995", "birth_year: 1980"), rep(S, "birth_year: 1999", "birth_year: 1981")],
         S, 21),
    Case("S3.3", [rep(S, "discipline: 化学", "discipline: 药学"), rep(S, "discipline: 生物学", "discipline: 药学")],
         S, 21),
    Case("S3.4", [rep(S, "    frontline: true\n    role: core", "    frontline: false\n    role: core"),
                  rep(S, "    frontline: true\n    role: member", "    frontline: false\n    role: member")], S, 21),
    Case("S4.1", [rep(S, "area_m2: 40", "area_m2: 5")], S, 49),
    Case("S4.2", [rep(S, "  - year: 2026", "  - year: 2020")], S, 54),
    Case("S5.1", [rep(S, "  - {kind: management, title: 管理制度, adopted: 2021-04-01, file: rules/study.md}\n", "")],
         S, 59),
    Case("S5.2", [rep(S, "      approved: 2026-01-10\n", "")], S, 66),
    Case("S6.1", [rep(S, "      collected: 2025-12-01\n      approved: 2026-01-10",
                      "      collected: 2020-01-01\n      approved: 2020-02-01\n      breakthrough: 2020-03-01\n"
                      "      transformed: 2020-04-01\n      promoted: 2020-05-01")], S, 66),
    Case("S6.2", [delete("studios/alpha/ledger/2025.yml")], L26, None),
    Case("S6.3", [rep(A, "date: 2026-03-01", "date: 2020-03-01")], "studios/alpha/achievements", None),
]


def apply(root: Path, edits: list) -> None:
    for op, path, *args in edits:
        target = root / path
        if op == "replace":
            edit(root, path, *args)
        elif op == "write":
            target.write_text(args[0], encoding="utf-8")
        elif op == "bytes":
            target.write_bytes(args[0])
        elif op == "delete":
            target.unlink()
        elif op == "copy":
            (root / args[0]).write_bytes((FIXTURES / path).read_bytes())


def _id(case: Case) -> str:
    return case.id or case.code


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_rule_fixture_triggers_its_code_at_its_line(base: Path, case: Case):
    apply(base, case.edits)
    res = run("check", "--format", "json", "--as-of", case.as_of, cwd=base)
    found = [f for f in res.json()["findings"] if f["code"] == case.code]
    assert found, f"{case.code} not reported; got {res.out}"
    places = [(f["path"], f["line"], f["severity"]) for f in found]
    assert (case.path, case.line, case.severity) in places, places
    assert res.code == (1 if any(f["severity"] == "error" for f in res.json()["findings"]) else 0)
    if case.severity == "error":
        assert res.code == 1


def test_every_rule_code_has_a_fixture():
    covered = {c.code for c in CASES}
    assert set(RULES) <= covered, sorted(set(RULES) - covered)


def test_base_fixture_is_clean(base: Path):
    # The fixture is hand-written (flow lists), so it has W003 warnings (not the editor's layout); alpha's
    # history is imported from paper: its 2022 accreditation, before lifecycle.enforce_from, is judged as a
    # warning (L005), its 2025 pass inspection came before it met all six (L008), and its 2026 funding gives
    # only a total (D006). After innostudio fmt exactly these three warnings are left.
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0, res.out
    found = res.json()["findings"]
    assert sorted((f["code"], f["path"], f["line"], f["severity"]) for f in found if f["code"] != "W003") \
        == sorted((*place, "warning") for place in BASE_HISTORY), res.out
    assert run("fmt", cwd=base).code == 0
    res = run("check", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0, res.out
    assert "错误 0 个，警告 3 个，提示 0 个" in res.out


def test_all_findings_are_reported_in_one_run(base: Path):
    apply(base, [rep(S, "summary:", "sumary:"), rep(A, "date: 2026-03-01", "date: 2026-13-01"),
                 rep(L26, "participants: 6", "participants: 0")])
    codes = {(f["code"], f["path"]) for f in run("check", "--format", "json", "--as-of", BASE_AS_OF,
                                                 cwd=base).json()["findings"]}
    assert {("F002", S), ("F001", S), ("F004", A), ("F003", L26)} <= codes


def test_enum_accepts_chinese_label(base: Path):
    edit(base, S, "level: provincial", "level: 省级")
    edit(base, A, "type: paper", "type: 论文")
    res = run("check", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0, res.out


def test_bom_and_crlf_are_accepted(base: Path):
    path = base / S
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0, res.out
    edit(base, S, "summary:", "sumary:")
    f = [f for f in run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base).json()["findings"]
         if f["code"] == "F002"]
    assert f and f[0]["line"] == 5 and f[0]["column"] == 1


def test_gbk_file_gets_a_save_as_utf8_hint(base: Path):
    (base / A).write_bytes("---\ntitle: 测试成果\n---\n".encode("gbk"))
    res = run("check", "--as-of", BASE_AS_OF, cwd=base)
    assert "Y004" in res.out and "UTF-8" in res.out and "GBK" in res.out


def test_candidate_unmet_standard_is_info_accredited_is_error(base: Path):
    edit(base, S, "boards: [org_structure, duties, goals, management_rules]", "boards: [org_structure]")
    accredited = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    s22 = [f for f in accredited.json()["findings"] if f["code"] == "S2.2"]
    assert accredited.code == 1 and s22[0]["severity"] == "error"
    (base / D).write_text("decisions: []\n", encoding="utf-8")
    candidate = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    s22 = [f for f in candidate.json()["findings"] if f["code"] == "S2.2"]
    assert candidate.code == 0 and s22[0]["severity"] == "info"
    studio = candidate.json()["studios"][0]
    assert studio["status"] == "candidate" and studio["met"] == 5 and studio["standards"]["S2"] is False


def test_thresholds_come_from_union_standards(base: Path):
    (base / "union" / "standards.yml").write_text("s4:\n  min_area_m2: 50\n", encoding="utf-8")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert [f["line"] for f in res.json()["findings"] if f["code"] == "S4.1"] == [49]


STATUS_DECISIONS = {
    "candidate": "decisions: []\n",
    "accredited": None,
    # recommended when it met all six standards (L003 evaluates them as of the decision's date)
    "demonstration": "  - {studio: alpha, action: recommend, date: 2026-05-20, document: y}\n"
                     "  - {studio: alpha, action: demonstrate, date: 2026-06-10, document: z}\n",
    "rectifying": "  - {studio: alpha, action: rectify, date: 2026-05-01, document: y, deadline: 2026-09-30}\n",
    # revoked after a rectification it did not pass (L004: never straight from good standing)
    "revoked": "  - {studio: alpha, action: rectify, date: 2026-03-01, document: y, deadline: 2026-04-30}\n"
               "  - {studio: alpha, action: revoke, date: 2026-05-01, document: z}\n",
}


@pytest.mark.parametrize("status", list(STATUS_DECISIONS))
def test_passing_fixture_for_every_status(base: Path, status: str):
    extra = STATUS_DECISIONS[status]
    if extra is not None and extra.startswith("decisions"):
        (base / D).write_text(extra, encoding="utf-8")
    elif extra is not None:
        with open(base / D, "a", encoding="utf-8") as fh:
            fh.write(extra)
    if status == "revoked":  # a revoked studio is not held to the standards any more
        edit(base, S, "area_m2: 40", "area_m2: 5")
    res = run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base)
    assert res.code == 0, res.out
    assert res.json()["studios"][0]["status"] == status
    if status == "revoked":
        assert not [f for f in res.json()["findings"] if f["code"].startswith("S")]


def test_inspection_results_act_as_decisions(base: Path):
    (base / "union" / "inspections" / "2026.yml").write_text(
        "inspections:\n  - {studio: alpha, date: 2026-02-01, result: rectify, findings: 台账不全, deadline: 2026-08-01}\n",
        encoding="utf-8")
    assert run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base).json()["studios"][0]["status"] \
        == "rectifying"
    (base / "union" / "inspections" / "2026.yml").write_text(
        "inspections:\n  - {studio: alpha, date: 2026-02-01, result: rectify, findings: 台账不全, deadline: 2026-04-01}\n"
        "  - {studio: alpha, date: 2026-04-01, result: fail, findings: 复查不达标}\n", encoding="utf-8")
    assert run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base).json()["studios"][0]["status"] \
        == "revoked"
    # as of a date before the record, it does not apply yet
    assert run("check", "--format", "json", "--as-of", "2026-01-31", cwd=base).json()["studios"][0]["status"] \
        == "accredited"


def test_every_message_template_formats_with_its_parameters():
    """A template that does not format raises under the test suite (INNOSTUDIO_STRICT_MESSAGES, set in
    conftest), instead of handing the raw template with its {placeholders} to a reader."""
    import os

    rule = RULES["S1.1"]
    assert os.environ.get("INNOSTUDIO_STRICT_MESSAGES") == "1"
    with pytest.raises(KeyError):
        rule.message("unqualified", "zh", {"name": "王"})
    os.environ.pop("INNOSTUDIO_STRICT_MESSAGES")
    try:
        assert "{level}" in rule.message("unqualified", "zh", {"name": "王"})  # a reader still gets the words
    finally:
        os.environ["INNOSTUDIO_STRICT_MESSAGES"] = "1"


def test_one_label_for_each_enum_code():
    from innostudio.model import HOLDS_PLAQUE, Level, Status

    assert Level.label_of("national") == "国家级" and Level.label_of(Level("provincial")) == "省级"
    assert Level.label_of("national", "en") == "national"
    assert Level.label_of(None) == "" and Level.label_of("galactic") == "galactic"
    assert {Status.label_of(s) for s in HOLDS_PLAQUE} == {"已授牌", "示范", "整改中"}


S32_CASES = [  # ages as of 2026: leader 56/32; members 44/33, 31/45, 27/46
    ([("birth_year: 1995", "birth_year: 1980"), ("birth_year: 1999", "birth_year: 1981")],
     "35 岁以下的团队成员只有 0 人，需要 1 人", "梯次"),
    ([("birth_year: 1970", "birth_year: 1994"), ("birth_year: 1982", "birth_year: 1993")],
     "年龄只覆盖 1 个梯次，需要 2 个", "岁以下"),
]


@pytest.mark.parametrize("edits,says,not_said", S32_CASES, ids=["young-only", "tiers-only"])
def test_s3_2_says_only_what_fails(base: Path, edits, says: str, not_said: str):
    for old, new in edits:
        edit(base, S, old, new)
    hits = [f for f in run("check", "--format", "json", "--as-of", BASE_AS_OF, cwd=base).json()["findings"]
            if f["code"] == "S3.2"]
    assert [(f["path"], f["line"]) for f in hits] == [(S, 21)], hits
    assert says in hits[0]["message"] and not_said not in hits[0]["message"], hits[0]["message"]
