"""P001/P002 on the spellings people really write, both ways (docs/contract/rules.md, P001 and P002).

Every spelling of a mobile or ID number below is caught at its file and line, and the build stops; none of
the identifiers (patents, ISBN, DOI, standards, credit codes, contract and voucher numbers, URLs, paths,
office landlines) is flagged; identifier-like fields are not scanned; union/privacy.yml exempts a value
the union has reviewed. The numbers are made up: each is a valid-looking sequence, not a person's.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASE_AS_OF, build_site, edit, run

A = "studios/alpha/achievements/a1.md"
BODY = "成果的公开介绍。"  # line 9 of the base fixture's achievement
L26 = "studios/alpha/ledger/2026.yml"

MOBILE_SPELLINGS = [
    "联系电话 13912345678",
    "联系电话：139 1234 5678",
    "联系电话：139-1234-5678。",
    "手机+86 139 1234 5678",
    "手机 +8613912345678",
    "手机 0086 13912345678",
    "手机 (86)13912345678",
    "手机（86）139-1234-5678",
    "手机 １３９１２３４５６７８",
    "手机 １３９－１２３４－５６７８",
    "手机 １３９　１２３４　５６７８",
    "报名电话13912345678，截止周五",
    "tel:13912345678",
    "电话 19912345678",
    "电话 15412345678",  # not (yet) assigned, but the shape of a mobile number is enough
]

ID_SPELLINGS = [
    "身份证 11010519491231002X",
    "身份证 11010519491231002x",
    "身份证号码110105194912310021，",  # wrong check digit: still an ID number
    "身份证 110105 19491231 002X",
    "身份证 110105-19491231-002X",
    "身份证 １１０１０５１９４９１２３１００２Ｘ",
]

NOT_PERSONAL = [
    "发明专利 ZL202310123456.7",
    "专利申请号 CN202310123456.7",
    "公开号 CN113912345678A",
    "ISBN 978-7-117-12345-6",
    "ISBN 9787117123456",
    "DOI 10.1016/j.jclinepi.2023.01.001",
    "执行标准 GB/T 19001-2016，WS/T 313-2019",
    "统一社会信用代码 91370800MA3C12345X",
    "合同编号 HT-2024-0001，凭证 BX2026-MA003",
    "办公电话 0537-3616123，传真 (0537) 3616124",
    "服务热线 400-123-4567",
    "论文见 https://example.org/paper/13912345678 与 [全文](docs/13912345678.pdf)",
    "项目编号 2024-ZD-0137，经费 80000 72350 12000 元",
    "编号 A13912345678B 和 13912345678901",
    "2026-11-30 至 2026-12-01 共 2 天",
    "批号 20231231123456789",  # 17 digits of a date run: no region code 202312 … not an ID either
]


def _codes(res, code: str) -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in res.json()["findings"] if f["code"] == code]


def _check(root: Path):
    return run("check", "--as-of", BASE_AS_OF, "--format", "json", cwd=root)


@pytest.mark.parametrize("text", MOBILE_SPELLINGS)
def test_every_spelling_of_a_mobile_number_is_caught_at_its_line(base: Path, text: str):
    edit(base, A, BODY, text)
    res = _check(base)
    assert res.code == 1
    assert _codes(res, "P002") == [(A, 9)], res.out
    message = next(f["message"] for f in res.json()["findings"] if f["code"] == "P002")
    assert "139" in message or "199" in message or "154" in message
    assert "1234" not in message, "the message masks the number it reports"


@pytest.mark.parametrize("text", ID_SPELLINGS)
def test_every_spelling_of_an_id_number_is_caught_at_its_line(base: Path, text: str):
    edit(base, A, BODY, text)
    res = _check(base)
    assert res.code == 1
    assert _codes(res, "P001") == [(A, 9)], res.out
    assert _codes(res, "P002") == []


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_identifiers_urls_paths_and_landlines_are_left_alone(base: Path, text: str):
    edit(base, A, BODY, text)
    res = _check(base)
    assert _codes(res, "P001") == [] and _codes(res, "P002") == [], res.out


def test_a_number_in_a_yaml_value_is_caught_on_the_line_of_the_value(base: Path):
    edit(base, L26, "summary: 学习新方法}", "summary: 报名请联系 139-1234-5678}")
    res = _check(base)
    assert res.code == 1 and _codes(res, "P002") == [(L26, 2)], res.out


def test_identifier_fields_are_not_scanned_but_the_same_number_in_text_is(base: Path):
    edit(base, A, "project: p1\n", "project: p1\nidentifier: 13912345678\n")
    edit(base, "union/decisions.yml", "document: 测试〔2022〕1号", "document: 测试〔2022〕13912345678号")
    res = _check(base)
    assert _codes(res, "P002") == [], res.out
    edit(base, A, BODY, "编号 13912345678")
    assert _codes(_check(base), "P002") == [(A, 10)]


def test_the_private_mapping_is_not_public_text(base: Path):
    studio = base / "studios/alpha/studio.yml"
    studio.write_text(studio.read_text(encoding="utf-8") + "private:\n  contact: 139 1234 5678\n  id: 11010519491231002X\n",
                      encoding="utf-8")
    res = _check(base)
    assert _codes(res, "P001") == [] and _codes(res, "P002") == [], res.out


def test_a_value_the_union_reviewed_is_exempt_and_others_are_not(base: Path):
    (base / "union/privacy.yml").write_text(
        "allow:\n  - value: +86 139-1234-5678\n    note: 工作室对外公布的服务电话，2026-05 校工会审核\n", encoding="utf-8")
    edit(base, A, BODY, "服务电话 13912345678，领衔人 13812345678")
    res = _check(base)
    findings = [f for f in res.json()["findings"] if f["code"] == "P002"]
    assert [(f["path"], f["line"]) for f in findings] == [(A, 9)]
    assert "138" in findings[0]["message"] and "139" not in findings[0]["message"]


def test_privacy_yml_with_an_unknown_key_is_an_error_at_its_line(base: Path):
    (base / "union/privacy.yml").write_text("allow:\n  - value: 13912345678\n    reason: 服务电话\n", encoding="utf-8")
    res = _check(base)
    assert res.code == 1
    assert ("union/privacy.yml", 3) in _codes(res, "F002"), res.out


def test_a_full_width_phone_number_stops_the_build_and_reaches_no_page(base: Path):
    edit(base, A, BODY, "报名电话 １３９－１２３４－５６７８")
    proc = build_site(base, as_of=BASE_AS_OF, expect=1)
    assert "P002" in proc.stdout + proc.stderr
    assert not (base / "build" / "site").exists()


def test_the_quick_test_allows_every_separator_libphonenumber_allows():
    """personal.DIGIT_RUN lets a file past only if it has eleven digits with libphonenumber's punctuation
    between them; if the library widens its punctuation, the quick test must widen with it."""
    import phonenumbers.phonenumbermatcher as matcher

    from innostudio import personal

    theirs = matcher._PUNCTUATION
    assert theirs.endswith("]{0,4}") and personal.DIGIT_RUN.pattern.endswith("]{0,4}\\d){10}")
    for ch in map(chr, range(0x20, 0x10000)):
        if ch != "\n" and __import__("re").fullmatch(theirs, ch):
            assert personal.DIGIT_RUN.search("1" + ch + "3912345678" + ch + "9"), repr(ch)
