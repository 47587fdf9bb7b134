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
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from datetime import date, timedelta
from typing import TypeVar

from pathways.catalog import FRAMEWORKS, Catalog, Credential, Provider, Rule, Stacking

__all__ = ["FIELDS", "PROVIDER_KINDS", "generate_catalog", "add_programmes"]

T = TypeVar("T")

# (name, phrase in qualification titles, degree name, topics). Topics name micro-credentials,
# courses and specialisations and are the skill tags; none holds a word NZQA bans from
# micro-credential titles.
FIELDS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Information technology", "Information Technology", "Information Technology",
     ("cloud computing", "network security", "web development", "data analytics",
      "software testing", "cyber security", "database design", "IT service support",
      "machine learning", "user experience design")),
    ("Business", "Business", "Business",
     ("accounting", "digital marketing", "people and culture", "project coordination",
      "small business finance", "supply chain", "business analytics", "leadership",
      "customer experience", "payroll administration")),
    ("Health and wellbeing", "Health and Wellbeing", "Health Science",
     ("aged care", "mental health support", "infection prevention", "dementia care",
      "health promotion", "hauora Māori", "disability support", "first aid",
      "health data", "clinical leadership")),
    ("Construction and trades", "Construction Trades", "Construction",
     ("carpentry framing", "interior lining", "exterior cladding", "demolition",
      "kitchen installation", "concrete placing", "scaffolding", "site supervision",
      "plumbing", "electrical wiring")),
    ("Engineering", "Engineering", "Engineering Technology",
     ("road pavements", "stormwater design", "structural drafting", "surveying",
      "geotechnics", "electric vehicle systems", "mechatronics", "welding",
      "water treatment", "traffic management")),
    ("Early childhood education", "Early Childhood Education and Care",
     "Teaching (Early Childhood Education)",
     ("te reo Māori in early learning", "infant and toddler care", "play-based learning",
      "child development", "inclusive practice", "assessment for learning",
      "whānau partnership", "curriculum planning", "child wellbeing", "service leadership")),
    ("Primary industries", "Primary Industries", "Agriculture",
     ("tree planting", "chainsaw operation", "silviculture", "dairy herd management",
      "pasture management", "beekeeping", "horticulture", "irrigation",
      "farm health and safety", "biosecurity")),
    ("Hospitality", "Hospitality", "Culinary Arts",
     ("barista skills", "food safety", "commercial cookery", "front of house",
      "event management", "wine service", "patisserie", "kitchen leadership",
      "tourism operations", "accommodation services")),
    ("Creative arts", "Creative Arts", "Design",
     ("graphic design", "photography", "screen production", "music production",
      "game art", "illustration", "animation", "creative writing", "fashion design",
      "toi Māori")),
    ("Education", "Education", "Teaching",
     ("literacy teaching", "numeracy teaching", "digital learning", "classroom management",
      "learning support", "adult education", "tikanga in education",
      "assessment design", "instructional design", "education leadership")),
    ("Environmental management", "Environmental Management", "Environmental Management",
     ("ecology", "pest control", "freshwater monitoring", "climate adaptation",
      "waste minimisation", "conservation", "environmental law", "GIS mapping",
      "restoration planting", "sustainability reporting")),
    ("Mātauranga Māori", "Mātauranga Māori", "Māori Studies",
     ("te reo Māori", "tikanga Māori", "raranga", "whakairo", "kapa haka",
      "Māori governance", "whakapapa", "maramataka", "rongoā Māori", "iwi development")),
)

PROVIDER_KINDS = ("polytechnic", "university", "wananga", "pte", "ito")

# Of 40 providers: the mix of a national catalog.
_KIND_SHARE = {"polytechnic": 14, "university": 8, "wananga": 3, "pte": 12, "ito": 3}
_NAMES = (
    "Kōwhai", "Rimu", "Kauri", "Tōtara", "Mānuka", "Harakeke", "Pōhutukawa", "Rātā",
    "Kahikatea", "Miro", "Mataī", "Nīkau", "Horoeka", "Karaka", "Tītoki", "Ponga", "Raupō",
    "Kawakawa", "Pūriri", "Tawa", "Tūī", "Kererū", "Pīwakawaka", "Kākā", "Kea", "Tīeke",
    "Kōkako", "Hoiho", "Tākahe", "Kōtare", "Riroriro", "Toroa", "Pūkeko", "Korimako",
    "Weka", "Ruru", "Kākāriki", "Kārearea", "Tara", "Matuku",
)
_NAME_PATTERN = {
    "polytechnic": "{} Polytechnic", "university": "{} University",
    "wananga": "Te Wānanga o {}", "pte": "{} Training Academy", "ito": "{} Industry Training",
}
_FIELD_INDEX = {name: i for i, (name, *_rest) in enumerate(FIELDS)}
_TRADE_FIELDS = ("Construction and trades", "Engineering", "Primary industries", "Hospitality")
_OFFERED = {  # fields a provider of each kind may offer, and how many
    "polytechnic": (tuple(f[0] for f in FIELDS if f[0] != "Mātauranga Māori"), (6, 10)),
    "university": (tuple(f[0] for f in FIELDS
                         if f[0] not in ("Construction and trades", "Hospitality")), (7, 10)),
    "wananga": (("Mātauranga Māori", "Education", "Early childhood education",
                 "Health and wellbeing", "Business", "Creative arts",
                 "Environmental management"), (3, 5)),
    "pte": (("Information technology", "Business", "Health and wellbeing", "Hospitality",
             "Early childhood education", "Creative arts"), (1, 3)),
    "ito": (_TRADE_FIELDS, (1, 2)),
}
_DELIVERY = {
    "polytechnic": (("in-person",), ("blended",), ("online", "blended"), ("in-person", "blended")),
    "university": (("in-person",), ("in-person", "online"), ("online",), ("blended",)),
    "wananga": (("in-person",), ("blended",), ("in-person", "blended")),
    "pte": (("online",), ("blended",), ("in-person",), ("online", "blended")),
    "ito": (("workplace",), ("workplace", "blended"), ("workplace", "in-person")),
}

# Ladder templates: rungs of (type, level, credit options); a family takes a run of rungs.
_Rung = tuple[tuple[str, int, tuple[int, ...]], ...]
_TEMPLATES: dict[str, tuple[_Rung, ...]] = {
    "trades": ((("certificate", 2, (40, 60)),),
               (("certificate", 3, (60, 90, 120)),),
               (("certificate", 4, (120,)),),
               (("diploma", 5, (120,)),)),
    "vocational": ((("certificate", 3, (60,)), ("certificate", 4, (60,))),
                   (("certificate", 4, (120,)), ("certificate", 5, (60, 120))),
                   (("diploma", 5, (120,)), ("diploma", 6, (120,)), ("certificate", 6, (60,))),
                   (("bachelor", 7, (360,)),)),
    "short": ((("certificate", 3, (40, 60)), ("certificate", 4, (60,))),
              (("certificate", 4, (120,)), ("certificate", 5, (60, 120))),
              (("diploma", 5, (120,)), ("diploma", 6, (120,)))),
    "undergraduate": ((("certificate", 5, (60, 120)), ("diploma", 6, (120,)),
                       ("diploma", 7, (120,))),
                      (("bachelor", 7, (360,)),),
                      (("graduate-certificate", 7, (60,)),),
                      (("graduate-diploma", 7, (120,)),)),
    "postgraduate": ((("graduate-certificate", 7, (60,)),
                      ("postgraduate-certificate", 8, (60,))),
                     (("graduate-diploma", 7, (120,)), ("postgraduate-diploma", 8, (120,))),
                     (("masters", 9, (120, 180, 240)),)),
}
_KIND_TEMPLATES = {
    "polytechnic": (("vocational", 6), ("trades", 3), ("short", 1)),
    "university": (("undergraduate", 6), ("postgraduate", 4)),
    "wananga": (("vocational", 8), ("undergraduate", 2)),
    "pte": (("short", 1),),
    "ito": (("trades", 1),),
}
_ID_PREFIX = {
    "certificate": "CERT", "diploma": "DIP", "bachelor": "BACH",
    "graduate-certificate": "GCERT", "graduate-diploma": "GDIP",
    "postgraduate-certificate": "PGCERT", "postgraduate-diploma": "PGDIP", "masters": "MAST",
}
# The level profile's main clause per type (semantics: at least m credits at level >= L);
# the "all credits at level >= L-1" clauses of the NZQF table are left to the user.
_PROFILE = {"diploma": 72, "bachelor": 72, "graduate-diploma": 72,
            "postgraduate-certificate": 40, "postgraduate-diploma": 72, "masters": 40}
# Most credits stacking may count, as a share of the qualification (CRT caps).
_CAP_SHARE = {"certificate": (0.5, 0.75), "diploma": (0.5, 0.5), "bachelor": (1 / 3, 1 / 3),
              "graduate-certificate": (0.5, 0.5), "graduate-diploma": (0.5, 0.5),
              "postgraduate-certificate": (0.5, 0.5), "postgraduate-diploma": (0.5, 0.5),
              "masters": (1 / 3, 1 / 3)}
_MICRO_CREDITS = (2, 3, 5, 5, 5, 10, 10, 10, 10, 15, 15, 15, 20, 20, 25, 30, 40)
_COURSE_CREDITS = (15, 15, 15, 15, 10, 20, 30)
_MICRO_TITLES = ("{} Fundamentals", "{} in Practice", "{} Essentials", "Foundations of {}",
                 "Applied {}", "{} for the Workplace", "{} Skills", "Advanced {}")
_ROMAN = ("I", "II", "III", "IV")
_REVIEW_FROM = date(2025, 1, 1)
_REVIEW_PAST_DAYS = (date(2026, 11, 1) - _REVIEW_FROM).days  # a few reviews overdue
_REVIEW_DAYS = (date(2029, 12, 31) - _REVIEW_FROM).days


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
    if n_credentials < 0:
        raise ValueError(f"n_credentials must be 0 or more (got {n_credentials})")
    if not 0 <= edges_per_credential < math.inf:
        raise ValueError("edges_per_credential must be a finite number of 0 or more "
                         f"(got {edges_per_credential})")
    if framework not in GENERATED_FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}; use one of "
                         f"{', '.join(GENERATED_FRAMEWORKS)}")
    catalog = _Generator(n_credentials, seed, edges_per_credential, framework).run()
    return add_programmes(catalog, seed=seed) if rules else catalog


#: Papers of a composed programme: university points of 15 and 7.5.
_PAPER_CREDITS = (15, 15, 15, 7.5)


def add_programmes(catalog: Catalog, *, seed: int = 0, share: float = 0.02,
                   rule_share: float = 0.1) -> Catalog:
    """``catalog`` with composed programmes and programme rules (issue 15), deterministic.

    About ``share`` of the qualifications gain a composed programme beside them: a
    120-credit level-7 diploma with no study of its own (``direct_study: false``) made of
    10–14 papers (more while they offer under 150 credits) of 15 and 7.5 credits at levels
    5–7, with a choose-k rule over its first-year papers, a credit pool over its 300-level
    papers ("45 credits from") and a "not both" pair. About ``rule_share`` of the other
    qualifications with three or more sources gain one rule over them: at least one of
    them, or not both of two. Every rule can be met, so the result still validates.
    """
    rng = random.Random(f"programmes-{seed}")
    creds = list(catalog.credentials)
    edges = list(catalog.stacking)
    into: dict[str, list[Stacking]] = {}
    for e in edges:
        into.setdefault(e.target, []).append(e)
    quals = [c for c in creds if c.kind == "qualification"]
    ruled: dict[str, Credential] = {}
    for q in quals:
        sources = sorted(into.get(q.id, ()), key=lambda e: e.source)
        if len(sources) < 3 or q.core or rng.random() >= rule_share:
            continue
        ids = [e.source for e in sources]
        if rng.random() < 0.5:
            rule = Rule("min", 1, tuple(rng.sample(ids, 3)))
        else:
            rule = Rule("max", 1, tuple(rng.sample(ids, 2)))
        ruled[q.id] = replace(q, rules=(rule,))
    creds = [ruled.get(c.id, c) for c in creds]
    n_majors = max(1, round(share * len(quals))) if quals else 0
    for k in range(n_majors):
        home = quals[rng.randrange(len(quals))]
        major = f"MAJ-{k + 1:06d}"
        papers: list[Credential] = []
        wanted = rng.randint(10, 14)
        j = 0
        while j < wanted or sum(p.credits for p in papers) < 150:  # room for "not both"
            year = 1 if j < 4 else 2 if j < 8 else 3
            credits = rng.choice(_PAPER_CREDITS)
            papers.append(Credential(
                id=f"PAP-{k + 1:06d}-{j + 1:02d}", title=f"{home.field or 'General'} paper "
                f"{year}{j + 1:02d}", kind="course", credits=credits, level=4 + year,
                provider=home.provider, fee=float(round(credits * rng.uniform(60, 90))),
                delivery=home.delivery, status="current", review_due=home.review_due,
                field=home.field, skills=home.skills[j % max(1, len(home.skills)):][:1]))
            j += 1
        first = [p.id for p in papers if p.level == 5]
        third = [p for p in papers if p.level == 7]
        credits = 120
        rules = [Rule("min", 2, tuple(first), "first-year")]
        pool = min(45, sum(p.credits for p in third) - 15)
        if pool >= 15:
            rules.append(Rule("min_credits", pool, tuple(p.id for p in third), "300-level"))
        second = [p.id for p in papers if p.level == 6]
        if len(second) >= 2:
            rules.append(Rule("max", 1, (second[0], second[1])))
        creds.append(Credential(
            id=major, title=f"Diploma in {home.field or 'General Studies'} (Level 7, "
            f"composed {k + 1})", kind="qualification", type="diploma", credits=credits,
            level=7,
            provider=home.provider, fee=0.0, delivery=home.delivery, status="current",
            review_due=home.review_due, field=home.field, skills=home.skills,
            direct_study=False, rules=tuple(rules)))
        creds.extend(papers)
        edges.extend(Stacking(p.id, major, p.credits) for p in papers)
    return replace(catalog, credentials=sorted(creds, key=lambda c: c.id),
                   stacking=sorted(edges), meta={**catalog.meta, "rules": "yes"})


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
        n_quals = round(0.20 * self.n)
        n_micro = round(0.55 * self.n)
        self._providers()
        self._families(n_quals)
        self._leaves(n_micro, self.n - n_quals - n_micro)
        self._ladder_edges()
        self._requirements()
        self._extra_edges()
        return self._catalog()

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
        dice = self.dice
        nodes = self.nodes
        quals = [i for f in self.families for i in f.quals]
        req = sum(len(c) for node in nodes for c in node.requires)
        wanted = round(self.epc * self.n) - req - len(self.edges)
        if not quals or wanted <= 0:
            return
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
            return
        own = [_Pool(nodes, leaves) for leaves in live]
        field_leaves = {k: _Pool(nodes, v) for k, v in by_field.items()}
        field_bottoms = {k: _Pool(nodes, v) for k, v in bottoms.items()}
        cum = _running(nodes[q].weight for q in quals)
        total, last = cum[-1], len(quals) - 1
        rand, find, edges = dice.random, bisect.bisect, self.edges
        placed = attempts = 0
        while placed < wanted and attempts < 4 * wanted:  # the hot loop: draws inlined
            attempts += 1
            q = quals[min(last, find(cum, rand() * total))]
            node = nodes[q]
            level = node.level
            roll = rand()
            if roll < 0.72:
                pool = own[node.family]
            elif roll < 0.92:
                pool = field_leaves[self.families[node.family].field]
            elif roll < 0.96 or node.rung == 0:
                pool = every_leaf
            else:
                pool = field_bottoms[self.families[node.family].field]
            # a source at most three levels below the target and not above it
            low = find(pool.levels, level - 4)
            high = find(pool.levels, level)
            if low == high:
                continue
            source = pool.items[low + int(rand() * (high - low))]
            if (source, q) in edges:
                continue
            s = nodes[source]
            if s.kind == "qualification" and (s.rung != 0 or s.family == node.family):
                continue  # within a family only the ladder links qualifications
            if level - s.level == 3 and rand() >= 0.2:
                continue
            credits = s.credits
            if s.kind == "micro-credential" and credits >= 10 and rand() < 0.25:
                credits = max(5, 5 * round(credits * (0.5 + 0.4 * rand()) / 5))
            edges[source, q] = credits
            placed += 1

    # -- the catalog ----------------------------------------------------------------------------
    def _catalog(self) -> Catalog:
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
        creds = [self._credential(i, node, ids, pid, sources.get(i, []))
                 for i, node in enumerate(self.nodes)]
        creds.sort(key=lambda c: c.id)
        edges = sorted((ids[u], ids[v], c) for (u, v), c in self.edges.items())
        return Catalog(
            providers=sorted((Provider(pid[p], self.provider_names[p]) for p in used),
                             key=lambda p: p.id),
            credentials=creds,
            stacking=[Stacking(u, v, c) for u, v, c in edges],
            framework=self.framework,
            name=f"synthetic-{self.n}-seed{self.seed}",
            meta={"generator": "pathways.synthetic", "seed": str(self.seed),
                  "edges_per_credential": f"{self.epc:g}"},
        )

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


def _qualification_title(qtype: str, level: int, phrase: str, degree: str, topic: str,
                         dice: _Dice) -> str:
    spec = _cap(topic)
    if qtype == "certificate":
        return f"Certificate in {phrase} ({spec}) (Level {level})"
    if qtype == "diploma":
        return f"Diploma in {phrase} ({spec}) (Level {level})"
    if qtype == "bachelor":
        return f"Bachelor of {degree}" + (f" ({spec})" if dice.chance(0.6) else "")
    if qtype == "masters":
        return f"Master of {degree}" + (f" ({spec})" if dice.chance(0.5) else "")
    words = {"graduate-certificate": "Graduate Certificate",
             "graduate-diploma": "Graduate Diploma",
             "postgraduate-certificate": "Postgraduate Certificate",
             "postgraduate-diploma": "Postgraduate Diploma"}[qtype]
    return f"{words} in {spec}"


@functools.cache
def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


@functools.cache
def _slug(text: str) -> str:
    return "-".join(text.lower().split())


# (field, topic) -> the field's other topics as skill tags
_OTHER_SKILLS = {(i, topic): tuple(_slug(t) for t in f[3] if t != topic)
                 for i, f in enumerate(FIELDS) for topic in f[3]}
