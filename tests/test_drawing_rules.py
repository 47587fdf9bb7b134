"""Issue 15 item 6: maps show programme rules — a rule's sources drawn together in a
frame under its label, a composed credential drawn as made of its parts."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from pathways.catalog import Catalog
from pathways.cli import cli
from pathways.drawing.groups import Group, frames, gather, laminar
from pathways.drawing.layered import layout
from pathways.drawing.maps import MapStyle, _prepare
from pathways.drawing.programme import rule_label, rule_phrases
from pathways.drawing.quality import map_quality
from pathways.drawing.scope import select
from pathways.formats.json_format import parse_json
from pathways.source import open_catalog

DEMO = Path(__file__).resolve().parent.parent / "graphs" / "demo.json"


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return open_catalog(str(DEMO))


def test_only_nested_or_separate_groups_are_framed() -> None:
    groups = [Group("a", ("1", "2", "3")), Group("b", ("2", "3")), Group("c", ("3", "4")),
              Group("d", ("5",)), Group("e", ("9",))]
    kept = laminar(groups, within=["1", "2", "3", "4", "5"])
    # c half overlaps a (3 in both, 4 not in a); e has nothing on the map
    assert [g.key for g in kept] == ["a", "b", "d"]


def test_gathering_keeps_nested_groups_together() -> None:
    layers = [[0, 5, 1, 6, 2, 7, 3]]
    gather(layers, [(1, 2, 3), (2, 3), (5, 7)])
    order = layers[0]
    for members in ((1, 2, 3), (2, 3), (5, 7)):
        at = sorted(order.index(n) for n in members)
        assert at == list(range(at[0], at[0] + len(members))), (members, order)
    assert sorted(order) == [0, 1, 2, 3, 5, 6, 7]


def test_a_frame_holds_its_boxes_and_the_frames_inside_it() -> None:
    boxes = {"A": (0.0, 100.0, 50.0, 20.0), "B": (0.0, 60.0, 50.0, 20.0)}
    got = dict(frames([Group("out", ("A", "B"), 10.0, 4.0), Group("in", ("B",), 8.0, 4.0)],
                      boxes))
    assert got["in"] == (-4.0, 56.0, 58.0, 36.0)  # B, 4 round it, 8 for its label on top
    assert got["out"] == (-8.0, 52.0, 66.0, 82.0)  # A and the inner frame, 4 more, 10 on top


def _fan(n: int = 6) -> nx.DiGraph:
    g = nx.DiGraph()
    for i in range(1, n + 1):
        g.add_node(f"S{i}", level=5)
        g.add_edge(f"S{i}", "T", stacking=15, requisite=None)
    g.nodes["T"]["level"] = 6
    return g


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1]
            and inner[0] + inner[2] <= outer[0] + outer[2]
            and inner[1] + inner[3] <= outer[1] + outer[3])


def _apart(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return (a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0]
            or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1])


def test_a_layout_draws_its_groups_together_in_frames_clear_of_other_boxes() -> None:
    groups = [Group("pool", ("S1", "S4", "S6"), 12.0, 4.0), Group("pair", ("S4", "S6"), 12.0, 4.0),
              Group("two", ("S2", "S5"), 12.0, 4.0)]
    lay = layout(_fan(), groups=groups)
    got = dict(lay.frames)
    assert sorted(got) == ["pair", "pool", "two"]
    rank = next(o for o in lay.order if "S1" in o)
    for g in groups:
        at = sorted(rank.index(i) for i in g.ids)
        assert at == list(range(at[0], at[0] + len(at)))  # one under another
        for cid, box in lay.boxes.items():
            if cid in g.ids:
                assert _inside(box, got[g.key])
            else:
                assert _apart(box, got[g.key]), (cid, g.key)
    assert _inside(got["pair"], got["pool"]) and _apart(got["pool"], got["two"])
    # the label's room is kept above what a frame holds: 12 for it and 4 of margin
    def top(r: tuple[float, ...]) -> float:
        return r[1] + r[3]

    assert top(got["pair"]) == max(top(lay.boxes["S4"]), top(lay.boxes["S6"])) + 16
    assert top(got["pool"]) == max(top(lay.boxes["S1"]), top(got["pair"])) + 16
    # a group across two ranks is not framed
    assert layout(_fan(), groups=[Group("x", ("S1", "T"))]).frames == ()


def test_the_composed_programme_map_frames_its_rules(demo: Catalog) -> None:
    s = select(demo, to="GDIP-DS7")
    plan = _prepare(demo, s.ids, page="A4", landscape=None, show_fee=False, title=s.title,
                    subtitle=None, highlight=None, look=MapStyle())
    assert len(plan.pages) == 1 and len(plan.pages[0].strips) == 1
    strip = plan.pages[0].strips[0][0]
    labels = {strip.labels[k] for k, _box in strip.layout.frames}
    assert labels == {"foundation: choose 2 of 3", "advanced: 30 credits from these 5",
                      "not both"}
    # framed rules are not repeated in the box, which says what it is made of
    assert " ".join(strip.texts["GDIP-DS7"].rules) == "made of 12 parts, no study of its own"
    # a lone core source: marked in its box, not framed
    assert strip.texts["DATA790"].header == "DATA790 · core of GDIP-DS7"
    assert strip.composed == frozenset({"GDIP-DS7"})
    assert [i.kind for i in plan.legend if i.kind in ("part", "stacking")] == ["part"]
    q = map_quality(demo, s.ids, title=s.title)
    assert (q.hidden_heads, q.near_misses, q.label_overlaps, q.frame_clashes) == (0, 0, 0, 0)
    assert q.pages == 1 and q.smallest_type >= 7.0


def test_a_rule_over_two_columns_stays_in_the_box(tmp_path: Path) -> None:
    papers = [{"id": p, "title": f"Paper {p}", "kind": "course", "level": lv, "credits": 15}
              for p, lv in (("P1", 6), ("P2", 7), ("P3", 7))]
    cat = parse_json(json.dumps({
        "format": "pathways-catalog", "version": 1, "framework": "nzqf",
        "credentials": [{"id": "B", "title": "B", "kind": "qualification", "level": 7,
                         "credits": 30, "direct_study": False,
                         "rules": [{"min": 1, "of": ["P1", "P2"]},
                                   {"max": 1, "of": ["P2", "P3"]}]}, *papers],
        "stacking": [{"from": p["id"], "to": "B", "credits": 15} for p in papers]}),
        source="b.json")
    plan = _prepare(cat, None, page="A4", landscape=None, show_fee=False, title=None,
                    subtitle=None, highlight=None, look=MapStyle())
    strip = plan.pages[0].strips[0][0]
    assert [strip.labels[k] for k, _b in strip.layout.frames] == ["not both"]
    assert " ".join(strip.texts["B"].rules) == ("made of 3 parts, no study of its own · "
                                                "choose 1 of 2")
    out = tmp_path / "b.svg"
    result = CliRunner().invoke(cli, ["draw", "--catalog", str(DEMO), "--to", "GDIP-DS7",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "foundation: choose 2 of 3" in svg and "made of 12 parts" in svg
    # each frame is one SVG group, named by its credential and rule, with a title
    assert '<g id="rule-GDIP-DS7-0">' in svg
    assert "<title>rule of GDIP-DS7: foundation: choose 2 of 3</title>" in svg


def test_rule_labels_and_box_phrases(demo: Catalog) -> None:
    gdip = demo.index()["GDIP-DS7"]
    assert [rule_label(r, len(r.ids)) for r in gdip.rules] == [
        "foundation: choose 2 of 3", "advanced: 30 credits from these 5", "not both"]
    assert rule_label(gdip.rules[0], 2) == "foundation: choose 2 of 3 (2 shown)"
    assert rule_phrases(gdip, 12, frozenset({"GDIP-DS7|0"})) == [
        "made of 12 parts, no study of its own", "30 cr from advanced (5)",
        "not both DATA711, MC-ML7"]


def test_an_edge_passing_a_frame_keeps_clear_of_it() -> None:
    g = _fan(4)
    for i in range(1, 5):  # a level-4 source of each paper and of the target: long edges
        g.add_node(f"A{i}", level=4)
        g.add_edge(f"A{i}", "T", stacking=10, requisite=None)
        g.add_edge(f"A{i}", f"S{i}", stacking=10, requisite=None)
    lay = layout(g, groups=[Group("pool", ("S2", "S3"), 12.0, 4.0)], edge_gap=7.0)
    x, y, w, h = dict(lay.frames)["pool"]
    passing = [(px, py) for e in lay.edges if e.source.startswith("A") and e.target == "T"
               for px, py in e.points if x <= px <= x + w]
    assert passing  # the long edges run through the papers' rank
    assert all(py >= y + h + 7.0 - 1e-6 or py <= y - 7.0 + 1e-6 for _px, py in passing)
