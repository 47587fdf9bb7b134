"""How much dearer a cheapest route gets without one credential, priced without solving.

The bottleneck check (:mod:`pathways.gaps.routed`) solves a qualification again without a
credential only when :func:`removal_bound` cannot show the increase is too small to report.
The bound prices one feasible route without the credential, built from the cheapest one;
the optimum without it is no dearer, so the bound is an upper bound on the increase.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from pathways.catalog import Credential
from pathways.counting import whole_cost
from pathways.gaps.context import Context

__all__ = ["leaf_bound", "removal_bound"]


class Needed:
    """What a route's steps name: the ids in their entry requirement clauses and core
    components (worked out once per route, for :func:`leaf_bound`), and its steps by id."""

    def __init__(self, ctx: Context, route: Any) -> None:
        self.steps = {s.id: s for s in route.steps}
        self.named: set[str] = set()
        for s in route.steps:
            c = ctx.index[s.id]
            self.named.update(c.core)
            for clause in ctx.edges.clauses.get(s.id, ()):
                self.named.update(clause)


def leaf_bound(ctx: Context, route: Any, c: str, needed: Needed) -> float | None:
    """A looser, cheaper upper bound than :func:`removal_bound` (never below it), or None.

    When no step of the route names c (as an entry requirement or core component) and c
    counts into a step v with study of its own and no programme rules, dropping c drops
    nothing else, and v studying the credits c counted is a route without c: the increase
    is at most v's price of those credits less c's own price. (:func:`removal_bound` prices
    the same route, taking substitutes only where they save.)
    """
    step = needed.steps.get(c)
    if step is None or c in needed.named or step.counted_into is None:
        return None
    cv = ctx.index[step.counted_into]
    if cv.rules or not cv.effective_direct_study or not cv.credits:
        return None
    by = ctx.options.by
    rate = _cost(cv, by) / cv.credits
    slack = 0.01 * (len(route.steps) + 2)  # as removal_bound allows for rounding
    return max(0.0, rate * step.counted_credits - _cost(step, by)) + slack


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
    taken while it saves more than it costs (a credential without study of its own takes
    substitutes for all of them, else gets no bound), none past what v's "at most" rules
    leave. No bound when the route's target is dropped, or v's "at least" rules do not
    hold with what is kept (a dropped credential counted into v with no credits still
    counts for them), or v has programme rules and a credential of the route that stacks
    into v shows no link (an entry requirement whose link into v the steps do not show:
    its part in v's rules is unknown).
    """
    by = ctx.options.by
    dropped = _dropped(ctx, route, c)
    if dropped is None:
        return None
    removed, taken, extra = dropped
    ids = set(route.credentials) - removed
    saved = 0.0
    lost: dict[str, list[Any]] = defaultdict(list)  # receiver -> the dropped steps into it
    kept: dict[str, dict[str, float]] = defaultdict(dict)  # receiver -> kept source: credits
    unlinked = {s.id for s in route.steps if s.counted_into is None and s.id != route.target}
    for s in route.steps:
        if s.id in removed:
            saved += _cost(s, by)
            if s.counted_into is not None and s.counted_into not in removed:
                lost[s.counted_into].append(s)
        elif s.counted_into is not None:
            kept[s.counted_into][s.id] = s.counted_credits
    if _hidden_in_rules(ctx, ids, unlinked):
        return None
    # The engine's totals are rounded (to cents): allow that much on every step.
    slack = 0.01 * (len(route.steps) + 2)
    used: set[str] = set(taken) | removed  # (never a dropped credential as a substitute)
    study = 0.0
    for v in sorted(lost):
        got = _restudy(ctx, v, lost[v], kept[v], ids, used)
        if got is None:
            return None
        study += got
    return max(0.0, extra + study - saved) + slack


def _hidden_in_rules(ctx: Context, ids: set[str], unlinked: set[str]) -> bool:
    """Whether a credential of the route with programme rules has a source on the route
    whose link the steps do not show (an entry requirement that may also count into it,
    with no credits, for its rules)."""
    for u in unlinked:
        for v, _r in ctx.out.get(u, ()):
            if v in ids and ctx.index[v].rules:
                return True
    return False


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
    for clause in ctx.edges.clauses.get(cred.id, ()):
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


def _restudy(ctx: Context, v: str, steps: list[Any], kept: dict[str, float], ids: set[str],
             used: set[str]) -> float | None:
    """What ``v`` costs more when the dropped ``steps`` no longer count into it: it
    studies their credits, less what substitutes off the route (added to ``used``) count
    in their place at a saving. None when v's "at least" rules fail with ``kept`` (its
    kept sources), or v has no study of its own and substitutes cannot count it all."""
    by = ctx.options.by
    cv = ctx.index[v]
    gone = {s.id for s in steps}
    if not cv.credits or not _rules_hold(cv, kept):
        return None
    room = _Room(cv, kept)
    # (without study of its own, v can only take substitutes)
    rate = _cost(cv, by) / cv.credits if cv.effective_direct_study else math.inf
    need = sum(s.counted_credits for s in steps)
    top = max(ctx.level(s.id, v) for s in steps)
    profile = [lv for lv, _m in cv.level_profile]
    offers = []
    for u, amount, cost, lu, clauses in _substitutes(ctx, v):
        if u in ids or u in used or u in gone:
            continue
        if clauses and not all(ids.intersection(cl) for cl in clauses):
            continue  # not ready: an entry requirement the route does not meet
        if any(lu < lv <= top for lv in profile):
            continue  # u's credits would count below a level the dropped ones were not
        offers.append((amount, cost, u))
    offers = [o for o in offers if room.fits(o[2], min(o[0], need))]
    if rate == math.inf:
        return _fill_up(need, offers, used, room)
    study = rate * need
    # Greedy: the substitute saving most first, while one still saves more than it costs.
    while need > 0 and offers:
        best = max(offers, key=lambda o: (rate * min(o[0], need) - o[1], o[2]))
        amount, cost = min(best[0], need), best[1]
        if rate * amount - cost <= 0:
            break
        offers.remove(best)
        if not room.fits(best[2], amount):
            continue
        room.take(best[2], amount)
        used.add(best[2])
        study += cost - rate * amount
        need -= amount
    return study


def _fill_up(need: float, offers: list[tuple[float, float, str]], used: set[str],
             room: _Room) -> float | None:
    """What substitutes cost that count all of ``need`` (the cheapest per credit first),
    or None when they cannot."""
    cost = 0.0
    for amount, price, u in sorted(offers, key=lambda o: (o[1] / o[0] if o[0] else math.inf,
                                                          o[2])):
        if need <= 0:
            break
        if amount <= 0 or not room.fits(u, min(amount, need)):
            continue
        room.take(u, min(amount, need))
        used.add(u)
        cost += price
        need -= amount
    return cost if need <= 0 else None


def _rules_hold(cv: Credential, kept: dict[str, float]) -> bool:
    """Whether ``cv``'s "at least" rules still hold with only ``kept`` counted into it."""
    for r in cv.rules:
        inside = [kept[u] for u in dict.fromkeys(r.ids) if u in kept]
        if r.kind == "min" and len(inside) < r.amount:
            return False
        if r.kind == "min_credits" and sum(inside) < r.amount:
            return False
    return True


class _Room:
    """What the "at most" rules of a receiver leave for substitutes."""

    def __init__(self, cv: Credential, kept: dict[str, float]) -> None:
        self.rules = [r for r in cv.rules if r.kind in ("max", "max_credits")]
        self.left = []
        for r in self.rules:
            inside = [kept[u] for u in dict.fromkeys(r.ids) if u in kept]
            self.left.append(r.amount - (len(inside) if r.kind == "max" else sum(inside)))

    def fits(self, u: str, amount: float) -> bool:
        return all(u not in r.ids or left >= (1 if r.kind == "max" else amount)
                   for r, left in zip(self.rules, self.left, strict=True))

    def take(self, u: str, amount: float) -> None:
        for i, r in enumerate(self.rules):
            if u in r.ids:
                self.left[i] -= 1 if r.kind == "max" else amount


def _ready(ctx: Context, cid: str, ids: set[str]) -> bool:
    """Whether cid can join a route of ``ids`` as it is, counting in nothing: study of
    its own, no core or programme rules, its entry requirements met."""
    return _self_contained(ctx.index[cid]) and all(
        ids.intersection(cl) for cl in ctx.edges.clauses.get(cid, ()))


def _self_contained(c: Credential) -> bool:
    """Study of its own, no core components, no programme rules."""
    return not c.core and not c.rules and c.effective_direct_study


def _substitutes(ctx: Context, v: str) -> list[tuple[str, float, float, int, Any]]:
    """v's sources that may stand in for a dropped one, in ``ctx.into`` order: available
    and self-contained, each as (id, credits it offers v, its cost, its level for v's
    profile, its entry requirement clauses). The same for every route: kept per v."""
    got = ctx.substitutes.get(v)
    if got is None:
        by = ctx.options.by
        got = []
        for u, r in ctx.into.get(v, ()):
            c = ctx.index[u]
            if u in ctx.available and _self_contained(c):
                got.append((u, min(r, c.credits), _cost(c, by), ctx.level(u, v),
                            ctx.edges.clauses.get(u, ())))
        ctx.substitutes[v] = got
    return got


def _cost(x: Any, by: str) -> float:
    """A step's or a whole credential's fee, hours or credits studied."""
    if isinstance(x, Credential):
        return whole_cost(x, by)
    return float(x.fee if by == "fee" else x.hours if by == "hours" else x.credits_studied)
