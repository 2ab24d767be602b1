"""`innostudio init DIR --org 名称`: a clean repository for another school or union.

It holds the engine (the package source, hooks, theme overrides, schemas, `./run`, CI files), the
contributor guide, `union/standards.yml` with the defaults, empty union records and no studio. Every
organisation- and policy-specific text goes into mkdocs.yml's `extra` (and the generated home and policy
pages), so the new repository checks and builds at once and shows nothing of the sample school.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from .rules.policy_rules import OLD_LIFECYCLE
from .scaffold import _yaml_value
from .schema import write_schemas
from .skeleton import forge_from_repo_url, render_mkdocs
from .standards import DEFAULTS

# What is copied from the project itself (the engine and the guide). Sample data never is.
ENGINE = ["pyproject.toml", "run", "hooks", "overrides", "schema", "src/innostudio", ".github/workflows",
          ".github/pull_request_template.md", ".pre-commit-hooks.yaml", ".pre-commit-config.yaml",
          ".forgejo", ".gitlab-ci.yml", ".vscode",
          "package.json", "package-lock.json", "content/guide", "content/search.md", ".gitignore"]
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".site-*")
class InitError(Exception):
    pass


def project_root() -> Path:
    """The project this package was installed from (an editable install or a checkout)."""
    here = Path(__file__).resolve().parent  # src/innostudio
    root = here.parents[1]
    if not (root / "hooks" / "innostudio_hooks.py").is_file() or not (root / "pyproject.toml").is_file():
        raise InitError("找不到 innostudio 的源代码仓库（hooks/、pyproject.toml）：请在克隆的仓库中运行 ./run init")
    return root


def _env() -> Environment:
    env = Environment(loader=PackageLoader("innostudio", "templates/init"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    env.filters["y"] = _yaml_value
    return env


def standards_text() -> str:
    data = DEFAULTS.model_dump(mode="json")
    data.pop("goals", None)  # the document's targets belong in union/policy.yml
    for old in OLD_LIFECYCLE:  # older forms (W006): their defaults apply
        data["lifecycle"].pop(old, None)
    return ("# “六有”标准的各项阈值（政策即配置），由 innostudio init 按默认值生成。\n"
            "# 按本单位的政策修改；每项的依据见站点的“检查规则”页。\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False))


# init's placeholder document (W005 until the union names its own); its short name is how pages cite it.
PLACEHOLDER_TITLE = "（待填写：本单位政策文件的全称）"
PLACEHOLDER_SHORT = "政策文件"
LOCAL_LABEL = "本单位细则"


def _copy_engine(src: Path, target: Path) -> None:
    """The engine and the guide, copied from the project; ./run judges a real site as of today."""
    target.mkdir(parents=True, exist_ok=True)
    for rel in ENGINE:
        p = src / rel
        if p.is_dir():
            shutil.copytree(p, target / rel, ignore=SKIP, symlinks=False)
        elif p.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, target / rel)
    run = target / "run"
    if run.is_file():  # the sample data's fixed evaluation date does not apply: a real site is judged today
        run.write_text(run.read_text(encoding="utf-8").replace("SAMPLE_AS_OF=2026-11-30", "SAMPLE_AS_OF="),
                       encoding="utf-8")


def init(target: Path, org: str, policy_title: str = "", policy_number: str = "", policy_short: str = "",
         site_url: str = "", repo_url: str = "", union_team: list[str] | None = None, forge_kind: str = "") -> Path:
    org = org.strip()
    if not org:
        raise InitError("--org 不能为空：请写单位（工会）名称，例如 某某大学工会")
    target = target.resolve()
    if target.exists() and any(target.iterdir()):
        raise InitError(f"{target} 已存在且不是空目录，未做任何修改")
    _copy_engine(project_root(), target)
    # the editors' schema hints cite the policy by its short name (the guide cites it through {{policy}} at build)
    policy_short = policy_short.strip() or PLACEHOLDER_SHORT
    write_schemas(target / "schema", policy_short)
    env = _env()
    values = dict(org=org, policy_title=policy_title.strip() or PLACEHOLDER_TITLE,
                  policy_short=policy_short, policy_number=policy_number, site_url=site_url,
                  repo_url=repo_url, union_team=list(union_team or []))
    document = dict(title=values["policy_title"], short=policy_short, number=policy_number.strip(),
                    local_label=LOCAL_LABEL)
    site = dict(site_description=f"{org}劳模和优秀人才创新工作室展示平台", site_url=site_url, copyright=org,
                organisation=org, local_label=LOCAL_LABEL, union_team=list(union_team or []),
                publish_funding=False, icp="", police_filing="", forge=forge_from_repo_url(repo_url, forge_kind))
    files = {
        "mkdocs.yml": render_mkdocs(site),
        "content/index.md": env.get_template("index.md.j2").render(**values),
        "content/policy.md": env.get_template("policy.md.j2").render(**document),
        "union/policy.yml": env.get_template("policy.yml.j2").render(**document),
        "README.md": env.get_template("README.md.j2").render(**values),
        "union/standards.yml": standards_text(),
        "union/decisions.yml": "# 校工会决定：授牌 accredit、推荐 recommend、获评示范 demonstrate、限期整改 rectify、"
                               "整改通过 restore、摘牌 revoke\ndecisions: []\n",
        "union/challenges.yml": "# 揭榜挂帅榜单\nchallenges: []\n",
        "union/team.yml": "# 校工会维护人员：可修改 union/ 和站点配置的平台用户名（用于生成 .github/CODEOWNERS）\n"
                          + (f"team: {_yaml_value(list(union_team))}\n" if union_team else "# team: [平台用户名]\n"),
        "union/inspections/.gitkeep": "",
        "studios/.gitkeep": "",
    }
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    from .canonical import data_files, format_file

    for f in data_files(target):  # the union records in the layout the online editor writes (no W003)
        format_file(target, f, write=True)
    from .codeowners import write_all
    from .corpus import load_repo

    write_all(target, load_repo(target))
    return target


def git_init(target: Path) -> str:
    """Make ``target`` a git repository (no commit): the portal's checks and deploy run from one.

    Returns what happened: ``"created"``, ``"inside"`` (already inside a work tree: left alone),
    ``"nogit"`` (git is not installed) or ``"failed"``."""
    git = shutil.which("git")
    if git is None:
        return "nogit"
    inside = subprocess.run([git, "-C", str(target), "rev-parse", "--is-inside-work-tree"], capture_output=True,
                            text=True, check=False)
    if inside.returncode == 0 and inside.stdout.strip() == "true":
        return "inside"
    for args in (["init", "-q", "--initial-branch=main"], ["init", "-q"]):  # --initial-branch: git >= 2.28
        if subprocess.run([git, "-C", str(target), *args], capture_output=True, check=False).returncode == 0:
            return "created"
    return "failed"
