"""The answers behind each page and its JSON twin: a plan, a gap report, a what-if, a map,
metrics. Each reads its request from query parameters (:mod:`pathways.web.params`) and
calls the library; the JSON objects are the CLI's ``--json`` objects."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from pathways.catalog import Credential
from pathways.errors import NoRouteError
from pathways.numbers import plain
from pathways.vocabulary import DELIVERY_MODES, OBJECTIVES, PAGE_SIZES  # noqa: F401  (app)
from pathways.web import params as P
from pathways.web.maps import (  # noqa: F401  (the app reaches maps through answers too)
    MAP_FORMATS,
    ORIENTATIONS,
    MapQuery,
    _part,
    _too_big,
    credential_map,
    credential_scope,
    map_pages,
    map_scope,
)
from pathways.web.site import MAX_CHECKLIST, MAX_HELD, MAX_MAP_CREDENTIALS, Site, WebError

ALTERNATIVES = 3  # routes listed under "alternatives"


# -- plan a route --------------------------------------------------------------------------


@dataclass
class PlanQuery:
    """Everything a plan needs; :meth:`to_query` puts it back in a URL."""

    to: str | None = None  # an id or words of a title
    field: str | None = None  # or a filter: any qualification in this field…
    min_level: int | None = None  # …at this level or above
    skills: str | None = None  # or skills to cover, comma-separated (instead of a target)
    have: list[str] = dc_field(default_factory=list)
    rpl: dict[str, float] = dc_field(default_factory=dict)  # prior learning: id -> credits
    by: str = "fee"
    budget: float | None = None
    max_hours: float | None = None
    delivery: list[str] = dc_field(default_factory=list)
    only_provider: list[str] = dc_field(default_factory=list)
    exclude_provider: list[str] = dc_field(default_factory=list)
    exclude: list[str] = dc_field(default_factory=list)
    hours_per_week: float = 10.0

    @classmethod
    def read(cls, params: P.Params) -> PlanQuery:
        return cls(
            to=P.text(params, "to"),
            field=P.text(params, "field"),
            min_level=P.whole(params, "min_level", "minimum level", low=1, high=10),
            skills=P.text(params, "skills"),
            have=P.id_list(params, "have", MAX_HELD),
            rpl=P.grants(params, "rpl", "prior learning"),
            by=P.choice(params, "by", "objective", OBJECTIVES, "fee") or "fee",
            budget=P.number(params, "budget", "budget", high=10**8),
            max_hours=P.number(params, "max_hours", "most hours", high=10**6),
            delivery=P.choices(params, "delivery", "delivery mode", DELIVERY_MODES),
            only_provider=P.id_list(params, "only_provider"),
            exclude_provider=P.id_list(params, "exclude_provider"),
            exclude=P.id_list(params, "exclude"),
            hours_per_week=P.number(params, "hours_per_week", "hours a week", low=1,
                                    high=168, default=10.0) or 10.0,
        )

    @property
    def asked(self) -> bool:
        return (self.to is not None or self.field is not None or self.min_level is not None
                or self.skills is not None)

    @property
    def skills_list(self) -> list[str]:
        return [s.strip() for s in (self.skills or "").split(",") if s.strip()]

    def pairs(self, **override: Any) -> dict[str, Any]:
        pairs: dict[str, Any] = {
            "to": self.to, "field": self.field, "min_level": self.min_level,
            "skills": self.skills, "have": self.have, "rpl": P.grants_text(self.rpl),
            "by": None if self.by == "fee" else self.by,
            "budget": self.budget, "max_hours": self.max_hours, "delivery": self.delivery,
            "only_provider": self.only_provider, "exclude_provider": self.exclude_provider,
            "exclude": self.exclude,
            "hours_per_week": None if self.hours_per_week == 10.0 else self.hours_per_week,
        }
        pairs.update(override)
        return pairs

    def to_query(self, **override: Any) -> str:
        return P.query(self.pairs(**override))


@dataclass
class Plan:
    query: PlanQuery
    target: Credential | None = None
    choices: list[Credential] = dc_field(default_factory=list)  # a typed target, ambiguous
    route: Any = None  # with weeks
    alternatives: list[Any] = dc_field(default_factory=list)
    tradeoffs: list[Any] = dc_field(default_factory=list)
    no_route: str | None = None
    checklist: list[Credential] = dc_field(default_factory=list)
    checklist_more: int = 0
    held_not_counted: list[str] = dc_field(default_factory=list)
    filter_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``pathways route --json``'s object (with weeks), plus alternatives and trade-offs."""
        if self.route is None:
            target = self.target.id if self.target else None
            return {"feasible": False, "target": target, "reason": self.no_route}
        out = self.route.to_dict()
        if self.filter_text:
            out["filter"] = self.filter_text
        out["alternatives"] = [r.to_dict() for r in self.alternatives]
        out["tradeoffs"] = [r.to_dict() for r in self.tradeoffs]
        return out


def _constraints(q: PlanQuery) -> Any:
    from pathways.routes import Constraints

    return Constraints(
        budget=q.budget, max_hours=q.max_hours, exclude=frozenset(q.exclude),
        exclude_providers=frozenset(q.exclude_provider),
        providers=frozenset(q.only_provider) if q.only_provider else None,
        delivery=frozenset(q.delivery) if q.delivery else None)


def plan(site: Site, q: PlanQuery, *, extras: bool = True) -> Plan:
    """The cheapest route for ``q`` with its alternatives and fee/hours trade-offs; an
    ambiguous typed target gives the choices; no route gives the reason."""
    out = Plan(query=q)
    if not q.asked:
        return out
    _check_ids(site, q)
    held = [site.credential(cid).id for cid in q.have]
    aim = _goal(site, q, out)
    if aim is None:  # an ambiguous typed target: the choices are the answer
        return out
    goal, seeds = aim
    upstream = sorted(site.upstream(seeds) - (set() if goal is None else set(seeds)),
                      key=lambda cid: (site.index[cid].level or 0, cid))
    out.checklist = [site.index[cid] for cid in upstream[:MAX_CHECKLIST]]
    out.checklist_more = max(0, len(upstream) - MAX_CHECKLIST)
    # One plan is asked for several times (its page, its map, its options, its handout):
    # answers are remembered by everything that decides them.
    key = ("plan", goal, tuple(q.skills_list), tuple(sorted(q.rpl.items())),
           tuple(sorted(held)), q.by, q.budget, q.max_hours,
           tuple(sorted(q.delivery)), tuple(sorted(q.only_provider)),
           tuple(sorted(q.exclude_provider)), tuple(sorted(q.exclude)), extras)
    answer = site.remembered(key, lambda: site.run(
        "Planning the route", "drop some constraints or held credentials, or plan it "
        "with `pathways route`", lambda: _solve(site, q, goal, held, extras)))
    if isinstance(answer, str):
        out.no_route = answer
        return out
    best, out.alternatives, out.tradeoffs = answer
    from pathways.routes import with_schedule

    out.route = with_schedule(best, q.hours_per_week)
    if out.target is None and goal is not None:
        out.target = site.index[best.target]
    counted = {h for h, _into, _n in best.held_counted}
    out.held_not_counted = [h for h in held if h not in counted]
    return out


def _check_ids(site: Site, q: PlanQuery) -> None:
    """Every provider and credential the plan names is in the catalog (else a message)."""
    for pid in (*q.only_provider, *q.exclude_provider):
        if pid not in site.providers:
            raise WebError(f"unknown provider {pid!r}",
                           hint="choose one of " + ", ".join(sorted(site.providers)))
    for cid in (*q.have, *q.exclude, *q.rpl):
        site.credential(cid)


def _goal(site: Site, q: PlanQuery, out: Plan) -> tuple[Any, list[str]] | None:
    """What the plan aims at (an id, a filter, or None for skills) and the credentials
    whose upstream the tick list shows; None when a typed target is ambiguous (the
    choices are put in ``out``)."""
    from pathways.routes import TargetFilter

    if q.skills is not None:
        if q.to is not None or q.field is not None or q.min_level is not None:
            raise WebError("give skills or a target (or field and level), not both",
                           hint="clear the skills, or the target, field and level")
        from pathways.filters import fold

        wanted = {fold(s) for s in q.skills_list}
        return None, sorted(c.id for c in site.catalog
                            if any(fold(s) in wanted for s in c.skills))
    if q.to is not None:
        if q.field is not None or q.min_level is not None:
            raise WebError("give a target or a filter (field, minimum level), not both",
                           hint="clear the target, or the field and level")
        found = site.resolve(q.to)
        if not found:
            raise WebError(f"nothing in the catalog matches {q.to!r}", status=404,
                           hint="try fewer or other words, or search the catalog")
        if len(found) > 1:
            out.choices = found[:50]
            return None
        out.target = found[0]
        q.to = found[0].id  # links and the shared URL name the id, not the words
        return q.to, [q.to]
    if q.field is not None:
        site.check_filters(_field_only(q.field))
    flt = TargetFilter(field=q.field, min_level=q.min_level)
    out.filter_text = flt.describe()
    return flt, [c.id for c in site.catalog if flt.matches(c)]


def _solve(site: Site, q: PlanQuery, goal: Any, held: list[str],
           extras: bool) -> tuple[Any, list[Any], list[Any]] | str:
    """The best route, its alternatives and trade-offs (without ``extras``, the best
    only); the reason as text when there is no route."""
    from pathways.routes import find_route, find_routes, find_skills_route, pareto_routes

    constraints = _constraints(q)
    try:
        if goal is None:  # skills: the library finds the cheapest route only
            return find_skills_route(site.catalog, q.skills_list, held=held, by=q.by,
                                     constraints=constraints, rpl=q.rpl), [], []
        best = find_route(site.catalog, goal, held=held, by=q.by, constraints=constraints,
                          rpl=q.rpl)
        if not extras:
            return best, [], []
        alternatives = find_routes(site.catalog, goal, k=ALTERNATIVES, held=held, by=q.by,
                                   constraints=constraints, rpl=q.rpl)
        tradeoffs = pareto_routes(site.catalog, goal, held=held, constraints=constraints,
                                  rpl=q.rpl)
    except NoRouteError as exc:
        return str(exc)
    return best, alternatives, tradeoffs


def _field_only(name: str) -> Any:
    from pathways.web.site import Search

    return Search(field=name)


def explanation(site: Site, p: Plan) -> list[str]:
    """The route in sentences: why each credential is there, what held ones count."""
    from pathways.routes.problem import RPL_PREFIX

    r = p.route
    if r is None:
        return []
    lines = []
    for s in r.steps:
        if s.reason == "target":
            lines.append(f"{s.id} is the goal: {s.credits_recognised} of its {s.credits} "
                         f"credits are recognised from what comes before it, "
                         f"{s.credits_studied} are studied.")
        else:
            lines.append(f"{s.id} ({s.title}): {s.reason}.")
    for h, into, n in r.held_counted:
        if h.startswith(RPL_PREFIX):
            lines.append(f"Prior learning recognised: {n} credits of {into} are granted.")
        else:
            lines.append(f"{h}, held already, counts {n} credits into {into}.")
    for h in p.held_not_counted:
        if p.target is None:  # a route to skills: held ones count by the skills they teach
            lines.append(f"{h}, held already, teaches none of the skills still wanted.")
            continue
        lines.append(f"{h}, held already, counts into nothing on this route (it does not "
                     f"lead to {r.target}, or another credential counts for more).")
    return lines


# -- maps (pathways.web.maps; a route's drawing here, with its plan) ---------------------


def route_drawing(site: Site, q: PlanQuery, fmt: str, *, handout: bool = False
                  ) -> tuple[bytes, ...]:
    """The plan's route on its map, as `pathways draw --to T --have … --page A4` draws it;
    ``handout``: the learner's handout, as `… --style brochure` draws it."""
    from pathways.drawing import MapStyle, draw_map, route_highlight, select

    p = plan(site, q, extras=False)
    if p.route is None:
        raise WebError(p.no_route or "choose a target first", status=404 if p.no_route
                       else 400, hint="change the plan until it has a route")
    route = p.route
    if q.skills is not None:  # no one target: the map of what leads to the steps
        ends = [*(s.id for s in route.steps), *route.held]
        part = site.catalog.subset(site.upstream(ends) | set(ends))
        scope = select(part)
    else:
        part = site.catalog.subset(site.upstream([route.target]))  # every path there
        scope = select(part, to=route.target)
    if len(scope.ids) > MAX_MAP_CREDENTIALS:
        raise WebError(f"the map would hold {len(scope.ids):,} credentials; this server "
                       f"draws at most {MAX_MAP_CREDENTIALS}", status=413,
                       hint="draw it with `pathways draw`")
    highlight = route_highlight(route)
    look = MapStyle(style="brochure" if handout else "map",
                    goal=route.target if handout and q.skills is None else None)

    def draw(path: Path) -> Any:
        return draw_map(part, path, ids=scope.ids, page="A4",
                        title=None if handout else scope.title, highlight=highlight,
                        look=look)

    key = ("route", scope.ids, highlight.steps, tuple(sorted(highlight.held)),
           tuple(sorted(highlight.counted.items())), highlight.summary, fmt, handout)
    return site.drawing(key, draw, "." + fmt)


# -- gaps ----------------------------------------------------------------------------------

GAP_SORTS = ("severity", "kind", "figure", "credentials", "providers")


@dataclass
class GapQuery:
    kinds: list[str] = dc_field(default_factory=list)
    severity: str | None = None
    provider: str | None = None
    field: str | None = None
    text: str | None = None
    sort: str = "severity"
    descending: bool = False

    @classmethod
    def read(cls, params: P.Params) -> GapQuery:
        from pathways.gaps import GAP_KINDS, SEVERITIES

        return cls(kinds=P.choices(params, "kind", "gap kind", GAP_KINDS),
                   severity=P.choice(params, "severity", "severity", SEVERITIES),
                   provider=P.text(params, "provider"), field=P.text(params, "field"),
                   text=P.text(params, "q"),
                   sort=P.choice(params, "sort", "sort column", GAP_SORTS, "severity")
                   or "severity",
                   descending=P.choice(params, "dir", "direction", ("asc", "desc"),
                                       "asc") == "desc")

    def to_query(self, **override: Any) -> str:
        pairs: dict[str, Any] = {
            "kind": self.kinds, "severity": self.severity, "provider": self.provider,
            "field": self.field, "q": self.text,
            "sort": None if self.sort == "severity" else self.sort,
            "dir": "desc" if self.descending else None}
        pairs.update(override)
        return P.query(pairs)


def gap_report(site: Site, wait: float) -> Any:
    """The whole gap report as of today, computed once in the background; None while it
    is still being computed after ``wait`` seconds."""
    from pathways.gaps import GapOptions, find_gaps

    today = site.today()
    entry = site.wait_slow(f"gaps-{today}", lambda: find_gaps(
        site.catalog, GapOptions(as_of=today)), wait)
    if not entry.done.is_set():
        return None
    if entry.error is not None:
        raise entry.error
    return entry.value


def filter_findings(site: Site, report: Any, q: GapQuery) -> list[Any]:
    from pathways.filters import fold
    from pathways.gaps import GAP_KINDS, SEVERITIES

    if q.provider is not None and q.provider not in site.providers:
        raise WebError(f"unknown provider {q.provider!r}",
                       hint="choose one of " + ", ".join(sorted(site.providers)))
    if q.field is not None:
        site.check_filters(_field_only(q.field))
    words = fold(q.text or "").split()
    out = []
    for f in report.findings:
        if q.kinds and f.kind not in q.kinds:
            continue
        if q.severity and f.severity != q.severity:
            continue
        if q.provider and q.provider not in f.providers:
            continue
        if q.field and not any(fold(site.index[c].field or "") == fold(q.field)
                               for c in f.credentials if c in site.index):
            continue
        if words:
            hay = fold(" ".join((f.kind, f.message, *f.credentials, *f.providers)))
            if not all(w in hay for w in words):
                continue
        out.append(f)
    keys = {
        "severity": lambda f: SEVERITIES.index(f.severity),
        "kind": lambda f: GAP_KINDS.index(f.kind),
        "figure": lambda f: f.figure,
        "credentials": lambda f: f.credentials,
        "providers": lambda f: f.providers,
    }
    if q.sort != "severity" or q.descending:
        out.sort(key=keys[q.sort], reverse=q.descending)  # stable: report order breaks ties
    return out


def coverage(site: Site, provider: str) -> list[tuple[Credential, float]]:
    from pathways.drawing import coverage_shares

    if provider not in site.providers:
        raise WebError(f"unknown provider {provider!r}",
                       hint="choose one of " + ", ".join(sorted(site.providers)))
    shares = site.run("Charting coverage", "try again later", coverage_shares,
                      site.catalog, provider)
    return [(site.index[q], share) for q, share in shares.items()]


# -- what-if -------------------------------------------------------------------------------


@dataclass
class WhatIfQuery:
    new_id: str | None = None
    new_title: str | None = None
    new_credits: int | None = None
    new_level: int | None = None
    new_fee: float | None = None
    new_provider: str | None = None
    new_into: str | None = None
    new_into_credits: int | None = None
    add_edge: list[str] = dc_field(default_factory=list)
    remove_edge: list[str] = dc_field(default_factory=list)
    price: list[str] = dc_field(default_factory=list)
    remove: list[str] = dc_field(default_factory=list)
    gaps: bool = True
    submitted: bool = False  # the form was sent (so an empty one says what to give)

    @classmethod
    def read(cls, params: P.Params) -> WhatIfQuery:
        q = cls(
            new_id=P.text(params, "new_id"), new_title=P.text(params, "new_title"),
            new_credits=P.whole(params, "new_credits", "credits", low=1, high=360),
            new_level=P.whole(params, "new_level", "level", low=1, high=10),
            new_fee=P.number(params, "new_fee", "fee", high=10**7),
            new_provider=P.text(params, "new_provider"), new_into=P.text(params, "new_into"),
            new_into_credits=P.whole(params, "new_into_credits", "credits counted",
                                     low=1, high=360),
            add_edge=P.id_list(params, "add_edge", 20),
            remove_edge=P.id_list(params, "remove_edge", 20),
            price=P.id_list(params, "price", 20), remove=P.id_list(params, "remove", 20),
            gaps=P.flag(params, "gaps", default=not params.get("asked")),
            submitted=P.flag(params, "asked"))
        edge = [P.text(params, k) for k in ("edge_from", "edge_to")]
        edge_credits = P.whole(params, "edge_credits", "edge credits", low=1, high=360)
        if any(edge) or edge_credits is not None:
            if not all(edge) or edge_credits is None:
                raise WebError("a new stacking edge needs from, to and credits",
                               hint="fill in all three, or none")
            q.add_edge.append(f"{edge[0]}:{edge[1]}:{edge_credits}")
        price_id = P.text(params, "price_id")
        price_fee = P.number(params, "price_fee", "new fee", high=10**7)
        if price_id or price_fee is not None:
            if not price_id or price_fee is None:
                raise WebError("a new price needs a credential and a fee",
                               hint="fill in both, or neither")
            q.price.append(f"{price_id}={plain(price_fee)}")
        return q

    @property
    def asked(self) -> bool:
        return bool(self.new_id or self.add_edge or self.remove_edge or self.price
                    or self.remove)

    def to_query(self) -> str:
        return P.query({
            "new_id": self.new_id, "new_title": self.new_title,
            "new_credits": self.new_credits, "new_level": self.new_level,
            "new_fee": self.new_fee, "new_provider": self.new_provider,
            "new_into": self.new_into, "new_into_credits": self.new_into_credits,
            "add_edge": self.add_edge, "remove_edge": self.remove_edge,
            "price": self.price, "remove": self.remove, "gaps": self.gaps, "asked": True})


def what_if(site: Site, q: WhatIfQuery) -> Any:
    from pathways.errors import CatalogError
    from pathways.whatif import Change, parse_edge, parse_price
    from pathways.whatif import what_if as run_what_if

    changes: list[Any] = []
    if q.new_id:
        missing = [name for name, v in (("title", q.new_title), ("credits", q.new_credits),
                                        ("level", q.new_level)) if v is None]
        if missing:
            raise WebError(f"the new micro-credential needs its {', '.join(missing)}",
                           hint="fill in id, title, credits and level")
        if q.new_id in site.index:
            raise WebError(f"{q.new_id} is in the catalog already",
                           hint="give the new micro-credential an id of its own")
        if q.new_provider and q.new_provider not in site.providers:
            raise WebError(f"unknown provider {q.new_provider!r}",
                           hint="choose one of " + ", ".join(sorted(site.providers)))
        assert q.new_title is not None and q.new_credits is not None
        changes.append(Change.add(Credential(
            id=q.new_id, title=q.new_title, kind="micro-credential", credits=q.new_credits,
            level=q.new_level, provider=q.new_provider, fee=q.new_fee), "the new "
            "micro-credential"))
        if q.new_into:
            into = site.credential(q.new_into).id
            changes.append(Change.add_edge(q.new_id, into, q.new_into_credits
                                           or q.new_credits, "the new micro-credential"))
    try:
        changes += [Change.remove(site.credential(cid).id, f"remove {cid}")
                    for cid in q.remove]
        changes += [parse_edge(t, remove=True) for t in q.remove_edge]
        changes += [parse_edge(t) for t in q.add_edge]
        changes += [parse_price(t) for t in q.price]
    except CatalogError as exc:
        raise WebError(exc.problems[0].message, hint="write an edge as FROM:TO:CREDITS "
                       "and a price as ID=FEE") from None
    if not changes:
        raise WebError("no change given", hint="add a micro-credential, an edge, a price "
                       "or a removal")
    from pathways.gaps import GapOptions

    return site.run("The what-if", "untick 'compare gap reports', or run `pathways what-if`",
                    run_what_if, site.catalog, changes, GapOptions(as_of=site.today()),
                    gaps=q.gaps)


# -- metrics -------------------------------------------------------------------------------

METRIC_SORTS = ("complexity", "blocking", "delay", "centrality", "id")


@dataclass
class MetricsQuery:
    to: str | None = None
    provider: str | None = None
    field: str | None = None
    sort: str = "complexity"
    page: int = 1

    @classmethod
    def read(cls, params: P.Params) -> MetricsQuery:
        return cls(to=P.text(params, "to"), provider=P.text(params, "provider"),
                   field=P.text(params, "field"),
                   sort=P.choice(params, "sort", "sort column", METRIC_SORTS,
                                 "complexity") or "complexity",
                   page=P.whole(params, "page", "page", low=1, default=1) or 1)

    def to_query(self, **override: Any) -> str:
        pairs: dict[str, Any] = {"to": self.to, "provider": self.provider,
                                 "field": self.field, "sort": self.sort, "page": None}
        pairs.update(override)
        return P.query(pairs)


def metrics(site: Site, q: MetricsQuery) -> tuple[Any, str]:
    """The metrics of the scope (a curriculum: what leads to a qualification; a
    provider's or a field's pathways; or the whole catalog) and its title."""
    from pathways.drawing import select
    from pathways.metrics import compute_metrics

    if q.to or q.provider or q.field:
        from pathways.web.site import Search

        to = site.credential(q.to).id if q.to else None
        site.check_filters(Search(provider=q.provider, field=q.field))
        part, _exact = _part(site, to, None, q.provider, q.field)
        scope = select(part, to=to, provider=q.provider, field=q.field)
        ids, title = scope.ids, scope.title
    else:
        ids, title = tuple(sorted(site.index)), site.catalog.name or "The whole catalog"
    key = f"metrics-{hash(ids)}"

    def work() -> Any:
        sub = site.catalog if len(ids) == len(site.index) else site.catalog.subset(ids)
        return compute_metrics(sub)

    entry = site.wait_slow(key, work, site.time_limit)
    if not entry.done.is_set():
        raise WebError("the metrics are still being computed", status=503,
                       hint="reload the page in a minute")
    if entry.error is not None:
        raise entry.error
    return entry.value, title


def sorted_metric_ids(m: Any, sort: str) -> list[str]:
    ids = sorted(m.credentials)
    if sort != "id":
        ids.sort(key=lambda cid: -getattr(m.credentials[cid], sort))
    return ids

