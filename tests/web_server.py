"""A real HTTP server of the web app in a thread, for browser tests, screenshots and
benchmarks: ``with running_server() as base_url: ...``."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(app: Any = None, **make: Any) -> Iterator[str]:
    """Serve ``app`` (default: the demo catalog's) on 127.0.0.1; yields the base URL."""
    import uvicorn

    if app is None:
        from pathways.web import make_app

        app = make_app(**make)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
