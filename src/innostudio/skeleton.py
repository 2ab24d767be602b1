"""One source for a site's skeleton: the sample's mkdocs.yml and `innostudio init`'s are one template.

`templates/skeleton/mkdocs.yml.j2` holds everything that is the same for every union (theme, features,
search, Markdown extensions, hooks, validation, navigation with the whole guide); only the organisation's
values differ (ORG_KEYS). The sample's committed mkdocs.yml is that template rendered with the sample's
values, and a test holds it there; `init` renders it with the adopter's.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from .forge import KINDS
from .scaffold import _yaml_value

# The values an organisation sets: top-level keys of mkdocs.yml and keys of its `extra`.
TOP_KEYS = ("site_description", "site_url", "copyright")
EXTRA_KEYS = ("organisation", "local_label", "union_team", "publish_funding", "icp", "police_filing", "forge")
FORGE_KEYS = ("kind", "base_url", "repo", "branch", "app_id")


def _env() -> Environment:
    env = Environment(loader=PackageLoader("innostudio", "templates/skeleton"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)  # YAML, not HTML: values go through |y
    env.filters["y"] = _yaml_value
    return env


def forge_values(forge: dict[str, Any] | None) -> dict[str, str]:
    given: dict[str, Any] = forge or {}
    return {k: str(given.get(k) or ("main" if k == "branch" else "gitlab" if k == "kind" else "")) for k in FORGE_KEYS}


def values_of(config: dict[str, Any]) -> dict[str, Any]:
    """The organisation's values of a parsed mkdocs.yml."""
    extra: dict[str, Any] = config["extra"] if isinstance(config.get("extra"), dict) else {}
    values: dict[str, Any] = {k: config.get(k, "") for k in TOP_KEYS}
    values.update({k: extra.get(k, "") for k in EXTRA_KEYS if k != "forge"})
    values["union_team"] = list(extra.get("union_team") or [])
    values["publish_funding"] = bool(extra.get("publish_funding", False))
    values["forge"] = forge_values(extra.get("forge"))
    return values


def forge_from_repo_url(repo_url: str, kind: str = "") -> dict[str, str]:
    """extra.forge from a repository's web address (``init --repo-url``): the host is the base URL and the
    path the repository; the kind is given, or guessed from the host (github.com, else GitLab)."""
    parts = urlsplit(repo_url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc or not parts.path.strip("/"):
        return forge_values({"kind": kind or "gitlab"})
    host = parts.netloc.lower()
    guessed = "github" if host == "github.com" else "forgejo" if "codeberg" in host else "gitlab"
    return forge_values({"kind": kind if kind in KINDS else guessed, "base_url": f"{parts.scheme}://{parts.netloc}",
                         "repo": parts.path.strip("/").removesuffix(".git")})


def render_mkdocs(values: dict[str, Any]) -> str:
    return _env().get_template("mkdocs.yml.j2").render(**values)
