"""The K best routes of one problem, and a Pareto front: routes found one after another,
each search ruling out what was found before (see README, Reference: routes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .model import Progress, Route
from .problem import Problem
from .solver import Model, Row, tie_tol
from .tiebreak import Lookahead

if TYPE_CHECKING:  # numpy is imported where a programme is solved, not by every route
    import numpy as np

    from .engine import _Query

__all__ = ["alternatives"]


def alternatives(q: _Query, p: Problem, k: int, by: str | None, pareto: bool,
                  found: list[Route], progress: Progress | None = None) -> int:
    """Add to ``found`` the k best routes of one problem (or its Pareto front); how many."""
    # (Two routes are found sooner without the bound and the relaxation's pass.)
    if pareto or k < 3 or len(p.cands) < q.search.guess_from:
        return len(_in_turn(q, p, q.model(p), [], k, by, pareto, found, progress))
    return _k_best_within(q, p, k, by, found, progress)


def _in_turn(q: _Query, p: Problem, model: Model, rows: list[Row], k: int, by: str | None,
             pareto: bool, found: list[Route], progress: Progress | None = None,
             total: int | None = None, known: Sequence[np.ndarray] = ()
             ) -> list[frozenset[str]]:
    """The k best routes of a model under ``rows`` one after another, each solve ruling
    out the sets before it (or, for a Pareto front, every route as slow), added to
    ``found``; their sets. ``known``: points of the model (routes) to start from."""
    rows = list(rows)
    sets: list[frozenset[str]] = []
    # Each uniqueness check is the next first solve.
    ahead = None if pareto else Lookahead(pool=list(known))
    while pareto or len(sets) < k:
        s = q.best(model, by, rows, ahead)
        if s is None:
            break
        if pareto and found and sets and s.hours > found[-1].hours - tie_tol(found[-1].hours):
            break  # no faster route (guards against a solver accepting a tie)
        found.append(q.route(p, s))
        sets.append(s.chosen)
        if progress is not None:
            progress("routes found", len(found), 0 if pareto else (total or k))
        if pareto:
            rows.append(model.below("hours", s.hours))
        else:
            rows.append(model.nogood(s.chosen))
            if ahead is not None and ahead.excluded != s.chosen:
                # A tie returned another set: solve afresh (the points found still hold).
                ahead = Lookahead(pool=ahead.pool)
    return sets


# Rounds of the K best within a bound before the last, unbounded one.
_ROUNDS = 3


def _k_best_within(q: _Query, p: Problem, k: int, by: str | None, found: list[Route],
                   progress: Progress | None = None) -> int:
    """The k best routes of a big problem, searched among the credentials that can be in
    one of them.

    A guessed route's total ``g`` and the linear relaxation's bound ``L`` give a threshold
    ``T = g + spread`` above which the k-th best route is unlikely; a credential every
    route through which costs more than ``T`` (the relaxation with it taken says so) is
    left out, and only routes within ``T`` are asked for. Every route within ``T`` keeps
    all its credentials, so the routes found are exactly the best routes of the whole
    problem, in order; when fewer than k lie within ``T``, the threshold grows and the
    search goes on from the routes found (after :data:`_ROUNDS` rounds, without one). On
    the hardest targets of a national catalog two thirds of the candidates are left out
    (GCERT-000053: 90 of 139) and each proof takes about a third less."""
    key = by or q.by
    model = q.model(p)
    z = model.guess(key)
    floors = model.floors(key) if z is not None else None
    sets: list[frozenset[str]] = []
    spread = 0.0
    g = 0.0
    if floors is not None:
        assert z is not None
        g = model.evaluate(z).key(key)
        spread = max((g - floors[0]) / 4, tie_tol(g))
    for round_ in range(_ROUNDS + 1):
        bounded = floors is not None and round_ < _ROUNDS
        m = model if round_ == 0 and not bounded else q.model(p)
        rows = [m.nogood(s) for s in sets]
        if bounded:
            assert floors is not None
            most = g + spread
            for v, low in zip(p.cands, floors[1], strict=True):
                if low > most + tie_tol(most):
                    m.ub[m.pos[v]] = 0.0
            rows.append(m.bound(key, most))
        sets += _in_turn(q, p, m, rows, k - len(sets), by, False, found, progress,
                         total=k, known=[z] if z is not None else [])
        if len(sets) >= k or not bounded:
            break
        spread = max(4 * spread, 0.05 * abs(g) + 1.0)
    return len(sets)
