"""When will the learner finish? The plan page's dated plan (:func:`pathways.plans.plan_dated`,
or every fee/finish trade-off: :func:`pathways.plans.pareto_dated`), its JSON twin
``/api/plan`` (``pathways plan --json``'s object) and its drawing (``pathways timeline
--dated``).

The start date is always given: a plan never starts "today" by the server's clock, so the
same address gives the same plan tomorrow and a link sent to a learner stays true.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import QueryParams

from pathways.web import answers as A
from pathways.web import params as P
from pathways.web.site import Site, TooSlow, WebError

#: The dated objectives and their words on the page (pathways.plans.DATED_OBJECTIVES).
DATED_BY = {"finish": "earliest finish", "fee": "lowest fee", "hours": "fewest hours",
            "credits": "fewest credits to study"}
MAX_TRADEOFFS = 12  # fee/finish trade-offs shown at most


@dataclass
class DatedQuery:
    """The dated part of a plan: from when, by what, by when; ``pareto``: every
    fee/finish trade-off instead of one plan."""

    start: dt.date | None = None
    by: str = "finish"
    finish_by: dt.date | None = None
    pareto: bool = False
    credits_per_term: float | None = None  # at most, in each term of the calendar

    @classmethod
    def read(cls, params: P.Params, by_name: str = "plan_by") -> DatedQuery:
        q = cls(start=P.day(params, "start", "start date"),
                by=P.choice(params, by_name, "dated objective", tuple(DATED_BY),
                            "finish") or "finish",
                finish_by=P.day(params, "finish_by", "finish-by date"),
                pareto=P.flag(params, "pareto"),
                credits_per_term=P.number(params, "max_credits_per_term",
                                          "credits a term", high=1000))
        if q.credits_per_term == 0:
            raise WebError("credits a term must be more than 0", hint="give more, or none")
        if q.start is None and (q.finish_by is not None or q.pareto
                                or params.get(by_name)):
            raise WebError("a dated plan needs its start date",
                           hint="give the first day the learner can study (YYYY-MM-DD)")
        if q.pareto and q.by != "finish":
            raise WebError("the trade-offs show every fee and finish worth having, so they "
                           "take no objective", hint="choose 'earliest finish', or untick "
                           "'every trade-off'")
        if q.start and q.finish_by and q.finish_by < q.start:
            raise WebError(f"the finish-by date {q.finish_by} is before the start {q.start}",
                           hint="give a later finish-by date, or none")
        return q

    @property
    def asked(self) -> bool:
        return self.start is not None

    def pairs(self, by_name: str = "plan_by") -> dict[str, Any]:
        return {"start": self.start, by_name: None if self.by == "finish" else self.by,
                "finish_by": self.finish_by, "pareto": self.pareto,
                "max_credits_per_term": self.credits_per_term}


@dataclass
class Dated:
    """The answer: the plans (one, or the trade-offs), or why there is none."""

    query: DatedQuery
    target: str
    plans: list[Any]
    no_plan: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``pathways plan --json``'s object (``{"plans": […]}`` for the trade-offs)."""
        if self.no_plan is not None:
            return {"feasible": False, "target": self.target, "reason": self.no_plan}
        if self.query.pareto:
            return {"plans": [p.to_dict() for p in self.plans]}
        return dict(self.plans[0].to_dict())


def dated_plan(site: Site, q: A.PlanQuery, dq: DatedQuery) -> Dated:
    """The dated plan (or trade-offs) of the route ``q`` asks for, from ``dq.start``;
    remembered like routes, bounded by the server's time limit (503 past it)."""
    from pathways.errors import NoRouteError, PathwaysError
    from pathways.plans import pareto_dated, plan_dated
    from pathways.routes.highs import SolverTimeout

    assert dq.start is not None
    target = _target(site, q)
    A._check_ids(site, q)
    held = sorted({site.credential(cid).id for cid in q.have})
    kw: dict[str, Any] = dict(
        start=dq.start, held=held, hours_per_week=q.hours_per_week, finish_by=dq.finish_by,
        max_credits_per_term=dq.credits_per_term,
        constraints=A._constraints(q), rpl=q.rpl, time_limit=site.time_limit)

    def work() -> list[Any] | str:
        try:
            if dq.pareto:
                return pareto_dated(site.catalog, target, **kw)[:MAX_TRADEOFFS]
            return [plan_dated(site.catalog, target, by=dq.by, **kw)]
        except NoRouteError as exc:
            return str(exc)
        except SolverTimeout:
            raise TooSlow("Planning the dates", site.time_limit, _SLOW) from None
        except PathwaysError as exc:  # a question the library refuses: say it in the section
            raise WebError(str(exc), hint="change what you asked for") from None

    key = ("dated", target, tuple(held), tuple(sorted(q.rpl.items())), q.budget,
           q.max_hours, tuple(sorted(q.delivery)), tuple(sorted(q.only_provider)),
           tuple(sorted(q.exclude_provider)), tuple(sorted(q.exclude)), q.hours_per_week,
           dq.start, dq.by, dq.finish_by, dq.pareto, dq.credits_per_term)
    answer = site.remembered(key, lambda: site.run("Planning the dates", _SLOW, work))
    if isinstance(answer, str):
        return Dated(dq, target, [], answer)
    return Dated(dq, target, answer)


_SLOW = "give fewer constraints, or plan it with `pathways plan --time-limit`"


def _target(site: Site, q: A.PlanQuery) -> str:
    """The one qualification a dated plan goes to (a dated plan has no filter or skills)."""
    if q.to is None or q.skills is not None or q.field is not None or q.min_level is not None:
        raise WebError("a dated plan goes to one named qualification",
                       hint="give the qualification's title or id (not a field, level or "
                            "skills)")
    found = site.resolve(q.to)
    if not found:
        raise WebError(f"nothing in the catalog matches {q.to!r}", status=404,
                       hint="try fewer or other words, or search the catalog")
    if len(found) > 1:
        raise WebError(f"{q.to!r} matches {len(found)} credentials: "
                       + ", ".join(c.id for c in found[:10]), status=409,
                       hint="give one id as to=ID")
    return found[0].id


def on_page(site: Site, q: A.PlanQuery, dq: DatedQuery) -> dict[str, Any]:
    """What the plan page shows of the dated plan: ``dated`` (the answer) or
    ``dated_error`` (a one-line message and what to do), and the status to answer with."""
    try:
        d = dated_plan(site, q, dq)
    except WebError as exc:
        return {"dated_error": (str(exc), exc.hint), "dated_status": exc.status}
    return {"dated": d, "dated_status": 404 if d.no_plan is not None else 200}


def timeline(site: Site, q: A.PlanQuery, dq: DatedQuery, fmt: str) -> bytes:
    """The dated plan drawn on an A4 sheet (the first trade-off with ``pareto``)."""
    from pathways.drawing import draw_dated_timeline

    d = dated_plan(site, q, dq)
    if d.no_plan is not None:
        raise WebError(d.no_plan, status=404, hint="change the plan until it has dates")
    plan = d.plans[0]

    def draw(path: Path) -> Any:
        return draw_dated_timeline(site.catalog, plan, path, page="A4")

    key = ("dated-timeline", q.to_query(**dq.pairs()), fmt)
    return site.drawing(key, draw, "." + fmt)[0]


def add_routes(app: FastAPI, site: Site) -> None:
    """The dated plan's drawing and its JSON twin (the page is the plan page's part)."""
    @app.get("/plan/timeline.svg", include_in_schema=False)
    def dated_timeline_svg(request: Request) -> Response:
        q, dq = _read(request.query_params, "plan_by")
        from pathways.web.guard import SVG_CSP

        return Response(timeline(site, q, dq, "svg"), media_type="image/svg+xml",
                        headers={"Content-Security-Policy": SVG_CSP})

    @app.get("/plan/timeline.pdf", include_in_schema=False)
    def dated_timeline_pdf(request: Request) -> Response:
        q, dq = _read(request.query_params, "plan_by")
        name = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in q.to or "plan")
        return Response(timeline(site, q, dq, "pdf"), media_type="application/pdf",
                        headers={"Content-Disposition":
                                 f'attachment; filename="dated-plan-{name[:60]}.pdf"'})

    @app.get("/api/plan", tags=["routes"],
             summary="When will I finish? The dated plan (pathways plan --json)")
    def api_plan(request: Request, to: str | None = None, start: str | None = None,
                 hours_per_week: str | None = None, by: str | None = None,
                 finish_by: str | None = None, pareto: str | None = None,
                 max_credits_per_term: str | None = None,
                 have: list[str] | None = None, rpl: str | None = None) -> Response:
        """The best route to `to` with each credential at a real intake from `start`
        (YYYY-MM-DD, required) at `hours_per_week` (default 10): `by` finish (default),
        fee, hours or credits, `finish_by` a deadline, `max_credits_per_term` a limit in
        each term of the catalog's calendar, `pareto=1` every fee/finish trade-off
        (`{"plans": […]}`). Held credentials, prior learning and the route's
        constraints (`budget`, `max_hours`, `delivery`, `only_provider`,
        `exclude_provider`, `exclude`) as for `/api/route`. No plan: `{"feasible": false,
        "target", "reason"}` with status 404."""
        q, dq = _read(request.query_params, "by")
        if not dq.asked:
            raise WebError("no start date given", hint="give start=YYYY-MM-DD")
        d = dated_plan(site, q, dq)
        return JSONResponse(d.to_dict(), status_code=404 if d.no_plan else 200)


def _read(params: QueryParams, by_name: str) -> tuple[A.PlanQuery, DatedQuery]:
    """The route's query and the dated one; under ``/api/plan``, ``by`` is the dated
    objective (as `pathways plan --by`), so the route's reading does not see it."""
    route_params = params if by_name != "by" else QueryParams(
        [(k, v) for k, v in params.multi_items() if k != "by"])
    return A.PlanQuery.read(route_params), DatedQuery.read(params, by_name)


__all__ = ["DatedQuery", "Dated", "dated_plan", "on_page", "timeline", "add_routes",
           "DATED_BY"]
