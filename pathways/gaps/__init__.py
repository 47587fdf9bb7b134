"""The provider gap report: where a catalog's pathways break, stall or duplicate.

:func:`find_gaps` runs the checks of semantics.md section 4 and returns a
:class:`GapReport` of :class:`Finding` s, each with a kind, a severity, the credentials and
providers involved, one number (its *figure*) and a one-line message. Every threshold is a
field of :class:`GapOptions` with a documented default.

What counts as available: a discontinued credential cannot be newly taken, so it neither
opens nor carries a pathway (it is reported as ``stale`` instead); expiring ones still do.
"Stacks into ... directly or through others" follows stacking edges only (an entry
requirement consumes no credits and is no on-ramp).

The kinds and how each is found:

- ``dead-end``: an available micro-credential from which no available qualification can be
  reached along stacking edges through available credentials. Figure: its credits.
- ``no-on-ramp``: an available qualification that no available micro-credential reaches
  along stacking edges. Figure: its credits.
- ``shortfall``: the most of a qualification's credits a learner can have recognised from
  micro-credentials, directly or through intermediate credentials, below
  ``shortfall_threshold`` of its credits. Figure: that share (0-1). Computed exactly, see
  :func:`micro_credential_coverage`.
- ``level-jump``: a stacking edge climbing more than ``max_level_jump`` levels, or a
  qualification whose nearest (highest-level) micro-credential on-ramp, directly or
  through others, is more than that far below it (unless that on-ramp stacks straight
  into it: the edge finding says so already). Figure: the levels climbed.
- ``stale``: a credential discontinued, expiring, past its review date or due for review
  within ``review_window_days`` of ``as_of``, with the qualifications whose cheapest route
  uses it (for a discontinued one: the qualifications it stacked into or was required by).
  Figure: how many such qualifications.
- ``duplication``: an available micro-credential sharing at least ``duplication_overlap`` of
  its own skills (and at least ``duplication_min_shared`` skills) with available
  qualifications within ``duplication_level_window`` levels of it that it does not stack
  into, directly or through others; one finding per micro-credential, naming the closest
  match first. The share is of the micro-credential's skills, not Jaccard: a
  micro-credential is small, a qualification broad, and the question is whether the small
  one's content is already taught. Figure: the largest share.
- ``never-used``: an available micro-credential or course that leads to a qualification
  (along stacking or requirement edges) yet is on no qualification's cheapest route.
  Figure: how many qualifications it leads to.
- ``bottleneck``: a credential whose exclusion makes qualifications unreachable or their
  cheapest route dearer by at least ``bottleneck_min_increase`` of it. Only the
  qualifications whose cheapest route uses it can change; of those, one whose core or
  only way in it is is unreachable without solving, and one for which a route without it
  can be priced from the current route (:func:`pathways.gaps.bounds.leaf_bound`, then
  :func:`pathways.gaps.bounds.removal_bound`) below the threshold is not solved again
  either; a re-solve asks for the optimum's value only (ties between routes unbroken).
  Figure: the total increase of the objective (NZD for ``by="fee"``) over the
  qualifications still reachable; unreachable ones make it high.
- ``isolated-provider``: a provider (of two or more in the catalog) none of whose
  credentials stack into or from another provider's. Figure: its credentials.

"Cheapest route" is the route engine's (:mod:`pathways.routes`) from nothing held, by the
objective ``by`` (default fee), to every available qualification.

Severities: ``high`` for a shortfall below half the threshold, a level jump of twice the
limit or more, a stale credential that is discontinued or past review with routes relying
on it, a duplication of all of a micro-credential's skills, a bottleneck that makes a
qualification unreachable; ``low`` for never-used, isolated providers and stale
credentials nothing relies on that are merely expiring or due soon; ``medium`` otherwise.
Findings are sorted by severity, then figure (worse first: a smaller share for shortfall,
more qualifications made unreachable then a larger figure for the rest), then kind, then
ids. A finding's ``details`` carry what the one line cannot (the qualifications affected,
the shares, the skills shared); the JSON output writes them under ``"details"``.

The package's modules, one idea each: :mod:`~pathways.gaps.report` (the options, findings
and report, and their renderings), :mod:`~pathways.gaps.context` (the catalog indexed for
the checks), :mod:`~pathways.gaps.structural` (dead-end, no-on-ramp, level-jump,
duplication, isolated-provider), :mod:`~pathways.gaps.coverage` (shortfall and its exact
optimum), :mod:`~pathways.gaps.routed` (stale, never-used, bottleneck) and
:mod:`~pathways.gaps.parallel` (route solving in worker processes).
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from pathways.catalog import Catalog
from pathways.gaps.context import Context, check_acyclic, wanted
from pathways.gaps.coverage import micro_credential_coverage, shortfalls
from pathways.gaps.report import (
    GAP_KINDS,
    KIND_DESCRIPTIONS,
    ROUTE_KINDS,
    SEVERITIES,
    Finding,
    GapOptionError,
    GapOptions,
    GapReport,
    sort_key,
)
from pathways.gaps.routed import bottlenecks, cheapest_routes, never_used, stale, usage_of
from pathways.gaps.structural import (
    dead_ends,
    duplications,
    isolated_providers,
    level_jumps,
    no_on_ramps,
)
from pathways.routes.model import Progress

__all__ = [
    "GAP_KINDS",
    "KIND_DESCRIPTIONS",
    "SEVERITIES",
    "Finding",
    "GapOptionError",
    "GapOptions",
    "GapReport",
    "find_gaps",
    "micro_credential_coverage",
]

# The checks read off the graph, in the order they run.
STRUCTURAL: dict[str, Callable[[Context], list[Finding]]] = {
    "dead-end": dead_ends,
    "no-on-ramp": no_on_ramps,
    "shortfall": shortfalls,
    "level-jump": level_jumps,
    "duplication": duplications,
    "isolated-provider": isolated_providers,
}


def find_gaps(
    catalog: Catalog,
    options: GapOptions | None = None,
    *,
    progress: Progress | None = None,
    workers: int = 1,
) -> GapReport:
    """Every gap of the kinds asked for, filtered and sorted; see the module docstring.

    ``progress(label, done, total)`` is called during long steps (routes, bottlenecks).
    ``workers`` > 1 solves routes in that many processes (at most one per CPU) when there
    are enough of them (the report is the same). Raises :class:`GapOptionError` for
    unusable options, and :class:`~pathways.errors.CatalogError` naming a cycle.
    """
    opts = (options or GapOptions()).resolved()
    # Many small objects and no reference cycles: the cyclic collector would only rescan
    # the catalog over and over (its cost grew faster than the catalog).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _find(catalog, opts, progress, workers)
    finally:
        if was_enabled:
            gc.enable()


def _find(catalog: Catalog, opts: GapOptions, progress: Progress | None,
          workers: int) -> GapReport:
    assert opts.kinds is not None and opts.as_of is not None
    ctx = Context(catalog, opts, workers)
    check_acyclic(ctx)
    findings: list[Finding] = []
    for kind, check in STRUCTURAL.items():
        if kind in opts.kinds:
            findings += check(ctx)
    unreachable: list[str] = []
    if opts.kinds & ROUTE_KINDS:
        routes = cheapest_routes(ctx, progress)
        unreachable = sorted(q for q, r in routes.items() if r is None)
        usage = usage_of(routes)
        if "stale" in opts.kinds:
            findings += stale(ctx, usage)
        if "never-used" in opts.kinds:
            findings += never_used(ctx, usage)
        if "bottleneck" in opts.kinds:
            findings += bottlenecks(ctx, routes, usage, progress)
    findings = [f for f in findings if wanted(ctx, f)]
    findings.sort(key=sort_key)
    return GapReport(findings, opts, _summary(ctx, findings, unreachable))


def _summary(ctx: Context, findings: list[Finding], unreachable: list[str]) -> dict[str, object]:
    opts = ctx.options
    assert opts.kinds is not None and opts.as_of is not None
    return {
        "catalog": ctx.catalog.name,
        "as_of": opts.as_of.isoformat(),
        "credentials": len(ctx.catalog.credentials),
        "qualifications": len(ctx.qualifications),
        "total": len(findings),
        "by_severity": {s: sum(f.severity == s for f in findings) for s in SEVERITIES},
        "by_kind": {k: sum(f.kind == k for f in findings) for k in GAP_KINDS
                    if k in opts.kinds},
        "kinds": [k for k in GAP_KINDS if k in opts.kinds],
        "unreachable": unreachable,
        "providers": sorted(opts.providers) if opts.providers else None,
        "fields": sorted(opts.fields) if opts.fields else None,
        "options": opts.to_dict(),
    }
