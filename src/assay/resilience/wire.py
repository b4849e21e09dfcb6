"""HTTP/1.1 messages on asyncio streams, as far as a forwarding proxy needs them.

Requests and responses are read whole (bodies by ``Content-Length``, chunked, or — for
responses only — until the connection closes), bounded by a size limit, and written
back with a ``Content-Length``: the proxy re-frames every body, so chunked transfer
and the hop-by-hop headers stop at it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

__all__ = [
    "HOP_BY_HOP",
    "Message",
    "WireError",
    "encode",
    "read_body",
    "read_request",
    "read_response",
]

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "expect",
    }
)
"""Headers that describe one connection (and the framing the proxy redoes)."""

_HEAD_END = b"\r\n\r\n"


class WireError(Exception):
    """A message the proxy cannot read: malformed, or larger than its limit."""


@dataclass(slots=True)
class Message:
    """A request (``method``, ``target``) or a response (``status``, ``reason``)."""

    start: tuple[str, str, str]
    headers: list[tuple[str, str]]
    body: bytes = b""

    @property
    def method(self) -> str:
        return self.start[0].upper()

    @property
    def target(self) -> str:
        return self.start[1]

    @property
    def status(self) -> int:
        return int(self.start[1])

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def keep_alive(self) -> bool:
        connection = (self.header("connection") or "").lower()
        if self.start[0].upper() == "HTTP/1.0" or self.start[2].upper() == "HTTP/1.0":
            return "keep-alive" in connection
        return "close" not in connection

    def end_to_end(self) -> list[tuple[str, str]]:
        """The headers without the hop-by-hop ones."""
        return [(k, v) for k, v in self.headers if k.lower() not in HOP_BY_HOP]


async def _head(reader: asyncio.StreamReader) -> tuple[tuple[str, str, str], list[tuple[str, str]]]:
    try:
        raw = await reader.readuntil(_HEAD_END)
    except asyncio.LimitOverrunError as exc:
        raise WireError("the message head is larger than the proxy's limit") from exc
    lines = raw[: -len(_HEAD_END)].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2:
        raise WireError(f"not an HTTP start line: {lines[0][:80]!r}")
    start = (parts[0], parts[1], parts[2] if len(parts) > 2 else "")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise WireError(f"not an HTTP header line: {line[:80]!r}")
        headers.append((name.strip(), value.strip()))
    return start, headers


async def _chunked(reader: asyncio.StreamReader, limit: int) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError as exc:
            raise WireError(f"bad chunk size {size_line[:20]!r}") from exc
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers are dropped
            return bytes(body)
        if len(body) + size > limit:
            raise WireError(f"the body is larger than the proxy's limit of {limit} bytes")
        body += await reader.readexactly(size)
        await reader.readexactly(2)


async def _body(
    reader: asyncio.StreamReader, message: Message, limit: int, until_close: bool
) -> bytes:
    if "chunked" in (message.header("transfer-encoding") or "").lower():
        return await _chunked(reader, limit)
    length = message.header("content-length")
    if length is not None:
        try:
            size = int(length)
        except ValueError as exc:
            raise WireError(f"bad Content-Length {length!r}") from exc
        if size < 0 or size > limit:
            raise WireError(f"a body of {size} bytes is beyond the proxy's limit of {limit}")
        return await reader.readexactly(size)
    if not until_close:
        return b""
    data = await reader.read(limit + 1)
    while data and len(data) <= limit:
        more = await reader.read(limit + 1 - len(data))
        if not more:
            break
        data += more
    if len(data) > limit:
        raise WireError(f"the body is larger than the proxy's limit of {limit} bytes")
    return data


async def read_request(reader: asyncio.StreamReader, limit: int) -> Message | None:
    """The next request's head (body not read yet), or None when the caller is gone."""
    try:
        start, headers = await _head(reader)
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    return Message(start, headers)


async def read_body(reader: asyncio.StreamReader, request: Message, limit: int) -> None:
    """Read the request's body into ``request.body``."""
    request.body = await _body(reader, request, limit, until_close=False)


async def read_response(reader: asyncio.StreamReader, method: str, limit: int) -> Message:
    """The upstream's whole answer to a `method` request (1xx answers skipped)."""
    while True:
        start, headers = await _head(reader)
        response = Message(start, headers)
        if not 100 <= response.status < 200:
            break
    if method == "HEAD" or response.status in (204, 304):
        return response
    response.body = await _body(reader, response, limit, until_close=True)
    return response


def encode(
    start: tuple[str, str, str],
    headers: list[tuple[str, str]],
    body: bytes,
    length: int | None = -1,
) -> bytes:
    """A message framed by ``Content-Length`` (``headers`` must not frame it).

    ``length`` -1 frames ``body``; None sends no ``Content-Length`` (a bodiless
    request, a 204); another number is sent as is (the answer to a HEAD request).
    """
    lines = [" ".join(part for part in start if part)]
    lines += [f"{name}: {value}" for name, value in headers]
    if length is not None:
        lines.append(f"Content-Length: {len(body) if length == -1 else length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
