"""The layered layout: columns, no overlaps, few crossings, edges between boxes, determinism."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog, Credential, Stacking, to_graph
from pathways.drawing.layered import (
    Layout,
    column_keys,
    count_crossings,
    layout,
    rank_count,
)
from pathways.errors import PathwaysError
from pathways.filters import FIND_IDS
from pathways.formats import read_catalog


def cred(cid: str, level: int | None = 4, kind: str = "micro-credential", **kw: object
         ) -> Credential:
    return Credential(id=cid, title=f"Title of {cid}", kind=kind, credits=10, level=level,
                      **kw)  # type: ignore[arg-type]


def catalog(creds: list[Credential], edges: list[tuple[str, str]], **kw: object) -> Catalog:
    return Catalog(credentials=creds, stacking=[Stacking(a, b, 5) for a, b in edges],
                   **kw)  # type: ignore[arg-type]


# -- checks every layout must pass -------------------------------------------------------


def assert_no_overlap(lay: Layout) -> None:
    boxes = sorted(lay.boxes.items())
    for (a, (ax, ay, aw, ah)), (b, (bx, by, bw, bh)) in itertools.combinations(boxes, 2):
        apart = ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
        assert apart, f"{a} and {b} overlap"


def gap_segments(lay: Layout) -> dict[tuple[float, float], list[tuple[float, float]]]:
    """The sloped (gap-crossing) segments of every edge, grouped by the gap they cross,
    each as (y where it leaves the left rank, y where it enters the right one)."""
    out: dict[tuple[float, float], list[tuple[float, float]]] = defaultdict(list)
    for e in lay.edges:
        pts = e.points
        assert len(pts) % 2 == 0 and len(pts) >= 4
        for i in range(1, len(pts) - 1, 2):
            (x0, y0), (x1, y1) = pts[i], pts[i + 1]
            if x0 > x1:  # a backward edge runs right to left
                (x0, y0), (x1, y1) = (x1, y1), (x0, y0)
            out[(round(x0, 6), round(x1, 6))].append((y0, y1))
    return out


def geometric_crossings(lay: Layout) -> int:
    """Crossings counted from the drawn segments: two segments across the same gap cross
    exactly when their ends are in opposite orders."""
    total = 0
    for segs in gap_segments(lay).values():
        for (a0, a1), (b0, b1) in itertools.combinations(segs, 2):
            assert (a0, a1) != (b0, b1)
            total += (a0 - b0) * (a1 - b1) < 0
    return total


def assert_edges_clear_of_boxes(lay: Layout) -> None:
    """Runs through a rank (between the first and last pair of points) pass beside every
    box of that rank, never through one."""
    for e in lay.edges:
        pts = e.points
        for i in range(2, len(pts) - 2, 2):
            (x0, y), (x1, _y) = pts[i], pts[i + 1]
            lo, hi = min(x0, x1), max(x0, x1)
            for cid, (bx, by, bw, bh) in lay.boxes.items():
                if bx < hi and lo < bx + bw:
                    assert not by < y < by + bh, f"{e.source}->{e.target} runs through {cid}"


def assert_sound(lay: Layout) -> None:
    assert_no_overlap(lay)
    assert geometric_crossings(lay) == lay.crossings
    assert_edges_clear_of_boxes(lay)
    for cid, (x, y, w, h) in lay.boxes.items():
        col = lay.columns[lay.column[cid]]
        assert col.x <= x and x + w <= col.x + col.width + 1e-6
        assert y >= 0 and y + h <= lay.height + 1e-6 and x + w <= lay.width + 1e-6


# -- the worked example ------------------------------------------------------------------


def test_worked_example(worked_example_path: Path) -> None:
    cat = read_catalog(worked_example_path)
    lay = layout(cat)
    assert_sound(lay)
    assert lay.mode == "level"
    assert [c.label for c in lay.columns] == ["Level 4", "Level 5"]
    assert {cid: lay.columns[lay.column[cid]].key for cid in lay.boxes} == {
        c.id: c.level for c in cat}
    # Level-4 micro-credentials stack into the level-4 certificate: a sub-column each.
    assert lay.rank == {"MC-CLOUD": 0, "MC-NETSEC": 0, "CERT-IT4": 1, "MC-PYDATA": 2,
                        "DIP-IT5": 3}
    assert lay.crossings == 0
    # MC-NETSEC -> DIP-IT5 skips two ranks: its path runs through both, beside the boxes.
    assert len(lay.edge("MC-NETSEC", "DIP-IT5").points) == 8
    assert lay.edge("CERT-IT4", "DIP-IT5").stacking == 45
    assert lay.edge("CERT-IT4", "DIP-IT5").requisite == "requires"


# -- fixtures where the barycentre result is known ---------------------------------------


def test_in_tree_has_no_crossing() -> None:
    # A qualification fed by three, each fed by three, each by two; ids shuffled so
    # that id order would cross.
    rnd = random.Random(3)
    creds, edges = [cred("Q", 7, "qualification")], []
    names = [f"N{i:02d}" for i in range(30)]
    rnd.shuffle(names)
    for i in range(3):
        mid = names.pop()
        creds.append(cred(mid, 6, "qualification"))
        edges.append((mid, "Q"))
        for _ in range(3):
            low = names.pop()
            creds.append(cred(low, 5))
            edges.append((low, mid))
            for _ in range(2):
                leaf = names.pop()
                creds.append(cred(leaf, 3 + (i % 2)))  # some skip a level
                edges.append((leaf, low))
    lay = layout(catalog(creds, edges))
    assert_sound(lay)
    assert lay.crossings == 0


def test_ladder_has_no_crossing() -> None:
    # Two chains with rungs, named so that sorting by id interleaves them badly.
    left = ["Z1", "A2", "Y3", "B4"]
    right = ["A1", "Z2", "B3", "Y4"]
    creds = [cred(c, i + 2) for i, c in enumerate(left)] + [
        cred(c, i + 2) for i, c in enumerate(right)]
    edges = list(zip(left, left[1:], strict=False)) + list(zip(right, right[1:], strict=False))
    edges += [("Z1", "Z2"), ("B3", "B4")]  # rungs: left to right, then right to left
    lay = layout(catalog(creds, edges))
    assert_sound(lay)
    assert lay.crossings == 0


def test_complete_bipartite_crosses_as_it_must() -> None:
    # K(3,3) across two levels: 3 choose 2 squared = 9 crossings in any order.
    up, down = ["U1", "U2", "U3"], ["D1", "D2", "D3"]
    creds = [cred(c, 4) for c in up] + [cred(c, 5, "qualification") for c in down]
    lay = layout(catalog(creds, [(a, b) for a in up for b in down]))
    assert_sound(lay)
    assert lay.crossings == 9


def two_levels(seed: int) -> tuple[Catalog, list[str], list[str], list[tuple[str, str]]]:
    rnd = random.Random(seed)
    up, down = [f"A{i}" for i in range(5)], [f"B{i}" for i in range(5)]
    pairs = rnd.sample([(a, b) for a in up for b in down], 9)
    creds = [cred(c, 4) for c in up] + [cred(c, 5, "qualification") for c in down]
    return catalog(creds, sorted(pairs)), up, down, pairs


def fewest_crossings(up: list[str], down: list[str], pairs: list[tuple[str, str]]) -> int:
    """Exhaustive: every order of both levels."""
    index = {c: i for i, c in enumerate(up + down)}
    below: list[list[int]] = [[] for _ in index]
    for a, b in pairs:
        below[index[a]].append(index[b])
    return min(count_crossings([list(p), list(q)], below, len(index))
               for p in itertools.permutations(range(len(up)))
               for q in itertools.permutations(range(len(up), len(index))))


@pytest.mark.parametrize("seed", [1, 2, 4, 5, 6, 7, 8])
def test_two_levels_reach_the_exhaustive_optimum(seed: int) -> None:
    cat, up, down, pairs = two_levels(seed)
    lay = layout(cat)
    assert_sound(lay)
    assert lay.crossings == fewest_crossings(up, down, pairs)


def test_two_levels_near_the_optimum_where_barycentres_miss() -> None:
    cat, up, down, pairs = two_levels(3)
    assert fewest_crossings(up, down, pairs) == 3
    assert layout(cat).crossings <= 4  # recorded: barycentres find 4 here


def random_levels(seed: int) -> Catalog:
    """Four levels of five, 14 random upward edges (some skipping levels)."""
    rnd = random.Random(seed)
    creds = [cred(f"C{lv}{k}", lv, "qualification" if lv == 4 else "micro-credential")
             for lv in range(1, 5) for k in range(5)]
    level = {c.id: c.level or 0 for c in creds}
    edges: set[tuple[str, str]] = set()
    while len(edges) < 14:
        a, b = rnd.sample(sorted(level), 2)
        if level[a] < level[b]:
            edges.add((a, b))
    return catalog(creds, sorted(edges))


RECORDED = {1: 1, 2: 0, 3: 0, 4: 1, 5: 3, 6: 3}  # crossings when this test was written


@pytest.mark.parametrize("seed", sorted(RECORDED))
def test_random_levels_no_worse_than_recorded(seed: int) -> None:
    lay = layout(random_levels(seed))
    assert_sound(lay)
    assert lay.crossings <= RECORDED[seed]


# -- columns -----------------------------------------------------------------------------


def test_columns_by_term_with_a_corequisite_inside_a_term() -> None:
    creds = [cred("1", None, "course", term=1), cred("2", None, "course", term=1,
                                                    corequisites=("1",)),
             cred("3", None, "course", term=2, requires=(("2",),)),
             cred("4", None, "course", term=3)]
    lay = layout(Catalog(credentials=creds, framework="generic"))
    assert_sound(lay)
    assert lay.mode == "term"
    assert [(c.label, c.ranks) for c in lay.columns] == [("Term 1", 2), ("Term 2", 1),
                                                         ("Term 3", 1)]
    assert lay.rank["2"] == lay.rank["1"] + 1
    assert lay.edge("1", "2").requisite == "corequisite"


def test_generations_for_a_curriculum_without_terms(curricula_dir: Path) -> None:
    cat = read_catalog(curricula_dir / "plans" / "Colostate_CSDegree.csv")
    lay = layout(cat)
    assert_sound(lay)
    assert lay.mode == "generation"
    assert lay.columns[0].label == "Step 1"
    graph = to_graph(cat)
    for a, b in graph.edges():  # prerequisites always in an earlier column
        assert lay.column[a] < lay.column[b]
    # Courses with no prerequisite link fill the shortest columns: a column is more than
    # one taller than the shortest only through its linked courses.
    heights = [sum(1 for c in lay.column.values() if c == i) for i in range(len(lay.columns))]
    linked = [sum(1 for n in graph if lay.column[n] == i and graph.degree(n))
              for i in range(len(lay.columns))]
    assert max(heights) <= max(max(linked), min(heights) + 1)


def test_backward_edge_is_drawn_right_to_left() -> None:
    # A level-5 micro-credential counted into a level-4 certificate.
    cat = catalog([cred("MC5", 5), cred("CERT4", 4, "qualification"), cred("MC4", 4)],
                  [("MC5", "CERT4"), ("MC4", "CERT4")])
    lay = layout(cat)
    assert_sound(lay)
    e = lay.edge("MC5", "CERT4")
    assert e.backward
    assert e.points[0][0] == lay.boxes["MC5"][0]  # leaves MC5's left side
    x, _y, w, _h = lay.boxes["CERT4"]
    assert e.points[-1][0] == x + w  # enters the certificate's right side


def test_keys_keep_the_columns_of_the_whole() -> None:
    cat = catalog([cred("A", None, "course"), cred("B", None, "course"),
                   cred("C", None, "course")], [("A", "B"), ("B", "C")], framework="generic")
    mode, keys = column_keys(cat)
    assert (mode, keys) == ("generation", {"A": 0, "B": 1, "C": 2})
    part = layout(cat, ["B", "C"], columns=mode, keys=keys)
    assert [c.label for c in part.columns] == ["Step 2", "Step 3"]
    assert layout(cat, ["B", "C"]).columns[0].label == "Step 1"  # on its own: restarts
    assert rank_count(cat, ["B", "C"], keys=keys) == 2


# -- sizes, determinism, errors ----------------------------------------------------------


def test_box_sizes_and_spacing_are_respected(worked_example_path: Path) -> None:
    cat = read_catalog(worked_example_path)
    sizes = {"CERT-IT4": (150.0, 90.0), "MC-CLOUD": (80.0, 20.0), "MC-NETSEC": (100.0, 70.0)}
    lay = layout(cat, sizes=sizes, box_width=90, box_height=40, column_gap=33, row_gap=9)
    assert_sound(lay)
    assert {c: lay.boxes[c][2:] for c in sizes} == sizes
    assert lay.boxes["DIP-IT5"][2:] == (90, 40)
    a, b = lay.boxes["MC-CLOUD"], lay.boxes["MC-NETSEC"]  # same rank, 9 apart at least
    assert min(abs(a[1] - (b[1] + b[3])), abs(b[1] - (a[1] + a[3]))) >= 9 - 1e-6
    # Ranks are as wide as their widest box, 33 apart.
    assert lay.boxes["DIP-IT5"][0] == pytest.approx(100 + 33 + 150 + 33 + 90 + 33)


def test_same_input_same_layout(worked_example_path: Path) -> None:
    cat = read_catalog(worked_example_path)
    shuffled = replace(cat, credentials=list(reversed(cat.credentials)),
                       stacking=list(reversed(cat.stacking)))
    assert layout(cat) == layout(cat) == layout(shuffled)
    assert layout(to_graph(cat)) == layout(cat)


def test_components_are_stacked_largest_first() -> None:
    cat = catalog([cred("A", 4), cred("B", 5, "qualification"), cred("C", 4),
                   cred("D", 5, "qualification"), cred("E", 4), cred("F", 4)],
                  [("A", "B"), ("C", "D"), ("E", "D")])
    lay = layout(cat)
    assert_sound(lay)
    assert lay.components == (("C", "D", "E"), ("A", "B"), ("F",))
    # The lone F sits in level 4 below A, which shares its column.
    assert lay.boxes["F"][1] < lay.boxes["A"][1]


def test_unknown_id() -> None:
    cat = catalog([cred("A")], [])
    with pytest.raises(PathwaysError) as err:
        layout(cat, ["A", "NOPE"])
    assert str(err.value) == f"unknown credential 'NOPE'; {FIND_IDS}"


def test_cycle_named() -> None:
    cat = catalog([cred("A"), cred("B")], [("A", "B"), ("B", "A")])
    with pytest.raises(PathwaysError) as err:
        layout(cat)
    assert str(err.value) == "cannot lay out a cycle: A -> B -> A (remove one of these edges)"


def test_missing_level_for_level_columns() -> None:
    cat = catalog([cred("A"), cred("B", None)], [("A", "B")], framework="generic")
    assert layout(cat).mode == "generation"
    with pytest.raises(PathwaysError) as err:
        layout(cat, columns="level")
    assert str(err.value) == "credential 'B' has no level: cannot put it in a column by level"


def test_empty_scope() -> None:
    lay = layout(catalog([cred("A")], []), [])
    assert (lay.boxes, lay.edges, lay.crossings, lay.width, lay.height) == ({}, (), 0, 0, 0)


# -- properties --------------------------------------------------------------------------


@st.composite
def small_catalogs(draw: st.DrawFn) -> Catalog:
    n = draw(st.integers(1, 12))
    levels = [draw(st.integers(2, 6)) for _ in range(n)]
    ids = [f"C{i:02d}" for i in range(n)]
    pairs = [(a, b) for a, b in itertools.combinations(range(n), 2)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=18)) if pairs else []
    creds = [cred(ids[i], levels[i]) for i in range(n)]
    return catalog(creds, [(ids[a], ids[b]) for a, b in chosen])  # i < j: acyclic


@settings(max_examples=examples(150), deadline=None)
@given(small_catalogs())
def test_any_catalog_lays_out_soundly(cat: Catalog) -> None:
    lay = layout(cat)
    assert_sound(lay)
    for c in cat:  # every box in its level's column
        assert lay.columns[lay.column[c.id]].key == c.level
    assert lay == layout(cat)


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=25), st.randoms(use_true_random=False))
def test_in_forests_never_cross(parents: list[int], rnd: random.Random) -> None:
    # Node i stacks into one node of a higher level (or none): an in-forest, which can
    # always be drawn without a crossing.
    n = len(parents)
    level = [2 + rnd.randrange(6) for _ in range(n)]
    edges = []
    for i, p in enumerate(parents):
        higher = [j for j in range(n) if level[j] > level[i]]
        if higher and p % 3:
            edges.append((f"N{i:02d}", f"N{higher[p % len(higher)]:02d}"))
    lay = layout(catalog([cred(f"N{i:02d}", level[i]) for i in range(n)], edges))
    assert_sound(lay)
    assert lay.crossings == 0
