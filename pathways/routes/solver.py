"""The exact optimiser: a mixed-integer programme over one :class:`Problem`, solved by HiGHS.

Variables: ``a_v`` (v newly achieved), and for each stacking edge u→v of the problem
``y_uv`` (u counted into v) and ``x_uv`` (credits counted, an integer up to r(u,v)). Every
rule of semantics.md section 2 is a linear constraint, and fee, hours and studied credits
are linear in ``a`` and ``x``, so the optimum of the programme is the optimum route.
Ties are broken lexicographically (objective, fee, hours, fewer credentials, smallest
sorted id list) by solving again with the earlier keys bounded at their optimum; the
counted-into assignment of the chosen set is then decided exactly (see
:func:`best_assignment`).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from pathways.counting import profile_level, studied_cost, whole_cost
from pathways.errors import RouteError

from .model import Constraints
from .problem import Problem, count_credits

__all__ = ["Search", "Solution", "Model", "MipResult", "SolverTimeout", "evaluate", "tie_tol",
           "lexicographic_best", "best_assignment", "solve_mip", "quiet_stdout"]


@dataclass(frozen=True)
class Search:
    """How one route query searches; the defaults are the fastest (tests vary them to check
    each exact method on its own).

    - ``tree``: try the tree branch-and-bound (:mod:`pathways.routes.tree`) before the
      programme;
    - ``enumerate_limit``: enumerate the counted-into choices of a fixed set when there are
      at most this many (else the programme decides them);
    - ``deadline``: a :func:`time.monotonic` instant after which the search stops with
      :class:`SolverTimeout` (None: no limit).
    """

    tree: bool = True
    enumerate_limit: int = 512
    deadline: float | None = None

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
    counted: dict[str, int]  # chosen credential -> credits recognised
    per_link: dict[str, int]  # source -> credits it counts into its link
    fee: float
    hours: float
    credits: int
    valid: bool = True  # False: the assignment breaks a programme rule (issue 15)

    def key(self, name: str) -> float:
        if name == "fee":
            return self.fee
        if name == "hours":
            return self.hours
        if name == "credits":
            return float(self.credits)
        if name == "count":
            return float(len(self.chosen))
        raise KeyError(name)


def evaluate(p: Problem, chosen: Iterable[str], links: dict[str, str]) -> Solution:
    """The exact totals of a set and an assignment (counting as many credits as allowed)."""
    chosen = frozenset(chosen)
    into: dict[str, list[str]] = {}
    for u, v in links.items():
        into.setdefault(v, []).append(u)
    counted: dict[str, int] = {}
    per_link: dict[str, int] = {}
    fees: list[float] = []
    hours: list[float] = []
    studied_total = 0
    for v in sorted(chosen):
        got = count_credits(p, v, into.get(v, ()))
        per_link.update(got)
        n = sum(got.values())
        counted[v] = n
        c = p.creds[v]
        studied = c.credits - n
        fees.append(studied_cost(c, "fee", studied))
        hours.append(studied_cost(c, "hours", studied))
        studied_total += studied
    return Solution(chosen, dict(links), counted, per_link, math.fsum(fees), math.fsum(hours),
                    studied_total, _meets_rules(p, chosen, into, counted, per_link))

def _meets_rules(p: Problem, chosen: frozenset[str], into: dict[str, list[str]],
                 counted: dict[str, int], per_link: dict[str, int]) -> bool:
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
        self.p = p
        self.search = search or Search()
        cands = p.cands
        n = len(cands)
        pos = {v: i for i, v in enumerate(cands)}
        unit = p.unit  # credits are counted in halves when a figure is a half
        edges: list[tuple[str, str, int]] = [
            (u, v, r) for v in cands for u, r in p.sources.get(v, ())]
        m_e = len(edges)
        self.n, self.n_edges, self.size = n, m_e, n + 2 * m_e
        self.pos, self.edges = pos, edges
        creds = p.creds

        rr: list[int] = []
        cc: list[int] = []
        vv: list[float] = []
        lo: list[float] = []
        hi: list[float] = []

        def row(entries: Iterable[tuple[int, float]], low: float, high: float) -> None:
            k = len(lo)
            for col, val in entries:
                rr.append(k)
                cc.append(col)
                vv.append(val)
            lo.append(low)
            hi.append(high)

        inf = math.inf
        ub = np.ones(self.size)
        lb = np.zeros(self.size)
        out_edges: dict[str, list[int]] = {}
        in_edges: dict[str, list[int]] = {}
        self.edge_of: dict[tuple[str, str], int] = {}
        for e, (u, v, r) in enumerate(edges):
            ye, xe = n + e, n + m_e + e
            ub[xe] = r * unit
            row(((xe, 1.0), (ye, -float(r * unit))), -inf, 0.0)
            row(((ye, 1.0), (pos[v], -1.0)), -inf, 0.0)
            if u in pos:
                row(((ye, 1.0), (pos[u], -1.0)), -inf, 0.0)
            out_edges.setdefault(u, []).append(e)
            in_edges.setdefault(v, []).append(e)
            self.edge_of[(u, v)] = e
        for _u, es in sorted(out_edges.items()):
            if len(es) > 1:
                row(((n + e, 1.0) for e in es), -inf, 1.0)  # a credit is counted once
        for v in cands:
            i = pos[v]
            es = in_edges.get(v, [])
            if sum(edges[e][2] for e in es) > p.cap[v]:
                row([(n + m_e + e, 1.0) for e in es] + [(i, -float(p.cap[v] * unit))],
                    -inf, 0.0)
            for lv, most in p.limits.get(v, ()):
                below = [e for e in es if profile_level(creds[edges[e][0]].level) < lv]
                if sum(edges[e][2] for e in below) > most:
                    row([(n + m_e + e, 1.0) for e in below] + [(i, -float(most * unit))],
                        -inf, 0.0)
            # Programme rules and composed credentials (semantics.md section 1).
            if v in p.composed:
                row([(n + m_e + e, 1.0) for e in es] + [(i, -float(creds[v].credits * unit))],
                    0.0, inf)
            for rule in p.rules.get(v, ()):
                members = [e for e in es if edges[e][0] in rule.ids]
                if rule.kind == "min":
                    if len(members) < rule.amount:
                        ub[i] = 0.0
                    elif rule.amount > 0:
                        row([(n + e, 1.0) for e in members] + [(i, -float(rule.amount))],
                            0.0, inf)
                elif rule.kind == "max":
                    if len(members) > rule.amount:
                        row([(n + e, 1.0) for e in members], -inf, float(rule.amount))
                elif rule.kind == "min_credits":
                    row([(n + m_e + e, 1.0) for e in members]
                        + [(i, -float(rule.amount * unit))], 0.0, inf)
                elif sum(edges[e][2] for e in members) > rule.amount:  # max_credits
                    row([(n + m_e + e, 1.0) for e in members], -inf, float(rule.amount * unit))
            for k in p.cores.get(v, ()):
                ke = self.edge_of.get((k, v))
                if ke is None:
                    ub[i] = 0.0
                else:
                    row(((i, 1.0), (n + ke, -1.0)), -inf, 0.0)
            for clause in p.clauses.get(v, ()):
                alts = [pos[a] for a in clause if a in pos]
                if not alts:
                    ub[i] = 0.0
                else:
                    row([(i, 1.0)] + [(j, -1.0) for j in alts], -inf, 0.0)
        lb[pos[p.target]] = 1.0
        # Every credential but the target is of use: it counts into, or is named by an entry
        # requirement of, another one of the route. The best route always is (a useless one
        # only adds cost and size); this keeps the K best alternatives meaningful.
        needed_by: dict[str, set[str]] = {}
        for v in cands:
            for clause in creds[v].requirement_clauses:
                for a in clause:
                    if a in pos and a != v:
                        needed_by.setdefault(a, set()).add(v)
        for u in cands:
            if u == p.target:
                continue
            row([(pos[u], 1.0)] + [(n + e, -1.0) for e in out_edges.get(u, ())]
                + [(pos[w], -1.0) for w in sorted(needed_by.get(u, ()))], -inf, 0.0)

        # Objectives: each total is linear in a (whole credential) and x (credits counted).
        self.obj: dict[str, np.ndarray] = {}
        for key in ("fee", "hours", "credits"):
            vec = np.zeros(self.size)
            for v in cands:
                vec[pos[v]] = whole_cost(creds[v], key)
            for e, (_u, v, _r) in enumerate(edges):
                c = creds[v]
                vec[n + m_e + e] = (-whole_cost(c, key) / (c.credits * unit) if c.credits > 0
                                    else 0.0)
            self.obj[key] = vec
        count = np.zeros(self.size)
        count[:n] = 1.0
        self.obj["count"] = count
        self.zero = np.zeros(self.size)
        # What the solver minimises: the same totals, scaled to whole numbers where a
        # common multiple of the receivers' credits makes them so (HiGHS then prunes with
        # the objective's integrality).
        scale = 1
        for v in cands:
            if v in p.sources and creds[v].credits > 0:
                scale = math.lcm(scale, round(creds[v].credits * unit))
        self.goal: dict[str, np.ndarray] = {}
        for key, vec in self.obj.items():
            scaled = vec * scale
            whole = scale <= 10_000 and bool(np.all(np.abs(scaled - np.rint(scaled)) < 1e-6))
            self.goal[key] = np.rint(scaled) if whole else vec

        self.rr, self.cc, self.vv = rr, cc, vv
        self.row_lo, self.row_hi = lo, hi
        self.lb, self.ub = lb, ub
        self.base_rows: list[Row] = []
        if constraints is not None:
            if constraints.budget is not None:
                b = float(constraints.budget)
                self.base_rows.append(self.bound("fee", b))
            if constraints.max_hours is not None:
                h = float(constraints.max_hours)
                self.base_rows.append(self.bound("hours", h))

    # -- rows ----------------------------------------------------------------------------------
    def bound(self, key: str, value: float) -> Row:
        """``key ≤ value`` (with the tie tolerance)."""
        vec = self.obj[key]
        cols = np.flatnonzero(vec)
        upper = value + (0.5 if key == "count" else tie_tol(value))
        return Row(cols, vec[cols], -math.inf, upper, key, upper)

    def below(self, key: str, value: float) -> Row:
        """``key < value``: at least a tie tolerance less."""
        vec = self.obj[key]
        cols = np.flatnonzero(vec)
        upper = value - tie_tol(value)
        return Row(cols, vec[cols], -math.inf, upper, key, upper)

    def nogood(self, chosen: Iterable[str]) -> Row:
        """Any set but ``chosen``."""
        inside = {self.pos[v] for v in chosen}
        cols = np.arange(self.n)
        vals = np.array([-1.0 if i in inside else 1.0 for i in range(self.n)])
        return Row(cols, vals, 1.0 - len(inside), math.inf)

    # -- solving -------------------------------------------------------------------------------
    def solve(self, obj: np.ndarray, rows: Sequence[Row] = (),
              fix: dict[int, float] | None = None) -> np.ndarray | None:
        """An optimal integer point (rounded), or None when the programme is infeasible."""
        return self._solve(obj, rows, fix, presolve=True)

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

    def _solve(self, obj: np.ndarray, rows: Sequence[Row], fix: dict[int, float] | None,
               presolve: bool) -> np.ndarray | None:
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
        got = solve_mip(obj, rr, cc, vv, lo, hi, lb, ub, time_limit=self.search.time_left(),
                        presolve=presolve)
        if got is None:
            return None
        return np.rint(got.x)

    def read(self, z: np.ndarray) -> tuple[frozenset[str], dict[str, str]]:
        """The set and the assignment of a solution vector."""
        chosen = frozenset(v for v, i in self.pos.items() if z[i] > 0.5)
        links = {u: v for e, (u, v, _r) in enumerate(self.edges) if z[self.n + e] > 0.5}
        return chosen, links

    def evaluate(self, z: np.ndarray) -> Solution:
        chosen, links = self.read(z)
        return evaluate(self.p, chosen, links)


_OPTIONS: dict[str, Any] = {
    "output_flag": False,
    "log_to_console": False,
    "mip_rel_gap": 0.0,
    "mip_abs_gap": 1e-9,
    "primal_feasibility_tolerance": 1e-9,
    "mip_feasibility_tolerance": 1e-9,
    # Heuristics, symmetry detection and reliability branching only steer the search; on
    # the small models of routes their set-up costs more than they save, and none can
    # change the optimum, which branch-and-cut proves.
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_rins": False,
    "mip_detect_symmetry": False,
    "mip_pscost_minreliable": 0,
}


class SolverTimeout(RouteError):
    """The solver reached its time limit before proving an answer."""


@dataclass(frozen=True)
class MipResult:
    """An optimal point of a mixed-integer programme and its objective value."""

    x: np.ndarray
    objective: float


def solve_mip(cost: Sequence[float] | np.ndarray, rows: Sequence[int], cols: Sequence[int],
              values: Sequence[float], row_lower: Sequence[float], row_upper: Sequence[float],
              col_lower: Sequence[float] | np.ndarray, col_upper: Sequence[float] | np.ndarray,
              integer: Sequence[bool] | None = None, *, exact: bool = True,
              time_limit: float | None = None, presolve: bool = True) -> MipResult | None:
    """Minimise ``cost · x`` subject to ``row_lower ≤ A x ≤ row_upper`` and the column
    bounds, with HiGHS (through ``highspy``, its public Python interface).

    ``A`` is given as triplets (``rows[k]``, ``cols[k]``, ``values[k]``; repeated entries
    add up). ``integer[j]`` says whether x_j is an integer (default: every column).
    ``exact`` proves the optimum to a zero gap with the route engine's tolerances (else
    HiGHS's defaults); ``presolve`` may be turned off. Returns None when the programme is
    infeasible; raises :class:`SolverTimeout` when ``time_limit`` seconds pass first and
    :class:`RouteError` when HiGHS fails otherwise (NaN or infinite costs are refused
    before solving).
    """
    import highspy

    size = len(col_lower)
    cost = np.asarray(cost, dtype=float)
    if not np.all(np.isfinite(cost)):
        raise RouteError("a cost given to the solver is not a finite number; "
                         "check the catalog's fees and hours")
    start, index, value = _columns(rows, cols, values, size)
    lp = highspy.HighsLp()
    lp.num_col_ = size
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = cost
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.asarray(col_upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = size
    lp.a_matrix_.num_row_ = len(row_lower)
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    kinds = highspy.HighsVarType
    lp.integrality_ = ([kinds.kInteger] * size if integer is None else
                       [kinds.kInteger if i else kinds.kContinuous for i in integer])
    h = _highs(exact)
    h.setOptionValue("time_limit", float(time_limit) if time_limit is not None else math.inf)
    h.setOptionValue("presolve", "choose" if presolve else "off")
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise RouteError("the solver refused this route query; please report it")
    with quiet_stdout():
        run_status = h.run()
    if run_status == highspy.HighsStatus.kError:
        raise RouteError("the solver failed on this route query; please report it")
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return MipResult(np.asarray(h.getSolution().col_value),
                         float(h.getInfo().objective_function_value))
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt):
        raise SolverTimeout("the solver reached its time limit")
    raise RouteError(f"the solver stopped without an answer ({h.modelStatusToString(status)});"
                     " please report it")


def _columns(rows: Sequence[int], cols: Sequence[int], values: Sequence[float],
             size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Triplets as a column-wise sparse matrix (starts, row indices, values)."""
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    v = np.asarray(values, dtype=float)
    order = np.lexsort((r, c))
    r, c, v = r[order], c[order], v[order]
    if len(r):
        new = np.ones(len(r), dtype=bool)
        new[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
        v = np.bincount(np.cumsum(new) - 1, weights=v)
        r, c = r[new], c[new]
    start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(c, minlength=size), out=start[1:])
    return start, r.astype(np.int32), v


_LOCAL = threading.local()


def _highs(exact: bool) -> Any:
    """This thread's HiGHS instance with the options set (created once: HiGHS prints a
    banner when created, which :func:`quiet_stdout` hides)."""
    key = "exact" if exact else "plain"
    h = getattr(_LOCAL, key, None)
    if h is None:
        import highspy

        with quiet_stdout():
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("log_to_console", False)
        for name, value in (_OPTIONS.items() if exact else ()):
            h.setOptionValue(name, value)
        setattr(_LOCAL, key, h)
    return h


_STDOUT_LOCK = threading.Lock()


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence file descriptor 1 while HiGHS runs: some versions print debugging lines
    with ``printf`` whatever the options say, which would corrupt JSON output."""
    with _STDOUT_LOCK:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            sys.stdout.flush()
        try:
            saved = os.dup(1)
        except OSError:  # no descriptor 1 at all: nothing to protect
            yield
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)


# -- the lexicographic search ------------------------------------------------------------------

def _keys(by: str) -> list[str]:
    keys = [by]
    for k in ("fee", "hours"):
        if k not in keys:
            keys.append(k)
    return keys


def lexicographic_best(model: Model, by: str, rows: Sequence[Row] = ()) -> Solution | None:
    """The best route of the model by (``by``, fee, hours, fewer credentials, smallest ids)."""
    keys = _keys(by)
    p = model.p
    if len(p.cands) == 1 and not rows and not model.base_rows:
        return best_assignment(model, frozenset(p.cands), by, rows)
    z = model.solve(model.goal[keys[0]], rows)
    if z is None:
        return None
    first = model.evaluate(z)
    best0 = first.key(keys[0])
    # Is the set unique? The second-best set by the same objective says (an optimisation
    # prunes far better than asking for any other set within the bound).
    z = model.solve(model.goal[keys[0]], [*rows, model.nogood(first.chosen)])
    if z is None or model.evaluate(z).key(keys[0]) > best0 + tie_tol(best0):
        return best_assignment(model, first.chosen, by, [*rows, model.bound(keys[0], best0)])
    rows = [*rows, model.bound(keys[0], best0)]
    # Another set ties on the objective: settle the remaining keys one by one.
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
            z = model.solve(model.goal[keys[0]], rows, {**fix, i: 1.0})
            if z is None:
                fix[i] = 0.0
            else:
                fix[i] = 1.0
                witness, _links = model.read(z)
    return best_assignment(model, witness, by, rows)


def best_assignment(model: Model | Callable[[], Model], chosen: frozenset[str], by: str,
                    rows: Sequence[Row] = (), p: Problem | None = None,
                    enumerate_limit: int | None = None) -> Solution:
    """The best counted-into assignment for a fixed set ``chosen``.

    Keys: ``by``, fee, hours, then studied credits. A source with one possible receiver is
    counted into it (it never hurts); the few sources with a choice are enumerated, the
    first best in order (sources by id, receivers by id) winning; many choices fall back to
    the programme, where the fewest counted-into links then the solver decide.
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
    fixed = {u: vs[0] for u, vs in options.items() if len(vs) == 1}
    choosing = sorted(u for u, vs in options.items() if len(vs) > 1)
    if not choosing:
        return evaluate(p, chosen, fixed)
    combos = math.prod(len(options[u]) for u in choosing)
    if combos <= (Search.enumerate_limit if enumerate_limit is None else enumerate_limit):
        best: Solution | None = None
        best_key: list[float] = []
        for pick in itertools.product(*(options[u] for u in choosing)):
            links = dict(fixed)
            links.update((u, v) for u, v in zip(choosing, pick, strict=True) if v)
            s = evaluate(p, chosen, links)
            key = [s.key(k) for k in keys]
            if (s.valid and (best is None or _better(key, best_key))
                    and within(s, limit_rows)):
                best, best_key = s, key
        assert best is not None
        return best
    if not isinstance(model, Model):
        model = model()
    fix = {i: (1.0 if v in chosen else 0.0) for v, i in model.pos.items()}
    rows = [r for r in rows if len(r.cols)]
    for k in keys:
        z = model.solve_known(model.goal[k], rows, fix)
        # One bound per total: a second, looser copy of a row (a bound the caller gave)
        # is redundant and has made HiGHS's presolve call the programme infeasible.
        rows = [r for r in rows if r.key != k]
        rows.append(model.bound(k, model.evaluate(z).key(k)))
    weights = model.zero.copy()
    m_e = model.n_edges
    for e in range(m_e):
        weights[model.n + e] = 1.0 + (e + 1) / (m_e * (m_e + 1))
    z = model.solve_known(weights, rows, fix)
    return model.evaluate(z)
