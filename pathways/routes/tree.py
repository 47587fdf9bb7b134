"""A fast exact path for most targets: branch-and-bound over a tree relaxation.

The relaxation chooses each credential's best way to be achieved independently of the
others (so a credential may be used under two receivers, and entry requirements cost
nothing); for each receiver a knapsack over its sources' credits (small whole numbers)
picks what to count within the cap and the level profile, lowest levels first so each
profile limit caps the credits below its level. Every route is a solution of the
relaxation with the same totals, so the relaxation's optimum bounds every route from below.

Best first: when the optimum of the open part with the lowest bound is itself a route
(nothing used twice, every requirement met by what it takes, the limits met), it is the
optimum route. Otherwise the part is split in two without overlap: a credential used
twice is either not counted into its first receiver, or counted into it or nothing; a
credential v missing a requirement is left out, or one of the clause's alternatives is
taken (paid once, free wherever it counts). What every route takes (the only alternative
of a clause of the target, and so on down) is taken at the root. Keys (objective, fee,
hours, size, ids, studied credits) are compared exactly, as whole numbers in one
mixed-radix integer, so ties break exactly as in the programme. The search decides early
when it is not the method for a target: after ``_MAX_WORK`` knapsack states (about a
twentieth of a second; 99.9 % of the catalog's qualification targets that the search
settles need under 110,000) or ``_MAX_NODES`` relaxations — on a big problem, where the
programme is slow, ``_MAX_WORK_BIG`` and ``_MAX_NODES_BIG`` — or when a limit binds,
:func:`relaxed_best` returns None and the caller solves the mixed-integer programme.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

from pathways.counting import source_level

from .problem import Problem
from .solver import Search, evaluate, tie_tol

__all__ = ["relaxed_best"]

# Beyond these the relaxation is not tried (the programme copes; the integers get long).
_MAX_PATHS = 4096
_MAX_SCALE = 5000
_MAX_NODES = 200
_MAX_WORK = 120_000  # knapsack states visited (~0.05 s): the search is not converging
# From this many candidates on, the programme's proof can be the slow part (up to 0.9 s
# on the hardest targets of the 50,000-credential catalog: two or three bachelor's
# degrees sharing papers), so the search goes on longer before handing over: every such
# target of that catalog it could not settle within the small budget it settles within
# this one (the worst, GCERT-000053, in 0.94 million states: a third of the programme's
# time). Not longer: on the 200,000-credential catalog some big targets the search cannot
# settle in 2 million states take the programme 0.2–0.7 s, and the wait is all lost.
_BIG = 90
_MAX_NODES_BIG = 3_000
_MAX_WORK_BIG = 1_000_000


def _whole(x: float) -> bool:
    return float(x).is_integer()


def relaxed_best(p: Problem, by: str, limits: list[tuple[str, float]],
                 search: Search | None = None,
                 ) -> tuple[frozenset[str], dict[str, str]] | None:
    """The optimum route's credentials and the credential each source counts into (the
    best assignment of that set by every key), when the relaxation finds a route; else
    None.

    ``limits`` are ``(key, most)`` bounds (a budget, an hours limit) the route must meet;
    ``search`` may set a deadline (then :class:`~pathways.routes.solver.SolverTimeout`).
    """
    if p.special:  # rules, composed credentials, halves and prior learning: the programme's
        return None  # (the engine gives the tree a problem without its rules to try first)
    scale = _scale(p)
    if scale is None:
        return None
    order, ups, mult = _order(p)
    if mult > _MAX_PATHS:
        return None
    tree = _Tree(p, by, limits, scale, order, ups, mult)
    try:
        return tree.best_first(search)
    except _GiveUp:
        return None


def _scale(p: Problem) -> int | None:
    """A common multiple of the receivers' credits that makes every total a whole number,
    or None when the relaxation does not apply (fractional fees, hours or credits, no
    credits, too large a multiple, or totals beyond the exact tie tolerance)."""
    creds = p.creds
    receivers = [v for v in p.cands if v in p.sources]
    held_used = {u for v in receivers for u, _r in p.sources[v] if u in p.held}
    for v in (*p.cands, *held_used):
        c = creds[v]
        if not (_whole(c.effective_fee) and _whole(c.effective_hours) and _whole(c.credits)):
            return None
        if c.credits <= 0:
            return None
    halves = [r for v in receivers for _u, r in p.sources[v]]
    halves += [p.cap[v] for v in receivers]
    halves += [most for v in receivers for _lv, most in p.limits.get(v, ())]
    if not all(_whole(x) for x in halves):  # half credits: the programme counts them
        return None
    scale = 1
    for v in receivers:
        scale = math.lcm(scale, int(creds[v].credits))
    if scale > _MAX_SCALE:
        return None
    fee_total = sum(creds[v].effective_fee for v in p.cands)
    hours_total = sum(creds[v].effective_hours for v in p.cands)
    # Exact comparison must agree with the engine's tie tolerance: distinct totals differ by
    # at least 1/scale, far above the tolerance.
    if max(tie_tol(fee_total), tie_tol(hours_total)) * scale >= 0.25:
        return None
    return scale


def _order(p: Problem) -> tuple[list[str], dict[str, list[str]], int]:
    """Topological order over stacking among candidates (sources first), each credential's
    receivers, and a bound on how often credentials can appear in the relaxation (once per
    path up to any credential)."""
    order: list[str] = []
    seen: set[str] = set()
    for start in p.cands:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(p.sources.get(start, ())))]
        while stack:
            cur, it = stack[-1]
            for u, _r in it:
                if u in seen or u in p.held:
                    continue
                seen.add(u)
                stack.append((u, iter(p.sources.get(u, ()))))
                break
            else:
                stack.pop()
                order.append(cur)
    ups: dict[str, list[str]] = {}
    for v in p.cands:
        for u, _r in p.sources.get(v, ()):
            ups.setdefault(u, []).append(v)
    paths: dict[str, int] = {}
    for v in reversed(order):
        paths[v] = 1 + sum(paths[w] for w in ups.get(v, ()))
    return order, ups, sum(paths.values())


class _Tree:
    """The branch-and-bound of one problem (see the module)."""

    def __init__(self, p: Problem, by: str, limits: list[tuple[str, float]], scale: int,
                 order: list[str], ups: dict[str, list[str]], mult: int) -> None:
        self.p, self.by, self.limits, self.scale = p, by, limits, scale
        self.order, self.ups = order, ups
        creds, cands = p.creds, p.cands
        # Mixed-radix key: by, fee, hours, size, ids, studied (lowest). Each field's radix
        # exceeds anything the fields below it can sum to.
        n = len(cands)
        self.n = n
        self.rank = {v: i for i, v in enumerate(cands)}
        self.top = 1 << n  # id field of one credential: top - 2^(n-1-rank) (smaller ids less)
        fee_total = sum(creds[v].effective_fee for v in cands)
        hours_total = sum(creds[v].effective_hours for v in cands)
        studied_max = mult * int(sum(creds[v].credits for v in cands)) + 1
        id_max = mult * n * self.top + 1
        count_max = mult * n + 1
        fee_max = int(mult * fee_total * scale) + 1
        hours_max = int(mult * hours_total * scale) + 1
        self.r_ids = studied_max
        self.r_count = self.r_ids * id_max
        self.r_hours = self.r_count * count_max
        self.r_fee = self.r_hours * hours_max
        self.r_by = self.r_fee * fee_max
        receivers = [v for v in cands if v in p.sources]
        self.prep = {v: _prepare(p, v) for v in receivers}
        self.own_table = {v: self.own_row(v, int(p.cap[v])) for v in receivers}
        self.own0 = {v: self.own(v, 0) for v in cands if v not in p.sources}
        self.work = [0]  # states visited by the knapsacks (the search's cost)
        # A receiver's knapsack by what decides it (see :meth:`receiver`): the same one
        # comes up again and again in different parts of the search.
        self.memo: dict[tuple[str, tuple[object, ...]], _Best | None] = {}
        self._above: dict[str, set[str]] = {}

    def own(self, v: str, counted: int) -> int:
        """The key of studying v with ``counted`` credits counted into it."""
        c = self.p.creds[v]
        scale = self.scale
        studied = int(c.credits) - counted
        unit = scale // int(c.credits) if scale % int(c.credits) == 0 else None
        if unit is None:  # not a receiver: nothing is ever counted into it
            fee, hours = int(c.effective_fee) * scale, int(c.effective_hours) * scale
        else:
            fee = int(c.effective_fee) * studied * unit
            hours = int(c.effective_hours) * studied * unit
        first = {"fee": fee, "hours": hours, "credits": studied * scale}[self.by]
        return (first * self.r_by + fee * self.r_fee + hours * self.r_hours + self.r_count
                + (self.top - (1 << (self.n - 1 - self.rank[v]))) * self.r_ids + studied)

    def own_row(self, v: str, cap: int) -> list[int]:
        """``[self.own(v, k) for k in range(cap + 1)]``, from two of them: the key is
        affine in the credits counted (every field is), and whole, so this is exact."""
        first = self.own(v, 0)
        step = self.own(v, 1) - first
        return [first + step * k for k in range(cap + 1)]

    def above(self, v: str) -> set[str]:
        """v and every credential it can count into, directly or through others."""
        if v in self._above:
            return self._above[v]
        out = {v}
        todo = [v]
        while todo:
            for w in self.ups.get(todo.pop(), ()):
                if w not in out:
                    out.add(w)
                    todo.append(w)
        self._above[v] = out
        return out

    def relax(self, node: _Node, parent: dict[str, _Best] | None = None,
              changed: str | tuple[str, ...] | None = None) -> tuple[int, dict[str, _Best]] | None:
        """The relaxation's optimum under a node's restrictions (None: the target is out).
        A child recomputes only what lies above the credential its restriction changed."""
        p = self.p
        best: dict[str, _Best] = {}
        dirty: set[str] | None = None
        if parent is not None and changed is not None:
            best = dict(parent)
            if isinstance(changed, str):
                dirty = self.above(changed)
            else:
                dirty = set().union(*(self.above(w) for w in changed))
        for v in self.order:
            if dirty is not None and v not in dirty:
                continue
            best.pop(v, None)
            if v in node.forbidden:
                continue
            if v not in p.sources:
                if not p.cores.get(v):  # a core component with no way in: not awarded
                    best[v] = (self.own0[v], ())
                continue
            got = self.receiver(v, best, node)
            if got is not None:
                best[v] = got
        if p.target not in best or any(x not in best for x in node.prepaid):
            return None
        return best[p.target][0] + sum(best[x][0] for x in node.prepaid), best

    def receiver(self, v: str, best: dict[str, _Best], node: _Node) -> _Best | None:
        """:func:`_receiver` for v, remembered by what decides it: for each source, whether
        its edge into v is banned, it is free (held, or prepaid and achievable), its best key
        or out of reach (exactly what :func:`_receiver` reads of it)."""
        prep = self.prep[v]
        held, prepaid, banned = self.p.held, node.prepaid, node.banned
        sig = tuple("banned" if banned and (u, v) in banned
                    else 0 if u in held
                    else (0 if u in prepaid else best[u][0]) if u in best
                    else None
                    for u, _r, _l in prep.items)
        key = (v, sig)
        if key in self.memo:
            return self.memo[key]
        got = _receiver(self.p, v, best, self.own_table[v], node, prep, self.work)
        self.memo[key] = got
        return got

    def check(self, node: _Node, best: dict[str, _Best]) -> tuple[_Found | None, _Kids]:
        """The route the relaxation's optimum is, or the children splitting what breaks."""
        p = self.p
        chosen: set[str] = {p.target, *node.prepaid}
        receiver: dict[str, str] = {}
        expanded: set[str] = set()
        for top_v in [p.target, *sorted(node.prepaid)]:
            if top_v in expanded:
                continue
            expanded.add(top_v)
            stack = [top_v]
            while stack:
                v = stack.pop()
                for u, _n in best[v][1]:
                    if u in receiver:  # used twice: not into the first receiver, or into
                        first = receiver[u]  # it or nothing (two parts without overlap)
                        others = tuple(w for w in self.ups[u] if w != first)
                        return None, [(node.ban((u, first)), first),
                                      (node.ban_all(u, others), others)]
                    receiver[u] = v
                    if u in p.held:
                        continue
                    chosen.add(u)
                    if u not in expanded:
                        expanded.add(u)
                        stack.append(u)
        return self._requirements(node, chosen, receiver)

    def _requirements(self, node: _Node, chosen: set[str], receiver: dict[str, str],
                      ) -> tuple[_Found | None, _Kids]:
        """A chosen credential missing a requirement: leave it out, or take an alternative
        (paid once); else the route, within the limits (else give up)."""
        p = self.p
        for v in sorted(chosen):
            for clause in p.clauses.get(v, ()):
                if not any(a in chosen for a in clause):
                    kids: _Kids = (
                        [] if v == p.target or v in node.prepaid else [(node.forbid(v), v)])
                    kids += [(node.prepay(a), a) for a in clause if a not in node.forbidden]
                    return None, kids
        if self.limits:
            s = evaluate(p, chosen, receiver)
            if any(s.key(k) > most for k, most in self.limits):
                raise _GiveUp
        return (frozenset(chosen), receiver), []

    def forced(self) -> frozenset[str]:
        """What every route takes besides the target: the only alternative of a requirement
        clause of the target or of another forced credential (paid once from the root on,
        instead of one branch per node that finds it missing)."""
        p = self.p
        out: set[str] = set()
        todo = [p.target]
        while todo:
            for clause in p.clauses.get(todo.pop(), ()):
                if len(clause) == 1 and clause[0] not in out and clause[0] != p.target:
                    out.add(clause[0])
                    todo.append(clause[0])
        return frozenset(out)

    def best_first(self, search: Search | None) -> _Found | None:
        """Best first: the first node whose relaxed optimum is a route holds the optimum,
        since every route lies in some open node and costs at least that node's bound."""
        root = _Node(frozenset(), frozenset(), self.forced())
        first = self.relax(root)
        if first is None:
            return None
        heap: list[tuple[int, int, _Node, dict[str, _Best]]] = [(first[0], 0, root, first[1])]
        made = 1
        big = self.n >= _BIG
        most_nodes = _MAX_NODES_BIG if big else _MAX_NODES
        most_work = _MAX_WORK_BIG if big else _MAX_WORK
        while heap and made <= most_nodes and self.work[0] <= most_work:
            _key, _i, node, best = heapq.heappop(heap)
            route, kids = self.check(node, best)
            if route is not None:
                return route
            if search is not None and made % 32 == 0:
                search.time_left()
            for kid, changed in kids:
                got = self.relax(kid, best, changed)
                made += 1
                if got is not None:
                    heapq.heappush(heap, (got[0], made, kid, got[1]))
        return None


_Best = tuple[int, tuple[tuple[str, int], ...]]  # key, chosen sources
_Found = tuple[frozenset[str], dict[str, str]]  # a route: its set, each source's receiver
_Kids = list[tuple["_Node", str | tuple[str, ...]]]  # parts, with what each changed


class _GiveUp(Exception):
    """The relaxation cannot settle this one (a limit binds): use the programme."""


@dataclass(frozen=True)
class _Node:
    """A part of the routes: without ``forbidden``, without counting along ``banned``
    edges, and with ``prepaid`` credentials taken (paid once, free wherever counted)."""

    forbidden: frozenset[str]
    banned: frozenset[tuple[str, str]]
    prepaid: frozenset[str]

    def forbid(self, v: str) -> _Node:
        return _Node(self.forbidden | {v}, self.banned, self.prepaid)

    def ban(self, edge: tuple[str, str]) -> _Node:
        return _Node(self.forbidden, self.banned | {edge}, self.prepaid)

    def ban_all(self, u: str, receivers: tuple[str, ...]) -> _Node:
        return _Node(self.forbidden, self.banned | {(u, w) for w in receivers}, self.prepaid)

    def prepay(self, v: str) -> _Node:
        return _Node(self.forbidden, self.banned, self.prepaid | {v})


def _receiver(p: Problem, v: str, best: dict[str, _Best], own: Sequence[int],
              node: _Node, prep: _Prepared, work: list[int]) -> _Best | None:
    """The best sources to count into v: a knapsack over credits, lowest levels first so
    that each level-profile limit caps the credits below its level. ``own[n]`` is the key
    of studying v with n credits counted; ``prep`` its sources in that order; ``work``
    counts the states visited."""
    cap, cores = prep.cap, prep.cores
    if prep.cores_absent:  # a core component that cannot count into v (e.g. held inside
        return None        # another held credential, so already counted there)
    held, prepaid, banned = p.held, node.prepaid, node.banned
    # state: credits counted so far (capped) -> (key, chosen sources as a linked list)
    states: dict[int, tuple[int, object]] = {0: (0, None)}
    bounds = list(prep.limits)
    for u, r, lu in prep.items:
        while bounds and lu >= bounds[0][0]:  # leaving the band below bounds[0]'s level
            states = _cap(states, bounds.pop(0)[1])
        in_best = u in best
        if not (in_best or u in held) or (banned and (u, v) in banned):
            if u in cores:
                return None
            continue
        item_key = 0 if u in held or u in prepaid else best[u][0]
        nxt: dict[int, tuple[int, object]] = {} if u in cores else dict(states)
        work[0] += len(states)
        for s, (key, chain) in states.items():
            t = s + r
            if t > cap:
                t = cap
            k = key + item_key
            got = nxt.get(t)
            if got is None or k < got[0]:
                nxt[t] = (k, (u, chain))
        states = nxt
    for _lv, most in bounds:
        states = _cap(states, most)
    best_key: int | None = None
    best_chain: object = None
    for s, (key, chain) in states.items():
        total = key + own[s if s < cap else cap]
        if best_key is None or total < best_key:
            best_key, best_chain = total, chain
    assert best_key is not None
    chosen: list[tuple[str, int]] = []
    link = best_chain
    while link is not None:
        u, link = link  # type: ignore[misc]
        chosen.append((u, 0))
    return best_key, tuple(chosen)


@dataclass(frozen=True)
class _Prepared:
    """A receiver's sources ``(u, r, level)`` sorted by level then id, its cap, its
    level-profile limits (sorted), its core components and whether any of them is not
    among the sources."""

    items: tuple[tuple[str, int, int], ...]
    cap: int
    limits: tuple[tuple[int, int], ...]
    cores: frozenset[str]
    cores_absent: bool = False


def _prepare(p: Problem, v: str) -> _Prepared:
    """Every figure is whole here (:func:`_scale` declines half credits)."""
    creds = p.creds
    items = sorted(((u, int(r), source_level(creds[u], creds[v])) for u, r in p.sources[v]),
                   key=lambda x: (x[2], x[0]))
    limits = sorted((lv, int(most)) for lv, most in p.limits.get(v, ()))
    cores = frozenset(p.cores.get(v, ()))
    absent = bool(cores - {u for u, _r, _l in items})
    return _Prepared(tuple(items), int(p.cap[v]), tuple(limits), cores, absent)


def _cap(states: dict[int, tuple[int, object]], most: int) -> dict[int, tuple[int, object]]:
    capped: dict[int, tuple[int, object]] = {}
    for s, val in states.items():
        t = min(s, most)
        if t not in capped or val[0] < capped[t][0]:
            capped[t] = val
    return capped
