"""The synthetic catalog generator: deterministic, realistic in shape, valid and acyclic."""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog, find_cycle, to_graph
from pathways.synthetic import FIELDS, PROVIDER_KINDS, generate_catalog

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)
NZQF_TYPES = {  # type: (levels, minimum credits), nzqa.govt.nz type pages
    "certificate": (range(1, 7), 40), "diploma": (range(5, 8), 120), "bachelor": ((7,), 360),
    "graduate-certificate": ((7,), 60), "graduate-diploma": ((7,), 120),
    "postgraduate-certificate": ((8,), 60), "postgraduate-diploma": ((8,), 120),
    "masters": ((9,), 120),
}


@pytest.fixture(scope="module")
def big() -> Catalog:
    return generate_catalog(5000, seed=7)


def _errors(catalog: Catalog) -> list[str]:
    rules = pytest.importorskip("pathways.rules")
    return [str(p) for p in rules.validate(catalog, today=TODAY) if p.severity == "error"]


# -- determinism ---------------------------------------------------------------------------

def test_same_seed_same_catalog() -> None:
    assert generate_catalog(600, seed=3) == generate_catalog(600, seed=3)


def test_other_seed_other_catalog() -> None:
    assert generate_catalog(600, seed=3) != generate_catalog(600, seed=4)


def test_same_catalog_in_another_process_with_other_hash_seed() -> None:
    code = ("from pathways.synthetic import generate_catalog; "
            "from pathways.formats import dump_catalog; "
            "print(dump_catalog(generate_catalog(300, seed=5), 'json'), end='')")
    texts = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"PYTHONHASHSEED": h, "PATH": ""}).stdout
             for h in ("1", "2")]
    assert texts[0] == texts[1]
    formats = pytest.importorskip("pathways.formats")
    assert texts[0] == formats.dump_catalog(generate_catalog(300, seed=5), "json")


# -- counts and shape -------------------------------------------------------------------------

def test_counts_and_mix(big: Catalog) -> None:
    kinds = Counter(c.kind for c in big)
    assert len(big) == 5000
    assert kinds == {"micro-credential": 2750, "course": 1250, "qualification": 1000}
    assert len({c.id for c in big}) == 5000
    assert 30 <= len(big.providers) <= 40
    assert {p.id.rsplit("-", 1)[0] for p in big.providers} == set(PROVIDER_KINDS)
    assert {c.field for c in big} == {f[0] for f in FIELDS}
    assert {c.level for c in big} == set(range(2, 10))


def test_edges_about_edges_per_credential(big: Catalog) -> None:
    alternatives = sum(len(clause) for c in big for clause in c.requires)
    assert len(big.stacking) + alternatives == pytest.approx(3.0 * 5000, rel=0.02)
    assert 0.03 < alternatives / (len(big.stacking) + alternatives) < 0.15
    sparse = generate_catalog(2000, seed=1, edges_per_credential=1.5)
    total = len(sparse.stacking) + sum(len(cl) for c in sparse for cl in c.requires)
    assert total == pytest.approx(1.5 * 2000, rel=0.05)


def test_sorted_by_id(big: Catalog) -> None:
    assert [c.id for c in big] == sorted(c.id for c in big)
    assert big.stacking == sorted(big.stacking)
    assert [p.id for p in big.providers] == sorted(p.id for p in big.providers)


def test_sizes_levels_and_types_in_range(big: Catalog) -> None:
    for c in big:
        if c.kind == "micro-credential":
            assert 1 <= c.credits <= 40
        elif c.kind == "qualification":
            levels, least = NZQF_TYPES[c.type or ""]
            assert c.level in levels and c.credits >= least, c.id
            if c.type == "certificate":
                assert 40 <= c.credits <= 120 and 2 <= (c.level or 0) <= 6
            if c.type in ("diploma", "graduate-diploma", "postgraduate-diploma"):
                assert c.credits == 120
            if c.type == "bachelor":
                assert c.credits == 360
    types = Counter(c.type for c in big if c.kind == "qualification")
    assert set(types) == set(NZQF_TYPES)


def test_micro_credentials_of_the_2018_rules_have_five_credits_or_more() -> None:
    catalog = generate_catalog(1000, seed=2, framework="nzqf-2018")
    assert catalog.framework == "nzqf-2018"
    assert min(c.credits for c in catalog if c.kind == "micro-credential") == 5


def test_stacking_credits_and_levels(big: Catalog) -> None:
    index = big.index()
    for e in big.stacking:
        source, target = index[e.source], index[e.target]
        assert 1 <= e.credits <= source.credits
        assert target.kind == "qualification"
        assert (source.level or 0) <= (target.level or 0) <= (source.level or 0) + 3


def test_fees_hours_status_and_reviews(big: Catalog) -> None:
    for c in big:
        per_credit = c.effective_fee / c.credits
        if c.kind == "micro-credential":
            assert 30 <= per_credit <= 64, c.id  # TEC fee cap
        elif c.kind == "qualification" and c.fee:
            assert 49 <= per_credit <= 91, c.id
        assert "2025-01-01" <= (c.review_due or "") <= "2029-12-31"
    free = [c for c in big if c.kind == "qualification" and c.fee == 0]
    assert free and all(c.level == 2 for c in free)
    statuses = Counter(c.effective_status for c in big)
    assert statuses["current"] > 0.9 * len(big)
    assert statuses["expiring"] > 0 and statuses["discontinued"] > 0
    assert not any(c.effective_status == "discontinued" for c in big if c.kind == "qualification")
    assert any(c.hours is not None for c in big)
    assert all(c.skills and c.delivery for c in big)


def test_caps_profiles_core_and_requirements(big: Catalog) -> None:
    sources: dict[str, set[str]] = {}
    for e in big.stacking:
        sources.setdefault(e.target, set()).add(e.source)
    quals = [c for c in big if c.kind == "qualification"]
    credits = {(e.source, e.target): e.credits for e in big.stacking}
    for c in quals:
        assert set(c.core) <= sources.get(c.id, set()), c.id
        assert sum(credits[a, c.id] for a in c.core) <= c.effective_max_recognised, c.id
        if c.max_recognised is not None:
            assert 0 < c.max_recognised < c.credits
        for level, minimum in c.level_profile:
            assert level <= (c.level or 0) and minimum <= c.credits
        if c.type in ("diploma", "bachelor", "masters"):
            assert c.level_profile, c.id
    assert sum(c.max_recognised is not None for c in quals) > 0.6 * len(quals)
    assert sum(bool(c.core) for c in quals) > 0.05 * len(quals)
    assert any(len(clause) > 1 for c in quals for clause in c.requires)  # OR entry
    assert any(c.requires for c in big if c.kind == "course")  # course prerequisites


# -- graph structure ------------------------------------------------------------------------

def test_acyclic(big: Catalog) -> None:
    assert find_cycle(to_graph(big)) is None


def test_fan_in_typical_with_hubs(big: Catalog) -> None:
    fan_in = Counter(e.target for e in big.stacking)
    counts = [fan_in[c.id] for c in big if c.kind == "qualification"]
    assert 3 <= statistics.median(counts) <= 15
    assert max(counts) >= 4 * statistics.median(counts)


def test_ladders_mostly_within_provider(big: Catalog) -> None:
    provider = {c.id: c.provider for c in big}
    field = {c.id: c.field for c in big}
    cross = sum(provider[e.source] != provider[e.target] for e in big.stacking)
    assert 0.1 < cross / len(big.stacking) < 0.45
    same_field = sum(field[e.source] == field[e.target] for e in big.stacking)
    assert same_field / len(big.stacking) > 0.9


def test_upstream_of_qualifications_is_tens_not_thousands(big: Catalog) -> None:
    graph = to_graph(big)
    sizes = [len(nx.ancestors(graph, c.id)) for c in big if c.kind == "qualification"]
    assert statistics.median(sizes) <= 60
    assert max(sizes) <= 500


def test_few_dead_ends(big: Catalog) -> None:
    out = {e.source for e in big.stacking}
    micros = [c.id for c in big if c.kind == "micro-credential"]
    dead = sum(m not in out for m in micros)
    assert 0 < dead < 0.05 * len(micros)


# -- validity --------------------------------------------------------------------------------

def test_validates_without_errors(big: Catalog) -> None:
    assert _errors(big) == []


@settings(max_examples=examples(25), deadline=None)
@given(n=st.integers(0, 250), seed=st.integers(0, 10**6),
       epc=st.floats(0, 6), framework=st.sampled_from(["nzqf", "nzqf-2018", "generic"]))
def test_any_small_catalog_is_valid_and_acyclic(n: int, seed: int, epc: float,
                                                framework: str) -> None:
    catalog = generate_catalog(n, seed=seed, edges_per_credential=epc, framework=framework)
    assert len(catalog) == n
    assert find_cycle(to_graph(catalog)) is None
    assert _errors(catalog) == []
    assert {c.provider for c in catalog} <= {p.id for p in catalog.providers}


def test_empty_catalog() -> None:
    catalog = generate_catalog(0)
    assert len(catalog) == 0 and catalog.stacking == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_credentials": -1}, "n_credentials must be 0 or more (got -1)"),
    ({"n_credentials": 10, "edges_per_credential": -0.5},
     "edges_per_credential must be a finite number of 0 or more (got -0.5)"),
    ({"n_credentials": 10, "edges_per_credential": math.nan},
     "edges_per_credential must be a finite number of 0 or more (got nan)"),
    ({"n_credentials": 10, "framework": "aqf"},
     "unknown framework 'aqf'; use one of nzqf, nzqf-2018, generic"),
])
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as info:
        generate_catalog(**kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


# -- the script -----------------------------------------------------------------------------

def test_script_writes_a_catalog(tmp_path: Path) -> None:
    formats = pytest.importorskip("pathways.formats")
    out = tmp_path / "sub" / "synthetic.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_catalog.py"), "--credentials", "200",
         "--seed", "9", "-o", str(out)], capture_output=True, text=True, check=True)
    assert result.stdout.startswith(f"wrote {out}: 200 credentials (110 micro-credentials, "
                                    "50 courses, 40 qualifications), ")
    assert formats.read_catalog(out) == generate_catalog(200, seed=9)


def test_rules_add_composed_programmes_and_rules_and_still_validate() -> None:
    from pathways.rules import validate

    plain = generate_catalog(1500, seed=2)
    ruled = generate_catalog(1500, seed=2, rules=True)
    assert ruled == generate_catalog(1500, seed=2, rules=True)  # deterministic
    # The rest of the catalog is the one generated without rules.
    base = {c.id for c in plain}
    assert [c.id for c in ruled if c.id in base] == [c.id for c in plain]
    composed = [c for c in ruled if c.direct_study is False]
    assert composed and all(c.credits == 120 and c.level == 7 for c in composed)
    kinds = {r.kind for c in composed for r in c.rules}
    assert kinds == {"min", "min_credits", "max"}
    papers = [c for c in ruled if c.id.startswith("PAP-")]
    assert {p.credits for p in papers} == {15, 7.5}
    assert sum(1 for c in ruled if c.rules and c.direct_study is None) >= 10
    assert [p for p in validate(ruled) if p.severity == "error"] == []


@pytest.mark.parametrize("n, rules", [(0, False), (1, False), (250, True)])
def test_script_streams_the_bytes_export_writes(tmp_path: Path, n: int, rules: bool) -> None:
    """The script writes JSON item by item; the file is byte for byte what
    ``write_catalog`` (``pathways export``) writes for the same catalog."""
    from pathways.formats import write_catalog

    out = tmp_path / "streamed.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_catalog.py"),
                    "--credentials", str(n), "--seed", "3", "-o", str(out),
                    *(["--rules"] if rules else [])], capture_output=True, text=True,
                   check=True)
    whole = tmp_path / "whole.json"
    write_catalog(generate_catalog(n, seed=3, rules=rules), whole)
    assert out.read_bytes() == whole.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
