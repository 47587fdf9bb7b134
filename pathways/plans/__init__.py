"""Plans in time: term plans of curricula and programmes (terms), dated plans (dated)."""

from pathways.plans.terms import (  # noqa: F401  (terms: issue 12 part 3)
    NoTermPlanError,
    TermCourse,
    TermLimits,
    TermPlan,
    TermPlanTimeout,
    solve_terms,
)
