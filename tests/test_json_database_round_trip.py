"""JSON -> database -> JSON is the identity: the catalog comes back byte for byte."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from test_formats_json import catalogs

from pathways import store
from pathways.catalog import Catalog
from pathways.formats import dump_catalog, parse_catalog


@pytest.mark.slow
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_json_through_the_database_is_the_identity(catalog: Catalog) -> None:
    # The database keeps what its keys allow: ids once each, edges between listed credentials.
    creds = {c.id: c for c in catalog.credentials}
    provs = {p.id: p for p in catalog.providers}
    ids = set(creds)
    edges = {(e.source, e.target): e for e in catalog.stacking
             if e.source in ids and e.target in ids}
    catalog = replace(catalog, credentials=list(creds.values()), providers=list(provs.values()),
                      stacking=list(edges.values()))
    assert_round_trip(catalog)


def assert_round_trip(catalog: Catalog) -> None:
    """The catalog's JSON, parsed, saved in SQLite and loaded back, is the same text."""
    text = dump_catalog(catalog, "json")
    engine = store.connect("sqlite://")
    try:
        store.save_catalog(engine, parse_catalog(text, fmt="json", source="in.json"))
        assert dump_catalog(store.load_catalog(engine), "json") == text
    finally:
        engine.dispose()


def test_the_demo_catalog_comes_back_byte_for_byte(tmp_path: object) -> None:
    from conftest import DEMO_JSON

    from pathways.formats import read_catalog

    engine = store.connect("sqlite://")
    try:
        store.save_catalog(engine, read_catalog(DEMO_JSON))
        again = dump_catalog(store.load_catalog(engine), "json")
        assert again == dump_catalog(read_catalog(DEMO_JSON), "json")
    finally:
        engine.dispose()


def test_a_real_figure_beyond_64_bit_integers_is_stored() -> None:
    """A whole figure for a real column goes to SQLite as a real, as SQLAlchemy's Float
    sent it (found by the property above: a duration of 2**63 weeks, which the catalog
    checks refuse but the library may still be asked to store)."""
    from pathways.catalog import Credential

    cred = Credential(id="MC-A", title="A", kind="micro-credential", credits=5,
                      duration_weeks=float(2**63))
    assert_round_trip(Catalog(credentials=[cred]))


def test_a_whole_number_beyond_64_bits_is_refused_and_nothing_is_written() -> None:
    """An unchecked catalog (the library stores what it is given) with a level beyond
    64-bit integers: a one-line error naming the credential and the column, and the
    database keeps what it had."""
    from pathways.catalog import Credential
    from pathways.errors import StoreError

    first = Catalog(credentials=[Credential(id="MC-A", title="A", kind="micro-credential",
                                            credits=5)])
    bad = Catalog(credentials=[Credential(id="MC-B", title="B", kind="micro-credential",
                                          credits=5, level=2**70)])
    engine = store.connect("sqlite://")
    try:
        store.save_catalog(engine, first)
        with pytest.raises(StoreError, match=r"^MC-B: level 1180591620717411303424 is too "):
            store.save_catalog(engine, bad, mode="replace")
        assert dump_catalog(store.load_catalog(engine), "json") == dump_catalog(first, "json")
    finally:
        engine.dispose()
