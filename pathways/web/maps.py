"""The web app's maps: what a map of a scope or of a credential shows, and its pages
(the same bytes as ``pathways draw``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pathways.catalog import Credential
from pathways.vocabulary import PAGE_SIZES
from pathways.web import params as P
from pathways.web.site import MAX_MAP_CREDENTIALS, Site, WebError

MAP_FORMATS = ("pdf", "svg", "png")
ORIENTATIONS = ("auto", "portrait", "landscape")


@dataclass
class MapQuery:
    to: str | None = None
    from_: str | None = None
    provider: str | None = None
    field: str | None = None
    page: str = "A4"
    orientation: str = "auto"
    format: str = "pdf"
    fee: bool = False

    @classmethod
    def read(cls, params: P.Params) -> MapQuery:
        return cls(
            to=P.text(params, "to"), from_=P.text(params, "from"),
            provider=P.text(params, "provider"), field=P.text(params, "field"),
            page=P.choice(params, "page", "page size", PAGE_SIZES, "A4") or "A4",
            orientation=P.choice(params, "orientation", "orientation", ORIENTATIONS,
                                 "auto") or "auto",
            format=P.choice(params, "format", "format", MAP_FORMATS, "pdf") or "pdf",
            fee=P.flag(params, "fee"))

    def to_query(self, **override: Any) -> str:
        pairs: dict[str, Any] = {
            "to": self.to, "from": self.from_, "provider": self.provider,
            "field": self.field, "page": self.page,
            "orientation": None if self.orientation == "auto" else self.orientation,
            "format": self.format, "fee": self.fee}
        pairs.update(override)
        return P.query(pairs)

    @property
    def landscape(self) -> bool | None:
        return {"auto": None, "portrait": False, "landscape": True}[self.orientation]


def _too_big(count: int, hint: str) -> WebError:
    return WebError(f"the map would hold {count:,} credentials; this server draws at most "
                    f"{MAX_MAP_CREDENTIALS}", status=413, hint=hint)


def _part(site: Site, to: str | None, from_: str | None, provider: str | None,
          field: str | None) -> tuple[Any, bool]:
    """A part of the catalog in which :func:`pathways.drawing.select` finds the same scope
    as in the whole (so that a national catalog is not turned into a graph for each map),
    and whether that part is the scope itself. What leads to ``to`` holds every path into
    it, so any scope with ``to`` lies inside with its paths; a single ``from_``, provider
    or field scope is its own closure. Other combinations take the whole catalog."""
    if to is not None:
        return site.catalog.subset(site.upstream([to])), (from_, provider, field) == (
            None, None, None)
    given = [x for x in (from_, provider, field) if x is not None]
    if len(given) != 1:
        return site.catalog, not given
    if from_ is not None:
        return site.catalog.subset(site.downstream(from_)), True
    from pathways.filters import CredentialFilter

    own = CredentialFilter(provider=provider, field=field).select(site.catalog)
    return site.catalog.subset(site.index_.downstream(c.id for c in own)), True


def map_scope(site: Site, q: MapQuery) -> tuple[Any, Any]:
    """What the map shows (:class:`pathways.drawing.Scope`) and the part of the catalog
    to draw it from; a scope too big for this server is refused before any drawing."""
    from pathways.drawing import select
    from pathways.web.site import Search

    to = site.credential(q.to).id if q.to else None
    from_ = site.credential(q.from_).id if q.from_ else None
    site.check_filters(Search(provider=q.provider, field=q.field))
    part, exact = _part(site, to, from_, q.provider, q.field)
    hint = "choose a target, a provider or a field, or draw it with `pathways draw`"
    if exact and len(part) > MAX_MAP_CREDENTIALS:
        raise _too_big(len(part), hint)
    scope = select(part, to=to, from_=from_, provider=q.provider, field=q.field)
    if len(scope.ids) > MAX_MAP_CREDENTIALS:
        raise _too_big(len(scope.ids), hint)
    return scope, part


def map_pages(site: Site, q: MapQuery, fmt: str) -> tuple[bytes, ...]:
    """The map's pages in ``fmt`` (one PDF, or one SVG/PNG a page)."""
    from pathways.drawing import MapStyle, draw_map

    scope, part = map_scope(site, q)
    start = site.credential(q.from_).id if q.from_ else None

    def draw(path: Path) -> Any:  # as `pathways draw` does with the same options
        return draw_map(part, path, ids=scope.ids, page=q.page,
                        landscape=q.landscape, show_fee=q.fee, title=scope.title,
                        look=MapStyle(start=start))

    key = ("map", scope.ids, q.page, q.orientation, q.fee, fmt)
    return site.drawing(key, draw, "." + fmt)


def credential_scope(site: Site, c: Credential) -> tuple[str, ...]:
    """Everything that leads to ``c`` and everything it leads to; refused when too big."""
    ids = tuple(sorted(site.upstream([c.id]) | site.downstream(c.id)))
    if len(ids) > MAX_MAP_CREDENTIALS:
        raise WebError(f"{c.id}'s pathway map would hold {len(ids):,} credentials; this "
                       f"server draws at most {MAX_MAP_CREDENTIALS}", status=413,
                       hint="draw it with `pathways draw --to ID` or `--from ID`")
    return ids


def credential_map(site: Site, c: Credential, fmt: str = "svg") -> tuple[bytes, ...]:
    """The pages of ``c``'s pathway map (:func:`credential_scope`)."""
    from pathways.drawing import draw_map

    ids = credential_scope(site, c)

    def draw(path: Path) -> Any:
        return draw_map(site.catalog.subset(ids), path, ids=ids, page="A4",
                        title=f"Pathways through {c.title}")

    return site.drawing(("credential", c.id, fmt), draw, "." + fmt)
