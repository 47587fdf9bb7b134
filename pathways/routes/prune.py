"""Dominated candidates: credentials no cheapest route can take, dropped before the search.

A candidate u that is only of use by counting into another (it meets no entry requirement,
is no core component and names no rule) saves at most ``r(u,v)`` credits of the receiver
v it counts into, worth ``r(u,v) · cost(v) / credits(v)`` by the objective. Taking it costs
its own total less what can be counted into it: at least ``cost(u) − min(cap(u), Σ r(s,u))
· cost(u) / credits(u)``. When that least cost exceeds the most it can save (by more than
the tie tolerance), every route taking u has a strictly cheaper one: drop u, then whatever
is of use only through credentials dropped (their own totals are never negative, and
dropping a source never lowers what the others count). So the cheapest route never takes a
dominated candidate, and the programme and the tree search are spared them.

Between two credentials of no other use and with nothing counted into them, w and u, u is
the better swap for w when u costs less (beyond the tie tolerance), can count at least as
many credits, at a level at least as high, into every credential w can count into, and
has no entry requirement that w has not (w not among its alternatives). Then a
route taking w but not u has a strictly cheaper one (u in w's place, counting what w
counted), so the cheapest route meets ``a_w ≤ a_u`` (:func:`swaps`): rows that spare the
programme the many near-equal sets of interchangeable papers.

Only the single best route may be searched this way: the K best and the trade-offs may
take dominated credentials. Problems with programme rules, composed credentials or a
budget/hours limit on another total are left whole (a dropped source could be what meets
a rule, or the limit could bind on a total the removal raises).
"""

from __future__ import annotations

from dataclasses import replace

from pathways.counting import source_level, whole_cost

from .problem import Problem
from .solver import tie_tol

__all__ = ["without_dominated", "dominated", "swaps"]


def _rate(p: Problem, v: str, by: str) -> float:
    """What one credit counted into v saves by the objective."""
    c = p.creds[v]
    return whole_cost(c, by) / c.credits if c.credits > 0 else 0.0


def dominated(p: Problem, by: str) -> set[str]:
    """The candidates no cheapest route by ``by`` takes (see the module's docstring)."""
    fixed = _fixed(p)
    out: dict[str, list[tuple[str, float]]] = {}
    for v, src in p.sources.items():
        for u, r in src:
            out.setdefault(u, []).append((v, float(r)))
    gone: set[str] = set()
    for u in p.cands:
        if u in fixed or u not in out:
            continue
        c = p.creds[u]
        inner = min(float(p.cap.get(u, 0)), float(sum(r for _s, r in p.sources.get(u, ()))))
        least = whole_cost(c, by) - max(0.0, inner) * _rate(p, u, by)
        most = max(r * _rate(p, v, by) for v, r in out[u])
        if least > most + tie_tol(max(abs(least), abs(most))):
            gone.add(u)
    if not gone:
        return gone
    changed = True  # then what is of use only through what is gone
    while changed:
        changed = False
        for u in p.cands:
            if u in gone or u in fixed:
                continue
            if all(v in gone for v, _r in out.get(u, ())):
                gone.add(u)
                changed = True
    return gone


def without_dominated(p: Problem, by: str, limited: bool = False) -> Problem:
    """``p`` without the candidates no cheapest route by ``by`` takes (``p`` itself when
    there are none, or when rules, composed credentials or ``limited`` (a budget or an
    hours limit) are in play)."""
    if limited or p.rules or p.composed:
        return p
    gone = dominated(p, by)
    if not gone:
        return p
    keep = [v for v in p.cands if v not in gone]
    sources = {}
    for v, src in p.sources.items():
        if v in gone:
            continue
        kept = [(u, r) for u, r in src if u not in gone]
        if kept:
            sources[v] = kept
    return replace(p, cands=keep, sources=sources,
                   clauses={v: c for v, c in p.clauses.items() if v not in gone},
                   cores={v: c for v, c in p.cores.items() if v not in gone},
                   cap={v: c for v, c in p.cap.items() if v not in gone},
                   limits={v: c for v, c in p.limits.items() if v not in gone})


def _fixed(p: Problem) -> set[str]:
    """The candidates of use other than by counting: the target, the alternatives of
    entry requirements and the core components."""
    fixed = {a for clauses in p.clauses.values() for clause in clauses for a in clause}
    fixed |= {k for ks in p.cores.values() for k in ks}
    fixed.add(p.target)
    return fixed


def swaps(p: Problem, by: str, per: int = 4) -> list[tuple[str, str]]:
    """Pairs (w, u) with ``a_w ≤ a_u`` in the cheapest route by ``by`` (see the module's
    docstring), at most ``per`` for each w (its cheapest better swaps); none when rules or
    composed credentials are in play."""
    if p.rules or p.composed:
        return []
    fixed = _fixed(p)
    offers: dict[str, dict[str, tuple[float, int]]] = {}
    for v, src in p.sources.items():
        for u, r in src:
            if u not in p.sources and u not in fixed and u not in p.held:
                offers.setdefault(u, {})[v] = (float(r), source_level(p.creds[u], p.creds[v]))
    cost = {u: whole_cost(p.creds[u], by) for u in offers}
    order = sorted(offers, key=lambda u: (cost[u], u))
    pairs: list[tuple[str, str]] = []
    for w in order:
        found = 0
        for u in order:
            if cost[u] + tie_tol(cost[w]) >= cost[w] or found == per:
                break
            if _needs_no_more(p, u, w) and all(
                    v in offers[u] and offers[u][v][0] >= r and offers[u][v][1] >= lv
                    for v, (r, lv) in offers[w].items()):
                pairs.append((w, u))
                found += 1
    return pairs


def _needs_no_more(p: Problem, u: str, w: str) -> bool:
    """Whether every entry requirement of u is one of w's (and none is met by w itself):
    a route that meets w's meets u's."""
    own = p.clauses.get(u, ())
    if not own:
        return True
    theirs = set(p.clauses.get(w, ()))
    return all(c in theirs and w not in c for c in own)
