"""Routes: the exact cheapest way to a qualification (semantics.md section 2).

A route to a target is a set of credentials to achieve and, for each credential achieved
or held, at most one credential it counts into. The engine finds the optimum exactly, with
deterministic lexicographic tie-breaks (objective, fee, hours, fewer credentials, smallest
ids), over the target's upstream (:mod:`pathways.routes.problem`):

- first a best-first branch-and-bound over a tree relaxation solved by dynamic programming
  over credits (:mod:`pathways.routes.tree`): it settles almost every target in a few
  milliseconds;
- else a mixed-integer programme solved by HiGHS branch-and-cut
  (:mod:`pathways.routes.solver`), which also answers the K best routes and the fee/hours
  trade-offs.

Both are exact; tests check each against an exhaustive search.
"""

from pathways.routes.engine import (
    cheapest_routes,
    find_route,
    find_routes,
    pareto_routes,
    upstream_ids,
    with_rpl,
    with_schedule,
)
from pathways.routes.model import (
    OBJECTIVES,
    Constraints,
    Route,
    RouteTimeLimit,
    Step,
    TargetFilter,
)
from pathways.routes.skills import find_skills_route, parse_skills
from pathways.routes.solver import Search

__all__ = [
    "OBJECTIVES",
    "Constraints",
    "TargetFilter",
    "Step",
    "Route",
    "RouteTimeLimit",
    "Search",
    "find_route",
    "find_routes",
    "pareto_routes",
    "cheapest_routes",
    "find_skills_route",
    "parse_skills",
    "with_rpl",
    "with_schedule",
    "upstream_ids",
]
