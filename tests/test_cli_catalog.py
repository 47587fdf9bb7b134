"""The catalog commands through click's runner: exit codes, messages, --json shapes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO_JSON, ROOT

from pathways.cli import COMMANDS, cli, main

SMALL = {
    "format": "pathways-catalog",
    "version": 1,
    "framework": "nzqf",
    "providers": [{"id": "north", "name": "North Polytechnic"},
                  {"id": "wananga", "name": "Te Wānanga o Te Awa"}],
    "credentials": [
        {"id": "MC-A", "title": "Site safety", "kind": "micro-credential", "level": 3,
         "credits": 10, "provider": "north", "fee": 600},
        {"id": "MC-B", "title": "Tikanga in the workplace", "kind": "micro-credential",
         "level": 3, "credits": 5, "provider": "wananga", "fee": 300},
        {"id": "CERT-C", "title": "Certificate in Carpentry (Level 3)", "kind": "qualification",
         "type": "certificate", "level": 3, "credits": 60, "provider": "north", "fee": 3600},
    ],
    "stacking": [{"from": "MC-A", "to": "CERT-C", "credits": 10},
                 {"from": "MC-B", "to": "CERT-C", "credits": 5}],
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.json"
    path.write_text(json.dumps(SMALL, ensure_ascii=False), encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner: CliRunner) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        if command is None:
            pytest.fail(f"command {name} is registered but its module is missing")
        code, out, _ = run(runner, name, "--help")
        assert code == 0, name
        assert "Example:" in out, f"{name} --help has no Example"
        assert f"pathways {name}" in readme, f"README does not show `pathways {name}`"


def test_demo_catalog_is_the_default_and_said_once(runner: CliRunner) -> None:
    code, out, err = run(runner, "stats", "--json")
    assert code == 0
    assert "Using the bundled demo catalog" in err
    assert json.loads(out)["credentials"] >= 60


def test_catalog_and_db_together_is_a_usage_error(runner: CliRunner, small: Path,
                                                  tmp_path: Path) -> None:
    code, _, err = run(runner, "list", "--catalog", str(small), "--db", str(tmp_path / "x.db"))
    assert code == 2
    assert "give --catalog FILE or --db URL, not both" in err


def test_missing_file_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "list", "--catalog", str(tmp_path / "nope.json"))
    assert code == 1
    assert err.startswith("Error: ") and "nope.json" in err
    assert len(err.strip().splitlines()) == 1


def test_import_then_list_show_export_round_trip(runner: CliRunner, small: Path,
                                                 tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    code, out, err = run(runner, "import", str(small), "--db", str(db))
    assert code == 0, err
    assert "Imported" in out
    code, out, _ = run(runner, "list", "--db", str(db), "--json")
    assert [c["id"] for c in json.loads(out)["credentials"]] == ["CERT-C", "MC-A", "MC-B"]
    code, out, _ = run(runner, "show", "CERT-C", "--db", str(db), "--json")
    shown = json.loads(out)
    assert shown["credential"]["id"] == "CERT-C"
    assert shown["stacked_from"] == [{"id": "MC-A", "credits": 10}, {"id": "MC-B", "credits": 5}]
    code, out, _ = run(runner, "export", "--db", str(db), "--format", "json")
    assert code == 0
    assert json.loads(out) == SMALL


def test_import_into_non_empty_db_needs_a_mode(runner: CliRunner, small: Path,
                                               tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert run(runner, "import", str(small), "--db", str(db))[0] == 0
    before = counts(db)
    code, _, err = run(runner, "import", str(small), "--db", str(db))
    assert code == 1
    assert "--replace" in err and "--merge" in err
    assert counts(db) == before
    assert run(runner, "import", str(small), "--db", str(db), "--replace")[0] == 0
    assert counts(db) == before


def test_failed_import_lists_every_problem_and_writes_nothing(runner: CliRunner, small: Path,
                                                              tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert run(runner, "import", str(small), "--db", str(db))[0] == 0
    before = counts(db)
    bad = json.loads(small.read_text(encoding="utf-8"))
    bad["stacking"].append({"from": "MC-A", "to": "NOPE", "credits": 5})
    bad["credentials"][0]["credits"] = 0
    bad["credentials"][1]["review_due"] = "2020-01-01"  # a warning: not shown as an error
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    code, _, err = run(runner, "import", str(path), "--db", str(db), "--replace")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) >= 3
    assert all(line.startswith("Error: ") for line in lines)
    assert any("NOPE" in line for line in lines)
    assert any("bad.json" in line for line in lines)
    assert not any("warning" in line for line in lines)
    assert lines[-1] == f"Error: {len(lines) - 1} errors in all; nothing was written"
    assert counts(db) == before


def test_validate_exit_codes(runner: CliRunner, small: Path, tmp_path: Path) -> None:
    code, out, _ = run(runner, "validate", "--catalog", str(small))
    assert code == 0 and "valid" in out
    bad = json.loads(small.read_text(encoding="utf-8"))
    bad["credentials"][0]["credits"] = 80  # a micro-credential over 40 credits
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    code, out, _ = run(runner, "validate", "--catalog", str(path), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is False
    assert report["errors"] and {"where", "message", "severity"} <= set(report["errors"][0])


def test_warnings_alone_exit_zero(runner: CliRunner, small: Path, tmp_path: Path) -> None:
    data = json.loads(small.read_text(encoding="utf-8"))
    data["credentials"][0]["review_due"] = "2020-01-01"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(runner, "validate", "--catalog", str(path), "--as-of", "2026-11-23")
    assert code == 0
    assert "warning" in out


def test_show_unknown_id(runner: CliRunner, small: Path) -> None:
    code, _, err = run(runner, "show", "NOPE", "--catalog", str(small))
    assert code == 1
    assert err.strip() == (f"Error: unknown credential 'NOPE' in {small}; "
                           "find ids with `pathways list --search TEXT`")


def test_list_filters_and_table(runner: CliRunner, small: Path) -> None:
    code, out, _ = run(runner, "list", "--catalog", str(small), "--kind", "micro-credential",
                       "--search", "tikanga")
    assert code == 0
    assert "MC-B" in out and "MC-A" not in out
    assert "1 of 3 credentials" in out


def test_stats_json_shape(runner: CliRunner, small: Path) -> None:
    code, out, _ = run(runner, "stats", "--catalog", str(small), "--json")
    stats = json.loads(out)
    assert stats["by_kind"] == {"micro-credential": 2, "qualification": 1}
    assert stats["stacking_edges"] == 2
    assert stats["fee_per_credit"]["micro-credential"]["max"] == 60


def test_export_csv_reimports(runner: CliRunner, small: Path, tmp_path: Path) -> None:
    out_csv = tmp_path / "out.csv"
    code, _, err = run(runner, "export", "--catalog", str(small), "-o", str(out_csv))
    assert code == 0, err
    code, out, _ = run(runner, "list", "--catalog", str(out_csv), "--json")
    assert code == 0
    assert json.loads(out)["count"] == 3


def test_main_returns_codes_without_traceback(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    assert main(["list", "--catalog", str(tmp_path / "missing.csv")]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert main(["list", "--bogus"]) == 2
    assert main(["--version"]) == 0


def test_demo_file_exists() -> None:
    assert DEMO_JSON.is_file()


def test_reading_a_database_that_does_not_exist_creates_nothing(runner: CliRunner,
                                                                tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    code, _, err = run(runner, "list", "--db", str(db))
    assert code == 1
    assert err.strip() == (f"Error: {db}: no such database; create it with "
                           f"`pathways import FILE --db {db}`")
    assert not db.exists()


def test_import_refuses_replace_and_merge_together(runner: CliRunner, small: Path,
                                                   tmp_path: Path) -> None:
    code, _, err = run(runner, "import", str(small), "--db", str(tmp_path / "c.db"),
                       "--replace", "--merge")
    assert code == 2
    assert "give --replace or --merge, not both" in err
    assert not (tmp_path / "c.db").exists()


def test_replace_says_what_it_replaced(runner: CliRunner, small: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run(runner, "import", str(small), "--db", str(db))
    code, out, _ = run(runner, "import", str(small), "--db", str(db), "--replace")
    assert code == 0
    assert out.startswith(f"Replaced the catalog in {db} with {small}: 3 credentials")


def test_a_full_disk_is_the_machine_not_a_bug(capsys: pytest.CaptureFixture[str],
                                              small: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import pathways.formats

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.json"))

    monkeypatch.setattr(pathways.formats, "write_catalog", full)
    assert main(["export", "--catalog", str(small), "-o", str(tmp_path / "x.json")]) == 1
    assert capsys.readouterr().err.strip().endswith(
        f"Error: {tmp_path / 'x.json'}: No space left on device")


def test_numbers_must_be_finite(runner: CliRunner, small: Path) -> None:
    code, _, err = run(runner, "route", "--catalog", str(small), "--to", "CERT-C",
                       "--budget", "nan")
    assert code == 2
    assert "'nan' is not a finite number" in err


def test_gaps_refuses_an_unknown_field(runner: CliRunner, small: Path) -> None:
    code, _, err = run(runner, "gaps", "--catalog", str(small), "--field", "Nope")
    assert code == 2
    assert "no credential has the field 'Nope'" in err


@pytest.mark.parametrize("empty", ["id,title,kind,level,credits\n",
                                   '{"format": "pathways-catalog", "version": 1}'])
def test_replace_with_an_empty_catalog_is_refused_unless_allowed(
        runner: CliRunner, small: Path, tmp_path: Path, empty: str) -> None:
    db = tmp_path / "c.db"
    assert run(runner, "import", str(small), "--db", str(db))[0] == 0
    path = tmp_path / ("empty.csv" if empty.startswith("id") else "empty.json")
    path.write_text(empty, encoding="utf-8")
    before = counts(db)
    code, _, err = run(runner, "import", str(path), "--db", str(db), "--replace")
    assert code == 1
    assert err == (f"Error: {path} holds no credentials: replacing would empty {db}; nothing "
                   "was written (give --allow-empty to empty it)\n")
    assert counts(db) == before
    code, out, _ = run(runner, "import", str(path), "--db", str(db), "--replace", "--allow-empty")
    assert code == 0
    assert out.startswith(f"Replaced the catalog in {db} with {path}: 0 credentials")


def test_the_demo_notice_is_said_once_each_invocation(runner: CliRunner) -> None:
    """No module switch (issue 8.5): every run says it, whatever ran before in the process."""
    for _ in range(2):
        code, _out, err = run(runner, "stats", "--json")
        assert code == 0 and err.count("Using the bundled demo catalog") == 1


def test_show_from_a_database_reads_only_the_credentials_part(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`show X --db` reads X, what it stacks into and from and what requires it (issue 13:
    loading reads only what a command needs), and says what `show X` of the file says."""
    from pathways import store
    from pathways.source import open_catalog

    db = tmp_path / "demo.db"
    assert run(runner, "import", str(DEMO_JSON), "--db", str(db))[0] == 0
    demo = open_catalog(str(DEMO_JSON))
    required = {a for c in demo for a in c.required_ids}
    ids = sorted({*sorted(required)[:4], *[c.id for c in demo][::15]})
    expected = {(cid, flag): run(runner, "show", cid, "--catalog", str(DEMO_JSON), *flag)
                for cid in ids for flag in ((), ("--json",))}

    def whole(*_args: object) -> None:
        raise AssertionError("show read the whole database")

    monkeypatch.setattr(store.reading, "load_catalog", whole)
    monkeypatch.setattr(store, "load_catalog", whole)
    for (cid, flag), want in expected.items():
        assert run(runner, "show", cid, "--db", str(db), *flag) == want, (cid, flag)
    assert any(json.loads(expected[cid, ("--json",)][1])["required_by"] for cid in ids)
    assert any(json.loads(expected[cid, ("--json",)][1])["stacks_into"] for cid in ids)
    part = store.load_around(store.open_reader(str(db)), "DIP-ITS5")
    assert 1 < len(part.credentials) < len(demo.credentials)
    assert store.load_around(store.open_reader(str(db)), "NOPE").credentials == []
