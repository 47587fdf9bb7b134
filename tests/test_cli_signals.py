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


def _when_reading(fifo: Path, proc: subprocess.Popen[bytes]) -> int:
    """Wait (up to a minute, however loaded the machine) until ``proc`` has the FIFO open
    for reading: a non-blocking open for writing succeeds only then. Returns the writing
    end, kept open so the reader goes on waiting for data."""
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up and proc.poll() is None:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: nobody reads it yet
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("pathways validate never opened the FIFO")


def test_ctrl_c_exits_130_with_one_word(tmp_path: Path) -> None:
    fifo = tmp_path / "never-written.json"
    os.mkfifo(fifo)  # opening it blocks: a stand-in for a long wait
    # A test run started in the background of a shell inherits Ctrl-C ignored; a
    # learner's terminal does not, so the command gets the default back.
    proc = pathways("validate", "--catalog", str(fifo),
                    preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    writer = _when_reading(fifo, proc)  # started, past its imports, and waiting for data
    try:
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    finally:
        os.close(writer)
    assert time.monotonic() - sent < 5  # seconds: prompt, even on a loaded CI machine
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
