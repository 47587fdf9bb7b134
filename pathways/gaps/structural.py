"""The structural gap checks: read off the stacking graph, no route solved.

Dead ends, qualifications without an on-ramp, level jumps, duplication of what
qualifications already teach, and providers whose credentials stack only among themselves.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict, deque
from collections.abc import Mapping

from pathways.gaps.context import Context
from pathways.gaps.report import Finding, count

__all__ = ["dead_ends", "duplications", "isolated_providers", "level_jumps", "no_on_ramps"]

DUPLICATES_LISTED = 10  # a duplication finding names at most this many qualifications


def dead_ends(ctx: Context) -> list[Finding]:
    # Available credentials that reach an available qualification through available ones.
    leads = set(ctx.qualifications)
    queue = deque(ctx.qualifications)
    while queue:
        v = queue.popleft()
        for u, _r in ctx.into.get(v, ()):
            if u in ctx.available and u not in leads:
                leads.add(u)
                queue.append(u)
    out = []
    for cid in ctx.micro:
        if cid in leads:
            continue
        c = ctx.index[cid]
        where = ("stacks into nothing" if not ctx.out.get(cid)
                 else "stacks into no qualification, directly or through others")
        out.append(ctx.finding("dead-end", "medium", [cid], c.credits,
                               f"{ctx.label(cid)} {where}"))
    return out


def no_on_ramps(ctx: Context) -> list[Finding]:
    reach = ctx.mc_reach()
    out = []
    for q in ctx.qualifications:
        if q in reach:
            continue
        feeders = sorted({u for u, _r in ctx.into.get(q, ())})
        verb = "stacks" if len(feeders) == 1 else "stack"
        tail = (f"; only {', '.join(feeders)} {verb} into it" if feeders
                else "; nothing stacks into it")
        out.append(ctx.finding(
            "no-on-ramp", "medium", [q], ctx.index[q].credits,
            f"no micro-credential stacks into {ctx.label(q)}, directly or through others"
            + tail))
    return out


def level_jumps(ctx: Context) -> list[Finding]:
    limit = ctx.options.max_level_jump
    out = []
    for e in sorted(ctx.catalog.stacking):
        u, v = ctx.index.get(e.source), ctx.index.get(e.target)
        if u is None or v is None or u.level is None or v.level is None:
            continue
        if e.source not in ctx.available or e.target not in ctx.available:
            continue
        climb = v.level - u.level
        if climb > limit:
            out.append(ctx.finding(
                "level-jump", "high" if climb >= 2 * limit else "medium", [u.id, v.id], climb,
                f"{u.id} (level {u.level}) stacks into {v.id} (level {v.level}): a climb of "
                f"{climb} levels, more than {limit}"))
    # Nearest on-ramp: the highest level of an available micro-credential reaching q.
    best: dict[str, tuple[int, str] | None] = {}
    for q in ctx.qualifications:
        lq = ctx.index[q].level
        if lq is None or q not in ctx.mc_reach():
            continue
        top = _highest_on_ramp(ctx, q, best)
        if top is None:
            continue
        level, mc = top
        climb = lq - level
        if climb > limit and not any(w == q for w, _r in ctx.out.get(mc, ())):
            # (when mc stacks straight into q, the edge above says it already)
            out.append(ctx.finding(
                "level-jump", "high" if climb >= 2 * limit else "medium", [q, mc], climb,
                f"the nearest micro-credential on-ramp to {q} (level {lq}) is {mc} "
                f"(level {level}), {climb} levels below"))
    return out


def _highest_on_ramp(ctx: Context, q: str,
                     memo: dict[str, tuple[int, str] | None]) -> tuple[int, str] | None:
    """(level, id) of the highest-level available micro-credential reaching q (smallest id
    among equals), by a walk up the stacking edges; ``memo`` keeps every credential's
    answer (None too) across calls, so each is worked out once."""
    # Iterative post-order so deep chains do not hit the recursion limit.
    stack: list[tuple[str, bool]] = [(q, False)]
    while stack:
        v, expanded = stack.pop()
        if v in memo:
            continue
        sources = [u for u, _r in ctx.into.get(v, ()) if u in ctx.available]
        if not expanded:
            stack.append((v, True))
            stack.extend((u, False) for u in sources
                         if u not in memo and ctx.index[u].kind != "micro-credential")
            continue
        top: tuple[int, str] | None = None
        for u in sources:
            cu = ctx.index[u]
            if cu.kind != "micro-credential":
                got = memo[u]
            elif cu.level is not None:
                got = (cu.level, u)
            else:
                continue
            if got is not None and (top is None or got[0] > top[0]
                                    or (got[0] == top[0] and got[1] < top[1])):
                top = got
        memo[v] = top
    return memo[q]


def duplications(ctx: Context) -> list[Finding]:
    """Micro-credentials whose skills are largely those of qualifications they do not
    stack into (one finding each, the closest matches named first).

    Linear in the catalog: qualifications with the same skills at the same level are one
    group (their number is bounded by the skill vocabulary, not by the catalog), matches
    are counted per group once for every distinct (skills, level) of a micro-credential,
    and each micro-credential then only corrects for the few qualifications it stacks
    into and reads its closest matches off sorted lists.
    """
    o = ctx.options
    index = _SkillIndex(ctx)
    out = []
    # Micro-credentials with the same skills at the same level match the same ones.
    matches: dict[tuple[frozenset[str], int | None], _Matches] = {}
    for mc in ctx.micro:
        m = ctx.index[mc]
        skills = frozenset(s.casefold() for s in m.skills)
        if len(skills) < o.duplication_min_shared:
            continue
        key = (skills, m.level)
        if key not in matches:
            need = max(o.duplication_min_shared, o.duplication_overlap * len(skills))
            matches[key] = index.matches(skills, m.level, need)
        found = matches[key]
        if not found.total:
            continue
        finding = _duplication(ctx, mc, skills, found)
        if finding is not None:
            out.append(finding)
    return out


def _duplication(ctx: Context, mc: str, skills: frozenset[str], found: _Matches
                 ) -> Finding | None:
    """The finding for one micro-credential, or None when it stacks into every match."""
    reached = _stacking_descendants(ctx, mc)
    # The matches mc reaches by stacking are no duplication: take them out.
    reached_matches = [q for q in sorted(reached) if found.shared_with(q)]
    n = found.total - len(reached_matches)
    if n <= 0:
        return None
    closest = found.closest(DUPLICATES_LISTED, reached)
    best = closest[0]
    k = found.shared_with(best)
    share = k / len(skills)
    providers = Counter(found.providers)
    providers.subtract(p for q in reached_matches if (p := ctx.provider[q]))
    named = {p for p, c in providers.items() if c > 0}
    if ctx.provider[mc]:
        named.add(ctx.provider[mc])
    into = sorted({w for w, _r in ctx.out.get(mc, ())})
    tail = (f"; it stacks only into {', '.join(into)}" if into else "; it stacks into nothing")
    more = (f" (and {count(n - 1, 'other qualification')} as much or less)" if n > 1 else "")
    return Finding(
        "duplication", "high" if share >= 1 else "medium", (mc, *closest),
        tuple(sorted(named)), round(share, 4),
        f"{mc} shares {k} of its {len(skills)} skills ({share:.0%}) with {best}{more} but "
        f"does not stack into it{tail}",
        {"qualifications": n,
         "shared_skills": sorted(skills & {s.casefold() for s in ctx.index[best].skills})})


Group = tuple[frozenset[str], int | None]  # qualifications' skills (casefolded) and level


class _Matches:
    """The qualifications sharing enough skills with one (skills, level): how many, how
    many of each provider, and by how many skills shared (most first) their groups."""

    def __init__(self, ranked: list[tuple[int, list[list[str]]]], total: int,
                 providers: Counter[str], group_of: Mapping[str, Group],
                 shared: Mapping[Group, int]) -> None:
        self.ranked = ranked  # [(skills shared, [sorted ids of each group])], most first
        self.total = total
        self.providers = providers
        self._group_of = group_of
        self._shared = shared

    def shared_with(self, q: str) -> int:
        """Skills q shares when it is one of the matches, else 0."""
        group = self._group_of.get(q)
        return 0 if group is None else self._shared.get(group, 0)

    def closest(self, limit: int, skip: set[str]) -> list[str]:
        """Up to ``limit`` matches not in ``skip``: most shared first, then by id."""
        out: list[str] = []
        for _k, lists in self.ranked:
            for q in heapq.merge(*lists):
                if q not in skip:
                    out.append(q)
                    if len(out) == limit:
                        return out
        return out


class _SkillIndex:
    """Available qualifications grouped by (skills, level), and skill -> level -> groups."""

    def __init__(self, ctx: Context) -> None:
        members: dict[Group, list[str]] = defaultdict(list)
        self.group_of: dict[str, Group] = {}
        for q in ctx.qualifications:  # sorted: each group's ids are too
            g = (frozenset(x.casefold() for x in ctx.index[q].skills), ctx.index[q].level)
            members[g].append(q)
            self.group_of[q] = g
        self.ids = dict(members)
        self.providers = {g: Counter(p for q in ids if (p := ctx.provider[q]))
                          for g, ids in self.ids.items()}
        self.by_skill: dict[str, dict[int | None, list[Group]]]
        self.by_skill = defaultdict(lambda: defaultdict(list))
        for g in sorted(self.ids, key=lambda g: self.ids[g][0]):
            for s in g[0]:
                self.by_skill[s][g[1]].append(g)
        self.window = ctx.options.duplication_level_window

    def _near(self, s: str, level: int | None) -> list[list[Group]]:
        levels = self.by_skill.get(s)
        if not levels:
            return []
        if level is None:
            return list(levels.values())
        near = [levels[lv] for lv in range(level - self.window, level + self.window + 1)
                if lv in levels]
        if None in levels:
            near.append(levels[None])
        return near

    def matches(self, skills: frozenset[str], level: int | None, need: float) -> _Matches:
        """The qualifications within the level window sharing at least ``need`` skills."""
        shared: Counter[Group] = Counter()
        for s in skills:
            for groups in self._near(s, level):
                shared.update(groups)
        by_count: dict[int, list[list[str]]] = defaultdict(list)
        total = 0
        providers: Counter[str] = Counter()
        kept: dict[Group, int] = {}
        for g, k in shared.items():
            if k < need:
                continue
            kept[g] = k
            ids = self.ids[g]
            by_count[k].append(ids)
            total += len(ids)
            providers.update(self.providers[g])
        ranked = sorted(by_count.items(), key=lambda t: -t[0])
        return _Matches(ranked, total, providers, self.group_of, kept)


def _stacking_descendants(ctx: Context, start: str) -> set[str]:
    seen: set[str] = set()
    queue = deque([start])
    while queue:
        u = queue.popleft()
        for w, _r in ctx.out.get(u, ()):
            if w not in seen:
                seen.add(w)
                queue.append(w)
    return seen


def isolated_providers(ctx: Context) -> list[Finding]:
    owned: dict[str, list[str]] = defaultdict(list)
    for c in ctx.catalog.credentials:
        if c.provider:
            owned[c.provider].append(c.id)
    if len(owned) < 2:
        return []
    crossing: set[str] = set()
    for e in ctx.catalog.stacking:
        u, v = ctx.index.get(e.source), ctx.index.get(e.target)
        if u is None or v is None:
            continue
        if u.provider and v.provider and u.provider != v.provider:
            crossing.update((u.provider, v.provider))
    out = []
    for p in sorted(owned):
        if p in crossing:
            continue
        ids = sorted(owned[p])
        name = ctx.providers[p].name if p in ctx.providers and ctx.providers[p].name else p
        internal = sum(1 for e in ctx.catalog.stacking
                       if e.source in ctx.index and ctx.index[e.source].provider == p)
        what = (f"stack only among themselves ({count(internal, 'edge')})" if internal
                else "stack into or from nothing")
        out.append(Finding(
            "isolated-provider", "low", (), (p,), len(ids),
            f"{name} ({p}): none of its {len(ids)} credentials stack into or from another "
            f"provider's; they {what}",
            {"credentials": ids}))
    return out


