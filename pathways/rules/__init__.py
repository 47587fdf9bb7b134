"""The rules: what makes a catalog valid, structurally and under its qualifications framework.

:func:`validate` lists every problem (errors and warnings); :func:`check` raises
:class:`~pathways.errors.CatalogError` when any of them is an error. Structural rules hold
for every framework; the rules of a framework (NZQF, NZQF 2018, generic, AQF) live in one
entry of :data:`FRAMEWORK_RULES`. Each credential follows its own ``framework`` if it names
one, else the catalog's, so a cross-Tasman catalog checks each credential by its own rules
and never compares levels of different scales. The qualification-type tables are data here
(:data:`NZQF_QUALIFICATION_TYPES`, :data:`AQF_QUALIFICATION_TYPES`) for other modules.

Every message names where (``FILE:LINE`` or ``FILE:$.json.path``), the credential or edge,
and what to do, on one line.
"""

from __future__ import annotations

from datetime import date

from pathways.catalog import Catalog
from pathways.errors import CatalogError, Problem
from pathways.rules.calendar import _calendars, _intakes
from pathways.rules.context import ERROR, _Context, _natural, parse_date
from pathways.rules.frameworks import (
    AQF_HOURS_PER_YEAR,
    AQF_QUALIFICATION_TYPES,
    AQF_VET_TYPES,
    AQF_VOLUMES,
    FAR_OUTSIDE,
    FRAMEWORK_RULES,
    NZQF_BANNED_TITLE_WORDS,
    NZQF_QUALIFICATION_TYPES,
    FrameworkRules,
    QualificationType,
    default_level_profile,
    rpl_refusal,
)
from pathways.rules.national import _FRAMEWORK
from pathways.rules.programme import _halves, _lifecycle, _notices, _rules, _strict_corequisites
from pathways.rules.structural import (
    _amounts,
    _bounds,
    _core,
    _cycles,
    _duplicates,
    _framework_known,
    _level_profiles,
    _requires_clauses,
    _self_loops,
    _texts,
    _unknown_ids,
    _vocabulary,
)

__all__ = [
    "QualificationType",
    "FrameworkRules",
    "NZQF_QUALIFICATION_TYPES",
    "NZQF_BANNED_TITLE_WORDS",
    "AQF_QUALIFICATION_TYPES",
    "AQF_VOLUMES",
    "AQF_VET_TYPES",
    "AQF_HOURS_PER_YEAR",
    "FAR_OUTSIDE",
    "FRAMEWORK_RULES",
    "rpl_refusal",
    "default_level_profile",
    "parse_date",
    "validate",
    "check",
]


# -- the public functions ----------------------------------------------------------------------

def validate(catalog: Catalog, *, today: date | None = None) -> list[Problem]:
    """Every problem in ``catalog``, errors and warnings, sorted by where, then message.

    ``today`` (default: the current date) decides which review dates are past.
    """
    ctx = _Context(catalog, today or date.today())
    found: set[Problem] = set()
    extra = dict.fromkeys(check for rules in ctx.frameworks_used for check in rules.extra_checks)
    for rule in (*_STRUCTURAL, *_FRAMEWORK, *extra):
        found.update(rule(ctx))
    return sorted(found, key=lambda p: (_natural(p.where), _natural(p.message), p.severity))


def check(catalog: Catalog, *, today: date | None = None) -> list[Problem]:
    """Raise :class:`CatalogError` (with every problem) if any is an error; else the warnings."""
    problems = validate(catalog, today=today)
    if any(p.severity == ERROR for p in problems):
        raise CatalogError(problems)
    return problems


_STRUCTURAL = (_framework_known, _notices, _texts, _bounds, _halves, _duplicates,
               _unknown_ids, _self_loops, _cycles, _amounts, _core, _rules,
               _strict_corequisites, _level_profiles, _requires_clauses, _vocabulary,
               _lifecycle, _calendars, _intakes)
