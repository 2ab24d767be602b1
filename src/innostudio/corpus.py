"""Load + model the whole repository: every studio folder and every union file.

The result, :class:`Repo`, is plain data for the rules and the renderers. Discovery problems
(a missing studio.yml, a folder name that is not a slug, a symlink leaving the repository) are
recorded as :class:`Problem` objects of the file or folder they concern.
"""
from __future__ import annotations

import functools
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from . import model as m
from . import model_union as mu
from .load import Problem, Source, load_markdown_file, load_yaml_file, read_text
from .settings import Settings
from .standards import DEFAULTS, Standards
from .validate import FieldError, Kept, validate

SLUG_RE = re.compile(r"^[a-z0-9-]{2,40}$")
LEDGER_RE = re.compile(r"^(\d{4})\.ya?ml$")


def file_year(path: str) -> int:
    """The year a ledger or inspection file is for: its name, YYYY.yml (names are checked on loading)."""
    match = LEDGER_RE.match(path.rsplit("/", 1)[-1])
    assert match is not None, path
    return int(match.group(1))


@dataclass(slots=True)
class Doc:
    """A file with its parsed data and (possibly partial) model."""

    source: Source
    model: Any = None
    errors: list[FieldError] = field(default_factory=list)
    kept: Kept = field(default_factory=dict)  # partial model's list indexes -> file indexes

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def data(self) -> Any:
        return self.source.data


@dataclass(slots=True)
class AchievementDoc(Doc):
    name: str = ""  # file name without .md


@dataclass(slots=True)
class LedgerDoc(Doc):
    year: int = 0


@dataclass(slots=True)
class StudioFolder:
    slug: str
    path: str  # studios/<slug>
    abspath: Path
    profile: Doc | None = None
    achievements: list[AchievementDoc] = field(default_factory=list)
    ledgers: list[LedgerDoc] = field(default_factory=list)
    problems: list[tuple[str, Problem]] = field(default_factory=list)  # (path, problem)
    extra_sources: list[Source] = field(default_factory=list)  # rules documents (Markdown)

    @property
    def studio(self) -> m.Studio | None:
        return self.profile.model if self.profile is not None else None

    def activities(self):
        """Every activity of the ledgers that could be read (all years)."""
        for doc in self.ledgers:
            if doc.model is not None:
                yield from doc.model.activities

    def achievement_named(self, name: str) -> AchievementDoc | None:
        """The achievement document a reference names (its file name with or without ``.md``)."""
        stem = name[:-3] if name.endswith(".md") else name
        return next((d for d in self.achievements if d.name == stem), None)

    def achievement_models(self):
        """Every achievement that could be read."""
        return [d.model for d in self.achievements if d.model is not None]

    def docs(self):
        if self.profile is not None:
            yield self.profile
        yield from self.achievements
        yield from self.ledgers


@dataclass(slots=True)
class Repo:
    root: Path
    settings: Settings = Settings()
    studios: list[StudioFolder] = field(default_factory=list)
    union_docs: list[Doc] = field(default_factory=list)
    problems: list[tuple[str, Problem]] = field(default_factory=list)  # outside any studio
    decisions: list[tuple[Doc, int, m.Decision]] = field(default_factory=list)
    inspections: list[tuple[Doc, int, m.Inspection]] = field(default_factory=list)
    challenges: list[tuple[Doc, int, m.Challenge]] = field(default_factory=list)
    recognitions: list[tuple[Doc, int, m.Recognition]] = field(default_factory=list)
    team: list[str] = field(default_factory=list)
    privacy_allow: list[str] = field(default_factory=list)  # union/privacy.yml: reviewed values
    policy_doc: Doc | None = None  # union/policy.yml as a document (positions for C001, W005)

    @property
    def standards(self) -> Standards:
        """union/standards.yml (the defaults where it is missing or broken), citing the configured policy."""
        return self.settings.standards

    def by_slug(self) -> dict[str, StudioFolder]:
        return {s.slug: s for s in self.studios}

    def all_docs(self):
        for s in self.studios:
            yield from s.docs()
        yield from self.union_docs


@functools.lru_cache(maxsize=4096)
def _real(container: Path | str) -> str:
    return os.path.realpath(container)


def suffix(path: str) -> str:
    """The extension of a path's last name, as pathlib's ``suffix`` gives it ("" for ``.jpg`` or ``x.``)."""
    name = path.rsplit(os.sep, 1)[-1]
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


_LINK, _MISSING, _ERROR, _PLAIN = range(4)


@functools.lru_cache(maxsize=65536)
def _link_state(path: str) -> int:
    """What lstat says of one name (cached for a run: a studio's media/ folder is asked once, not once per
    photo; load_repo clears it)."""
    try:
        return _LINK if stat.S_ISLNK(os.lstat(path).st_mode) else _PLAIN
    except FileNotFoundError:
        return _MISSING
    except OSError:
        return _ERROR


def _plain_below(path: str, container: str) -> bool:
    """True when ``path`` is ``container`` plus names none of which is a symlink (then it is inside the
    container wherever that really is); False when unsure. A few lstat calls instead of realpath's walk
    from the file system root."""
    prefix = container.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):
        return False
    cur = container
    for part in path[len(prefix):].split(os.sep):
        if part in ("", ".", ".."):
            return False
        cur = os.path.join(cur, part)
        state = _link_state(cur)
        if state == _MISSING:
            return True  # nothing below a missing name can be a link
        if state != _PLAIN:
            return False
    return True


def _outside(path: Path | str, container: Path | str) -> bool:
    """True when ``path`` (following symlinks) is not inside ``container``."""
    try:
        if _plain_below(os.fspath(path), os.fspath(container)):
            return False
        real = os.path.realpath(path)
        base = _real(container)
        return not (real == base or real.startswith(base.rstrip(os.sep) + os.sep))
    except (OSError, ValueError):
        return True


@functools.lru_cache(maxsize=65536)
def resolve_ref(folder: Path, ref: str) -> Path | None:
    """The file a studio-relative reference names, or None when it would leave the folder."""
    target = resolve_ref_str(os.fspath(folder), ref)
    return None if target is None else Path(target)


_DRIVE = re.compile(r"^[A-Za-z]:")
_SEPS = re.compile(r"[/\\]")


@functools.lru_cache(maxsize=65536)
def resolve_ref_str(folder: str, ref: str) -> str | None:
    """resolve_ref with the folder and the file as strings (the rules' hot path: no pathlib)."""
    if not ref or ref.startswith(("/", "\\")) or _DRIVE.match(ref) or "\x00" in ref:
        return None
    parts = _SEPS.split(ref)
    if ".." in parts:
        return None
    target = os.path.join(folder, *[p for p in parts if p not in ("", ".")])
    if _outside(target, folder):
        return None
    return target


D = TypeVar("D", bound=Doc)


def _doc(cls: type[D], src: Source, model: type[BaseModel], **extra: Any) -> D:
    doc = cls(src, **extra)
    if src.parsed:
        doc.model, doc.errors, doc.kept = validate(model, src.data)
    return doc


def _safe_files(folder: Path, pattern_ext: tuple[str, ...], container: Path | None = None,
                escaped: list[Path] | None = None) -> list[Path]:
    """Regular files of ``folder`` with one of the endings, sorted by name. A symlink counts only when it
    stays inside ``container`` (those that leave are added to ``escaped``). One scandir, no extra stat."""
    try:
        with os.scandir(folder) as it:
            entries = sorted((e for e in it if e.name.endswith(pattern_ext) and not e.name.startswith(".")),
                             key=lambda e: e.name)
    except OSError:
        return []
    out = []
    for e in entries:
        p = Path(e.path)
        if e.is_symlink():
            if container is not None and _outside(p, container):
                if escaped is not None:
                    escaped.append(p)
                continue
            if not p.is_file():
                continue
        elif not e.is_file(follow_symlinks=False):
            continue
        out.append(p)
    return out


def _rel(root: Path, p: Path) -> str:
    return p.relative_to(root).as_posix()


def load_studio(root: Path, folder: Path, limit: int) -> StudioFolder:
    slug = folder.name
    sf = StudioFolder(slug, _rel(root, folder), folder)
    if not SLUG_RE.match(slug):
        sf.problems.append((sf.path, Problem("slug", None, None, slug)))
    if folder.is_symlink() and _outside(folder, root / "studios"):
        sf.problems.append((sf.path, Problem("escape", None, None, "folder")))
        return sf

    def guarded(p: Path) -> bool:
        if p.is_symlink() and _outside(p, folder):
            sf.problems.append((_rel(root, p), Problem("escape", None, None, "file")))
            return False
        return True

    profile = folder / "studio.yml"
    if profile.exists() or profile.is_symlink():
        if guarded(profile):
            sf.profile = _doc(Doc, load_yaml_file(root, _rel(root, profile), limit), m.Studio)
    else:
        sf.problems.append((sf.path + "/studio.yml", Problem("nofile", None, None, "studio.yml")))
    studio = sf.studio
    base = os.fspath(folder)
    for rule in (studio.rules or []) if studio is not None else []:
        target = resolve_ref_str(base, rule.file)  # base joined with the reference's names
        if target is not None and suffix(target).lower() == ".md" and os.path.isfile(target):
            src = Source(sf.path + target[len(base):].replace(os.sep, "/"), Path(target))
            src.text, src.problems = read_text(Path(target), limit)
            src.body = src.text
            sf.extra_sources.append(src)
    escaped: list[Path] = []
    for p in _safe_files(folder / "achievements", (".md",), folder, escaped):
        src = load_markdown_file(root, f"{sf.path}/achievements/{p.name}", limit)
        sf.achievements.append(_doc(AchievementDoc, src, m.Achievement, name=p.name[:-3]))
    for p in _safe_files(folder / "ledger", (".yml", ".yaml"), folder, escaped):
        mt = LEDGER_RE.match(p.name)
        src = load_yaml_file(root, f"{sf.path}/ledger/{p.name}", limit)
        if not mt:
            sf.problems.append((src.path, Problem("ledgername", None, None, p.name)))
            continue
        sf.ledgers.append(_doc(LedgerDoc, src, m.Ledger, year=file_year(p.name)))
    for p in escaped:
        sf.problems.append((_rel(root, p), Problem("escape", None, None, "file")))
    return sf


def load_studios(root: Path, folders: list[Path], limit: int) -> list[StudioFolder]:
    """Every studio folder, in the order given. (Loading in forked processes was tried and lost: sending
    the loaded folders back cost as much as parsing them; check.py splits the rules instead.)"""
    return [load_studio(root, folder, limit) for folder in folders]


def load_settings(root: Path) -> tuple[Doc | None, Settings]:
    """The repository's settings (mkdocs.yml, union/policy.yml, union/standards.yml), and union/standards.yml as
    a document when it exists (its errors are reported). The standards are the defaults where the file is
    missing or broken, and cite the policy by its configured short name: rule texts and bases speak of the
    adopter's policy, not the seed's."""
    path = root / "union" / "standards.yml"
    if not path.exists():
        return None, Settings.read(root)
    doc = _doc(Doc, load_yaml_file(root, "union/standards.yml", DEFAULTS.limits.text_kib * 1024), Standards)
    return doc, Settings.read(root, doc.model if isinstance(doc.model, Standards) else DEFAULTS)


def _items(doc: Doc, attr: str, item_model: type[BaseModel], target: list) -> None:
    """Append ``(doc, index, item)`` for every valid item of a union list (index = place in the file)."""
    data_list = doc.data.get(attr) if isinstance(doc.data, dict) else None
    if not isinstance(data_list, list):
        return
    for i, raw in enumerate(data_list):
        item, errors, _ = validate(item_model, raw)
        if item is not None and not errors:
            target.append((doc, i, item))


def load_repo(root: Path) -> Repo:
    root = Path(root)
    _real.cache_clear()  # the file system may have changed since the last run in this process
    _link_state.cache_clear()
    resolve_ref.cache_clear()
    resolve_ref_str.cache_clear()
    std_doc, settings = load_settings(root)
    repo = Repo(root, settings)
    limit = settings.standards.limits.text_kib * 1024
    if std_doc is not None:
        repo.union_docs.append(std_doc)
    studios_dir = root / "studios"
    if studios_dir.is_dir():
        folders = []
        for folder in sorted(studios_dir.iterdir(), key=lambda p: p.name):
            if folder.name.startswith(".") or not (folder.is_dir() or folder.is_symlink()):
                continue
            if folder.is_symlink() and not folder.is_dir():
                repo.problems.append((_rel(root, folder), Problem("escape", None, None, "folder")))
                continue
            folders.append(folder)
        repo.studios.extend(load_studios(root, folders, limit))
    _load_union(repo, limit)
    return repo


def _union_file(repo: Repo, rel: str, model: type[BaseModel], limit: int) -> Doc | None:
    """A file of union/ as a document (None when it does not exist or leaves the repository)."""
    p = repo.root / rel
    if not (p.exists() or p.is_symlink()):
        return None
    if p.is_symlink() and _outside(p, repo.root):
        repo.problems.append((rel, Problem("escape", None, None, "file")))
        return None
    src = load_yaml_file(repo.root, rel, limit)
    if src.parsed and src.data is None and not src.problems:  # 0 bytes or only comments: no records yet
        doc = Doc(src)
    else:
        doc = _doc(Doc, src, model)
    repo.union_docs.append(doc)
    return doc


def _load_union(repo: Repo, limit: int) -> None:
    """The union's records (decisions, inspections, challenges, recognitions) and configuration files."""
    root = repo.root
    d = _union_file(repo, "union/decisions.yml", m.Decisions, limit)
    if d is not None:
        _items(d, "decisions", m.Decision, repo.decisions)
    for p in _safe_files(root / "union" / "inspections", (".yml", ".yaml")):
        rel = _rel(root, p)
        if not LEDGER_RE.match(p.name):
            repo.problems.append((rel, Problem("ledgername", None, None, p.name)))
            continue
        d = _union_file(repo, rel, m.Inspections, limit)
        if d is not None:
            _items(d, "inspections", m.Inspection, repo.inspections)
    d = _union_file(repo, "union/challenges.yml", m.Challenges, limit)
    if d is not None:
        _items(d, "challenges", m.Challenge, repo.challenges)
    d = _union_file(repo, "union/recognitions.yml", m.Recognitions, limit)
    if d is not None:
        _items(d, "recognitions", m.Recognition, repo.recognitions)
    d = _union_file(repo, "union/team.yml", m.UnionTeam, limit)
    if d is not None and isinstance(d.model, m.UnionTeam):
        repo.team = list(d.model.team)
    repo.policy_doc = _union_file(repo, "union/policy.yml", mu.PolicyFile, limit)
    d = _union_file(repo, "union/privacy.yml", mu.Privacy, limit)
    if d is not None and isinstance(d.model, mu.Privacy):
        repo.privacy_allow = [item.value for item in d.model.allow]
