"""Route solving for the gap report, in this process or in a pool of worker processes.

A task is ``(what, targets, excluded credential)``: ``"routes"`` gives
``{target: Route | None}``; ``"values"`` gives ``{target: objective value | None}`` with
the credential excluded. The results are the same however many processes solve them.
Each task's engine call gets the catalog cut to its targets' upstream (:class:`Upstream`),
so a task costs time in that upstream, not in the catalog's size.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from pathways.catalog import Catalog, Stacking
from pathways.routes.model import Progress

__all__ = ["PARALLEL_MIN_TASKS", "Task", "Upstream", "available_cpus", "run_tasks"]

Task = tuple[str, tuple[str, ...], str]

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


class Upstream:
    """Cuts a catalog down to the upstream of a few targets, in time of that upstream.

    A route to a target depends only on the credentials with a path into it (their
    requirements and stacking sources are upstream too), so the engine answers the same
    on the cut catalog; and each engine call indexes the catalog it is given, which on
    the whole catalog costs time in its size for every task (quadratic over a report).
    """

    def __init__(self, catalog: Catalog) -> None:
        from pathways.index import index_of

        self.catalog = catalog
        self.index = index_of(catalog)
        self.edges: dict[str, list[Stacking]] = {}  # target -> the edges into it
        for e in catalog.stacking:
            self.edges.setdefault(e.target, []).append(e)

    def of(self, targets: tuple[str, ...]) -> Catalog:
        up = sorted(self.index.upstream(targets))
        kept = set(up)
        return replace(self.catalog, credentials=[self.index.creds[x] for x in up],
                       stacking=[e for v in up for e in self.edges.get(v, ())
                                 if e.source in kept])


def solve(upstream: Upstream, by: str, task: Task) -> Any:
    """One task's result, solved in this process."""
    from pathways.routes import Constraints, cheapest_routes

    what, targets, excluded = task
    constraints = Constraints(exclude=frozenset({excluded})) if excluded else None
    routes = cheapest_routes(upstream.of(targets), targets, by=by, constraints=constraints)
    if what == "routes":
        return routes
    return {q: (None if r is None else r.value(by)) for q, r in routes.items()}


def _worker_init(catalog: Catalog, by: str) -> None:
    _WORKER["upstream"] = Upstream(catalog)
    _WORKER["by"] = by


def _worker_solve(task: Task) -> Any:
    return solve(_WORKER["upstream"], _WORKER["by"], task)


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
        upstream = Upstream(catalog)
        for task in tasks:
            results.append(solve(upstream, by, task))
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
