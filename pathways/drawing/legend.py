"""The legend: which items a drawing needs, how they wrap into rows, and drawing them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from pathways.catalog import Catalog
from pathways.drawing.highlight import Highlight
from pathways.drawing.shapes import _arrowhead, _edge_path, _kind_patch
from pathways.drawing.style import DASHES, DELAY, EDGE_INK, HELD, INK, KIND_STYLES, ROUTE, _Page
from pathways.drawing.text import _measure, _text


@dataclass(frozen=True)
class _LegendItem:
    kind: str  # a credential kind, or "stacking", "both", "requires", "corequisite", …
    label: str


def _edge_words(catalog: Catalog, ids: Sequence[str]) -> tuple[str, str]:
    """How to name requirement edges: a curriculum's prerequisites or entry requirements."""
    index = catalog.index()
    if all(index[c].kind == "course" for c in ids):
        return "prerequisite", "co-requisite"
    return "entry requirement", "co-requisite"


def _legend_items(catalog: Catalog, graph: nx.DiGraph, ids: Sequence[str],
                  highlight: Highlight | None, *, brochure: bool = False,
                  delay: bool = False) -> list[_LegendItem]:
    """The legend a map of ``ids`` needs; a brochure's in plain words."""
    index = catalog.index()
    present = {index[c].kind for c in ids}
    items = [_LegendItem(k, KIND_STYLES[k].label) for k in KIND_STYLES if k in present]
    kinds: set[str | None] = set()
    for _a, b, d in graph.subgraph(ids).edges(data=True):
        made_of = d.get("stacking") and not index[b].effective_direct_study
        kinds.add(("part" if made_of else "stacking") if d.get("stacking")
                  else d.get("requisite"))
        if d.get("stacking") and d.get("requisite"):
            kinds.add("both")
    req, coreq = _edge_words(catalog, ids)
    words = _PLAIN if brochure else {
        "stacking": "counts towards (credits)", "both": f"counts towards and is an {req}",
        "requires": req, "corequisite": coreq,
        "route": "cheapest route, step by step (credits)", "held": "held already",
        "part": "is part of (credits), for a programme made of its parts"}
    if "stacking" in kinds:
        items.append(_LegendItem("stacking", words["stacking"]))
    if "part" in kinds:
        items.append(_LegendItem("part", words["part"]))
    if "both" in kinds:
        items.append(_LegendItem("both", words["both"]))
    if "requires" in kinds:
        items.append(_LegendItem("requires", words["requires"]))
    if kinds & {"corequisite", "strict-corequisite"}:
        items.append(_LegendItem("corequisite", words["corequisite"]))
    if delay:
        items.append(_LegendItem("delay", "longest chain of prerequisites (the delay path)"))
    if highlight is not None:
        items.append(_LegendItem("route", words["route"]))
        if highlight.held:
            items.append(_LegendItem("held", words["held"]))
    return items


_PLAIN = {
    "stacking": "counts towards the next step (the credits it brings)",
    "both": "counts towards the next step, and is needed to enrol in it",
    "requires": "needed before you can enrol",
    "corequisite": "taken at the same time",
    "route": "your route, step by step",
    "held": "you have this already",
    "part": "is one of the parts the programme is made of",
}


_SWATCH = (20.0, 11.0)


def _legend_rows(page: _Page, items: Sequence[_LegendItem]) -> int:
    return len(_legend_layout(page, items))


def _legend_layout(page: _Page, items: Sequence[_LegendItem]) -> list[list[tuple[float, int]]]:
    """Rows of (x offset, item index), wrapping at the page width."""
    m = _measure()
    rows: list[list[tuple[float, int]]] = [[]]
    x = 0.0
    for i, item in enumerate(items):
        w = _SWATCH[0] + 5 + m.width(item.label, page.legend) + 16
        if rows[-1] and x + w > page.inner_width:
            rows.append([])
            x = 0.0
        rows[-1].append((x, i))
        x += w
    return rows


def _legend_base(page: _Page, rows: int, top: float | None) -> float:
    """The y of the legend's last row: at the foot of the page, or from ``top`` down."""
    base = page.margin + page.footer * 2.4 + 4
    if top is not None:
        base = max(base, top - rows * page.legend * 2.4)
    return base


def _draw_legend(ax: Any, page: _Page, items: Sequence[_LegendItem], curriculum: bool,
                 top: float | None = None, colour_of_route: str | None = None) -> None:
    """The legend in rows at the foot of the page, or from ``top`` down."""
    from matplotlib.patches import Circle, PathPatch, Polygon, Rectangle

    rows = _legend_layout(page, items)
    base = _legend_base(page, len(rows), top)
    sw, sh = _SWATCH
    for r, row in enumerate(rows):
        y = base + (len(rows) - 1 - r) * page.legend * 2.4 + page.legend * 0.6
        for dx, i in row:
            item = items[i]
            x = page.margin + dx
            if item.kind in KIND_STYLES:
                ax.add_artist(_kind_patch(x, y - sh / 2, sw, sh, KIND_STYLES[item.kind]))
            elif item.kind in ("stacking", "both", "requires", "corequisite", "delay", "part"):
                dash: Any = DASHES.get(item.kind, "solid")
                if curriculum and item.kind == "requires":
                    dash = "solid"
                ink = DELAY if item.kind == "delay" else EDGE_INK
                ax.add_artist(PathPatch(_edge_path([(x, y), (x, y), (x + sw, y), (x + sw, y)],
                                                  4.0), facecolor="none", edgecolor=ink,
                                       linewidth=1.9 if item.kind == "delay" else 0.8,
                                       linestyle=dash))
                if item.kind == "part":  # a diamond at the whole, as the map draws it
                    ax.add_artist(Polygon([(x + sw, y), (x + sw - 4.0, y + 2.0),
                                           (x + sw - 8.0, y), (x + sw - 4.0, y - 2.0)],
                                          closed=True, facecolor=ink, edgecolor="none"))
                else:
                    ax.add_artist(_arrowhead((x + sw, y), 1.0, 5.0, 3.0, ink, 2))
                if item.kind == "both":
                    ax.add_artist(Circle((x, y), 2.0, facecolor=EDGE_INK, edgecolor="none"))
            else:
                colour = (colour_of_route or ROUTE) if item.kind == "route" else HELD
                ax.add_artist(_kind_patch(x + 2, y - sh / 2 + 2, sw - 4, sh - 4,
                                         KIND_STYLES["course"]))
                ax.add_artist(Rectangle((x, y - sh / 2), sw, sh, facecolor="none",
                                       edgecolor=colour, linewidth=1.8,
                                       linestyle="solid" if item.kind == "route"
                                       else DASHES["held"]))
            _text(ax, x + sw + 5, y, item.label, page.legend, INK, va="center")
