"""Planning a map's pages: one page at the largest type that fits, else strips split
over pages, in the orientation that needs fewer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import networkx as nx

from pathways.catalog import Catalog, to_graph
from pathways.drawing.highlight import Highlight
from pathways.drawing.legend import _legend_items, _legend_rows, _LegendItem
from pathways.drawing.paging import _paginate
from pathways.drawing.scope import _check_ids
from pathways.drawing.sheet import _heading_height
from pathways.drawing.strips import (
    FRAME_GAP,
    MapPage,
    _Look,
    _Piece,
    _Planner,
    _strip_height,
)
from pathways.drawing.style import ONE_PAGE_PRESETS, _Page, _page
from pathways.errors import PathwaysError


def _map_area(page: _Page, title: str, subtitle: str, legend_rows: int
              ) -> tuple[float, float]:
    top = _heading_height(page, title, subtitle) + 8
    bottom = legend_rows * page.legend * 2.4 + 8 + page.footer * 2.4
    return page.inner_width, page.height - 2 * page.margin - top - bottom


def plan_map(catalog: Catalog, ids: Iterable[str] | None = None, *, page: str = "A4",
             landscape: bool | None = None, show_fee: bool = False, title: str = "",
             subtitle: str = "", highlight: Highlight | None = None) -> list[MapPage]:
    """Pages for a map of ``ids`` (default: the whole catalog), without drawing them.

    One page, one diagram, at the largest type that fits; else strips at the standard
    type packed onto as few pages as it takes: connected pathways whole where they fit
    a page, else split into groups of closely linked credentials, each credential drawn
    in full once with all its inputs beside it (those drawn elsewhere as stubs naming
    the page). ``landscape=None`` takes the orientation needing fewer pages, then
    allowing larger type, then filling its pages more.
    """
    chosen = sorted(set(ids) if ids is not None else {c.id for c in catalog})
    if not chosen:
        raise PathwaysError("nothing to draw: the catalog has no credentials")
    _check_ids(catalog, chosen)
    graph = to_graph(catalog)
    legend = _legend_items(catalog, graph, chosen, highlight)
    pages = _plan(catalog, graph, chosen, legend, page, landscape, show_fee, title, subtitle,
                  highlight)
    assert pages is not None
    return pages


def _route_whole(pages: Sequence[MapPage], involved: frozenset[str]) -> bool:
    """Whether one strip draws every credential of a route in full."""
    return any(involved <= set(s.ids) - s.stubs for p in pages for s, _x, _y in p.strips)


def _involved(highlight: Highlight | None) -> frozenset[str]:
    return frozenset((*highlight.steps, *highlight.held)) if highlight else frozenset()


def _plan(catalog: Catalog, graph: nx.DiGraph, chosen: list[str], legend: list[_LegendItem],
          page: str, landscape: bool | None, show_fee: bool, title: str,
          subtitle: str, highlight: Highlight | None, presets: int = ONE_PAGE_PRESETS,
          paginate: bool = True, look: _Look | None = None,
          logo_w: float = 0.0) -> list[MapPage] | None:
    """The pages of a map: one page at the roomiest of the first ``presets`` type
    presets that fits, else (when ``paginate``; else None) split over pages."""
    index = catalog.index()
    show_provider = len({index[c].provider for c in chosen if index[c].provider}) > 1
    graph = graph.subgraph(chosen).copy()  # a view of a big catalog's graph is slow to walk
    best: tuple[tuple[float, ...], list[MapPage]] | None = None
    planners: dict[bool, _Planner] = {}
    for land in ([False, True] if landscape is None else [landscape]):
        sheet = replace(_page(page, land), logo_w=logo_w)
        area = _map_area(sheet, title, subtitle, _legend_rows(sheet, legend))
        planner = planners[land] = _Planner(catalog, graph, sheet, area, show_fee,
                                            show_provider, chosen,
                                            extra_gap=FRAME_GAP if highlight else 0.0,
                                            involved=_involved(highlight), look=look)
        whole: _Piece = (frozenset(chosen), frozenset())
        for preset in range(presets):
            one = planner.strip(whole, preset, split=False)
            if one is not None:
                fill = one.width * _strip_height(sheet, one) / (area[0] * area[1])
                score = (preset, -fill)
                if best is None or score < best[0]:
                    # Centred on the sheet, the legend right under it.
                    spare = area[1] - _strip_height(sheet, one)
                    best = (score, [MapPage(strips=((one, (area[0] - one.width) / 2,
                                                     max(0.0, spare / 2 - 20)),),
                                            page=sheet, area=area)])
                break
    if best is None and not paginate:
        return None
    if best is None:
        # Several pages: the orientation needing fewer, then the fuller pages.
        for planner in planners.values():
            pages = _paginate(planner, chosen)
            area = planner.area
            used = sum(s.width * _strip_height(planner.page, s) for p in pages
                       for s, _x, _y in p.strips)
            score = (len(pages), -used / (area[0] * area[1] * len(pages)))
            if best is None or score < best[0]:
                best = (score, pages)
    assert best is not None
    # The pages were chosen by quick layouts; the strips drawn get the thorough ones.
    finish = planners[best[1][0].page.landscape].finished
    return [replace(p, strips=tuple((finish(s), x, y) for s, x, y in p.strips))
            for p in best[1]]
