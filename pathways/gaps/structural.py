"""The structural gap checks: read off the stacking graph, no route solved.

Dead ends, qualifications without an on-ramp, level jumps, duplication of what
qualifications already teach, and providers whose credentials stack only among themselves.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Mapping
from itertools import takewhile
from operator import itemgetter

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
    best: dict[str, tuple[int, str]] = {}
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
                     memo: dict[str, tuple[int, str]]) -> tuple[int, str] | None:
    """(level, id) of the highest-level available micro-credential reaching q (smallest id
    among equals), by a memoised walk up the stacking edges."""
    # Iterative post-order so deep chains do not hit the recursion limit.
    stack: list[tuple[str, bool]] = [(q, False)]
    done: dict[str, tuple[int, str] | None] = {}
    while stack:
        v, expanded = stack.pop()
        if v in memo or v in done:
            continue
        sources = [u for u, _r in ctx.into.get(v, ()) if u in ctx.available]
        if not expanded:
            stack.append((v, True))
            stack.extend((u, False) for u in sources
                         if u not in memo and u not in done
                         and ctx.index[u].kind != "micro-credential")
            continue
        cands: list[tuple[int, str]] = []
        for u in sources:
            cu = ctx.index[u]
            if cu.kind == "micro-credential":
                if cu.level is not None:
                    cands.append((cu.level, u))
            else:
                got = memo.get(u) or done.get(u)
                if got is not None:
                    cands.append(got)
        top = max(cands, key=lambda t: (t[0], _neg(t[1]))) if cands else None
        done[v] = top
        if top is not None:
            memo[v] = top
    return memo.get(q)


def _neg(text: str) -> tuple[int, ...]:
    """A key ordering strings in reverse, so max() picks the smallest id among equals."""
    return tuple(-ord(ch) for ch in text) + (1,)


def duplications(ctx: Context) -> list[Finding]:
    o = ctx.options
    window = o.duplication_level_window
    # skill -> level -> qualifications (level None under key None): only the levels within
    # the window of a micro-credential are looked at.
    by_skill: dict[str, dict[int | None, list[str]]] = defaultdict(lambda: defaultdict(list))
    for q in ctx.qualifications:
        for s in {x.casefold() for x in ctx.index[q].skills}:
            by_skill[s][ctx.index[q].level].append(q)
    out = []
    # Micro-credentials with the same skills at the same level match the same ones.
    ranked_for: dict[tuple[frozenset[str], int | None], tuple[list[str], Counter[str]]] = {}
    for mc in ctx.micro:
        m = ctx.index[mc]
        skills = {s.casefold() for s in m.skills}
        if len(skills) < o.duplication_min_shared:
            continue
        need = max(o.duplication_min_shared, o.duplication_overlap * len(skills))
        key = (frozenset(skills), m.level)
        if key not in ranked_for:
            ranked_for[key] = _ranked_qualifications(by_skill, skills, m.level, window, need)
        ranked, shared = ranked_for[key]
        if not ranked:
            continue
        reached = _stacking_descendants(ctx, mc)
        dups = [q for q in ranked if q not in reached]
        if not dups:
            continue
        closest = dups[:DUPLICATES_LISTED]
        best = closest[0]
        k = shared[best]
        share = k / len(skills)
        into = sorted({w for w, _r in ctx.out.get(mc, ())})
        tail = (f"; it stacks only into {', '.join(into)}" if into else "; it stacks into nothing")
        more = (f" (and {count(len(dups) - 1, 'other qualification')} as much or less)"
                if len(dups) > 1 else "")
        providers = set(map(ctx.provider.__getitem__, dups))
        providers.add(ctx.provider[mc])
        providers.discard(None)
        out.append(Finding(
            "duplication", "high" if share >= 1 else "medium", (mc, *closest),
            tuple(sorted(p for p in providers if p)), round(share, 4),
            f"{mc} shares {k} of its {len(skills)} skills ({share:.0%}) with {best}{more} but "
            f"does not stack into it{tail}",
            {"qualifications": len(dups),
             "shared_skills": sorted(skills & {s.casefold() for s in ctx.index[best].skills})}))
    return out


def _ranked_qualifications(by_skill: Mapping[str, Mapping[int | None, list[str]]],
                           skills: set[str], level: int | None, window: int, need: float
                           ) -> tuple[list[str], Counter[str]]:
    """Qualifications within ``window`` levels sharing at least ``need`` of ``skills``, most
    shared first (ids in order among equals), and the count shared with each."""
    shared: Counter[str] = Counter()
    for s in skills:
        levels = by_skill.get(s)
        if not levels:
            continue
        if level is None:
            groups = list(levels.values())
        else:
            groups = [levels[lv] for lv in range(level - window, level + window + 1)
                      if lv in levels]
            if None in levels:
                groups.append(levels[None])
        for group in groups:
            shared.update(group)
    ranked = sorted(shared.items())
    ranked.sort(key=itemgetter(1), reverse=True)  # stable: ids stay in order among equals
    return [q for q, _k in takewhile(lambda t: t[1] >= need, ranked)], shared


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


