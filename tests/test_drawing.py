"""Maps, timelines and coverage charts: what is drawn, page plans, and valid output files."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.catalog import Catalog, Credential, Provider, Stacking
from pathways.cli import cli
from pathways.drawing import (
    DPI,
    MIN_FONT_PT,
    PAGE_SIZES_MM,
    PRESETS,
    SPLIT_PRESET,
    coverage_shares,
    draw_coverage,
    draw_map,
    draw_timeline,
    output_paths,
    plan_map,
    route_highlight,
    select,
)
from pathways.errors import PathwaysError
from pathways.filters import FIND_IDS
from pathways.formats import read_catalog
from pathways.routes import find_route, with_schedule

DEMO = Path(__file__).resolve().parent.parent / "graphs" / "demo.json"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def worked(worked_example_path: Path) -> Catalog:
    return read_catalog(worked_example_path)


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return read_catalog(DEMO)


def wide_catalog(n: int = 30) -> Catalog:
    """A qualification with ``n`` level-4 micro-credentials stacking in (too tall for an
    A5 page), plus a small pathway of its own, with macrons in titles."""
    mcs = [Credential(id=f"MC-{i:02d}", title=f"Whānau skills part {i}", kind="micro-credential",
                      credits=10, level=4, provider="tp") for i in range(n)]
    other = [Credential(id="MC-WAN", title="Te reo for wānanga learners", kind="micro-credential",
                        credits=15, level=3, provider="tp"),
             Credential(id="CERT-TP", title="Certificate from Te Pūkenga", kind="qualification",
                        credits=60, level=3, provider="tp")]
    qual = Credential(id="DIP-WH", title="Diploma in Whānau Ora (Level 5)", kind="qualification",
                      credits=120, level=5, provider="tp", max_recognised=60)
    return Catalog(providers=[Provider("tp", "Te Pūkenga")], credentials=[*mcs, *other, qual],
                   stacking=[Stacking(m.id, "DIP-WH", 5) for m in mcs]
                   + [Stacking("MC-WAN", "CERT-TP", 15)])


def svg_texts(path: Path) -> tuple[str, list[float]]:
    """All text of an SVG (editable <text>), and every font size used (px = pt here)."""
    root = ET.parse(path).getroot()
    texts, sizes = [], []
    for el in root.iter(f"{SVG}text"):
        texts.append("".join(el.itertext()))
        style = el.get("style", "")
        sizes += [float(x) for x in re.findall(r"([0-9.]+)px", style)]
    return " ".join(texts), sizes


# -- what to draw ----------------------------------------------------------------------------


def test_select_scopes(worked: Catalog) -> None:
    assert select(worked).ids == tuple(sorted(c.id for c in worked))
    to = select(worked, to="CERT-IT4")
    assert to.ids == ("CERT-IT4", "MC-CLOUD", "MC-NETSEC")
    assert to.title == "Pathways to Certificate in IT Essentials (Level 4)"
    assert select(worked, from_="MC-NETSEC").ids == ("CERT-IT4", "DIP-IT5", "MC-NETSEC")
    # A provider's credentials and what they stack into (whoever offers that).
    assert select(worked, provider="south").ids == ("DIP-IT5", "MC-PYDATA")
    assert select(worked, provider="north").ids == ("CERT-IT4", "DIP-IT5", "MC-CLOUD",
                                                    "MC-NETSEC")
    both = select(worked, to="DIP-IT5", from_="MC-CLOUD")
    assert both.ids == ("CERT-IT4", "DIP-IT5", "MC-CLOUD")


def test_select_by_field(demo: Catalog) -> None:
    scope = select(demo, field="forestry")
    assert scope.ids == ("CERT-FOR3", "MC-CHAINSAW3", "MC-PLANT2", "MC-PRUNE3")
    assert scope.title == "Forestry: pathways"


def test_select_errors(worked: Catalog) -> None:
    with pytest.raises(PathwaysError) as err:
        select(worked, to="NOPE")
    assert str(err.value) == f"unknown credential 'NOPE'; {FIND_IDS}"
    with pytest.raises(PathwaysError) as err:
        select(worked, provider="east")
    assert str(err.value) == "unknown provider 'east'; the catalog's providers: north, south"
    with pytest.raises(PathwaysError) as err:
        select(worked, field="Nursing")
    assert str(err.value) == "no credential has the field 'Nursing'; the catalog's fields: none"
    with pytest.raises(PathwaysError) as err:
        select(worked, to="MC-CLOUD", from_="DIP-IT5")
    assert str(err.value) == ("nothing to draw: no credential satisfies all of everything that "
                              "can lead to MC-CLOUD; everything DIP-IT5 leads to")


def test_route_highlight_of_the_worked_example(worked: Catalog) -> None:
    h = route_highlight(find_route(worked, "DIP-IT5"))
    assert h.steps == ("CERT-IT4", "MC-PYDATA", "DIP-IT5")
    assert h.counted == {("CERT-IT4", "DIP-IT5"): 45, ("MC-PYDATA", "DIP-IT5"): 10}
    assert h.summary == ("Cheapest route by fee: $8,840 · 1,350 hours · 135 credits to study "
                         "· 3 credentials to achieve")
    held = route_highlight(find_route(worked, "DIP-IT5", held=["MC-CLOUD"]))
    assert held.held == frozenset({"MC-CLOUD"})
    assert held.counted[("MC-CLOUD", "CERT-IT4")] == 15
    assert held.summary.startswith("Cheapest route by fee for a learner holding MC-CLOUD: $8,090")


# -- page plans ------------------------------------------------------------------------------


def test_small_map_is_one_page_in_large_type(worked: Catalog) -> None:
    pages = plan_map(worked)
    assert len(pages) == 1 and len(pages[0].strips) == 1
    strip = pages[0].strips[0][0]
    assert strip.preset == 0  # the roomiest type
    assert strip.layout.crossings == 0


def test_every_font_prints_at_six_points_or_more() -> None:
    for t in PRESETS:
        assert min(t.title, t.meta, t.label) >= MIN_FONT_PT


def test_titles_fit_their_boxes(demo: Catalog) -> None:
    from pathways.drawing import _measure

    m = _measure()
    for page in plan_map(demo, page="A3"):
        for strip, _x, _y in page.strips:
            t = strip.type
            for cid, (_bx, _by, w, h) in strip.layout.boxes.items():
                text = strip.texts[cid]
                for line in text.title:
                    assert m.width(line, t.title, "bold") <= w - 2 * t.pad + 1e-6
                lines = len(text.title) * t.title + 2 * t.meta
                assert lines * m.line + 2 * t.pad <= h + 1e-6
                # Nothing lost in wrapping (a word broken across lines gets a hyphen).
                wrapped = " ".join(text.title)
                assert wrapped.replace("- ", "").replace("-", "") == \
                    demo.index()[cid].title.replace("-", "")


def test_too_big_a_map_is_split_by_pathway_not_shrunk() -> None:
    cat = wide_catalog()
    pages = plan_map(cat, page="A5", landscape=False)
    assert len(pages) >= 2
    full: dict[str, set[int]] = {}  # credential -> pages drawing it in full
    for number, page in enumerate(pages, 1):
        area_w, area_h = page.area
        for strip, x, y in page.strips:
            assert strip.preset == SPLIT_PRESET  # the same type on every split page
            assert x + strip.width <= area_w + 1e-6
            assert y >= 0 and page.height <= area_h + 1e-6
            for cid in set(strip.ids) - strip.stubs:
                full.setdefault(cid, set()).add(number)
        # Every page with part of the diploma's inputs repeats the diploma itself.
        ids = set(page.ids)
        if ids & {f"MC-{i:02d}" for i in range(30)}:
            assert "DIP-WH" in ids
    for page in pages:  # a stub names a page where its upstream is drawn
        for strip, _x, _y in page.strips:
            for cid in strip.stubs:
                assert strip.refs[cid] in full[cid]
    drawn = set(full)
    assert drawn == {c.id for c in cat}


def test_a_dense_split_map_draws_every_credential_and_edge() -> None:
    # A cross-linked scope (3 edges a credential) too big for an A5 page: every credential
    # drawn in full, on more than one page only when its inputs overflow a page; every
    # edge drawn, beside its target's full box; a stub (a credential drawn in full
    # elsewhere) is told such a page; nothing overflows.
    from pathways.catalog import to_graph
    from pathways.synthetic import generate_catalog

    cat = generate_catalog(60, seed=3)
    graph = to_graph(cat)
    pages = plan_map(cat, page="A5")
    assert len(pages) >= 2
    home: dict[str, set[int]] = {}
    edges: set[tuple[str, str]] = set()
    for number, page in enumerate(pages, 1):
        area_w, area_h = page.area
        for strip, x, _y in page.strips:
            assert x + strip.width <= area_w + 1e-6 and page.height <= area_h + 1e-6
            full = set(strip.ids) - strip.stubs
            for cid in full:
                home.setdefault(cid, set()).add(number)
            edges |= {(s, t) for s, t in graph.subgraph(strip.ids).edges() if t in full}
    assert set(home) == {c.id for c in cat}
    repeated = {cid for cid, where in home.items() if len(where) > 1}
    assert repeated  # qualifications with 11 to 20 inputs: an A5 column holds about 8
    assert all(graph.in_degree(cid) > 8 for cid in repeated)
    assert edges == set(graph.edges())
    for page in pages:
        for strip, _x, _y in page.strips:
            for cid in strip.stubs:
                assert strip.refs[cid] in home[cid]


def test_split_pages_keep_the_whole_scopes_columns(worked: Catalog) -> None:
    cat = wide_catalog()
    for page in plan_map(cat, page="A5", landscape=False):
        for strip, _x, _y in page.strips:
            for cid, col in strip.layout.column.items():
                assert strip.layout.columns[col].key == cat.index()[cid].level


# -- files -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_files_are_valid_and_repeatable(worked: Catalog, tmp_path: Path) -> None:
    files = {}
    for ext in ("pdf", "svg", "png"):
        written = draw_map(worked, tmp_path / f"map.{ext}", title="Worked example",
                           show_fee=True)
        assert written.pages == 1 and written.files == (tmp_path / f"map.{ext}",)
        files[ext] = written.files[0]

    # PDF: TrueType fonts embedded (pdf.fonttype 42), no Type 3 bitmaps of glyphs.
    data = files["pdf"].read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data
    assert b"/Type3" not in data
    # One subset of each font (regular, bold), though "Certificate" has an fi: with
    # ligatures on, a ligature glyph needs a second subset, and subsetting is slow.
    assert data.count(b"/FontFile2") == 2

    # SVG: every title's words as editable text; nothing under 6 pt.
    text, sizes = svg_texts(files["svg"])
    for c in worked:
        assert c.id in text
        for word in c.title.split():
            assert word in text, word
    assert "$9,600" in text  # the fees asked for
    assert sizes and min(sizes) >= MIN_FONT_PT

    # PNG: the whole A4 page at 200 dpi or more.
    from PIL import Image

    with Image.open(files["png"]) as im:
        short_mm, long_mm = sorted(PAGE_SIZES_MM["A4"])
        assert min(im.size) >= int(short_mm / 25.4 * 200)
        assert max(im.size) >= int(long_mm / 25.4 * 200)
        assert DPI >= 200 and round(im.info["dpi"][0]) >= 200

    # The same map twice: the same bytes.
    for ext, first in files.items():
        again = draw_map(worked, tmp_path / f"again.{ext}", title="Worked example",
                         show_fee=True)
        assert again.files[0].read_bytes() == first.read_bytes(), ext


def test_split_map_files(tmp_path: Path) -> None:
    cat = wide_catalog()
    pdf = draw_map(cat, tmp_path / "big.pdf", page="A5", landscape=False)
    assert pdf.files == (tmp_path / "big.pdf",) and pdf.pages >= 2
    data = pdf.files[0].read_bytes()
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") == pdf.pages
    svg = draw_map(cat, tmp_path / "big.svg", page="A5", landscape=False)
    assert svg.files == tuple(tmp_path / f"big-{i}.svg" for i in range(1, pdf.pages + 1))
    text = " ".join(svg_texts(f)[0] for f in svg.files)
    for word in ("wānanga", "Pūkenga", "Whānau"):  # macrons come through as text
        assert word in text
    assert all(min(svg_texts(f)[1]) >= MIN_FONT_PT for f in svg.files)


def test_output_errors(worked: Catalog, tmp_path: Path) -> None:
    with pytest.raises(PathwaysError) as err:
        draw_map(worked, tmp_path / "map.jpg")
    assert str(err.value) == (f"cannot write '{tmp_path / 'map.jpg'}': the file name must end "
                              "in .pdf, .svg, .png (the format follows the extension)")
    with pytest.raises(PathwaysError) as err:  # the path named, not just its last part
        draw_map(worked, "/dev/full")
    assert str(err.value).startswith("cannot write '/dev/full': the file name must end in")
    with pytest.raises(PathwaysError) as err:
        draw_map(worked, tmp_path / "nowhere" / "map.png")
    assert str(err.value) == (f"cannot write {tmp_path / 'nowhere' / 'map.png'}: the folder "
                              f"{tmp_path / 'nowhere'} does not exist")
    with pytest.raises(PathwaysError) as err:
        draw_map(worked, tmp_path / "map.png", page="Letter")
    assert str(err.value) == "unknown page size 'Letter': use A5, A4, A3"
    assert output_paths("m.PNG", 2) == [Path("m-1.PNG"), Path("m-2.PNG")]
    assert output_paths("m.pdf", 3) == [Path("m.pdf")]


def test_route_map(worked: Catalog, tmp_path: Path) -> None:
    route = find_route(worked, "DIP-IT5", held=["MC-CLOUD"])
    written = draw_map(worked, tmp_path / "route.svg", ids=select(worked, to="DIP-IT5").ids,
                       highlight=route_highlight(route))
    text, _sizes = svg_texts(written.files[0])
    assert "Cheapest route by fee for a learner holding MC-CLOUD: $8,090" in text
    assert "✓" in text  # the held credential's mark
    assert "cheapest route, step by step (credits)" in text


# -- charts ----------------------------------------------------------------------------------


def test_coverage_shares(worked: Catalog) -> None:
    from pathways.gaps import micro_credential_coverage

    shares = coverage_shares(worked, "north")
    assert shares == {"CERT-IT4": 35 / 60}
    south = coverage_shares(worked, "south")
    assert south == {"DIP-IT5": micro_credential_coverage(worked, "DIP-IT5")[0] / 120}
    with pytest.raises(PathwaysError) as err:
        coverage_shares(worked, "east")
    assert str(err.value) == "unknown provider 'east'; the catalog's providers: north, south"


def test_coverage_chart(demo: Catalog, tmp_path: Path) -> None:
    written = draw_coverage(demo, "rawhiti", tmp_path / "cov.svg")
    text, sizes = svg_texts(written.files[0])
    for q, share in coverage_shares(demo, "rawhiti").items():
        assert q in text and f"{share:.0%}" in text
    assert min(sizes) >= MIN_FONT_PT
    with pytest.raises(PathwaysError) as err:
        draw_coverage(demo, "ngahere", tmp_path / "none.svg", shares={})
    assert str(err.value) == "provider 'ngahere' offers no qualification: nothing to chart"


def test_timeline(worked: Catalog, tmp_path: Path) -> None:
    route = with_schedule(find_route(worked, "DIP-IT5"), 10)
    written = draw_timeline(worked, route, tmp_path / "plan.svg", hours_per_week=10)
    text, _sizes = svg_texts(written.files[0])
    assert "Timeline to Diploma in IT Technical Support (Level 5)" in text
    assert "135 weeks" in text and "weeks 0–60" in text
    with pytest.raises(PathwaysError) as err:
        draw_timeline(worked, find_route(worked, "DIP-IT5"), tmp_path / "x.svg",
                      hours_per_week=10)
    assert str(err.value) == ("the route has no weeks: schedule it with "
                              "pathways.routes.with_schedule first")


# -- the command line ------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_draw(tmp_path: Path) -> None:
    out = tmp_path / "its.png"
    code, stdout, _err = run("draw", "--catalog", str(DEMO), "--to", "DIP-ITS5", "--have",
                             "MC-CLOUD4,MC-PYDATA5", "--landscape", "-o", str(out))
    assert code == 0
    assert stdout == f"Wrote {out} (1 page)\n"
    code, stdout, _err = run("draw", "--catalog", str(DEMO), "--field", "Forestry", "--json",
                             "-o", str(tmp_path / "f.svg"))
    assert code == 0
    assert '"pages": 1' in stdout and "f.svg" in stdout


def test_cli_draw_errors(tmp_path: Path) -> None:
    out = str(tmp_path / "x.png")
    code, _out, err = run("draw", "--catalog", str(DEMO), "--have", "MC-CLOUD4", "-o", out)
    assert code == 2
    assert "Error: --have, --by and --route mark a route to a target: add --to ID" in err
    code, _out, err = run("draw", "--catalog", str(DEMO), "--to", "NOPE", "-o", out)
    assert code == 1
    assert err == "Error: unknown credential 'NOPE'; find ids with `pathways list --search TEXT`\n"
    code, _out, err = run("draw", "--catalog", str(DEMO), "-o", str(tmp_path / "x.gif"))
    assert code == 1
    assert err.startswith(f"Error: cannot write '{tmp_path / 'x.gif'}': the file name must end "
                          "in .pdf")


def test_cli_timeline_and_coverage(tmp_path: Path) -> None:
    code, stdout, _err = run("timeline", "--catalog", str(DEMO), "--to", "CERT-ITE4",
                             "--hours-per-week", "12", "-o", str(tmp_path / "t.pdf"))
    assert (code, stdout) == (0, f"Wrote {tmp_path / 't.pdf'} (1 page)\n")
    code, stdout, _err = run("coverage", "--catalog", str(DEMO), "--provider", "totara",
                             "-o", str(tmp_path / "c.png"))
    assert (code, stdout) == (0, f"Wrote {tmp_path / 'c.png'} (1 page)\n")
    code, _out, err = run("timeline", "--catalog", str(DEMO), "--to", "CERT-ITE4",
                          "--hours-per-week", "0", "-o", str(tmp_path / "t.pdf"))
    assert code == 2 and "--hours-per-week" in err


def test_cli_help_has_examples() -> None:
    for name in ("draw", "timeline", "coverage"):
        code, stdout, _err = run(name, "--help")
        assert code == 0 and "Example:" in stdout and f"pathways {name}" in stdout


def test_drawing_modules_import_no_matplotlib() -> None:
    # `pathways route` must start fast: the drawing modules import matplotlib lazily.
    code = ("import sys, pathways.cli.draw, pathways.drawing, pathways.drawing.layered; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
