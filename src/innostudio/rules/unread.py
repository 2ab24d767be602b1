"""R006: files under a studio folder that the portal does not read."""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..corpus import LEDGER_RE
from .base import Context, Hit, Kind, rule
from .refs import checked_refs

EXEMPT_DIRS = ("media", "docs")  # photos, scans and other material: read only when referenced
_DOUBLE_EXT = re.compile(r"^(?P<stem>.+?)\.(?P<ext>md|ya?ml)\.(?:txt|md|docx?|rtf)$", re.I)
IMAGE_EXT = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def _referenced(ctx: Context) -> set[str]:
    """Every file an entry references (shared with R001–R003: computed once)."""
    return {os.path.normpath(os.fspath(target)) for _ref, target, _info in checked_refs(ctx) if target is not None}


def _walk(folder: Path):
    """Files of the studio folder the loader does not read, as relative paths with '/' (hidden names and the
    exempt folders skipped). One scandir per folder; the common files cost one string test each."""
    todo = [("", str(folder))]
    while todo:
        rel_dir, path = todo.pop()
        try:
            with os.scandir(path) as it:
                entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in it if not e.name.startswith(".")]
        except OSError:
            continue
        for name, is_dir in sorted(entries, reverse=True):
            rel = f"{rel_dir}{name}"
            if is_dir:
                if not (rel_dir == "" and name in EXEMPT_DIRS):
                    todo.append((rel + "/", f"{path}/{name}"))
            elif not _read(rel_dir, name):
                yield rel


def _loose(studios: Path):
    """Files directly under studios/, outside any studio folder (hidden names such as .gitkeep skipped)."""
    try:
        with os.scandir(studios) as it:
            names = sorted(e.name for e in it if not e.name.startswith(".") and not e.is_dir())
    except OSError:
        return
    for name in names:
        yield Hit("loose", f"studios/{name}", None)


def _read(rel_dir: str, name: str) -> bool:
    """True when the loader reads this file of a studio folder."""
    if rel_dir == "":
        return name == "studio.yml"
    if rel_dir == "achievements/":
        return name.endswith(".md")
    if rel_dir == "ledger/":
        return name.endswith((".yml", ".yaml"))  # a badly named ledger is read (and reported as F003)
    return False


def _where(rel: Path, text_head: str) -> tuple[str, dict]:
    """Message key and parameters saying where the file belongs."""
    parts, name = rel.parts, rel.name
    lower = name.lower()
    if lower in ("thumbs.db", "desktop.ini", "ehthumbs.db") or name.startswith("~$"):
        return "junk", {}
    m = _DOUBLE_EXT.match(name)
    if m:
        ext = m.group("ext").lower()
        right = f"{m.group('stem')}.{ext}"
        return "double_ext", {"right": (rel.parent / right).as_posix(), "ext": "." + ext}
    if lower.endswith((".md", ".markdown")) and not name.endswith(".md"):  # X.MD, x.markdown
        return "case_ext", {"right": (rel.parent / (name.rsplit(".", 1)[0] + ".md")).as_posix()}
    looks_ledger = lower.endswith((".yml", ".yaml")) and (LEDGER_RE.match(lower) or "activities:" in text_head)
    looks_achievement = lower.endswith((".md", ".markdown")) and (text_head.startswith("---") or
                                                                  parts[0].startswith("achievement"))
    if looks_ledger:
        year = LEDGER_RE.match(lower)
        return "ledger", {"right": f"ledger/{year.group(1) if year else '年份'}.yml"}
    if looks_achievement:
        stem = name.rsplit(".", 1)[0]
        return "achievement", {"right": f"achievements/{stem}.md"}
    if lower in ("studio.yaml", "studio.yml.yml") or (len(parts) > 1 and name == "studio.yml"):
        return "profile", {}
    if parts[0] == "rules" and lower.endswith((".md", ".pdf")):
        return "rule_doc", {"right": f"docs/{name}"}
    if lower.endswith(IMAGE_EXT):
        return "image", {"right": f"media/{name}"}
    if lower.endswith(".md"):
        return "markdown", {"right": f"docs/{name}"}
    return "other", {"right": f"docs/{name}"}


@rule("R006", ("门户不读取的文件", "File the portal does not read"), {
    "double_ext": ("门户不读取这个文件：文件名多了一个扩展名，应改名为 {right}（记事本“另存为”时把“保存类型”选为"
                   "“所有文件”，文件名写成 …{ext}）",
                   "the portal does not read this file: it has a second extension; rename it to {right}"),
    "case_ext": ("门户不读取这个文件：扩展名应为小写 .md，请改名为 {right}",
                 "the portal does not read this file: the extension must be lower-case .md; rename it to {right}"),
    "achievement": ("门户不读取这个文件，成果不会出现在网站上：成果文件应直接放在工作室的 achievements/ 文件夹中"
                    "（不要再建子文件夹），即 {right}",
                    "the portal does not read this file, so the achievement is not published: achievements go "
                    "directly in the studio's achievements/ folder (no sub-folder), as {right}"),
    "ledger": ("门户不读取这个文件，台账不会被统计：工作台账应放在 ledger/ 文件夹中，每年一个文件，即 {right}",
               "the portal does not read this file, so the ledger is not counted: ledgers go in ledger/, one file "
               "a year, as {right}"),
    "profile": ("门户不读取这个文件：工作室档案只能是工作室文件夹根目录下的 studio.yml",
                "the portal does not read this file: the profile is studio.yml at the studio folder's top"),
    "junk": ("这是 Windows 或 Office 自动生成的文件（缩略图缓存、临时文件），门户不读取：请删除它，不要提交",
             "this file is made by Windows or Office (thumbnail cache, lock file): delete it, do not commit it"),
    "rule_doc": ("门户不读取这个文件：制度文件要在 studio.yml 的 rules 中引用（kind、title、adopted、file）才算数；"
                 "草稿请移到 {right}",
                 "the portal does not read this file: a rules document counts only when studio.yml's rules "
                 "reference it; move drafts to {right}"),
    "image": ("门户不读取这个文件：图片请放在 media/ 文件夹中（如 {right}），并在 studio.yml、成果或台账中引用",
              "the portal does not read this file: put images in media/ (e.g. {right}) and reference them from "
              "studio.yml, an achievement or the ledger"),
    "markdown": ("门户不读取这个文件：成果放 achievements/，制度文件放 rules/ 并在 studio.yml 的 rules 中引用，"
                 "其他材料放 docs/（如 {right}）",
                 "the portal does not read this file: achievements go in achievements/, rules documents in rules/ "
                 "referenced from studio.yml's rules, other material in docs/ (e.g. {right})"),
    "loose": ("门户不读取这个文件：studios/ 下只能有工作室文件夹，文件应放在 studios/<工作室>/ 文件夹中"
              "（成果放 studios/<工作室>/achievements/，台账放 studios/<工作室>/ledger/年份.yml，"
              "其他材料放 studios/<工作室>/docs/）",
              "the portal does not read this file: studios/ holds only studio folders; files belong in "
              "studios/<studio>/ folders (achievements/, ledger/YEAR.yml, docs/)"),
    "other": ("门户不读取这个文件：成果放 achievements/*.md，台账放 ledger/年份.yml，图片放 media/，"
              "其他材料放 docs/（如 {right}）",
              "the portal does not read this file: achievements go in achievements/*.md, ledgers in "
              "ledger/YEAR.yml, images in media/, other material in docs/ (e.g. {right})"),
}, kind=Kind.DATA)
def r006(ctx: Context):
    """## 依据

    本系统的数据格式要求（见贡献指南 /guide/：每个工作室有自己的文件夹 studios/<工作室>/），不涉及政策文件的条款：工作室文件夹里只有
    studio.yml、achievements/*.md、ledger/年份.yml 三类条目会被读取，图片和文件只有被条目引用时才会用到。
    放错位置的文件会被忽略：领衔人以为已经提交，网站上却什么也没有，所以把它们报告出来。

    ## 要求

    studios/ 下只能有工作室文件夹：直接放在 studios/ 下的文件（如 studios/x.md）不属于任何工作室，同样报告。
    studios/<工作室>/ 下的每个文件，要么是门户读取的条目，要么被某个条目引用（图片、制度文件、佐证材料）。
    media/ 和 docs/ 文件夹中的文件不检查；以点开头的隐藏文件（如 .gitkeep）不检查。

    ## 示例

    不通过（文件夹名少了 s、多了一层子文件夹、记事本多加了 .txt、成果放进了台账文件夹）：

    ```text
    studios/example-studio/achievement/2026-paper.md
    studios/example-studio/achievements/2026/2026-paper.md
    studios/example-studio/achievements/2026-paper.md.txt
    studios/example-studio/ledger/2026-paper.md
    ```

    通过：

    ```text
    studios/example-studio/achievements/2026-paper.md
    studios/example-studio/ledger/2026.yml
    studios/example-studio/media/plaque.jpg
    studios/example-studio/docs/会议纪要.docx
    ```

    ## 如何修改

    按提示把文件移动或改名到它应在的位置：成果放 achievements/，台账放 ledger/年份.yml，图片放 media/
    并在条目中引用，其他材料放 docs/。Windows 自动生成的 Thumbs.db 等文件直接删除。"""
    yield from _loose(ctx.repo.root / "studios")
    referenced: set[str] | None = None
    for folder in ctx.repo.studios:
        unread = sorted(_walk(folder.abspath))
        if not unread:
            continue
        if referenced is None:
            referenced = _referenced(ctx)
        complete = all(doc.model is not None and not doc.errors for doc in folder.docs())
        for rel_text in unread:
            rel = Path(rel_text)
            full = folder.abspath / rel
            if os.path.normpath(os.fspath(full)) in referenced:
                continue
            head = ""
            if rel.name.lower().endswith((".md", ".yml", ".yaml", ".markdown")):
                try:
                    with open(full, "rb") as fh:
                        head = fh.read(4096).decode("utf-8-sig", "replace")
                except OSError:
                    head = ""
            key, params = _where(rel, head)
            if key in ("image", "other", "rule_doc") and not complete:
                continue  # an entry that cannot be read may be the one referencing it: no cascade
            if "right" in params:
                params["right"] = f"{folder.path}/{params['right']}"
            yield Hit(key, f"{folder.path}/{rel.as_posix()}", None, params)
