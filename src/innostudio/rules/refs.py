"""R rules (references between files and entries) and W001 (image quality)."""
from __future__ import annotations

import os
from collections.abc import Container, Iterable
from dataclasses import dataclass

from ..corpus import Doc, StudioFolder, resolve_ref_str, suffix
from ..domain.bodies import bodies
from ..domain.media import IMAGE_EXT, FileInfo, file_info
from ..domain.six import section_broken
from .base import Context, Hit, Kind, Severity, hit, rule

DOC_EXT = {".md", ".pdf"}


@dataclass(frozen=True, slots=True)
class Ref:
    doc: Doc | None
    loc: tuple
    value: str
    kind: str  # image | document | evidence
    pos: tuple[int, int] | None = None  # a target in Markdown text: its line and column
    path: str = ""  # ... and its file


def _rhit(key: str, at: Ref, **params) -> Hit:
    """A hit at a reference: its YAML node, or its place in a Markdown text."""
    if at.doc is None or at.pos is not None:
        return Hit(key, at.path or (at.doc.path if at.doc else None), at.pos, params)
    return hit(key, at.doc, *at.loc, **params)


def references(folder: StudioFolder) -> Iterable[Ref]:
    """Every file reference of a studio: images, rules documents and evidence."""
    studio = folder.studio
    if studio is not None:
        doc = folder.profile
        if studio.signage is not None:
            if studio.signage.plaque is not None:
                yield Ref(doc, ("signage", "plaque"), studio.signage.plaque, "image")
            for i, p in enumerate(studio.signage.photos):
                yield Ref(doc, ("signage", "photos", i), p, "image")
        if studio.leader.photo:
            yield Ref(doc, ("leader", "photo"), studio.leader.photo, "image")
        for i, mem in enumerate(studio.members or []):
            if mem.photo:
                yield Ref(doc, ("members", i, "photo"), mem.photo, "image")
        for i, r in enumerate(studio.rules or []):
            yield Ref(doc, ("rules", i, "file"), r.file, "document")
    for doc in folder.achievements:
        if doc.model is not None:
            for i, e in enumerate(doc.model.evidence):
                if not e.lower().startswith("https://"):
                    yield Ref(doc, ("evidence", i), e, "evidence")
    for doc in folder.ledgers:
        if doc.model is not None:
            for i, a in enumerate(doc.model.activities):
                for j, p in enumerate(a.photos):
                    yield Ref(doc, ("activities", i, "photos", j), p, "image")
    for body in bodies(folder):  # Markdown images and links to files of the folder (R008: the others)
        for t in body.targets:
            if t.local:
                yield Ref(body.doc, (), t.value.split("#", 1)[0], "image" if t.kind == "image" else "evidence",
                          (t.line, t.column), body.path)


def checked_refs(ctx: Context) -> list[tuple[Ref, str | None, FileInfo | None]]:
    """Every reference with the file it resolves to (None: leaves the folder) and what that file is."""

    def compute():
        out = []
        for folder in ctx.repo.studios:
            base = os.fspath(folder.abspath)
            for ref in references(folder):
                target = resolve_ref_str(base, ref.value)
                out.append((ref, target, file_info(target) if target is not None else None))
        return out

    return ctx.memo("refs", compute)


@rule("R001", ("引用的文件不存在", "Referenced file does not exist"), {
    "missing": ("引用的文件 {ref} 不存在：请检查文件名和大小写，并确认已上传到本工作室文件夹",
                "referenced file {ref} does not exist: check the name and its case, and that it was uploaded "
                "into this studio's folder"),
}, kind=Kind.DATA)
def r001(ctx: Context):
    """## 依据

    本系统的数据格式要求：登记的照片、制度文件、佐证材料必须真实存在，公开页面才不会出现空链接。

    ## 要求

    studio.yml、成果和台账中引用的文件在工作室文件夹中存在（路径区分大小写）。

    ## 示例

    不通过：

    ```yaml
    signage:
      plaque: media/Plaque.JPG   # 实际文件名为 media/plaque.jpg
    ```

    通过：

    ```yaml
    signage:
      plaque: media/plaque.jpg
    ```

    ## 如何修改

    上传缺少的文件，或改正路径（注意大小写和扩展名）。"""
    for ref, target, info in checked_refs(ctx):
        if target is not None and info is not None and not info.exists:
            yield _rhit("missing", ref, ref=ref.value)


@rule("R002", ("引用离开了工作室文件夹", "Reference leaves the studio folder"), {
    "escape": ("路径 {ref} 指向工作室文件夹之外（不能用 ..、绝对路径、网址或指向外部的链接）",
               "path {ref} leaves the studio folder (no '..', absolute paths, URLs or symlinks out)"),
    "folder": ("工作室文件夹（或其中的文件）是指向仓库之外的符号链接", "studio folder or file is a symlink out of "
               "the repository"),
}, kind=Kind.DATA)
def r002(ctx: Context):
    """## 依据

    本系统的安全要求：工作室只能引用自己文件夹中的文件，防止误公开其他文件。

    ## 要求

    文件路径是工作室文件夹内的相对路径，不含“..”、不以“/”开头，也不是指向文件夹外的符号链接。

    ## 示例

    不通过：

    ```yaml
    signage:
      plaque: ../other-studio/media/plaque.jpg
    ```

    通过：

    ```yaml
    signage:
      plaque: media/plaque.jpg
    ```

    ## 如何修改

    把文件复制到本工作室文件夹中，再引用它。"""
    for ref, target, _info in checked_refs(ctx):
        if target is None:
            yield _rhit("escape", ref, ref=ref.value)
    for folder in ctx.repo.studios:
        for path, p in folder.problems:
            if p.kind == "escape":
                yield Hit("folder", path, None)
    for path, p in ctx.repo.problems:
        if p.kind == "escape":
            yield Hit("folder", path, None)


@rule("R003", ("文件内容与扩展名不符", "File is not what its extension says"), {
    "image": ("{ref} 不是真实的图片（需要 JPEG、PNG、WebP 或 GIF）", "{ref} is not a real image (JPEG, PNG, WebP "
              "or GIF expected)"),
    "document": ("{ref} 应为 Markdown（.md）或 PDF 文件", "{ref} should be a Markdown (.md) or PDF file"),
    "mismatch": ("{ref} 的内容是 {real}，与扩展名不符", "{ref} contains {real}, not what its extension says"),
}, kind=Kind.DATA)
def r003(ctx: Context):
    """## 依据

    本系统的安全要求：公开的文件必须名副其实，防止把其他内容伪装成图片或 PDF 发布。

    ## 要求

    .jpg/.jpeg/.png 文件是真实的 JPEG/PNG 图片，.pdf 文件是真实的 PDF。

    ## 示例

    不通过：把 Word 文档改名为 media/plaque.jpg。

    ```yaml
    signage:
      plaque: media/plaque.jpg   # 实为 .docx 文件
    ```

    通过：

    ```yaml
    signage:
      plaque: media/plaque.jpg   # 相机或手机拍摄的 JPEG 照片
    ```

    ## 如何修改

    用正确的格式重新导出或拍摄文件，不要只改扩展名。"""
    for ref, target, info in checked_refs(ctx):
        if target is None or info is None or not info.exists:
            continue
        ext = suffix(target).lower()
        if ref.kind == "image":
            if IMAGE_EXT.get(ext) is None or info.real_type not in ("jpeg", "png", "webp", "gif"):
                yield _rhit("image", ref, ref=ref.value)
            elif IMAGE_EXT[ext] != info.real_type:
                yield _rhit("mismatch", ref, ref=ref.value, real=info.real_type.upper())
        elif ref.kind == "document":
            if ext not in DOC_EXT or (ext == ".pdf" and info.real_type != "pdf"):
                yield _rhit("document", ref, ref=ref.value)
        else:
            expected = IMAGE_EXT.get(ext) or ("pdf" if ext == ".pdf" else "svg" if ext == ".svg" else None)
            if expected is not None and info.real_type != expected:
                yield _rhit("mismatch", ref, ref=ref.value, real=(info.real_type or "?").upper())


@rule("W001", ("图片过大或过小", "Image too large or too small"), {
    "large": ("图片 {ref} 有 {size:.1f} MiB，页面会加载很慢（建议不超过 {limit} MiB）",
              "image {ref} is {size:.1f} MiB: slow page (keep it under {limit} MiB)"),
    "small": ("图片 {ref} 的短边只有 {side} 像素，显示会模糊（建议至少 {limit} 像素）",
              "image {ref} is only {side} px on its short side: blurry (at least {limit} px)"),
}, severity=Severity.WARNING)
def w001(ctx: Context):
    """## 依据

    本系统的设置（图片限制，系统设置）：大图拖慢手机访问，过小的图看不清。

    ## 要求

    图片不超过 {value:limits.image_warn_mib} MiB，短边不少于 {value:limits.image_min_side_px} 像素（只提示，不阻止合并）。

    ## 示例

    不通过：直接上传 12 MB 的相机原图 media/plaque.jpg，或 100×80 像素的缩略图。

    ```yaml
    signage:
      plaque: media/plaque.jpg   # 12 MB
    ```

    通过：

    ```yaml
    signage:
      plaque: media/plaque.jpg   # 1600×1200 像素，约 400 KB
    ```

    ## 如何修改

    用手机或电脑把图片压缩到 2 MB 以内、短边 1000 像素左右后重新上传。"""
    lim = ctx.std.limits
    for ref, _target, info in checked_refs(ctx):
        if info is None or not info.exists or info.real_type not in ("jpeg", "png", "webp", "gif"):
            continue
        mib = info.size / 1024 / 1024
        if lim.image_warn_mib < mib <= lim.image_mib:
            yield _rhit("large", ref, ref=ref.value, size=mib, limit=lim.image_warn_mib)
        side = min(info.width, info.height)
        if side < lim.image_min_side_px:
            yield _rhit("small", ref, ref=ref.value, side=side, limit=lim.image_min_side_px)


def recognition_refs(ctx: Context):
    """union/recognitions.yml names an existing studio, one of its achievement files and its people."""
    folders = ctx.repo.by_slug()
    for doc, i, r in ctx.repo.recognitions:
        folder = folders.get(r.studio)
        if folder is None:
            yield hit("studio", doc, "recognitions", i, "studio", id=r.studio)
            continue
        if r.achievement is not None and folder.achievement_named(r.achievement) is None:
            yield hit("achievement", doc, "recognitions", i, "achievement", studio=r.studio, name=r.achievement)
        studio = folder.studio
        if r.member is not None and studio is not None and r.member not in (
                {studio.leader.name} | {x.name for x in studio.members or []}):
            yield hit("recog_member", doc, "recognitions", i, "member", studio=r.studio, name=r.member)


class _Anything:
    """A set that holds everything: nothing is reported missing from a section that could not be read."""

    def __contains__(self, _item) -> bool:
        return True


@rule("R004", ("引用了不存在的成员、课题、榜单或工作室", "Unknown member, project, challenge or studio"), {
    "member": ("“{name}” 不是本工作室的领衔人或成员（请与 studio.yml 中的姓名完全一致）",
               "'{name}' is not the leader or a member of this studio (use the name exactly as in studio.yml)"),
    "project": ("课题编号 “{id}” 在 studio.yml 的 projects 中不存在", "project id '{id}' is not in studio.yml's "
                "projects"),
    "challenge": ("榜单编号 “{id}” 在 union/challenges.yml 中不存在", "challenge id '{id}' is not in "
                  "union/challenges.yml"),
    "studio": ("工作室 “{id}” 不存在（应为 studios/ 下的文件夹名）", "studio '{id}' does not exist (a folder "
               "name under studios/)"),
    "achievement": ("工作室 {studio} 没有成果文件 “{name}”（应为 achievements/ 下的文件名，例如 2025-contest.md）",
                    "studio {studio} has no achievement file '{name}' (a file name under achievements/)"),
    "recog_member": ("“{name}” 不是工作室 {studio} 的领衔人或成员", "'{name}' is not the leader or a member of "
                     "studio {studio}"),
}, kind=Kind.DATA)
def r004(ctx: Context):
    """## 依据

    本系统的数据格式要求；union/recognitions.yml 记录{cite:recommend_achievement}推荐优秀成果和{cite:commend}表彰。

    ## 要求

    成果的完成人和台账的成员成长记录写的是本工作室领衔人或成员的姓名；课题编号在 projects 中存在；揭榜编号在 union/challenges.yml 中存在；
    榜单的 claimed_by、推荐与表彰记录的 studio 是 studios/ 下的文件夹名，推荐的 achievement 是该工作室的成果文件名，表彰的 member 是其成员。

    ## 示例

    不通过：

    ```yaml
    recognitions:
    - {studio: example-studio, kind: recommend_achievement, achievement: 2025-nope.md,
       date: 2026-01-15, document: 校工字〔2026〕2号}
    ```

    通过：

    ```yaml
    recognitions:
    - {studio: example-studio, kind: recommend_achievement, achievement: 2025-zhuanhua.md,
       date: 2026-01-15, document: 校工字〔2026〕2号}
    ```

    ## 如何修改

    姓名与 studio.yml 中完全一致；编号、文件名照原样复制。"""
    challenge_ids = {c.id for _, _, c in ctx.repo.challenges}
    slugs = {s.slug for s in ctx.repo.studios}
    yield from recognition_refs(ctx)
    for folder in ctx.repo.studios:
        studio, prof = folder.studio, folder.profile
        if studio is None or prof is None:
            continue
        names: Container[str] = {studio.leader.name} | {m.name for m in studio.members or []}
        ids: Container[str] = {p.id for p in studio.projects or []}
        # a broken members/projects section is reported itself; names and ids missing from it are no error
        if section_broken(prof, "members") or section_broken(prof, "leader"):
            names = _Anything()
        if section_broken(prof, "projects"):
            ids = _Anything()
        for i, p in enumerate(studio.projects or []):
            if p.challenge is not None and p.challenge not in challenge_ids:
                yield hit("challenge", prof, "projects", i, "challenge", id=p.challenge)
        for adoc in folder.achievements:
            a = adoc.model
            if a is None:
                continue
            for i, name in enumerate(a.members):
                if name not in names:
                    yield hit("member", adoc, "members", i, name=name)
            if a.project is not None and a.project not in ids:
                yield hit("project", adoc, "project", id=a.project)
        for ldoc in folder.ledgers:
            if ldoc.model is None:
                continue
            for i, act in enumerate(ldoc.model.activities):
                if act.project is not None and act.project not in ids:
                    yield hit("project", ldoc, "activities", i, "project", id=act.project)
            for i, dev in enumerate(ldoc.model.development):
                if dev.member not in names:
                    yield hit("member", ldoc, "development", i, "member", name=dev.member)
    for doc, i, c in ctx.repo.challenges:
        for j, slug in enumerate(c.claimed_by):
            if slug not in slugs:
                yield hit("studio", doc, "challenges", i, "claimed_by", j, id=slug)


@rule("R005", ("重复", "Duplicate"), {
    "project": ("课题编号 “{id}” 重复", "project id '{id}' is used twice"),
    "name": ("工作室名称 “{name}” 与 {other} 重复", "studio name '{name}' is also used by {other}"),
    "achievement": ("成果 “{title}”（{date}）与 {other} 重复", "achievement '{title}' ({date}) duplicates {other}"),
    "challenge": ("榜单编号 “{id}” 重复", "challenge id '{id}' is used twice"),
}, kind=Kind.DATA)
def r005(ctx: Context):
    """## 依据

    本系统的数据格式要求：重复的记录会让统计和页面出错。

    ## 要求

    同一工作室的课题编号不重复；工作室名称在全校不重复；同一工作室中不重复登记同名同日期的成果。

    ## 示例

    不通过：

    ```yaml
    projects:
    - {id: p1, title: 课题一, source: assigned, stages: {collected: 2026-01-01}}
    - {id: p1, title: 课题二, source: assigned, stages: {collected: 2026-02-01}}
    ```

    通过：

    ```yaml
    projects:
    - {id: p1, title: 课题一, source: assigned, stages: {collected: 2026-01-01}}
    - {id: p2, title: 课题二, source: assigned, stages: {collected: 2026-02-01}}
    ```

    ## 如何修改

    给重复的课题换一个编号，或删去重复的记录。"""
    seen_names: dict[str, str] = {}
    for folder in ctx.repo.studios:
        studio, prof = folder.studio, folder.profile
        if studio is None or prof is None:
            continue
        if studio.name in seen_names:
            yield hit("name", prof, "name", name=studio.name, other=seen_names[studio.name])
        else:
            seen_names[studio.name] = folder.path
        ids: set[str] = set()
        for i, p in enumerate(studio.projects or []):
            if p.id in ids:
                yield hit("project", prof, "projects", i, "id", id=p.id)
            ids.add(p.id)
        seen: dict[tuple, str] = {}
        for adoc in folder.achievements:
            a = adoc.model
            if a is None:
                continue
            key = (a.title, a.date)
            if key in seen:
                yield hit("achievement", adoc, "title", title=a.title, date=a.date, other=seen[key])
            else:
                seen[key] = adoc.path
    cids: set[str] = set()
    for doc, i, c in ctx.repo.challenges:
        if c.id in cids:
            yield hit("challenge", doc, "challenges", i, "id", id=c.id)
        cids.add(c.id)
