"""The site's own settings in mkdocs.yml, read as plain YAML (no MkDocs import).

`extra` holds what an adopting union changes: its name, its policy's title, number and short name.
The checker reads the short name too, so that rule texts cite the adopter's policy, not the seed's.
"""
from __future__ import annotations

from pathlib import Path

import yaml

SEED_POLICY_SHORT = "实施意见"  # the short name of the seed policy (济医工字〔2022〕22号), cited in rule texts


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name and other tags


def site_settings(root: Path) -> dict:
    """mkdocs.yml as a mapping; empty when it is missing or unreadable (the checker still runs)."""
    try:
        data = yaml.load((Path(root) / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def site_extra(root: Path) -> dict:
    extra = site_settings(root).get("extra")
    return extra if isinstance(extra, dict) else {}


def policy_short(extra: dict) -> str:
    """How pages and messages cite the policy: 《<short>》三（一）…; the seed's name when unset."""
    value = extra.get("policy_short")
    return str(value).strip() if isinstance(value, (str, int)) and str(value).strip() else SEED_POLICY_SHORT
