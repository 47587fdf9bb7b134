"""One route query as a finite problem: the target's usable upstream, with its rules.

The lookups shared by every query on one catalog are its
:class:`~pathways.index.CatalogIndex` (built once per catalog and cached).
:func:`build_problem` cuts out what can matter to one target: the
credentials that could be newly taken on a route to it, the held credentials that could be
counted, and every rule of semantics.md section 2 restricted to them. It also computes
exactly how many credits a given assignment counts (:func:`count_credits`, by the one
rule of :mod:`pathways.counting`) and, when no
route exists, says what blocks it (:func:`explain_blocked`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pathways import counting
from pathways.catalog import Credential
from pathways.errors import NoRouteError
from pathways.index import CatalogIndex
from pathways.numbers import MAX_CREDITS, MAX_FEE, MAX_HOURS, check

from .model import Constraints

__all__ = ["Problem", "build_problem", "count_credits", "explain_blocked"]


@dataclass
class Problem:
    """The part of a catalog that can matter to a route to ``target``.

    ``cands`` are the credentials that may be newly taken (sorted; the target among them),
    each available under the constraints and not ruled out by a requirement or core
    component that can never be met. ``sources[v]`` lists ``(u, r)``: u (a candidate or a
    held credential) can count up to r credits into v. ``clauses[v]`` are v's requirement
    clauses that no held credential meets, their alternatives cut to the candidates;
    ``cores[v]`` the core components of v.
    """

    target: str
    cands: list[str]
    held: frozenset[str]
    creds: Mapping[str, Credential]
    sources: dict[str, list[tuple[str, int]]]
    clauses: dict[str, list[tuple[str, ...]]]
    cores: dict[str, tuple[str, ...]]
    cap: dict[str, int] = field(default_factory=dict)
    limits: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def fee(self, v: str) -> float:
        return self.creds[v].effective_fee

    def hours(self, v: str) -> float:
        return self.creds[v].effective_hours


def _collect(index: CatalogIndex, target: str, held: frozenset[str],
             ok: Any) -> tuple[set[str], set[str]]:
    """The usable candidates upstream of ``target`` (by ``ok``) and the held ones met."""
    seen = {target}
    held_met: set[str] = set()
    stack = [target]
    preds = index.preds
    while stack:
        v = stack.pop()
        for u in preds.get(v, ()):
            if u in seen:
                continue
            if u in held:
                held_met.add(u)
                continue
            if ok(u):
                seen.add(u)
                stack.append(u)
    return seen, held_met


def build_problem(index: CatalogIndex, target: str, held: frozenset[str],
                  constraints: Constraints) -> Problem:
    """The problem for one target; raises :class:`NoRouteError` saying what blocks it.

    The target itself is assumed known, not held and not excluded (checked by the caller).
    """
    creds = index.creds
    reasons: dict[str, str | None] = {}

    def blocked(u: str) -> str | None:
        if u not in reasons:
            c = creds.get(u)
            reasons[u] = "is not in the catalog" if c is None else constraints.unavailable(c)
        return reasons[u]

    why = blocked(target)
    if why is not None:
        raise NoRouteError(f"{target} {why}", [target])

    def usable(u: str) -> bool:
        return blocked(u) is None

    seen, _held_met = _collect(index, target, held, usable)

    # Drop, until nothing changes, what can never be awarded: a credential with a
    # requirement clause none of whose alternatives is held or usable, or with a core
    # component that is neither held nor usable or does not stack into it.
    alive = set(seen)
    changed = True
    while changed:
        changed = False
        for v in sorted(alive):
            if not _can_award(index, creds[v], alive, held):
                alive.discard(v)
                changed = True
    if target not in alive:
        raise NoRouteError(explain_blocked(index, target, held, alive, blocked), [target])
    cand_set, held_met = _collect(index, target, held, alive.__contains__)
    cands = sorted(cand_set)

    sources: dict[str, list[tuple[str, int]]] = {}
    clauses: dict[str, list[tuple[str, ...]]] = {}
    cores: dict[str, tuple[str, ...]] = {}
    cap: dict[str, int] = {}
    limits: dict[str, list[tuple[int, int]]] = {}
    for v in (*cands, *sorted(held_met)):
        _check_numbers(creds[v])
    for v in cands:
        c = creds[v]
        cap_v = counting.recognition_cap(c)
        cap[v] = cap_v
        src = [(u, max(0, min(r, creds[u].credits, cap_v)))
               for u, r in index.stacking_into.get(v, ())
               if u in cand_set or u in held_met]
        if src:
            sources[v] = src
        lim = list(counting.level_limits(c))
        if lim:
            limits[v] = lim
        todo = [tuple(a for a in clause if a in cand_set)
                for clause in index.clauses.get(v, ())
                if not any(a in held for a in clause)]
        if todo:
            clauses[v] = todo
        if c.core:
            cores[v] = tuple(sorted(set(c.core)))
    return Problem(target, cands, held, creds, sources, clauses, cores, cap, limits)


def _check_numbers(c: Credential) -> None:
    """Refuse a credential whose numbers would make the search meaningless or endless (a NaN
    or infinite fee or hours, credits beyond any real credential): one message naming it."""
    check(c.credits, f"credits of {c.id}", high=MAX_CREDITS)  # halves are the rules' to judge
    if c.fee is not None:
        check(c.fee, f"fee of {c.id}", high=MAX_FEE)
    if c.hours is not None:
        check(c.hours, f"hours of {c.id}", high=MAX_HOURS)
    for _lv, m in c.level_profile:
        check(m, f"level-profile credits of {c.id}", high=MAX_CREDITS)
    if c.max_recognised is not None:
        check(c.max_recognised, f"max_recognised of {c.id}", high=MAX_CREDITS)


def _can_award(index: CatalogIndex, c: Credential, alive: set[str], held: frozenset[str]) -> bool:
    for clause in index.clauses.get(c.id, ()):
        if not any(a in held or a in alive for a in clause):
            return False
    if c.core:
        stacks = {u for u, _r in index.stacking_into.get(c.id, ())}
        for k in c.core:
            if k not in stacks or not (k in held or k in alive):
                return False
    return True


def count_credits(p: Problem, v: str, sources: Iterable[str]) -> dict[str, int]:
    """How many credits each of ``sources`` (all counted into v) counts, exactly: the one
    rule of :func:`pathways.counting.count_credits`, each source offering r(u, v) as cut
    to the problem (at most its credits and v's cap)."""
    creds = p.creds
    r_of = dict(p.sources.get(v, ()))
    return counting.count_credits(creds[v], [(u, r_of.get(u, 0)) for u in sources],
                                  lambda u: counting.source_level(creds[u], creds[v]))


# -- why there is no route -------------------------------------------------------------------

def _plural(phrase: str) -> str:
    if phrase.startswith("is "):
        return "are " + phrase[3:]
    if phrase.startswith("has "):
        return "have " + phrase[4:]
    return phrase


def _alternatives(ids: list[str]) -> str:
    if len(ids) == 1:
        return ids[0]
    return ", ".join(ids[:-1]) + " or " + ids[-1]


def explain_blocked(index: CatalogIndex, v: str, held: frozenset[str], alive: set[str],
                    blocked: Any, depth: int = 0) -> str:
    """One line on why ``v`` can never be awarded, following the first cause down."""
    c = index.creds.get(v)
    if c is None:
        return f"{v} is not in the catalog"
    why = blocked(v)
    if why is not None:
        return f"{v} {why}"

    def cause(u: str) -> tuple[str, str | None]:
        """(verb phrase, deeper explanation or None) for a credential that is not alive."""
        w = blocked(u)
        if w is not None:
            return w, None
        if depth > 20:
            return "cannot be achieved", None
        return "cannot be achieved", explain_blocked(index, u, held, alive, blocked, depth + 1)

    for clause in index.clauses.get(v, ()):
        if any(a in held or a in alive for a in clause):
            continue
        alts = sorted(set(clause))
        if not alts:
            return f"{v} has an empty entry-requirement clause, which nothing satisfies"
        causes = [cause(a) for a in alts]
        deeper = next((d for _p, d in causes if d is not None), None)
        tail = f" ({deeper})" if deeper else ""
        if len(alts) == 1:
            return f"{v} requires {alts[0]}, which {causes[0][0]}{tail}"
        phrases = {p for p, _d in causes}
        if len(phrases) == 1:
            who = "both" if len(alts) == 2 else "all"
            (phrase,) = phrases
            if phrase == "cannot be achieved":
                return f"{v} requires {_alternatives(alts)}; none can be achieved{tail}"
            if phrase.startswith("is not "):  # "neither is among …", not "both are not …"
                none = "neither" if len(alts) == 2 else "none"
                return f"{v} requires {_alternatives(alts)}; {none} is {phrase[7:]}{tail}"
            return f"{v} requires {_alternatives(alts)}; {who} {_plural(phrase)}{tail}"
        listed = ", ".join(f"{a} {p}" for a, (p, _d) in zip(alts, causes, strict=True))
        return f"{v} requires {_alternatives(alts)}; {listed}{tail}"
    stacks = {u for u, _r in index.stacking_into.get(v, ())}
    for k in sorted(set(c.core)):
        if k not in stacks:
            return (f"{v} needs its core component {k} counted into it, but {k} does not "
                    f"stack into {v}")
        if not (k in held or k in alive):
            phrase, deeper = cause(k)
            tail = f" ({deeper})" if deeper else ""
            return f"{v} needs its core component {k}, which {phrase}{tail}"
    return f"{v} cannot be achieved"
