"""The exact optimiser: a mixed-integer programme over one :class:`Problem`, solved by HiGHS.

Variables: ``a_v`` (v newly achieved), and for each stacking edge u→v of the problem
``y_uv`` (u counted into v) and ``x_uv`` (credits counted, an integer up to r(u,v)). Every
rule of semantics.md section 2 is a linear constraint, and fee, hours and studied credits
are linear in ``a`` and ``x``, so the optimum of the programme is the optimum route.
Ties are broken lexicographically (objective, fee, hours, fewer credentials, smallest
sorted id list) by solving again with the earlier keys bounded at their optimum, and the
counted-into assignment of the chosen set is then decided exactly: that search is in
:mod:`pathways.routes.tiebreak`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from pathways.catalog import Credits
from pathways.counting import source_level, studied_cost, whole_cost
from pathways.errors import RouteError

from .highs import MipResult, SolverTimeout, lp_floors, quiet_stdout, solve_mip
from .model import Constraints
from .problem import Problem, count_credits

if TYPE_CHECKING:  # numpy is imported where a programme is solved, not by every route
    import numpy as np

__all__ = ["Search", "Solution", "Model", "Row", "MipResult", "SolverTimeout", "evaluate",
           "tie_tol", "value_of", "solve_mip", "quiet_stdout"]


@dataclass(frozen=True)
class Search:
    """How one route query searches; the defaults are the fastest (tests vary them to check
    each exact method on its own).

    - ``tree``: try the tree branch-and-bound (:mod:`pathways.routes.tree`) before the
      programme;
    - ``enumerate_limit``: enumerate the counted-into choices of a fixed set when there are
      at most this many (else the programme decides them);
    - ``deadline``: a :func:`time.monotonic` instant after which the search stops with
      :class:`SolverTimeout` (None: no limit);
    - ``guess_from``: from this many candidates on, the programme's search for the single
      best route starts from a guessed route (:meth:`Model.guess`);
    - ``prune``: leave out of the single best route's search the credentials no cheapest
      route takes (:mod:`pathways.routes.prune`).
    """

    tree: bool = True
    enumerate_limit: int = 512
    deadline: float | None = None
    guess_from: int = 30
    prune: bool = True

    def time_left(self) -> float | None:
        """Seconds until the deadline (None without one); :class:`SolverTimeout` once past."""
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SolverTimeout("the time limit was reached")
        return left


def tie_tol(value: float) -> float:
    """Two totals closer than this are a tie: 1e-9 relative (a hundredth of a cent on
    $100,000) plus 1e-6, far below any real difference and far above floating-point noise
    and the solver's feasibility tolerance (1e-9)."""
    return 1e-9 * abs(value) + 1e-6


@dataclass
class Solution:
    """A route as a set and an assignment, with its totals computed exactly."""

    chosen: frozenset[str]
    links: dict[str, str]  # source (chosen or held) -> the chosen credential it counts into
    counted: dict[str, Credits]  # chosen credential -> credits recognised
    per_link: dict[str, Credits]  # source -> credits it counts into its link
    fee: float
    hours: float
    credits: Credits
    valid: bool = True  # False: the assignment breaks a programme rule (issue 15)

    def key(self, name: str) -> float:
        """A total by name: fee, hours, credits (studied) or count (credentials taken)."""
        if name == "count":
            return float(len(self.chosen))
        return float(getattr(self, _TOTALS[name]))


def value_of(s: Solution, by: str) -> float:
    """A solution's total by ``by`` as its route gives it (:meth:`Route.value`: fee and
    hours rounded to cents as the route engine rounds them)."""
    return float(round(s.fee, 2) if by == "fee" else round(s.hours, 2)
                 if by == "hours" else s.credits)


def evaluate(p: Problem, chosen: Iterable[str], links: dict[str, str],
             memo: dict[tuple[str, frozenset[str]], _Counted] | None = None) -> Solution:
    """The exact totals of a set and an assignment (counting as many credits as allowed).
    ``memo`` keeps each credential's count by the sources counted into it, for callers
    that evaluate many assignments of one set."""
    chosen = frozenset(chosen)
    into: dict[str, list[str]] = {}
    for u, v in links.items():
        into.setdefault(v, []).append(u)
    counted: dict[str, Credits] = {}
    per_link: dict[str, Credits] = {}
    fees: list[float] = []
    hours: list[float] = []
    studied_total: Credits = 0
    for v in sorted(chosen):
        srcs = into.get(v, ())
        if memo is None:
            got, fee, hour, studied = _counted(p, v, srcs)
        else:
            key = (v, frozenset(srcs))
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = _counted(p, v, srcs)
            got, fee, hour, studied = hit
        per_link.update(got)
        counted[v] = p.creds[v].credits - studied
        fees.append(fee)
        hours.append(hour)
        studied_total += studied
    return Solution(chosen, dict(links), counted, per_link, math.fsum(fees), math.fsum(hours),
                    studied_total, _meets_rules(p, chosen, into, counted, per_link))


_Counted = tuple[dict[str, Credits], float, float, Credits]  # per source, fee, hours, studied


def _counted(p: Problem, v: str, sources: Iterable[str]) -> _Counted:
    """What the sources count into v, and v's fee, hours and credits studied then."""
    got = count_credits(p, v, sources)
    c = p.creds[v]
    studied = c.credits - sum(got.values())
    return got, studied_cost(c, "fee", studied), studied_cost(c, "hours", studied), studied


def _meets_rules(p: Problem, chosen: frozenset[str], into: dict[str, list[str]],
                 counted: dict[str, Credits], per_link: dict[str, Credits]) -> bool:
    """Whether the sources counted into each chosen credential meet its rules, and every
    credential without study of its own has all its credits counted."""
    for v in p.composed & chosen:
        if counted.get(v, 0) < p.creds[v].credits:
            return False
    for v, rules in p.rules.items():
        if v not in chosen:
            continue
        linked = set(into.get(v, ()))
        for r in rules:
            if r.kind == "min" and len(linked.intersection(r.ids)) < r.amount:
                return False
            if r.kind == "max" and len(linked.intersection(r.ids)) > r.amount:
                return False
            got = sum(per_link.get(u, 0) for u in linked.intersection(r.ids))
            if r.kind == "min_credits" and got < r.amount:
                return False
            if r.kind == "max_credits" and got > r.amount:
                return False
    return True



def _better(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether key tuple ``a`` beats ``b``, values within :func:`tie_tol` counting as equal."""
    for x, y in zip(a, b, strict=True):
        t = tie_tol(max(abs(x), abs(y)))
        if x < y - t:
            return True
        if x > y + t:
            return False
    return False


_TOTALS = {"fee": "fee", "hours": "hours", "credits": "credits"}


class Row(NamedTuple):
    """A linear row of a programme; a bound on a total also says which (``key ≤ upper``)."""

    cols: np.ndarray
    vals: np.ndarray
    lo: float
    hi: float
    key: str | None = None
    upper: float | None = None


def within(s: Solution, rows: Iterable[Row]) -> bool:
    """Whether a solution meets every bound on a total among ``rows`` (others are ignored:
    they are about which set is chosen)."""
    for r in rows:
        if r.key is not None and r.upper is not None and s.key(r.key) > r.upper:
            return False
    return True


class Model:
    """The mixed-integer programme of one problem, ready to be solved with extra rows."""

    def __init__(self, p: Problem, constraints: Constraints | None = None,
                 search: Search | None = None) -> None:
        import numpy as np

        self.p = p
        self.search = search or Search()
        cands = p.cands
        n = len(cands)
        self.pos = {v: i for i, v in enumerate(cands)}
        self.unit = p.unit  # credits are counted in halves when a figure is a half
        self.edges: list[tuple[str, str, Credits]] = [
            (u, v, r) for v in cands for u, r in p.sources.get(v, ())]
        m_e = len(self.edges)
        self.n, self.n_edges, self.size = n, m_e, n + 2 * m_e
        self.rr: list[int] = []
        self.cc: list[int] = []
        self.vv: list[float] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []
        self.lb = np.zeros(self.size)
        self.ub = np.ones(self.size)
        self.out_edges: dict[str, list[int]] = {}
        self.in_edges: dict[str, list[int]] = {}
        self.edge_of: dict[tuple[str, str], int] = {}
        self._edge_rows()
        for v in cands:
            self._receiver_rows(v)
        self.lb[self.pos[p.target]] = 1.0
        self._useful_rows()
        self._objectives()
        self.integer = self._integrality()
        self.base_rows: list[Row] = []
        if constraints is not None:
            if constraints.budget is not None:
                self.base_rows.append(self.bound("fee", float(constraints.budget)))
            if constraints.max_hours is not None:
                self.base_rows.append(self.bound("hours", float(constraints.max_hours)))

    # Columns: a_v for each candidate (0..n-1), then y_e (edge e used), then x_e (credits
    # counted over edge e).
    def y(self, e: int) -> int:
        return self.n + e

    def x(self, e: int) -> int:
        return self.n + self.n_edges + e

    def row(self, entries: Iterable[tuple[int, float]], low: float, high: float) -> None:
        """Add the row ``low ≤ Σ value·column ≤ high``."""
        k = len(self.row_lo)
        for col, val in entries:
            self.rr.append(k)
            self.cc.append(col)
            self.vv.append(val)
        self.row_lo.append(low)
        self.row_hi.append(high)

    def _edge_rows(self) -> None:
        """x_e ≤ r·y_e; an edge is used only when both ends are taken (or the source held);
        a credential counts into at most one other: Σ_v y_uv ≤ a_u in one row (tighter than
        y_uv ≤ a_u for each edge with Σ_v y_uv ≤ 1 beside it)."""
        pos, inf = self.pos, math.inf
        for e, (u, v, r) in enumerate(self.edges):
            self.ub[self.x(e)] = r * self.unit
            self.row(((self.x(e), 1.0), (self.y(e), -float(r * self.unit))), -inf, 0.0)
            self.row(((self.y(e), 1.0), (pos[v], -1.0)), -inf, 0.0)
            self.out_edges.setdefault(u, []).append(e)
            self.in_edges.setdefault(v, []).append(e)
            self.edge_of[(u, v)] = e
        for u, es in sorted(self.out_edges.items()):  # a credit is counted once, if taken
            if u in pos:
                self.row([(self.y(e), 1.0) for e in es] + [(pos[u], -1.0)], -inf, 0.0)
            elif len(es) > 1:
                self.row(((self.y(e), 1.0) for e in es), -inf, 1.0)

    def _receiver_rows(self, v: str) -> None:
        """v's own rules: its cap, its level profile, its programme rules, its core
        components (counted into it) and its entry requirements (an alternative taken)."""
        p, i, inf, unit = self.p, self.pos[v], math.inf, self.unit
        es = self.in_edges.get(v, [])
        edges, creds = self.edges, p.creds
        if sum(edges[e][2] for e in es) > p.cap[v]:
            self.row([(self.x(e), 1.0) for e in es] + [(i, -float(p.cap[v] * unit))],
                     -inf, 0.0)
        for lv, most in p.limits.get(v, ()):
            below = [e for e in es if source_level(creds[edges[e][0]], creds[v]) < lv]
            if sum(edges[e][2] for e in below) > most:
                self.row([(self.x(e), 1.0) for e in below] + [(i, -float(most * unit))],
                         -inf, 0.0)
        self._rule_rows(v, es)
        for k in p.cores.get(v, ()):
            ke = self.edge_of.get((k, v))
            if ke is None:
                self.ub[i] = 0.0
            else:
                self.row(((i, 1.0), (self.y(ke), -1.0)), -inf, 0.0)
        for clause in p.clauses.get(v, ()):
            alts = [self.pos[a] for a in clause if a in self.pos]
            if not alts:
                self.ub[i] = 0.0
            else:
                self.row([(i, 1.0)] + [(j, -1.0) for j in alts], -inf, 0.0)

    def _rule_rows(self, v: str, es: list[int]) -> None:
        """Programme rules and composed credentials (semantics.md section 1)."""
        p, i, inf, unit = self.p, self.pos[v], math.inf, self.unit
        edges = self.edges
        if v in p.composed:
            self.row([(self.x(e), 1.0) for e in es] + [(i, -float(p.creds[v].credits * unit))],
                     0.0, inf)
        for rule in p.rules.get(v, ()):
            members = [e for e in es if edges[e][0] in rule.ids]
            if rule.kind == "min":
                if len(members) < rule.amount:
                    self.ub[i] = 0.0
                elif rule.amount > 0:
                    self.row([(self.y(e), 1.0) for e in members] + [(i, -float(rule.amount))],
                             0.0, inf)
            elif rule.kind == "max":
                if len(members) > rule.amount:
                    self.row([(self.y(e), 1.0) for e in members], -inf, float(rule.amount))
            elif rule.kind == "min_credits":
                self.row([(self.x(e), 1.0) for e in members]
                         + [(i, -float(rule.amount * unit))], 0.0, inf)
            elif sum(edges[e][2] for e in members) > rule.amount:  # max_credits
                self.row([(self.x(e), 1.0) for e in members], -inf, float(rule.amount * unit))

    def _useful_rows(self) -> None:
        """Every credential but the target is of use: it counts into, or is named by an entry
        requirement of, another one of the route. The best route always is (a useless one
        only adds cost and size); this keeps the K best alternatives meaningful."""
        p, pos = self.p, self.pos
        needed_by: dict[str, set[str]] = {}
        for v in p.cands:
            for clause in p.creds[v].requirement_clauses:
                for a in clause:
                    if a in pos and a != v:
                        needed_by.setdefault(a, set()).add(v)
        for u in p.cands:
            if u == p.target:
                continue
            self.row([(pos[u], 1.0)] + [(self.y(e), -1.0) for e in self.out_edges.get(u, ())]
                     + [(pos[w], -1.0) for w in sorted(needed_by.get(u, ()))], -math.inf, 0.0)

    def _objectives(self) -> None:
        """Each total is linear in a (whole credential) and x (credits counted): ``obj``
        holds them as they are, ``goal`` what the solver minimises — the same totals scaled
        to whole numbers where a common multiple of the receivers' credits makes them so
        (HiGHS then prunes with the objective's integrality)."""
        import numpy as np

        p, creds = self.p, self.p.creds
        self.obj: dict[str, np.ndarray] = {}
        for key in ("fee", "hours", "credits"):
            vec = np.zeros(self.size)
            for v in p.cands:
                vec[self.pos[v]] = whole_cost(creds[v], key)
            for e, (_u, v, _r) in enumerate(self.edges):
                c = creds[v]
                vec[self.x(e)] = (-whole_cost(c, key) / (c.credits * self.unit)
                                  if c.credits > 0 else 0.0)
            self.obj[key] = vec
        count = np.zeros(self.size)
        count[: self.n] = 1.0
        self.obj["count"] = count
        self.zero = np.zeros(self.size)
        scale = 1
        for v in p.cands:
            if v in p.sources and creds[v].credits > 0:
                scale = math.lcm(scale, round(creds[v].credits * self.unit))
        self.goal: dict[str, np.ndarray] = {}
        self.scale: dict[str, int] = {}  # goal = obj · scale (1: not scaled)
        for key, vec in self.obj.items():
            scaled = vec * scale
            whole = scale <= 10_000 and bool(np.all(np.abs(scaled - np.rint(scaled)) < 1e-6))
            self.goal[key] = np.rint(scaled) if whole else vec
            self.scale[key] = scale if whole else 1

    def _integrality(self) -> np.ndarray:
        """Which columns are integers: every a and y; x only where v has credit-pool rules.

        Without them, the rows on the credits counted into v (x_e ≤ r·y_e, the cap, the
        level-profile limits: nested sets, lower levels inside higher ones) form a laminar
        family, so with a and y whole the most that can be counted is a whole number and
        every key (fee, hours, credits studied) only falls as more is counted: a continuous
        x loses no route and finds none that is not one (the totals are then computed
        exactly by :func:`evaluate` from the links), and the solver branches on fewer
        columns."""
        import numpy as np

        integer = np.ones(self.size)
        for e, (_u, v, _r) in enumerate(self.edges):
            if not any(r.counts_credits for r in self.p.rules.get(v, ())):
                integer[self.x(e)] = 0.0
        return integer

    def proportional(self, key: str, other: str, cols: np.ndarray) -> bool:
        """Whether on the columns ``cols`` the ``key`` total is a fixed positive multiple
        of the ``other`` total (the same order of points, ties included, when only those
        columns vary)."""
        import numpy as np

        a, b = self.obj[key][cols], self.obj[other][cols]
        nonzero = np.flatnonzero(b)
        if key == other or not len(nonzero) or not np.array_equal(np.flatnonzero(a), nonzero):
            return False
        ratio = a[nonzero[0]] / b[nonzero[0]]
        return bool(ratio > 0 and np.allclose(a, ratio * b, rtol=1e-12, atol=0.0))

    # -- rows ----------------------------------------------------------------------------------
    def bound(self, key: str, value: float) -> Row:
        """``key ≤ value`` (with the tie tolerance)."""
        import numpy as np

        vec = self.obj[key]
        cols = np.flatnonzero(vec)
        upper = value + (0.5 if key == "count" else tie_tol(value))
        return Row(cols, vec[cols], -math.inf, upper, key, upper)

    def below(self, key: str, value: float) -> Row:
        """``key < value``: at least a tie tolerance less."""
        import numpy as np

        vec = self.obj[key]
        cols = np.flatnonzero(vec)
        upper = value - tie_tol(value)
        return Row(cols, vec[cols], -math.inf, upper, key, upper)

    def before(self, w: str, u: str) -> Row:
        """``a_w ≤ a_u``: w is taken only with u."""
        import numpy as np

        cols = np.array([self.pos[w], self.pos[u]])
        return Row(cols, np.array([1.0, -1.0]), -math.inf, 0.0)

    def nogood(self, chosen: Iterable[str]) -> Row:
        """Any set but ``chosen``."""
        import numpy as np

        inside = {self.pos[v] for v in chosen}
        cols = np.arange(self.n)
        vals = np.array([-1.0 if i in inside else 1.0 for i in range(self.n)])
        return Row(cols, vals, 1.0 - len(inside), math.inf)

    # -- solving -------------------------------------------------------------------------------
    def solve(self, obj: np.ndarray, rows: Sequence[Row] = (),
              fix: dict[int, float] | None = None,
              cutoff: float | None = None,
              found: list[np.ndarray] | None = None) -> np.ndarray | None:
        """An optimal integer point (rounded), or None when the programme is infeasible
        (or, with ``cutoff``, has no point with ``obj · x ≤ cutoff``). ``found`` receives
        the integer points the solver came across (rounded; see :func:`solve_mip`)."""
        return self._solve(obj, rows, fix, presolve=True, cutoff=cutoff, found=found)

    def solve_known(self, obj: np.ndarray, rows: Sequence[Row] = (),
                    fix: dict[int, float] | None = None) -> np.ndarray:
        """An optimal point of a programme known to be feasible (a point found before meets
        every row). HiGHS's presolve has called such a programme infeasible, its tight
        rows at the edge of its tolerances; then it is solved again without presolve."""
        z = self._solve(obj, rows, fix, presolve=True)
        if z is None:
            z = self._solve(obj, rows, fix, presolve=False)
        if z is None:
            raise RouteError("the solver lost a route it had found (numerical trouble); "
                             "please report it")
        return z

    def cutoff(self, key: str, value: float) -> float:
        """The least cutoff on ``goal[key]`` that keeps every point whose ``key`` total ties
        with ``value``: half a unit of a whole-number goal (nothing else lies between), or
        twice the tie tolerance."""
        import numpy as np

        scale = self.scale[key]
        if scale > 1 or bool(np.all(self.goal[key] == np.rint(self.goal[key]))):
            return value * scale + 0.5
        return value + 2 * tie_tol(value)

    def guess(self, key: str, rows: Sequence[Row] = ()) -> np.ndarray | None:
        """A good integer point found quickly, or None: the programme restricted to the
        credentials its linear relaxation takes (a few of all; a start for the exact
        search, which it then only has to prove optimal)."""
        fix = self.unused(key, rows)
        return None if fix is None else self._solve(self.goal[key], rows, fix, presolve=True)

    def unused(self, key: str, rows: Sequence[Row] = ()) -> dict[int, float] | None:
        """The credentials the linear relaxation by ``key`` leaves out, each fixed at 0
        (None when even the relaxation is infeasible)."""
        lp = self._solve(self.goal[key], rows, None, presolve=True, relax=True)
        if lp is None:
            return None
        return {i: 0.0 for i in range(self.n) if lp[i] < 1e-6}

    def floors(self, key: str) -> tuple[float, list[float]] | None:
        """Lower bounds on the ``key`` total from the linear relaxation (the model's own
        rows; bounds on totals left out, which only loosens them): the least total of any
        route, and for each candidate (in ``p.cands`` order) the least total of a route
        that takes it -- infinity where none can. None when there is no route at all."""
        return lp_floors(self.obj[key], self.rr, self.cc, self.vv, self.row_lo, self.row_hi,
                         self.lb, self.ub, [self.pos[v] for v in self.p.cands],
                         time_limit=self.search.time_left())

    def solve_until(self, key: str, good_enough: float,
                    rows: Sequence[Row] = ()) -> tuple[np.ndarray | None, bool]:
        """An integer point by ``goal[key]`` and whether it is optimal: the search stops at
        the first point whose ``key`` total is at most ``good_enough`` (not optimal then),
        else runs to the optimum (None when the programme is infeasible)."""
        import numpy as np

        got = self._run(self.goal[key], rows, None, presolve=True,
                        target=good_enough * self.scale[key])
        if got is None:
            return None, True
        return np.rint(got.x), got.optimal

    def _solve(self, obj: np.ndarray, rows: Sequence[Row], fix: dict[int, float] | None,
               presolve: bool, cutoff: float | None = None,
               relax: bool = False,
               found: list[np.ndarray] | None = None) -> np.ndarray | None:
        import numpy as np

        points: list[np.ndarray] | None = None if found is None else []
        got = self._run(obj, rows, fix, presolve, cutoff, relax, found=points)
        if found is not None and points:
            found.extend(np.rint(z) for z in points)
        if got is None:
            return None
        return got.x if relax else np.rint(got.x)

    def _run(self, obj: np.ndarray, rows: Sequence[Row], fix: dict[int, float] | None,
             presolve: bool, cutoff: float | None = None, relax: bool = False,
             found: list[np.ndarray] | None = None,
             target: float | None = None) -> MipResult | None:
        import numpy as np

        rows = [*self.base_rows, *rows]
        rr, cc, vv = self.rr, self.cc, self.vv
        lo, hi = self.row_lo, self.row_hi
        if rows:
            k0 = len(lo)
            rr = rr + [k0 + k for k, r in enumerate(rows) for _ in range(len(r[0]))]
            cc = cc + [int(c) for r in rows for c in r[0]]
            vv = vv + [float(x) for r in rows for x in r[1]]
            lo = lo + [r[2] for r in rows]
            hi = hi + [r[3] for r in rows]
        lb, ub = self.lb, self.ub
        if fix:
            lb, ub = lb.copy(), ub.copy()
            for i, val in fix.items():
                lb[i] = ub[i] = val
        return solve_mip(obj, rr, cc, vv, lo, hi, lb, ub,
                         np.zeros(self.size) if relax else self.integer,
                         time_limit=self.search.time_left(), presolve=presolve,
                         cutoff=cutoff, found=found, target=target)

    def read(self, z: np.ndarray) -> tuple[frozenset[str], dict[str, str]]:
        """The set and the assignment of a solution vector."""
        chosen = frozenset(v for v, i in self.pos.items() if z[i] > 0.5)
        links = {u: v for e, (u, v, _r) in enumerate(self.edges) if z[self.n + e] > 0.5}
        return chosen, links

    def evaluate(self, z: np.ndarray) -> Solution:
        chosen, links = self.read(z)
        return evaluate(self.p, chosen, links)
