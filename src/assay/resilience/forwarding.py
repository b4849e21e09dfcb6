"""The proxy's side of a connection: forwarding upstream, answering, hanging up.

`forward` sends one request to the upstream on a connection of its own (closed after
the answer) and reads the whole answer; when the upstream is unreachable, breaks off or
exceeds its time, the proxy answers 502 / 504 itself, a small problem document.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct

from assay.resilience.wire import Message, WireError, encode, read_response

__all__ = ["HEAD_LIMIT", "closed", "forward", "problem", "reset", "write_response"]

HEAD_LIMIT = 64 * 1024
"""The largest message head (start line and headers) the proxy reads."""


async def forward(
    request: Message, upstream: tuple[str, int], timeout: float, limit: int
) -> tuple[Message, str]:
    """The upstream's answer, or the proxy's own 502 / 504; and the call's outcome."""
    host, port = upstream
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, limit=HEAD_LIMIT), timeout
        )
    except (OSError, TimeoutError):
        return problem(502, "Bad Gateway", "the upstream is unreachable"), "upstream unreachable"
    try:
        headers = [*request.end_to_end(), ("Connection", "close")]
        length = -1 if request.body or request.method in ("POST", "PUT", "PATCH") else None
        start = (request.method, request.target, "HTTP/1.1")
        writer.write(encode(start, headers, request.body, length))
        await writer.drain()
        response = await asyncio.wait_for(read_response(reader, request.method, limit), timeout)
    except TimeoutError:
        return problem(504, "Gateway Timeout", "the upstream did not answer"), "upstream timeout"
    except (ConnectionError, asyncio.IncompleteReadError, WireError):
        return problem(502, "Bad Gateway", "the upstream broke off"), "upstream unreachable"
    finally:
        writer.close()
    return response, "forwarded"


async def write_response(
    writer: asyncio.StreamWriter, request: Message | None, response: Message
) -> None:
    """Send `response` to the caller, framed by Content-Length (None: no request read)."""
    start = ("HTTP/1.1", str(response.status), response.start[2])
    headers = response.end_to_end()
    if request is None:
        headers.append(("Connection", "close"))
    writer.write(encode(start, headers, response.body, _length(request, response)))
    await writer.drain()


def _length(request: Message | None, response: Message) -> int | None:
    if response.status in (204, 304) or 100 <= response.status < 200:
        return None
    if request is not None and request.method == "HEAD":
        declared = response.header("content-length")
        return int(declared) if declared and declared.isdigit() else None
    return -1


def problem(status: int, reason: str, detail: str) -> Message:
    """The proxy's own answer: a small JSON problem saying it came from the proxy."""
    body = json.dumps({"title": reason, "detail": f"{detail} (assay fault proxy)"}).encode()
    return Message(("HTTP/1.1", str(status), reason), [("Content-Type", "application/json")], body)


async def closed(reader: asyncio.StreamReader) -> None:
    """Return when the caller closes its side (anything it sends meanwhile is dropped)."""
    with contextlib.suppress(ConnectionError):
        while await reader.read(4096):
            pass


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (SO_LINGER 0), not an orderly FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
