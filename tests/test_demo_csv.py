"""graphs/demo.csv is the demo catalog in the spreadsheet form and must stay in step with it."""

from __future__ import annotations

from conftest import DEMO_CSV, DEMO_JSON

from pathways.formats import dump_catalog, read_catalog


def test_demo_csv_is_the_demo_json_catalog() -> None:
    from_json = read_catalog(DEMO_JSON)
    from_csv = read_catalog(DEMO_CSV)
    assert from_csv.credentials == from_json.credentials
    assert sorted(from_csv.stacking) == sorted(from_json.stacking)
    assert sorted(from_csv.providers, key=lambda p: p.id) == sorted(
        from_json.providers, key=lambda p: p.id)


def test_demo_csv_is_what_export_writes() -> None:
    """Regenerate with: pathways export --catalog graphs/demo.json -o graphs/demo.csv"""
    written = DEMO_CSV.read_bytes().decode("utf-8-sig")
    assert written == dump_catalog(read_catalog(DEMO_JSON), "csv")
