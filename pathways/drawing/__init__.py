"""Print-ready pathway maps, route timelines and coverage charts.

Maps are laid out by :mod:`pathways.drawing.layered`; this package adds what a printed
page needs: titles measured and wrapped inside their boxes, a credential's kind shown by shape,
outline and colour together (Okabe-Ito colours whose fills also differ in lightness, so
a greyscale print keeps them apart), a legend, A5/A4/A3 pages, and scopes too big for
one page split over several by linked groups instead of shrunk. Output is PDF
(TrueType fonts embedded), SVG (editable text) or PNG (200 dpi), by file extension.
matplotlib is imported inside the functions that draw, so importing this module is cheap.
Text is set by this module (one artist per layer, at baselines worked out from the
font's metrics) rather than as a matplotlib Text per line, which a page of a thousand
lines would spend most of its time measuring again.

The package holds one idea per module: ``style`` (sizes, colours, type), ``text`` (font
metrics and text layers), ``shapes``, ``sheet`` (a page's axes and heading), ``legend``,
``scope`` (what to draw), ``highlight`` (a route on the map), ``strips`` (laid-out
diagrams and their planner), ``paging`` (splitting over pages), ``planning``, ``output``
(files), ``maps`` and ``charts`` (coverage and timeline); ``layered`` is the layout.
"""

from __future__ import annotations

from pathways.drawing.charts import (
    coverage_shares,
    draw_coverage,
    draw_dated_timeline,
    draw_timeline,
)
from pathways.drawing.highlight import Highlight, route_highlight
from pathways.drawing.layered import layout
from pathways.drawing.maps import STYLES, MapStyle, _default_subtitle, draw_map
from pathways.drawing.output import Written, output_paths
from pathways.drawing.planning import plan_map
from pathways.drawing.scope import Scope, select
from pathways.drawing.strips import MapPage, Strip
from pathways.drawing.style import (
    DPI,
    FORMATS,
    KIND_STYLES,
    MIN_FONT_PT,
    PAGE_SIZES_MM,
    PRESETS,
    SPLIT_PRESET,
)
from pathways.drawing.text import _measure

__all__ = [
    "PAGE_SIZES_MM",
    "FORMATS",
    "DPI",
    "MIN_FONT_PT",
    "KIND_STYLES",
    "Scope",
    "Highlight",
    "MapPage",
    "Strip",
    "select",
    "route_highlight",
    "plan_map",
    "draw_map",
    "coverage_shares",
    "draw_coverage",
    "draw_dated_timeline",
    "draw_timeline",
    "output_paths",
    "Written",
    "layout",
    "MapStyle",
    "STYLES",
]

# Not public: the type presets, the font measure and the default subtitle, used by the
# benchmark and the tests.
_PRIVATE = (PRESETS, SPLIT_PRESET, _default_subtitle, _measure)
