"""The hostile corpus: inputs from many hands that must never crash the checker or leak onto the site.

Each case mutates a copy of tests/fixtures/base and states the exit code `innostudio check` must give
(1 with findings; 0 where the input is harmless) and codes that must be among the findings. Static
inputs live in tests/hostile/files/; large or generated ones are made here.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FILES = Path(__file__).parent / "files"
S = "studios/alpha/studio.yml"
A = "studios/alpha/achievements/a1.md"
L = "studios/alpha/ledger/2026.yml"
D = "union/decisions.yml"


@dataclass
class Case:
    name: str
    build: Callable[[Path], None]
    exit: int = 1
    codes: set[str] = field(default_factory=set)


def write(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
    return go


def static(rel: str, name: str) -> Callable[[Path], None]:
    return write(rel, (FILES / name).read_bytes())


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        p = root / rel
        text = p.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return go


def body(text: str) -> Callable[[Path], None]:
    return replace(A, "成果的公开介绍。", text)


def symlink(rel: str, target: str) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        p = root / rel
        if p.exists() or p.is_symlink():
            p.unlink()
        os.symlink(target, p)
    return go


def symlink_folder(root: Path) -> None:
    outside = root.parent / "outside-studio"
    outside.mkdir(exist_ok=True)
    (outside / "studio.yml").write_text((root / S).read_text(encoding="utf-8").replace("阿尔法", "外部"),
                                        encoding="utf-8")
    os.symlink(outside, root / "studios" / "outside")


def duplicate_studio(root: Path) -> None:
    import shutil

    shutil.copytree(root / "studios" / "alpha", root / "studios" / "alpha-copy")


def svg_photo(root: Path) -> None:
    (root / "studios/alpha/media/evil.svg").write_bytes((FILES / "evil.svg").read_bytes())
    replace(S, "  boards: [org_structure", "  photos: [media/evil.svg]\n  boards: [org_structure")(root)


def svg_as_jpg(root: Path) -> None:
    (root / "studios/alpha/media/plaque.jpg").write_bytes((FILES / "evil.svg").read_bytes())


def big_file(root: Path) -> None:
    with open(root / A, "wb") as fh:
        fh.write(b"---\ntitle: x\n---\n")
        chunk = ("大" * 1000 + "\n").encode()
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)


def many_findings(root: Path) -> None:
    (root / L).write_text("activities: [" + ", ".join(["1"] * 20_000) + "]\n", encoding="utf-8")


def alias_bomb() -> str:
    lines = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    for i in range(ord("b"), ord("k")):
        prev = chr(i - 1)
        lines.append(f"{chr(i)}: &{chr(i)} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "activities:\n  - date: 2026-01-01\n    kind: meeting\n    title: t\n    participants: 1\n    summary: s\n" + \
        "\n".join(lines) + "\n"


def deep_mapping() -> str:
    depth = 400
    return "activities:\n" + "".join(" " * (2 * i + 2) + f"k{i}:\n" for i in range(depth)) + " " * (2 * depth + 2) \
        + "v\n"


CASES = [
    Case("alias-bomb", write(L, alias_bomb()), codes={"Y003"}),
    Case("deep-brackets-100k", write(L, "activities: " + "[" * 100_000 + "]" * 100_000 + "\n"), codes={"Y003"}),
    Case("deep-braces-unclosed", write(S, "name: " + "{a: " * 50_000 + "\n"), codes={"Y003"}),
    Case("deep-mapping", write(L, deep_mapping()), codes={"Y003"}),
    Case("file-50mb", big_file, codes={"Y004"}),
    Case("binary-studio", write(S, os.urandom(0) + bytes(range(256)) * 64), codes={"Y004"}),
    Case("nul-in-ledger", write(L, "activities:\n  - date: 2026-01-01\x00\n"), codes={"Y004"}),
    Case("empty-studio", write(S, ""), codes={"F001"}),
    Case("empty-achievement", write(A, ""), codes={"Y001"}),
    Case("toplevel-list", write(S, "- name: x\n- unit: y\n"), codes={"F003"}),
    Case("toplevel-scalar", write(D, "just a sentence\n"), codes={"F003"}),
    Case("front-matter-unclosed", write(A, "---\ntitle: x\ntype: paper\n\n正文\n"), codes={"Y001"}),
    Case("front-matter-missing", write(A, "title: x\n\n正文\n"), codes={"Y001"}),
    Case("symlink-file-out", symlink(S, "/etc/passwd"), codes={"R002"}),
    Case("symlink-folder-out", symlink_folder, codes={"R002"}),
    Case("symlink-achievement-out", symlink("studios/alpha/achievements/leak.md", "/etc/passwd"), codes={"R002"}),
    Case("symlink-photo-out", symlink("studios/alpha/media/plaque.jpg", "/etc/hostname"), codes={"R002"}),
    Case("bad-slug", lambda r: (r / "studios" / "alpha").rename(r / "studios" / "Bad_Slug"), codes={"F003"}),
    Case("duplicate-studio-name", duplicate_studio, codes={"R005"}),
    Case("impossible-date", replace(A, "date: 2026-03-01", "date: 2026-02-30"), codes={"F004"}),
    Case("impossible-year", replace(A, "date: 2026-03-01", "date: 0000-01-01"), codes={"F004"}),
    Case("year-9999", replace(S, "established: 2021-03-01", "established: 9999-12-31"), codes={"F004"}),
    Case("future-birth-year", replace(S, "birth_year: 1970", "birth_year: 2090"), codes={"F004"}),
    Case("money-1e999", replace(S, "budget_yuan: 10000", "budget_yuan: 1e999"), codes={"F003"}),
    Case("money-inf", replace(S, "budget_yuan: 10000", "budget_yuan: .inf"), codes={"F003"}),
    Case("money-nan", replace(S, "spent_yuan: 2000", "spent_yuan: .nan"), codes={"F003"}),
    Case("money-negative", replace(S, "spent_yuan: 2000", "spent_yuan: -2000"), codes={"F003"}),
    Case("huge-integer", replace(L, "participants: 6", "participants: " + "9" * 5000), codes={"F003"}),
    Case("million-char-line", replace(S, "summary: 用于测试的虚构工作室。", "summary: " + "长" * 1_000_000),
         codes={"Y004"}),
    Case("million-char-body-line", body("字" * 80_000), exit=0),
    Case("script-mixed-case", body("<ScRiPt>alert(1)</sCrIpT>"), codes={"P003"}),
    Case("script-whitespace", body("< script >alert(1)</script >"), codes={"P003"}),
    Case("script-newline-tag", body("<script\n>alert(1)</script>"), codes={"P003"}),
    Case("reference-link-js", body("[点我][x]\n\n[x]: javascript:alert(1)"), codes={"P003"}),
    Case("entity-encoded-js", body("[点我](&#x6A;avascript:alert(1))"), codes={"P003"}),
    Case("entity-decimal-js", body("<a href=\"&#106;&#97;vascript:alert(1)\">x</a>"), codes={"P003"}),
    Case("data-url", body("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"), codes={"P003"}),
    Case("svg-onload-markdown", body("<svg/onload=alert(1)>"), codes={"P003"}),
    Case("img-onerror", body("<img src=x onerror=alert(1)>"), codes={"P003"}),
    Case("iframe", body("<iframe src=\"https://evil.example\"></iframe>"), codes={"P003"}),
    Case("svg-photo", svg_photo, codes={"R003"}),
    Case("svg-as-jpg", svg_as_jpg, codes={"R003"}),
    Case("twenty-thousand-findings", many_findings, codes={"F003"}),
    Case("garbage-decisions", static(D, "garbage-decisions.yml"), codes={"F003"}),
    Case("garbage-inspections", write("union/inspections/2025.yml", "inspections: {a: [1, 2, {b: c}]}\n"),
         codes={"F003"}),
    Case("garbage-standards", write("union/standards.yml", "s3: [1, 2]\nlimits: {text_kib: -5}\n"),
         codes={"F003"}),
    Case("garbage-challenges", write("union/challenges.yml", "challenges:\n  - 12\n  - [a]\n  - {id: x}\n"),
         codes={"F003", "F001"}),
    Case("python-tag", write(L, "activities: !!python/object/apply:os.system ['echo pwned']\n"), codes={"Y003"}),
    Case("many-documents", write(L, "activities: []\n---\nactivities: []\n"), codes={"Y003"}),
    Case("duplicate-keys", write(S, (Path(__file__).parent.parent / "fixtures/base" / S).read_text(
        encoding="utf-8") + "name: 第二个名字\n"), codes={"Y002"}),
    Case("gbk-encoding", write(A, "---\ntitle: 成果\ntype: paper\ndate: 2026-03-01\n---\n正文\n".encode("gbk")),
         codes={"Y004"}),
    Case("invalid-utf8-middle", write(L, b"activities:\n  - title: \xff\xfe\n"), codes={"Y004"}),
    Case("tabs", write(L, "activities:\n\t- date: 2026-01-01\n"), codes={"Y001"}),
    Case("id-number", replace(L, "summary: 学习新方法}", "summary: 身份证 11010519491231002X}"), codes={"P001"}),
    Case("bom-crlf-harmless", lambda r: (r / S).write_bytes(
        b"\xef\xbb\xbf" + (r / S).read_text(encoding="utf-8").replace("\n", "\r\n").encode()), exit=0),
    Case("rtl-and-emoji-harmless", replace(S, "summary: 用于测试的虚构工作室。", "summary: 🙂 \u202e测试\u202c 工作室"), exit=0),
]
