"""Where a fault proxy listens and where it forwards: this machine only.

Fault injection sends broken traffic on purpose, so both ends are loopback addresses
(``127.0.0.1``, ``localhost``, ``::1``); anything else is an `AssayError` saying so.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from assay.errors import AssayError

__all__ = ["LOOPBACK", "listen_address", "upstream_address"]

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def upstream_address(upstream: str) -> tuple[str, int]:
    """The host and port of ``http://127.0.0.1:PORT`` (an `AssayError` for others)."""
    try:
        parts = urlsplit(upstream)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme != "http" or port is None:
        raise AssayError(
            f"the fault proxy's upstream {upstream!r} is not an http://host:port URL",
            hint="Give the dependency's base URL with its port, e.g. http://127.0.0.1:8104.",
        )
    if parts.hostname not in LOOPBACK:
        raise AssayError(
            f"the fault proxy forwards to this machine only (127.0.0.1 or localhost), "
            f"not to {parts.hostname!r}",
            hint="Run the dependency locally and give its address, e.g. http://127.0.0.1:8104.",
        )
    if parts.path not in ("", "/") or parts.query:
        raise AssayError(
            f"the fault proxy's upstream {upstream!r} has a path; the proxy forwards paths "
            "as the caller sends them",
            hint="Give the base URL only (scheme, host and port).",
        )
    return parts.hostname, port


def listen_address(listen: str | int | None) -> tuple[str, int]:
    """``"127.0.0.1:9104"``, a port number, or None (a free port) as (host, port)."""
    if listen is None:
        return "127.0.0.1", 0
    if isinstance(listen, int):
        host, port_text = "127.0.0.1", str(listen)
    else:
        host, _, port_text = listen.rpartition(":")
        host = host.strip("[]") or "127.0.0.1"
    if host not in LOOPBACK:
        raise AssayError(
            f"the fault proxy listens on this machine only (127.0.0.1), not on {host!r}",
            hint='Give listen = "127.0.0.1:PORT" (or just the port).',
        )
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise AssayError(
            f"the fault proxy's listen address {listen!r} has no valid port",
            hint='Give listen = "127.0.0.1:PORT" with a port from 1 to 65535.',
        )
    return ("127.0.0.1" if host == "localhost" else host), int(port_text)
