"""pathways.source: opening a catalog is one library call (issue 8 item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DEMO_CSV, DEMO_JSON

from pathways.errors import CatalogError
from pathways.source import (
    DEMO_CATALOG,
    CatalogSource,
    NoDatabaseError,
    SourceError,
    open_catalog,
    upstream_ids,
)


def test_the_demo_opens_from_json_and_csv_alike() -> None:
    assert DEMO_CATALOG == DEMO_JSON
    from_json, from_csv = open_catalog(str(DEMO_JSON)), open_catalog(str(DEMO_CSV))
    assert from_json.sorted() == from_csv.sorted()  # CSV keeps name, meta, providers too


def test_validate_false_returns_what_is_written(tmp_path: Path) -> None:
    bad = json.loads(DEMO_JSON.read_text(encoding="utf-8"))
    bad["stacking"].append({"from": bad["credentials"][0]["id"], "to": "NOWHERE",
                            "credits": 5})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CatalogError, match="NOWHERE"):
        open_catalog(str(path))
    assert len(open_catalog(str(path), validate=False)) == len(bad["credentials"])


def test_targets_keep_only_their_upstream_from_a_file_and_a_database(tmp_path: Path) -> None:
    from pathways import store

    whole = open_catalog(str(DEMO_JSON))
    part = open_catalog(str(DEMO_JSON), targets=["DIP-ITS5"])
    assert "DIP-ITS5" in {c.id for c in part}
    assert 1 < len(part) < len(whole)
    expected = upstream_ids(whole, ["DIP-ITS5"])
    assert {c.id for c in part} == expected
    for e in part.stacking:  # every edge into a kept credential from a kept one survives
        assert e.source in expected and e.target in expected
    db = tmp_path / "c.db"
    store.save_catalog(store.connect(str(db)), whole)
    from_db = open_catalog(db=str(db), targets=["DIP-ITS5"])
    assert sorted(c.id for c in from_db) == sorted(expected)
    assert open_catalog(str(DEMO_JSON), targets=["NOPE"]).credentials == []


def test_a_source_names_exactly_one_catalog() -> None:
    with pytest.raises(SourceError, match="give a catalog file .path. or a database .db., "
                                          "exactly one"):
        CatalogSource()
    with pytest.raises(SourceError):
        open_catalog(str(DEMO_JSON), db="x.db")


def test_reading_never_creates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(NoDatabaseError) as err:
        open_catalog(db=str(missing))
    assert str(err.value) == (f"{missing}: no such database; create it by saving a catalog "
                              "into it (pathways.store.save_catalog)")
    assert "--" not in str(err.value)  # the library speaks of its arguments, not options
    assert not missing.exists()


def test_find_filters_a_file_like_the_database(tmp_path: Path) -> None:
    from pathways import store

    db = tmp_path / "c.db"
    store.save_catalog(store.connect(str(db)), open_catalog(str(DEMO_JSON)))
    for filters in ({"kind": "qualification"}, {"min_level": 5, "max_credits": 120},
                    {"field": "information technology"}):
        from_file = [c.id for c in CatalogSource(path=str(DEMO_JSON)).find(**filters)]
        from_db = [c.id for c in CatalogSource(db=str(db)).find(**filters)]
        assert from_file == from_db
        assert from_file
