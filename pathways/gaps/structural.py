"""The structural gap checks: read off the stacking graph, no route solved.

Dead ends, qualifications without an on-ramp, level jumps, duplication of what
qualifications already teach, and providers whose credentials stack only among themselves.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque

from pathways import numbers
from pathways.catalog import Credential
from pathways.gaps.context import Context
from pathways.gaps.report import Finding, count

__all__ = ["dead_ends", "duplications", "isolated_providers", "level_jumps", "no_on_ramps"]

DUPLICATES_LISTED = 10  # a duplication finding names at most this many qualifications


def dead_ends(ctx: Context) -> list[Finding]:
    """Available micro-credentials that stack into no available qualification."""
    # Available credentials that reach an available qualification through available ones.
    leads = ctx.spread(ctx.qualifications, ctx.into)
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
    """Available qualifications no available micro-credential stacks into."""
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
    """Stacking edges climbing too far, and qualifications whose nearest on-ramp is far
    below them."""
    limit = ctx.options.max_level_jump
    out = []
    for e in sorted(ctx.catalog.stacking):
        u, v = ctx.index.get(e.source), ctx.index.get(e.target)
        if u is None or v is None or u.level is None or v.level is None:
            continue
        if not u.same_scale(v):  # an AQF level and an NZQF one: no climb to measure
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
    # (one memo per level scale: only micro-credentials on q's scale are its on-ramps here)
    best: dict[str | None, dict[str, tuple[int, str] | None]] = {}
    for q in ctx.qualifications:
        lq = ctx.index[q].level
        if lq is None or q not in ctx.mc_reach():
            continue
        scale = ctx.index[q].foreign_scale
        top = _highest_on_ramp(ctx, q, best.setdefault(scale, {}), scale)
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


def _highest_on_ramp(ctx: Context, q: str, memo: dict[str, tuple[int, str] | None],
                     scale: str | None = None) -> tuple[int, str] | None:
    """(level, id) of the highest-level available micro-credential reaching q (smallest id
    among equals), by a walk up the stacking edges; ``memo`` keeps every credential's
    answer (None too) across calls, so each is worked out once. Only micro-credentials
    whose levels are on ``scale`` (a credential's ``foreign_scale``) count."""
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
            elif cu.level is not None and cu.foreign_scale == scale:
                got = (cu.level, u)
            else:
                continue
            if got is not None and (top is None or got[0] > top[0]
                                    or (got[0] == top[0] and got[1] < top[1])):
                top = got
        memo[v] = top
    return memo[q]


#: Levels of another framework's scale than the catalog's (AQF in an NZQF catalog) are
#: kept this far apart, so that a level window never reaches across scales.
_SCALE_GAP = 1000
_SCALES = ("nzqf", "aqf", "generic")


def _scaled_level(c: Credential) -> int | None:
    """``c``'s level for level windows: its level on the catalog's scale, else offset by
    its scale (NZQF and AQF levels are never compared)."""
    if c.level is None or c.foreign_scale is None:
        return c.level
    rank = _SCALES.index(c.foreign_scale) if c.foreign_scale in _SCALES else len(_SCALES)
    return c.level + _SCALE_GAP * (1 + rank)


def duplications(ctx: Context) -> list[Finding]:
    """Micro-credentials whose skills are largely those of qualifications they do not
    stack into (one finding each, the closest matches named first).

    Linear in the catalog: the qualifications sharing enough skills are found once for
    every distinct set of skills micro-credentials have (a number bounded by the skill
    vocabulary, not by the catalog) as bit sets, one per number of skills shared, and
    counted per level window and provider with whole-set operations; a micro-credential
    then corrects only for the few qualifications it stacks into, and reads its closest
    matches off the bit sets, lowest id first.
    """
    o = ctx.options
    index = _SkillIndex(ctx)
    out = []
    for mc in ctx.micro:
        m = ctx.index[mc]
        skills = frozenset(s.casefold() for s in m.skills)
        if len(skills) < o.duplication_min_shared:
            continue
        found = index.matches(skills, _scaled_level(m))
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
    named = found.providers_besides(reached_matches, ctx.provider[mc])
    into = sorted({w for w, _r in ctx.out.get(mc, ())})
    tail = (f"; it stacks only into {', '.join(into)}" if into else "; it stacks into nothing")
    more = (f" (and {count(n - 1, 'other qualification')} as much or less)" if n > 1 else "")
    return Finding(
        "duplication", "high" if share >= 1 else "medium", (mc, *closest),
        named, round(share, 4),
        f"{mc} shares {k} of its {len(skills)} skills ({numbers.share(share)}) with {best}{more} "
        f"but "
        f"does not stack into it{tail}",
        {"qualifications": n,
         "shared_skills": sorted(skills & {s.casefold() for s in ctx.index[best].skills})})


class _Matches:
    """The qualifications within a level window sharing enough of one set of skills: how
    many, how many of each provider, and (lazily) the closest ones. Sets of qualifications
    are bit sets over :attr:`_SkillIndex.ids` (sorted, so bit order is id order)."""

    def __init__(self, index: _SkillIndex, skills: frozenset[str], need: int,
                 window: tuple[int, set[int | None] | None]) -> None:
        self._index = index
        self._skills = skills
        self._need = need
        bits, self._levels = window  # (None: every level)
        # most skills shared first; what closest() has not read off yet
        self._pending = [x & bits for x in index.by_count(skills)]
        self._ranked: list[str] = []  # the matches read off so far, in order
        every = 0
        for x in self._pending:
            every |= x
        self.total = every.bit_count()
        self._named: dict[str | None, tuple[str, ...]] = {}  # own provider -> named
        self.providers: Counter[str] = Counter()
        for p, members in index.provider_sets.items():
            if (n := (every & members).bit_count()):
                self.providers[p] = n

    def providers_besides(self, taken: list[str], own: str | None) -> tuple[str, ...]:
        """The providers (sorted) of the matches other than ``taken`` (some of them), and
        ``own`` (a micro-credential's own provider). Kept per ``own`` when none are taken."""
        if taken:
            left = Counter(self.providers)
            left.subtract(p for q in taken if (p := self._index.provider[q]))
            names = {p for p, c in left.items() if c > 0}
            if own:
                names.add(own)
            return tuple(sorted(names))
        if own not in self._named:
            names = set(self.providers)
            if own:
                names.add(own)
            self._named[own] = tuple(sorted(names))
        return self._named[own]

    def shared_with(self, q: str) -> int:
        """Skills q shares when it is one of the matches, else 0."""
        i = self._index.position.get(q)
        if i is None or (self._levels is not None
                         and self._index.level_at[i] not in self._levels):
            return 0
        k = len(self._skills & self._index.skills[i])
        return k if k >= self._need else 0

    def closest(self, limit: int, skip: set[str]) -> list[str]:
        """Up to ``limit`` matches not in ``skip``: most shared first, then by id (read
        off the bit sets once for every micro-credential with these skills and level)."""
        out: list[str] = []
        i = 0
        while len(out) < limit:
            if i == len(self._ranked) and not self._read_more():
                break
            q = self._ranked[i]
            i += 1
            if q not in skip:
                out.append(q)
        return out

    def _read_more(self, most: int = 16) -> bool:
        """Read up to ``most`` more matches off the bit sets; False when none are left."""
        pending, ids = self._pending, self._index.ids
        while pending and not pending[0]:
            pending.pop(0)
        if not pending:
            return False
        bits = pending[0]
        for _ in range(most):
            if not bits:
                break
            low = bits & -bits
            bits ^= low
            self._ranked.append(ids[low.bit_length() - 1])
        pending[0] = bits
        return True


class _SkillIndex:
    """Available qualifications as bit sets (over their sorted ids): by skill
    (casefolded), by level and by provider. The matches of a set of skills are found by
    adding its skills' sets up in binary (:func:`_counts`): work per set of skills and per
    level window, none per qualification matched."""

    def __init__(self, ctx: Context) -> None:
        o = ctx.options
        self.ids = ctx.qualifications
        self.position = {q: i for i, q in enumerate(self.ids)}
        self.skills: list[frozenset[str]] = []
        self.level_at: list[int | None] = []
        postings: dict[str, int] = defaultdict(int)
        levels: dict[int | None, int] = defaultdict(int)
        providers: dict[str, int] = defaultdict(int)
        for i, q in enumerate(self.ids):
            bit = 1 << i
            mine = frozenset(x.casefold() for x in ctx.index[q].skills)
            self.skills.append(mine)
            for s in mine:
                postings[s] |= bit
            self.level_at.append(_scaled_level(ctx.index[q]))
            levels[self.level_at[-1]] |= bit
            if (p := ctx.provider[q]):
                providers[p] |= bit
        self.postings = dict(postings)
        self.levels = dict(levels)
        self.provider_sets = dict(providers)
        self.provider = ctx.provider
        self.window = o.duplication_level_window
        self.least = o.duplication_min_shared
        self.overlap = o.duplication_overlap
        self._by_count: dict[frozenset[str], list[int]] = {}
        self._matches: dict[tuple[frozenset[str], int | None], _Matches] = {}

    def need(self, skills: frozenset[str]) -> int:
        """The fewest of ``skills`` a match shares (k >= the share asked exactly when
        k >= its ceiling, k being whole)."""
        return math.ceil(max(self.least, self.overlap * len(skills)))

    def by_count(self, skills: frozenset[str]) -> list[int]:
        """The qualifications sharing enough of ``skills``: one bit set per number shared,
        most first."""
        if skills not in self._by_count:
            need = self.need(skills)
            counts = _counts([self.postings.get(s, 0) for s in skills])
            self._by_count[skills] = [
                got for k in range(len(skills), need - 1, -1) if (got := _exactly(counts, k))]
        return self._by_count[skills]

    def matches(self, skills: frozenset[str], level: int | None) -> _Matches:
        """The qualifications within the level window of ``level`` (any level for None;
        qualifications without a level match any) sharing enough of ``skills``."""
        key = (skills, level)
        if key not in self._matches:
            bits, levels = -1, None  # every qualification, every level
            if level is not None:
                levels = {*range(level - self.window, level + self.window + 1), None}
                bits = 0
                for lv in levels:
                    bits |= self.levels.get(lv, 0)
            self._matches[key] = _Matches(self, skills, self.need(skills), (bits, levels))
        return self._matches[key]


def _counts(sets: list[int]) -> list[int]:
    """How many of ``sets`` (bit sets) each item is in, in binary: bit plane j holds the
    items whose count has bit j set (a ripple-carry addition of whole bit sets)."""
    planes: list[int] = []
    for carry in sets:
        for j, plane in enumerate(planes):
            planes[j], carry = plane ^ carry, plane & carry
            if not carry:
                break
        if carry:
            planes.append(carry)
    return planes


def _exactly(planes: list[int], k: int) -> int:
    """The items whose count (bit planes from :func:`_counts`) is exactly k >= 1."""
    if k >> len(planes):
        return 0
    got = -1
    for j, plane in enumerate(planes):
        got &= plane if k >> j & 1 else ~plane
    return got


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
    """Providers (of two or more) none of whose credentials stack into or from another's."""
    owned: dict[str, list[str]] = defaultdict(list)
    for c in ctx.catalog.credentials:
        if c.provider:
            owned[c.provider].append(c.id)
    if len(owned) < 2:
        return []
    crossing: set[str] = set()
    internal: Counter[str | None] = Counter()  # edges from each provider's credentials
    for e in ctx.catalog.stacking:
        u, v = ctx.index.get(e.source), ctx.index.get(e.target)
        if u is not None:
            internal[u.provider] += 1
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
        what = (f"stack only among themselves ({count(internal[p], 'edge')})" if internal[p]
                else "stack into or from nothing")
        out.append(Finding(
            "isolated-provider", "low", (), (p,), len(ids),
            f"{name} ({p}): none of its {len(ids)} credentials stack into or from another "
            f"provider's; they {what}",
            {"credentials": ids}))
    return out


