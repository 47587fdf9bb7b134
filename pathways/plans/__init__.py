"""Plans in time: term plans of curricula and programmes (terms), dated plans (dated)."""

from pathways.plans.dated import (  # noqa: F401  (dated: issue 12 part 2)
    DatedPlan,
    DatedStep,
    pareto_dated,
    plan_dated,
)
from pathways.plans.termplan import TermSchedule, plan_terms  # noqa: F401  (terms)
from pathways.plans.terms import (  # noqa: F401  (terms: issue 12 part 3)
    NoTermPlanError,
    TermCourse,
    TermLimits,
    TermPlan,
    TermPlanTimeout,
    solve_terms,
)
