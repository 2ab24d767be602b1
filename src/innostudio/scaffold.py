"""`innostudio new`: write a valid, commented entry file from a Jinja2 template. Never overwrites."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import model as m
from .load import YMap, parse_yaml, split_front_matter
from .validate import validate


class ScaffoldError(Exception):
    """A value is missing or invalid, or the target exists (message is for the user)."""

    def __init__(self, message: str, exists: bool = False):
        super().__init__(message)
        self.exists = exists


def _yaml_value(value: Any) -> str:
    """A YAML flow scalar or list for a template (safe for any text)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    if text.endswith("\n..."):
        text = text[:-4].strip()
    if text.endswith("..."):
        text = text[:-3].strip()
    return text


if TYPE_CHECKING:
    from jinja2 import Environment


def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined  # here: `check` reads this module's constants

    env = Environment(loader=PackageLoader("innostudio", "templates/scaffold"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)  # YAML, not HTML: values go through |y
    env.filters["y"] = _yaml_value
    return env


@dataclass(frozen=True)
class Ask:
    """One value `new` needs: option name, Chinese prompt, default and a converter."""

    key: str
    prompt: str
    default: Callable[[dict], Any] | None = None
    convert: Callable[[str], Any] = str
    required: bool = True


def _date(text: str) -> str:
    return dt.date.fromisoformat(text.strip()).isoformat()


def _bool(text: str) -> bool:
    t = text.strip().lower()
    if t in ("true", "yes", "y", "是", "1"):
        return True
    if t in ("false", "no", "n", "否", "0"):
        return False
    raise ValueError(text)


def _list(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"[,，、;；]", text) if x.strip()]


ALIASES = {"学士": "bachelor", "大学本科": "bachelor", "本科生": "bachelor", "博士生": "doctorate",
           "硕士生": "master", "研究生（博士）": "doctorate", "研究生（硕士）": "master"}


def _choice(enum) -> Callable[[str], str]:
    """A code from its code, its label, or a common short form: 博士 → doctorate, 副高 → associate_senior,
    省 → provincial, 培训 → training (any unambiguous beginning or part of a label)."""
    def convert(text: str) -> str:
        t = text.strip()
        by_label = enum._by_label_
        if t in by_label:
            return by_label[t]
        if t in enum.__members__ or t.lower() in enum.__members__:
            return t if t in enum.__members__ else t.lower()
        if t in ALIASES and ALIASES[t] in enum.__members__:
            return ALIASES[t]
        starts = {code for label, code in by_label.items() if t and label.startswith(t)}
        if len(starts) == 1:
            return starts.pop()
        within = {code for label, code in by_label.items() if len(t) >= 2 and t in label}  # 培训 → 学习培训
        if len(within) == 1:
            return within.pop()
        raise ValueError(t)
    return convert


def _choices(enum) -> str:
    return "，".join(f"{c} {label}" for c, label in enum.labels().items())


# The scaffold's placeholder texts: an entry still holding one is W002 (a warning) until it is written.
ACHIEVEMENT_PLACEHOLDER = "（请在这里用一两段话介绍这项成果：解决了什么问题，效果如何。）"
ACTIVITY_PLACEHOLDER = "（请填写活动内容摘要：做了什么，谁参加，有什么收获。）"

STUDIO_ASKS = [
    Ask("name", "工作室全称"),
    Ask("unit", "所属单位/分工会"),
    Ask("fields", "领域标签（多个用逗号分隔）", convert=_list),
    Ask("established", "成立日期（YYYY-MM-DD）", lambda v: v["today"], _date),
    Ask("summary", "一句话简介（不超过 200 字）"),
    Ask("maintainers", "维护人的平台用户名（多个用逗号分隔）", convert=_list),
    Ask("leader_name", "领衔人姓名"),
    Ask("leader_title", "领衔人职称/职务（如 教授、主任医师）"),
    Ask("leader_title_level", f"领衔人职称层级（{_choices(m.TitleLevel)}）", convert=_choice(m.TitleLevel)),
    Ask("leader_discipline", "领衔人学科/专业"),
    Ask("leader_education", f"领衔人学历（{_choices(m.Education)}）", convert=_choice(m.Education)),
    Ask("leader_birth_year", "领衔人出生年份（不会公开）", convert=int),
    Ask("leader_frontline", "领衔人是否一线教职工（是/否）", lambda v: True, _bool),
]

ACHIEVEMENT_ASKS = [
    Ask("title", "成果名称"),
    Ask("type", f"成果类型（{_choices(m.AchievementType)}）", convert=_choice(m.AchievementType)),
    Ask("date", "日期（YYYY-MM-DD）", lambda v: v["today"], _date),
    Ask("level", f"级别，可留空（{_choices(m.Level)}）", lambda v: None, _choice(m.Level), required=False),
    Ask("members", "参与成员姓名，可留空（逗号分隔）", lambda v: [], _list, required=False),
    Ask("project", "关联课题编号，可留空", lambda v: None, required=False),
    Ask("identifier", "专利号/DOI/证书号，可留空", lambda v: None, required=False),
    Ask("value_yuan", "转化金额（元，成果转化时必填）", lambda v: None, float, required=False),
    Ask("body", "成果简介（一段话）", lambda v: ACHIEVEMENT_PLACEHOLDER),
    Ask("file", "文件名里的英文短名（小写字母、数字、连字符，如 vancomycin-kit；可留空，用成果类型）", lambda v: None,
        required=False),
]

ACTIVITY_ASKS = [
    Ask("date", "活动日期（YYYY-MM-DD）", lambda v: v["today"], _date),
    Ask("kind", f"活动类型（{_choices(m.ActivityKind)}）", convert=_choice(m.ActivityKind)),
    Ask("title", "活动名称"),
    Ask("participants", "参加人数", convert=int),
    Ask("hours", "时长（小时），可留空", lambda v: None, float, required=False),
    Ask("project", "关联课题编号，可留空", lambda v: None, required=False),
    Ask("summary", "活动内容摘要", lambda v: ACTIVITY_PLACEHOLDER),
]

ASKS = {"studio": STUDIO_ASKS, "achievement": ACHIEVEMENT_ASKS, "activity": ACTIVITY_ASKS}


def _shown(default: Any) -> str:
    """A default as the prompt shows it: 是/否 for yes and no, lists joined with commas."""
    if default in (None, [], ""):
        return ""
    if isinstance(default, bool):
        return "是" if default else "否"
    if isinstance(default, list):
        return "，".join(map(str, default))
    return str(default)


class InputEnded(Exception):
    """Standard input ended (a pipe or file ran out) before every value was given."""


def _ask(ask: Ask, default: Any, prompt: Callable[[str, str], str]) -> tuple[Any] | None:
    """Ask until the answer converts; ``(value,)``, or None when left empty and a default applies."""
    while True:
        try:
            answer = prompt(ask.prompt, _shown(default)).strip()
        except InputEnded:
            if ask.required and default is None:
                raise ScaffoldError(f"输入已结束，还缺少：--{ask.key.replace('_', '-')}  {ask.prompt}") from None
            return None
        if not answer:
            if ask.required and default is None:
                print("  这一项必须填写")
                continue
            return None
        try:
            return (ask.convert(answer),)
        except ValueError:
            print(f"  “{answer}” 不符合要求，请重新输入")


def collect(kind: str, given: dict[str, Any], today: dt.date, prompt: Callable[[str, str], str] | None) -> dict:
    """Values for ``kind`` from options, then from ``prompt`` (a terminal), then defaults."""
    values: dict[str, Any] = {"today": today.isoformat()}
    missing = []
    for ask in ASKS[kind]:
        raw = given.get(ask.key)
        default = ask.default(values) if ask.default else None
        if raw is None and prompt is not None:
            answered = _ask(ask, default, prompt)
            if answered is not None:
                values[ask.key] = answered[0]
                continue
        if raw is None:
            if default is not None or not ask.required:
                values[ask.key] = default
                continue
            missing.append(ask)
            continue
        try:
            values[ask.key] = ask.convert(raw) if isinstance(raw, str) else raw
        except ValueError:
            raise ScaffoldError(f"--{ask.key.replace('_', '-')} 的值 “{raw}” 不符合要求：{ask.prompt}") from None
    if missing:
        lines = "\n".join(f"  --{a.key.replace('_', '-')}  {a.prompt}" for a in missing)
        raise ScaffoldError("缺少以下选项（在终端中运行时会逐项询问）：\n" + lines)
    return values


def _check(model, text: str, front_matter: bool = False) -> None:
    if front_matter:
        fm, _body, _line, problem = split_front_matter(text)
        if problem is not None or fm is None:
            raise ScaffoldError("生成的文件无效（内部错误）")
        text = fm
    data, problems = parse_yaml(text)
    obj, errors, _ = validate(model, data)
    if problems or errors:
        detail = "；".join(f"{e.field}：{e.message}" for e in errors) or "YAML"
        raise ScaffoldError(f"输入的值不符合要求：{detail}")


def _canonical(path: Path, text: str) -> str:
    """The editor's canonical layout (innostudio fmt) of a new entry's text."""
    from .canonical import NotData, canonical_text, kind_of

    for n in (3, 4):
        rel = "/".join(path.parts[-n:])
        if kind_of(rel) is not None:
            try:
                return canonical_text(rel, text)
            except NotData:
                return text
    return text


def _write_new(path: Path, text: str) -> Path:
    text = _canonical(path, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
            fh.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} 已存在，未做任何修改", exists=True) from None
    return path


def _studio_dir(root: Path, slug: str, must_exist: bool = True) -> Path:
    if not re.fullmatch(r"[a-z0-9-]{2,40}", slug):
        raise ScaffoldError(f"“{slug}” 不是合格的文件夹名：只能用小写字母、数字和连字符，2–40 个字符")
    folder = root / "studios" / slug
    if must_exist and not (folder / "studio.yml").is_file():
        raise ScaffoldError(f"工作室 {slug} 不存在（没有 studios/{slug}/studio.yml）")
    return folder


def new_studio(root: Path, slug: str, values: dict) -> Path:
    folder = _studio_dir(root, slug, must_exist=False)
    target = folder / "studio.yml"
    if target.exists():
        raise ScaffoldError(f"{target.relative_to(root)} 已存在，未做任何修改", exists=True)
    text = _env().get_template("studio.yml.j2").render(schema="../../schema/studio.schema.json", **values)
    _check(m.Studio, text)
    for sub in ("achievements", "ledger", "media"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        keep = folder / sub / ".gitkeep"
        if not any((folder / sub).iterdir()):
            keep.touch()
    return _write_new(target, text)


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _file_stem(values: dict) -> str:
    """`<YYYY>-<slug>` (forms.md): the short ASCII name the lead gives, or else the type code; a name that
    already starts with a year is kept as it is."""
    year = str(values["date"])[:4]
    given = str(values.get("file") or "").strip().removesuffix(".md").lower()
    if not given:
        return f"{year}-{values['type'].replace('_', '-')}"
    if not _SLUG.fullmatch(given):
        raise ScaffoldError(f"文件名 “{given}” 不合要求：只能用小写英文字母、数字和连字符，例如 vancomycin-kit"
                            "（文件名不用汉字：网址和各代码托管平台都能正确显示）")
    return given if re.match(r"\d{4}-", given) else f"{year}-{given}"


def _same_achievement(folder: Path, title: str, date: str) -> Path | None:
    """An achievement of the studio with this title and date (R005 would refuse a second one)."""
    for p in sorted((folder / "achievements").glob("*.md")):
        try:
            fm, _body, _line, problem = split_front_matter(p.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
        if problem is not None or fm is None:
            continue
        data, _problems = parse_yaml(fm)
        if isinstance(data, dict) and str(data.get("title", "")).strip() == str(title).strip() \
                and str(data.get("date", "")) == str(date):
            return p
    return None


def new_achievement(root: Path, slug: str, values: dict) -> Path:
    folder = _studio_dir(root, slug)
    stem = _file_stem(values)
    target = folder / "achievements" / f"{stem}.md"
    same = _same_achievement(folder, values["title"], values["date"])
    if same is not None:
        raise ScaffoldError(f"已有同名同日期的成果 {same.relative_to(root).as_posix()}，未做任何修改："
                            f"要修改它请直接编辑这个文件；如果确实是另一项成果，请换一个名称或日期", exists=True)
    if not values.get("file"):  # the name is taken: a numeric suffix, as the editor adds one
        n = 1
        while target.exists():
            target = folder / "achievements" / f"{stem}-{n}.md"
            n += 1
    if values["type"] == "transformation" and values.get("value_yuan") is None:
        raise ScaffoldError("成果转化（transformation）必须填写转化金额：--value-yuan")
    text = _env().get_template("achievement.md.j2").render(schema="../../../schema/achievement.schema.json",
                                                            **values)
    _check(m.Achievement, text, front_matter=True)
    return _write_new(target, text)


def new_activity(root: Path, slug: str, values: dict) -> Path:
    """Add an activity to ledger/<year>.yml: a new file, or appended at the end of the activities list."""
    folder = _studio_dir(root, slug)
    year = values["date"][:4]
    env = _env()
    item = env.get_template("activity.yml.j2").render(**values).rstrip("\n") + "\n"
    _check(m.Ledger, "activities:\n" + item)
    target = folder / "ledger" / f"{year}.yml"
    if not target.exists():
        text = env.get_template("ledger.yml.j2").render(schema="../../../schema/ledger.schema.json", year=year,
                                                        activity=item.rstrip("\n"))
        return _write_new(target, text)
    old = target.read_text(encoding="utf-8-sig")
    data, problems = parse_yaml(old)
    if problems or not isinstance(data, YMap) or not isinstance(data.get("activities"), list):
        raise ScaffoldError(f"{target.relative_to(root)} 有错误，请先修正（innostudio check）再追加活动")
    keys = list(data.keys())
    acts = data["activities"]
    first_line = old.split("\n")[acts.ipos[0][0] - 1] if acts else ""
    indent = len(first_line) - len(first_line.lstrip(" "))
    if not acts or not first_line.lstrip(" ").startswith("-"):
        raise ScaffoldError(f"无法自动追加到 {target.relative_to(root)}：请把下面的内容复制到 activities 列表末尾：\n"
                            + item)
    item = "\n".join(" " * indent + line[2:] if line.startswith("  ") else line
                     for line in item.rstrip("\n").split("\n")) + "\n"
    lines = old.rstrip("\n").split("\n")
    following = keys[keys.index("activities") + 1:]
    if following:  # insert before the next top-level key (and the comments just above it)
        at = data.kpos[following[0]][0] - 1
        while at > 0 and (not lines[at - 1].strip() or lines[at - 1].lstrip().startswith("#")):
            at -= 1
    else:
        at = len(lines)
    new_text = "\n".join(lines[:at]) + "\n" + item + "\n".join(lines[at:]) + ("\n" if lines[at:] else "")
    data2, problems2 = parse_yaml(new_text)
    if problems2 or not isinstance(data2, dict) or len(data2.get("activities") or []) != len(acts) + 1 \
            or list(data2.keys()) != keys:
        raise ScaffoldError(f"无法自动追加到 {target.relative_to(root)}：请手工添加：\n" + item)
    if _canonical(target, old) == old:  # a file in the editor's layout stays in it
        new_text = _canonical(target, new_text)
    with open(target, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(new_text)
    return target
