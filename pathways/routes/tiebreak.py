"""The lexicographic search over a :class:`~pathways.routes.solver.Model`.

The best set by the objective and every set tied with it are found by solving with each
found set ruled out in turn; ties are broken by (objective, fee, hours, fewer credentials,
smallest sorted id list), and the counted-into assignment of the chosen set is decided
exactly (:func:`best_assignment`).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .problem import Problem
from .solver import Model, Row, Search, Solution, _better, _Counted, evaluate, tie_tol, within

if TYPE_CHECKING:  # numpy is imported where a programme is solved, not by every route
    import numpy as np

__all__ = ["Lookahead", "lexicographic_best", "best_assignment"]


def _keys(by: str) -> list[str]:
    keys = [by]
    for k in ("fee", "hours"):
        if k not in keys:
            keys.append(k)
    return keys


# Sets tied on the objective are compared one by one up to this many; beyond, the
# programme settles the remaining keys.
_TIE_LIMIT = 8


@dataclass
class Lookahead:
    """Solutions found while checking a set's uniqueness, for the next alternative.

    ``queue[0]`` is an optimum of the previous rows with ``excluded`` ruled out, each next
    one an optimum with the sets before it ruled out too (None: nothing else is feasible);
    valid when the route returned was ``excluded`` and the next call adds exactly its
    nogood row.
    """

    excluded: frozenset[str] | None = None
    queue: list[np.ndarray | None] = field(default_factory=list)
    # Integer points guessed or come across by the solver (each a route, whatever the
    # objective): the best one the rows still allow bounds the next optimum, often as
    # good as it, with no need to guess again.
    pool: list[np.ndarray] = field(default_factory=list)


def lexicographic_best(model: Model, by: str, rows: Sequence[Row] = (),
                       ahead: Lookahead | None = None) -> Solution | None:
    """The best route of the model by (``by``, fee, hours, fewer credentials, smallest ids).

    The best set by ``by`` and every set tied with it are found by solving with each found
    set ruled out in turn (an optimisation prunes far better than asking for any other set
    within a bound); up to :data:`_TIE_LIMIT` tied sets are compared exactly, more are
    settled by the programme key by key. With ``ahead`` (see :class:`Lookahead`), solves
    made for the previous alternative are used instead of solving again, and this call's
    are kept for the next. Without, each solve is cut off at the best total so far
    (:func:`_cutoff_best`).
    """
    keys = _keys(by)
    p = model.p
    if len(p.cands) == 1 and not rows and not model.base_rows:
        return best_assignment(model, frozenset(p.cands), by, rows)
    if ahead is None:
        return _cutoff_best(model, by, rows)
    queue = ahead.queue if ahead is not None and ahead.excluded is not None else []
    ruled_out: list[Row] = []

    def next_best() -> np.ndarray | None:
        if queue:
            return queue.pop(0)
        return _optimum(model, keys[0], [*rows, *ruled_out], ahead)

    z = next_best()
    if z is None:
        return None
    tied = [model.evaluate(z)]
    best0 = tied[0].key(keys[0])
    found: list[np.ndarray | None] = [z]
    while len(tied) <= _TIE_LIMIT:
        ruled_out.append(model.nogood(tied[-1].chosen))
        z = next_best()
        found.append(z)
        if z is None or model.evaluate(z).key(keys[0]) > best0 + tie_tol(best0):
            break
        tied.append(model.evaluate(z))
    bounded = [*rows, model.bound(keys[0], best0)]
    if len(tied) > _TIE_LIMIT:
        if ahead is not None:
            ahead.excluded, ahead.queue = None, []
        return _settle_ties(model, by, bounded)
    best = min((best_assignment(model, t.chosen, by, bounded, start=t) for t in tied),
               key=functools.cmp_to_key(functools.partial(_compare, keys=keys)))
    if ahead is not None:  # the same sequence without the set returned
        ahead.excluded = best.chosen
        ahead.queue = [z for z, t in zip(found, tied, strict=False) if t.chosen != best.chosen]
        ahead.queue.append(found[-1])
    return best


def _optimum(model: Model, key: str, rows: list[Row],
             ahead: Lookahead | None = None) -> np.ndarray | None:
    """An optimal point by ``key`` (None: infeasible); on a big problem the solve is cut
    off at the total of a known point, which the optimum cannot exceed: the best point of
    ``ahead``'s pool that the rows still allow, else a new guess (kept in the pool)."""
    goal = model.goal[key]
    guess = None
    pool = ahead.pool if ahead is not None else None
    if len(model.p.cands) >= model.search.guess_from:
        allowed = [z for z in pool if _allowed(z, rows)] if pool else []
        if allowed:
            guess = min(allowed, key=lambda z: float(goal @ z))
        else:
            guess = model.guess(key, rows)
            if guess is not None and pool is not None:
                pool.append(guess)
    z = None
    if guess is not None:
        z = model.solve(goal, rows, cutoff=model.cutoff(key, model.evaluate(guess).key(key)),
                        found=pool)
    if z is None:
        z = model.solve(goal, rows, found=pool)
    if pool is not None and len(pool) > _POOL:
        _trim(model, key, pool)
    return z


# Points kept for later solves (feasible whatever the objective): the best by the key.
_POOL = 64


def _trim(model: Model, key: str, pool: list[np.ndarray]) -> None:
    """Keep one point per set of credentials, the :data:`_POOL` best by ``key``."""
    goal = model.goal[key]
    best: dict[bytes, tuple[float, np.ndarray]] = {}
    for z in pool:
        sig = (z[: model.n] > 0.5).tobytes()
        value = float(goal @ z)
        if sig not in best or value < best[sig][0]:
            best[sig] = (value, z)
    pool[:] = [z for _v, z in sorted(best.values(), key=lambda t: t[0])[:_POOL]]


def _allowed(z: np.ndarray, rows: Sequence[Row]) -> bool:
    """Whether the point ``z`` meets every one of ``rows``."""
    for r in rows:
        value = float(z[r.cols] @ r.vals)
        if value < r.lo - 1e-6 or value > r.hi + 1e-6:
            return False
    return True


def _cutoff_best(model: Model, by: str, rows: Sequence[Row]) -> Solution | None:
    """:func:`lexicographic_best` without look-ahead: the same sets found and compared,
    each solve cut off at the best total so far (HiGHS prunes what cannot tie with it).

    On a big problem a good set is guessed first (:meth:`Model.guess`); then one solve
    with that set ruled out either finds one as good or better, or proves the guess the
    only optimum: the optimum and its uniqueness in one search, pruned from the start."""
    keys = _keys(by)
    goal = model.goal[keys[0]]
    tied: list[Solution] = []
    ruled_out: list[Row] = []
    best0 = math.inf
    z = (model.guess(keys[0], rows) if len(model.p.cands) >= model.search.guess_from
         else None)
    if z is None:
        z = model.solve(goal, rows)
        if z is None:
            return None
    while z is not None and len(tied) <= _TIE_LIMIT:
        s = model.evaluate(z)
        value = s.key(keys[0])
        if not tied or value < best0 - tie_tol(best0):
            best0, tied = value, [s]
        elif value > best0 + tie_tol(best0):
            break
        else:
            tied.append(s)
        ruled_out.append(model.nogood(s.chosen))
        z = model.solve(goal, [*rows, *ruled_out], cutoff=model.cutoff(keys[0], best0))
    bounded = [*rows, model.bound(keys[0], best0)]
    if len(tied) > _TIE_LIMIT:
        return _settle_ties(model, by, bounded)
    return min((best_assignment(model, t.chosen, by, bounded, start=t) for t in tied),
               key=functools.cmp_to_key(functools.partial(_compare, keys=keys)))


def _compare(a: Solution, b: Solution, keys: list[str]) -> int:
    """The tie-break order of two routes: the keys (within tolerance), fewer credentials,
    the smaller sorted id list."""
    ka = [a.key(k) for k in keys] + [float(len(a.chosen))]
    kb = [b.key(k) for k in keys] + [float(len(b.chosen))]
    if _better(ka, kb):
        return -1
    if _better(kb, ka):
        return 1
    ia, ib = tuple(sorted(a.chosen)), tuple(sorted(b.chosen))
    return -1 if ia < ib else (1 if ia > ib else 0)


def _settle_ties(model: Model, by: str, rows: list[Row]) -> Solution:
    """Many sets tie on the objective: settle the remaining keys one by one."""
    p = model.p
    keys = _keys(by)
    for k in keys[1:]:
        z = model.solve_known(model.goal[k], rows)
        rows.append(model.bound(k, model.evaluate(z).key(k)))
    z = model.solve_known(model.goal["count"], rows)
    witness, _links = model.read(z)
    rows.append(model.bound("count", float(len(witness))))
    # Feasibility questions, asked with the objective rather than none: its relaxation
    # guides the search (on a 150-paper degree with near-equal fees, 15 s became 0.2 s).
    if model.solve(model.goal[keys[0]], [*rows, model.nogood(witness)]) is not None:
        # Equal sizes: the smaller sorted id list holds the smallest id of the two sets'
        # difference, so decide the ids in order, each as present if any optimum has it.
        fix: dict[int, float] = {}
        for v in p.cands:
            i = model.pos[v]
            if v in witness:
                fix[i] = 1.0
                continue
            point = model.solve(model.goal[keys[0]], rows, {**fix, i: 1.0})
            if point is None:
                fix[i] = 0.0
            else:
                fix[i] = 1.0
                witness, _links = model.read(point)
    return best_assignment(model, witness, by, rows)


def best_assignment(model: Model | Callable[[], Model], chosen: frozenset[str], by: str,
                    rows: Sequence[Row] = (), p: Problem | None = None,
                    enumerate_limit: int | None = None,
                    start: Solution | None = None, settled: int = 1) -> Solution:
    """The best counted-into assignment for a fixed set ``chosen``.

    Keys: ``by``, fee, hours, then studied credits. A source with one possible receiver is
    counted into it (it never hurts); the few sources with a choice are enumerated, the
    first best in order (sources by id, receivers by id) winning; many choices fall back to
    the programme, where the fewest counted-into links then the solver decide. ``start``
    is an assignment of ``chosen`` known to be its best by the first ``settled`` keys (an
    optimum of the programme by ``by``: one; the tree search's route: all of them): the
    programme then starts from the next key.
    """
    if isinstance(model, Model):
        p = model.p
        limit_rows = [*model.base_rows, *rows]
        if enumerate_limit is None:
            enumerate_limit = model.search.enumerate_limit
    else:
        assert p is not None
        limit_rows = list(rows)
    keys = [*_keys(by), *(["credits"] if by != "credits" else [])]
    options = _receivers_of(p, chosen)
    fixed = {u: vs[0] for u, vs in options.items() if len(vs) == 1}
    choosing = sorted(u for u, vs in options.items() if len(vs) > 1)
    if not choosing:
        return evaluate(p, chosen, fixed)
    combos = math.prod(len(options[u]) for u in choosing)
    if combos <= (Search.enumerate_limit if enumerate_limit is None else enumerate_limit):
        return _enumerated(p, chosen, keys, options, fixed, choosing, limit_rows)
    known = [start.key(k) for k in keys[:settled]] \
        if start is not None and start.chosen == chosen else []
    return _assigned(model if isinstance(model, Model) else model(), chosen, keys, rows, known,
                     start if known else None)


def _receivers_of(p: Problem, chosen: frozenset[str]) -> dict[str, list[str]]:
    """For each source of the set (taken or held), the taken credentials it may count
    into (only its receiver when it is a core component)."""
    options: dict[str, list[str]] = {}
    for v in sorted(chosen):
        for u, _r in p.sources.get(v, ()):
            if u in chosen or u in p.held:
                options.setdefault(u, []).append(v)
    for v in sorted(chosen):
        for k in p.cores.get(v, ()):
            if k in options:
                options[k] = [v]
    # A "max" rule can make counting a source in hurt: leaving it out is a choice too
    # ("" = counted into nothing).
    capped = {u for v in chosen for r in p.rules.get(v, ()) if r.kind == "max" for u in r.ids}
    for u in sorted(capped.intersection(options)):
        if not any(u in p.cores.get(v, ()) for v in options[u]):
            options[u] = [*options[u], ""]
    return options


def _enumerated(p: Problem, chosen: frozenset[str], keys: list[str],
                options: dict[str, list[str]], fixed: dict[str, str], choosing: list[str],
                limit_rows: Sequence[Row]) -> Solution:
    """Every choice of receivers tried; the first best valid one (within the limits) wins."""
    best: Solution | None = None
    best_key: list[float] = []
    memo: dict[tuple[str, frozenset[str]], _Counted] = {}  # counts by the sources in
    for pick in itertools.product(*(options[u] for u in choosing)):
        links = dict(fixed)
        links.update((u, v) for u, v in zip(choosing, pick, strict=True) if v)
        s = evaluate(p, chosen, links, memo)
        key = [s.key(k) for k in keys]
        if s.valid and (best is None or _better(key, best_key)) and within(s, limit_rows):
            best, best_key = s, key
    assert best is not None
    return best


def _assigned(model: Model, chosen: frozenset[str], keys: list[str],
              rows: Sequence[Row], known: Sequence[float] = (),
              start: Solution | None = None) -> Solution:
    """The receivers decided by the programme with the set fixed: each key at its best in
    turn (the first keys' bests given as ``known`` when known, ``start`` an assignment of
    the set at those bests), then the fewest links (ties by edge order).

    A key that is a fixed multiple of one settled before it over what the assignment
    decides (the credits counted into each credential of the set: hours at ten a credit,
    as every NZQF credential has them, and credits studied) is at its best
    wherever that one is: its value is read from the last assignment, not solved for."""
    import numpy as np

    fix = {i: (1.0 if v in chosen else 0.0) for v, i in model.pos.items()}
    rows = [r for r in rows if len(r.cols)]
    held = model.p.held
    free = np.array([model.x(e) for e, (u, v, _r) in enumerate(model.edges)
                     if v in chosen and (u in chosen or u in held)], dtype=int)
    last = start
    for j, k in enumerate(keys):
        if j < len(known):
            value = known[j]
        elif last is not None and any(model.proportional(k, e, free) for e in keys[:j]):
            value = last.key(k)
        else:
            last = model.evaluate(model.solve_known(model.goal[k], rows, fix))
            value = last.key(k)
        # One bound per total: a second, looser copy of a row (a bound the caller gave)
        # is redundant and has made HiGHS's presolve call the programme infeasible.
        rows = [r for r in rows if r.key != k]
        rows.append(model.bound(k, value))
    weights = model.zero.copy()
    m_e = model.n_edges
    for e in range(m_e):
        weights[model.y(e)] = 1.0 + (e + 1) / (m_e * (m_e + 1))
    z = model.solve_known(weights, rows, fix)
    return model.evaluate(z)
