"""A fast exact path for most targets: a dynamic programme over credits on the stacking tree.

The programme solves a *relaxation* of the route problem: each credential's best way to
be achieved is chosen independently of the others (so a credential could be used under
two receivers, and entry requirements cost nothing), and for each receiver a knapsack over
its sources' credits (credits are small whole numbers) picks what to count, within the cap
and the level profile. Every route is a solution of the relaxation with the same totals,
so when the relaxation's optimum is itself a route (nothing used twice, every requirement
met by what it takes, the limits met) it is the optimum route, ties included: the keys
(objective, fee, hours, size, ids, studied credits) are compared exactly, as whole numbers
in one mixed-radix integer. Otherwise :func:`relaxed_best` returns None and the caller
solves the mixed-integer programme.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .problem import Problem
from .solver import evaluate, tie_tol

__all__ = ["relaxed_best"]

ENABLED = True  # tests turn it off to check the programme alone

# Beyond these the relaxation is not tried (the programme copes; the integers get long).
_MAX_PATHS = 64
_MAX_SCALE = 5000


def _whole(x: float) -> bool:
    return float(x).is_integer()


def relaxed_best(p: Problem, by: str, limits: list[tuple[str, float]]) -> frozenset[str] | None:
    """The optimum route's credentials when the relaxation finds a route, else None.

    ``limits`` are ``(key, most)`` bounds (a budget, an hours limit) the route must meet.
    """
    if not ENABLED:
        return None
    creds = p.creds
    cands = p.cands
    receivers = [v for v in cands if v in p.sources]
    held_used = {u for v in receivers for u, _r in p.sources[v] if u in p.held}
    for v in (*cands, *held_used):
        c = creds[v]
        if not (_whole(c.effective_fee) and _whole(c.effective_hours)) or c.credits <= 0:
            return None
    scale = 1
    for v in receivers:
        scale = math.lcm(scale, creds[v].credits)
    if scale > _MAX_SCALE:
        return None
    fee_total = sum(creds[v].effective_fee for v in cands)
    hours_total = sum(creds[v].effective_hours for v in cands)
    # Exact comparison must agree with the engine's tie tolerance: distinct totals differ by
    # at least 1/scale, far above the tolerance.
    if max(tie_tol(fee_total), tie_tol(hours_total)) * scale >= 0.25:
        return None

    # Topological order over stacking among candidates, and how many ways each credential
    # reaches the target (it may be counted that many times in the relaxation).
    order: list[str] = []
    seen: set[str] = set()

    def visit(v: str) -> None:
        stack = [(v, iter(p.sources.get(v, ())))]
        seen.add(v)
        while stack:
            node, it = stack[-1]
            for u, _r in it:
                if u in seen or u in p.held:
                    continue
                seen.add(u)
                stack.append((u, iter(p.sources.get(u, ()))))
                break
            else:
                stack.pop()
                order.append(node)

    visit(p.target)
    paths: dict[str, int] = {p.target: 1}
    for v in reversed(order):
        for u, _r in p.sources.get(v, ()):
            if u not in p.held:
                paths[u] = paths.get(u, 0) + paths.get(v, 0)
    if max(paths.values()) > _MAX_PATHS:
        return None
    mult = max(paths.values())

    # Mixed-radix key: by, fee, hours, size, ids, studied (lowest). Each field's radix
    # exceeds anything the fields below it can sum to.
    n = len(cands)
    rank = {v: i for i, v in enumerate(cands)}
    top = 1 << n  # id field of one credential: top - 2^(n-1-rank) (smaller ids count less)
    studied_max = mult * sum(creds[v].credits for v in cands) + 1
    id_max = mult * n * top + 1
    count_max = mult * n + 1
    fee_max = int(mult * fee_total * scale) + 1
    hours_max = int(mult * hours_total * scale) + 1
    r_studied = 1
    r_ids = studied_max
    r_count = r_ids * id_max
    r_hours = r_count * count_max
    r_fee = r_hours * hours_max
    r_by = r_fee * fee_max

    def own(v: str, counted: int) -> int:
        c = creds[v]
        studied = c.credits - counted
        unit = scale // c.credits if c.credits and scale % c.credits == 0 else None
        if unit is None:  # not a receiver: nothing is ever counted into it
            fee, hours = int(c.effective_fee) * scale, int(c.effective_hours) * scale
        else:
            fee = int(c.effective_fee) * studied * unit
            hours = int(c.effective_hours) * studied * unit
        first = {"fee": fee, "hours": hours, "credits": studied * scale}[by]
        return (first * r_by + fee * r_fee + hours * r_hours + r_count
                + (top - (1 << (n - 1 - rank[v]))) * r_ids + studied * r_studied)

    best: dict[str, tuple[int, tuple[tuple[str, int], ...]]] = {}  # v -> (key, chosen sources)
    for v in order:
        if v not in p.sources:
            best[v] = (own(v, 0), ())
            continue
        best[v] = _receiver(p, v, best, own)

    # The relaxation's optimum as a route, if it is one.
    chosen: set[str] = {p.target}
    counted_in: set[str] = set()
    stack = [p.target]
    while stack:
        v = stack.pop()
        for u, _n in best[v][1]:
            if u in counted_in:
                return None  # used twice
            counted_in.add(u)
            if u not in p.held:
                chosen.add(u)
                stack.append(u)
    for v in chosen:
        for clause in p.clauses.get(v, ()):
            if not any(a in chosen for a in clause):
                return None
    if limits:
        links = {u: v for v in chosen for u, _n in best[v][1]}
        s = evaluate(p, chosen, links)
        if any(s.key(k) > most for k, most in limits):
            return None
    return frozenset(chosen)


def _receiver(p: Problem, v: str, best: dict[str, tuple[int, tuple[tuple[str, int], ...]]],
              own: Callable[[str, int], int]) -> tuple[int, tuple[tuple[str, int], ...]]:
    """The best sources to count into v: a knapsack over credits, lowest levels first so
    that each level-profile limit caps the credits below its level."""
    creds = p.creds
    cap = p.cap[v]
    limits = sorted(p.limits.get(v, ()))
    cores = set(p.cores.get(v, ()))

    def level(u: str) -> int:
        lv = creds[u].level
        return lv if lv is not None else -1

    items = sorted(p.sources[v], key=lambda ur: (level(ur[0]), ur[0]))
    # state: credits counted so far (capped) -> (key, chosen sources as a linked list)
    states: dict[int, tuple[int, object]] = {0: (0, None)}
    bounds = list(limits)
    for u, r in items:
        lu = level(u)
        while bounds and lu >= bounds[0][0]:  # leaving the band below bounds[0]'s level
            states = _cap(states, bounds.pop(0)[1])
        item_key = 0 if u in p.held else best[u][0]
        nxt: dict[int, tuple[int, object]] = {} if u in cores else dict(states)
        for s, (key, chain) in states.items():
            t = min(cap, s + r)
            k = key + item_key
            if t not in nxt or k < nxt[t][0]:
                nxt[t] = (k, (u, chain))
        states = nxt
    for _lv, most in bounds:
        states = _cap(states, most)
    best_key: int | None = None
    best_chain: object = None
    for s, (key, chain) in states.items():
        total = key + own(v, min(s, cap))
        if best_key is None or total < best_key:
            best_key, best_chain = total, chain
    assert best_key is not None
    chosen: list[tuple[str, int]] = []
    node = best_chain
    while node is not None:
        u, node = node  # type: ignore[misc]
        chosen.append((u, 0))
    return best_key, tuple(chosen)


def _cap(states: dict[int, tuple[int, object]], most: int) -> dict[int, tuple[int, object]]:
    capped: dict[int, tuple[int, object]] = {}
    for s, val in states.items():
        t = min(s, most)
        if t not in capped or val[0] < capped[t][0]:
            capped[t] = val
    return capped
