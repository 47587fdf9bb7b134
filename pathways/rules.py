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

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from functools import cache
from types import MappingProxyType

import networkx as nx

from pathways.catalog import (
    DELIVERY_MODES,
    HOURS_PER_CREDIT,
    KINDS,
    QUALIFICATION_TYPES,
    RULE_KINDS,
    STATUSES,
    Catalog,
    Credential,
    Stacking,
    find_cycle,
    is_half_multiple,
    to_graph,
)
from pathways.errors import CatalogError, Problem
from pathways.numbers import MAX_CREDITS, MAX_FEE, MAX_HOURS, grouped
from pathways.numbers import problem as number_problem
from pathways.safetext import bad_character

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
    "validate",
    "check",
]

ERROR = "error"
WARNING = "warning"

# A level profile as data: (level, minimum credits at that level or above); a minimum of
# None means "all of the credential's credits".
ProfileSpec = tuple[tuple[int, int | None], ...]


@dataclass(frozen=True)
class QualificationType:
    """One row of a framework's qualification-type table."""

    name: str
    levels: tuple[int, ...]  # the levels a qualification of this type may have
    min_credits: int
    # level -> the profile the framework describes for this type at that level; a default
    # that routes may use, never imposed by validation.
    profiles: Mapping[int, ProfileSpec] = dc_field(default_factory=dict)


def _types(*rows: QualificationType) -> Mapping[str, QualificationType]:
    return MappingProxyType({r.name: r for r in rows})


# nzqa.govt.nz, "Understanding the NZQF" type pages (see domain/nzqf.md); minimums only
# (a bachelor-honours may be 120 or 480 credits, a masters 120, 180 or 240).
NZQF_QUALIFICATION_TYPES: Mapping[str, QualificationType] = _types(
    QualificationType("certificate", (1, 2, 3, 4, 5, 6), 40,
                      {lv: ((lv, 40),) for lv in range(1, 7)}),
    QualificationType("diploma", (5, 6, 7), 120,
                      {5: ((4, None), (5, 72)), 6: ((5, None), (6, 72)), 7: ((7, 72),)}),
    QualificationType("graduate-certificate", (7,), 60),  # split unconfirmed
    QualificationType("graduate-diploma", (7,), 120, {7: ((7, 72),)}),
    QualificationType("bachelor", (7,), 360, {7: ((5, None), (7, 72))}),
    QualificationType("bachelor-honours", (8,), 120, {8: ((8, 120),)}),
    QualificationType("postgraduate-certificate", (8,), 60, {8: ((8, None),)}),
    QualificationType("postgraduate-diploma", (8,), 120, {8: ((7, None), (8, 72))}),
    QualificationType("masters", (9,), 120, {9: ((8, None), (9, 40))}),
    QualificationType("doctorate", (10,), 360, {10: ((10, None),)}),
)

# NZQA Qualification and Micro-credential Listing and Operational Rules 2022, rule 6.2.
NZQF_BANNED_TITLE_WORDS = (
    "New Zealand", "national", "diploma", "degree", "bachelor", "master", "doctor",
    "under-graduate", "post-graduate",
)


# AQF Second Edition (January 2013), see domain/nzqf.md: the levels of each type. Sizes
# are volumes of learning in years (AQF_VOLUMES), not credits: providers count credit in
# their own units, so a type has no credit minimum here.
AQF_QUALIFICATION_TYPES: Mapping[str, QualificationType] = _types(
    QualificationType("certificate-i", (1,), 0),
    QualificationType("certificate-ii", (2,), 0),
    QualificationType("certificate-iii", (3,), 0),
    QualificationType("certificate-iv", (4,), 0),
    QualificationType("diploma", (5,), 0),
    QualificationType("advanced-diploma", (6,), 0),
    QualificationType("associate-degree", (6,), 0),
    QualificationType("bachelor", (7,), 0),
    QualificationType("bachelor-honours", (8,), 0),
    QualificationType("graduate-certificate", (8,), 0),
    QualificationType("graduate-diploma", (8,), 0),
    QualificationType("masters", (9,), 0),
    QualificationType("doctorate", (10,), 0),
)

#: A full-time year of learning under the AQF, in hours.
AQF_HOURS_PER_YEAR = 1200

#: Each AQF type's typical volume of learning, (least, most) full-time years. Honours is
#: one year after a bachelor or four years embedded in one.
AQF_VOLUMES: Mapping[str, tuple[float, float]] = MappingProxyType({
    "certificate-i": (0.5, 1), "certificate-ii": (0.5, 1), "certificate-iii": (1, 2),
    "certificate-iv": (0.5, 2), "diploma": (1, 2), "advanced-diploma": (1.5, 2),
    "associate-degree": (2, 2), "bachelor": (3, 4), "bachelor-honours": (1, 4),
    "graduate-certificate": (0.5, 1), "graduate-diploma": (1, 2), "masters": (1, 2),
    "doctorate": (3, 4),
})

#: "Far outside" a volume of learning: under 1/FAR_OUTSIDE of its least or over
#: FAR_OUTSIDE times its most (a warning: the AQF allows providers some latitude).
FAR_OUTSIDE = 2

#: The vocational (VET) qualification types: packaged from units of competency as core
#: units plus groups of electives.
AQF_VET_TYPES = ("certificate-i", "certificate-ii", "certificate-iii", "certificate-iv",
                 "diploma", "advanced-diploma")


@dataclass(frozen=True)
class FrameworkRules:
    """The rules of one qualifications framework, as parameters of the shared checks.

    A framework whose rules do not fit these parameters adds functions to
    ``extra_checks``; each takes the validation context and yields problems.
    """

    name: str
    level_required: bool
    levels: tuple[int, int] = (1, 10)
    micro_credential_credits: tuple[int, int] | None = None
    min_qualification_credits: int | None = None
    qualification_types: Mapping[str, QualificationType] = dc_field(
        default_factory=lambda: MappingProxyType({}))
    banned_title_words: tuple[str, ...] = ()
    extra_checks: tuple[Callable[[_Context], Iterable[Problem]], ...] = ()
    # Whether recognition of prior learning may grant credit in its micro-credentials.
    micro_credential_rpl: bool = True


FRAMEWORK_RULES: Mapping[str, FrameworkRules] = MappingProxyType({
    "nzqf": FrameworkRules(
        name="nzqf", level_required=True, micro_credential_credits=(1, 40),
        min_qualification_credits=40, qualification_types=NZQF_QUALIFICATION_TYPES,
        banned_title_words=NZQF_BANNED_TITLE_WORDS),
    "nzqf-2018": FrameworkRules(
        name="nzqf-2018", level_required=True, micro_credential_credits=(5, 40),
        min_qualification_credits=40, qualification_types=NZQF_QUALIFICATION_TYPES,
        banned_title_words=NZQF_BANNED_TITLE_WORDS),
    "generic": FrameworkRules(name="generic", level_required=False),
    "aqf": FrameworkRules(
        name="aqf", level_required=True, qualification_types=AQF_QUALIFICATION_TYPES,
        extra_checks=(lambda ctx: _aqf_volumes(ctx), lambda ctx: _aqf_micro_credentials(ctx),
                      lambda ctx: _aqf_vet_packaging(ctx)),
        micro_credential_rpl=False),
})


def rpl_refusal(catalog: Catalog, cid: str) -> str | None:
    """Why recognition of prior learning cannot grant credit in credential ``cid`` under
    the framework it follows, or None when it can. The National Microcredentials
    Framework (Australia, 2022) gives no RPL for micro-credentials."""
    c = next((x for x in catalog.credentials if x.id == cid), None)
    if c is None or c.kind != "micro-credential":
        return None
    framework = catalog.framework_of(c)
    rules = FRAMEWORK_RULES.get(framework)
    if rules is None or rules.micro_credential_rpl:
        return None
    return (f"{cid} is an {framework.upper()} micro-credential: recognition of prior learning "
            "is not available for micro-credentials under Australia's National "
            "Microcredentials Framework; remove the grant (a learner who has the skills "
            "can hold it instead, with --have)")


def default_level_profile(qtype: str, level: int, credits: int,
                          framework: str = "nzqf") -> tuple[tuple[int, int], ...]:
    """The level profile a framework describes for a qualification type at a level.

    Returns sorted ``(level, minimum)`` pairs like ``Credential.level_profile``; empty when
    the framework states none (or does not know the type). Validation never imposes it.
    """
    rules = FRAMEWORK_RULES.get(framework)
    row = rules.qualification_types.get(qtype) if rules else None
    spec = row.profiles.get(level, ()) if row else ()
    return tuple(sorted((lv, credits if m is None else min(m, credits)) for lv, m in spec))


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

    def at(self, source: str | None, field: str | None = None) -> str:
        """``source`` (or the catalog's), with ``.field`` appended to a JSON path."""
        where = source or self.catalog.source or ""
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


# -- structural rules (every framework) ------------------------------------------------------

def _framework_known(ctx: _Context) -> Iterator[Problem]:
    if not ctx.known_framework:
        yield _err(ctx.at(None), f"framework '{ctx.catalog.framework}' is not supported; use "
                   f"one of {', '.join(FRAMEWORK_RULES)}")
    for c in ctx.catalog.credentials:
        if c.framework is not None and c.framework not in FRAMEWORK_RULES:
            yield _err(ctx.at(c.source, "framework"), f"{c.id}: framework '{c.framework}' is "
                       f"not supported; use one of {', '.join(FRAMEWORK_RULES)}")


def _duplicates(ctx: _Context) -> Iterator[Problem]:
    first: dict[str, str] = {}
    for c in ctx.catalog.credentials:
        where = ctx.at(c.source)
        if c.id in first:
            yield _err(where, f"duplicate credential id '{c.id}'{_also(first[c.id])}; "
                       "give each credential its own id")
        else:
            first[c.id] = where
    pfirst: dict[str, str] = {}
    for p in ctx.catalog.providers:
        where = ctx.at(p.source)
        if p.id in pfirst:
            yield _err(where, f"duplicate provider id '{p.id}'{_also(pfirst[p.id])}; "
                       "give each provider its own id")
        else:
            pfirst[p.id] = where
    efirst: dict[tuple[str, str], str] = {}
    for e in ctx.catalog.stacking:
        where = ctx.at(e.where)
        key = (e.source, e.target)
        if key in efirst:
            yield _err(where, f"{_edge(e)} is listed twice{_also(efirst[key])}; keep one")
        else:
            efirst[key] = where


def _unknown_ids(ctx: _Context) -> Iterator[Problem]:
    index = ctx.index
    for e in ctx.catalog.stacking:
        for cid in dict.fromkeys((e.source, e.target)):
            if cid not in index:
                yield _err(ctx.at(e.where), f"{_edge(e)} names unknown credential '{cid}'; "
                           "add it or fix the id")
    for c in ctx.catalog.credentials:
        for i, clause in enumerate(c.requires):
            for j, a in enumerate(clause):
                if a not in index:
                    yield _err(ctx.at(c.source, f"requires[{i}][{j}]"),
                               f"{c.id} requires unknown credential '{a}'; add it or fix the id")
        named = (("core", "core credential", c.core),
                 ("corequisites", "co-requisite", c.corequisites),
                 ("strict_corequisites", "strict co-requisite", c.strict_corequisites))
        for key, what, ids in named:
            for j, a in enumerate(ids):
                if a not in index:
                    yield _err(ctx.at(c.source, f"{key}[{j}]"),
                               f"{c.id}: {what} '{a}' is not in the catalog; add it or fix "
                               "the id")
        if c.provider is not None and c.provider not in ctx.provider_ids:
            yield _err(ctx.at(c.source, "provider"),
                       f"{c.id}: provider '{c.provider}' is not listed in providers; add it or "
                       "fix the id")


def _self_loops(ctx: _Context) -> Iterator[Problem]:
    for e in ctx.catalog.stacking:
        if e.source == e.target:
            yield _err(ctx.at(e.where), f"{_edge(e)} stacks {e.source} into itself; remove it")
    for c in ctx.catalog.credentials:
        for i, clause in enumerate(c.requires):
            for j, a in enumerate(clause):
                if a == c.id:
                    yield _err(ctx.at(c.source, f"requires[{i}][{j}]"),
                               f"{c.id} requires itself; remove '{a}' from its requires")
        for key, what, ids in (("corequisites", "co-requisite", c.corequisites),
                               ("strict_corequisites", "strict co-requisite",
                                c.strict_corequisites)):
            for j, a in enumerate(ids):
                if a == c.id:
                    yield _err(ctx.at(c.source, f"{key}[{j}]"),
                               f"{c.id} is its own {what}; remove it")


def _cycles(ctx: _Context) -> Iterator[Problem]:
    """One cycle per strongly connected component of stacking + requirement edges."""
    graph = to_graph(ctx.catalog)
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))  # reported by _self_loops
    components = [sorted(s) for s in nx.strongly_connected_components(graph) if len(s) > 1]
    for members in sorted(components):
        cycle = find_cycle(graph.subgraph(members)) or members
        path = " -> ".join([*cycle, cycle[0]])
        yield _err(ctx.at(ctx.index[cycle[0]].source),
                   f"cycle {path} through stacking and entry requirements; remove one of its "
                   "edges")


#: The largest term number a curriculum may give (a term is a semester or a quarter).
MAX_TERM = 100


def _bounds(ctx: _Context) -> Iterator[Problem]:
    """Every number finite and within the bounds of :mod:`pathways.numbers`, so nothing
    computed from a valid catalog overflows a database column, a date or the solver.
    Below-zero values have their own messages in :func:`_amounts`."""
    def over(value: float | None, what: str, high: float, integer: bool) -> str | None:
        if value is None or (value == value and value <= high and value > -float("inf")):
            return None  # nan fails value == value; small or negative: _amounts' business
        return number_problem(value, what, high=high, integer=integer)

    for c in ctx.catalog.credentials:
        checks = (("credits", c.credits, MAX_CREDITS, True),
                  ("max_recognised", c.max_recognised, MAX_CREDITS, True),
                  ("fee", c.fee, MAX_FEE, False), ("hours", c.hours, MAX_HOURS, False),
                  ("term", c.term, MAX_TERM, True))
        for key, value, high, integer in checks:
            message = over(value, f"{key} of {c.id}", high, integer)
            if message:
                yield _err(ctx.at(c.source, key), message)
        for lv, minimum in c.level_profile:
            message = over(minimum, f"level {lv} minimum of {c.id}", MAX_CREDITS, True)
            if message:
                yield _err(ctx.at(c.source, "level_profile"), message)
        for i, r in enumerate(c.rules):
            message = over(r.amount, f"rule {i + 1} of {c.id}", MAX_CREDITS, True)
            if message:
                yield _err(ctx.at(c.source, f"rules[{i}]"), message)
    for e in ctx.catalog.stacking:
        message = over(e.credits, f"credits of {_edge(e)}", MAX_CREDITS, True)
        if message:
            yield _err(ctx.at(e.where, "credits"), message)


def _texts(ctx: _Context) -> Iterator[Problem]:
    """Ids, titles, names, fields and skills are valid Unicode without control characters
    (a lone surrogate cannot be written as UTF-8; NUL breaks SVG; ESC drives terminals)."""
    def bad(values: Iterable[tuple[str, str | None]], where: str,
            whose: str) -> Iterator[Problem]:
        for key, value in values:
            found = bad_character(value) if value else None
            if found:
                yield _err(where, f"{whose}{key} contains {found}; remove it")

    catalog = ctx.catalog
    top = [("name", catalog.name)]
    top += [(f"meta key {k!r}", k) for k in catalog.meta]
    top += [(f"meta {k!r}", v) for k, v in catalog.meta.items()]
    yield from bad(top, ctx.at(None), "the catalog's ")
    for p in catalog.providers:
        yield from bad([("id", p.id), ("name", p.name)], ctx.at(p.source),
                       f"provider {p.id!r}: ")
    for c in catalog.credentials:
        fields = [("id", c.id), ("title", c.title), ("provider", c.provider),
                  ("field", c.field)]
        fields += [("skill", x) for x in c.skills]
        fields += [("entry requirement", x) for clause in c.requires for x in clause]
        fields += [("core id", x) for x in c.core]
        fields += [("rule id", x) for r in c.rules for x in r.ids]
        fields += [("rule name", r.name) for r in c.rules]
        fields += [("code", c.code)]
        fields += [("co-requisite", x) for x in (*c.corequisites, *c.strict_corequisites)]
        yield from bad(fields, ctx.at(c.source), f"{c.id}: ")
    for e in catalog.stacking:
        yield from bad([("source id", e.source), ("target id", e.target)], ctx.at(e.where),
                       f"{_edge(e)}: ")


def _amounts(ctx: _Context) -> Iterator[Problem]:
    """Credits, caps, fees and hours in range."""
    for c in ctx.catalog.credentials:
        least = 0 if c.kind == "course" else 1
        if c.credits < least:
            yield _err(ctx.at(c.source, "credits"),
                       f"{c.id}: credits must be at least {least} (got {c.credits}); fix the "
                       "credits")
        if c.max_recognised is not None:
            if c.max_recognised < 0:
                yield _err(ctx.at(c.source, "max_recognised"),
                           f"{c.id}: max_recognised must not be negative (got "
                           f"{c.max_recognised}); use 0 or more")
            elif c.max_recognised > c.credits:
                yield _warn(ctx.at(c.source, "max_recognised"),
                            f"{c.id}: max_recognised {c.max_recognised} is above its "
                            f"{c.credits} credits, so only {c.credits} can count; lower it "
                            "or fix the credits")
        for key, value in (("fee", c.fee), ("hours", c.hours)):
            if value is not None and value < 0:
                yield _err(ctx.at(c.source, key),
                           f"{c.id}: {key} must not be negative (got {_fmt(value)}); fix the "
                           f"{key}")
    for e in ctx.catalog.stacking:
        src = ctx.index.get(e.source)
        if e.credits < 1:
            yield _err(ctx.at(e.where, "credits"),
                       f"{_edge(e)} recognises {e.credits} credits; it must recognise at "
                       "least 1")
        elif src is not None and e.credits > src.credits:
            yield _err(ctx.at(e.where, "credits"),
                       f"{_edge(e)} recognises {e.credits} credits but {src.id} has only "
                       f"{src.credits}; lower it to at most {src.credits}")


def _core(ctx: _Context) -> Iterator[Problem]:
    sources = {(e.source, e.target) for e in ctx.catalog.stacking}
    for c in ctx.catalog.credentials:
        for j, a in enumerate(c.core):
            if a in ctx.index and (a, c.id) not in sources:
                yield _err(ctx.at(c.source, f"core[{j}]"),
                           f"{c.id}: core credential '{a}' does not stack into {c.id}; add a "
                           f"stacking edge {a} -> {c.id} or remove it from core")


def _level_profiles(ctx: _Context) -> Iterator[Problem]:
    for c in ctx.catalog.credentials:
        low, high = ctx.rules_of(c).levels
        where = ctx.at(c.source, "level_profile")
        for lv, minimum in c.level_profile:
            if not low <= lv <= high:
                yield _err(where, f"{c.id}: level profile names level {lv}, outside "
                           f"{low}-{high}; use a level from {low} to {high}")
            elif c.level is not None and lv > c.level:
                yield _err(where, f"{c.id}: level profile asks for credits at level {lv}, "
                           f"above its own level {c.level}; use a level of at most {c.level}")
            if minimum < 0:
                yield _err(where, f"{c.id}: level profile minimum for level {lv} is negative "
                           f"({minimum}); use 0 or more")
            elif minimum > c.credits:
                yield _err(where, f"{c.id}: level profile asks for {minimum} credits at level "
                           f"{lv} or above but {c.id} has only {c.credits}; lower the minimum")


def _requires_clauses(ctx: _Context) -> Iterator[Problem]:
    for c in ctx.catalog.credentials:
        for i, clause in enumerate(c.requires):
            if not clause:
                yield _err(ctx.at(c.source, f"requires[{i}]"),
                           f"{c.id}: requires clause {i + 1} is empty; list at least one "
                           "alternative or remove it")


def _vocabulary(ctx: _Context) -> Iterator[Problem]:
    """Kinds, types, statuses, delivery modes and dates the format allows."""
    for c in ctx.catalog.credentials:
        types = ctx.rules_of(c).qualification_types or dict.fromkeys(QUALIFICATION_TYPES)
        if c.kind not in KINDS:
            yield _err(ctx.at(c.source, "kind"), f"{c.id}: kind '{c.kind}' is unknown; use "
                       f"one of {', '.join(KINDS)}")
        if c.type is not None:
            if c.type not in types:
                yield _err(ctx.at(c.source, "type"), f"{c.id}: qualification type "
                           f"'{c.type}' is unknown; use one of {', '.join(types)}")
            elif c.kind in KINDS and c.kind != "qualification":
                yield _warn(ctx.at(c.source, "type"), f"{c.id}: type '{c.type}' applies to "
                            f"qualifications only, not a {c.kind}; remove it or fix the kind")
        if c.status is not None and c.status not in STATUSES:
            yield _err(ctx.at(c.source, "status"), f"{c.id}: status '{c.status}' is unknown; "
                       f"use one of {', '.join(STATUSES)}")
        for j, mode in enumerate(c.delivery):
            if mode not in DELIVERY_MODES:
                yield _err(ctx.at(c.source, f"delivery[{j}]"), f"{c.id}: delivery mode "
                           f"'{mode}' is unknown; use any of {', '.join(DELIVERY_MODES)}")
        if c.review_due is not None and parse_date(c.review_due) is None:
            yield _err(ctx.at(c.source, "review_due"), f"{c.id}: review_due "
                       f"'{c.review_due}' is not a date; write it as YYYY-MM-DD")


def parse_date(text: str) -> date | None:
    """A YYYY-MM-DD date (exactly that form), or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _lifecycle(ctx: _Context) -> Iterator[Problem]:
    """Warnings: reviews overdue, current credentials stacking into discontinued ones."""
    for c in ctx.catalog.credentials:
        due = parse_date(c.review_due) if c.review_due else None
        if due is not None and due < ctx.today:
            yield _warn(ctx.at(c.source, "review_due"), f"{c.id}: review was due "
                        f"{c.review_due}; review it and update review_due")
    for e in ctx.catalog.stacking:
        src, dst = ctx.index.get(e.source), ctx.index.get(e.target)
        if (src is not None and dst is not None and dst.effective_status == "discontinued"
                and src.effective_status != "discontinued"):
            yield _warn(ctx.at(e.where), f"{_edge(e)} leads into discontinued {dst.id}; "
                        "remove the edge or point it at its replacement")


def _notices(ctx: _Context) -> Iterator[Problem]:
    """What the reader noticed (an unknown CurricularAnalytics System Type)."""
    yield from ctx.catalog.notices


def _halves(ctx: _Context) -> Iterator[Problem]:
    """Credit figures are multiples of 0.5 (semantics.md section 1)."""
    def bad(value: float | None) -> bool:
        return (value is not None and isinstance(value, int | float)
                and value == value and abs(value) != float("inf") and not is_half_multiple(value))

    def message(what: str, value: float) -> str:
        return (f"{what}: {value:g} is not a multiple of 0.5; use whole or half credits "
                "such as 7 or 7.5")

    for c in ctx.catalog.credentials:
        for key, value in (("credits", c.credits), ("max_recognised", c.max_recognised)):
            if bad(value):
                yield _err(ctx.at(c.source, key), message(f"{key} of {c.id}", value))
        for lv, minimum in c.level_profile:
            if bad(minimum):
                yield _err(ctx.at(c.source, "level_profile"),
                           message(f"level {lv} minimum of {c.id}", minimum))
        for i, r in enumerate(c.rules):
            if r.counts_credits and bad(r.amount):
                yield _err(ctx.at(c.source, f"rules[{i}]"),
                           message(f"rule {i + 1} of {c.id} ({r.kind})", r.amount))
    for e in ctx.catalog.stacking:
        if bad(e.credits):
            yield _err(ctx.at(e.where, "credits"), message(f"credits of {_edge(e)}", e.credits))


def _offer(ctx: _Context, c: Credential, ids: Iterable[str],
           into: dict[str, float]) -> float:
    """Most credits the sources ``ids`` can count into ``c`` together: their stacking
    credits, within c's cap, its credits and its level profile (the one counting rule,
    :func:`pathways.counting.count_credits`, levels as ``source_level`` reads them)."""
    from pathways.counting import UNKNOWN_LEVEL, count_credits, source_level

    def level(u: str) -> int:
        known = ctx.index.get(u)
        return source_level(known, c) if known is not None else UNKNOWN_LEVEL

    offers = [(u, into[u]) for u in sorted(set(ids)) if u in into]
    return sum(count_credits(c, offers, level).values())


def _rules(ctx: _Context) -> Iterator[Problem]:
    """Programme rules name sources of their credential and can be met; a credential
    without study of its own can be filled from its sources; a core source that can
    count nothing is a warning."""
    into: dict[str, dict[str, float]] = {}
    for e in ctx.catalog.stacking:
        into.setdefault(e.target, {})[e.source] = e.credits
    for c in ctx.catalog.credentials:
        sources = into.get(c.id, {})
        core = set(c.core)
        for i, r in enumerate(c.rules):
            where = ctx.at(c.source, f"rules[{i}]")
            what = f"{c.id}: rule {i + 1} ({r.describe()})"
            if r.kind not in RULE_KINDS:
                yield _err(where, f"{what}: unknown rule kind '{r.kind}'; use one of "
                           f"{', '.join(RULE_KINDS)}")
                continue
            if not r.ids:
                yield _err(where, f"{what} lists no credentials; list its sources or remove it")
                continue
            if len(set(r.ids)) < len(r.ids):
                twice = sorted({a for a in r.ids if r.ids.count(a) > 1})
                yield _err(where, f"{what} lists {', '.join(twice)} more than once; list each "
                           "once")
            for a in dict.fromkeys(r.ids):
                if a not in ctx.index:
                    yield _err(where, f"{what} names '{a}', which is not in the catalog; add "
                               "it or fix the id")
                elif a not in sources:
                    yield _err(where, f"{what} names '{a}', which does not stack into {c.id}; "
                               f"add a stacking edge {a} -> {c.id} or remove it from the rule")
            if r.amount < 0:
                yield _err(where, f"{what} asks for a negative amount; use 0 or more")
                continue
            n = len(set(r.ids))
            if r.kind == "min" and r.amount > n:
                yield _err(where, f"{what} asks for {r.amount} of a list of {n}; lower it to at "
                           f"most {n} or add to the list")
            elif r.kind == "max" and len(core & set(r.ids)) > r.amount:
                forced = sorted(core & set(r.ids))
                yield _err(where, f"{what} allows at most {r.amount} but {len(forced)} of them "
                           f"are core ({', '.join(forced)}); raise it or change the core list")
            elif r.kind == "min_credits":
                most = _offer(ctx, c, r.ids, sources)
                if r.amount > most:
                    yield _err(where, f"{what} asks for {_fmt(r.amount)} credits but the list "
                               f"can count at most {_fmt(most)} into {c.id} (stacking credits, "
                               "cap and level profile); lower it or add to the list")
        if not c.effective_direct_study:
            most = _offer(ctx, c, sources, sources)
            if most < c.credits:
                yield _err(ctx.at(c.source, "direct_study"),
                           f"{c.id} has no study of its own (direct_study: false) but its "
                           f"sources can count at most {_fmt(most)} of its {_fmt(c.credits)} "
                           "credits; add sources, raise their credits or max_recognised, or "
                           "allow direct study")
        for j, k in enumerate(c.core):
            if k in sources and _offer(ctx, c, [k], sources) <= 0:
                yield _warn(ctx.at(c.source, f"core[{j}]"),
                            f"{c.id}: core credential '{k}' can count no credits into {c.id} "
                            "(its cap or level profile leaves no room for it) yet must be "
                            "counted into it; it is still required and studied in full — check "
                            "the cap, the level profile or the core list")


def _strict_corequisites(ctx: _Context) -> Iterator[Problem]:
    """Strict co-requisites are taken in the same term, co-requisites no later, entry
    requirements earlier: a cycle through those with an earlier-than step cannot be met
    (CurricularAnalytics rejects such a curriculum)."""
    if not any(c.strict_corequisites for c in ctx.catalog.credentials):
        return
    graph: nx.DiGraph = nx.DiGraph()
    strict_pairs = []
    for c in ctx.catalog.credentials:
        for a in c.strict_corequisites:
            if a in ctx.index and a != c.id:
                graph.add_edge(a, c.id)
                graph.add_edge(c.id, a)
                strict_pairs.append((a, c.id))
        for a in c.corequisites:
            if a in ctx.index and a != c.id:
                graph.add_edge(a, c.id)
    before: list[tuple[str, str]] = []
    for c in ctx.catalog.credentials:
        for clause in c.requires:
            for a in clause:
                if a in ctx.index and a != c.id:
                    graph.add_edge(a, c.id)
                    before.append((a, c.id))
    for e in ctx.catalog.stacking:
        if e.source in ctx.index and e.target in ctx.index and e.source != e.target:
            graph.add_edge(e.source, e.target)
            before.append((e.source, e.target))
    component = {}
    for i, members in enumerate(nx.strongly_connected_components(graph)):
        for m in members:
            component[m] = i
    seen: set[int] = set()
    for a, b in sorted(before):
        k = component.get(a)
        if k is None or k != component.get(b) or k in seen:
            continue
        seen.add(k)
        members = sorted((m for m in component if component[m] == k), key=_natural)
        pairs = sorted(f"{x} with {y}" for x, y in strict_pairs
                       if component[x] == k and component[y] == k)
        yield _err(ctx.at(ctx.index[b].source),
                   f"strict co-requisites cannot all be met: {', '.join(members)} — "
                   f"{'; '.join(pairs)} in the same term, yet {a} must come before {b}; "
                   "remove a strict co-requisite or a prerequisite")


_STRUCTURAL = (_framework_known, _notices, _texts, _bounds, _halves, _duplicates,
               _unknown_ids, _self_loops, _cycles, _amounts, _core, _rules,
               _strict_corequisites, _level_profiles, _requires_clauses, _vocabulary,
               _lifecycle)


# -- framework rules (parametrised by FrameworkRules) ---------------------------------------

def _levels(ctx: _Context) -> Iterator[Problem]:
    for c in ctx.catalog.credentials:
        rules = ctx.rules_of(c)
        low, high = rules.levels
        if c.level is None:
            if rules.level_required:
                yield _err(ctx.at(c.source), f"{c.id}: level is required under the "
                           f"{rules.name} framework; add a level from {low} to {high}")
        elif not low <= c.level <= high:
            yield _err(ctx.at(c.source, "level"), f"{c.id}: level {c.level} is outside "
                       f"{low}-{high}; use a level from {low} to {high}")


def _credit_ranges(ctx: _Context) -> Iterator[Problem]:
    """NZQF credit sizes. In a catalog counting in another credit unit, a credential's
    credits are first converted to NZQF credits of 10 hours (the unit's hours / 10 each)."""
    unit = ctx.catalog.credit_unit
    for c in ctx.catalog.credentials:
        rules = ctx.rules_of(c)
        where = ctx.at(c.source, "credits")
        credits = c.credits
        got = f"{c.credits}"
        if unit is not None and unit.hours != HOURS_PER_CREDIT:
            credits = c.credits * unit.hours / HOURS_PER_CREDIT
            got = f"{_fmt(c.credits)} {unit.name}s = {_fmt(credits)} NZQF credits"
        if c.kind == "micro-credential" and rules.micro_credential_credits and c.credits >= 1:
            low, high = rules.micro_credential_credits
            if not low <= credits <= high:
                fix = (f"raise its credits to {low}" if credits < low
                       else "lower its credits or make it a qualification")
                yield _err(where, f"{c.id}: a micro-credential has {low}-{high} credits under "
                           f"{rules.name} (got {got}); {fix}")
        if c.kind != "qualification":
            continue
        least = rules.min_qualification_credits
        if least is not None and c.credits >= 1 and credits < least:
            yield _err(where, f"{c.id}: a qualification has at least {least} credits under "
                       f"{rules.name} (got {got}); fix the credits or make it a "
                       "micro-credential")
            continue
        row = rules.qualification_types.get(c.type or "")
        if row is not None and c.credits >= 1 and credits < row.min_credits:
            yield _err(where, f"{c.id}: a {row.name} has at least {row.min_credits} credits "
                       f"(got {got}); fix the credits or the type")


def _qualification_types(ctx: _Context) -> Iterator[Problem]:
    for c in ctx.catalog.credentials:
        rules = ctx.rules_of(c)
        types = rules.qualification_types
        if not types or c.kind != "qualification":
            continue
        if c.type is None:
            yield _warn(ctx.at(c.source), f"{c.id}: qualification has no type; add one "
                        f"({', '.join(types)}) so its level and credits can be checked")
            continue
        row = types.get(c.type)
        if row is not None and c.level is not None and c.level not in row.levels:
            span = (f"level {row.levels[0]}" if len(row.levels) == 1
                    else f"levels {row.levels[0]}-{row.levels[-1]}")
            yield _err(ctx.at(c.source, "level"), f"{c.id}: a {row.name} is at {span} under "
                       f"{rules.name} (got level {c.level}); fix the level or the type")


def _titles(ctx: _Context) -> Iterator[Problem]:
    """NZQA rule 6.2: banned words in micro-credential titles, whole words, any case."""
    for c in ctx.catalog.credentials:
        words = ctx.rules_of(c).banned_title_words
        if not words or c.kind != "micro-credential":
            continue
        for word in words:
            found = _banned_pattern(word).search(c.title)
            if found:
                yield _err(ctx.at(c.source, "title"), f"{c.id}: a micro-credential title must "
                           f"not contain '{word}' (NZQA rule 6.2; found '{found.group(0)}'); "
                           "reword the title")


@cache
def _banned_pattern(word: str) -> re.Pattern[str]:
    """``word`` as a whole word in any case, with its plural, possessive and -ate/-al forms
    (Masters, Master's, masterate, doctoral) and any hyphen or space written as either or
    left out (postgraduate); not inside other words (International, Masterclass)."""
    body = r"[-\s]?".join(r"\s+".join(re.escape(p) for p in part.split())
                          for part in word.split("-"))
    return re.compile(rf"\b{body}(?:s|['’]s|ates?|al)?\b", re.IGNORECASE)


_FRAMEWORK = (_levels, _credit_ranges, _qualification_types, _titles)


# -- the AQF's own rules (extra_checks of "aqf") ------------------------------------------

def _a(word: str) -> str:
    """``word`` after its indefinite article: "an associate-degree", "a masters"."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _hours(x: float) -> str:
    return grouped(x)


def _aqf_volumes(ctx: _Context) -> Iterator[Problem]:
    """A qualification's hours far outside its type's volume of learning (a warning)."""
    for c in ctx.catalog.credentials:
        if c.kind != "qualification" or not ctx.follows(c, "aqf"):
            continue
        years = AQF_VOLUMES.get(c.type or "")
        if years is None or not 0 < c.effective_hours < float("inf"):
            continue
        least, most = (y * AQF_HOURS_PER_YEAR for y in years)
        hours = c.effective_hours
        if least / FAR_OUTSIDE <= hours <= most * FAR_OUTSIDE:
            continue
        span = f"{_fmt(years[0])}-{_fmt(years[1])}" if years[0] != years[1] \
            else _fmt(years[0])
        side = (f"under half of the least ({_hours(least)} hours)" if hours < least
                else f"over {FAR_OUTSIDE} times the most ({_hours(most)} hours)")
        yield _warn(ctx.at(c.source, "hours" if c.hours is not None else "credits"),
                    f"{c.id}: {_a(c.type or '')} is {span} years of learning under the AQF "
                    f"({AQF_HOURS_PER_YEAR:,} hours a year), but its {_hours(hours)} hours are "
                    f"{side}; check its credits, hours or type")


def _aqf_micro_credentials(ctx: _Context) -> Iterator[Problem]:
    """National Microcredentials Framework: at least 1 hour of learning, and smaller than
    the smallest award (qualification) it stacks into, directly or through others."""
    into: dict[str, list[str]] = {}
    for e in ctx.catalog.stacking:
        into.setdefault(e.source, []).append(e.target)
    for c in ctx.catalog.credentials:
        if c.kind != "micro-credential" or not ctx.follows(c, "aqf"):
            continue
        hours = c.effective_hours
        if hours < 1:
            yield _err(ctx.at(c.source, "hours" if c.hours is not None else "credits"),
                       f"{c.id}: an AQF micro-credential is at least 1 hour of learning "
                       f"(National Microcredentials Framework; got {_fmt(hours)}); raise its "
                       "hours or credits")
        seen: set[str] = set()
        todo = list(into.get(c.id, ()))
        awards: list[Credential] = []
        while todo:
            v = todo.pop()
            if v in seen or v not in ctx.index:
                continue
            seen.add(v)
            if ctx.index[v].kind == "qualification":
                awards.append(ctx.index[v])
            todo.extend(into.get(v, ()))
        if not awards:
            continue
        smallest = min(awards, key=lambda a: (a.effective_hours, a.id))
        if hours >= smallest.effective_hours:
            yield _err(ctx.at(c.source, "hours" if c.hours is not None else "credits"),
                       f"{c.id}: an AQF micro-credential is smaller than the awards it stacks "
                       f"into, but its {_hours(hours)} hours are not less than the "
                       f"{_hours(smallest.effective_hours)} of {smallest.id}; make it smaller "
                       "or make it a qualification")


def _aqf_vet_packaging(ctx: _Context) -> Iterator[Problem]:
    """A VET qualification made of units is packaged as core units plus elective groups:
    one with units stacking into it but neither core nor rules is a warning."""
    units: dict[str, list[str]] = {}
    for e in ctx.catalog.stacking:
        src = ctx.index.get(e.source)
        if src is not None and src.kind == "course":
            units.setdefault(e.target, []).append(e.source)
    for c in ctx.catalog.credentials:
        if (c.kind != "qualification" or c.type not in AQF_VET_TYPES
                or not ctx.follows(c, "aqf") or c.id not in units or c.core or c.rules):
            continue
        yield _warn(ctx.at(c.source), f"{c.id}: a VET {c.type} is packaged as core units "
                    f"plus elective groups, but the {len(set(units[c.id]))} units stacking "
                    "into it have neither core nor rules; list its core units in core and "
                    'each elective group as a rule, e.g. {"min": 3, "of": [...], "name": '
                    '"Group A electives"}')
