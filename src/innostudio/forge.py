"""The code forge of `extra.forge` (mkdocs.yml): where the repository lives and how its URLs are shaped.

One place decides the repository's web address and the edit links (the site's edit button, the guide,
the editor's backend), so `repo_url` can no longer disagree with `extra.forge` (docs/contract/policy-profile.md,
"innostudio init"). URL shapes: GitLab `/-/edit/<branch>/<path>`, Forgejo and Gitea `/_edit/<branch>/<path>`,
GitHub `/edit/<branch>/<path>`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = ("gitlab", "forgejo", "gitea", "github")
DEFAULT_BASE = {"github": "https://github.com", "gitlab": "https://gitlab.com"}
_EDIT = {"gitlab": "-/edit", "forgejo": "_edit", "gitea": "_edit", "github": "edit"}
_TREE = {"gitlab": "-/tree", "forgejo": "src/branch", "gitea": "src/branch", "github": "tree"}


@dataclass(frozen=True)
class Forge:
    kind: str
    base_url: str
    repo: str
    branch: str = "main"

    @classmethod
    def from_extra(cls, extra: dict[str, Any] | None) -> Forge | None:
        """The forge of mkdocs.yml's ``extra.forge``; None when it names no repository."""
        forge = (extra or {}).get("forge")
        if not isinstance(forge, dict):
            return None
        kind = str(forge.get("kind") or "gitlab").lower()
        if kind not in KINDS:
            return None
        repo = str(forge.get("repo") or "").strip().strip("/")
        base = str(forge.get("base_url") or DEFAULT_BASE.get(kind, "")).strip().rstrip("/")
        if not repo or not base.startswith(("https://", "http://")):
            return None
        return cls(kind, base, repo, str(forge.get("branch") or "main").strip() or "main")

    @property
    def repo_url(self) -> str:
        return f"{self.base_url}/{self.repo}"

    @property
    def edit_uri(self) -> str:
        """MkDocs' ``edit_uri`` (relative to ``repo_url``) for pages under content/."""
        return f"{_EDIT[self.kind]}/{self.branch}/content/"

    def edit_url(self, path: str) -> str:
        """The page where a file of the repository is edited in the browser."""
        return f"{self.repo_url}/{_EDIT[self.kind]}/{self.branch}/{path.lstrip('/')}"

    def tree_url(self, path: str = "") -> str:
        """The page that lists a folder of the repository."""
        return f"{self.repo_url}/{_TREE[self.kind]}/{self.branch}/{path.lstrip('/')}".rstrip("/")

    @property
    def gitea_like(self) -> bool:
        return self.kind in ("forgejo", "gitea")
