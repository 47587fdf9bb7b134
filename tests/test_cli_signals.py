"""Ctrl-C exits 130 within a second; a closed pipe (`| head`) exits 0 quietly (issue 16.10)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import DEMO_JSON, ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def pathways(*args: str, **kw: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "pathways", *args], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            restore_signals=True, **kw)  # type: ignore[call-overload]


def test_ctrl_c_exits_130_with_one_word(tmp_path: Path) -> None:
    fifo = tmp_path / "never-written.json"
    os.mkfifo(fifo)  # opening it blocks: a stand-in for a long wait
    proc = pathways("validate", "--catalog", str(fifo))
    time.sleep(1.0)  # started and waiting
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert time.monotonic() - sent < 1.5
    assert proc.returncode == 130
    assert err.decode().strip().endswith("Interrupted.")
    assert b"Traceback" not in err


def test_a_closed_pipe_exits_0_quietly() -> None:
    lister = pathways("list", "--catalog", str(DEMO_JSON))
    assert lister.stdout is not None
    lister.stdout.readline()
    lister.stdout.close()  # `| head -1`
    lister.wait(timeout=30)
    assert lister.stderr is not None
    err = lister.stderr.read()
    assert lister.returncode == 0
    assert err == b""
