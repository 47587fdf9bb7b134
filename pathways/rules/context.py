"""What every rule of validation shares: the context (catalog, framework rules, lookups,
locations) and the small helpers that make problems."""

from __future__ import annotations

import re
from datetime import date

from pathways.catalog import (
    Catalog,
    Credential,
    Stacking,
)
from pathways.errors import Problem
from pathways.place import Place
from pathways.rules.frameworks import (
    FRAMEWORK_RULES,
    FrameworkRules,
)

ERROR = "error"
WARNING = "warning"


# -- context and locations -----------------------------------------------------------------

class _Context:
    """What every rule needs: the catalog, its framework's rules, lookups, locations."""

    def __init__(self, catalog: Catalog, today: date) -> None:
        self.catalog = catalog
        self.today = today
        self.known_framework = catalog.framework in FRAMEWORK_RULES
        self.rules = FRAMEWORK_RULES.get(catalog.framework, FRAMEWORK_RULES["generic"])
        self.index: dict[str, Credential] = {}
        for c in catalog.credentials:
            self.index.setdefault(c.id, c)  # the first of duplicated ids
        self.provider_ids = {p.id for p in catalog.providers}
        # The rules each framework named by the catalog or a credential (known ones).
        names = {catalog.framework, *(c.framework for c in catalog.credentials if c.framework)}
        self.frameworks_used = [FRAMEWORK_RULES[n] for n in FRAMEWORK_RULES if n in names]

    def rules_of(self, c: Credential) -> FrameworkRules:
        """The rules ``c`` follows: its own framework's, else the catalog's."""
        if c.framework is None:
            return self.rules
        return FRAMEWORK_RULES.get(c.framework, FRAMEWORK_RULES["generic"])

    def follows(self, c: Credential, name: str) -> bool:
        """Whether ``c`` follows the framework ``name`` (its own, else the catalog's)."""
        return (c.framework or self.catalog.framework) == name

    def at(self, source: str | Place | None, field: str | None = None) -> str:
        """``source`` (or the catalog's), with ``.field`` appended to a JSON path."""
        where = str(source) if source else self.catalog.source or ""
        return f"{where}.{field}" if field and ":$" in where else where


def _natural(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """Sort key that puts line 9 before line 10, credentials[2] before [10], C9 before C10."""
    # Digit runs compare by value (length of the run without leading zeros, then the
    # digits), so no run is converted: a 5,000-digit one or "²" cannot break sorting.
    return tuple((0, len(t.lstrip("0")), t.lstrip("0"), t) if t.isdigit() else (1, 0, t, t)
                 for t in re.split(r"([0-9]+)", text) if t)


def _err(where: str, message: str) -> Problem:
    return Problem(where, message, ERROR)


def _warn(where: str, message: str) -> Problem:
    return Problem(where, message, WARNING)


def _edge(e: Stacking) -> str:
    return f"stacking edge {e.source} -> {e.target}"


def _also(where: str) -> str:
    return f" (also at {where})" if where else " (listed twice)"


def _fmt(x: float) -> str:
    return f"{x:g}"


def parse_date(text: str) -> date | None:
    """A YYYY-MM-DD date (exactly that form), or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
