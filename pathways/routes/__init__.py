"""Routes: the exact cheapest way to a qualification (semantics.md section 2).

A route to a target is a set of credentials to achieve and, for each credential achieved
or held, at most one credential it counts into. The engine finds the optimum exactly: a
mixed-integer programme over the target's upstream, solved by HiGHS branch-and-cut
(:mod:`pathways.routes.solver`), with deterministic lexicographic tie-breaks.
"""

from pathways.routes.engine import (
    cheapest_routes,
    find_route,
    find_routes,
    pareto_routes,
    upstream_ids,
    with_schedule,
)
from pathways.routes.model import OBJECTIVES, Constraints, Route, Step, TargetFilter

__all__ = [
    "OBJECTIVES",
    "Constraints",
    "TargetFilter",
    "Step",
    "Route",
    "find_route",
    "find_routes",
    "pareto_routes",
    "cheapest_routes",
    "with_schedule",
    "upstream_ids",
]
