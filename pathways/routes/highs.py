"""HiGHS, the exact solver behind routes, plans and the gap report's coverage bound,
through its own Python interface, ``highspy`` (imported when a programme is solved).

:func:`solve_mip` takes a programme as triplets and bounds and returns an optimal point,
None when infeasible, or raises :class:`SolverTimeout` at its time limit. Some HiGHS
versions print debugging lines with ``printf`` whatever the options say:
:func:`quiet_stdout` keeps them out of standard output (and so out of ``--json``).
(SciPy's :func:`scipy.optimize.milp` bundles an older HiGHS and cannot turn off its
restarts: on the hardest route programmes, proving an optimum took 3–5 times longer.)
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pathways.errors import RouteError

if TYPE_CHECKING:  # numpy is imported where a programme is solved, not by every route
    import numpy as np

__all__ = ["MipResult", "SolverTimeout", "solve_mip", "lp_floors", "quiet_stdout"]

_OPTIONS: dict[str, Any] = {
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
    # After reduced-cost fixing, HiGHS restarts from the root with the smaller model, each
    # time presolving and separating cuts again: on route programmes (knapsacks of papers
    # under a few big credentials) that repeated root work was most of the time.
    "mip_allow_restart": False,
}
# On a programme of this many columns or more, branching waits for this many pseudo-cost
# observations of a column before trusting them (a few strong-branching probes pay there:
# the hardest route programme took 0.75 s instead of 1.3 s).
_BIG = 300
_BIG_RELIABLE = 4
# Without ``exact``: HiGHS's own defaults but for the same quiet output.
_DEFAULTS: dict[str, Any] = {}


class SolverTimeout(RouteError):
    """The solver reached its time limit before proving an answer."""


@dataclass(frozen=True)
class MipResult:
    """An optimal point of a mixed-integer programme and its objective value; with
    ``keep_best``, at a time limit, the best point found (``optimal`` false) and the
    proven bound on the objective (``bound``)."""

    x: np.ndarray
    objective: float
    optimal: bool = True
    bound: float | None = None


def solve_mip(cost: Sequence[float] | np.ndarray, rows: Sequence[int], cols: Sequence[int],
              values: Sequence[float], row_lower: Sequence[float], row_upper: Sequence[float],
              col_lower: Sequence[float] | np.ndarray, col_upper: Sequence[float] | np.ndarray,
              integer: Sequence[bool] | np.ndarray | None = None, *, exact: bool = True,
              time_limit: float | None = None, presolve: bool = True,
              keep_best: bool = False, cutoff: float | None = None,
              found: list[np.ndarray] | None = None,
              target: float | None = None) -> MipResult | None:
    """Minimise ``cost · x`` subject to ``row_lower ≤ A x ≤ row_upper`` and the column
    bounds, with HiGHS through its own Python interface, ``highspy``.

    ``A`` is given as triplets (``rows[k]``, ``cols[k]``, ``values[k]``; repeated entries
    add up). ``integer[j]`` says whether x_j is an integer (default: every column).
    ``exact`` proves the optimum to a zero gap with the route engine's tolerances (else
    HiGHS's defaults); ``presolve`` may be turned off. Returns None when the programme is
    infeasible; raises :class:`SolverTimeout` when ``time_limit`` seconds pass first and
    :class:`RouteError` when HiGHS fails otherwise (NaN or infinite costs are refused
    before solving). With ``keep_best``, a time limit reached after a feasible point was
    found returns that point (``optimal`` false, ``bound`` the proven bound) instead.

    ``cutoff`` asks only for points with ``cost · x ≤ cutoff``: HiGHS prunes every part
    of its search whose bound exceeds it (its ``objective_bound``), so proving that no such
    point exists costs far less than finding the optimum; None is returned then (HiGHS may
    still report a point beyond the cutoff that it came across: it is not an optimum and
    is dropped).

    ``found``, a list, receives every integer point HiGHS comes across on its way (its
    heuristics' and its search's, the optimum too): on a programme with many routes
    almost as good as the best, the next best routes are often among them.

    ``target`` says a point with ``cost · x ≤ target`` is good enough: HiGHS stops at the
    first such point it finds (its ``objective_target``) and returns it with ``optimal``
    false (true when the search ended by proving the optimum first).
    """
    import highspy
    import numpy as np

    size = len(col_lower)
    cost = np.asarray(cost, dtype=float)
    if not np.all(np.isfinite(cost)):
        raise RouteError("a cost given to the solver is not a finite number; "
                         "check the catalog's fees and hours")
    h = _highs(highspy, time_limit)
    for key, value in (_OPTIONS if exact else _DEFAULTS).items():
        h.setOptionValue(key, value)
    if exact and size >= _BIG:
        h.setOptionValue("mip_pscost_minreliable", _BIG_RELIABLE)
    h.setOptionValue("presolve", "on" if presolve else "off")
    if cutoff is not None:
        h.setOptionValue("objective_bound", float(cutoff))
    if target is not None:
        h.setOptionValue("objective_target", float(target))
    h.passModel(_model(highspy, cost, rows, cols, values, row_lower, row_upper, col_lower,
                       col_upper, np.ones(size) if integer is None else integer))
    if found is not None:
        def keep(_kind: Any, _message: str, data: Any, _data_in: Any, _user: Any) -> None:
            found.append(np.array(data.mip_solution))

        h.setCallback(keep, None)
        h.startCallback(highspy.cb.HighsCallbackType.kCallbackMipSolution)
    with quiet_stdout():
        h.run()
    return _result(h, highspy.HighsModelStatus, keep_best, cutoff)


def lp_floors(cost: np.ndarray, rows: Sequence[int], cols: Sequence[int],
              values: Sequence[float], row_lower: Sequence[float], row_upper: Sequence[float],
              col_lower: np.ndarray, col_upper: np.ndarray, columns: Sequence[int], *,
              time_limit: float | None = None) -> tuple[float, list[float]] | None:
    """Lower bounds from the linear relaxation: its optimum, and for each of ``columns``
    the optimum with that column fixed at 1 (infinity when that is infeasible; a column
    whose upper bound is below 1 is skipped, infinity too). None when the relaxation
    itself is infeasible.

    One model is kept and only the fixed column changes, so each solve starts from the
    last basis (a few dual simplex steps: a millisecond, not a new solve). Raises
    :class:`SolverTimeout` after ``time_limit`` seconds."""
    import highspy
    import numpy as np

    size = len(col_lower)
    h = _highs(highspy, time_limit)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.passModel(_model(highspy, cost, rows, cols, values, row_lower, row_upper, col_lower,
                       col_upper, np.zeros(size)))
    status = highspy.HighsModelStatus

    def run() -> float:
        with quiet_stdout():
            h.run()
        got = h.getModelStatus()
        if got == status.kOptimal:
            return float(h.getInfo().objective_function_value)
        if got == status.kTimeLimit:
            raise SolverTimeout("the solver reached its time limit")
        if got in (status.kInfeasible, status.kUnboundedOrInfeasible):
            return math.inf
        raise RouteError(f"the solver stopped without an answer "
                         f"({h.modelStatusToString(got)}); please report it")

    floor = run()
    if floor == math.inf:
        return None
    floors = []
    for j in columns:
        low, high = float(col_lower[j]), float(col_upper[j])
        if high < 1.0:
            floors.append(math.inf)
            continue
        if low >= 1.0:
            floors.append(floor)
            continue
        h.changeColBounds(int(j), 1.0, 1.0)
        floors.append(run())
        h.changeColBounds(int(j), low, high)
    return floor, floors


def _highs(highspy: Any, time_limit: float | None) -> Any:
    """A silent HiGHS instance, with a time limit when given."""
    with quiet_stdout():  # highspy 1.16 prints its banner when a Highs is made
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    return h


def _model(highspy: Any, cost: np.ndarray, rows: Sequence[int], cols: Sequence[int],
           values: Sequence[float], row_lower: Sequence[float], row_upper: Sequence[float],
           col_lower: Sequence[float] | np.ndarray, col_upper: Sequence[float] | np.ndarray,
           integer: Sequence[bool] | np.ndarray) -> Any:
    """The programme as a HiGHS model, its matrix column by column (duplicates summed)."""
    import numpy as np

    size, height = len(col_lower), len(row_lower)
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    keys, where = np.unique(c * max(height, 1) + r, return_inverse=True)
    vals = np.bincount(where, weights=np.asarray(values, dtype=float), minlength=len(keys))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = size, height
    lp.col_cost_ = cost
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.asarray(col_upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(keys // max(height, 1), np.arange(size + 1))
    lp.a_matrix_.index_ = keys % max(height, 1)
    lp.a_matrix_.value_ = vals
    kinds = highspy.HighsVarType
    lp.integrality_ = [kinds.kInteger if k else kinds.kContinuous
                       for k in np.asarray(integer, dtype=bool)]
    return lp


def _result(h: Any, status: Any, keep_best: bool, cutoff: float | None) -> MipResult | None:
    """The answer of a run: a point, None (infeasible, or nothing within the cutoff), or
    the error that says why there is none."""
    import numpy as np

    model_status = h.getModelStatus()
    info = h.getInfo()
    found = info.primal_solution_status == 2  # a feasible point is at hand
    if model_status == status.kOptimal and found:
        value = float(info.objective_function_value)
        if cutoff is not None and value > cutoff:
            return None
        return MipResult(np.asarray(h.getSolution().col_value), value)
    if model_status == status.kObjectiveTarget and found:
        return MipResult(np.asarray(h.getSolution().col_value),
                         float(info.objective_function_value), optimal=False,
                         bound=float(info.mip_dual_bound))
    if model_status in (status.kInfeasible, status.kObjectiveBound) or (
            model_status == status.kOptimal and cutoff is not None):
        return None
    if model_status == status.kTimeLimit:
        if keep_best and found:
            return MipResult(np.asarray(h.getSolution().col_value),
                             float(info.objective_function_value), optimal=False,
                             bound=float(info.mip_dual_bound))
        raise SolverTimeout("the solver reached its time limit")
    raise RouteError(f"the solver stopped without an answer "
                     f"({h.modelStatusToString(model_status)}); please report it")


_STDOUT_LOCK = threading.Lock()


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence file descriptor 1 while HiGHS is made and runs: some versions print a
    banner or debugging lines with ``printf`` whatever the options say, which would
    corrupt JSON output."""
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
