"""The browser editor's configuration (Decap CMS ``config.yml``), generated from the models.

Collections and fields come from the pydantic models in ``model.py`` (field order = the data
contract's order), so a new model field appears in the forms without editing this file; its Chinese
label comes from LABELS below (a test fails while a field has no label or no widget).
"""
from __future__ import annotations

import datetime as dt
import typing
from typing import Any

from pydantic import BaseModel

from . import model as m
from .canonical import FILE_MODELS, _unwrap, file_shapes
from .cms_limits import DATE_PATTERN, MONTH_PATTERN, limits, list_limits
from .corpus import Repo

# (label, hint) of every field, by model and field name. A hint may be empty.
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "Studio": {
        "name": ("工作室名称", "工作室全称"), "unit": ("所属单位", "所属单位或分工会"),
        "fields": ("领域", "领域标签，至少一个"), "established": ("成立日期", ""),
        "summary": ("简介", "200 字以内，显示在工作室卡片上"), "description": ("详细介绍", "可用 Markdown"),
        "maintainers": ("维护人账号", "有权修改本工作室文件的代码托管平台用户名"),
        "leader": ("领衔人", "领衔人不要重复填写在团队成员中"), "members": ("团队成员", "不含领衔人"),
        "signage": ("挂牌和上墙制度", "有牌子"), "venue": ("活动场所", "有场所"),
        "funding": ("经费", "有经费；默认不公开"), "rules": ("工作制度", "有制度"),
        "projects": ("创新课题", "有项目"), "private": ("内部备注", "不公开"),
    },
    "Person": {
        "name": ("姓名", ""), "title": ("职称/职务", "例如 副教授、主任药师"), "title_level": ("职称等级", ""),
        "vocational_level": ("职业技能等级", "没有可不填"), "discipline": ("专业/学科", ""),
        "education": ("学历", ""), "birth_year": ("出生年份", "只用于年龄结构统计，不公开"),
        "frontline": ("一线教职工", ""), "honors": ("荣誉", ""), "photo": ("照片", "可不填"),
        "joined": ("加入时间", "YYYY-MM 或 YYYY-MM-DD，可不填"),
        "left": ("离开时间", "YYYY-MM 或 YYYY-MM-DD；离开后仍保留记录"),
        "private": ("内部备注", "联系方式等，不公开"), "role": ("角色", ""),
    },
    "Honor": {"name": ("荣誉名称", ""), "kind": ("荣誉类别", ""), "level": ("级别", ""), "year": ("获得年份", "")},
    "Signage": {"plaque": ("牌匾照片", ""), "boards": ("上墙制度", "组织机构、工作职责、目标任务、管理办法"),
                "photos": ("现场照片", ""), "private": ("内部备注", "不公开")},
    "Venue": {"location": ("地点", ""), "area_m2": ("面积（平方米）", ""), "functions": ("功能", ""),
              "equipment": ("设备", ""), "private": ("内部备注", "不公开")},
    "Funding": {"year": ("年度", ""), "budget_yuan": ("预算（元）", ""), "spent_yuan": ("支出（元）", ""),
                "source": ("经费来源", ""), "expenses": ("支出明细", "专款专用，每笔写明用途和凭证号"),
                "private": ("内部备注", "不公开")},
    "Expense": {"date": ("日期", "在本条经费的年度内"), "amount_yuan": ("金额（元）", ""), "purpose": ("用途", ""),
                "voucher": ("凭证号", "报销单号或凭证号"), "note": ("说明", "用途为“其他”时必填"),
                "private": ("内部备注", "不公开")},
    "StudioRule": {"kind": ("制度类别", ""), "title": ("制度名称", ""), "adopted": ("制定日期", ""),
                   "file": ("制度文件", "Markdown 或 PDF，放在工作室文件夹中"), "private": ("内部备注", "不公开")},
    "Project": {"id": ("课题编号", "字母、数字、连字符，工作室内唯一"), "title": ("课题名称", ""),
                "source": ("来源", ""),
                "challenge": ("揭榜挂帅榜单编号", "来源为“揭榜挂帅”时必填"), "stages": ("闭环阶段", "每个阶段的日期"),
                "level": ("立项级别", ""), "private": ("内部备注", "不公开")},
    "Achievement": {"title": ("成果名称", ""), "type": ("成果类别", ""), "date": ("日期", "授权、发表或获奖日期"),
                    "level": ("级别", ""), "members": ("完成人", "本工作室的领衔人和成员"),
                    "project": ("所属课题", ""), "identifier": ("编号", "专利号、DOI、证书号"),
                    "value_yuan": ("转化金额（元）", "成果转化必填"),
                    "evidence": ("佐证材料", "图片、文件或 https 链接"),
                    "tags": ("标签", ""), "body": ("成果介绍", "公开展示的文字")},
    "Activity": {"date": ("日期", ""), "kind": ("活动类别", ""), "title": ("活动名称", ""),
                 "participants": ("参加人数", ""), "hours": ("时长（小时）", ""), "project": ("所属课题", ""),
                 "summary": ("活动内容", ""), "photos": ("照片", ""), "private": ("内部备注", "不公开")},
    "Development": {"date": ("日期", ""), "member": ("成员", ""), "event": ("成长事项", "晋升、获奖、出师等")},
    "Ledger": {"activities": ("活动记录", ""), "development": ("成员成长", "")},
    "Decision": {"studio": ("工作室", ""), "action": ("决定", ""), "date": ("日期", ""),
                 "document": ("文号", "例如 校工字〔2023〕5号"),
                 "deadline": ("整改期限", "限期整改时必填"), "note": ("备注", "")},
    "Decisions": {"decisions": ("工会决定", "授牌、推荐、整改、摘牌")},
    "Inspection": {"studio": ("工作室", ""), "date": ("检查日期", ""), "result": ("检查结果", ""),
                   "findings": ("检查意见", ""), "deadline": ("整改期限", "仅限期整改时填写")},
    "Inspections": {"inspections": ("检查记录", "")},
    "Challenge": {"id": ("榜单编号", ""), "title": ("榜单名称", ""), "posted": ("发榜日期", ""),
                  "owner": ("发榜单位", ""),
                  "description": ("需求说明", ""), "reward": ("奖励", ""), "status": ("状态", ""),
                  "claimed_by": ("揭榜工作室", "")},
    "Challenges": {"challenges": ("揭榜挂帅榜单", "")},
    "Recognition": {"studio": ("工作室", ""), "kind": ("类别", ""), "achievement": ("成果文件", "例如 2025-contest.md"),
                    "member": ("受表彰成员", ""), "date": ("日期", ""), "document": ("文号", ""),
                    "to": ("推荐至/表彰单位", ""), "note": ("备注", "")},
    "Recognitions": {"recognitions": ("推荐和表彰", "")},
}
OPTIONAL_SECTIONS = {"members", "signage", "venue", "funding", "rules", "projects"}
DATE_FORMAT = "YYYY-MM-DD"


class MissingLabel(Exception):
    pass


def label_of(model: type[BaseModel], name: str) -> tuple[str, str]:
    for cls in model.__mro__:
        table = LABELS.get(cls.__name__)
        if table and name in table:
            return table[name]
    raise MissingLabel(f"{model.__name__}.{name}")


def _is_optional(model: type[BaseModel], name: str) -> bool:
    return not model.model_fields[name].is_required()


def _metadata(tp: Any) -> list:
    return list(getattr(tp, "__metadata__", ()))


def _metas(tp: Any) -> list:
    out = list(getattr(tp, "__metadata__", ()))
    for arg in typing.get_args(tp):
        if typing.get_origin(tp) is not typing.Annotated or arg is typing.get_args(tp)[0]:
            out += _metas(arg)
    return out


def _is_date(tp: Any, meta: list) -> str | None:
    """'date' for Date, 'month' for DateOrMonth, else None."""
    if _unwrap(tp) is not dt.date:
        return None
    funcs = {getattr(x, "func", None) for x in meta + _metas(tp)}
    return "month" if m._parse_month in funcs else "date"


def _strip_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, __import__("types").UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


class Context:
    """Per-studio choices: the people an achievement names, the projects, the studios of union files."""

    def __init__(self, people: list[str] | None = None, projects: list[tuple[str, str]] | None = None,
                 studios: list[tuple[str, str]] | None = None, media: str | None = None):
        self.people = people or []
        self.projects = projects or []
        self.studios = studios or []
        self.media = media
        self.shared_options: list[dict] | None = None  # set: every studio select uses this one list


def _studio_options(ctx: Context) -> list[dict]:
    """The studios to choose from; one shared list when ``ctx.shared_options`` is set (written once in
    config.yml, as a YAML anchor and its aliases), else a new list per select."""
    if ctx.shared_options is not None:
        return ctx.shared_options
    return [{"label": f"{title}（{slug}）", "value": slug} for slug, title in ctx.studios]


def _select(options: list[dict], multiple: bool = False) -> dict:
    out: dict = {"widget": "select", "options": options}
    if multiple:
        out["multiple"] = True
    return out


def widget(model: type[BaseModel], name: str, tp: Any, ctx: Context, meta: list | None = None) -> dict:
    """The Decap widget of one field (without name/label/required)."""
    tp = _strip_optional(tp)
    kind = _is_date(tp, list(meta or []))
    if kind == "date":
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False,
                "picker_utc": True, "pattern": list(DATE_PATTERN)}
    if kind == "month":
        return {"widget": "string", "pattern": list(MONTH_PATTERN)}
    # names with choices that depend on the studio
    if model is m.Achievement and name == "members":
        return _select([{"label": p, "value": p} for p in ctx.people], multiple=True) if ctx.people else \
            {"widget": "list"}
    if name == "project" and model in (m.Achievement, m.Activity):
        return _select([{"label": f"{pid} {title}", "value": pid} for pid, title in ctx.projects]) if ctx.projects \
            else {"widget": "string"}
    if name == "studio" and ctx.studios:
        return _select(_studio_options(ctx))
    if name == "claimed_by" and ctx.studios:
        return _select(_studio_options(ctx), multiple=True)
    if model is m.Development and name == "member" and ctx.people:
        return _select([{"label": p, "value": p} for p in ctx.people])
    base = _unwrap(tp)
    origin = typing.get_origin(base)
    if isinstance(base, type) and issubclass(base, m.Choice):
        return _select([{"label": label, "value": code} for code, label in base.labels().items()])
    if isinstance(base, type) and issubclass(base, BaseModel):
        return {"widget": "object", "collapsed": False, "fields": fields_of(base, ctx, optional=False)}
    if origin is list:
        (item,) = typing.get_args(base)
        inner = _unwrap(item)
        if isinstance(inner, type) and issubclass(inner, m.Choice):
            return _select([{"label": label, "value": code} for code, label in inner.labels().items()], multiple=True)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return {"widget": "list", "collapsed": True, "fields": fields_of(inner, ctx, optional=False)}
        if name in ("photos",):
            return {"widget": "list", "field": {"name": "photo", "label": "照片", "widget": "image"}}
        if name == "evidence":
            return {"widget": "list", "field": {"name": "file", "label": "文件", "widget": "file"}}
        return {"widget": "list", **list_limits(tp, meta)}
    if origin is dict:
        key_tp, val_tp = typing.get_args(base)
        key = _unwrap(key_tp)
        if isinstance(key, type) and issubclass(key, m.Choice):
            sub = [{"name": code, "label": label, "required": False, **widget(model, code, val_tp, ctx)}
                   for code, label in key.labels().items()]
            return {"widget": "object", "collapsed": False, "fields": sub}
        return {"widget": "hidden"}  # `private`: free keys, kept as they are, never shown in a form
    if name in ("photo", "plaque"):
        return {"widget": "image"}
    if name == "file":
        return {"widget": "file"}
    if base is bool:
        return {"widget": "boolean", "default": False}
    if base is int:
        return {"widget": "number", "value_type": "int", **limits(tp, meta)}
    if base is float:
        return {"widget": "number", "value_type": "float", **limits(tp, meta)}
    if name in ("description", "summary", "findings", "note", "event"):
        return {"widget": "text", **limits(tp, meta)}
    return {"widget": "string", **limits(tp, meta)}


def fields_of(model: type[BaseModel], ctx: Context, optional: bool) -> list[dict]:
    """Every field of ``model`` in contract order. ``optional``: the whole section may be absent."""
    out = []
    for name, info in model.model_fields.items():
        label, hint = label_of(model, name)
        field: dict[str, Any] = {"name": name, "label": label}
        if hint:
            field["hint"] = hint
        required = info.is_required() and not optional
        if model is m.Studio and name in OPTIONAL_SECTIONS:
            spec = widget(model, name, info.annotation, ctx, info.metadata)
            spec = _all_optional(spec)
        else:
            spec = widget(model, name, info.annotation, ctx, info.metadata)
        if not required:
            field["required"] = False
        field.update(spec)
        out.append(field)
    return out


def _all_optional(spec: dict) -> dict:
    """Fields inside an optional section are optional in the form (the checker enforces the standards)."""
    spec = dict(spec)
    if "fields" in spec:
        spec["fields"] = [_all_optional({**f, "required": False}) for f in spec["fields"]]
    return spec


def _people(folder) -> list[str]:
    s = folder.studio
    if s is None:
        return []
    return [s.leader.name] + [p.name for p in (s.members or [])]


def _projects(folder) -> list[tuple[str, str]]:
    s = folder.studio
    return [(p.id, p.title) for p in (s.projects or [])] if s else []


def _name(folder) -> str:
    return folder.studio.name if folder.studio else folder.slug


def forge_backend(forge: dict, local_port: int | None) -> tuple[dict, dict]:
    """(backend, extra top-level keys) from ``extra.forge`` of mkdocs.yml."""
    kind = (forge.get("kind") or "gitlab").lower()
    backend: dict = {"name": kind if kind != "forgejo" else "forgejo", "repo": forge.get("repo", ""),
                     "branch": forge.get("branch", "main")}
    extra: dict = {}
    base = (forge.get("base_url") or "").rstrip("/")
    if kind == "gitlab":
        backend.update({"auth_type": "pkce", "app_id": forge.get("app_id", "")})
        if base:
            backend.update({"api_root": f"{base}/api/v4", "base_url": base, "auth_endpoint": "oauth/authorize"})
        extra["publish_mode"] = "editorial_workflow"
    elif kind in ("forgejo", "gitea"):
        backend.update({"app_id": forge.get("app_id", "")})
        if base:
            backend.update({"api_root": f"{base}/api/v1", "base_url": base})
        if kind == "forgejo":
            extra["publish_mode"] = "editorial_workflow"
    elif kind == "github":
        if base:
            backend["base_url"] = base  # the OAuth helper (see the contributor guide)
        if forge.get("api_root"):
            backend["api_root"] = forge["api_root"]
        extra["publish_mode"] = "editorial_workflow"
    if local_port is not None:
        extra.pop("publish_mode", None)  # decap-server writes the working copy directly
        extra["local_backend"] = {"url": f"http://127.0.0.1:{local_port}/api/v1",
                                  "allowed_hosts": ["127.0.0.1", "localhost"]}
    return backend, extra


def _base(forge: dict, site_url: str, local_port: int | None, media: tuple[str, str]) -> dict:
    """The settings every editor shares; ``media`` = (media_folder, public_folder)."""
    backend, extra = forge_backend(forge, local_port)
    cfg: dict = {
        "backend": backend,
        **extra,
        "locale": "zh_Hans",
        "site_url": site_url or None,
        "logo_url": None,
        "media_folder": media[0],
        "public_folder": media[1],
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "show_preview_links": False,
        "editor": {"preview": False},
        "collections": [],
    }
    return {k: v for k, v in cfg.items() if v is not None}


# A new achievement is named <YYYY>-<slug>.md (forms.md): `slug` is typed by the lead, else the editor's
# preSave handler (innostudio-format.js) fills in the type code; the field is never written to the file.
ACHIEVEMENT_SLUG = "{{fields.date | date('YYYY')}}-{{fields.slug}}"
SLUG_PATTERN = [r"^[a-z0-9]+(-[a-z0-9]+)*$", "格式不符合要求：只能用小写字母、数字和连字符"]
SLUG_FIELD = {"name": "slug", "label": "文件名（英文）", "required": False, "widget": "string",
              "hint": "只用于新成果的文件名：小写字母、数字和连字符，例如 tdm-award；"
                      "不填则用成果类别（如 2026-paper.md）"}


def achievement_collection(folder, name: str, label: str) -> dict:
    ctx = Context(_people(folder), _projects(folder), media=f"/studios/{folder.slug}/media")
    slug = {**SLUG_FIELD, "pattern": list(SLUG_PATTERN)}  # no shared list: no YAML anchor
    fields = fields_of(m.Achievement, ctx, optional=False) + [slug]  # the contract's fields first
    fields.append({"name": "body", "label": LABELS["Achievement"]["body"][0],
                   "hint": LABELS["Achievement"]["body"][1], "widget": "markdown", "required": False})
    return {
        "name": name, "label": label, "label_singular": "成果",
        "folder": f"studios/{folder.slug}/achievements", "extension": "md", "format": "innostudio-achievement",
        "create": True, "delete": False, "slug": ACHIEVEMENT_SLUG,
        "summary": "{{fields.date}} {{fields.title}}", "identifier_field": "title",
        "media_folder": f"/studios/{folder.slug}/media", "public_folder": "media",
        "sortable_fields": ["date", "title"], "fields": fields,
    }


def _studio_files(folder, years: list[int], label_prefix: str) -> tuple[dict, list[dict]]:
    """(the profile's file entry, the ledgers' file entries) of one studio."""
    ctx = Context(_people(folder), _projects(folder), media=f"/studios/{folder.slug}/media")
    media = {"media_folder": f"/studios/{folder.slug}/media", "public_folder": "media"}
    profile = {"name": folder.slug, "label": _name(folder), "file": f"studios/{folder.slug}/studio.yml", **media,
               "fields": fields_of(m.Studio, ctx, optional=False)}
    ledgers = [{"name": f"{folder.slug}-{y}", "label": f"{label_prefix}{y} 年",
                "file": f"studios/{folder.slug}/ledger/{y}.yml", **media,
                "fields": fields_of(m.Ledger, ctx, optional=False)} for y in years]  # no shared list: no anchor
    return profile, ledgers


def _profiles_and_ledgers(profiles: list[dict], ledgers: list[dict]) -> list[dict]:
    return [{"name": "profiles", "label": "工作室档案", "label_singular": "档案", "delete": False,
             "format": "innostudio-studio", "files": profiles},
            {"name": "ledgers", "label": "工作台账", "label_singular": "台账", "delete": False,
             "format": "innostudio-ledger", "files": ledgers}]


def _years(as_of: dt.date) -> list[int]:
    return [as_of.year - 1, as_of.year]


def union_collections(repo: Repo, as_of: dt.date, share: bool = False) -> list[dict]:
    """The union's files: decisions, inspections (existing years and the evaluation year), challenges,
    recognitions. ``share``: one list of studios for every studio select (see ``_studio_options``)."""
    studios = sorted(repo.studios, key=lambda f: f.slug)
    union_ctx = Context(studios=[(f.slug, _name(f)) for f in studios])
    if share:
        union_ctx.shared_options = _studio_options(union_ctx)
    inspection_years = sorted({int(d.path.rsplit("/", 1)[1][:4]) for d in repo.union_docs
                               if d.path.startswith("union/inspections/") and d.path[-8:-4].isdigit()}
                              | {as_of.year})
    union: list[tuple[str, str, str, list[tuple[str, str, str]], type[BaseModel]]] = [
        ("decisions", "工会决定", "授牌、推荐、整改、摘牌", [("decisions", "工会决定", "union/decisions.yml")],
         m.Decisions),
        ("inspections", "年度检查", "", [(f"inspections-{y}", f"{y} 年度检查", f"union/inspections/{y}.yml")
                                     for y in inspection_years], m.Inspections),
        ("challenges", "揭榜挂帅", "", [("challenges", "揭榜挂帅榜单", "union/challenges.yml")], m.Challenges),
        ("recognitions", "推荐和表彰", "", [("recognitions", "推荐和表彰", "union/recognitions.yml")], m.Recognitions)]
    cols = []
    for kind, label, hint, files, model in union:
        col = {"name": kind, "label": f"{label}（工会）", "delete": False, "format": f"innostudio-{kind}",
               "files": [{"name": n, "label": lab, "file": path, "fields": fields_of(model, union_ctx, optional=False)}
                         for n, lab, path in files]}
        if hint:
            col["description"] = hint
        cols.append(col)
    return cols


def config(repo: Repo, forge: dict, as_of: dt.date, site_url: str = "", local_port: int | None = None) -> dict:
    """Every studio's collections and the union's in one configuration (``innostudio cms-config``)."""
    cfg = _base(forge, site_url, local_port, ("content/assets/uploads", "/assets/uploads"))
    profiles: list[dict] = []
    ledgers: list[dict] = []
    for folder in sorted(repo.studios, key=lambda f: f.slug):
        name = _name(folder)
        cfg["collections"].append(achievement_collection(folder, f"achievements-{folder.slug}", f"{name} · 成果"))
        profile, studio_ledgers = _studio_files(folder, _years(as_of), f"{name} · ")
        profiles.append(profile)
        ledgers += studio_ledgers
    cfg["collections"] += _profiles_and_ledgers(profiles, ledgers) + union_collections(repo, as_of)
    return cfg


def studio_config(folder, forge: dict, as_of: dt.date, site_url: str = "", local_port: int | None = None) -> dict:
    """One studio's editor (``/admin/<slug>/``): its achievements, profile and ledgers, nothing of any other
    studio; uploads go to the studio's ``media/``."""
    cfg = _base(forge, site_url, local_port, (f"studios/{folder.slug}/media", "media"))
    profile, ledgers = _studio_files(folder, _years(as_of), "")
    cfg["collections"] = [achievement_collection(folder, "achievements", "成果")] + \
        _profiles_and_ledgers([profile], ledgers)
    return cfg


def union_config(repo: Repo, forge: dict, as_of: dt.date, site_url: str = "", local_port: int | None = None) -> dict:
    """The union's editor (``/admin/``): the union's files only; the list of studios is written once
    (write it with ``admin.dump_config(cfg, anchors=True)``)."""
    cfg = _base(forge, site_url, local_port, ("content/assets/uploads", "/assets/uploads"))
    cfg["collections"] = union_collections(repo, as_of, share=True)
    return cfg


def shapes() -> dict:
    return file_shapes()


def every_model_field() -> list[tuple[type[BaseModel], str]]:
    """Every (model, field) reachable from the models of editable files (for the widget test)."""
    seen: set = set()
    out: list = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            out.append((model, name))
            for sub in _models_in(info.annotation):
                visit(sub)

    for root in FILE_MODELS.values():
        visit(root)
    return out


def _models_in(tp: Any) -> list[type[BaseModel]]:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    out = []
    for arg in typing.get_args(tp):
        out += _models_in(arg)
    return out
