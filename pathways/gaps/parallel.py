"""Route solving for the gap report, in this process or in a pool of worker processes.

A task is ``(what, targets, excluded credential, good enough)``: ``"routes"`` gives
``{target: Route | None}``; ``"values"`` gives ``{target: objective value | None}`` with
the credential excluded, where a target's value may be any route's at most its good-enough
value (the fourth item: one per target, None for none, or empty), not the optimum's
(:func:`pathways.routes.engine.cheapest_in`). The results are the same however many
processes solve them.
Every task is solved over the catalog's one index (:func:`pathways.index.index_of`, built
once per process) by :func:`pathways.routes.engine.cheapest_in`: a target costs time in its
upstream, never in the catalog's size (no catalog is cut or indexed again per task).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from pathways.catalog import Catalog
from pathways.routes.model import Progress

if TYPE_CHECKING:
    from pathways.index import CatalogIndex

__all__ = ["PARALLEL_MIN_TASKS", "Task", "available_cpus", "run_tasks"]

Task = tuple[str, tuple[str, ...], str, tuple[float | None, ...]]

PARALLEL_MIN_TASKS = 8  # fewer tasks than this are not worth starting processes for

# What a worker process holds: set once by its initializer, read by every task it runs
# (the catalog is sent once to each worker, not with every task).
_WORKER: dict[str, Any] = {}


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system says, else all)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def solve(index: CatalogIndex, by: str, task: Task) -> Any:
    """One task's result, solved in this process."""
    from pathways.routes.engine import cheapest_in

    what, targets, excluded, enough = task
    good = {t: g for t, g in zip(targets, enough, strict=False) if g is not None}
    return cheapest_in(index, targets, by=by, routes=what == "routes",
                       exclude=frozenset({excluded}) if excluded else frozenset(),
                       good_enough=good or None)


def _worker_init(catalog: Catalog, by: str) -> None:
    from pathways.index import index_of

    _WORKER["index"] = index_of(catalog)
    _WORKER["by"] = by


def _worker_solve(task: Task) -> Any:
    return solve(_WORKER["index"], _WORKER["by"], task)


def run_tasks(catalog: Catalog, by: str, tasks: list[Task], *, workers: int, label: str,
              progress: Progress | None) -> list[Any]:
    """The tasks' results, in order; ``progress(label, done, total)`` counts targets done.

    Up to ``workers`` processes (never more than the tasks or the CPUs) when there are at
    least :data:`PARALLEL_MIN_TASKS` tasks; this process alone otherwise.
    """
    total = sum(len(t[1]) for t in tasks)
    done = 0
    if progress is not None:
        progress(label, 0, total)
    workers = min(workers, available_cpus(), len(tasks))
    if workers <= 1 or len(tasks) < PARALLEL_MIN_TASKS:
        results = []
        from pathways.index import index_of

        index = index_of(catalog)  # (the gap context's, from the cache)
        for task in tasks:
            results.append(solve(index, by, task))
            done += len(task[1])
            if progress is not None:
                progress(label, done, total)
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Not fork: this process may have run HiGHS already (the shortfall's programme), and
    # a forked child inherits HiGHS's thread pool without its threads, so its first solve
    # waits for them forever. Workers start clean; the catalog is sent once to each.
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    out: list[Any] = [None] * len(tasks)
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context(method),
                             initializer=_worker_init, initargs=(catalog, by)) as pool:
        futures = {pool.submit(_worker_solve, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            out[i] = future.result()
            done += len(tasks[i][1])
            if progress is not None:
                progress(label, done, total)
    return out
