"""Issue 16: input that validated and then crashed, reproducers, one-line messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO_JSON, SHARED

from pathways.cli import main
from pathways.errors import Problem
from pathways.safetext import bad_character, one_line

REPRO = SHARED / "data" / "repro"


def demo() -> dict[str, Any]:
    return json.loads(DEMO_JSON.read_text(encoding="utf-8"))


def write(tmp_path: Path, doc: dict[str, Any], name: str = "c.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")  # ensure_ascii: \ud800 survives
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("title", ["Bad \ud800 title", "NUL \x00 here", "ESC \x1b]0;x\x07",
                                   "two\nlines", "tab\there", "C1 \x85", "bidi \u202e"])
@pytest.mark.parametrize("command", [["validate"], ["list"], ["export", "--format", "csv"],
                                     ["show", "MC-BCS3"]])
def test_control_characters_and_surrogates_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str,
        command: list[str]) -> None:
    doc = demo()
    doc["credentials"][0]["title"] = title
    path = write(tmp_path, doc)
    code, out, err = run(capsys, *command, "--catalog", str(path))
    assert code == 1, (out, err)
    text = out + err
    assert "title contains" in text
    assert "internal error" not in text
    for bad in ("\x00", "\x1b", "\x07", "\x85", "\u202e"):
        assert bad not in text  # shown escaped, never raw
    for line in text.splitlines():
        assert bad_character(line) is None


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("credits", 10**30, "must be a multiple "
                        "of 0.5 such as 15 or 7.5; a number of 31 digits is too large"),
    ("credits", 10**20, "credits of MC-BCS3: 100000000000000000000 is out of range "
                        "(0 to 10,000); give a whole number from 0 to 10,000"),
    ("fee", 1e308, "fee of MC-BCS3: 1e+308 is out of range (0 to 10,000,000); give a number "
                   "from 0 to 10,000,000"),
    ("hours", 1e20, "hours of MC-BCS3: 1e+20 is out of range (0 to 100,000)"),
    ("max_recognised", 10**19, "max_recognised of MC-BCS3: 10000000000000000000 is out of"),
])
def test_numbers_out_of_bounds_are_refused_before_they_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: float,
        expected: str) -> None:
    doc = demo()
    doc["credentials"][0][key] = value
    path = write(tmp_path, doc)
    for command in (["validate"], ["route", "--to", "DIP-ITS5"], ["import", str(path), "--db",
                                                                   str(tmp_path / "x.db")]):
        args = command if command[0] == "import" else [*command, "--catalog", str(path)]
        code, out, err = run(capsys, *args)
        assert code == 1, (command, out, err)
        assert expected in out + err


def test_a_stacking_edge_of_huge_credits_is_refused(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    doc = demo()
    doc["stacking"][0]["credits"] = 10**25
    code, out, _ = run(capsys, "validate", "--catalog", str(write(tmp_path, doc)))
    assert code == 1
    assert "10000000000000000000000000 is out of range (0 to 10,000)" in out


def test_problems_print_on_one_line() -> None:
    p = Problem("f.csv:3", 'got "a\nb\x1b[2J"')
    assert str(p) == 'f.csv:3: got "a\\nb\\x1b[2J"'
    assert one_line("Wānanga — ok") == "Wānanga — ok"
    assert one_line("\ud800") == "\\ud800"


@pytest.mark.skipif(not REPRO.is_dir(), reason="../shared/data/repro is not here")
@pytest.mark.parametrize("name", sorted(p.name for p in REPRO.glob("fuzz-*"))
                         if REPRO.is_dir() else [])
def test_fuzz_reproducers_give_one_line_clean_errors(capsys: pytest.CaptureFixture[str],
                                                     name: str) -> None:
    for command in ("validate", "list"):
        code, out, err = run(capsys, command, "--catalog", str(REPRO / name))
        assert code == 1, (out, err)
        assert "internal error" not in err
        assert err.startswith("Error: ") or command == "validate"
        for line in err.splitlines():
            assert line.startswith("Error: ")  # every message one line
        for line in (out + err).splitlines():
            assert bad_character(line) is None


# -- messages that say what to do (issue 16 item 10) --------------------------------------------
@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_csv_with_another_separator_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              sep: str, name: str) -> None:
    path = tmp_path / "excel.csv"
    rows = ["id", "title", "kind", "level", "credits"], ["MC-A", "A", "micro-credential", "4", "10"]
    path.write_text("\r\n".join(sep.join(r) for r in rows) + "\r\n", encoding="utf-8")
    code, _, err = run(capsys, "list", "--catalog", str(path))
    assert code == 1
    assert err == (f"Error: {path}:1: the columns are separated by {name}, not by commas; save "
                   'the sheet as "CSV UTF-8 (Comma delimited)", or replace the separators '
                   "with commas\n")


def test_a_database_given_as_a_catalog_file_says_use_db(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "catalog.db"
    assert run(capsys, "import", str(DEMO_JSON), "--db", str(db))[0] == 0
    code, _, err = run(capsys, "list", "--catalog", str(db))
    assert code == 1
    assert err == (f"Error: {db}: this is a SQLite database, not a catalog file; give it with "
                   f"--db {db}\n")


def test_unknown_ids_get_did_you_mean_for_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "dip-its5", "--catalog", str(DEMO_JSON))
    assert code == 1
    assert err.endswith("unknown credential 'dip-its5' in "
                        f"{DEMO_JSON}; did you mean 'DIP-ITS5'?\n")
    code, _, err = run(capsys, "list", "--provider", "Rawhiti", "--catalog", str(DEMO_JSON))
    assert code == 2  # an unknown provider is exit 2 as in gaps
    assert "unknown provider 'Rawhiti' (did you mean 'rawhiti'?)" in err


def test_an_unknown_provider_is_exit_2_in_list_and_gaps(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("list", "gaps"):
        code, _, err = run(capsys, command, "--provider", "nobody", "--catalog", str(DEMO_JSON))
        assert code == 2, (command, err)


def test_list_search_forgives_case_and_macrons(capsys: pytest.CaptureFixture[str]) -> None:
    code, plain, _ = run(capsys, "list", "--search", "maori", "--catalog", str(DEMO_JSON))
    code2, macron, _ = run(capsys, "list", "--search", "MĀORI", "--catalog", str(DEMO_JSON))
    assert code == code2 == 0
    assert plain == macron
    assert not plain.endswith("0 of 93 credentials\n")


# -- smaller (issue 16 item 11) -----------------------------------------------------------------
def test_pareto_refuses_by(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "route", "--to", "DIP-ITS5", "--pareto", "--by", "hours",
                       "--catalog", str(DEMO_JSON))
    assert code == 2
    assert "--pareto shows every fee/hours trade-off, so it takes no --by" in err


def test_framework_with_a_database_is_refused(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "catalog.db"
    assert run(capsys, "import", str(DEMO_JSON), "--db", str(db))[0] == 0
    code, _, err = run(capsys, "list", "--db", str(db), "--framework", "generic")
    assert code == 2
    assert "--framework applies to a catalog file" in err


def test_show_help_example_id_exists(capsys: pytest.CaptureFixture[str]) -> None:
    import re

    code, out, _ = run(capsys, "show", "--help")
    assert code == 0
    [example] = [x for x in re.findall(r"pathways show (\S+)", out) if x != "[OPTIONS]"]
    assert run(capsys, "show", example, "--catalog", str(DEMO_JSON))[0] == 0


def test_readme_metrics_example_file_is_where_it_says() -> None:
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in re.findall(r"\$ pathways metrics --catalog (\S+)", readme):
        if path.startswith("../shared/") and not SHARED.is_dir():
            continue
        assert (ROOT / path).is_file(), path


# -- terminals and memory (issue 16 item 15) ----------------------------------------------------
def test_catalog_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """A title with ESC/OSC/BEL stored before titles were checked prints escaped."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    from pathways import store
    from pathways.formats import read_catalog

    catalog = read_catalog(DEMO_JSON)
    first = catalog.credentials[0]
    from dataclasses import replace

    catalog.credentials[0] = replace(first, title="\x1b]0;pwned\x07\x1b[2JCleared")
    db = tmp_path / "old.db"
    store.save_catalog(store.connect(str(db)), catalog)  # bypasses validation on purpose
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "pathways", "show", first.id, "--db", str(db)],
                          stdout=follower, stderr=subprocess.PIPE, cwd=ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    os.close(follower)
    seen = b""
    try:
        while chunk := os.read(leader, 65536):
            seen += chunk
    except OSError:
        pass  # the pty closes when the child is gone
    os.close(leader)
    assert proc.returncode == 0, proc.stderr
    assert b"\x1b" not in seen and b"\x07" not in seen
    assert b"\\x1b]0;pwned\\x07\\x1b[2JCleared" in seen


def test_out_of_memory_is_a_message_not_a_crash(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import pathways.formats

    def huge(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(pathways.formats, "read_catalog", huge)
    code, _, err = run(capsys, "list", "--catalog", str(DEMO_JSON))
    assert code == 1
    assert err.startswith("Error: out of memory: the catalog or the question is too large")


# -- outputs escape for their medium (issue 16 item 4) ------------------------------------------
def test_markdown_and_spreadsheet_escapes() -> None:
    from pathways.safetext import markdown, spreadsheet_cell

    assert markdown("a|b *c* _d_ <b> [x](y) #1 `z` \\") == (
        "a\\|b \\*c\\* \\_d\\_ \\<b\\> \\[x\\](y) \\#1 \\`z\\` \\\\")
    assert markdown("two\nlines") == "two\\\\nlines"  # one line, its backslash escaped too
    assert spreadsheet_cell("=1+1") == "'=1+1"
    assert spreadsheet_cell("Site safety") == "Site safety"


def test_gap_reports_escape_ids_in_markdown_and_csv(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    doc = {"format": "pathways-catalog", "version": 1, "framework": "generic",
           "providers": [{"id": "north"}],
           "credentials": [
               {"id": "MC|X_1", "title": "Odd", "kind": "micro-credential", "credits": 10,
                "level": 3, "provider": "north"},
               {"id": "=SUM", "title": "Odder", "kind": "micro-credential", "credits": 10,
                "level": 3, "provider": "north"}]}
    path = write(tmp_path, doc)
    code, out, err = run(capsys, "gaps", "--catalog", str(path), "--kind", "dead-end",
                         "--markdown")
    assert code == 0, err
    rows = [line for line in out.splitlines() if "MC\\|X\\_1" in line]
    assert rows
    for row in rows:
        assert row.replace("\\|", "").count("|") == 5  # the table keeps its four columns
    code, out, err = run(capsys, "gaps", "--catalog", str(path), "--kind", "dead-end", "--csv")
    assert code == 0, err
    assert "\n=SUM" not in out and ",=SUM" not in out
    assert ",'=SUM," in out


# -- 16.10: the same mistake, the same exit code in every command --------------------------------

@pytest.mark.parametrize(("args", "code"), [
    # an unknown provider is a usage error (exit 2) wherever a command takes one
    (["list", "--provider", "nobody"], 2),
    (["gaps", "--provider", "nobody"], 2),
    (["route", "--to", "DIP-ITS5", "--only-provider", "nobody"], 2),
    (["route", "--to", "DIP-ITS5", "--exclude-provider", "nobody"], 2),
    (["draw", "--provider", "nobody", "-o", "{out}.svg"], 2),
    (["coverage", "--provider", "nobody", "-o", "{out}.svg"], 2),
    # an unknown credential is exit 1 wherever a command takes one
    (["show", "NOPE"], 1),
    (["route", "--to", "NOPE"], 1),
    (["route", "--to", "DIP-ITS5", "--exclude", "NOPE"], 1),
    (["draw", "--to", "NOPE", "-o", "{out}.svg"], 1),
    (["draw", "--from", "NOPE", "-o", "{out}.svg"], 1),
    (["timeline", "--to", "NOPE", "-o", "{out}.svg"], 1),
    (["what-if", "--remove", "NOPE", "--no-gaps"], 1),
    (["what-if", "--price", "NOPE=1", "--no-gaps"], 1),
])
def test_an_unknown_id_has_one_exit_code_in_every_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int) -> None:
    args = [a.format(out=tmp_path / "out") for a in args]
    got, out, err = run(capsys, *args, "--catalog", str(DEMO_JSON))
    assert got == code, err
    assert ("provider 'nobody'" if code == 2 else "credential 'NOPE'") in err
    assert not list(tmp_path.iterdir())  # nothing drawn


# -- 8.2: the library names its arguments, the CLI its options -----------------------------------

def test_store_messages_name_arguments_and_the_cli_names_options(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pathways import store
    from pathways.cli import phrase
    from pathways.errors import CatalogExistsError, DriverMissingError

    db = str(tmp_path / "c.db")
    assert run(capsys, "import", str(DEMO_JSON), "--db", db)[0] == 0
    code, _, err = run(capsys, "import", str(DEMO_JSON), "--db", db)
    assert code == 1 and err.endswith("; use --replace to replace them or --merge to add to "
                                      "them\n"), err
    with pytest.raises(CatalogExistsError) as info:
        store.save_catalog(store.connect(db), store.load_catalog(store.connect(db)))
    assert "--" not in str(info.value) and "mode='replace'" in str(info.value)
    # MySQL is not told to install the PostgreSQL extra
    code, _, err = run(capsys, "list", "--db", "mysql://u@127.0.0.1:1/x")
    assert code == 1 and "postgres" not in err.split("; pathways stores")[0], err
    assert "mysql is not supported" in err and "pip" not in err
    missing = DriverMissingError("pg", "postgresql", "No module named 'psycopg'")
    assert "pip" not in str(missing)
    assert phrase(missing) == ("pg: cannot open the database: the PostgreSQL driver is not "
                               "installed (No module named 'psycopg'); install pathways' "
                               "postgres extra (psycopg): pip install -e '.[postgres]'")


def test_library_messages_name_no_cli_command_and_the_cli_phrases_them(
        capsys: pytest.CaptureFixture[str]) -> None:
    from pathways.errors import PathwaysError
    from pathways.filters import FIND_IDS
    from pathways.formats import read_catalog
    from pathways.routes import find_route

    with pytest.raises(PathwaysError) as info:
        find_route(read_catalog(DEMO_JSON), "NOPE")
    assert str(info.value) == f"unknown credential 'NOPE'; {FIND_IDS}"
    assert "pathways" not in FIND_IDS.split("(")[0] and "--" not in FIND_IDS
    code, _, err = run(capsys, "route", "--to", "NOPE", "--catalog", str(DEMO_JSON))
    assert (code, err) == (1, "Error: unknown credential 'NOPE'; find ids with "
                              "`pathways list --search TEXT`\n")


def test_the_cli_phrases_the_library_words_as_its_options() -> None:
    from pathways.cli import cli, phrase
    from pathways.errors import CatalogError, StoreError

    store = StoreError("x: convert it to the stored unit first, or replace the stored catalog "
                       "(save with mode='replace')")
    assert phrase(store).endswith("replace the stored catalog (import --replace)")
    cycle = CatalogError("the catalog has a cycle among A, B; validate it "
                         "(pathways.rules.validate) and fix it")
    assert phrase(cycle).endswith("; run `pathways validate` and fix it")
    example = Path(__file__).parents[1] / "graphs" / "examples" / "tafe-to-masters.json"
    if not example.is_file():
        pytest.skip("the AQF example is not here")
    from click.testing import CliRunner

    got = CliRunner().invoke(cli, ["route", "--catalog", str(example), "--to", "CERT4-CYBER",
                                   "--rpl", "MC-SOC=4"])
    assert got.exit_code == 1
    assert got.output.rstrip().endswith("can hold it instead, with --have)")
