"""The command line's own words in Chinese: argparse's help headings and usage errors.

argparse looks each of its texts up through gettext at the moment it prints (``argparse._`` and
``argparse.ngettext``); `use(lang)` points those lookups at this table for Chinese (the default) and back
at gettext for `--lang en`. Texts not in the table print as argparse wrote them.
"""
from __future__ import annotations

import argparse
import gettext
from collections.abc import Sequence

ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n（运行 %(prog)s --help 查看用法）\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的值 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能和参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "one of the arguments %s is required": "参数 %s 必须有其中一个",
    "unexpected option string: %s": "意外的选项：%s",
}
ZH_PLURAL = {"expected %s argument": "需要 %s 个值", "expected %s arguments": "需要 %s 个值"}


def _zh(text: str) -> str:
    return ZH.get(text, text)


def _zh_n(singular: str, plural: str, n: int) -> str:
    return ZH_PLURAL.get(singular if n == 1 else plural, singular if n == 1 else plural)


def use(lang: str) -> None:
    """Make argparse speak ``lang`` ("zh" or "en") from now on."""
    if lang == "en":
        argparse._ = gettext.gettext  # type: ignore[attr-defined]
        argparse.ngettext = gettext.ngettext  # type: ignore[attr-defined]
    else:
        argparse._ = _zh  # type: ignore[attr-defined]
        argparse.ngettext = _zh_n  # type: ignore[attr-defined]


def lang_of(argv: Sequence[str]) -> str:
    """The language asked for on the command line (`--lang en` / `--lang=en`), before argparse reads it."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
    return "zh"
