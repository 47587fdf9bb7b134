"""HiGHS, the exact solver behind routes and the gap report's coverage bound, through its
public Python interface (``highspy``).

:func:`solve_mip` takes a programme as triplets and bounds and returns an optimal point,
None when infeasible, or raises :class:`SolverTimeout` at its time limit. HiGHS prints a
banner when created and, in some versions, debugging lines with ``printf`` whatever the
options say: :func:`quiet_stdout` keeps them out of standard output (and so out of
``--json``).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pathways.errors import RouteError

__all__ = ["MipResult", "SolverTimeout", "solve_mip", "quiet_stdout"]

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
