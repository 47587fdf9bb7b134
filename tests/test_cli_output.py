"""Every catalog-command output goes through pathways.output (issue 16 item 2)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO_JSON, ROOT

from pathways.cli import cli


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_stdout_and_file_are_the_same_bytes(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"x.{fmt}"
    code, _, err = run("export", "--catalog", str(DEMO_JSON), "-o", str(out))
    assert code == 0, err
    code, stdout, _ = run("export", "--catalog", str(DEMO_JSON), "--format", fmt)
    assert code == 0
    assert stdout == out.read_bytes()
    code, dash, _ = run("export", "--catalog", str(DEMO_JSON), "--format", fmt, "-o", "-")
    assert code == 0
    assert dash == stdout


def test_export_refuses_a_device_and_leaves_it_a_device() -> None:
    code, _, err = run("export", "--catalog", str(DEMO_JSON), "-o", "/dev/full")
    assert code == 1
    assert err == ("Error: /dev/full: cannot write: it is a device, not a regular file; "
                   "give the name of a file to write\n")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_export_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    code, _, err = run("export", "--catalog", str(DEMO_JSON), "-o", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("{")


def test_export_refuses_a_fifo_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, _, err = run("export", "--catalog", str(DEMO_JSON), "-o", str(fifo))
    assert code == 1
    assert "cannot write: it is a FIFO (named pipe), not a regular file" in err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_export_refuses_a_read_only_file(tmp_path: Path) -> None:
    out = tmp_path / "ro.json"
    out.write_text("keep")
    out.chmod(0o444)
    code, _, err = run("export", "--catalog", str(DEMO_JSON), "-o", str(out))
    assert code == 1
    assert "cannot write: the file is read-only" in err
    assert out.read_text() == "keep"


def test_export_into_a_full_stdout_is_one_clean_line() -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "pathways", "export", "--catalog",
                               str(DEMO_JSON)], stdout=full, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              check=False, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == "Error: standard output: cannot write: No space left on device\n"
