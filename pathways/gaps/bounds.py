"""How much dearer a cheapest route gets without one credential, priced without solving.

The bottleneck check (:mod:`pathways.gaps.routed`) solves a qualification again without a
credential only when :func:`removal_bound` cannot show the increase is too small to report.
The bound prices one feasible route without the credential, built from the cheapest one;
the optimum without it is no dearer, so the bound is an upper bound on the increase.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pathways.catalog import Credential
from pathways.counting import whole_cost
from pathways.gaps.context import Context

__all__ = ["removal_bound"]


def removal_bound(ctx: Context, route: Any, c: str) -> float | None:
    """An upper bound on how much dearer ``route`` gets without ``c``, or None if unknown.

    It prices one route without c, built from this one. c is dropped, and so is every
    credential of the route that cannot be awarded without what is dropped (a core
    component dropped, or an entry requirement that nothing kept meets and no alternative
    with nothing to meet first can meet: where one can, the cheapest is taken instead).
    What was counted into a dropped credential stays, counted into nothing. Each kept
    credential v that a dropped one counted into studies the credits it lost, less those
    that credentials off the route (below no level of v's profile that the dropped ones
    were not all below, so the profile still holds) can count into v in their place, each
    taken while it saves more than it costs. No bound when the route's target is dropped,
    or a credential losing credits has programme rules or no study of its own.
    """
    by = ctx.options.by
    dropped = _dropped(ctx, route, c)
    if dropped is None:
        return None
    removed, taken, extra = dropped
    ids = set(route.credentials) - removed
    saved = 0.0
    lost: dict[str, list[Any]] = defaultdict(list)  # receiver -> the dropped steps into it
    for s in route.steps:
        if s.id in removed:
            saved += _cost(s, by)
            if s.counted_into is not None and s.counted_credits > 0 \
                    and s.counted_into not in removed:
                lost[s.counted_into].append(s)
    # The engine's totals are rounded (to cents): allow that much on every step.
    slack = 0.01 * (len(route.steps) + 2)
    used: set[str] = set(taken)
    study = 0.0
    for v in sorted(lost):
        got = _restudy(ctx, v, lost[v], ids, used)
        if got is None:
            return None
        study += got
    return max(0.0, extra + study - saved) + slack


def _dropped(ctx: Context, route: Any, c: str
             ) -> tuple[set[str], set[str], float] | None:
    """(the route's credentials dropped with c, the alternatives taken for entry
    requirements, what those cost), or None when the route's target is dropped."""
    removed = {c}
    while True:
        ids = set(route.credentials) - removed
        taken: set[str] = set()
        extra = 0.0
        more = None
        for s in route.steps:
            if s.id in removed:
                continue
            got = _meet(ctx, ctx.index[s.id], removed, ids, taken)
            if got is None:
                more = s.id
                break
            extra += got
        if more is None:
            return removed, taken, extra
        if more == route.target:
            return None
        removed.add(more)


def _meet(ctx: Context, cred: Credential, removed: set[str], ids: set[str],
          taken: set[str]) -> float | None:
    """What meeting ``cred``'s entry requirements costs once ``removed`` are gone (the
    cheapest ready alternative of each clause nothing kept meets, added to ``taken``), or
    None when it cannot be awarded (a core component gone, a clause with no alternative)."""
    if removed.intersection(cred.core):
        return None
    extra = 0.0
    for clause in cred.requirement_clauses:
        if ids.intersection(clause) or taken.intersection(clause):
            continue
        options = [a for a in clause if a not in removed and a in ctx.available
                   and _ready(ctx, a, ids)]
        if not options:
            return None
        by = ctx.options.by
        pick = min(options, key=lambda a: (_cost(ctx.index[a], by), a))
        taken.add(pick)
        extra += _cost(ctx.index[pick], by)
    return extra


def _restudy(ctx: Context, v: str, steps: list[Any], ids: set[str], used: set[str]
             ) -> float | None:
    """What ``v`` costs more when the dropped ``steps`` no longer count into it: it
    studies their credits, less what substitutes off the route (added to ``used``) count
    in their place at a saving. None when v has programme rules or no study of its own."""
    by = ctx.options.by
    cv = ctx.index[v]
    if cv.rules or not cv.effective_direct_study or not cv.credits:
        return None
    rate = _cost(cv, by) / cv.credits
    need = sum(s.counted_credits for s in steps)
    top = max(ctx.level(s.id, v) for s in steps)
    profile = [lv for lv, _m in cv.level_profile]
    offers = []
    for u, r in ctx.into.get(v, ()):
        if u in ids or u in used or u not in ctx.available or not _ready(ctx, u, ids):
            continue
        if any(s.id == u for s in steps):
            continue
        lu = ctx.level(u, v)
        if any(lu < lv <= top for lv in profile):
            continue  # u's credits would count below a level the dropped ones were not
        offers.append((min(r, ctx.index[u].credits), _cost(ctx.index[u], by), u))
    study = rate * need
    # Greedy: the substitute saving most first, while one still saves more than it costs.
    while need > 0 and offers:
        best = max(offers, key=lambda o: (rate * min(o[0], need) - o[1], o[2]))
        amount, cost = min(best[0], need), best[1]
        if rate * amount - cost <= 0:
            break
        offers.remove(best)
        used.add(best[2])
        study += cost - rate * amount
        need -= amount
    return study


def _ready(ctx: Context, cid: str, ids: set[str]) -> bool:
    """Whether cid can join a route of ``ids`` as it is: no core, requirements met."""
    c = ctx.index[cid]
    return not c.core and all(ids.intersection(cl) for cl in c.requirement_clauses)


def _cost(x: Any, by: str) -> float:
    """A step's or a whole credential's fee, hours or credits studied."""
    if isinstance(x, Credential):
        return whole_cost(x, by)
    return float(x.fee if by == "fee" else x.hours if by == "hours" else x.credits_studied)
