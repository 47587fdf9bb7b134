"""A fast start: reading commands import only what they use (issue 13 item 3). Plain
``sqlite3`` reads a SQLite catalog; SQLAlchemy only for other URLs and for writing;
networkx only where a graph algorithm runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_JSON, ROOT

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "networkx", "matplotlib", "scipy", "highspy")

PROBE = """
import json, sys
from pathways.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="pathways", standalone_mode=False)
finally:
    sys.stdout.flush()
    print("\\nMODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})),
          file=sys.stderr)
"""


def imported(*args: str) -> set[str]:
    """The top-level modules a command imported (run in a fresh interpreter)."""
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    line = result.stderr.rsplit("MODULES ", 1)[1]
    return set(json.loads(line))


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
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_help_imports_nothing_heavy() -> None:
    modules = imported("--help")
    assert not modules & {*HEAVY, "numpy"}, sorted(modules & {*HEAVY, "numpy"})
