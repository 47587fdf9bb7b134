"""The closed word lists live once, in pathways.vocabulary; other modules use those."""

from __future__ import annotations

from pathways import catalog, vocabulary
from pathways.formats import json_format


def test_lists_are_tuples_without_repeats() -> None:
    for name in vocabulary.__all__:
        value = getattr(vocabulary, name)
        if isinstance(value, tuple):
            assert value, name
            assert len(set(value)) == len(value), name


def test_catalog_and_readers_use_the_vocabulary() -> None:
    assert catalog.KINDS is vocabulary.KINDS
    assert catalog.QUALIFICATION_TYPES is vocabulary.QUALIFICATION_TYPES
    assert catalog.DELIVERY_MODES is vocabulary.DELIVERY_MODES
    assert catalog.STATUSES is vocabulary.STATUSES
    assert catalog.FRAMEWORKS is vocabulary.FRAMEWORKS
    assert json_format.ENUM_KEYS["kind"] == vocabulary.KINDS
    assert json_format.LIST_KEYS["delivery"] == vocabulary.DELIVERY_MODES


def test_objectives_and_edges() -> None:
    from pathways.routes import OBJECTIVES

    assert OBJECTIVES == vocabulary.OBJECTIVES == ("fee", "hours", "credits")
    assert set(vocabulary.OBJECTIVE_UNITS) == set(vocabulary.OBJECTIVES)
    assert vocabulary.EDGE_KINDS[0] == "stacking"
    assert set(vocabulary.REQUISITE_KINDS) < set(vocabulary.EDGE_KINDS)


def test_other_modules_lists_agree_until_they_import_it() -> None:
    """Lists still written elsewhere must say the same (they switch to the vocabulary)."""
    from pathways import drawing, gaps, rules

    assert tuple(gaps.GAP_KINDS) == vocabulary.GAP_KINDS
    assert tuple(gaps.SEVERITIES) == vocabulary.SEVERITIES
    assert tuple(drawing.PAGE_SIZES_MM) == vocabulary.PAGE_SIZES
    assert dict(drawing.PAGE_SIZES_MM) == vocabulary.PAGE_SIZES_MM
    assert tuple(rules.FRAMEWORK_RULES) == vocabulary.FRAMEWORKS


def test_cli_choices_are_the_vocabulary() -> None:
    from pathways.cli import analysis, route

    assert tuple(route.OBJECTIVE_CHOICES) == vocabulary.OBJECTIVES
    assert tuple(analysis.GAP_KIND_CHOICES) == vocabulary.GAP_KINDS
    assert tuple(analysis.METRIC_COLUMNS) == vocabulary.METRIC_NAMES


def test_vocabulary_imports_nothing_heavy() -> None:
    import subprocess
    import sys

    code = ("import sys, pathways.vocabulary; "
            "print(sorted(m for m in sys.modules if m.startswith('pathways')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    # the package itself imports nothing on its own (its names are imported on first use)
    assert out.strip() == "['pathways', 'pathways.vocabulary']"
