"""The route-based gap checks: stale, never-used and bottleneck credentials.

Each starts from the route engine's cheapest route to every available qualification
(solved by :mod:`pathways.gaps.parallel`); a bottleneck is confirmed by solving again
without the credential, only where a cheap bound cannot rule it out.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from pathways.catalog import Credential
from pathways.gaps.bounds import Needed, leaf_bound, removal_bound
from pathways.gaps.context import Context
from pathways.gaps.parallel import Task, run_tasks
from pathways.gaps.report import SEVERITIES, Finding, count, plain
from pathways.routes.model import Progress
from pathways.rules import parse_date

__all__ = ["bottlenecks", "cheapest_routes", "never_used", "stale", "usage_of"]


def cheapest_routes(ctx: Context, progress: Progress | None) -> dict[str, Any]:
    """The route engine's cheapest route to every available qualification (None: none)."""
    quals = ctx.qualifications
    # Interleaved chunks: neighbouring ids are often alike (a ladder, a type), and a run
    # of slow ones in one chunk would leave the other workers idle at the end.
    chunks = max(1, min(len(quals) // 25, 400))
    tasks: list[Task] = [("routes", tuple(quals[i::chunks]), "", ()) for i in range(chunks)
                         if quals[i::chunks]]
    out: dict[str, Any] = {}
    for result in _run(ctx, tasks, "routes", progress):
        out.update(result)
    return out


# Route solving, in this process or in worker processes: pathways.gaps.parallel.


def usage_of(routes: Mapping[str, Any]) -> dict[str, list[str]]:
    """For each credential, the qualifications whose cheapest route uses it (sorted)."""
    usage: dict[str, list[str]] = defaultdict(list)
    for q, r in routes.items():
        if r is None:
            continue
        for cid in r.credentials:
            if cid != q:
                usage[cid].append(q)
    for lst in usage.values():
        lst.sort()
    return usage


def _run(ctx: Context, tasks: list[Task], label: str, progress: Progress | None) -> list[Any]:
    return run_tasks(ctx.catalog, ctx.options.by, tasks, workers=ctx.workers, label=label,
                     progress=progress)


def _review_state(c: Credential, as_of: date, window: int) -> tuple[str, bool] | None:
    """(why the credential is stale, whether it is severe), or None when it is not."""
    reasons = []
    severe = False
    if c.effective_status == "discontinued":
        return "discontinued", True
    if c.effective_status == "expiring":
        reasons.append("expiring")
    due = parse_date(c.review_due) if c.review_due else None
    if due is not None:
        if due < as_of:
            reasons.append(f"past its review date ({due.isoformat()})")
            severe = True
        elif due <= _horizon(as_of, window):
            reasons.append(f"due for review on {due.isoformat()}")
    if not reasons:
        return None
    return " and ".join(reasons), severe


def _horizon(as_of: date, days: int) -> date:
    """``as_of`` plus ``days``, or the last date there is when that is past it."""
    try:
        return as_of + timedelta(days=days)
    except OverflowError:
        return date.max


def stale(ctx: Context, usage: Mapping[str, list[str]]) -> list[Finding]:
    """Credentials discontinued, expiring or due for review, with what relies on them."""
    o = ctx.options
    assert o.as_of is not None
    out = []
    for c in sorted(ctx.catalog.credentials, key=lambda c: c.id):
        state = _review_state(c, o.as_of, o.review_window_days)
        if state is None:
            continue
        why, severe = state
        if c.effective_status == "discontinued":
            # what it stacked into or was an entry requirement of (every edge kind)
            fed = [q for q in ctx.edges.receivers(c.id) if ctx.index[q].kind == "qualification"]
            tail = (f"; it stacked into or was required by {', '.join(fed)}" if fed
                    else "; no qualification depended on it")
            affected = fed
        else:
            affected = list(usage.get(c.id, ()))
            tail = (f"; the cheapest route to {count(len(affected), 'qualification')} uses "
                    f"it: {', '.join(affected)}" if affected
                    else "; no cheapest route uses it")
        severity = SEVERITIES[(0 if affected else 1) + (0 if severe else 1)]
        out.append(ctx.finding("stale", severity, [c.id], len(affected),
                               f"{ctx.label(c.id)} is {why}{tail}", qualifications=affected))
    return out


def never_used(ctx: Context, usage: Mapping[str, list[str]]) -> list[Finding]:
    """Available credentials leading to a qualification yet on no cheapest route."""
    out = []
    for c in sorted(ctx.catalog.credentials, key=lambda c: c.id):
        if c.kind == "qualification" or c.id not in ctx.available or c.id in usage:
            continue
        # the qualifications it leads to along stacking and requirement edges
        leads = sorted(q for q in ctx.edges.downstream({c.id})
                       if q != c.id and ctx.index[q].kind == "qualification"
                       and q in ctx.available)
        if not leads:
            continue  # leads nowhere: a dead-end, reported as such
        shown = ", ".join(leads[:5]) + (f" and {len(leads) - 5} more" if len(leads) > 5 else "")
        out.append(ctx.finding(
            "never-used", "low", [c.id], len(leads),
            f"{ctx.label(c.id)} is on no qualification's cheapest route, though it leads to "
            f"{shown}", qualifications=leads))
    return out


def _minor(increase: float | None, before: float, share: float) -> bool:
    """Whether an increase of the objective is below the bottleneck threshold."""
    if increase is None:
        return False
    return increase <= 1e-6 or increase < share * before - 1e-9


def _surely_unreachable(ctx: Context, q: str, c: str) -> bool:
    """Whether q cannot be achieved at all without c (its core, or its only way in)."""
    cq = ctx.index[q]
    if c in cq.core:
        return True
    return any(c in clause and not any(a != c and a in ctx.available for a in clause)
               for clause in ctx.edges.clauses.get(q, ()))


def bottlenecks(ctx: Context, routes: Mapping[str, Any], usage: Mapping[str, list[str]],
                progress: Progress | None) -> list[Finding]:
    """A finding for each credential whose exclusion loses or dearens qualifications."""
    candidates = [c for c in sorted(usage) if ctx.involves(c)]
    after = _values_without(ctx, routes, usage, candidates, progress)
    out = []
    for c in candidates:
        finding = _bottleneck(ctx, c, routes, after.get(c, {}))
        if finding is not None:
            out.append(finding)
    return out


def _values_without(ctx: Context, routes: Mapping[str, Any], usage: Mapping[str, list[str]],
                    candidates: list[str], progress: Progress | None
                    ) -> dict[str, dict[str, float | None]]:
    """{c: {q: the objective of q's cheapest route without c, None if unreachable}}.

    Solves again only where dropping c from the route might cost enough to report, and c
    is not plainly indispensable; the other qualifications c is on are left out.
    """
    tasks: list[Task] = []
    after: dict[str, dict[str, float | None]] = defaultdict(dict)
    needed: dict[str, Needed] = {}
    for c in candidates:
        solve = []
        for q in usage[c]:
            if _surely_unreachable(ctx, q, c):
                after[c][q] = None
            elif not _priced_minor(ctx, routes[q], c, needed):
                solve.append(q)
        for i in range(0, len(solve), 50):
            part = tuple(solve[i:i + 50])
            tasks.append(("values", part, c, tuple(_enough(ctx, routes[q]) for q in part)))
    if ctx.workers > 1:
        random.Random(0).shuffle(tasks)  # spread the slow ones over the workers
    for task, values in zip(tasks, _run(ctx, tasks, "bottlenecks", progress), strict=True):
        after[task[2]].update(values)
    return after


def _enough(ctx: Context, route: Any) -> float | None:
    """The value without a credential at or below which the route's increase is surely
    minor (a cent below the threshold, and checked with :func:`_minor` itself); None when
    no increase is (a share of 0)."""
    o = ctx.options
    before = route.value(o.by)
    share = o.bottleneck_min_increase
    if share <= 0:
        return None
    most = before + share * before - 0.01
    return most if most > before and _minor(most - before, before, share) else None


def _priced_minor(ctx: Context, route: Any, c: str, needed: dict[str, Needed]) -> bool:
    """Whether a route priced without c shows the increase is too small to report: the
    cheap leaf bound first, else the removal bound (``needed`` keeps each route's
    :class:`~pathways.gaps.bounds.Needed`)."""
    o = ctx.options
    before = route.value(o.by)
    if route.target not in needed:
        needed[route.target] = Needed(ctx, route)
    if _minor(leaf_bound(ctx, route, c, needed[route.target]), before,
              o.bottleneck_min_increase):
        return True
    return _minor(removal_bound(ctx, route, c), before, o.bottleneck_min_increase)


def _bottleneck(ctx: Context, c: str, routes: Mapping[str, Any],
                after: Mapping[str, float | None]) -> Finding | None:
    """The finding for c from the objective values without it, or None below threshold."""
    o = ctx.options
    dearer: dict[str, float] = {}
    lost: list[str] = []
    for q, value in sorted(after.items()):
        before = routes[q].value(o.by)
        if value is None:
            lost.append(q)
        elif not _minor(value - before, before, o.bottleneck_min_increase):
            dearer[q] = value - before
    if not dearer and not lost:
        return None
    extra = round(sum(dearer.values()), 2)
    parts = []
    if lost:
        verb = "becomes" if len(lost) == 1 else "become"
        parts.append(f"{count(len(lost), 'qualification')} {verb} unreachable "
                     f"({', '.join(lost)})")
    if dearer:
        what = {"fee": "dearer", "hours": "longer", "credits": "longer"}[o.by]
        verb = "gets" if len(dearer) == 1 else "get"
        amount = (f"${extra:,.0f}" if o.by == "fee"
                  else f"{plain(extra)} {'hours' if o.by == 'hours' else 'credits'}")
        parts.append(f"the cheapest route to {', '.join(sorted(dearer))} {verb} {what} by "
                     f"{amount}" + (" in all" if len(dearer) > 1 else ""))
    return ctx.finding(
        "bottleneck", "high" if lost else "medium", [c], extra,
        f"without {c}, " + " and ".join(parts),
        unreachable=lost, dearer={q: plain(round(v, 2)) for q, v in sorted(dearer.items())})
