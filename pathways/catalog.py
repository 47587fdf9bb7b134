"""The catalog: providers, credentials, stacking edges and entry requirements, in memory.

A :class:`Catalog` is what every other module works on, whether it came from a file
(:mod:`pathways.formats`) or the database (:mod:`pathways.store`). Optional fields are
``None`` (or empty) when the source left them out, so that a catalog is written back
exactly as it was read; the ``effective_*`` properties apply the defaults of
semantics.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from typing import TYPE_CHECKING

from pathways.errors import Problem
from pathways.vocabulary import (
    DELIVERY_MODES,
    FRAMEWORKS,
    KINDS,
    QUALIFICATION_TYPES,
    STATUSES,
    SYSTEM_TYPES,
)

if TYPE_CHECKING:  # networkx is imported where a graph is built: `route` never needs it
    import networkx as nx

    from pathways.place import Place

__all__ = [
    "KINDS",
    "QUALIFICATION_TYPES",
    "DELIVERY_MODES",
    "STATUSES",
    "FRAMEWORKS",
    "SYSTEM_TYPES",
    "HOURS_PER_CREDIT",
    "LEVEL_SCALES",
    "level_scale",
    "CreditUnit",
    "Term",
    "ANY_WEEK",
    "Provider",
    "Credential",
    "Stacking",
    "Rule",
    "RULE_KINDS",
    "Catalog",
    "credit_value",
    "is_half_multiple",
    "to_graph",
    "find_cycle",
]

HOURS_PER_CREDIT = 10  # NZQA listing rules 2022, rule 3

#: The level scale each framework numbers its levels on: NZQF levels (current or 2018
#: rules) are one scale, AQF levels another (an AQF 8 graduate certificate is an NZQF 7
#: one), and a generic credential's level is on a scale of its own. Levels on different
#: scales are never compared (level profiles, level jumps, drawings' columns).
LEVEL_SCALES = {"nzqf": "nzqf", "nzqf-2018": "nzqf", "aqf": "aqf", "generic": "generic"}


def level_scale(framework: str) -> str:
    """The level scale of ``framework`` (an unknown framework is a scale of its own)."""
    return LEVEL_SCALES.get(framework, framework)


@dataclass(frozen=True)
class CreditUnit:
    """The unit a catalog counts credit in, when it is not the NZQF credit of 10 hours:
    an Australian provider's "credit point" of, say, 12.5 hours. Every credit figure of
    the catalog (credits, stacking credits, caps, rules) is in this unit; a credential's
    hours default to ``hours`` per unit."""

    name: str
    hours: float

#: A credit figure: a multiple of 0.5, held as an ``int`` when whole (so "15" prints as 15)
#: and as a ``float`` otherwise (7.5). Every computation on credits is exact in halves.
Credits = int | float

#: Programme rules (semantics.md section 1): ``min``/``max`` k of a list of sources,
#: ``min_credits``/``max_credits`` counted from a list.
RULE_KINDS = ("min", "max", "min_credits", "max_credits")


def is_half_multiple(value: float) -> bool:
    """Whether ``value`` is a multiple of 0.5 (15, 7.5; not 7.25)."""
    return float(value * 2).is_integer()


def credit_value(value: float) -> Credits:
    """A credit figure as held: a whole value as an ``int`` (15.0 -> 15), else as given."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class Rule:
    """One programme rule of a credential over a list of its stacking sources.

    ``kind`` is one of :data:`RULE_KINDS`; ``amount`` is k (``min``/``max``) or credits
    (``min_credits``/``max_credits``); ``name`` optionally names the list ("Year 2") for
    explanations.
    """

    kind: str
    amount: Credits
    ids: tuple[str, ...]
    name: str | None = None

    @property
    def counts_credits(self) -> bool:
        return self.kind in ("min_credits", "max_credits")

    @property
    def is_minimum(self) -> bool:
        return self.kind in ("min", "min_credits")

    def list_name(self) -> str:
        """How the rule's list reads: "the Year 2 list" or "P101, P102, P103"."""
        if self.name:
            return f"the {self.name} list"
        return ", ".join(self.ids)

    def describe(self) -> str:
        """The rule in words: "at least 2 of 4 from the Year 2 list", "at most 60 credits
        from P301, P302"."""
        bound = "at least" if self.is_minimum else "at most"
        amount = f"{self.amount:g}" if isinstance(self.amount, float) else str(self.amount)
        if self.counts_credits:
            return f"{bound} {amount} credits from {self.list_name()}"
        return f"{bound} {amount} of {len(self.ids)} from {self.list_name()}"


#: The intake of a self-paced credential: it may start any Monday.
ANY_WEEK = "any-week"


@dataclass(frozen=True)
class Term:
    """A named term of a calendar with ISO dates (``end`` is its last day). A name may
    repeat across years (T1 2027, T1 2028): an intake naming it means any occurrence."""

    term: str
    start: str  # YYYY-MM-DD
    end: str  # YYYY-MM-DD, the term's last day


def sorted_terms(terms: Iterable[Term]) -> tuple[Term, ...]:
    """A calendar as held and written: sorted by start, then term name, once each."""
    return tuple(sorted(set(terms), key=lambda t: (t.start, t.term, t.end)))


@dataclass(frozen=True)
class Provider:
    """An organisation that offers credentials, with its own calendar of named terms
    (held sorted by start, then name)."""

    id: str
    name: str = ""
    source: str | Place | None = dc_field(default=None, compare=False, repr=False)
    calendar: tuple[Term, ...] = ()

    def __post_init__(self) -> None:
        if self.calendar:
            object.__setattr__(self, "calendar", sorted_terms(self.calendar))


@dataclass(frozen=True, slots=True)  # slots: a million credentials, ~1 KB less each
class Credential:
    """A micro-credential, qualification or course, with every field of catalog-format.md.

    ``requires`` is an AND of ORs: every clause (a tuple of ids) needs one alternative
    held or achieved. ``corequisites`` and ``strict_corequisites`` come only from
    CurricularAnalytics curricula; they are edges for the metrics and are treated as
    entry requirements by routes. ``source`` is where the credential was read
    (``FILE:LINE`` or a JSON path), for error messages; it takes no part in equality. A
    record read from a JSON file holds it as a :class:`~pathways.place.Place` (its number,
    written out when a message needs it): ``str(c.source)`` is the text.
    """

    id: str
    title: str
    kind: str
    credits: Credits
    level: int | None = None
    type: str | None = None
    provider: str | None = None
    fee: float | None = None
    hours: float | None = None
    delivery: tuple[str, ...] = ()
    status: str | None = None
    review_due: str | None = None  # ISO date, YYYY-MM-DD
    field: str | None = None
    skills: tuple[str, ...] = ()
    requires: tuple[tuple[str, ...], ...] = ()
    max_recognised: Credits | None = None
    core: tuple[str, ...] = ()
    level_profile: tuple[tuple[int, Credits], ...] = ()  # sorted (level, minimum credits)
    corequisites: tuple[str, ...] = ()
    strict_corequisites: tuple[str, ...] = ()
    term: int | None = None
    direct_study: bool | None = None  # None: the default, true
    rules: tuple[Rule, ...] = ()
    code: str | None = None  # a course's code, e.g. "MATH 156" (CurricularAnalytics)
    framework: str | None = None  # None: the catalog's framework
    # When it may start: ISO dates, term names of its provider's or the catalog's
    # calendar, or "any-week" (self-paced); empty: any week. Order as read, once each.
    intakes: tuple[str, ...] = ()
    duration_weeks: float | None = None  # weeks at its normal load (None: see calendar.py)
    source: str | Place | None = dc_field(default=None, compare=False, repr=False)
    # Set by the Catalog holding the credential (never read from or written to a file):
    # hours per credit (its credit unit's) and, when the credential follows a framework
    # whose levels are on another scale than the catalog's, that scale (else None).
    hours_per_credit: float = dc_field(default=HOURS_PER_CREDIT, compare=False, repr=False)
    foreign_scale: str | None = dc_field(default=None, compare=False, repr=False)

    @property
    def effective_fee(self) -> float:
        """The whole credential's fee (NZD); an unknown fee counts as 0."""
        return float(self.fee) if self.fee is not None else 0.0

    @property
    def effective_hours(self) -> float:
        """Notional learning hours: as given, else 10 per credit (or the hours of the
        catalog's credit unit)."""
        if self.hours is not None:
            return float(self.hours)
        return self.hours_per_credit * self.credits

    def same_scale(self, other: Credential) -> bool:
        """Whether this credential's level and ``other``'s are on one level scale (both
        follow frameworks numbering levels alike), so they may be compared."""
        return self.foreign_scale == other.foreign_scale

    @property
    def effective_direct_study(self) -> bool:
        """Whether the credential has study of its own (default true)."""
        return self.direct_study is not False

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        """``rules`` with ``core`` as the rule it is shorthand for (min len(core) of core)."""
        if not self.core:
            return self.rules
        return (Rule("min", len(self.core), tuple(self.core), "core"), *self.rules)

    @property
    def effective_status(self) -> str:
        return self.status or "current"

    @property
    def effective_max_recognised(self) -> Credits:
        """Most credits stacking may count into this credential."""
        if self.max_recognised is None:
            return self.credits
        return min(self.max_recognised, self.credits)

    @property
    def required_ids(self) -> tuple[str, ...]:
        """Every id named by an entry requirement or co-requisite, sorted, once each."""
        ids = {a for clause in self.requires for a in clause}
        ids.update(self.corequisites, self.strict_corequisites)
        return tuple(sorted(ids))

    @property
    def requirement_clauses(self) -> tuple[tuple[str, ...], ...]:
        """``requires`` plus each co-requisite as a clause of its own (AND of ORs)."""
        extra = tuple((c,) for c in (*self.corequisites, *self.strict_corequisites))
        return self.requires + extra


@dataclass(frozen=True, order=True, slots=True)  # slots: millions of edges, 40 bytes less each
class Stacking:
    """Up to ``credits`` of ``source``'s credits are recognised towards ``target``."""

    source: str
    target: str
    credits: Credits
    where: str | Place | None = dc_field(default=None, compare=False, repr=False)


@dataclass
class Catalog:
    """A whole catalog. Lists keep the order they were read in; lookups go by id."""

    providers: list[Provider] = dc_field(default_factory=list)
    credentials: list[Credential] = dc_field(default_factory=list)
    stacking: list[Stacking] = dc_field(default_factory=list)
    framework: str = "nzqf"
    name: str | None = None
    system_type: str | None = None  # CurricularAnalytics: "semester" | "quarter"
    meta: dict[str, str] = dc_field(default_factory=dict)
    source: str | None = dc_field(default=None, compare=False, repr=False)
    # Warnings a reader found (an unknown CurricularAnalytics System Type read as
    # semester): validation reports them with its own.
    notices: tuple[Problem, ...] = dc_field(default=(), compare=False, repr=False)
    credit_unit: CreditUnit | None = None  # None: NZQF credits of 10 hours
    calendar: tuple[Term, ...] = ()  # named terms, sorted by start then name

    def __post_init__(self) -> None:
        """Tell each credential its hours per credit and whether its level is on another
        scale than the catalog's (see :class:`Credential`). Costs nothing for a catalog
        in NZQF credits whose credentials name no framework of their own. The calendar
        is held sorted (start, then name), once each."""
        if self.calendar:
            self.calendar = sorted_terms(self.calendar)
        hours = self.credit_unit.hours if self.credit_unit is not None else HOURS_PER_CREDIT
        own = level_scale(self.framework)
        if hours == HOURS_PER_CREDIT and all(
                c.framework is None and c.foreign_scale is None
                and c.hours_per_credit == HOURS_PER_CREDIT for c in self.credentials):
            return
        updated = []
        for c in self.credentials:
            scale = level_scale(c.framework) if c.framework is not None else own
            foreign = None if scale == own else scale
            if c.hours_per_credit != hours or c.foreign_scale != foreign:
                c = replace(c, hours_per_credit=hours, foreign_scale=foreign)
            updated.append(c)
        self.credentials = updated

    def framework_of(self, c: Credential) -> str:
        """The framework ``c`` follows: its own, else the catalog's."""
        return c.framework if c.framework is not None else self.framework

    # -- lookups ---------------------------------------------------------------------------
    def index(self) -> dict[str, Credential]:
        """Credentials by id (a new dict each call: keep it when looking up many)."""
        return {c.id: c for c in self.credentials}

    def provider_index(self) -> dict[str, Provider]:
        return {p.id: p for p in self.providers}

    def __contains__(self, cid: object) -> bool:
        """Whether a credential has id ``cid``: O(1) through positions cached while the
        credential list is the same list of the same length (a cached position is checked
        before it is trusted; an id missing from the cache is looked for again only when
        the list changed — replace credentials with :func:`dataclasses.replace` keeping
        their ids, or assign a new list)."""
        creds = self.credentials
        cache = self.__dict__.get("_positions")
        if cache is None or cache[0] is not creds or cache[1] != len(creds):
            cache = (creds, len(creds), {c.id: i for i, c in enumerate(creds)})
            self.__dict__["_positions"] = cache
        i = cache[2].get(cid) if isinstance(cid, str) else None
        if i is None:
            return False
        if i < len(creds) and creds[i].id == cid:
            return True
        self.__dict__.pop("_positions", None)  # changed in place: look again
        return any(c.id == cid for c in creds)

    def __iter__(self) -> Iterator[Credential]:
        return iter(self.credentials)

    def __len__(self) -> int:
        return len(self.credentials)

    def stacking_into(self, cid: str) -> list[Stacking]:
        return sorted(e for e in self.stacking if e.target == cid)

    def stacking_from(self, cid: str) -> list[Stacking]:
        return sorted(e for e in self.stacking if e.source == cid)

    # -- derived catalogs ------------------------------------------------------------------
    def subset(self, ids: Iterable[str]) -> Catalog:
        """The catalog restricted to ``ids`` (edges among them; providers they use)."""
        keep = set(ids)
        creds = [c for c in self.credentials if c.id in keep]
        used = {c.provider for c in creds}
        return replace(
            self,
            providers=[p for p in self.providers if p.id in used],
            credentials=creds,
            stacking=[e for e in self.stacking if e.source in keep and e.target in keep],
            meta=dict(self.meta),
        )

    def sorted(self) -> Catalog:
        """The same catalog with providers, credentials and edges sorted by id."""
        return replace(
            self,
            providers=sorted(self.providers, key=lambda p: p.id),
            credentials=sorted(self.credentials, key=lambda c: c.id),
            stacking=sorted(self.stacking),
            meta=dict(self.meta),
        )


def to_graph(catalog: Catalog) -> nx.DiGraph:
    """The catalog as a networkx ``DiGraph``.

    Nodes are credential ids with the :class:`Credential` under ``"credential"`` and its
    ``kind``, ``level``, ``credits``, ``provider`` and ``title`` copied as attributes.
    An edge ``u -> v`` exists when u stacks into v (``stacking`` = credits) and/or v
    requires u (``requisite`` = ``"requires"``, ``"corequisite"`` or
    ``"strict-corequisite"``); the attribute not present is ``None``. Ids named by an
    edge but missing from the catalog are not added (validation reports them). The
    graph's ``mixed_levels`` is true when some credential's level is on another
    framework's scale than the catalog's.
    """
    import networkx as nx

    g: nx.DiGraph = nx.DiGraph(framework=catalog.framework, name=catalog.name,
                               system_type=catalog.system_type)
    if any(c.foreign_scale is not None for c in catalog.credentials):
        g.graph["mixed_levels"] = True  # levels of several frameworks' scales
    g.add_nodes_from(
        (c.id, {"credential": c, "kind": c.kind, "level": c.level, "credits": c.credits,
                "provider": c.provider, "title": c.title})
        for c in catalog.credentials
    )
    # Edge attributes gathered first and added in one call: much faster on big catalogs.
    edges: dict[tuple[str, str], dict[str, object]] = {}
    for e in catalog.stacking:
        if e.source in g and e.target in g:
            edges[e.source, e.target] = {"stacking": e.credits, "requisite": None}
    for c in catalog.credentials:
        rels = [(a, "requires") for clause in c.requires for a in clause]
        rels += [(a, "corequisite") for a in c.corequisites]
        rels += [(a, "strict-corequisite") for a in c.strict_corequisites]
        for a, rel in rels:
            if a not in g:
                continue
            data = edges.setdefault((a, c.id), {"stacking": None, "requisite": None})
            if data["requisite"] is None:
                data["requisite"] = rel
    g.add_edges_from((u, v, d) for (u, v), d in edges.items())
    return g


def find_cycle(graph: nx.DiGraph) -> list[str] | None:
    """The members of one cycle (in cycle order, starting at the smallest id), or None."""
    import networkx as nx

    try:
        edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    members = [u for u, _v, *_ in edges]
    start = members.index(min(members))
    return members[start:] + members[:start]
