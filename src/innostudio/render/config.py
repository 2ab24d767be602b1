"""The site's own settings as the pages use them (mkdocs.yml `extra` and names, union/policy.yml)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..settings import SEED_POLICY_SHORT, Clause, Settings


@dataclass(frozen=True)
class SiteConfig:
    """The site's own settings (mkdocs.yml `extra`), with defaults for a new adopter."""

    organisation: str = "工会"
    site_name: str = "劳模和优秀人才创新工作室"
    site_url: str = ""
    repo_url: str = ""
    publish_funding: bool = False
    icp: str = ""
    police_filing: str = ""
    policy_url: str = "policy/"
    policy_title: str = "政策文件"
    policy_short: str = SEED_POLICY_SHORT  # how pages cite the policy: 《short》 and a clause's ref
    policy_number: str = ""  # its document number, e.g. 〔2022〕22号
    union_team: tuple[str, ...] = ()
    local_label: str = "本单位细则"  # how the union's own rules are labelled (extra.local_label)
    clauses: Mapping[str, Clause] = field(default_factory=lambda: MappingProxyType({}))  # union/policy.yml

    def cite(self, key: str) -> str:
        """How a page cites a clause: 《short》ref, or the local label where union/policy.yml lacks it."""
        clause = self.clauses.get(key)
        return f"《{self.policy_short}》{clause.ref}" if clause is not None and clause.ref else self.local_label

    @classmethod
    def from_settings(cls, settings: Settings, repo_url: str = "") -> SiteConfig:
        """The site's settings; the policy's names from union/policy.yml, else from ``extra``; ``repo_url``
        as the generator resolved it (from extra.forge) when given."""
        extra = settings.extra

        def s(key: str, default: str = "") -> str:
            v = extra.get(key, default)
            return str(v) if v is not None else default

        site_url = settings.site_url
        document = settings.policy.document
        return cls(organisation=s("organisation", cls.organisation), site_name=settings.site_name or cls.site_name,
                   site_url=site_url.rstrip("/") + ("/" if site_url else ""), repo_url=repo_url or settings.repo_url,
                   publish_funding=bool(extra.get("publish_funding", False)), icp=s("icp"),
                   police_filing=s("police_filing"), policy_url=s("policy_url", cls.policy_url),
                   policy_title=document.title or s("policy_title", cls.policy_title),
                   policy_short=settings.policy_short, policy_number=document.number or s("policy_number"),
                   union_team=tuple(str(x) for x in extra.get("union_team") or ()),
                   local_label=settings.local_label, clauses=settings.policy.clauses)
