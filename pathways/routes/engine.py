"""The public route queries: the cheapest route, the K best, the fee/hours trade-off, bulk."""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from pathways.catalog import Catalog
from pathways.errors import NoRouteError, RouteError, UnknownRouteIdError
from pathways.filters import FIND_IDS, unknown_message
from pathways.index import CatalogIndex, index_of
from pathways.numbers import (
    MAX_ALTERNATIVES,
    MAX_TIME_LIMIT,
    MAX_TOTAL_FEE,
    MAX_TOTAL_HOURS,
    check,
    plain,
)

from .kbest import alternatives
from .model import (
    OBJECTIVES,
    Constraints,
    Progress,
    Route,
    RouteTimeLimit,
    TargetFilter,
)
from .problem import Problem, build_problem
from .prune import swaps, without_dominated
from .solver import (
    Model,
    Row,
    Search,
    Solution,
    SolverTimeout,
    _better,
    evaluate,
    tie_tol,
    value_of,
)
from .steps import make_route
from .tiebreak import Lookahead, best_assignment, lexicographic_best
from .tree import relaxed_best

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["find_route", "find_routes", "pareto_routes", "cheapest_routes", "cheapest_in",
           "with_schedule", "with_rpl", "upstream_ids"]


_FIND_IDS = FIND_IDS


def _unknown(cid: str, index: CatalogIndex | None = None, what: str = "credential") -> RouteError:
    known = index.creds if index is not None else ()
    return UnknownRouteIdError(unknown_message(what, cid, known, _FIND_IDS), what=what, name=cid)


def search_for(time_limit: float | None, search: Search | None = None) -> Search:
    """The search options of one call: ``search`` (default :class:`Search`) with a deadline
    ``time_limit`` seconds from now (checked: more than 0, at most a day)."""
    search = search or Search()
    if time_limit is None:
        return search
    check(time_limit, "time limit (seconds)", high=MAX_TIME_LIMIT, low_open=True)
    return replace(search, deadline=time.monotonic() + float(time_limit))


class _Query:
    """Checked options shared by every target of one call."""

    def __init__(self, catalog: Catalog, held: Iterable[str], by: str,
                 constraints: Constraints | None, search: Search | None = None,
                 time_limit: float | None = None) -> None:
        if by not in OBJECTIVES:
            raise RouteError(f"unknown objective '{by}'; use one of {', '.join(OBJECTIVES)}")
        self.index: CatalogIndex = index_of(catalog)
        self.by = by
        self.search = search or Search()
        self.time_limit = time_limit
        self.held = frozenset(held)
        for h in sorted(self.held):
            if h not in self.index.creds:
                raise _unknown(h, self.index)
        cons = constraints or Constraints()
        _check_constraints(catalog, self.index, cons)
        self.constraints = cons

    @classmethod
    def of_index(cls, index: CatalogIndex, by: str, exclude: frozenset[str],
                 search: Search | None = None) -> _Query:
        """A query over an index already built (nothing held, only ``exclude``), checked
        as :meth:`__init__` checks it, without a catalog to index again."""
        if by not in OBJECTIVES:
            raise RouteError(f"unknown objective '{by}'; use one of {', '.join(OBJECTIVES)}")
        for cid in sorted(exclude):
            if cid not in index.creds:
                raise _unknown(cid, index)
        q = cls.__new__(cls)
        q.index, q.by, q.search, q.time_limit = index, by, search or Search(), None
        q.held, q.constraints = frozenset(), Constraints(exclude=exclude)
        return q

    def check_target(self, target: str) -> None:
        if target not in self.index.creds:
            raise _unknown(target, self.index)
        if target in self.held:
            raise RouteError(f"{target} is held already; there is nothing to achieve")
        if target in self.constraints.exclude:
            raise RouteError(f"the target {target} is excluded; drop it from the exclusions")

    def problem(self, target: str) -> Problem:
        """The target's problem; raises NoRouteError when nothing can reach it."""
        cons = self.constraints
        if cons.allowed is not None and target not in cons.allowed:
            cons = replace(cons, allowed=cons.allowed | {target})
        return build_problem(self.index, target, self.held, cons, rpl=dict(cons.rpl))

    def model(self, p: Problem) -> Model:
        return Model(p, self.constraints, self.search)

    def best(self, model: Model, by: str | None = None, rows: Sequence[Row] = (),
             ahead: Lookahead | None = None) -> Solution | None:
        return lexicographic_best(model, by or self.by, rows, ahead)

    def cheapest(self, p: Problem, ties: bool = True, good_enough: float | None = None
                 ) -> tuple[Solution | None, Model | None]:
        """The best route of a problem: by the tree programme when its answer is a route,
        else by the mixed-integer programme (returned too, to say what blocks it).

        ``good_enough`` (``ties`` false): any route whose :func:`value_of` is at most this
        will do (:meth:`first`). The tree, which finds optima only, still goes first:
        without it the bottleneck re-solves took 5 times longer."""
        cons = self.constraints
        limits = []
        if cons.budget is not None:
            limits.append(("fee", cons.budget + tie_tol(cons.budget)))
        if cons.max_hours is not None:
            limits.append(("hours", cons.max_hours + tie_tol(cons.max_hours)))
        # Credentials no cheapest route takes are left out of the search (not of the route
        # built from its answer, which names the problem as asked).
        if self.search.prune:
            p = without_dominated(p, self.by, limited=any(k != self.by for k, _m in limits))
        # With programme rules, the tree solves the problem without them: its best route,
        # if it meets the rules at no cost, is the best with them (they only remove routes).
        ruled = bool(p.rules or p.composed)
        free = replace(p, rules={}, composed=frozenset()) if ruled else p
        found = relaxed_best(free, self.by, limits, self.search) if self.search.tree else None
        if found is not None:
            chosen, links = found
            rows = _bounds(limits)
            # The tree's route is the best of its set by every key (only links are left:
            # a value, ties unbroken, needs none of them).
            start = evaluate(free, chosen, links)
            if not ties and not ruled:
                return start, None
            s = best_assignment(lambda: self.model(free), chosen, self.by, rows, free,
                                self.search.enumerate_limit, start=start, settled=4)
            if not ruled:
                return s, None
            kept = evaluate(p, chosen, s.links)
            keys = [self.by, "fee", "hours", "credits"]
            if kept.valid and not _better([s.key(k) for k in keys], [kept.key(k) for k in keys]):
                return kept, None
        model = self.model(p)
        if self.search.prune and not limits:
            model.base_rows += [model.before(w, u) for w, u in swaps(p, self.by)]
        return (self.best(model) if ties else self.first(model, good_enough)), model

    def first(self, model: Model, good_enough: float | None = None) -> Solution | None:
        """An optimum of the model by the objective, with its set's best assignment, ties
        between sets not broken (the total is the tie-broken route's, within tie_tol).
        With ``good_enough``: the first route found whose :func:`value_of` is at most
        that, as it is (its totals exact for its set and links), else the optimum."""
        if good_enough is not None:
            z, optimal = model.solve_until(self.by, good_enough)
            if z is not None and not optimal:
                s = model.evaluate(z)
                if s.valid and value_of(s, self.by) <= good_enough:
                    return s
                z = model.solve(model.goal[self.by])  # (totals off the target: solve exactly)
        else:
            z = model.solve(model.goal[self.by])
        if z is None:
            return None
        s = model.evaluate(z)
        return best_assignment(model, s.chosen, self.by, [model.bound(self.by, s.key(self.by))],
                               start=s)

    def blocker(self, model: Model) -> str:
        """Why a problem with a structurally possible target has no route."""
        p = model.p
        cons = self.constraints
        free = Model(p, None, self.search)
        if cons.budget is not None or cons.max_hours is not None:
            z = free.solve(free.obj["fee"])
            if z is not None:
                cheapest = free.evaluate(z).fee
                z = free.solve_known(free.obj["hours"])
                quickest = free.evaluate(z).hours
                b, h = cons.budget, cons.max_hours
                if b is not None and cheapest > b + tie_tol(b):
                    return (f"no route within budget {plain(b)}: the cheapest costs "
                            f"{plain(cheapest)}")
                if h is not None and quickest > h + tie_tol(h):
                    return (f"no route within {plain(h)} hours: the quickest takes "
                            f"{plain(quickest)}")
                if b is not None and h is not None:
                    only_budget = Model(p, replace(cons, max_hours=None), self.search)
                    z = only_budget.solve_known(only_budget.obj["hours"])
                    return (f"no route within budget {plain(b)} and {plain(h)} hours together: "
                            f"within the budget the quickest takes "
                            f"{plain(only_budget.evaluate(z).hours)} hours")
        ruled = sorted(v for v in p.cands if v in p.rules or v in p.composed)
        if ruled:
            what = ", ".join(f"{v}: " + "; ".join(
                [r.describe() for r in p.creds[v].rules]
                + (["all credits counted from its sources"] if v in p.composed else []))
                for v in ruled[:3])
            return (f"no route to {p.target}: the programme rules ({what}) cannot all be met "
                    "with what may be taken, as a credential counts into only one other")
        return (f"no route to {p.target}: its entry requirements and core components cannot "
                "all be met, as a credential counts into only one other")

    def route(self, p: Problem, s: Solution) -> Route:
        return make_route(self.index, p, s, self.by, self.held)


def _bounds(limits: list[tuple[str, float]]) -> list[Row]:
    """The limits as rows that bound totals (checked against a set's totals; no columns),
    numpy imported only when there is one."""
    if not limits:
        return []
    import numpy as np

    empty = np.zeros(0)
    return [Row(empty, empty, -math.inf, most, key, most) for key, most in limits]


def _check_constraints(catalog: Catalog, index: CatalogIndex, cons: Constraints) -> None:
    """Refuse what a query cannot mean: an unknown credential or provider in the
    constraints (a typo would otherwise be silently ignored), a provider both allowed and
    excluded, a budget or hours limit that is not a finite number of 0 or more."""
    for cid in sorted(cons.exclude | (cons.allowed or frozenset())):
        if cid not in index.creds:
            raise _unknown(cid, index)
    if cons.providers is not None:
        both = sorted(cons.providers & cons.exclude_providers)
        if both:
            raise RouteError(f"provider '{both[0]}' is both allowed and excluded; "
                             "drop one of the two options")
    named = cons.exclude_providers | (cons.providers or frozenset())
    providers = {p.id for p in catalog.providers}
    if named - providers:  # (a pass over every credential only when it can matter)
        providers.update(c.provider for c in index.creds.values() if c.provider is not None)
    for pid in sorted(named):
        if pid not in providers:
            known = sorted(providers)
            hint = ("the catalog names no provider" if not known else
                    "the catalog's providers: " + ", ".join(known[:10])
                    + (", …" if len(known) > 10 else ""))
            raise UnknownRouteIdError(unknown_message("provider", pid, known, hint),
                                      what="provider", name=pid)
    if cons.budget is not None:
        if not cons.budget >= 0 and not math.isnan(cons.budget):
            raise RouteError(f"the budget must be 0 or more, got {plain(cons.budget)}")
        check(cons.budget, "budget", high=MAX_TOTAL_FEE)
    if cons.max_hours is not None:
        if not cons.max_hours >= 0 and not math.isnan(cons.max_hours):
            raise RouteError(f"the hours limit must be 0 or more, got {plain(cons.max_hours)}")
        check(cons.max_hours, "hours limit", high=MAX_TOTAL_HOURS)


def _targets(q: _Query, catalog: Catalog, target: str | TargetFilter) -> list[str]:
    """The ids a target stands for (one, or every match of a filter not held nor excluded)."""
    if isinstance(target, TargetFilter):
        matches = sorted(c.id for c in catalog.credentials if target.matches(c))
        if not matches:
            raise NoRouteError(f"no qualification matches {target.describe()}")
        open_ = [t for t in matches if t not in q.held and t not in q.constraints.exclude]
        if not open_:
            raise NoRouteError(f"every qualification matching {target.describe()} is held "
                               "already or excluded")
        return open_
    q.check_target(target)
    return [target]


def _order_key(q: _Query, r: Route) -> tuple[list[float], tuple[str, ...], str]:
    keys = [q.by, *[k for k in ("fee", "hours") if k != q.by]]
    return [r.value(k) for k in keys] + [float(len(r.steps))], r.credentials, r.target


def _first(q: _Query, routes: list[Route]) -> list[Route]:
    """Routes sorted by the tie-break order (totals within tolerance are ties)."""

    def cmp(a: Route, b: Route) -> int:
        ka, kb = _order_key(q, a), _order_key(q, b)
        if _better(ka[0], kb[0]):
            return -1
        if _better(kb[0], ka[0]):
            return 1
        return -1 if ka[1:] < kb[1:] else (1 if ka[1:] > kb[1:] else 0)

    return sorted(routes, key=functools.cmp_to_key(cmp))


def _no_route(target: str | TargetFilter, count: int, first_reason: str) -> NoRouteError:
    if isinstance(target, TargetFilter) and count > 1:
        return NoRouteError(f"no route to any of the {count} qualifications matching "
                            f"{target.describe()}; for example {first_reason}")
    return NoRouteError(first_reason)


def _routes_for(q: _Query, catalog: Catalog, target: str | TargetFilter, k: int,
                by: str | None = None, pareto: bool = False,
                progress: Progress | None = None) -> list[Route]:
    """Up to k best routes per target (or its Pareto front), across a filter's matches.

    At the deadline, raises :class:`RouteTimeLimit` holding the routes found so far.
    ``progress("routes found", n, k)`` (k is 0 for a Pareto front) after each route."""
    ids = _targets(q, catalog, target)
    found: list[Route] = []
    reason = ""
    try:
        for t in ids:
            try:
                p = q.problem(t)
            except NoRouteError as e:
                reason = reason or str(e)
                continue
            if k == 1 and not pareto and by is None:
                s, solved = q.cheapest(p)
                if s is not None:
                    found.append(q.route(p, s))
                else:
                    assert solved is not None
                    reason = reason or q.blocker(solved)
                continue
            got = alternatives(q, p, k, by, pareto, found, progress)
            if got == 0:
                reason = reason or q.blocker(q.model(p))
    except SolverTimeout:
        raise _timed_out(q, found, k, pareto) from None
    if not found:
        raise _no_route(target, len(ids), reason)
    return found


def _timed_out(q: _Query, found: list[Route], k: int, pareto: bool) -> RouteTimeLimit:
    limit = f"its time limit of {plain(q.time_limit)} s" if q.time_limit else "its time limit"
    routes = _first(q, found)[:k] if not pareto else _first(q, found)
    if not routes:
        return RouteTimeLimit(f"the route search reached {limit} before finding a route; "
                              "allow more time or narrow the query", [])
    what = ("trade-offs" if pareto else "routes") if len(routes) > 1 else (
        "trade-off" if pareto else "route")
    return RouteTimeLimit(f"the route search reached {limit}: the {len(routes)} {what} found "
                          "so far may not be the best; allow more time for exact answers",
                          routes)


def find_route(catalog: Catalog, target: str | TargetFilter, *, held: Iterable[str] = (),
               by: str = "fee", constraints: Constraints | None = None,
               time_limit: float | None = None, search: Search | None = None,
               rpl: Mapping[str, float] | None = None) -> Route:
    """The exact cheapest route to ``target`` (an id or a filter) by ``by``.

    Ties break by fee, then hours, then fewer credentials, then the smallest sorted id
    list. Raises :class:`RouteError` for a bad query and :class:`NoRouteError` (saying what
    blocks it) when no route meets the constraints; after ``time_limit`` seconds,
    :class:`RouteTimeLimit` (with the routes found so far, if any). ``search`` chooses the
    exact methods (for tests; the default is the fastest). ``rpl`` grants credits by
    recognition of prior learning: ``{"MC-X": 5}`` counts 5 credits into MC-X at its own
    level (:func:`with_rpl` checks it).
    """
    constraints = with_rpl(catalog, constraints, rpl)
    q = _Query(catalog, held, by, constraints, search_for(time_limit, search), time_limit)
    return _first(q, _routes_for(q, catalog, target, 1))[0]


def find_routes(catalog: Catalog, target: str | TargetFilter, *, k: int,
                held: Iterable[str] = (), by: str = "fee",
                constraints: Constraints | None = None, time_limit: float | None = None,
                search: Search | None = None,
                rpl: Mapping[str, float] | None = None,
                progress: Progress | None = None) -> list[Route]:
    """The ``k`` best routes with different credential sets, best first (k at most
    :data:`~pathways.numbers.MAX_ALTERNATIVES`).

    Only useful routes count: every credential but the target counts into, or is named by
    an entry requirement of, another credential of the route. ``time_limit`` and
    ``search`` as for :func:`find_route`; ``progress(label, done, total)`` is called as
    each route is found (for a progress line on a long search).
    """
    if k < 1:
        raise RouteError(f"the number of routes must be at least 1, got {k}")
    check(k, "number of routes", low=1, high=MAX_ALTERNATIVES, integer=True)
    constraints = with_rpl(catalog, constraints, rpl)
    q = _Query(catalog, held, by, constraints, search_for(time_limit, search), time_limit)
    return _first(q, _routes_for(q, catalog, target, k, progress=progress))[:k]


def pareto_routes(catalog: Catalog, target: str | TargetFilter, *, held: Iterable[str] = (),
                  constraints: Constraints | None = None, time_limit: float | None = None,
                  search: Search | None = None,
                  rpl: Mapping[str, float] | None = None,
                  progress: Progress | None = None) -> list[Route]:
    """Every route no other beats on both fee and hours, one per trade-off, by fee
    (``progress`` as for :func:`find_routes`, with a total of 0: not known ahead)."""
    constraints = with_rpl(catalog, constraints, rpl)
    q = _Query(catalog, held, "fee", constraints, search_for(time_limit, search), time_limit)
    routes = _first(q, _routes_for(q, catalog, target, 1, pareto=True, progress=progress))
    front: list[Route] = []
    for r in routes:  # by fee, then hours: keep those faster than every cheaper one
        if all(r.hours < f.hours - tie_tol(f.hours) for f in front):
            front.append(r)
    return front


def cheapest_routes(catalog: Catalog, targets: Iterable[str], *, by: str = "fee",
                    held: Iterable[str] = (), constraints: Constraints | None = None,
                    search: Search | None = None,
                    rpl: Mapping[str, float] | None = None) -> dict[str, Route | None]:
    """The cheapest route to each target (None when there is none), sharing the lookups."""
    q = _Query(catalog, held, by, with_rpl(catalog, constraints, rpl), search)
    return {t: None if s is None else q.route(p, s) for t, p, s in _each_best(q, targets)}


def cheapest_in(index: CatalogIndex, targets: Iterable[str], *, by: str = "fee",
                exclude: frozenset[str] = frozenset(), routes: bool = True,
                good_enough: Mapping[str, float] | None = None, search: Search | None = None
                ) -> dict[str, Route | float | None]:
    """:func:`cheapest_routes` from nothing held, over a catalog's index already built
    (:func:`pathways.index.index_of`; nothing indexed again), excluding ``exclude``.

    With ``routes=False`` each target maps to its cheapest route's total by ``by``
    (exactly :meth:`Route.value`), without building the route's steps. None: no route.
    ``good_enough`` (values only): a target's value is its optimum or any route's value at
    most its ``good_enough``, whichever the search meets first. ``search``: its options.
    """
    if good_enough and routes:
        raise RouteError("good_enough stops at routes that are not the best; "
                         "ask for values (routes=False)")
    q = _Query.of_index(index, by, exclude, search)
    out: dict[str, Route | float | None] = {}
    for t, p, s in _each_best(q, targets, ties=routes, good_enough=good_enough or {}):
        if s is None:
            out[t] = None
        elif routes:
            out[t] = q.route(p, s)
        else:
            out[t] = value_of(s, by)
    return out


def _each_best(q: _Query, targets: Iterable[str], ties: bool = True,
               good_enough: Mapping[str, float] | None = None
               ) -> Iterator[tuple[str, Problem, Solution | None]]:
    """Each target with its problem and best solution (None, and no problem either: no
    route; ``ties`` False skips proving which of several equal sets wins; ``good_enough``
    as :func:`cheapest_in` says)."""
    for t in targets:
        q.check_target(t)
        try:
            p = q.problem(t)
        except NoRouteError:
            yield t, cast(Problem, None), None
            continue
        enough = None if good_enough is None else good_enough.get(t)
        yield t, p, q.cheapest(p, ties=ties, good_enough=enough)[0]


def with_rpl(catalog: Catalog, constraints: Constraints | None,
             rpl: Mapping[str, float] | None) -> Constraints | None:
    """``constraints`` with recognition of prior learning ``rpl`` (credential -> credits
    granted), checked: a known credential whose framework allows it (not an AQF
    micro-credential: :func:`pathways.rules.rpl_refusal`), credits a multiple of 0.5 from
    0.5 up to the credential's own credits."""
    if not rpl:
        return constraints
    from pathways.catalog import is_half_multiple
    from pathways.numbers import NumberError, check
    from pathways.rules import rpl_refusal

    index = index_of(catalog)
    grants = []
    for cid, credits in sorted(rpl.items()):
        c = index.creds.get(cid)
        if c is None:
            raise RouteError(f"recognition of prior learning names unknown credential "
                             f"'{cid}'; {FIND_IDS}")
        refused = rpl_refusal(catalog, cid)
        if refused is not None:
            raise RouteError(refused)
        try:
            check(credits, f"prior learning credits for {cid}", high=c.credits, low_open=True)
        except NumberError as e:
            raise RouteError(str(e)) from None
        if not is_half_multiple(credits):
            raise RouteError(f"prior learning credits for {cid} must be a multiple of 0.5 "
                             f"(got {plain(credits)})")
        grants.append((cid, credits))
    return replace(constraints or Constraints(), rpl=tuple(grants))


def with_schedule(route: Route, hours_per_week: float) -> Route:
    """The route with weeks: steps studied one after another, ``hours / hours_per_week`` each."""
    if not hours_per_week > 0:
        raise RouteError(f"hours per week must be more than 0, got {plain(hours_per_week)}")
    t = 0.0
    steps = []
    for s in route.steps:
        start = t / hours_per_week
        t += s.hours
        steps.append(replace(s, start_week=round(start, 2), end_week=round(t / hours_per_week, 2)))
    return replace(route, steps=tuple(steps))


def upstream_ids(catalog_or_graph: Catalog | nx.DiGraph, targets: Iterable[str]) -> set[str]:
    """The targets and every credential with a path into one of them (stacking, entry
    requirement or co-requisite edges). Ids not in the catalog are left out."""
    if not isinstance(catalog_or_graph, Catalog):  # a networkx graph
        import networkx as nx

        g = catalog_or_graph
        out: set[str] = set()
        for t in targets:
            if t in g and t not in out:
                out.add(t)
                out |= nx.ancestors(g, t)
        return out
    return index_of(catalog_or_graph).upstream(targets)
