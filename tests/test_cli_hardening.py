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
