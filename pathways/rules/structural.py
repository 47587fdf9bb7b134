"""Structural rules: what holds for a catalog under every framework (ids, edges, cycles,
bounds, texts, amounts, core, level profiles, vocabulary)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from pathways.catalog import (
    DELIVERY_MODES,
    KINDS,
    QUALIFICATION_TYPES,
    STATUSES,
    Credential,
    Provider,
)
from pathways.errors import Problem
from pathways.numbers import MAX_CREDITS, MAX_FEE, MAX_HOURS
from pathways.numbers import problem as number_problem
from pathways.rules.context import (
    _also,
    _Context,
    _edge,
    _err,
    _fmt,
    _warn,
    parse_date,
)
from pathways.rules.cycles import cycles
from pathways.rules.frameworks import FRAMEWORK_RULES
from pathways.safetext import bad_character

# -- structural rules (every framework) ------------------------------------------------------

def _framework_known(ctx: _Context) -> Iterator[Problem]:
    if not ctx.known_framework:
        yield _err(ctx.at(None), f"framework '{ctx.catalog.framework}' is not supported; use "
                   f"one of {', '.join(FRAMEWORK_RULES)}")
    for c in ctx.catalog.credentials:
        if c.framework is not None and c.framework not in FRAMEWORK_RULES:
            yield _err(ctx.at(c.source, "framework"), f"{c.id}: framework '{c.framework}' is "
                       f"not supported; use one of {', '.join(FRAMEWORK_RULES)}")


def _repeated(keys: Iterable[object]) -> set[int]:
    """The hashes of the keys that may come more than once (a sorted list of hashes: a
    tenth of the memory of a dict of millions of keys; colliding hashes are checked by
    the caller)."""
    hashes = sorted(map(hash, keys))
    return {h for h, after in zip(hashes, hashes[1:], strict=False) if h == after}


def _duplicate_ids(ctx: _Context, items: Sequence[Credential | Provider],
                   what: str) -> Iterator[Problem]:
    """Each credential or provider whose id an earlier one has, at its own place."""
    suspects = _repeated(x.id for x in items)
    first: dict[str, str] = {}
    for x in items:
        if hash(x.id) not in suspects:
            continue
        where = ctx.at(x.source)
        if x.id in first:
            yield _err(where, f"duplicate {what} id '{x.id}'{_also(first[x.id])}; "
                       f"give each {what} its own id")
        else:
            first[x.id] = where


def _duplicates(ctx: _Context) -> Iterator[Problem]:
    yield from _duplicate_ids(ctx, ctx.catalog.credentials, "credential")
    yield from _duplicate_ids(ctx, ctx.catalog.providers, "provider")
    edges = ctx.catalog.stacking
    suspects = _repeated((e.source, e.target) for e in edges)
    efirst: dict[tuple[str, str], str] = {}
    for e in edges:
        key = (e.source, e.target)
        if hash(key) not in suspects:
            continue
        where = ctx.at(e.where)
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
    """One cycle per strongly connected component of stacking + requirement edges (found
    on a compact form of the graph: a million credentials fit, see rules/cycles.py)."""
    for cycle in cycles(ctx.catalog):
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
    with_core = {c.id for c in ctx.catalog.credentials if c.core}
    sources = {(e.source, e.target) for e in ctx.catalog.stacking if e.target in with_core}
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
