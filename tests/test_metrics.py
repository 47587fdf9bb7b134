"""Structural metrics: CurricularAnalytics definitions, computed by dynamic programming."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog, Credential, Stacking
from pathways.errors import CatalogError
from pathways.metrics import compute_metrics

CURRICULA = [
    "Colostate_CSDegree",
    "Colostate_CSDegree_2017",
    "Colostate_CSDegree_2017_w_MATH",
    "U_of_Colorado_Boulder_CS",
]


def course(cid: str, pre: tuple[str, ...] = (), co: tuple[str, ...] = (),
           strict: tuple[str, ...] = ()) -> Credential:
    return Credential(id=cid, title=cid, kind="course", credits=3,
                      requires=tuple((p,) for p in pre), corequisites=co,
                      strict_corequisites=strict)


def curriculum(courses: list[Credential], system_type: str = "semester") -> Catalog:
    return Catalog(credentials=courses, framework="generic", system_type=system_type)


def columns(catalog_metrics: object, ids: list[str], name: str) -> list[object]:
    return [getattr(catalog_metrics[i], name) for i in ids]  # type: ignore[index]


# -- brute force: enumerate every source-to-sink path exactly as CurricularAnalytics.jl does --


def all_paths(g: nx.DiGraph) -> list[list[str]]:
    """Paths from an in-degree-0 vertex to an out-degree-0 vertex with in-degree > 0."""
    paths: list[list[str]] = []

    def extend(path: list[str]) -> None:
        last = path[-1]
        if g.out_degree(last) == 0:
            paths.append(path)
            return
        for w in g.successors(last):
            extend([*path, w])

    for s in g.nodes:
        if g.in_degree(s) == 0 and g.out_degree(s) > 0:
            extend([s])
    return paths


def brute_force(g: nx.DiGraph) -> dict[str, tuple[int, int, int]]:
    paths = all_paths(g)
    out = {}
    for v in g.nodes:
        blocking = len(nx.descendants(g, v))
        delay = max([len(p) for p in paths if v in p], default=1)
        centrality = sum(len(p) for p in paths if v in p and p[0] != v and p[-1] != v)
        out[v] = (blocking, delay, centrality)
    return out


# -- textbook examples ---------------------------------------------------------------------


def test_underwater_basket_weaving() -> None:
    """CurricularAnalytics.jl test suite, the 8-course curriculum (a co-requisite D -> C).

    Values as in its current tests (early versions expected centrality 3 for C, a bug
    they later fixed: A, B and D each start a 3-course path through C to E).
    """
    cat = curriculum([
        course("A"), course("B"), course("C", pre=("A", "B"), co=("D",)), course("D"),
        course("E", pre=("C",)), course("F", pre=("D",)), course("G"), course("H"),
    ])
    m = compute_metrics(cat)
    ids = list("ABCDEFGH")
    assert columns(m, ids, "delay") == [3, 3, 3, 3, 3, 2, 1, 1]
    assert columns(m, ids, "blocking") == [2, 2, 1, 3, 0, 0, 0, 0]
    assert columns(m, ids, "centrality") == [0, 0, 9, 0, 0, 0, 0, 0]
    assert columns(m, ids, "complexity") == [5, 5, 4, 6, 3, 2, 1, 1]
    assert m.total.to_dict() == {"blocking": 8, "delay": 19, "centrality": 9, "complexity": 27}


def test_postmodern_basket_weaving() -> None:
    """CurricularAnalytics.jl test suite, the 7-course curriculum mixing pre- and co-requisites.

    Current values (early versions had C's delay 4; A -> C -> D -> G -> F has 5 courses).
    """
    cat = curriculum([
        course("A"), course("B", co=("A",)), course("C", pre=("A",)),
        course("D", pre=("B",), co=("C",)), course("E", pre=("C",)),
        course("F", pre=("D", "G")), course("G", co=("D",)),
    ])
    m = compute_metrics(cat)
    ids = list("ABCDEFG")
    assert columns(m, ids, "delay") == [5, 5, 5, 5, 3, 5, 5]
    assert columns(m, ids, "blocking") == [6, 3, 4, 2, 0, 0, 1]
    assert columns(m, ids, "centrality") == [0, 9, 12, 18, 0, 0, 10]
    assert columns(m, ids, "complexity") == [11, 8, 9, 7, 3, 5, 6]
    assert m.total.to_dict() == {"blocking": 16, "delay": 33, "centrality": 49,
                                 "complexity": 49}


def test_delay_with_two_longest_paths() -> None:
    """CurricularAnalytics.jl: a diamond A -> B, C -> D; every course has delay 3."""
    m = compute_metrics(curriculum([course("A"), course("B", pre=("A",)),
                                    course("C", pre=("A",)), course("D", pre=("B", "C"))]))
    assert columns(m, list("ABCD"), "delay") == [3, 3, 3, 3]
    assert m.total.delay == 12
    assert columns(m, list("ABCD"), "centrality") == [0, 3, 3, 0]


def test_quarter_system_scales_complexity_by_two_thirds() -> None:
    cat = curriculum([
        course("A"), course("B", co=("A",)), course("C", pre=("A",)),
        course("D", pre=("B",), co=("C",)), course("E", pre=("C",)),
        course("F", pre=("D", "G")), course("G", co=("D",)),
    ], system_type="quarter")
    m = compute_metrics(cat)
    # 11, 8, 9, 7, 3, 5, 6 times 2/3, rounded to one decimal
    assert columns(m, list("ABCDEFG"), "complexity") == [7.3, 5.3, 6.0, 4.7, 2.0, 3.3, 4.0]
    assert m.total.complexity == 32.6
    assert m.total.blocking == 16  # the other metrics are not scaled
    assert compute_metrics(cat, quarter=False).total.complexity == 49


def test_stacking_edges_count_like_requisites() -> None:
    cat = Catalog(
        credentials=[
            Credential(id="MC-A", title="a", kind="micro-credential", credits=10, level=4),
            Credential(id="CERT", title="c", kind="qualification", credits=60, level=4),
            Credential(id="DIP", title="d", kind="qualification", credits=120, level=5,
                       requires=(("CERT",),)),
        ],
        stacking=[Stacking("MC-A", "CERT", 10), Stacking("CERT", "DIP", 45)],
    )
    m = compute_metrics(cat)
    assert m["MC-A"] == m["MC-A"].__class__(blocking=2, delay=3, centrality=0, complexity=5)
    assert m["CERT"].centrality == 3  # one path MC-A -> CERT -> DIP (stacking and requirement)
    assert m["DIP"].blocking == 0


# -- edge cases ----------------------------------------------------------------------------


def test_empty() -> None:
    m = compute_metrics(Catalog())
    assert m.to_dict() == {"credentials": {}, "total": {"blocking": 0, "delay": 0,
                                                       "centrality": 0, "complexity": 0}}


def test_isolated_course_has_delay_one() -> None:
    m = compute_metrics(curriculum([course("X")]))
    assert m.to_dict()["credentials"] == {
        "X": {"blocking": 0, "delay": 1, "centrality": 0, "complexity": 1}}


def test_to_dict_sorts_ids_and_is_json() -> None:
    m = compute_metrics(curriculum([course("b"), course("a", pre=("b",))]))
    d = m.to_dict()
    assert list(d["credentials"]) == ["a", "b"]
    assert json.loads(json.dumps(d)) == d


def test_cycle_names_members() -> None:
    cat = curriculum([course("B", pre=("C",)), course("A", pre=("B",)),
                      course("C", pre=("A",)), course("D")])
    cat.source = "loop.csv"
    with pytest.raises(CatalogError) as err:
        compute_metrics(cat)
    assert str(err.value) == (
        "loop.csv: cycle A -> C -> B -> A: metrics need an acyclic graph; "
        "remove one of these edges")


def test_centrality_is_exact_for_astronomically_many_paths() -> None:
    """A ladder of 200 diamonds has 2**200 source-to-sink paths, each of 401 nodes."""
    g = nx.DiGraph()
    for i in range(200):
        a, b = f"n{i:03}", f"n{i + 1:03}"
        g.add_edge(a, f"l{i:03}")
        g.add_edge(a, f"r{i:03}")
        g.add_edge(f"l{i:03}", b)
        g.add_edge(f"r{i:03}", b)
    m = compute_metrics(g)
    assert m["n100"].centrality == 2**200 * 401
    assert m["l050"].centrality == 2**199 * 401
    assert m["n000"].centrality == 0 and m["n200"].centrality == 0
    assert m["n000"].delay == 401
    assert m["n000"].blocking == 600


def test_progress_callback() -> None:
    calls: list[tuple[str, int, int]] = []
    compute_metrics(curriculum([course(f"c{i}") for i in range(250)]),
                    progress=lambda label, done, total: calls.append((label, done, total)))
    assert calls[-1] == ("metrics", 250, 250)
    assert all(label == "metrics" and total == 250 for label, _d, total in calls)


@st.composite
def dags(draw: st.DrawFn) -> nx.DiGraph:
    n = draw(st.integers(1, 9))
    g = nx.DiGraph()
    g.add_nodes_from(f"v{i}" for i in range(n))
    for j in range(n):
        for i in range(j):
            if draw(st.booleans()):
                g.add_edge(f"v{i}", f"v{j}")
    return g


@settings(max_examples=examples(150), deadline=None)
@given(dags())
def test_matches_path_enumeration(g: nx.DiGraph) -> None:
    m = compute_metrics(g)
    expected = brute_force(g)
    for v, (blocking, delay, centrality) in expected.items():
        assert (m[v].blocking, m[v].delay, m[v].centrality) == (blocking, delay, centrality), v
        assert m[v].complexity == blocking + delay
    assert m.total.centrality == sum(c for _b, _d, c in expected.values())


# -- the published values of curricularanalytics.org ---------------------------------------


def published_metrics(path: Path) -> dict[str, tuple[float, int, int, int]]:
    """Course ID -> (Complexity, Blocking, Delay, Centrality) from a *_w_metrics.csv file."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Course ID")
    header = rows[start]
    col = {name: header.index(name) for name in
           ("Course ID", "Complexity", "Blocking", "Delay", "Centrality")}
    out = {}
    for row in rows[start + 1:]:
        if not row or not row[0].strip():
            continue
        if not row[0].strip().isdigit():  # a later section (Additional Courses, ...)
            break
        out[row[col["Course ID"]]] = (
            float(row[col["Complexity"]]), int(row[col["Blocking"]]),
            int(float(row[col["Delay"]])), int(row[col["Centrality"]]),
        )
    return out


@pytest.mark.parametrize("name", CURRICULA)
def test_real_curricula_match_published_metrics(curricula_dir: Path, name: str) -> None:
    from pathways.formats import read_catalog

    catalog = read_catalog(curricula_dir / "plans" / f"{name}.csv")
    expected = published_metrics(curricula_dir / "correct" / f"{name}_w_metrics.csv")
    m = compute_metrics(catalog)
    assert len(expected) > 30
    assert sorted(m.credentials) == sorted(expected)
    got = {cid: (float(x.complexity), x.blocking, x.delay, x.centrality)
           for cid, x in m.credentials.items()}
    assert got == expected
    assert m.total.centrality == sum(e[3] for e in expected.values())


# -- the command line ----------------------------------------------------------------------


def test_cli_metrics_json(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    path = tmp_path / "chain.json"
    path.write_text(json.dumps({
        "format": "pathways-catalog", "version": 1, "framework": "generic",
        "credentials": [
            {"id": "A", "title": "a", "kind": "course", "credits": 3},
            {"id": "B", "title": "b", "kind": "course", "credits": 3, "requires": [["A"]]},
            {"id": "C", "title": "c", "kind": "course", "credits": 3, "requires": [["B"]]},
        ],
    }))
    result = CliRunner().invoke(cli, ["metrics", "--catalog", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "credentials": {
            "A": {"blocking": 2, "delay": 3, "centrality": 0, "complexity": 5},
            "B": {"blocking": 1, "delay": 3, "centrality": 3, "complexity": 4},
            "C": {"blocking": 0, "delay": 3, "centrality": 0, "complexity": 3},
        },
        "total": {"blocking": 3, "delay": 9, "centrality": 3, "complexity": 12},
    }
    table = CliRunner().invoke(cli, ["metrics", "--catalog", str(path), "--sort", "centrality"])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split() == ["id", "title", "complexity", "blocking", "delay", "centrality"]
    assert lines[2].split() == ["B", "b", "4", "1", "3", "3"]
    assert lines[-1].split() == ["TOTAL", "3", "credentials", "12", "3", "9", "3"]


def test_cli_metrics_on_a_curriculum(curricula_dir: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    path = curricula_dir / "plans" / "Colostate_CSDegree.csv"
    result = CliRunner().invoke(cli, ["metrics", "--catalog", str(path), "--json"])
    assert result.exit_code == 0, result.output
    expected = published_metrics(curricula_dir / "correct" / "Colostate_CSDegree_w_metrics.csv")
    assert json.loads(result.output)["total"] == {
        "blocking": sum(e[1] for e in expected.values()),
        "delay": sum(e[2] for e in expected.values()),
        "centrality": sum(e[3] for e in expected.values()),
        "complexity": int(sum(e[0] for e in expected.values())),
    }
