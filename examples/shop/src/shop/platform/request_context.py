"""The request being served, as seen from code deep below the endpoint (logs, clients)."""

from __future__ import annotations

from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"

current_request_id: ContextVar[str | None] = ContextVar("shop_request_id", default=None)
"""The ``X-Request-ID`` of the request in progress (set by the request-id middleware)."""
