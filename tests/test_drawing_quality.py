"""Layout quality of maps, measured as numbers on fixed fixtures (issue 11), the print
outputs' metadata and structure, and drawing's hardening (issue 16): no hang, no crash on
odd text, clean one-line write errors, the umask honoured."""

from __future__ import annotations

import errno
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.catalog import Catalog
from pathways.cli import cli
from pathways.drawing import (
    MapStyle,
    draw_map,
    draw_timeline,
    plan_map,
    route_highlight,
    select,
)
from pathways.drawing.quality import map_quality
from pathways.errors import PathwaysError
from pathways.formats import read_catalog
from pathways.routes import find_route, with_schedule

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return read_catalog(ROOT / "graphs" / "demo.json")


@pytest.fixture(scope="module")
def synthetic300() -> Catalog:
    from pathways.synthetic import generate_catalog

    return generate_catalog(300, seed=0)


def assert_clean(q: object) -> None:
    """What every map must get right, whatever its scope."""
    assert q.hidden_heads == 0  # type: ignore[attr-defined]
    assert q.near_misses == 0  # type: ignore[attr-defined]
    assert q.smallest_type >= 7.0  # type: ignore[attr-defined]
    assert q.frame_clashes == 0  # type: ignore[attr-defined]


# -- numbers on fixed scopes ------------------------------------------------------------------


def test_readme_route_map_shows_every_arrowhead(demo: Catalog) -> None:
    # 5 of 9 heads were drawn under their target (the column edge was not rounded).
    s = select(demo, to="DIP-ITS5")
    hl = route_highlight(find_route(demo, "DIP-ITS5", held=["MC-CLOUD4", "MC-PYDATA5"]))
    for landscape in (None, True):
        q = map_quality(demo, s.ids, title=s.title, highlight=hl, landscape=landscape)
        assert_clean(q)
        assert q.label_overlaps == 0
        assert (q.pages, q.route_pages, q.stubs) == (1, 1, 0)
        assert q.smallest_type >= 9.0 - 2.0  # badges and footer at 7 pt; boxes at 9+


def test_whole_demo_catalog(demo: Catalog) -> None:
    for page in ("A4", "A3"):
        q = map_quality(demo, page=page)
        assert_clean(q)
        assert q.label_overlaps == 0


def test_dense_synthetic_field_map(synthetic300: Catalog) -> None:
    # 160 crossings, 17 edges into one diploma, on one A3 page at 6.5 pt before.
    s = select(synthetic300, field="Information technology")
    q = map_quality(synthetic300, s.ids, title=s.title, page="A3")
    assert_clean(q)
    assert q.label_overlaps == 0
    assert q.crossings <= 80


def test_synthetic_provider_map(synthetic300: Catalog) -> None:
    s = select(synthetic300, provider="polytechnic-01")
    q = map_quality(synthetic300, s.ids, title=s.title)
    assert_clean(q)
    assert q.label_overlaps == 0


@pytest.mark.slow
def test_largest_synthetic_field_map_has_no_label_overlaps() -> None:
    # 4 of ~1,500 labels overprinted before: a one-gap edge's only spots were taken by a
    # trunk's label that could have sat elsewhere in the same gap.
    from pathways.synthetic import generate_catalog

    cat = generate_catalog(2000, seed=1)
    s = select(cat, field="Information technology")
    q = map_quality(cat, s.ids, title=s.title, page="A3")
    assert_clean(q)
    assert q.label_overlaps == 0


def test_a_crowded_gap_makes_room_by_moving_one_label() -> None:
    # A straight edge across a 60 pt gap between two boxes: its label's spots on the line
    # and just beside it are all under a label placed before, which can move up the gap.
    from pathways.drawing.geometry import _label_spot, _make_room, _overlaps

    boxes = [(0.0, 0.0, 100.0, 200.0), (160.0, 0.0, 260.0, 200.0)]
    pts = [(100.0, 100.0), (100.0, 100.0), (160.0, 100.0), (160.0, 100.0)]
    other = [(100.0, 60.0), (100.0, 60.0), (160.0, 180.0), (160.0, 180.0)]
    blocker = (112.0, 85.0, 148.0, 115.0)
    taken = [*boxes, blocker]
    assert _label_spot(pts, 30.0, 10.0, taken, 1) is None
    spot = _make_room(pts, 30.0, 10.0, 1, taken, {2: (0, other, 36.0, 10.0, 1)})
    assert spot is not None
    rects = [*taken, spot[2]]
    assert not any(_overlaps(a, b) for i, a in enumerate(rects) for b in rects[:i])
    assert taken[2] != blocker  # the label in the way stepped aside


def test_curricula(curricula_dir: Path) -> None:
    for name in ("U_of_Colorado_Boulder_CS", "Colostate_CSDegree", "Colostate_CSDegree_2017",
                 "Colostate_CSDegree_2017_w_MATH"):
        cat = read_catalog(curricula_dir / "plans" / f"{name}.csv")
        q = map_quality(cat)
        assert_clean(q)
        assert q.label_overlaps == 0
    boulder = read_catalog(curricula_dir / "plans" / "U_of_Colorado_Boulder_CS.csv")
    assert map_quality(boulder).crossings <= 23  # 23 before, all 36 heads hidden


def test_split_maps_keep_8pt_one_page_maps_9pt(demo: Catalog) -> None:
    for page in plan_map(demo, page="A4"):
        for strip, _x, _y in page.strips:
            t = strip.type
            assert min(t.title, t.label) >= 8.0
    one = plan_map(demo, select(demo, to="DIP-BUS6").ids, landscape=True)
    assert len(one) == 1
    t = one[0].strips[0][0].type
    assert min(t.title, t.label) >= 9.0


# -- a route is never split -------------------------------------------------------------------


def test_route_is_never_split(demo: Catalog) -> None:
    # BCIS7's whole map on A5 portrait went over pages, the route torn across them.
    s = select(demo, to="BCIS7")
    hl = route_highlight(find_route(demo, "BCIS7", held=["MC-CLOUD4"]))
    q = map_quality(demo, s.ids, highlight=hl, page="A5", landscape=False)
    assert q.route_pages == 1 and q.pages == 1
    assert_clean(q)


def test_route_alone_is_said_in_the_subtitle(demo: Catalog, tmp_path: Path) -> None:
    s = select(demo, to="BCIS7")
    hl = route_highlight(find_route(demo, "BCIS7", held=["MC-CLOUD4"]))
    out = draw_map(demo, tmp_path / "r.svg", ids=s.ids, highlight=hl, page="A5",
                   landscape=False)
    text = " ".join("".join(t.itertext()) for t in ET.parse(out.files[0]).getroot()
                    .iter(f"{SVG}text"))
    assert "only the route's credentials are shown" in text


def test_brochure_is_the_route_alone_with_goal_and_start(demo: Catalog, tmp_path: Path) -> None:
    hl = route_highlight(find_route(demo, "DIP-ITS5", held=["MC-CLOUD4"]))
    look = MapStyle(style="brochure", brand="#0B6E4F")
    out = draw_map(demo, tmp_path / "b.svg", ids=select(demo, to="DIP-ITS5").ids,
                   highlight=hl, look=look)
    text = " ".join("".join(t.itertext()) for t in ET.parse(out.files[0]).getroot()
                    .iter(f"{SVG}text"))
    assert "Your pathway to Diploma in Information Technology Technical Support" in text
    assert "Goal" in text and "Start" in text
    assert "DIP-ITS5" not in text and "MC-CLOUD4" not in text  # ids hidden
    assert "your route, step by step" in text and "credits counted" not in text
    assert "#0b6e4f" in out.files[0].read_text().lower()
    q = map_quality(demo, select(demo, to="DIP-ITS5").ids, highlight=hl, look=look)
    assert q.boxes == len(set(hl.steps) | hl.held)
    assert_clean(q)


def test_brochure_of_a_pathway_without_a_route(demo: Catalog, tmp_path: Path) -> None:
    out = draw_map(demo, tmp_path / "b.svg", ids=select(demo, to="DIP-BUS6").ids,
                   look=MapStyle(style="brochure", goal="DIP-BUS6"))
    text = " ".join("".join(t.itertext()) for t in ET.parse(out.files[0]).getroot()
                    .iter(f"{SVG}text"))
    assert "Ways to Diploma in Business (Level 6)" in text and "Goal" in text
    assert "DIP-BUS6" not in text


def test_style_errors(demo: Catalog, tmp_path: Path) -> None:
    cases = [
        (MapStyle(style="poster"), "unknown style 'poster': use map or brochure"),
        (MapStyle(brand="green"), "brand colour 'green' is not a colour; give it as "
                                  "#RRGGBB, for example #0B6E4F"),
        (MapStyle(logo=str(tmp_path / "none.png")),
         f"logo {str(tmp_path / 'none.png')!r} not found; give a PNG image file"),
        (MapStyle(font="No Such Font 42"), "unknown font 'No Such Font 42': no such font is "
                                           "installed; give an installed font's name or a "
                                           ".ttf/.otf file"),
    ]
    for look, message in cases:
        with pytest.raises(PathwaysError) as err:
            draw_map(demo, tmp_path / "x.pdf", look=look)
        assert str(err.value) == message
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png")
    with pytest.raises(PathwaysError) as err:
        draw_map(demo, tmp_path / "x.pdf", ids=["MC-CLOUD4"], look=MapStyle(logo=str(bad)))
    assert str(err.value).startswith(f"cannot read the logo {str(bad)!r} as a PNG image")


def test_brochure_needs_a_target(tmp_path: Path) -> None:
    got = CliRunner().invoke(cli, ["draw", "--catalog", str(ROOT / "graphs" / "demo.json"),
                                   "--style", "brochure", "-o", str(tmp_path / "b.pdf")])
    assert got.exit_code == 2
    assert "--style brochure draws a learner's pathway to a target: add --to ID" in got.output


def test_logo_and_font(demo: Catalog, tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), "#0B6E4F").save(logo)
    look = MapStyle(style="brochure", logo=str(logo), font="DejaVu Serif")
    hl = route_highlight(find_route(demo, "DIP-ITS5", held=["MC-CLOUD4"]))
    out = draw_map(demo, tmp_path / "b.pdf", highlight=hl, look=look)
    data = out.files[0].read_bytes()
    assert b"DejaVuSerif" in data and b"/Subtype /Image" in data


# -- curricula --------------------------------------------------------------------------------


def test_curriculum_codes_any_term_and_delay_path(curricula_dir: Path, tmp_path: Path) -> None:
    cat = read_catalog(curricula_dir / "plans" / "Colostate_CSDegree.csv")
    out = draw_map(cat, tmp_path / "c.svg", look=MapStyle(complexity=True))
    text = " ".join("".join(t.itertext()) for f in out.files
                    for t in ET.parse(f).getroot().iter(f"{SVG}text"))
    assert "MATH 156" in text and "CS 150B" in text  # course codes, not "#1 · 4 credits"
    assert "#1 ·" not in text
    assert "complexity" in text
    assert "longest chain of prerequisites (the delay path)" in text
    pages = plan_map(cat)
    labels = {c.label for p in pages for s, _x, _y in p.strips for c in s.layout.columns}
    assert "Any term" in labels  # unlinked courses in a group of their own


# -- print ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_pdf_metadata_png_resolution_and_svg_groups(demo: Catalog, tmp_path: Path) -> None:
    s = select(demo, to="DIP-ITS5")
    pdf = draw_map(demo, tmp_path / "m.pdf", ids=s.ids, title=s.title).files[0]
    data = pdf.read_bytes()
    assert b"/Title (Pathways to Diploma in Information Technology" in data
    assert b"/Subject (" in data
    png = draw_map(demo, tmp_path / "m.png", ids=s.ids).files[0]
    from PIL import Image

    with Image.open(png) as im:
        assert round(im.info["dpi"][0]) == 300
    svg = draw_map(demo, tmp_path / "m.svg", ids=s.ids).files[0]
    root = ET.parse(svg).getroot()
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    assert "cred-DIP-ITS5" in groups and "edge-MC-CLOUD4-CERT-ITE4" in groups
    title = groups["cred-DIP-ITS5"].find(f"{SVG}title")
    assert title is not None and "DIP-ITS5" in (title.text or "")
    assert any(t.tag == f"{SVG}text" for t in groups["cred-DIP-ITS5"].iter())
    edge = groups["edge-MC-CLOUD4-CERT-ITE4"].find(f"{SVG}title")
    assert edge is not None and "counts towards (" in (edge.text or "")


def test_svg_box_title_is_one_text_with_a_tspan_a_line(demo: Catalog, tmp_path: Path) -> None:
    # Issue 11 item 8: each wrapped line was a <text> of its own.
    svg = draw_map(demo, tmp_path / "m.svg", ids=select(demo, to="DIP-ITS5").ids).files[0]
    root = ET.parse(svg).getroot()
    box = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "cred-DIP-ITS5")
    blocks = [[t.text or "" for t in el.iter(f"{SVG}tspan")] for el in box.iter(f"{SVG}text")]
    title = next(lines for lines in blocks if "Diploma in" in " ".join(lines))
    assert len(title) > 1
    assert " ".join(title) == "Diploma in Information Technology Technical Support (Level 5)"
    tspans = list(box.iter(f"{SVG}tspan"))
    assert all(t.get("x") and t.get("y") for t in tspans)


def test_default_legend_in_plain_words(demo: Catalog, tmp_path: Path) -> None:
    # Issue 11 item 7: no analyst words ("credits recognised", "credits counted").
    svg = draw_map(demo, tmp_path / "r.svg", ids=select(demo, to="DIP-ITS5").ids,
                   highlight=route_highlight(find_route(demo, "DIP-ITS5",
                                                        held=["MC-CLOUD4"]))).files[0]
    text = " ".join(t.text or "" for t in ET.parse(svg).getroot().iter(f"{SVG}text"))
    assert "counts towards (credits)" in text
    assert "cheapest route, step by step (credits)" in text
    assert "recognised" not in text and "credits counted" not in text


# -- hardening (issue 16) ---------------------------------------------------------------------


@pytest.mark.slow
def test_a_box_taller_than_a_page_does_not_hang(shared_dir: Path, tmp_path: Path,
                                                demo: Catalog) -> None:
    # Looped forever: a split seed with no inputs was never removed from the unplaced set.
    repro = shared_dir / "data" / "repro" / "draw-long-title-loop.json"
    cat = read_catalog(repro)
    assert draw_map(cat, tmp_path / "x.svg", page="A5").pages == 1
    from dataclasses import replace

    long = Catalog(credentials=[replace(c, title="Word " * 200) if c.id == "DIP-ITS5" else c
                                for c in demo], providers=demo.providers,
                   framework=demo.framework)
    assert draw_map(long, tmp_path / "y.pdf", page="A5").pages >= 1


def test_control_characters_make_well_formed_svg(demo: Catalog, tmp_path: Path) -> None:
    from dataclasses import replace

    odd = Catalog(credentials=[replace(c, title="Bad\x00title\x1b[2J \ud800 end")
                               if c.id == "MC-CLOUD4" else c for c in demo],
                  providers=demo.providers, framework=demo.framework)
    out = draw_map(odd, tmp_path / "m.svg", ids=["MC-CLOUD4", "CERT-ITE4"],
                   title="T\x07itle")
    root = ET.parse(out.files[0]).getroot()  # raised "not well-formed" before
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Badtitle[2J" in text and "end" in text
    assert draw_map(odd, tmp_path / "m.pdf", ids=["MC-CLOUD4"]).pages == 1


def test_timeline_of_a_very_long_route(demo: Catalog, tmp_path: Path) -> None:
    # StopIteration (exit 70) for any route over about 2,500 weeks.
    route = with_schedule(find_route(demo, "BCIS7"), 1)
    out = draw_timeline(demo, route, tmp_path / "t.svg", hours_per_week=1)
    text = " ".join("".join(t.itertext()) for t in ET.parse(out.files[0]).getroot()
                    .iter(f"{SVG}text"))
    assert "years" in text
    got = CliRunner().invoke(cli, ["timeline", "--catalog", str(ROOT / "graphs" / "demo.json"),
                                   "--to", "BCIS7", "--hours-per-week", "1",
                                   "-o", str(tmp_path / "t.pdf")])
    assert got.exit_code == 0, got.output


def test_timeline_dates_held_and_whole_weeks(demo: Catalog, tmp_path: Path) -> None:
    import datetime as dt

    route = with_schedule(find_route(demo, "DIP-ITS5", held=["MC-CLOUD4"]), 15)
    out = draw_timeline(demo, route, tmp_path / "t.svg", hours_per_week=15,
                        start=dt.date(2027, 2, 1))
    text = " ".join("".join(t.itertext()) for t in ET.parse(out.files[0]).getroot()
                    .iter(f"{SVG}text"))
    assert "1 February 2027" in text and "Feb 2027" in text
    assert "held already" in text and "done" in text  # held shown as done
    assert not any(ch.isdigit() and "." in w for w in text.split() for ch in w
                   if w.startswith("$"))
    assert "36.7" not in text


def test_full_disk_is_a_one_line_error(demo: Catalog, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import pathways.output

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pathways.output.os, "fsync", full)
    target = tmp_path / "map.pdf"
    with pytest.raises(PathwaysError) as err:
        draw_map(demo, target, ids=["MC-CLOUD4"])
    assert str(err.value) == f"cannot write {target}: No space left on device"
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
    got = CliRunner().invoke(cli, ["draw", "--catalog", str(ROOT / "graphs" / "demo.json"),
                                   "--to", "MC-CLOUD4", "-o", str(target)])
    assert got.exit_code == 1  # was 70 (an internal error) for PDF
    assert got.output == f"Error: cannot write {target}: No space left on device\n"


def test_drawings_honour_the_umask(demo: Catalog, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = draw_map(demo, tmp_path / "m.png", ids=["MC-CLOUD4"]).files[0]
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # was 0600 whatever the umask


def test_drawing_writes_through_a_symlink(demo: Catalog, tmp_path: Path) -> None:
    real = tmp_path / "real.png"
    real.write_bytes(b"old")
    link = tmp_path / "link.png"
    link.symlink_to(real)
    draw_map(demo, link, ids=["MC-CLOUD4"])
    assert link.is_symlink() and real.read_bytes().startswith(b"\x89PNG")
