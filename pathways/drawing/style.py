"""Sizes, colours and type of the printed page: sheet sizes, kind styles (shape, outline
and colour together), box type presets, and the page sizes' font sizes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pathways.errors import PathwaysError
from pathways.vocabulary import PAGE_SIZES_MM

MM = 72 / 25.4  # points per millimetre
FORMATS = (".pdf", ".svg", ".png")
DPI = 300
MIN_FONT_PT = 7.0
FONT = "DejaVu Sans"  # ships with matplotlib; has the macrons of te reo Māori
# Ligatures off: a ligature glyph stands for two characters, which puts it in a second
# embedded subset of the font, and that subsetting is a good part of writing a PDF.
FONT_FEATURES = ("-liga",)

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
INK = "#1A1A1A"
MUTED = "#5F5F5F"
EDGE_INK = "#4D4D4D"
BAND = "#F1F2F4"
ROUTE = OKABE_ITO["vermillion"]
HELD = OKABE_ITO["green"]
DELAY = OKABE_ITO["purple"]  # a curriculum's longest prerequisite chain
# Edges off a route: faded, yet 3:1 against white (print) where #B0B0B0 was 1.9:1.
FADED_EDGE = "#8C8C8C"
DASHES: dict[str, Any] = {"requires": (0, (4.0, 2.2)), "corequisite": (0, (1.2, 1.6)),
                          "held": (0, (3.0, 1.5))}


@dataclass(frozen=True)
class KindStyle:
    """How a kind of credential looks: the fill (a tint whose greyscale lightness differs
    from the other kinds'), the outline and its weight, and the shape."""

    label: str
    fill: str
    edge: str
    linewidth: float
    rounded: bool


KIND_STYLES = {
    # grey levels of the fills: 0.92 (micro), 0.78 (qualification), 1.0 (course)
    "micro-credential": KindStyle("Micro-credential", "#DDF0FB", OKABE_ITO["blue"], 1.0, True),
    "qualification": KindStyle("Qualification", "#F0C566", INK, 2.2, False),
    "course": KindStyle("Course", "#FFFFFF", "#6E6E6E", 0.7, False),
}


# --------------------------------------------------------------------------------------
# Pages and type


@dataclass(frozen=True)
class _Type:
    """Box typography (points at print) and the sizes that follow from it."""

    title: float
    meta: float
    label: float
    pad: float
    min_box: float  # narrowest box that still wraps titles sensibly
    max_box: float
    min_gap: float  # room for an edge label between columns
    row_gap: float


# From roomiest to the smallest. A map that fits one page takes the roomiest that fits,
# down to ONE_PAGE_PRESETS (box titles and edge labels at 9 pt or more); a map that does
# not is split over pages at SPLIT_PRESET throughout (8 pt or more), with boxes of one
# width, so that every page looks the same: as many columns of boxes at least SPLIT_BOX
# wide as the page takes, the boxes widened to fill it (a wider box wraps its title in
# fewer lines, so a column holds more). Nothing is set below MIN_FONT_PT. On a larger
# sheet the split type grows by the page's type_scale (A3 is a poster).
PRESETS = (
    _Type(title=13.0, meta=10.0, label=11.0, pad=6.5, min_box=124, max_box=210, min_gap=56,
          row_gap=16),
    _Type(title=11.0, meta=8.5, label=9.5, pad=5.5, min_box=104, max_box=180, min_gap=48,
          row_gap=14),
    _Type(title=10.0, meta=8.0, label=9.0, pad=5.0, min_box=96, max_box=170, min_gap=44,
          row_gap=13),
    _Type(title=9.0, meta=7.5, label=9.0, pad=4.5, min_box=88, max_box=160, min_gap=40,
          row_gap=12),
    _Type(title=8.0, meta=7.0, label=8.0, pad=4.0, min_box=88, max_box=150, min_gap=44,
          row_gap=11),
)
ONE_PAGE_PRESETS = 4
SPLIT_PRESET = 4
SPLIT_BOX = 88.0


def _scaled(t: _Type, k: float) -> _Type:
    """``t`` with every size multiplied by ``k``."""
    if k == 1.0:
        return t
    return _Type(*(getattr(t, f) * k for f in t.__dataclass_fields__))


@dataclass(frozen=True)
class _Page:
    """A sheet in points, with the font sizes that suit its size."""

    name: str
    landscape: bool
    width: float
    height: float
    margin: float
    title: float
    subtitle: float
    header: float
    legend: float
    footer: float
    type_scale: float = 1.0  # split maps' type and sizes grow with the sheet
    logo_w: float = 0.0  # room a logo takes at the top right

    @property
    def inner_width(self) -> float:
        return self.width - 2 * self.margin

    @property
    def heading_width(self) -> float:
        """Across the title and subtitle (beside the logo, if any)."""
        return self.inner_width - (self.logo_w + 12 if self.logo_w else 0.0)


def _page(name: str, landscape: bool) -> _Page:
    key = name.upper()
    if key not in PAGE_SIZES_MM:
        raise PathwaysError(f"unknown page size {name!r}: use " + ", ".join(PAGE_SIZES_MM))
    w, h = (x * MM for x in PAGE_SIZES_MM[key])
    if landscape:
        w, h = h, w
    k = {"A5": 0.85, "A4": 1.0, "A3": 1.2}[key]
    return _Page(name=key, landscape=landscape, width=w, height=h,
                 margin=(9 if key == "A5" else 12) * MM, title=15 * k, subtitle=max(8.5 * k, 7.5),
                 header=max(8.5 * k, 8), legend=max(8 * k, 7.5), footer=7.0,
                 type_scale=1.2 if key == "A3" else 1.0)


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _mix(colour: str, amount: float) -> str:
    """``colour`` blended towards white by ``amount`` (0..1)."""
    from matplotlib.colors import to_hex, to_rgb

    r, g, b = to_rgb(colour)
    return to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))
