"""The JSON catalog format's keys and value kinds (catalog-format.md): the one table that
the JSON reader and writer and the CSV reader share."""

from __future__ import annotations

from pathways.catalog import DELIVERY_MODES, FRAMEWORKS, KINDS, STATUSES
from pathways.numbers import problem as number_problem
from pathways.vocabulary import ANY_QUALIFICATION_TYPES

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "CREDENTIAL_KEYS", "REQUIRED_KEYS", "TOP_KEYS",
    "PROVIDER_KEYS", "STACKING_KEYS", "INT_KEYS", "HALF_KEYS", "NUMBER_KEYS", "TEXT_KEYS",
    "ENUM_KEYS", "LIST_KEYS", "CREDIT_UNIT_KEYS", "MAX_UNIT_HOURS", "CREDIT_UNIT_FORM",
    "HALF_FORM", "RULE_FORM", "RULE_LIST_KEY", "credit_unit_problem",
]

FORMAT_NAME = "pathways-catalog"
FORMAT_VERSION = 1

# Credential keys in the order of catalog-format.md's example, then our extensions.
CREDENTIAL_KEYS = (
    "id", "title", "kind", "type", "level", "credits", "provider", "fee", "hours",
    "delivery", "status", "review_due", "field", "skills", "requires", "max_recognised",
    "core", "level_profile", "corequisites", "strict_corequisites", "term",
    "direct_study", "rules", "code", "framework", "intakes", "duration_weeks",
)
REQUIRED_KEYS = ("id", "title", "kind", "credits")
TOP_KEYS = ("format", "version", "framework", "credit_unit", "name", "system_type", "meta",
            "calendar", "providers", "credentials", "stacking")
PROVIDER_KEYS = ("id", "name", "calendar")
STACKING_KEYS = ("from", "to", "credits")

# The kind of value each credential key holds; both file formats convert by this table.
INT_KEYS = frozenset({"level", "term"})
HALF_KEYS = frozenset({"credits", "max_recognised"})  # multiples of 0.5
NUMBER_KEYS = frozenset({"fee", "hours", "duration_weeks"})
TEXT_KEYS = frozenset({"id", "title", "provider", "field", "code"})
ENUM_KEYS: dict[str, tuple[str, ...]] = {
    "kind": KINDS, "type": ANY_QUALIFICATION_TYPES, "status": STATUSES,
    "framework": FRAMEWORKS,
}
CREDIT_UNIT_KEYS = ("name", "hours")
#: The most hours one credit unit may stand for (a unit of a year's full-time study).
MAX_UNIT_HOURS = 1200
CREDIT_UNIT_FORM = '{"name": "credit point", "hours": 12.5}'


def credit_unit_problem(hours: float) -> str | None:
    """None if ``hours`` can be the hours of one credit unit (more than 0, at most
    :data:`MAX_UNIT_HOURS`), else what is wrong (both file formats say it alike)."""
    return number_problem(hours, "hours per credit unit", high=MAX_UNIT_HOURS,
                          low_open=True)
LIST_KEYS: dict[str, tuple[str, ...] | None] = {  # allowed items, None = any id or word
    "delivery": DELIVERY_MODES, "skills": None, "core": None,
    "corequisites": None, "strict_corequisites": None,
}

HALF_FORM = "a multiple of 0.5 such as 15 or 7.5"
RULE_FORM = ('e.g. {"min": 4, "of": ["P101", "P102"]}, {"max": 1, "of": [...]}, '
             '{"min_credits": 60, "from": [...]} or {"max_credits": 60, "from": [...]}')
RULE_LIST_KEY = {"min": "of", "max": "of", "min_credits": "from", "max_credits": "from"}
