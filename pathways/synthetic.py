"""Synthetic catalogs of national scale, seeded and deterministic, for benchmarks and tests.

:func:`generate_catalog` builds a catalog shaped like a national one: about forty
providers of five kinds (polytechnics, universities, wānanga, private training
establishments, industry training bodies), twelve fields and NZQF levels 2–9. Each
provider runs *programme families*: a ladder of qualifications within one field
(certificate → diploma → bachelor's, or graduate certificate → postgraduate diploma →
master's) fed by its own micro-credentials and courses, with some edges from other
providers' families. Edges only go from a lower to a higher rank (leaves first, then
qualifications by rung of their ladder), so the catalog is acyclic by construction, and
only leaves and bottom-rung qualifications feed other families, so a qualification's
upstream stays at tens of credentials however large the catalog.

The word lists it draws from are in :mod:`pathways.synthetic_tables`; composed
programmes and programme rules (:func:`add_programmes`) in
:mod:`pathways.synthetic_programmes`.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from datetime import timedelta
from typing import TypeVar

from pathways.catalog import FRAMEWORKS, Catalog, Credential, Provider, Stacking
from pathways.synthetic_programmes import add_programmes
from pathways.synthetic_tables import (
    _CAP_SHARE,
    _COURSE_CREDITS,
    _DELIVERY,
    _FIELD_INDEX,
    _ID_PREFIX,
    _KIND_SHARE,
    _KIND_TEMPLATES,
    _MICRO_CREDITS,
    _MICRO_TITLES,
    _NAME_PATTERN,
    _NAMES,
    _OFFERED,
    _OTHER_SKILLS,
    _PROFILE,
    _REVIEW_DAYS,
    _REVIEW_FROM,
    _REVIEW_PAST_DAYS,
    _ROMAN,
    _TEMPLATES,
    _TRADE_FIELDS,
    FIELDS,
    PROVIDER_KINDS,
    _cap,
    _qualification_title,
    _slug,
)

__all__ = ["FIELDS", "PROVIDER_KINDS", "generate_catalog", "stream_catalog", "add_programmes"]

T = TypeVar("T")


class _Dice:
    """Fast seeded draws: ``random.Random`` underneath, bisect for weighted picks."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"pathways.synthetic:{seed}")  # str seeds are stable
        self.random = self.rng.random

    def chance(self, p: float) -> bool:
        return self.random() < p

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def weighted(self, seq: Sequence[T], cum: Sequence[float]) -> T:
        """An item of ``seq`` with probability by ``cum`` (running totals of weights)."""
        return seq[min(len(seq) - 1, bisect.bisect(cum, self.random() * cum[-1]))]

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def integer(self, low: int, high: int) -> int:
        """An integer from ``low`` to ``high`` inclusive."""
        return low + int(self.random() * (high - low + 1))

    def distinct(self, seq: Sequence[T], k: int) -> list[T]:
        """``k`` different items of ``seq`` (a random start and stride over it)."""
        n = len(seq)
        k = min(k, n)
        if k <= 0:
            return []
        start = int(self.random() * n)
        strides = _strides(n)
        stride = strides[int(self.random() * len(strides))]
        return [seq[(start + j * stride) % n] for j in range(k)]


@functools.cache
def _strides(n: int) -> tuple[int, ...]:
    """Steps that visit every item of a cycle of ``n`` before repeating."""
    return tuple(s for s in range(1, n) if math.gcd(s, n) == 1) or (1,)


def _running(weights: Iterable[float]) -> list[float]:
    return list(itertools.accumulate(weights))


_RUNG_SIZE = ((1, 2, 3), _running((65, 28, 7)))
_LADDER_LENGTH = ((1, 2, 3, 4), _running((2, 4, 3, 1)))
_STATUS = (("current", "expiring", "discontinued"), _running((93, 5, 2)))
_QUAL_STATUS = (("current", "expiring"), _running((95, 5)))
_MICRO_DROP = ((0, 1, 2), _running((45, 40, 15)))
_COURSE_DROP = ((0, 1, 2), _running((60, 30, 10)))
_ALTERNATIVES = ((1, 2, 3), _running((4, 4, 2)))


@dataclass
class _Node:
    """A credential while it is being generated (indices, not ids)."""

    kind: str
    family: int
    level: int
    credits: int
    rung: int = -1  # -1 for leaves (micro-credentials and courses)
    qtype: str | None = None
    topic: str = ""
    status: str = "current"
    dead_end: bool = False
    weight: float = 1.0
    requires: list[list[int]] = dc_field(default_factory=list)


@dataclass
class _Family:
    """One provider's ladder of qualifications in one field, with its leaves."""

    provider: int
    field: int
    quals: list[int] = dc_field(default_factory=list)
    leaves: list[int] = dc_field(default_factory=list)
    rungs: list[list[int]] = dc_field(default_factory=list)


class _Pool:
    """Candidate sources sorted by level, so a level window is two bisections."""

    def __init__(self, nodes: list[_Node], items: Iterable[int]) -> None:
        self.items = sorted(items, key=lambda i: (nodes[i].level, i))
        self.levels = [nodes[i].level for i in self.items]


@dataclass
class _SourcePools:
    """Where extra edges draw sources from: each family's own live leaves, the live leaves
    and the bottom-rung qualifications of each field, and every live leaf."""

    own: list[_Pool]
    field_leaves: dict[int, _Pool]
    field_bottoms: dict[int, _Pool]
    every_leaf: _Pool


def generate_catalog(n_credentials: int, *, seed: int = 0, edges_per_credential: float = 3.0,
                     framework: str = "nzqf", rules: bool = False) -> Catalog:
    """A realistic synthetic catalog of ``n_credentials`` credentials; same seed, same catalog.

    About 55 % micro-credentials, 25 % courses and 20 % qualifications of valid NZQF
    type, level and credits. Stacking edges plus entry-requirement alternatives number
    about ``edges_per_credential × n_credentials``. The result validates under
    :func:`pathways.rules.validate` (warnings only: some reviews are overdue).

    With ``rules``, programme rules as universities write them are added by
    :func:`add_programmes` (the rest of the catalog is the same as without).
    """
    catalog = _generator(n_credentials, seed, edges_per_credential, framework).run()
    return add_programmes(catalog, seed=seed) if rules else catalog


def stream_catalog(n_credentials: int, *, seed: int = 0, edges_per_credential: float = 3.0,
                   framework: str = "nzqf"
                   ) -> tuple[Catalog, Iterator[Credential], Iterator[Stacking]]:
    """:func:`generate_catalog`'s catalog (without programme rules) in three parts, for
    writing a large one without holding its credentials: the catalog without credentials
    and edges; the credentials one at a time in the order they are made (sorted by id,
    the catalog's list); the stacking edges in the catalog's order."""
    generator = _generator(n_credentials, seed, edges_per_credential, framework)
    generator.structure()
    return generator._parts()


def _generator(n: int, seed: int, edges_per_credential: float, framework: str) -> _Generator:
    if n < 0:
        raise ValueError(f"n_credentials must be 0 or more (got {n})")
    if not 0 <= edges_per_credential < math.inf:
        raise ValueError("edges_per_credential must be a finite number of 0 or more "
                         f"(got {edges_per_credential})")
    if framework not in GENERATED_FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}; use one of "
                         f"{', '.join(GENERATED_FRAMEWORKS)}")
    return _Generator(n, seed, edges_per_credential, framework)


#: The frameworks a generated catalog can follow: New Zealand-shaped catalogs (the AQF's
#: types and sizes are not generated).
GENERATED_FRAMEWORKS = tuple(f for f in FRAMEWORKS if f != "aqf")


class _Generator:
    """One run of :func:`generate_catalog`: families, leaves, edges, then the catalog."""

    def __init__(self, n: int, seed: int, edges_per_credential: float, framework: str) -> None:
        self.n = n
        self.seed = seed
        self.dice = _Dice(seed)
        self.epc = edges_per_credential
        self.framework = framework
        self.nodes: list[_Node] = []
        self.families: list[_Family] = []
        self.edges: dict[tuple[int, int], int] = {}  # (source, target) -> credits
        self.provider_kinds: list[str] = []
        self.provider_fields: list[list[int]] = []
        self.provider_names: list[str] = []

    def run(self) -> Catalog:
        self.structure()
        return self._catalog()

    def structure(self) -> None:
        """Providers, families, credentials as nodes and the edges between them."""
        n_quals = round(0.20 * self.n)
        n_micro = round(0.55 * self.n)
        self._providers()
        self._families(n_quals)
        self._leaves(n_micro, self.n - n_quals - n_micro)
        self._ladder_edges()
        self._requirements()
        self._extra_edges()

    # -- structure ------------------------------------------------------------------------------
    def _providers(self) -> None:
        """About 40 providers (fewer for small catalogs), each offering some fields."""
        dice = self.dice
        total = min(40, max(5, self.n // 20))
        names = list(_NAMES)
        dice.rng.shuffle(names)
        for kind in PROVIDER_KINDS:
            for _ in range(max(1, round(_KIND_SHARE[kind] * total / 40))):
                self.provider_names.append(
                    _NAME_PATTERN[kind].format(names[len(self.provider_kinds) % len(names)]))
                self.provider_kinds.append(kind)
                offered, (low, high) = _OFFERED[kind]
                pick = dice.distinct(offered, dice.integer(low, high))
                self.provider_fields.append(sorted(_FIELD_INDEX[f] for f in pick))

    def _families(self, n_quals: int) -> None:
        """Ladders of qualifications until there are ``n_quals`` of them."""
        dice = self.dice
        providers = list(range(len(self.provider_kinds)))
        sizes = _running(dice.rng.lognormvariate(0, 0.8) for _ in providers)
        made = 0
        while made < n_quals:
            p = dice.weighted(providers, sizes)
            kind = self.provider_kinds[p]
            fld = dice.pick(self.provider_fields[p])
            options = _KIND_TEMPLATES[kind]
            if kind == "polytechnic" and FIELDS[fld][0] in _TRADE_FIELDS:
                options = (("trades", 6), ("vocational", 3))
            name = dice.weighted([t for t, _ in options], _running(w for _, w in options))
            template = _TEMPLATES[name]
            length = min(len(template), dice.weighted(*_LADDER_LENGTH))
            start = dice.integer(0, len(template) - length)
            fam = _Family(p, fld)
            family = len(self.families)
            for rung, options_at in enumerate(template[start:start + length]):
                quals = []
                for _ in range(dice.weighted(*_RUNG_SIZE)):
                    if made == n_quals:
                        break
                    qtype, level, credit_options = dice.pick(options_at)
                    node = _Node("qualification", family, level, dice.pick(credit_options),
                                 rung=rung, qtype=qtype, topic=dice.pick(FIELDS[fld][3]),
                                 status=dice.weighted(*_QUAL_STATUS))
                    # bigger qualifications draw more sources; a few hubs draw very many
                    node.weight = math.sqrt(node.credits / 60) * dice.rng.lognormvariate(0, 0.5)
                    if dice.chance(0.005):
                        node.weight *= 15
                    quals.append(self._add(node, fam))
                    made += 1
                if quals:
                    fam.rungs.append(quals)
            self.families.append(fam)
        if not self.families:  # no qualifications at all: one family holds the leaves
            self.families.append(_Family(0, self.provider_fields[0][0]))

    def _add(self, node: _Node, fam: _Family) -> int:
        self.nodes.append(node)
        i = len(self.nodes) - 1
        (fam.quals if node.kind == "qualification" else fam.leaves).append(i)
        return i

    def _leaves(self, n_micro: int, n_course: int) -> None:
        """Micro-credentials and courses, each stacking into a qualification of its family
        (its level at most two below it), except about 2 % of micro-credentials: dead ends."""
        dice = self.dice
        fams = self.families
        indices = list(range(len(fams)))
        by_size = _running(len(f.quals) or 1 for f in fams)
        quals_cum = [_running(self.nodes[q].weight for q in f.quals) for f in fams]
        kinds = ["micro-credential"] * n_micro + ["course"] * n_course
        dice.rng.shuffle(kinds)
        smallest = 5 if self.framework == "nzqf-2018" else 1
        for kind in kinds:
            fi = dice.weighted(indices, by_size)
            fam = fams[fi]
            target = dice.weighted(fam.quals, quals_cum[fi]) if fam.quals else None
            t_level = self.nodes[target].level if target is not None else dice.integer(2, 7)
            if kind == "micro-credential":
                credits = max(smallest, dice.pick(_MICRO_CREDITS))
                level = max(2, t_level - dice.weighted(*_MICRO_DROP))
            else:
                credits = dice.pick(_COURSE_CREDITS)
                level = max(2, t_level - dice.weighted(*_COURSE_DROP))
            node = _Node(kind, fi, level, credits, topic=dice.pick(FIELDS[fam.field][3]),
                         status=dice.weighted(*_STATUS))
            i = self._add(node, fam)
            if target is None or (kind == "micro-credential" and dice.chance(0.02)):
                node.dead_end = kind == "micro-credential"
                continue
            self._stack(i, target)

    def _stack(self, source: int, target: int, credits: int | None = None) -> bool:
        """Add a stacking edge if new and not climbing down; credits default to realistic."""
        if (source, target) in self.edges:
            return False
        s = self.nodes[source]
        if s.level > self.nodes[target].level:
            return False
        if credits is None:
            credits = s.credits
            if s.kind == "micro-credential" and s.credits >= 10 and self.dice.chance(0.25):
                credits = max(5, 5 * round(s.credits * self.dice.uniform(0.5, 0.9) / 5))
        self.edges[source, target] = min(credits, s.credits)
        return True

    def _ladder_edges(self) -> None:
        """Each rung stacks into the next (a bachelor's is an entry requirement instead)."""
        dice = self.dice
        for fam in self.families:
            for lower, upper in itertools.pairwise(fam.rungs):
                for u in lower:
                    targets = [v for v in upper if dice.chance(0.7)] or [dice.pick(upper)]
                    for v in targets:
                        self._ladder(u, v)
            for lower, upper in zip(fam.rungs, fam.rungs[2:], strict=False):
                for u in lower:  # a rung skipped: certificate straight into a bachelor's
                    if dice.chance(0.2):
                        self._ladder(u, dice.pick(upper))

    def _ladder(self, u: int, v: int) -> None:
        s, t = self.nodes[u], self.nodes[v]
        if s.qtype == "bachelor" and t.qtype != "bachelor":
            t.requires.append([u])  # graduate study requires the degree; it does not stack
            return
        credits = max(5, 5 * round(t.credits * self.dice.uniform(0.25, 0.5) / 5))
        if s.credits <= 60 and self.dice.chance(0.5):
            credits = s.credits
        self._stack(u, v, credits)

    def _requirements(self) -> None:
        """OR entry requirements on some qualifications; prerequisites between courses."""
        dice = self.dice
        nodes = self.nodes
        for fam in self.families:
            lower: list[int] = []
            for rung in fam.rungs:
                for q in rung:
                    node = nodes[q]
                    if node.requires or not dice.chance(0.35 if lower else 0.1):
                        continue
                    pool = [x for x in lower if nodes[x].level <= node.level]
                    pool += [x for x in fam.leaves if not nodes[x].dead_end
                             and nodes[x].status != "discontinued"
                             and nodes[x].level <= node.level]
                    if pool:
                        node.requires.append(dice.distinct(pool, dice.weighted(*_ALTERNATIVES)))
                lower += rung
            seen: list[int] = []
            for leaf in fam.leaves:
                node = nodes[leaf]
                if dice.chance(0.35 if node.kind == "course" else 0.05):
                    earlier = [x for x in seen[-6:] if nodes[x].level <= node.level
                               and nodes[x].status != "discontinued"]
                    if earlier:
                        node.requires.append([dice.pick(earlier)])
                seen.append(leaf)

    def _extra_edges(self) -> None:
        """Stacking edges up to the wanted total, drawn by qualification weight (fan-in).

        Sources: mostly the family's own leaves, then other families' leaves in the field
        (other providers' too), a few from other fields, and bottom-rung qualifications of
        other families; never from higher rungs, so upstreams stay small.
        """
        nodes = self.nodes
        quals = [i for f in self.families for i in f.quals]
        req = sum(len(c) for node in nodes for c in node.requires)
        wanted = round(self.epc * self.n) - req - len(self.edges)
        if not quals or wanted <= 0:
            return
        pools = self._source_pools()
        if pools is None:
            return
        cum = _running(nodes[q].weight for q in quals)
        total, last = cum[-1], len(quals) - 1
        rand, find, edges = self.dice.random, bisect.bisect, self.edges
        placed = attempts = 0
        while placed < wanted and attempts < 4 * wanted:
            attempts += 1
            q = quals[min(last, find(cum, rand() * total))]
            drawn = self._draw_source(q, pools)
            if drawn is not None:
                edges[drawn[0], q] = drawn[1]
                placed += 1

    def _source_pools(self) -> _SourcePools | None:
        """The pools extra edges draw sources from (None: no live leaf anywhere)."""
        nodes = self.nodes
        by_field: dict[int, list[int]] = {}
        bottoms: dict[int, list[int]] = {}
        live: list[list[int]] = []
        for f in self.families:
            live.append([x for x in f.leaves if not nodes[x].dead_end])
            by_field.setdefault(f.field, []).extend(live[-1])
            if f.rungs:
                bottoms.setdefault(f.field, []).extend(f.rungs[0])
        every_leaf = _Pool(nodes, [x for leaves in live for x in leaves])
        if not every_leaf.items:
            return None
        return _SourcePools(
            own=[_Pool(nodes, leaves) for leaves in live],
            field_leaves={k: _Pool(nodes, v) for k, v in by_field.items()},
            field_bottoms={k: _Pool(nodes, v) for k, v in bottoms.items()},
            every_leaf=every_leaf)

    def _draw_source(self, q: int, pools: _SourcePools) -> tuple[int, int] | None:
        """One draw of a source (and its credits) for qualification ``q``; None when the
        draw is refused (the hot path: draws inlined)."""
        nodes, rand, find = self.nodes, self.dice.random, bisect.bisect
        node = nodes[q]
        level = node.level
        roll = rand()
        if roll < 0.72:
            pool = pools.own[node.family]
        elif roll < 0.92:
            pool = pools.field_leaves[self.families[node.family].field]
        elif roll < 0.96 or node.rung == 0:
            pool = pools.every_leaf
        else:
            pool = pools.field_bottoms[self.families[node.family].field]
        # a source at most three levels below the target and not above it
        low = find(pool.levels, level - 4)
        high = find(pool.levels, level)
        if low == high:
            return None
        source = pool.items[low + int(rand() * (high - low))]
        if (source, q) in self.edges:
            return None
        s = nodes[source]
        if s.kind == "qualification" and (s.rung != 0 or s.family == node.family):
            return None  # within a family only the ladder links qualifications
        if level - s.level == 3 and rand() >= 0.2:
            return None
        credits = s.credits
        if s.kind == "micro-credential" and credits >= 10 and rand() < 0.25:
            credits = max(5, 5 * round(credits * (0.5 + 0.4 * rand()) / 5))
        return source, credits

    # -- the catalog ----------------------------------------------------------------------------
    def _catalog(self) -> Catalog:
        head, creds, edges = self._parts()
        return replace(head, credentials=sorted(creds, key=lambda c: c.id),
                       stacking=list(edges))

    def _parts(self) -> tuple[Catalog, Iterator[Credential], Iterator[Stacking]]:
        """The catalog without its credentials and edges; the credentials one at a time
        in the order they are made; the edges sorted."""
        ids = self._ids()
        sources: dict[int, list[int]] = {}
        for u, v in self.edges:
            sources.setdefault(v, []).append(u)
        order = sorted(range(len(self.provider_kinds)),
                       key=lambda p: (PROVIDER_KINDS.index(self.provider_kinds[p]), p))
        pid: dict[int, str] = {}
        for p in order:
            kind = self.provider_kinds[p]
            pid[p] = f"{kind}-{sum(v.startswith(kind + '-') for v in pid.values()) + 1:02d}"
        used = sorted({self.families[node.family].provider for node in self.nodes})
        head = Catalog(
            providers=sorted((Provider(pid[p], self.provider_names[p]) for p in used),
                             key=lambda p: p.id),
            framework=self.framework,
            name=f"synthetic-{self.n}-seed{self.seed}",
            meta={"generator": "pathways.synthetic", "seed": str(self.seed),
                  "edges_per_credential": f"{self.epc:g}"},
        )
        creds = (self._credential(i, node, ids, pid, sources.pop(i, []))
                 for i, node in enumerate(self.nodes))
        edges = (Stacking(u, v, c) for u, v, c in
                 sorted((ids[u], ids[v], c) for (u, v), c in self.edges.items()))
        return head, creds, edges

    def _ids(self) -> list[str]:
        counters: dict[str, int] = {}
        ids = []
        for node in self.nodes:
            if node.kind == "qualification":
                prefix = _ID_PREFIX[node.qtype or "certificate"]
            else:
                prefix = "MC" if node.kind == "micro-credential" else "CRS"
            counters[prefix] = counters.get(prefix, 0) + 1
            ids.append(f"{prefix}-{counters[prefix]:06d}")
        return ids

    def _credential(self, i: int, node: _Node, ids: list[str], pid: dict[int, str],
                    sources: list[int]) -> Credential:
        dice = self.dice
        fam = self.families[node.family]
        name, phrase, degree, _ = FIELDS[fam.field]
        qual = node.kind == "qualification"
        others = _OTHER_SKILLS[fam.field, node.topic]
        skills = (_slug(node.topic), *dice.distinct(others, dice.integer(3, 6) if qual
                                                     else dice.integer(0, 2)))
        delivery = dice.pick(_DELIVERY[self.provider_kinds[fam.provider]])
        if dice.chance(0.08):
            days = int(dice.random() * _REVIEW_PAST_DAYS)
        else:
            days = dice.integer(_REVIEW_PAST_DAYS + 31, _REVIEW_DAYS)
        hours = None
        if "workplace" in delivery and dice.chance(0.4):
            hours = float(round(node.credits * 10 * dice.uniform(0.8, 1.5)))
        max_recognised = None
        core: tuple[str, ...] = ()
        profile: tuple[tuple[int, int], ...] = ()
        if node.kind == "micro-credential":
            title = dice.pick(_MICRO_TITLES).format(_cap(node.topic))
            fee = math.floor(node.credits * dice.uniform(30, 64))  # TEC cap: $64 a credit
        elif node.kind == "course":
            title = f"{_cap(node.topic)} {_ROMAN[min(3, max(0, node.level - 4))]}"
            fee = 10 * round(node.credits * dice.uniform(50, 90) / 10)
        else:
            qtype = node.qtype or "certificate"
            title = _qualification_title(qtype, node.level, phrase, degree, node.topic, dice)
            fee = 10 * round(node.credits * dice.uniform(50, 90) / 10)
            if node.level == 2 and dice.chance(0.25):
                fee = 0  # fees-free foundation certificates
            low, high = _CAP_SHARE[qtype]
            if sources and dice.chance(0.85):
                max_recognised = 5 * round(node.credits * dice.uniform(low, high) / 5)
            if qtype in _PROFILE:
                profile = ((node.level, _PROFILE[qtype]),)
            elif qtype == "certificate" and node.credits > 40 and dice.chance(0.5):
                profile = ((node.level, 40),)
            own = sorted(s for s in sources if self.nodes[s].family == node.family
                         and self.nodes[s].status != "discontinued")
            if len(sources) >= 3 and own and dice.chance(0.15):
                chosen = dice.distinct(own, dice.integer(1, 2))
                if self._countable(i, chosen, max_recognised, profile):
                    core = tuple(sorted(ids[s] for s in chosen))
        return Credential(
            id=ids[i], title=title, kind=node.kind, credits=node.credits, level=node.level,
            type=node.qtype, provider=pid[fam.provider], fee=float(fee), hours=hours,
            delivery=delivery, status=node.status,
            review_due=(_REVIEW_FROM + timedelta(days=days)).isoformat(), field=name,
            skills=skills,
            requires=tuple(tuple(ids[a] for a in clause) for clause in node.requires),
            max_recognised=max_recognised, core=core, level_profile=profile,
        )


    def _countable(self, target: int, core: list[int], cap: int | None,
                   profile: tuple[tuple[int, int], ...]) -> bool:
        """Whether all of ``core`` can be counted in full within the cap and level profile."""
        node = self.nodes[target]
        credits = {s: self.edges[s, target] for s in core}
        if sum(credits.values()) > (node.credits if cap is None else cap):
            return False
        return all(sum(c for s, c in credits.items() if self.nodes[s].level < level)
                   <= node.credits - minimum for level, minimum in profile)
