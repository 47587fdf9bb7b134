"""HiGHS, the exact solver behind routes and the gap report's coverage bound, through
SciPy's public :func:`scipy.optimize.milp` (no private SciPy module).

:func:`solve_mip` takes a programme as triplets and bounds and returns an optimal point,
None when infeasible, or raises :class:`SolverTimeout` at its time limit. Some HiGHS
versions print debugging lines with ``printf`` whatever the options say:
:func:`quiet_stdout` keeps them out of standard output (and so out of ``--json``).
(``highspy``, HiGHS's own Python interface, was tried: its HiGHS 1.16 took up to twice
as long on the hardest synthetic targets as the HiGHS SciPy bundles.)
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pathways.errors import RouteError

__all__ = ["MipResult", "SolverTimeout", "solve_mip", "quiet_stdout"]

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
}


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
              keep_best: bool = False, cutoff: float | None = None) -> MipResult | None:
    """Minimise ``cost · x`` subject to ``row_lower ≤ A x ≤ row_upper`` and the column
    bounds, with HiGHS through SciPy's public :func:`scipy.optimize.milp`.

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
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csc_array

    size = len(col_lower)
    cost = np.asarray(cost, dtype=float)
    if not np.all(np.isfinite(cost)):
        raise RouteError("a cost given to the solver is not a finite number; "
                         "check the catalog's fees and hours")
    a = csc_array((np.asarray(values, dtype=float), (rows, cols)), shape=(len(row_lower), size))
    a.sum_duplicates()
    options: dict[str, Any] = dict(_OPTIONS) if exact else {}
    options["presolve"] = presolve
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    if cutoff is not None:
        options["objective_bound"] = float(cutoff)
    kinds = np.ones(size) if integer is None else np.asarray(integer, dtype=float)
    with warnings.catch_warnings(), quiet_stdout():
        warnings.filterwarnings("ignore", message="Unrecognized options")
        res = milp(cost, integrality=kinds, bounds=Bounds(col_lower, col_upper),
                   constraints=LinearConstraint(a, np.asarray(row_lower, dtype=float),
                                                np.asarray(row_upper, dtype=float)),
                   options=options)
    if res.status == 0:
        if cutoff is not None and float(res.fun) > cutoff:
            return None
        return MipResult(np.asarray(res.x), float(res.fun))
    if res.status == 2:
        return None
    if res.status == 1 and keep_best and res.x is not None:
        bound = getattr(res, "mip_dual_bound", None)
        return MipResult(np.asarray(res.x), float(res.fun), optimal=False,
                         bound=None if bound is None else float(bound))
    if res.status == 1:
        raise SolverTimeout("the solver reached its time limit")
    raise RouteError(f"the solver stopped without an answer ({res.message}); please report it")


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
