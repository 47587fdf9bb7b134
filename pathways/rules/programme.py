"""Rules of a credential's life and make-up: review dates, notices, half credits,
programme rules (min/max of a list) and strict co-requisites."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeGuard

from pathways.catalog import (
    RULE_KINDS,
    Credential,
    Credits,
    is_half_multiple,
)
from pathways.errors import Problem
from pathways.rules.context import (
    _Context,
    _edge,
    _err,
    _fmt,
    _natural,
    _warn,
    parse_date,
)
from pathways.rules.cycles import _adjacency, _components


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
    def bad(value: float | None) -> TypeGuard[float]:
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
           into: dict[str, Credits]) -> Credits:
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
    into: dict[str, dict[str, Credits]] = {}
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
    edges: list[tuple[str, str]] = []
    strict_pairs = []
    for c in ctx.catalog.credentials:
        for a in c.strict_corequisites:
            if a in ctx.index and a != c.id:
                edges += [(a, c.id), (c.id, a)]
                strict_pairs.append((a, c.id))
        for a in c.corequisites:
            if a in ctx.index and a != c.id:
                edges.append((a, c.id))
    before: list[tuple[str, str]] = []
    for c in ctx.catalog.credentials:
        for clause in c.requires:
            for a in clause:
                if a in ctx.index and a != c.id:
                    edges.append((a, c.id))
                    before.append((a, c.id))
    for e in ctx.catalog.stacking:
        if e.source in ctx.index and e.target in ctx.index and e.source != e.target:
            edges.append((e.source, e.target))
            before.append((e.source, e.target))
    component = _cycle_components(edges)
    seen: set[int] = set()
    for a, b in sorted(before):
        k = component.get(a)
        if k is None or k != component.get(b) or k in seen:
            continue
        seen.add(k)
        members = sorted((m for m in component if component[m] == k), key=_natural)
        pairs = sorted(f"{x} with {y}" for x, y in strict_pairs
                       if component.get(x) == k and component.get(y) == k)
        yield _err(ctx.at(ctx.index[b].source),
                   f"strict co-requisites cannot all be met: {', '.join(members)} — "
                   f"{'; '.join(pairs)} in the same term, yet {a} must come before {b}; "
                   "remove a strict co-requisite or a prerequisite")


def _cycle_components(edges: list[tuple[str, str]]) -> dict[str, int]:
    """Each id on a cycle of ``edges`` -> its strongly connected component (the ones of
    more than one id; by the cycle check's own Tarjan, so no graph library is needed)."""
    number: dict[str, int] = {}
    for a, b in edges:
        number.setdefault(a, len(number))
        number.setdefault(b, len(number))
    n = len(number)
    starts, targets = _adjacency(n, iter([(number[a], number[b]) for a, b in edges]))
    ids = list(number)
    return {ids[m]: k for k, members in enumerate(_components(n, starts, targets))
            for m in members}
