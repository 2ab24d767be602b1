"""The rule catalogue. Importing this package registers every rule unit in :data:`RULES`."""
from . import format, funding, layout, lifecycle_rules, placeholder, privacy, refs, six, unread  # noqa: F401
from .base import RULES, Context, Finding, Hit, Rule, near_miss, section_broken, sort_key
from .six import STANDARDS

__all__ = ["RULES", "STANDARDS", "Context", "Finding", "Hit", "Rule", "sort_key"]
