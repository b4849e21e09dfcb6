"""A real uvicorn server on 127.0.0.1 in a thread, for tests that need actual sockets."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import uvicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_server(app: Any, lifespan: Literal["auto", "on", "off"] = "off") -> Iterator[str]:
    """Serve ``app`` on a free 127.0.0.1 port; yields its base URL; stops on exit."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_config=None, lifespan=lifespan
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(10)
