"""What a lead who is not a programmer reads: Chinese at the right line, a suggestion for a slip, no noise.

The command line speaks Chinese by default (argparse's own words included) and English with --lang en;
YAML syntax slips are explained in Chinese on the line where they were made; a mistyped key or enum value
gets "您是不是要写 …"; W003 (layout) is held back on a file that has an error.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASE_AS_OF, edit, run

A = "studios/alpha/achievements/a1.md"
L26 = "studios/alpha/ledger/2026.yml"


def _findings(root: Path, *args: str) -> list[dict]:
    res = run("check", "--as-of", BASE_AS_OF, "--format", "json", *args, cwd=root)
    return res.json()["findings"]


def _one(root: Path, code: str, path: str) -> dict:
    found = [f for f in _findings(root) if f["code"] == code and f["path"] == path]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("old, new, line, words", [
    ("title: 测试成果", "title: 检测方法: 改进", 2, "冒号加空格"),
    ("members: [甲一, 乙二]", "members: [甲一, 乙二", 5, "“[”开始的列表没有用“]”结束"),
    ("members: [甲一, 乙二]", "members: {甲一: 1", 5, "没有用“}”结束"),
    ("title: 测试成果", 'title: "测试成果', 2, "引号没有成对"),
    ("type: paper", " type: paper", 3, "缩进和上面对不齐"),
])
def test_yaml_slips_are_explained_in_chinese_on_their_own_line(base: Path, old: str, new: str, line: int, words: str):
    edit(base, A, old, new)
    found = _one(base, "Y001", A)
    assert found["line"] == line, found
    assert words in found["message"], found["message"]
    assert not any(ch.isascii() and ch.isalpha() for ch in found["message"].split("例如")[0].replace("YAML", "")), \
        found["message"]  # no English parser text before the example


def test_english_stays_available(base: Path):
    edit(base, A, "title: 测试成果", "title: 检测方法: 改进")
    res = run("check", "--as-of", BASE_AS_OF, "--format", "json", "--lang", "en", cwd=base)
    msg = next(f["message"] for f in res.json()["findings"] if f["code"] == "Y001")
    assert "colon" in msg and "：" not in msg


def test_a_mistyped_key_gets_a_suggestion(base: Path):
    edit(base, L26, "summary: 学习新方法}", "sumary: 学习新方法}")
    found = [f for f in _findings(base) if f["code"] == "F002"]
    assert found and "您是不是要写 summary" in found[0]["message"] and found[0]["line"] == 2


def test_a_key_like_nothing_gets_no_suggestion(base: Path):
    edit(base, A, "title: 测试成果", "title: 测试成果\nzzz: 1")
    found = _one(base, "F002", A)
    assert "您是不是要写" not in found["message"] and "请检查拼写" in found["message"]


@pytest.mark.parametrize("value, suggestion", [("papr", "paper（论文）"), ("论午", "paper（论文）"),
                                               ("invention-patent", "invention_patent（发明专利）")])
def test_a_mistyped_enum_value_gets_a_suggestion(base: Path, value: str, suggestion: str):
    edit(base, A, "type: paper", f"type: {value}")
    found = _one(base, "F003", A)
    assert f"您是不是要写 {suggestion}" in found["message"], found["message"]


def test_layout_notes_wait_until_a_files_error_is_fixed(base: Path):
    edit(base, L26, "  - {date: 2026-01-15,", "  - {date: 2026-01-15, titel: x,")  # an error, in a layout fmt would change
    codes = {(f["code"], f["path"]) for f in _findings(base)}
    assert ("F002", L26) in codes and ("W003", L26) not in codes
    assert ("W003", "studios/alpha/ledger/2025.yml") in codes  # a file without an error keeps its note
    edit(base, L26, "titel: x, ", "")
    codes = {(f["code"], f["path"]) for f in _findings(base)}
    assert ("W003", L26) in codes  # the layout note comes back once the error is gone


def test_help_and_usage_errors_are_chinese_by_default_and_english_on_request():
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "innostudio", *args], capture_output=True, text=True, timeout=60)

    helped = cli("check", "--help")
    assert helped.returncode == 0 and "用法：" in helped.stdout and "显示本帮助并退出" in helped.stdout
    assert "usage:" not in helped.stdout and "show this help" not in helped.stdout
    wrong = cli("check", "--format", "xml")
    assert wrong.returncode == 2 and "错误" in wrong.stderr and "无效的值 'xml'" in wrong.stderr
    assert "invalid choice" not in wrong.stderr
    typo = cli("chek")
    assert typo.returncode == 2 and "无效的值 'chek'" in typo.stderr and "check" in typo.stderr
    english = cli("check", "--lang", "en", "--format", "xml")
    assert english.returncode == 2 and "invalid choice: 'xml'" in english.stderr


def test_root_and_lang_before_the_command_name(base: Path):
    """site.md: --root is accepted before or after the command name (and so is --lang)."""
    before = run("--root", str(base), "check", "--as-of", BASE_AS_OF)
    after = run("check", "--root", str(base), "--as-of", BASE_AS_OF)
    assert before.code == after.code == 0 and before.out == after.out
    english = run("--lang", "en", "--root", str(base), "check", "--as-of", BASE_AS_OF)
    assert english.code == 0 and "studios, as of" in english.out
