"""A fast start: reading commands import only what they use (issue 13 item 3). Plain
``sqlite3`` reads a SQLite catalog; SQLAlchemy only for other URLs and for writing;
networkx only where a graph algorithm runs; numpy only when a programme is solved;
``--help`` imports no command and none of the library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import DEMO_JSON, ROOT

from pathways.cli import COMMANDS, SUMMARIES, cli, help_width

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "networkx", "matplotlib", "scipy", "highspy")

PROBE = """
import sys
from pathways.cli import run
try:
    run()  # as the console script does: exits with the command's code
finally:
    sys.stdout.flush()
    modules = sorted(sys.modules)
    import json
    print("\\nMODULES " + json.dumps(modules),
          file=sys.stderr)
"""


def imported_fully(*args: str) -> set[str]:
    """The modules a command imported, by their full names (run in a fresh interpreter)."""
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stderr.rsplit("MODULES ", 1)[1]))


def imported(*args: str) -> set[str]:
    """The top-level modules a command imported."""
    return {m.split(".")[0] for m in imported_fully(*args)}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("startup") / "catalog.db"
    result = subprocess.run([sys.executable, "-m", "pathways", "import", str(DEMO_JSON),
                             "--db", str(db)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.parametrize("args", [
    ["route", "--to", "DIP-ITS5"],
    ["list", "--kind", "qualification"],
    ["show", "DIP-ITS5"],
])
def test_reading_a_sqlite_catalog_imports_nothing_heavy(demo_db: Path, args: list[str]) -> None:
    modules = imported(*args, "--db", str(demo_db))
    assert "sqlite3" in modules
    assert not modules & {*HEAVY, "numpy"}, sorted(modules & {*HEAVY, "numpy"})


def test_a_route_on_a_catalog_file_needs_no_graph_library_and_no_solver() -> None:
    # The demo's routes are found by the tree search: no programme, so no numpy either.
    modules = imported("route", "--to", "DIP-ITS5", "--have", "MC-CLOUD4",
                       "--have", "MC-PYDATA5", "--catalog", str(DEMO_JSON))
    assert "networkx" not in modules
    assert not modules & {*HEAVY, "numpy"}, sorted(modules & {*HEAVY, "numpy"})
    # nor what only writing a file needs (pathways.output's temporary file: ~7 ms)
    assert not modules & {"tempfile", "shutil"}, sorted(modules & {"tempfile", "shutil"})


def test_help_imports_nothing_heavy() -> None:
    modules = imported("--help")
    assert not modules & {*HEAVY, "numpy"}, sorted(modules & {*HEAVY, "numpy"})


def test_help_imports_no_command_and_none_of_the_library() -> None:
    ours = {m for m in imported_fully("--help") if m.split(".")[0] == "pathways"}
    assert ours == {"pathways", "pathways.cli"}, sorted(ours)
    # nor what only a command or another width of help would need
    assert not imported("--help") & {"shutil", "socket", "dataclasses", "json"}


@pytest.mark.parametrize("limit", [1, 3, 20, 45, 60, 72, 10_000])
def test_the_summaries_help_lists_are_each_commands_own(limit: int) -> None:
    ctx = click.Context(cli)
    assert set(SUMMARIES) == set(COMMANDS)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None and not command.hidden and not command.deprecated
        listed = click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit)
        assert listed == command.get_short_help_str(limit), name


@pytest.mark.parametrize("width", [50, 64, 78, 120])
def test_help_lists_the_commands_as_click_itself_would(width: int) -> None:
    ctx = click.Context(cli, terminal_width=width)
    ours = cli.get_help(ctx)
    # click's own listing, every command imported and asked for its short help
    formatter = ctx.make_formatter()
    click.Group.format_commands(cli, ctx, formatter)
    theirs = formatter.getvalue()
    assert theirs.strip() and ours.endswith(theirs.rstrip("\n"))


@pytest.mark.parametrize("columns", [None, "", "abc", "0", "-5", "40", "60", "79", "80",
                                     "81", "200"])
def test_help_width_is_clicks_own(monkeypatch: pytest.MonkeyPatch, columns: str | None) -> None:
    import shutil

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(click.formatting, "FORCED_WIDTH", None)
    expected = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)
    assert help_width() == expected
    assert click.HelpFormatter().width == expected  # what click makes with no width given


def test_help_width_yields_to_a_forced_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(click.formatting, "FORCED_WIDTH", 100)
    assert help_width() is None


def test_the_route_and_plan_engines_import_numpy_only_to_solve() -> None:
    code = ("import sys, pathways.routes, pathways.plans, pathways.formats, pathways.rules; "
            "print(sorted({m.split('.')[0] for m in sys.modules}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(result.stdout.replace("'", '"')))
    assert not modules & {"numpy", "highspy", "networkx", "scipy"}


def test_the_package_imports_a_name_or_a_submodule_when_asked() -> None:
    code = ("import sys, pathways; before = sorted(m for m in sys.modules if "
            "m.startswith('pathways')); pathways.Catalog, pathways.routes.find_route; "
            "print(before, 'pathways.routes.engine' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.stdout.split() == ["['pathways']", "True"], result.stderr
    import pathways

    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        pathways.no_such_name  # noqa: B018 - the lookup is the test


def test_checking_strict_corequisites_needs_no_graph_library() -> None:
    # A with B in the same term, yet after B: no cycle of the stacking and requirement
    # graph (the cycle check names such cycles with networkx's help), only this check's
    code = ("import sys\n"
            "from pathways.catalog import Catalog, Credential\n"
            "from pathways.rules import validate\n"
            "creds = [Credential('A', 't', 'course', 5, strict_corequisites=('B',),\n"
            "                    requires=(('B',),)), Credential('B', 't', 'course', 5)]\n"
            "found = validate(Catalog(credentials=creds))\n"
            "print(any('cannot all be met' in p.message for p in found), "
            "'networkx' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.stdout.split() == ["True", "False"], result.stderr


def test_what_if_checks_for_cycles_without_a_graph_library() -> None:
    # networkx comes in only to name a cycle the changes make (as it always named it)
    assert "networkx" not in imported("what-if", "--remove", "MC-CLOUD4", "--no-gaps",
                                      "--catalog", str(DEMO_JSON))
