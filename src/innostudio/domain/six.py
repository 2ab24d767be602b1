"""The six standards (六有): their names, and whether the input a standard is judged on can be read."""
from __future__ import annotations

import difflib

from ..corpus import Doc, StudioFolder
from ..model import Studio

STANDARDS = {
    "S1": ("有领衔人才", "Qualified leader"),
    "S2": ("有明显标志", "Visible signage"),
    "S3": ("有创新团队", "Innovation team"),
    "S4": ("有场地经费", "Venue and funding"),
    "S5": ("有规章制度", "Rules and closed-loop process"),
    "S6": ("有创新成效", "Innovation results"),
}

# What a standard shows instead of its reasons when broken_input() names the file it cannot read (无法评价).
BLOCKED_MSG = ("无法评价：{path} 有错误，先修正它（见该文件的错误）",
               "cannot be judged: {path} has errors; fix it first")


def blocked_message(path: str, lang: str = "zh") -> str:
    """The reason shown for a standard that cannot be judged because ``path`` is broken."""
    zh, en = BLOCKED_MSG
    return (en if lang == "en" else zh).format(path=path)


_BROKEN_KINDS = ("encoding", "binary", "size", "parse", "ledgername")


def broken_input(folder: StudioFolder, reads: tuple[str, ...]) -> str | None:
    """The broken file or section among ``reads`` (a rule's inputs), if any: then the rule cannot claim that
    data is missing or insufficient (a GBK ledger is not "only 2 activities", a mistyped area is not "no
    venue")."""
    for what in reads:
        if what in ("ledger", "achievements"):
            docs = folder.ledgers if what == "ledger" else folder.achievements
            for doc in docs:
                if doc.model is None or doc.errors or not doc.source.ok:
                    return doc.path
            if what == "ledger" and any(p.kind in _BROKEN_KINDS for path, p in folder.problems if "/ledger/" in path):
                return folder.path + "/ledger"
            continue
        prof = folder.profile
        if prof is not None and any(e.field == what or e.field.startswith((what + ".", what + "["))
                                    for e in prof.errors):
            return f"{prof.path}（{what}）"
        near = near_miss(prof, what)
        if prof is not None and near is not None:
            return f"{prof.path}（{near}）"
    return None


def near_miss(prof: Doc | None, what: str) -> str | None:
    """An unknown top-level key of studio.yml that is a misspelling of the absent section `what` (``venu:`` for
    ``venue:``): the section is then broken, not missing."""
    if prof is None or not isinstance(prof.data, dict) or what in prof.data:
        return None
    known = list(Studio.model_fields)
    for e in prof.errors:
        if e.kind == "unknown" and "." not in e.field and "[" not in e.field \
                and difflib.get_close_matches(e.field, known, n=1) == [what]:
            return e.field
    return None


def section_broken(prof: Doc | None, what: str) -> bool:
    """True when studio.yml's section `what` has errors or is absent under a misspelt key: rules that look
    things up in it must not report them as missing."""
    if prof is None:
        return False
    return near_miss(prof, what) is not None or any(
        e.field == what or e.field.startswith((what + ".", what + "[")) for e in prof.errors)
