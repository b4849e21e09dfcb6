"""Render requests as `curl` lines and responses as short readable text."""

from __future__ import annotations

import json
import shlex

import httpx2

__all__ = ["describe_response", "to_curl"]

_SKIPPED_HEADERS = frozenset(
    {"host", "content-length", "accept-encoding", "connection", "user-agent"}
)
_BODY_LIMIT = 2000


def to_curl(request: httpx2.Request, *, body_limit: int = 10_000) -> str:
    """A shell-safe `curl` command that sends `request` again."""
    parts = ["curl", "-X", request.method, shlex.quote(str(request.url))]
    for name, value in request.headers.multi_items():
        if name.lower() in _SKIPPED_HEADERS:
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    body = request.content if _has_body(request) else b""
    if body:
        text = body.decode("utf-8", errors="replace")
        if len(text) > body_limit:
            text = text[:body_limit] + "…"
        parts += ["--data-binary", shlex.quote(text)]
    return " ".join(parts)


def _has_body(request: httpx2.Request) -> bool:
    try:
        return bool(request.content)
    except httpx2.RequestNotRead:
        return False


def describe_response(
    response: httpx2.Response, *, limit: int = _BODY_LIMIT, elapsed_ms: float | None = None
) -> str:
    """``422 Unprocessable Entity (application/json, 95 bytes, 1.2 ms)`` and the body."""
    content_type = response.headers.get("content-type", "no content-type")
    timing = f", {elapsed_ms:.1f} ms" if elapsed_ms is not None else ""
    head = (
        f"{response.status_code} {response.reason_phrase} "
        f"({content_type}, {len(response.content)} bytes{timing})"
    )
    body = _body_text(response)
    if not body:
        return head
    if len(body) > limit:
        body = body[:limit] + f"… ({len(body) - limit} more characters)"
    indented = "\n".join(f"    {line}" for line in body.splitlines())
    return f"{head}\n{indented}"


def _body_text(response: httpx2.Response) -> str:
    raw = response.content
    if not raw:
        return ""
    if "json" in response.headers.get("content-type", ""):
        try:
            return json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
        except ValueError:
            pass
    return raw.decode("utf-8", errors="replace")
