"""The web app: server-rendered pages (Jinja2) and a JSON API beside them (FastAPI).

Read-only: every endpoint is a GET that reads the catalog held by a
:class:`~pathways.web.site.Site`. Every page works without JavaScript; ``app.js`` only
filters long lists as you type. Errors are pages (or, under ``/api``, JSON objects)
with a one-line message and what to do.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from pathways.errors import CatalogError, PathwaysError
from pathways.numbers import money
from pathways.web import answers as A
from pathways.web import charts
from pathways.web import dated as D
from pathways.web import params as P
from pathways.web import wallet as W
from pathways.web.guard import CSP, HEADERS, MAX_QUERY, SVG_CSP, Guard, _secured  # noqa: F401
from pathways.web.site import PAGE_SIZE, Search, Site, WebError

log = logging.getLogger("pathways.web")

NAV = (("/catalog", "Catalog"), ("/plan", "Plan a route"), ("/gaps", "Gaps"),
       ("/maps", "Maps"), ("/metrics", "Metrics"), ("/docs", "API"))


def _money(value: float | None) -> str:
    if value is None:
        return "–"
    return ("−" if value < 0 else "") + money(abs(value))


def _num(value: float | int | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0")
    return f"{value:,}"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("pathways.web", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["money"] = _money
    env.filters["num"] = _num
    env.filters["pct"] = lambda x: f"{x:.0%}"
    env.filters["rpl_text"] = P.grants_text
    env.filters["day"] = lambda d: f"{d.day} {d:%b %Y}"  # 8 Feb 2027
    env.globals["nav"] = NAV
    env.globals["items"] = P.items
    env.filters["sentence"] = lambda s: s[:1].upper() + s[1:]
    return env


def create_app(site: Site) -> FastAPI:
    """The app serving ``site``'s catalog."""
    app = FastAPI(
        title="pathways", version=_version(),
        description="Plan a learner's route, find a provider's gaps, draw pathway maps: "
                    "the JSON objects of the CLI's --json, read-only.",
        docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    env = _environment()
    app.state.site = site
    from importlib.resources import files

    app.mount("/static", StaticFiles(directory=str(files("pathways.web") / "static")),
              name="static")

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        template = env.get_template(name)
        section = "/gaps" if request.url.path == "/what-if" else request.url.path
        body = template.render(path=section, site=site, **ctx)
        return HTMLResponse(body, status_code=status)

    def problem(request: Request, status: int, message: str, hint: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message, "hint": hint}, status_code=status)
        return page(request, "error.html", status, message=message, hint=hint,
                    title="Cannot do that")

    # -- guards and headers (a plain ASGI middleware: cheaper than @app.middleware) ---------
    app.add_middleware(Guard, problem=problem)

    _error_handlers(app, problem)
    _catalog_pages(app, site, page)
    _plan_pages(app, site, page)
    _provider_pages(app, site, page)
    _catalog_api(app, site)
    _analysis_api(app, site)
    _wallet_api(app, site)
    D.add_routes(app, site)

    return app


def _error_handlers(app: FastAPI, problem: Callable[[Request, int, str, str], Response]) -> None:
    """Error pages: every failure answers with a page (JSON under /api/) saying what to do."""
    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return problem(request, exc.status, str(exc), exc.hint)

    @app.exception_handler(PathwaysError)
    async def library_error(request: Request, exc: PathwaysError) -> Response:
        status = 404 if "unknown credential" in str(exc) else 400
        hint = ("search the catalog for its title or id" if "unknown credential" in str(exc)
                else "change what you asked for")
        if isinstance(exc, CatalogError):
            hint = "the change would break a rule of the catalog; change it"
        return problem(request, status, str(exc), hint)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return problem(request, 404, f"there is no page {request.url.path}",
                           "start from the home page")
        return problem(request, exc.status_code, str(exc.detail), "go back and try again")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "query")
        return problem(request, 400, f"{where}: {first.get('msg', 'invalid value')}",
                       "correct the value")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s", request.url.path, exc_info=exc)
        return _secured(problem(request, 500, f"internal error ({type(exc).__name__})",
                                "please report it with the address of this page"))


def _catalog_pages(app: FastAPI, site: Site, page: Callable[..., HTMLResponse]) -> None:
    """Home, the catalog search and a credential's page with its map."""
    # -- pages -----------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        from pathways.stats import catalog_stats

        return page(request, "home.html", title="pathways", stats=catalog_stats(site.catalog))

    @app.get("/catalog", response_class=HTMLResponse, include_in_schema=False)
    def catalog_page(request: Request) -> Response:
        s = _search(request.query_params)
        found = site.search(s)
        pages = max(1, math.ceil(len(found) / PAGE_SIZE))
        if s.page > pages:
            raise WebError(f"there is no page {s.page}: {len(found)} credentials fit on "
                           f"{pages}", status=404, hint="go back to page 1")
        shown = found[(s.page - 1) * PAGE_SIZE: s.page * PAGE_SIZE]
        pairs = {"q": s.text or None, "kind": s.kind, "level": s.level,
                 "provider": s.provider, "field": s.field}
        return page(request, "catalog.html", title="Catalog", s=s, found=len(found),
                    shown=shown, pages=pages,
                    page_link=lambda n: "/catalog?" + P.query(pairs | {"page": n}))

    @app.get("/catalog/{cid}", response_class=HTMLResponse, include_in_schema=False)
    def credential_page(request: Request, cid: str) -> Response:
        c = site.credential(cid)
        try:
            too_big = None
            A.credential_scope(site, c)
        except WebError as exc:
            too_big = str(exc)
        return page(request, "credential.html", title=f"{c.id} {c.title}", c=c,
                    links=site.links(c), provider=site.provider_name(c.provider),
                    too_big=too_big)

    @app.get("/catalog/{cid}/map.svg", include_in_schema=False)
    def credential_map(cid: str, sheet: int = 1) -> Response:
        return _sheet(A.credential_map(site, site.credential(cid)), sheet, "svg")

    @app.get("/catalog/{cid}/map.pdf", include_in_schema=False)
    def credential_map_pdf(cid: str) -> Response:
        c = site.credential(cid)
        response = _sheet(A.credential_map(site, c, "pdf"), 1, "pdf")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="map-{_safe(c.id)}.pdf"')
        return response


def _plan_pages(app: FastAPI, site: Site, page: Callable[..., HTMLResponse]) -> None:
    """Plan a route: the page, its options, its map and the A4 handout."""
    def plan_response(request: Request, q: A.PlanQuery, **extra: Any) -> Response:
        """The plan page: the route, and its dated plan when a start date is given."""
        ctx: dict[str, Any] = {"title": "Plan a route", "objectives": A.OBJECTIVES,
                               "dated_by": D.DATED_BY,
                               "dq": D.DatedQuery(), **extra}
        try:
            ctx["dq"] = D.DatedQuery.read(request.query_params)
        except WebError as exc:
            ctx |= {"dated_error": (str(exc), exc.hint), "dated_status": exc.status}
        p = A.plan(site, q, extras=False)  # alternatives and trade-offs: /plan/options
        dq = ctx["dq"]
        ctx |= {"q": q, "p": p,
                "share_url": f"{request.base_url}plan?{q.to_query(**dq.pairs())}"}
        if p.route is not None:
            ctx["explanation"] = A.explanation(site, p)
            ctx["timeline_svg"] = charts.timeline_chart(p.route, q.hours_per_week)
            if dq.asked and q.to is not None and q.skills is None:
                ctx |= D.on_page(site, q, dq)
        status = 200 if p.no_route is None else 404
        if status == 200 and ctx.get("wallet_error"):
            status = ctx.get("wallet_status", 400)
        return page(request, "plan.html", status if status != 200 else
                    ctx.get("dated_status", 200), **ctx)

    @app.get("/plan", response_class=HTMLResponse, include_in_schema=False)
    def plan_page(request: Request) -> Response:
        return plan_response(request, A.PlanQuery.read(request.query_params))

    @app.post("/plan/wallet", response_class=HTMLResponse, include_in_schema=False)
    async def plan_wallet(request: Request) -> Response:
        """The plan page with what the uploaded wallet holds added to the held ids."""
        from starlette.concurrency import run_in_threadpool

        q = A.PlanQuery.read(request.query_params)  # the plan, from the form's action
        try:
            wallet = await W.read_upload(request, site)
        except WebError as exc:
            return await run_in_threadpool(plan_response, request, q, wallet_status=exc.status,
                                           wallet_error=(str(exc), exc.hint))
        q.have = W.merge_held(q.have, wallet)
        return await run_in_threadpool(plan_response, request, q, wallet=wallet)

    @app.get("/plan/options", response_class=HTMLResponse, include_in_schema=False)
    def plan_options(request: Request) -> Response:
        """The plan's alternatives and fee/hours trade-offs: slower to work out than the
        route, so a page of their own (``fragment=1``: the part the plan page loads)."""
        q = A.PlanQuery.read(request.query_params)
        if q.skills is not None:
            raise WebError("a route to skills has no alternatives or trade-offs here",
                           hint="plan to a named qualification to compare routes")
        p = A.plan(site, q)
        if p.route is None:
            raise WebError(p.no_route or "choose a target first",
                           status=404 if p.no_route else 400,
                           hint="change the plan until it has a route")
        tradeoff_svg = (charts.tradeoff_chart(p.tradeoffs, p.route)
                        if len(p.tradeoffs) > 1 else None)
        name = ("plan_options_fragment.html" if P.flag(request.query_params, "fragment")
                else "plan_options.html")
        return page(request, name, q=q, p=p, title="Alternatives and trade-offs",
                    tradeoff_svg=tradeoff_svg)

    @app.get("/plan/map.svg", include_in_schema=False)
    def plan_map(request: Request, sheet: int = 1) -> Response:
        q = A.PlanQuery.read(request.query_params)
        return _sheet(A.route_drawing(site, q, "svg"), sheet, "svg")

    @app.get("/plan/handout.pdf", include_in_schema=False)
    def plan_handout(request: Request) -> Response:
        q = A.PlanQuery.read(request.query_params)
        pdf = A.route_drawing(site, q, "pdf", handout=True)[0]
        name = f"route-{_safe(q.to or 'plan')}.pdf"
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _provider_pages(app: FastAPI, site: Site, page: Callable[..., HTMLResponse]) -> None:
    """Gaps, what-if, maps, metrics and the API's own page."""
    @app.get("/gaps", response_class=HTMLResponse, include_in_schema=False)
    def gaps_page(request: Request) -> Response:
        from pathways.gaps import GAP_KINDS, KIND_DESCRIPTIONS, SEVERITIES

        q = A.GapQuery.read(request.query_params)
        report = A.gap_report(site, wait=min(site.time_limit, 3))
        ctx: dict[str, Any] = {"q": q, "title": "Gaps", "kinds": GAP_KINDS,
                               "severities": SEVERITIES, "descriptions": KIND_DESCRIPTIONS,
                               "sorts": A.GAP_SORTS}
        if report is None:
            return page(request, "gaps.html", 503, report=None, **ctx)
        findings = A.filter_findings(site, report, q)
        if q.provider:
            rows = A.coverage(site, q.provider)
            threshold = report.options.shortfall_threshold
            ctx["coverage"] = rows
            ctx["coverage_svg"] = charts.coverage_chart(rows, threshold) if rows else None
        return page(request, "gaps.html", report=report, findings=findings,
                    sort_link=lambda col: "/gaps?" + q.to_query(
                        sort=None if col == "severity" else col,
                        dir="desc" if q.sort == col and not q.descending else None),
                    **ctx)

    @app.get("/what-if", response_class=HTMLResponse, include_in_schema=False)
    def whatif_page(request: Request) -> Response:
        q = A.WhatIfQuery.read(request.query_params)
        report = A.what_if(site, q) if q.asked or q.submitted else None
        return page(request, "whatif.html", title="What if", q=q, report=report)

    @app.get("/maps", response_class=HTMLResponse, include_in_schema=False)
    def maps_page(request: Request) -> Response:
        q = A.MapQuery.read(request.query_params)
        asked = bool(request.query_params)
        ctx: dict[str, Any] = {"q": q, "title": "Maps", "sizes": A.PAGE_SIZES,
                               "formats": A.MAP_FORMATS, "orientations": A.ORIENTATIONS}
        if asked:
            scope, _part = A.map_scope(site, q)
            ctx["scope"] = scope
            ctx["preview_pages"] = len(A.map_pages(site, q, "svg"))
            if q.format != "pdf":
                ctx["file_pages"] = len(A.map_pages(site, q, q.format))
        return page(request, "maps.html", **ctx)

    @app.get("/maps/preview.svg", include_in_schema=False)
    def map_preview(request: Request, sheet: int = 1) -> Response:
        q = A.MapQuery.read(request.query_params)
        return _sheet(A.map_pages(site, q, "svg"), sheet, "svg")

    @app.get("/maps/download", include_in_schema=False)
    def map_download(request: Request, sheet: int = 1) -> Response:
        q = A.MapQuery.read(request.query_params)
        pages = A.map_pages(site, q, q.format)
        name = "map-" + _safe(q.to or q.from_ or q.provider or q.field or "catalog")
        if len(pages) > 1:
            name += f"-{sheet}"
        response = _sheet(pages, sheet, q.format)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{q.format}"'
        return response

    @app.get("/metrics", response_class=HTMLResponse, include_in_schema=False)
    def metrics_page(request: Request) -> Response:
        q = A.MetricsQuery.read(request.query_params)
        m, scope_title = A.metrics(site, q)
        ids = A.sorted_metric_ids(m, q.sort)
        pages = max(1, math.ceil(len(ids) / PAGE_SIZE))
        if q.page > pages:
            raise WebError(f"there is no page {q.page}: the table has {pages}", status=404,
                           hint="go back to page 1")
        shown = ids[(q.page - 1) * PAGE_SIZE: q.page * PAGE_SIZE]
        return page(request, "metrics.html", title="Metrics", q=q, m=m, ids=shown,
                    count=len(ids), pages=pages, scope_title=scope_title,
                    sorts=A.METRIC_SORTS)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> Response:
        return page(request, "docs.html", title="API", spec=app.openapi(),
                    examples=_examples(site))


def _catalog_api(app: FastAPI, site: Site) -> None:
    """The JSON API of the catalog and of routes."""
    # -- JSON API --------------------------------------------------------------------------
    @app.get("/api/credentials", tags=["catalog"],
             summary="Search the catalog (pathways list --json)")
    def api_credentials(request: Request, q: str | None = None, kind: str | None = None,
                        level: str | None = None, provider: str | None = None,
                        field: str | None = None) -> dict[str, Any]:
        """Credentials whose id, title, skills or field hold every word of `q` (case and
        macrons ignored), filtered by kind, level, provider and field."""
        from pathways.formats import credential_to_dict

        s = _search(request.query_params)
        found = site.search(s)
        return {"count": len(found), "credentials": [credential_to_dict(c) for c in found]}

    @app.get("/api/credentials/{cid}", tags=["catalog"],
             summary="One credential (pathways show --json)")
    def api_credential(cid: str) -> dict[str, Any]:
        from pathways.formats import credential_to_dict

        c = site.credential(cid)
        return {"credential": credential_to_dict(c), **site.links(c)}

    @app.get("/api/stats", tags=["catalog"], summary="Counts (pathways stats --json)")
    def api_stats() -> dict[str, Any]:
        from pathways.stats import catalog_stats

        return catalog_stats(site.catalog)

    @app.get("/api/route", tags=["routes"],
             summary="The cheapest route (pathways route --json) with alternatives")
    def api_route(request: Request, to: str | None = None, field: str | None = None,
                  min_level: str | None = None, skills: str | None = None,
                  have: list[str] | None = None, rpl: str | None = None,
                  by: str | None = None, budget: str | None = None,
                  max_hours: str | None = None, delivery: list[str] | None = None,
                  only_provider: list[str] | None = None,
                  exclude_provider: list[str] | None = None,
                  exclude: list[str] | None = None,
                  hours_per_week: str | None = None) -> Response:
        """The `route --json` object (steps with weeks at `hours_per_week`, default 10)
        plus `alternatives` (the 3 best) and `tradeoffs` (fee versus hours). No route:
        `{"feasible": false, "target", "reason"}` with status 404. `skills=a,b` instead
        of a target: the cheapest credentials covering them (no alternatives);
        `rpl=ID=CREDITS,…`: credits granted by recognition of prior learning."""
        q = A.PlanQuery.read(request.query_params)
        if not q.asked:
            raise WebError("no target given",
                           hint="give to=ID, or field and min_level, or skills=A,B")
        p = A.plan(site, q)
        if p.choices:
            raise WebError(f"{q.to!r} matches {len(p.choices)} credentials: "
                           + ", ".join(c.id for c in p.choices[:10]), status=409,
                           hint="give one id as to=ID")
        return JSONResponse(p.to_dict(), status_code=200 if p.route is not None else 404)


def _wallet_api(app: FastAPI, site: Site) -> None:
    @app.post("/api/wallet", tags=["routes"],
              summary="What a learner's wallet holds (route --have-file's matching)")
    async def api_wallet(request: Request) -> Response:
        """POST an Open Badges 3.0 / CLR 2.0 file as the multipart field `wallet` (at most
        2 MiB): `{"file", "held", "matched", "unmatched"}`, each achievement matched to a
        catalog credential by id, alignment or title, or the reason it matched none.
        Give `held` as `have` to `/api/route` or `/api/plan`."""
        return JSONResponse((await W.read_upload(request, site)).to_dict())


def _analysis_api(app: FastAPI, site: Site) -> None:
    """The JSON API of gaps, coverage, what-if and metrics."""
    @app.get("/api/gaps", tags=["gaps"], summary="The gap report (pathways gaps --json)")
    def api_gaps(request: Request, kind: list[str] | None = None,
                 severity: str | None = None, provider: str | None = None,
                 field: str | None = None) -> Response:
        """Findings as of today, filtered like the page; 503 while the report of a big
        catalog is still being computed."""
        q = A.GapQuery.read(request.query_params)
        report = A.gap_report(site, wait=site.time_limit)
        if report is None:
            raise WebError("the gap report is still being computed", status=503,
                           hint="ask again in a minute")
        findings = A.filter_findings(site, report, q)
        return JSONResponse({"findings": [f.to_dict() for f in findings],
                             "summary": report.summary})

    @app.get("/api/coverage", tags=["gaps"],
             summary="Share of each of a provider's qualifications micro-credentials cover")
    def api_coverage(provider: str) -> dict[str, Any]:
        return {"provider": provider,
                "coverage": {q.id: round(share, 4) for q, share in
                             A.coverage(site, provider)}}

    @app.get("/api/what-if", tags=["gaps"], summary="Try a change (pathways what-if --json)")
    def api_whatif(request: Request, add_edge: list[str] | None = None,
                   remove_edge: list[str] | None = None, price: list[str] | None = None,
                   remove: list[str] | None = None, gaps: str | None = None) -> Response:
        """Changes as the CLI spells them: `add_edge=FROM:TO:CREDITS`,
        `remove_edge=FROM:TO`, `price=ID=FEE`, `remove=ID` (each repeatable), and
        `gaps=0` to compare routes only. A new micro-credential: `new_id`, `new_title`,
        `new_credits`, `new_level`, `new_fee`, `new_provider`, `new_into`,
        `new_into_credits`."""
        q = A.WhatIfQuery.read(request.query_params)
        return JSONResponse(A.what_if(site, q).to_dict())

    @app.get("/api/metrics", tags=["metrics"],
             summary="Structural metrics (pathways metrics --json)")
    def api_metrics(request: Request, to: str | None = None, provider: str | None = None,
                    field: str | None = None) -> Response:
        """Blocking, delay, centrality and complexity of the whole catalog, or of what
        leads to `to`, or of a provider's or field's pathways."""
        q = A.MetricsQuery.read(request.query_params)
        return JSONResponse(A.metrics(site, q)[0].to_dict())


def _examples(site: Site) -> dict[str, str]:
    """An address to try for each endpoint, from this catalog."""
    from urllib.parse import quote

    quals = sorted(c.id for c in site.catalog if c.kind == "qualification")
    some = quals[0] if quals else min(site.index, default="ID")
    provider = min(site.providers, default="")
    out = {"/api/credentials": "/api/credentials?q=" + quote(some[:3]),
           "/api/credentials/{cid}": "/api/credentials/" + quote(some, safe=""),
           "/api/stats": "/api/stats", "/api/gaps": "/api/gaps?severity=high",
           "/api/metrics": "/api/metrics?to=" + quote(some, safe=""),
           "/api/route": "/api/route?to=" + quote(some, safe=""),
           "/api/what-if": f"/api/what-if?price={quote(some, safe='')}%3D0&gaps=0",
           # A dated plan from the catalog's first term (a fixed date: no server clock).
           "/api/plan": f"/api/plan?to={quote(some, safe='')}&start="
                        + (min(t.start for t in site.catalog.calendar)
                           if site.catalog.calendar else "2027-02-01")}
    if provider:
        out["/api/coverage"] = "/api/coverage?provider=" + quote(provider, safe="")
    return out


def _search(params: P.Params) -> Search:
    return Search(text=P.text(params, "q") or "", kind=P.text(params, "kind"),
                  level=P.whole(params, "level", "level", low=0, high=10),
                  provider=P.text(params, "provider"), field=P.text(params, "field"),
                  page=P.whole(params, "page", "page", low=1, default=1) or 1)


def _sheet(pages: tuple[bytes, ...], sheet: int, fmt: str) -> Response:
    if not 1 <= sheet <= len(pages):
        raise WebError(f"there is no page {sheet}: the map has {len(pages)}", status=404,
                       hint="choose a page from 1")
    media = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}[fmt]
    headers = {"Content-Security-Policy": SVG_CSP} if fmt == "svg" else {}
    return Response(pages[sheet - 1], media_type=media, headers=headers)


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)[:60] or "map"


def _version() -> str:
    from pathways import __version__

    return __version__


__all__ = ["create_app"]
