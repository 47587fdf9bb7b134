"""The route programme with time: :class:`TimedModel` extends the route engine's
:class:`~pathways.routes.solver.Model` (which credentials, what counts into what, every
counting rule of semantics.md) with when each chosen credential runs.

Days are counted from the learner's start (day 0). Every credential that has study of its
own runs from one of its possible starts (:class:`Run`: an intake in the window, with the
end its duration gives); one binary ``s`` per run, exactly one when it is taken. A
credential without study of its own (a composed programme) is awarded on a day ``T`` of
its own, when what it needs is complete. The rows, besides the route's:

- entry requirements: for each open clause of v, an alternative ``a`` is chosen for it
  (``w``) and ends before v starts: ``start_v ≥ end_a`` when ``w = 1``;
- counting: a source counted into v (``y``) ends no later than v: ``end_v ≥ end_u``;
- the learner's load: in every week (Monday to Sunday) the hours of the runs in it, each
  run's hours spread evenly over its days, are at most ``hours_per_week``; in every term
  of the catalog's calendar the credits so spread are at most ``max_credits_per_term``;
- the finish ``F`` is at least every chosen credential's end (and at most the deadline).

A run's hours and credits are the credential's whole ones (its normal load): recognised
credits lower the fee and hours of the route, not its timetable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pathways.calendar import Start, intake_starts, run_days
from pathways.catalog import Credential, Term
from pathways.routes.model import Constraints
from pathways.routes.problem import Problem
from pathways.routes.solver import Model, Row, Search

if TYPE_CHECKING:  # numpy is imported where the timed programme is built
    import numpy as np

__all__ = ["Run", "Load", "runs_of", "TimedModel"]


@dataclass(frozen=True)
class Run:
    """One way to take a credential: from day ``start`` to day ``end`` (exclusive), both
    counted from the learner's start; ``term`` names the term of a term intake."""

    start: int
    end: int
    term: str | None = None


@dataclass(frozen=True)
class Load:
    """The learner's limits: hours in any week, credits in any term (None: no limit)."""

    hours_per_week: float | None = None
    max_credits_per_term: float | None = None
    terms: tuple[Term, ...] = ()  # the terms the credit limit applies in


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def week_loads(run: Run, amount: float, first_monday: int) -> Iterable[tuple[int, float]]:
    """(week index, share of ``amount``) of each week ``run`` touches: ``amount`` spread
    evenly over its days; week 0 starts on day ``first_monday`` (0 or below)."""
    days = run.end - run.start
    w = (run.start - first_monday) // 7
    while first_monday + 7 * w < run.end:
        lo = first_monday + 7 * w
        share = _overlap(run.start, run.end, lo, lo + 7)
        if share:
            yield w, amount * share / days
        w += 1


def term_loads(run: Run, amount: float, spans: list[tuple[int, int]]
               ) -> Iterable[tuple[int, float]]:
    """(term index, share of ``amount``) of each term span ``run`` overlaps."""
    days = run.end - run.start
    for i, (lo, hi) in enumerate(spans):
        share = _overlap(run.start, run.end, lo, hi)
        if share:
            yield i, amount * share / days


def runs_of(c: Credential, start: date, horizon: int, load: Load, own: tuple[Term, ...],
            catalog_terms: tuple[Term, ...]) -> tuple[list[Run], str | None]:
    """The runs of credential ``c`` that end by day ``horizon`` and fit the load on their
    own; when there are none, why (a verb phrase: "has no intake before 2027-06-30").
    ``own`` is its provider's calendar, ``catalog_terms`` the catalog's."""
    last = start + timedelta(days=horizon - 1)
    starts: list[Start] = intake_starts(c, own, catalog_terms, start, last)
    deadline = last.isoformat()
    if not starts:
        return [], f"has no intake before {deadline}"
    pace = load.hours_per_week
    runs = []
    for s in starts:
        t0 = (s.day - start).days
        runs.append(Run(t0, t0 + run_days(c, s, pace), s.term))
    fitting = [r for r in runs if r.end <= horizon]
    if not fitting:
        return [], f"cannot end by {deadline} from any intake"
    hours = c.effective_hours
    first_monday = -start.weekday()
    if pace is not None:
        ok = [r for r in fitting
              if all(x <= pace + 1e-9 for _w, x in week_loads(r, hours, first_monday))]
        if not ok:
            most = min(max(x for _w, x in week_loads(r, hours, first_monday)) for r in fitting)
            return [], (f"needs {most:.3g} hours in a week, more than the {pace:g} hours a "
                        "week allowed")
        fitting = ok
    cap = load.max_credits_per_term
    if cap is not None:
        spans = term_spans(load.terms, start)
        ok = [r for r in fitting
              if all(x <= cap + 1e-9 for _t, x in term_loads(r, c.credits, spans))]
        if not ok:
            return [], f"puts more than {cap:g} credits in one term from every intake"
        fitting = ok
    return fitting, None


def term_spans(terms: tuple[Term, ...], start: date) -> list[tuple[int, int]]:
    """Each term as days [first, last + 1) counted from ``start``."""
    return [((date.fromisoformat(t.start) - start).days,
             (date.fromisoformat(t.end) - start).days + 1) for t in terms]


#: Precedences over at most this many distinct days are written time-indexed (strong
#: rows: "v started by day t" implies "a ended by day t" at each day t v may start on);
#: over more (weekly intakes for years) as one aggregated row each (start_v ≥ end_a when
#: chosen, with a big number), which keeps the programme small.
TIME_INDEXED_MAX_DAYS = 40


class TimedModel(Model):
    """The route programme of ``p`` with a run chosen for each credential taken.

    ``runs[v]`` lists the possible runs of each credential with study of its own; a
    credential without (a composed programme) is awarded on a day ``T_v`` of its own, no
    earlier than what is counted into it or required by it ends.
    """

    def __init__(self, p: Problem, runs: dict[str, list[Run]], horizon: int, load: Load,
                 start: date, constraints: Constraints | None = None,
                 search: Search | None = None) -> None:
        super().__init__(p, constraints, search)
        self.constraints = constraints
        self.runs = runs
        self.horizon = horizon
        self.big = float(horizon + 1)
        self.load = load
        self.start = start
        self.first_monday = -start.weekday()  # day of week 0's Monday
        self.spans = term_spans(load.terms, start)
        self._lb: list[float] = [float(x) for x in self.lb]
        self._ub: list[float] = [float(x) for x in self.ub]
        self.s_cols: dict[str, list[int]] = {}
        self.t_col: dict[str, int] = {}
        for v in p.cands:
            if v in p.composed:
                self.t_col[v] = self._new(0.0, float(horizon))
                self.row(((self.t_col[v], 1.0), (self.pos[v], -self.big)), -math.inf, 0.0)
                continue
            cols = [self._new(0.0, 1.0) for _r in runs.get(v, ())]
            self.s_cols[v] = cols
            self.row([(c, 1.0) for c in cols] + [(self.pos[v], -1.0)], 0.0, 0.0)
        self.finish = self._new(0.0, float(horizon))
        self._requirement_rows()
        self._counting_rows()
        for v in p.cands:
            self.row([(self.finish, 1.0)] + [(c, -x) for c, x in self.end_of(v)], 0.0, math.inf)
        self._load_rows(load, start)
        self._work_row(load)
        self._finish_vectors()

    def _work_row(self, load: Load) -> None:
        """All the study of the plan fits in the weeks before the finish: at most
        ``hours_per_week`` in each week from week 0 to the one holding the last day, so
        Σ hours of the credentials taken ≤ H·(F + 6 − first Monday)/7. Implied by the
        weekly rows for whole plans, it gives the solver a far better bound on F."""
        if load.hours_per_week is None:
            return
        h = load.hours_per_week
        entries = [(self.pos[v], float(self.p.creds[v].effective_hours)) for v in self.s_cols]
        self.row(entries + [(self.finish, -h / 7)], -math.inf,
                 h * (6 - self.first_monday) / 7 + 1e-6)
        # No two runs each taking more than half the week's hours share a week, so the
        # weeks in which some run does are at most the weeks before the finish.
        heavy = []
        for v, cols in self.s_cols.items():
            hours = self.p.creds[v].effective_hours
            for col, r in zip(cols, self.runs[v], strict=True):
                n = sum(1 for _w, x in week_loads(r, hours, self.first_monday) if x > h / 2)
                if n:
                    heavy.append((col, float(n)))
        if heavy:
            self.row(heavy + [(self.finish, -1 / 7)], -math.inf,
                     (6 - self.first_monday) / 7 + 1e-6)

    def _finish_vectors(self) -> None:
        import numpy as np

        self.lb = np.array(self._lb)
        self.ub = np.array(self._ub)
        extra = len(self._lb) - self.size
        self.size = len(self._lb)
        self.obj = {k: np.concatenate([v, np.zeros(extra)]) for k, v in self.obj.items()}
        self.goal = {k: np.concatenate([v, np.zeros(extra)]) for k, v in self.goal.items()}
        self.zero = np.zeros(self.size)
        if hasattr(self, "integer"):  # the route model's integer columns; the new are all
            self.integer = np.concatenate([self.integer, np.ones(extra)])
        finish = np.zeros(self.size)
        finish[self.finish] = 1.0
        self.obj["finish"] = self.goal["finish"] = finish
        early = np.zeros(self.size)  # the sum of every start and end: as early as can be
        for v in self.p.cands:
            for c, x in self.start_of(v) + self.end_of(v):
                early[c] += x
        self.obj["early"] = self.goal["early"] = early

    def _new(self, low: float, high: float) -> int:
        self._lb.append(low)
        self._ub.append(high)
        return len(self._lb) - 1

    def _pairs(self, v: str, attr: str) -> list[tuple[int, float]]:
        if v in self.t_col:
            return [(self.t_col[v], 1.0)]
        return [(c, float(getattr(r, attr)))
                for c, r in zip(self.s_cols[v], self.runs[v], strict=True)]

    def start_of(self, v: str) -> list[tuple[int, float]]:
        """v's start day as (column, coefficient) pairs (0 when not taken)."""
        return self._pairs(v, "start")

    def end_of(self, v: str) -> list[tuple[int, float]]:
        """v's end day (exclusive) as (column, coefficient) pairs (0 when not taken)."""
        return self._pairs(v, "end")

    def _days(self, v: str, attr: str) -> list[int] | None:
        """The distinct start (or end) days of v, or None when they are too many to index
        (or v is composed)."""
        if v in self.t_col:
            return None
        days = sorted({getattr(r, attr) for r in self.runs.get(v, ())})
        return days if len(days) <= TIME_INDEXED_MAX_DAYS else None

    def started_by(self, v: str, t: int) -> list[tuple[int, float]]:
        """The runs of v started on day ``t`` or before (their sum: v started by t)."""
        return [(c, 1.0) for c, r in zip(self.s_cols[v], self.runs[v], strict=True)
                if r.start <= t]

    def ended_by(self, v: str, t: int, sign: float = 1.0) -> list[tuple[int, float]]:
        """The runs of v ended by day ``t`` (exclusive end ≤ t), as ``sign``·column; a
        composed credential cannot be indexed (see :meth:`_days`)."""
        return [(c, sign) for c, r in zip(self.s_cols[v], self.runs[v], strict=True)
                if r.end <= t]

    def _before(self, first: str, then: str, switch: int, first_end: bool,
                then_attr: str) -> None:
        """When column ``switch`` is 1, ``first`` ends no later than ``then``'s start (or
        end: ``then_attr``); ``first_end`` is always True (named for reading)."""
        assert first_end
        days = self._days(then, then_attr) if first not in self.t_col else None
        if days is not None:
            pick = self.started_by if then_attr == "start" else (
                lambda v, t: self.ended_by(v, t))
            for t in days:
                self.row(pick(then, t) + self.ended_by(first, t, -1.0) + [(switch, 1.0)],
                         -math.inf, 1.0)
            return
        self.row(self._pairs(then, then_attr) + [(c, -x) for c, x in self.end_of(first)]
                 + [(switch, -self.big)], -self.big, math.inf)

    def _requirement_rows(self) -> None:
        """Each open clause of a taken credential has an alternative (chosen by ``w``, or
        v itself when the clause has one) that ends before it starts."""
        p, inf = self.p, math.inf
        for v in p.cands:
            for clause in p.clauses.get(v, ()):
                alts = sorted({a for a in clause if a in self.pos})
                if len(alts) == 1:
                    self._before(alts[0], v, self.pos[v], True, "start")
                    continue
                ws = [self._new(0.0, 1.0) for _a in alts]
                self.row([(w, 1.0) for w in ws] + [(self.pos[v], -1.0)], 0.0, inf)
                for a, w in zip(alts, ws, strict=True):
                    self.row(((w, 1.0), (self.pos[a], -1.0)), -inf, 0.0)
                    self._before(a, v, w, True, "start")

    def _counting_rows(self) -> None:
        """A credential counted into another ends no later than it."""
        for e, (u, v, _r) in enumerate(self.edges):
            if u in self.pos:  # (a held one is complete already)
                self._before(u, v, self.y(e), True, "end")

    def _load_rows(self, load: Load, start: date) -> None:
        weekly: dict[int, list[tuple[int, float]]] = {}
        termly: dict[int, list[tuple[int, float]]] = {}
        spans = term_spans(load.terms, start)
        first_monday = -start.weekday()
        for v, cols in self.s_cols.items():
            c = self.p.creds[v]
            for col, r in zip(cols, self.runs.get(v, ()), strict=True):
                if r.end == r.start:
                    continue  # an award day: no study
                if load.hours_per_week is not None:
                    for w, x in week_loads(r, c.effective_hours, first_monday):
                        weekly.setdefault(w, []).append((col, x))
                if load.max_credits_per_term is not None:
                    for t, x in term_loads(r, c.credits, spans):
                        termly.setdefault(t, []).append((col, x))
        for limit, rows in ((load.hours_per_week, weekly),
                            (load.max_credits_per_term, termly)):
            for _k, entries in sorted(rows.items()):
                if limit is not None and sum(x for _c, x in entries) > limit + 1e-9:
                    self.row(entries, -math.inf, limit + 1e-9)
                    self._count_row(entries, limit)

    def _count_row(self, entries: list[tuple[int, float]], limit: float) -> None:
        """At most k of these runs together, k the most whose smallest loads fit: implied
        by the load row for whole plans, a much tighter bound for the solver (runs at the
        learner's whole pace cannot share a week at all)."""
        total, k = 0.0, 0
        for x in sorted(x for _c, x in entries):
            if total + x > limit + 1e-9:
                break
            total += x
            k += 1
        if k < len(entries):
            self.row([(c, 1.0) for c, _x in entries], -math.inf, float(k))

    # -- reading a solution --------------------------------------------------------------------
    def schedule(self, z: np.ndarray) -> dict[str, Run]:
        """The run of every credential taken in solution ``z`` (a composed one: its
        award day as a run of no days)."""
        out: dict[str, Run] = {}
        for v, cols in self.s_cols.items():
            for col, r in zip(cols, self.runs.get(v, ()), strict=True):
                if z[col] > 0.5:
                    out[v] = r
        for v, col in self.t_col.items():
            if z[self.pos[v]] > 0.5:
                t = int(round(float(z[col])))
                out[v] = Run(t, t)
        return out

    def lower_bound(self, key: str, rows: list[Row]) -> float | None:
        """A lower bound on ``key`` over every plan meeting ``rows``: the linear
        relaxation's optimum (None when even that is infeasible)."""
        from pathways.routes.highs import solve_mip

        rows = [*self.base_rows, *rows]
        k0 = len(self.row_lo)
        rr = self.rr + [k0 + k for k, r in enumerate(rows) for _ in range(len(r[0]))]
        cc = self.cc + [int(c) for r in rows for c in r[0]]
        vv = self.vv + [float(x) for r in rows for x in r[1]]
        got = solve_mip(self.goal[key], rr, cc, vv, self.row_lo + [r[2] for r in rows],
                        self.row_hi + [r[3] for r in rows], self.lb, self.ub,
                        integer=[False] * self.size, time_limit=self.search.time_left())
        return None if got is None else float(self.obj[key] @ got.x)

    def ends(self) -> list[int]:
        """Every day a plan may end on (exclusive), sorted."""
        days = {r.end for runs in self.runs.values() for r in runs}
        return sorted(days)

    def at_most(self, key: str, value: float) -> Row:
        """``key ≤ value`` for a schedule key (finish, early) or a route total."""
        import numpy as np

        if key in ("finish", "early"):
            vec = self.obj[key]
            cols = np.flatnonzero(vec)
            return Row(cols, vec[cols], -math.inf, value + 1e-6)
        return self.bound(key, value)
