"""Shortfall: the most of a qualification's credits micro-credentials can cover.

Exact: a dynamic program over the credentials upstream when each counts into one other
(and as bounds otherwise), else a small mixed-integer program solved by HiGHS.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from typing import Any

from pathways import counting, numbers
from pathways.catalog import Catalog, Credits, credit_value
from pathways.counting import level_limits, recognition_cap
from pathways.errors import PathwaysError
from pathways.gaps.context import Context
from pathways.gaps.report import Finding, GapOptions

__all__ = ["micro_credential_coverage", "shortfalls"]


def shortfalls(ctx: Context) -> list[Finding]:
    """Qualifications micro-credentials can cover less than the threshold of."""
    threshold = ctx.options.shortfall_threshold
    reach = ctx.mc_reach()
    limiting = _limited(ctx)
    out = []
    for q in ctx.qualifications:
        if q not in reach:
            continue  # no on-ramp at all: reported as no-on-ramp
        credits = ctx.index[q].credits
        if credits and q not in limiting and _direct(ctx, q) >= threshold * credits:
            continue  # (most qualifications: their own micro-credentials reach the threshold)
        # Only a shortfall needs the exact optimum: skip when a feasible choice of where
        # each credential counts already reaches the threshold.
        up = _carriers(ctx, q)
        edges = _carrier_edges(ctx, q, up)
        (low, used), high = _coverage_bounds(ctx, q, edges)
        limited = _limiting_rules(ctx, q, up)
        if credits and low >= threshold * credits and not limited:
            continue
        covered = low
        if low != high or limited:
            covered, used = _milp_coverage(ctx, q, up, edges)
        share = covered / credits if credits else 1.0
        if share >= threshold:
            continue
        severity = "high" if share < threshold / 2 else "medium"
        out.append(ctx.finding(
            "shortfall", severity, [q], round(share, 4),
            f"micro-credentials can cover at most {covered} of {q}'s {credits} credits "
            f"({numbers.share(share)}), below the {numbers.share(threshold)} threshold",
            covered=covered, micro_credentials=list(used)))
    return out



def micro_credential_coverage(catalog: Catalog, qid: str, *,
                              _ctx: Context | None = None) -> tuple[Credits, tuple[str, ...]]:
    """The most of ``qid``'s credits a learner can have recognised from micro-credentials.

    Micro-credential credits reach ``qid`` along stacking edges, directly or through
    intermediate (non-micro) credentials, as in a route: at most r(u,v) over each edge, each
    credential counted into at most one other, every credential's ``max_recognised`` cap
    and level profile respected (a recognised credit keeps its immediate source's level),
    and an intermediate passes on at most the micro-credential credits it received.
    Discontinued credentials take no part; requirements and core do not limit credits.

    Exact: when every credential upstream of ``qid`` counts into only one other, a greedy
    pass per credential (highest level first) is optimal, the constraints being nested;
    otherwise a small mixed-integer program (HiGHS) chooses where each is counted.
    Returns the credits and the micro-credentials counted (sorted ids).
    """
    ctx = _ctx or Context(catalog, GapOptions().resolved())
    if qid not in ctx.index:
        raise PathwaysError(f"unknown credential {qid!r}")
    # The upstream: available credentials reaching qid by stacking that carry
    # micro-credential credits (micro-credentials themselves are leaves).
    up = _carriers(ctx, qid)
    if not up:
        return 0, ()
    edges = _carrier_edges(ctx, qid, up)
    low, high = _coverage_bounds(ctx, qid, edges)
    if low[0] == high and not _limiting_rules(ctx, qid, up):
        return low
    return _milp_coverage(ctx, qid, up, edges)


def _direct(ctx: Context, qid: str) -> Credits:
    """A feasible coverage found in time of qid's in-degree: the micro-credentials that
    stack straight into qid, each counted into qid (a lower bound on the optimum)."""
    offers = [(u, min(r, ctx.index[u].credits)) for u, r in ctx.into.get(qid, ())
              if u in ctx.available and ctx.index[u].kind == "micro-credential"]
    return _fill(ctx, qid, offers)[0] if offers else 0


def _limited(ctx: Context) -> set[str]:
    """The credentials for which :func:`_limiting_rules` holds, found in one pass: those
    with a ``max`` or ``max_credits`` rule, and those such a credential is a carrier of
    (reaching them by stacking through available credentials that are not
    micro-credentials, as :func:`_carriers` walks)."""
    ruled = [cid for cid, c in ctx.index.items()
             if any(r.kind in ("max", "max_credits") for r in c.rules)]
    out = set(ruled)
    reach = ctx.mc_reach()
    todo = [u for u in ruled if u in ctx.available and u in reach]
    seen = set(todo)
    while todo:
        u = todo.pop()
        if ctx.index[u].kind == "micro-credential" and u not in ruled:
            continue  # (a micro-credential passes nothing on, but is a carrier itself)
        for w, _r in ctx.out.get(u, ()):
            if w in ctx.available:
                out.add(w)
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
    return out


def _limiting_rules(ctx: Context, qid: str, up: set[str]) -> bool:
    """Whether a programme rule can limit the coverage (``max``, ``max_credits``): then
    only the programme measures it (issue 15: a shortfall is measured within the rules)."""
    return any(r.kind in ("max", "max_credits") for v in (qid, *up)
               for r in ctx.index[v].rules)


def _coverage_bounds(ctx: Context, qid: str, edges: list[tuple[str, str, Credits]]
                     ) -> tuple[tuple[Credits, tuple[str, ...]], Credits]:
    """A feasible coverage (credits, micro-credentials) and an upper bound on the best.

    The bound lets every credential count into all the credentials it stacks into at once
    (the same dynamic program without the choice); the feasible one makes the choice
    greedily, two ways (straight into ``qid`` where possible, else up the ladder), and
    keeps the better. When every credential has one way to go, both are the optimum.
    """
    every = _tree_coverage(ctx, qid, edges)
    high = every[0]
    outs: dict[str, list[tuple[str, str, Credits]]] = defaultdict(list)
    for e in edges:
        outs[e[0]].append(e)
    if all(len(lst) == 1 for lst in outs.values()):
        return every, high  # (no choice to make: the bound is a coverage)
    best: tuple[Credits, tuple[str, ...]] = (-1, ())
    tried: list[list[tuple[str, str, Credits]]] = []
    for direct in (True, False):
        chosen = []
        for lst in outs.values():
            if len(lst) == 1:
                chosen.append(lst[0])
                continue
            straight = [e for e in lst if e[1] == qid]
            others = sorted((e for e in lst if e[1] != qid),
                            key=lambda e: (-ctx.level(e[1]), e[1]))
            pick = (straight or others) if direct else (others or straight)
            chosen.append(pick[0])
        if chosen in tried:
            continue  # (both ways chose alike)
        tried.append(chosen)
        got = _tree_coverage(ctx, qid, chosen)
        if got[0] > best[0]:
            best = got
        if best[0] == high:
            break
    return best, high


def _carriers(ctx: Context, qid: str) -> set[str]:
    """Available credentials upstream of qid (by stacking) with micro-credential credits."""
    seen: set[str] = set()
    queue = deque([qid])
    while queue:
        v = queue.popleft()
        if ctx.index[v].kind == "micro-credential" and v != qid:
            continue
        for u, _r in ctx.into.get(v, ()):
            if u in ctx.available and u not in seen and u != qid:
                seen.add(u)
                queue.append(u)
    reach = ctx.mc_reach()
    return {u for u in seen if u in reach}


def _carrier_edges(ctx: Context, qid: str, up: set[str]) -> list[tuple[str, str, Credits]]:
    """The stacking edges among ``up`` and into ``qid`` (none into micro-credentials)."""
    return [(u, v, r) for v in sorted({qid, *up}) if v == qid
            or ctx.index[v].kind != "micro-credential"
            for u, r in ctx.into.get(v, ()) if u in up]


def _fill(ctx: Context, v: str, offers: list[tuple[str, Credits]]) -> tuple[Credits, list[str]]:
    """The credits the offers count into v by the one counting rule
    (:func:`pathways.counting.count_credits`), and the sources that count any."""
    counted = counting.count_credits(ctx.index[v], offers, lambda u: ctx.level(u, v))
    return credit_value(sum(counted.values())), [u for u, k in counted.items() if k > 0]


def _tree_coverage(ctx: Context, qid: str,
                   edges: list[tuple[str, str, Credits]]) -> tuple[Credits, tuple[str, ...]]:
    children: dict[str, list[tuple[str, Credits]]] = defaultdict(list)
    for u, v, r in edges:
        children[v].append((u, r))
    memo: dict[str, tuple[Credits, list[str]]] = {}

    def carried(v: str) -> tuple[Credits, list[str]]:
        # Iterative: evaluate children before parents.
        stack = [(v, False)]
        while stack:
            x, ready = stack.pop()
            if x in memo:
                continue
            if ctx.index[x].kind == "micro-credential" and x != qid:
                memo[x] = (ctx.index[x].credits, [x])
                continue
            if not ready:
                stack.append((x, True))
                stack.extend((u, False) for u, _r in children.get(x, ()) if u not in memo)
                continue
            offers = [(u, min(r, memo[u][0])) for u, r in children.get(x, ())]
            total, used = _fill(ctx, x, offers)
            mcs = sorted({m for u in used for m in memo[u][1]})
            memo[x] = (total, mcs)
        return memo[v]

    total, mcs = carried(qid)
    return total, tuple(mcs)


def _milp_coverage(ctx: Context, qid: str, up: set[str],
                   edges: list[tuple[str, str, Credits]]) -> tuple[Credits, tuple[str, ...]]:
    """The exact coverage by a mixed-integer program: where each credential counts."""
    # Variables: x_e (credits over edge e), then y_e (edge e chosen) for edges out of
    # credentials with a choice to make.
    m = len(edges)
    outs: dict[str, list[int]] = defaultdict(list)
    ins: dict[str, list[int]] = defaultdict(list)
    for i, (u, v, _r) in enumerate(edges):
        outs[u].append(i)
        ins[v].append(i)
    # An edge whose source an "at most k of" rule of its receiver names needs its choice
    # variable too: the rule counts the sources counted in.
    capped = {(u, v) for u, v, _r in edges for r in ctx.index[v].rules
              if r.kind == "max" and u in r.ids}
    choice = [i for i, (u, v, _r) in enumerate(edges) if len(outs[u]) > 1 or (u, v) in capped]
    rows = _coverage_rows(ctx, qid, up, edges, outs, ins, {i: m + k for k, i in enumerate(choice)})
    cost = [0.0] * (m + len(choice))
    for i in ins[qid]:
        cost[i] = -1.0
    upper = [float(r) for _u, _v, r in edges] + [1.0] * len(choice)
    solved = _solve_milp(cost, rows, upper, [False] * m + [True] * len(choice))
    if solved is None:  # pragma: no cover - the zero flow is always feasible
        return 0, ()
    x, value = solved
    total = credit_value(round(-value * 2) / 2)  # credits are whole or halves
    # The micro-credentials whose credits reach qid: walk back along edges carrying credit.
    carrying = {i for i in range(m) if x[i] > 0.25}
    used: set[str] = set()
    queue = deque(i for i in ins[qid] if i in carrying)
    seen: set[int] = set()
    while queue:
        i = queue.popleft()
        if i in seen:
            continue
        seen.add(i)
        u = edges[i][0]
        if ctx.index[u].kind == "micro-credential":
            used.add(u)
        else:
            queue.extend(j for j in ins[u] if j in carrying)
    return total, tuple(sorted(used))


Row = tuple[dict[int, float], float]  # (coefficients, upper bound) of a <= constraint


def _coverage_rows(ctx: Context, qid: str, up: set[str], edges: list[tuple[str, str, Credits]],
                   outs: dict[str, list[int]], ins: dict[str, list[int]],
                   y_of: dict[int, int]) -> list[Row]:
    """The constraints: a chosen edge carries credits, one choice per credential, an
    intermediate passes on what it received, caps and level profiles hold."""
    rows: list[Row] = []
    for i, (_u, _v, r) in enumerate(edges):
        if i in y_of:
            rows.append(({i: 1.0, y_of[i]: -float(r)}, 0.0))
    for u in sorted(up):
        if len(outs[u]) > 1:
            rows.append(({y_of[i]: 1.0 for i in outs[u]}, 1.0))
        if ctx.index[u].kind != "micro-credential":
            row = {i: 1.0 for i in outs[u]}
            for i in ins[u]:
                row[i] = row.get(i, 0.0) - 1.0
            rows.append((row, 0.0))
    for v in sorted({qid, *(x for x in up if ctx.index[x].kind != "micro-credential")}):
        rows.append(({i: 1.0 for i in ins[v]}, float(recognition_cap(ctx.index[v]))))
        for lv, most in level_limits(ctx.index[v]):
            below = {i: 1.0 for i in ins[v] if ctx.level(edges[i][0], v) < lv}
            if below:
                rows.append((below, float(most)))
        for rule in ctx.index[v].rules:  # programme rules that limit what is counted
            members = [i for i in ins[v] if edges[i][0] in rule.ids]
            if rule.kind == "max_credits" and members:
                rows.append(({i: 1.0 for i in members}, float(rule.amount)))
            elif rule.kind == "max" and members:
                rows.append(({y_of[i]: 1.0 for i in members}, float(rule.amount)))
    return rows


def _solve_milp(cost: list[float], rows: list[Row], upper: list[float], integer: list[bool]
                ) -> tuple[Any, float] | None:
    """Minimise cost.x subject to ``rows``, 0 <= x <= upper: (x, value), or None if none.

    The one place gaps calls a solver: the route engine's public HiGHS entry.
    """
    from pathways.routes.solver import solve_mip

    triplets = [(k, j, val) for k, (coef, _bound) in enumerate(rows) for j, val in coef.items()]
    got = solve_mip(cost, [t[0] for t in triplets], [t[1] for t in triplets],
                    [t[2] for t in triplets], [-math.inf] * len(rows),
                    [bound for _coef, bound in rows], [0.0] * len(upper), upper, integer)
    return None if got is None else (got.x, got.objective)
