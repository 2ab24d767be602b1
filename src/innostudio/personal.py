"""Personal numbers in free text: resident ID numbers and mobile phone numbers, as people write them.

Used by the privacy rules (P001, P002; docs/contract/rules.md). Spellings found: full-width digits
(１３８…), groupings by one space or hyphen (138 1234 5678, 138-1234-5678; 6-8-4 for an ID number), the
+86 / 0086 / (86) prefixes; never a number inside a longer run of letters and digits (a patent, credit
code or contract number), nor anything inside a URL, a Markdown link target or a file path.

libphonenumber (``phonenumbers``) finds the phone spellings; python-stdnum's ``cn.ric`` says whether an
ID number's region code and birth date exist: such a number is personal data whatever its check digit.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

# libphonenumber and python-stdnum are imported where a text passes the quick test (DIGIT_RUN): most
# repositories hold no such text, and `check` then spares their import (~50 ms of a 1 s run).

# Full-width forms to ASCII, one character for one, so that offsets in the normalised text are offsets
# in the original.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                             **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
                             **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
                             "－": "-", "‐": "-", "‑": "-", "＋": "+", "（": "(", "）": ")", "\u3000": " ",
                             "．": "."})
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# An ID number: 6 digits of region, 8 of birth date, 3 and a check character; on one line, grouped 6-8-4
# by one space or one hyphen (the same twice) or not at all.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{5})([ -]?)([0-9]{8})\2([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# URLs, Markdown link targets, <autolinks> and file paths (a/b.ext) are not free text.
_LINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>()\[\]\"'，。；）]+|\]\([^)\n]*\)|<[^>\s]+>|"
                   r"(?<![\w/])(?:[\w.-]+/)+[\w.-]+\.[A-Za-z0-9]{1,5}\b")
# What every spelling of both numbers holds: eleven digits (of any script) with at most four separators
# between two of them, as libphonenumber's matcher allows (its punctuation, copied here: a test compares the
# two, so an update of the library that widens it fails there). A text without such a run holds neither
# number; this regex with a class prefix scans several times quicker than the full search
# (tests/test_properties.py holds the two together).
PHONE_PUNCTUATION = "-x‐-―−ー－-／ \xa0\xad\u200b\u2060\u3000()（）［］.\\[\\]/~⁓∼～\t"
DIGIT_RUN = re.compile(r"\d(?:[" + PHONE_PUNCTUATION + r"]{0,4}\d){10}")


def normalise(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def _blank_links(text: str) -> str:
    if "/" not in text and "<" not in text and "](" not in text:
        return text
    return _LINK.sub(lambda m: " " * len(m.group()), text)


def _plausible_id(region: str, birth: str) -> bool:
    """A region code that exists (or existed) and a real birth date from 1850 on."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    number = region + birth + "0000"
    try:
        born = ric.get_birth_date(number)
        ric.get_birth_place(number)
    except (ValidationError, ValueError):
        return False
    return born.year >= 1850


def scan_ids(text: str) -> list[tuple[int, str]]:
    """(offset, the 18 characters) of every plausible resident ID number in ``text`` (the full search: a text
    without a DIGIT_RUN holds none, and callers skip it first)."""
    plain = _blank_links(normalise(text))
    return [(m.start(1), m.group(1) + m.group(3) + m.group(4).upper()) for m in _ID_RE.finditer(plain)
            if _plausible_id(m.group(1), m.group(3))]


def scan_mobiles(text: str) -> list[tuple[int, str]]:
    """(offset, 11 digits) of every mobile number in ``text`` (the full search, as scan_ids). A match of
    libphonenumber counts when its national number is a mobile number of China (1[3-9] and nine digits), it
    stays on one line and no letter or digit touches it."""
    import phonenumbers

    plain = _blank_links(normalise(text))
    found = []
    for m in phonenumbers.PhoneNumberMatcher(plain, "CN", leniency=phonenumbers.Leniency.POSSIBLE):
        national = str(m.number.national_number)
        if m.number.country_code != 86 or not _MOBILE.fullmatch(national) or "\n" in m.raw_string:
            continue
        before = plain[m.start - 1] if m.start > 0 else ""
        after = plain[m.end] if m.end < len(plain) else ""
        if before in _ALNUM or after in _ALNUM:
            continue
        found.append((m.start, national))
    return found


def canonical_forms(values: Iterable[str]) -> set[str]:
    """The forms a reviewed value (union/privacy.yml) is compared in: its digits (and X), with and without
    a 86 / 0086 country prefix."""
    forms: set[str] = set()
    for value in values:
        digits = "".join(c for c in normalise(value).upper() if c in "0123456789X")
        forms.add(digits)
        for prefix in ("0086", "86"):
            if digits.startswith(prefix):
                forms.add(digits[len(prefix):])
    return forms


def mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
