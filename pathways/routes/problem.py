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

from collections import ChainMap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from weakref import WeakKeyDictionary

from pathways import counting
from pathways.catalog import Credential, Credits, Rule, credit_value
from pathways.errors import NoRouteError
from pathways.index import CatalogIndex
from pathways.numbers import MAX_CREDITS, MAX_FEE, MAX_HOURS, check

from .model import Constraints

__all__ = ["Problem", "build_problem", "count_credits", "pool_count", "explain_blocked",
           "offer", "rpl_id", "RPL_PREFIX"]

#: Recognition of prior learning "g credits of v" is a held pseudo-source with this id
#: prefix, stacking only into v (semantics.md section 2).
RPL_PREFIX = "RPL:"


def rpl_id(v: str) -> str:
    return f"{RPL_PREFIX}{v}"


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
    sources: dict[str, list[tuple[str, Credits]]]
    clauses: dict[str, list[tuple[str, ...]]]
    cores: dict[str, tuple[str, ...]]
    cap: dict[str, Credits] = field(default_factory=dict)
    limits: dict[str, list[tuple[int, Credits]]] = field(default_factory=dict)
    # Programme rules (issue 15): v -> its rules, each cut to the sources v has here;
    # the credentials without study of their own; 2 when a credit figure is a half.
    rules: dict[str, list[Rule]] = field(default_factory=dict)
    composed: frozenset[str] = frozenset()
    unit: int = 1

    @property
    def special(self) -> bool:
        """Whether rules, composed credentials, half credits or recognition of prior
        learning are in play (the tree relaxation knows none of them)."""
        return (bool(self.rules) or bool(self.composed) or self.unit != 1
                or any(h.startswith(RPL_PREFIX) for h in self.held))

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
                  constraints: Constraints, rpl: Mapping[str, float] | None = None) -> Problem:
    """The problem for one target; raises :class:`NoRouteError` saying what blocks it.

    The target itself is assumed known, not held and not excluded (checked by the caller).
    ``rpl`` maps a credential to the credits recognition of prior learning grants in it.
    A held credential that stacks into another held one is already counted into it and
    is counted into nothing else (semantics.md section 2).
    """
    pseudo = _rpl_credentials(index.creds, rpl)
    creds: Mapping[str, Credential] = ChainMap(pseudo, index.creds) if pseudo else index.creds
    held = held | frozenset(pseudo)
    inside = _held_inside(index, held)
    reasons: dict[str, str | None] = {}

    def blocked(u: str) -> str | None:
        if u not in reasons:
            c = creds.get(u)
            reasons[u] = "is not in the catalog" if c is None else constraints.unavailable(c)
        return reasons[u]

    why = blocked(target)
    if why is not None:
        raise NoRouteError(f"{target} {why}", [target])
    seen, _held_met = _collect(index, target, held, lambda u: blocked(u) is None)
    alive = _awardable(index, creds, seen, held, inside)
    if target not in alive:
        raise NoRouteError(explain_blocked(index, target, held, alive, blocked, creds=creds,
                                           inside=inside), [target])
    cand_set, held_met = _collect(index, target, held, alive.__contains__)
    checked = _CHECKED.setdefault(index, {})
    for v in (*sorted(cand_set), *sorted(held_met)):
        c = creds[v]
        if checked.get(v) is not c:  # (each credential once per index, not per problem)
            _check_numbers(c)
            checked[v] = c
    return _assemble(index, target, cand_set, held, held_met, inside, creds, pseudo)


def _rpl_credentials(base: Mapping[str, Credential],
                     rpl: Mapping[str, float] | None) -> dict[str, Credential]:
    """One pseudo-credential per credential granted credits by recognition of prior
    learning, held and stacking into it (at its own level, free)."""
    pseudo: dict[str, Credential] = {}
    for v, g in sorted((rpl or {}).items()):
        c = base.get(v)
        if c is not None and g > 0:
            pseudo[rpl_id(v)] = Credential(rpl_id(v), f"recognition of prior learning in {v}",
                                           "course", g, level=c.level, fee=0.0, hours=0.0,
                                           foreign_scale=c.foreign_scale)  # c's own level
    return pseudo


def _awardable(index: CatalogIndex, creds: Mapping[str, Credential], seen: set[str],
               held: frozenset[str], inside: frozenset[str]) -> set[str]:
    """Drop, until nothing changes, what can never be awarded: a credential with a
    requirement clause none of whose alternatives is held or usable, or with a core
    component that is neither held nor usable or does not stack into it."""
    alive = set(seen)
    changed = True
    while changed:
        changed = False
        for v in sorted(alive):
            if (not _can_award(index, creds[v], alive, held, inside)
                    or _rule_block(index, creds, creds[v], alive, held, inside) is not None):
                alive.discard(v)
                changed = True
    return alive


def _assemble(index: CatalogIndex, target: str, cand_set: set[str], held: frozenset[str],
              held_met: set[str], inside: frozenset[str], creds: Mapping[str, Credential],
              pseudo: Mapping[str, Credential]) -> Problem:
    """The tables of the problem over the candidates ``cand_set``."""
    cands = sorted(cand_set)
    sources: dict[str, list[tuple[str, Credits]]] = {}
    clauses: dict[str, list[tuple[str, ...]]] = {}
    cores: dict[str, tuple[str, ...]] = {}
    cap: dict[str, Credits] = {}
    limits: dict[str, list[tuple[int, Credits]]] = {}
    rules: dict[str, list[Rule]] = {}
    composed: set[str] = set()
    figures: list[float] = []
    for v in cands:
        c = creds[v]
        cap_v = counting.recognition_cap(c)
        cap[v] = cap_v
        src = [(u, max(0, min(r, creds[u].credits, cap_v)))
               for u, r in _into(index, v, pseudo)
               if u in cand_set or (u in held_met and u not in inside) or u in pseudo]
        if src:
            sources[v] = src
        if not c.effective_direct_study:
            composed.add(v)
        present = {u for u, _r in src}
        cut = [replace(r, ids=tuple(u for u in dict.fromkeys(r.ids) if u in present))
               for r in c.rules]
        if cut:
            rules[v] = cut
        figures += [c.credits, cap_v, *(r for _u, r in src), *(m for _l, m in c.level_profile),
                    *(r.amount for r in cut if r.counts_credits)]
        lim = list(counting.level_limits(c))
        if lim:
            limits[v] = lim
        todo = _open_clauses(index, v, cand_set, held)
        if todo:
            clauses[v] = todo
        if c.core:
            cores[v] = tuple(sorted(set(c.core)))
    unit = 1 if all(float(x).is_integer() for x in figures) else 2
    return Problem(target, cands, held, creds, sources, clauses, cores, cap, limits, rules,
                   frozenset(composed), unit)


def _open_clauses(index: CatalogIndex, v: str, cand_set: set[str],
                  held: frozenset[str]) -> list[tuple[str, ...]]:
    """The requirement clauses of ``v`` no held credential meets, cut to the candidates."""
    return [tuple(a for a in clause if a in cand_set)
            for clause in index.clauses.get(v, ())
            if not any(a in held for a in clause)]

def _into(index: CatalogIndex, v: str,
          pseudo: Mapping[str, Credential]) -> Iterable[tuple[str, float]]:
    """v's stacking sources with their credits, and v's recognition of prior learning."""
    yield from index.stacking_into.get(v, ())
    grant = pseudo.get(rpl_id(v))
    if grant is not None:
        yield grant.id, grant.credits


def _held_inside(index: CatalogIndex, held: frozenset[str]) -> frozenset[str]:
    """The held credentials that stack into another held credential: already counted."""
    inside = set()
    for w in held:
        for u, _r in index.stacking_into.get(w, ()):
            if u in held:
                inside.add(u)
    return frozenset(inside)


def offer(c: Credential, pairs: Iterable[tuple[str, float]],
          level: Mapping[str, Credential]) -> float:
    """The most credits ``pairs`` (source, credits) can count into ``c`` together, within
    its cap, its credits and its level profile (not its other rules): an upper bound, by
    the one counting rule (:func:`pathways.counting.count_credits`, levels as
    :func:`pathways.counting.source_level` reads them)."""
    offers = [(u, min(r, level[u].credits)) for u, r in pairs]
    return sum(counting.count_credits(
        c, offers, lambda u: counting.source_level(level[u], c)).values())


def _figure(x: float) -> str:
    return f"{x:g}"


def _rule_block(index: CatalogIndex, creds: Mapping[str, Credential], c: Credential,
                alive: set[str], held: frozenset[str], inside: frozenset[str]) -> str | None:
    """Why ``c``'s rules or its lack of direct study can never be met by the credentials
    still possible (alive, or held and not inside another held one), or None."""
    if not c.rules and c.effective_direct_study:
        return None
    usable = [(u, r) for u, r in _into(index, c.id, {k: creds[k] for k in held
                                                     if k.startswith(RPL_PREFIX)})
              if u in alive or (u in held and u not in inside)]
    names = {u for u, _r in usable}
    for r in c.rules:
        if r.kind == "min":
            n = len(names.intersection(r.ids))
            if n < r.amount:
                return (f"{c.id} needs {r.amount} of {len(set(r.ids))} from {r.list_name()}; "
                        f"only {n} {'is' if n == 1 else 'are'} allowed")
        elif r.kind == "min_credits":
            most = offer(c, [(u, x) for u, x in usable if u in r.ids], creds)
            if most < r.amount:
                return (f"{c.id} needs {_figure(r.amount)} credits from {r.list_name()}; only "
                        f"{_figure(most)} {'is' if most == 1 else 'are'} allowed")
    if not c.effective_direct_study:
        most = offer(c, usable, creds)
        if most < c.credits:
            return (f"{c.id} has no study of its own and needs all {_figure(c.credits)} of its "
                    f"credits counted from its sources; only {_figure(most)} "
                    f"{'is' if most == 1 else 'are'} allowed")
    return None



# index -> {id: the credential whose numbers passed _check_numbers} (a credential is
# frozen, so it passes for good; a pseudo-credential of prior learning is another object)
_CHECKED: WeakKeyDictionary[CatalogIndex, dict[str, Credential]] = WeakKeyDictionary()


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


def _can_award(index: CatalogIndex, c: Credential, alive: set[str], held: frozenset[str],
               inside: frozenset[str]) -> bool:
    """Whether ``c``'s entry requirements and core components can still be met: a core
    component must stack into ``c`` and be usable, or held and not already counted into
    another held credential (``inside``: a credit is counted once)."""
    for clause in index.clauses.get(c.id, ()):
        if not any(a in held or a in alive for a in clause):
            return False
    if c.core:
        stacks = {u for u, _r in index.stacking_into.get(c.id, ())}
        for k in c.core:
            if k not in stacks or not (k in alive or (k in held and k not in inside)):
                return False
    return True


def count_credits(p: Problem, v: str, sources: Iterable[str]) -> dict[str, Credits]:
    """How many credits each of ``sources`` (all counted into v) counts, exactly: the one
    rule of :func:`pathways.counting.count_credits`, each source offering r(u, v) as cut
    to the problem (at most its credits and v's cap); with credit-pool rules
    (``min_credits``/``max_credits``) the split counting the most within them
    (:func:`pool_count`; an empty dict when no split meets a ``min_credits`` rule)."""
    if any(r.counts_credits for r in p.rules.get(v, ())):
        got = pool_count(p, v, list(sources))
        return got if got is not None else {}
    creds = p.creds
    r_of = dict(p.sources.get(v, ()))
    return counting.count_credits(creds[v], [(u, r_of.get(u, 0)) for u in sources],
                                  lambda u: counting.source_level(creds[u], creds[v]))


def pool_count(p: Problem, v: str, sources: list[str]) -> dict[str, Credits] | None:
    """The split of ``sources``' credits into v counting the most within v's cap, level
    profile and credit-pool rules (None when no split meets a ``min_credits`` rule).

    A small integer programme in credit units (halves when ``p.unit`` is 2): the most in
    total first, then, among the splits of that total, the one favouring sources in the
    greedy order (higher level first, then id), so the split shown is deterministic.
    """
    import numpy as np

    from .solver import solve_mip

    creds = p.creds
    unit = p.unit
    r_of = dict(p.sources.get(v, ()))
    order = sorted(sources, key=lambda u: (-counting.source_level(creds[u], creds[v]), u))
    n = len(order)
    if n == 0:
        return {} if not any(r.kind == "min_credits" and r.amount > 0
                             for r in p.rules.get(v, ())) else None
    rr: list[int] = []
    cc: list[int] = []
    vv: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def row(cols: list[int], low: float, high: float) -> None:
        k = len(lo)
        rr.extend([k] * len(cols))
        cc.extend(cols)
        vv.extend([1.0] * len(cols))
        lo.append(low)
        hi.append(high)

    inf = float("inf")
    row(list(range(n)), -inf, p.cap.get(v, 0) * unit)
    for lv, most in p.limits.get(v, ()):
        below = [i for i, u in enumerate(order) if counting.source_level(creds[u], creds[v]) < lv]
        if below:
            row(below, -inf, most * unit)
    for r in p.rules.get(v, ()):
        if not r.counts_credits:
            continue
        cols = [i for i, u in enumerate(order) if u in r.ids]
        if r.kind == "min_credits":
            if not cols:
                if r.amount > 0:
                    return None
                continue
            row(cols, r.amount * unit, inf)
        elif cols:
            row(cols, -inf, r.amount * unit)
    lb = np.zeros(n)
    ub = np.array([max(0.0, float(min(r_of.get(u, 0), creds[u].credits))) * unit
                   for u in order])
    got = solve_mip(-np.ones(n), rr, cc, vv, lo, hi, lb, ub)
    if got is None:
        return None
    total = float(np.rint(got.x).sum())
    row(list(range(n)), total, total)
    got = solve_mip(-np.arange(n, 0, -1, dtype=float), rr, cc, vv, lo, hi, lb, ub)
    assert got is not None
    out: dict[str, Credits] = {}
    for u, x in zip(order, np.rint(got.x), strict=True):
        out[u] = credit_value(float(x) / unit)
    return out



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
                    blocked: Any, depth: int = 0, *,
                    creds: Mapping[str, Credential] | None = None,
                    inside: frozenset[str] = frozenset()) -> str:
    """One line on why ``v`` can never be awarded, following the first cause down."""
    creds = index.creds if creds is None else creds
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
        return "cannot be achieved", explain_blocked(index, u, held, alive, blocked, depth + 1,
                                                     creds=creds, inside=inside)

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
        if k in held and k in inside:
            into = sorted(w for w, _r in index.stacking_from.get(k, ()) if w in held)
            return (f"{v} needs its core component {k} counted into it, but the held {k} is "
                    f"already counted into the held {', '.join(into)}, and a credit counts "
                    "once")
        if not (k in held or k in alive):
            phrase, deeper = cause(k)
            tail = f" ({deeper})" if deeper else ""
            return f"{v} needs its core component {k}, which {phrase}{tail}"
    why_rules = _rule_block(index, creds, c, alive, held, inside)
    if why_rules is not None:
        return why_rules
    return f"{v} cannot be achieved"
