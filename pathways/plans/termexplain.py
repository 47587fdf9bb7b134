"""Why no term plan exists, in one line: the first of a few cheap checks that fails.

In order: a course offered in none of the terms; a chain of prerequisites (and the
terms its courses are offered in) longer than the terms allowed, named course by
course; a course or a group of strict co-requisites too big for one term; more credits
or courses than the terms can hold; too few for the minimums. When every check passes
the limits clash only together, and the message says which single limit, dropped,
would let a plan exist.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace

from pathways.plans.terms import TermCourse, TermLimits

__all__ = ["explain", "earliest_terms", "lower_bound"]


def _fig(x: float) -> str:
    return f"{x:g}"


def _terms(ts: Iterable[int], labels: Sequence[str] = ()) -> str:
    """Terms as a message names them: "terms 1, 3", or by their labels."""
    ts = sorted(ts)
    if labels and all(t < len(labels) for t in ts):
        return ", ".join(labels[t] for t in ts)
    words = [str(t + 1) for t in ts]
    return ("term " if len(words) == 1 else "terms ") + ", ".join(words)


def earliest_terms(courses: Sequence[TermCourse],
                   n: int) -> tuple[dict[str, int], dict[str, str | None]]:
    """Each course's earliest possible term (0-based; ``n`` when none of the ``n`` terms
    can take it) after its prerequisites, co-requisites and offered terms, and the
    course that pushed it there (None: its own offered terms or nothing)."""
    early = {c.id: 0 for c in courses}
    why: dict[str, str | None] = {c.id: None for c in courses}
    changed = True
    while changed:
        changed = False
        for c in courses:
            low, by = 0, None
            for clause in c.prerequisites:
                a = min(clause, key=lambda a: (early[a], a))
                if early[a] + 1 > low:
                    low, by = early[a] + 1, a
            for a in (*c.corequisites, *c.strict_corequisites):
                if early[a] > low:
                    low, by = early[a], a
            t = _first_offered(c, low, n)
            if t > early[c.id]:
                early[c.id] = t
                why[c.id] = by
                changed = True
    return early, why


def lower_bound(courses: Sequence[TermCourse], limits: TermLimits) -> int:
    """Fewer terms than this cannot hold ``courses``: the longest chain (with offered
    terms), the credits over the most a term takes, the courses over the most a term
    takes. ``limits.terms + 1`` when even ``limits.terms`` cannot."""
    n = limits.terms
    early, _why = earliest_terms(courses, n)
    low = max((t + 1 for t in early.values()), default=1)
    credits = math.fsum(c.credits for c in courses)
    count = sum(1 for c in courses if c.counts)
    for total, most in ((credits, limits.max_credits), (count, limits.max_courses)):
        if most is not None and total > 0:
            low = max(low, n + 1 if most <= 0 else math.ceil(total / most - 1e-9))
    return min(max(low, 1), n + 1)


def _first_offered(c: TermCourse, low: int, n: int) -> int:
    if low >= n:
        return n
    if c.offered is None:
        return low
    return min((t for t in c.offered if low <= t < n), default=n)


def explain(courses: Sequence[TermCourse], limits: TermLimits, objective: str) -> str:
    """One line saying why no plan of ``courses`` meets ``limits``."""
    for check in (_not_offered, _chain, _too_big, _totals):
        message = check(courses, limits, objective)
        if message:
            return message
    return _relaxed(courses, limits, objective)


def _not_offered(courses: Sequence[TermCourse], limits: TermLimits, objective: str) -> str:
    n = limits.terms
    for c in sorted(courses, key=lambda c: c.id):
        if c.offered is not None and not any(t < n for t in c.offered):
            when = f" (offered only in {_terms(c.offered, limits.labels)})" if c.offered else ""
            return f"{c.id} is offered in none of the {n} terms{when}; allow more terms"
    return ""


def _chain(courses: Sequence[TermCourse], limits: TermLimits, objective: str) -> str:
    n = limits.terms
    early, why = earliest_terms(courses, n)
    late = sorted((c for c in courses if early[c.id] >= n), key=lambda c: c.id)
    if not late:
        return ""
    by_id = {c.id: c for c in courses}
    chain = [late[0].id]
    while why[chain[-1]] is not None and why[chain[-1]] not in chain:
        chain.append(why[chain[-1]])  # type: ignore[arg-type]
    chain.reverse()
    offered = [cid for cid in chain if by_id[cid].offered is not None]
    shown = " → ".join(chain)
    if not offered:
        return (f"the prerequisite chain {shown} needs {len(chain)} terms; at most {n} "
                "allowed; allow more terms")
    notes = "; ".join(
        f"{cid} is offered only in "
        f"{_terms([t for t in by_id[cid].offered or () if t < n], limits.labels)}"
        for cid in offered)
    return (f"{chain[-1]} cannot fit in {n} terms: after the chain {shown} no term is left "
            f"for it ({notes}); allow more terms")


def _groups(courses: Sequence[TermCourse]) -> list[list[TermCourse]]:
    """Courses bound to one term by strict co-requisites, each group sorted by id."""
    parent = {c.id: c.id for c in courses}

    def root(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for c in courses:
        for a in c.strict_corequisites:
            parent[root(a)] = root(c.id)
    groups: dict[str, list[TermCourse]] = {}
    for c in sorted(courses, key=lambda c: c.id):
        groups.setdefault(root(c.id), []).append(c)
    return sorted(groups.values(), key=lambda g: g[0].id)


def _too_big(courses: Sequence[TermCourse], limits: TermLimits, objective: str) -> str:
    for group in _groups(courses):
        credits = math.fsum(c.credits for c in group)
        count = sum(1 for c in group if c.counts)
        names = " and ".join(c.id for c in group)
        what = f"{names} alone carries" if len(group) == 1 else \
            f"{names} (strict co-requisites, taken in one term) carry"
        if limits.max_credits is not None and credits > limits.max_credits:
            return (f"{what} {_fig(credits)} credits, more than the {_fig(limits.max_credits)}"
                    " allowed in a term; raise --max-credits-per-term")
        if limits.max_courses is not None and count > limits.max_courses:
            return (f"{names} (strict co-requisites) are {count} courses in one term, more "
                    f"than the {limits.max_courses} allowed; raise --max-courses-per-term")
    return ""


def _totals(courses: Sequence[TermCourse], limits: TermLimits, objective: str) -> str:
    n = limits.terms
    credits = math.fsum(c.credits for c in courses)
    count = sum(1 for c in courses if c.counts)
    if limits.max_credits is not None and credits > n * limits.max_credits:
        return (f"the {len(courses)} courses carry {_fig(credits)} credits, more than {n} "
                f"terms of at most {_fig(limits.max_credits)} credits hold "
                f"({_fig(n * limits.max_credits)}); allow more terms or more credits per term")
    if limits.max_courses is not None and count > n * limits.max_courses:
        return (f"{count} courses are more than {n} terms of at most {limits.max_courses} "
                f"courses hold ({n * limits.max_courses}); allow more terms or courses per term")
    used = n if objective == "balance" else 1
    if credits < used * limits.min_credits:
        return (f"{used} term{'s' if used > 1 else ''} of at least {_fig(limits.min_credits)} "
                f"credits need {_fig(used * limits.min_credits)} credits, but the courses "
                f"carry only {_fig(credits)}; lower --min-credits-per-term"
                + (" or ask for fewer terms" if used > 1 else ""))
    if count < used * limits.min_courses:
        return (f"{used} term{'s' if used > 1 else ''} of at least {limits.min_courses} "
                f"courses need {used * limits.min_courses} courses, but there are only "
                f"{count}; lower --min-courses-per-term"
                + (" or ask for fewer terms" if used > 1 else ""))
    return ""


_RELAXATIONS = (
    ("min_courses", 0, "the minimum of {} courses per term"),
    ("min_credits", 0, "the minimum of {} credits per term"),
    ("max_courses", None, "the maximum of {} courses per term"),
    ("max_credits", None, "the maximum of {} credits per term"),
)


def _relaxed(courses: Sequence[TermCourse], limits: TermLimits, objective: str) -> str:
    """The limits clash only together: say which one, dropped, would let a plan exist."""
    from pathways.plans.terms import TermPlanTimeout, find_plan

    base = (f"no plan of {'exactly' if objective == 'balance' else 'at most'} "
            f"{limits.terms} terms meets the requisites, offered terms and "
            f"{limits.describe()} together")
    for name, off, words in _RELAXATIONS:
        value = getattr(limits, name)
        if value == off or value is None:
            continue
        try:
            found = find_plan(courses, replace(limits, **{name: off}), objective,  # type: ignore[arg-type]
                              5)
        except TermPlanTimeout:
            continue
        if found is not None:
            return f"{base}; one would without {words.format(_fig(value))}"
    return f"{base}; allow more terms or relax the limits"
