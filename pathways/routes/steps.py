"""From a solved problem to a :class:`~pathways.routes.model.Route`: the steps in order,
each with its reason and running totals."""

from __future__ import annotations

import math

from pathways.catalog import Credits
from pathways.counting import studied_cost
from pathways.errors import CatalogError, RouteError
from pathways.index import CatalogIndex, topological

from .model import Route, Step
from .problem import Problem
from .reasons import core_reason, counted_reason
from .solver import Solution

__all__ = ["make_route"]


def make_route(index: CatalogIndex, p: Problem, s: Solution, by: str,
               held: frozenset[str]) -> Route:
    """The route of a solution: its steps in an order that respects what counts into and
    is required by what, each with its reason, totals and running totals (rounded to
    cents)."""
    creds = index.creds
    chosen = s.chosen
    required_by: dict[str, list[str]] = {}
    for v in chosen:
        for clause in index.clauses.get(v, ()):
            for a in clause:
                if a in chosen and a != v:
                    required_by.setdefault(a, []).append(v)
    # Links worth showing: credits counted, a core component (which must be counted), or
    # the only use of a credential.
    shown = {u: v for u, v in s.links.items()
             if s.per_link.get(u, 0) > 0 or u in p.cores.get(v, ())
             or (u in chosen and u not in required_by)}
    after: dict[str, set[str]] = {v: set() for v in chosen}  # v -> what must come before v
    for u, v in shown.items():
        if u in chosen:
            after[v].add(u)
    for a, vs in required_by.items():
        for v in vs:
            after[v].add(a)
    try:
        order = topological(after, after)
    except CatalogError as e:
        raise RouteError(str(e)) from None
    rank = {v: i for i, v in enumerate(order)}

    steps: list[Step] = []
    run_fee: list[float] = []
    run_hours: list[float] = []
    run_credits: Credits = 0
    for v in order:
        c = creds[v]
        counted = s.counted.get(v, 0)
        studied = c.credits - counted
        fee = studied_cost(c, "fee", studied)
        hours = studied_cost(c, "hours", studied)
        run_fee.append(fee)
        run_hours.append(hours)
        run_credits += studied
        into = shown.get(v)
        n = s.per_link.get(v, 0) if into is not None else 0
        if v == p.target:
            reason = "target"
        elif into is not None and n > 0:
            reason = counted_reason(p, v, into, n)
        elif into is not None and v in p.cores.get(into, ()):
            reason = core_reason(p, v, into, s.per_link, s.links)
        elif v in required_by:
            reason = f"entry requirement of {min(required_by[v], key=rank.__getitem__)}"
        else:
            reason = f"counts 0 credits into {into}"
        steps.append(Step(
            id=v, title=c.title, kind=c.kind, level=c.level, provider=c.provider,
            credits=c.credits, credits_recognised=counted, credits_studied=studied,
            fee=round(fee, 2), hours=round(hours, 2), counted_into=into, counted_credits=n,
            reason=reason, running_fee=round(_fsum(run_fee), 2),
            running_hours=round(_fsum(run_hours), 2), running_credits=run_credits))
    held_counted = tuple((h, shown[h], s.per_link.get(h, 0))
                         for h in sorted(shown) if h not in chosen)
    return Route(target=p.target, objective=by, held=tuple(sorted(held)), steps=tuple(steps),
                 held_counted=held_counted, fee=round(s.fee, 2), hours=round(s.hours, 2),
                 credits_studied=s.credits, candidates=len(p.cands))


def _fsum(xs: list[float]) -> float:
    return math.fsum(xs)
