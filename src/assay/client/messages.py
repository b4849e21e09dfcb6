"""`APITestRequest` and `APITestResponse`: the structured request and response of a test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx2

from assay.client.conformance import SpecBinding
from assay.client.curl import to_curl
from assay.client.expectations import Expectations
from assay.spec.model import Operation

if TYPE_CHECKING:
    from assay.client.identities import Identity

__all__ = ["APITestRequest", "APITestResponse"]


@dataclass(frozen=True, slots=True)
class APITestRequest:
    """A request described as data, sent with `client.send(request)`.

    Either `path` is a concrete path (``/orders/42``) sent with `method`, or
    `operation_id` names a spec operation and `path_params` fill its template.
    `query` may also be a list of (name, value) pairs (a repeated name) for a concrete
    path. `timeout` (seconds) overrides the client's for this request.
    """

    method: str = "GET"
    path: str = "/"
    operation_id: str | None = None
    path_params: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] | Sequence[tuple[str, Any]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    cookies: Mapping[str, str] = field(default_factory=dict)
    json: Any = None
    data: Mapping[str, Any] | None = None
    files: Mapping[str, Any] | None = None
    content: bytes | str | None = None
    identity: str | Identity | None = None
    validate: bool | None = None
    timeout: float | None = None


class APITestResponse:
    """An httpx2 response plus what assay knows about it (operation, timing, spec)."""

    def __init__(
        self,
        raw: httpx2.Response,
        *,
        binding: SpecBinding | None,
        operation: Operation | None = None,
        identity: str | None = None,
    ) -> None:
        self.raw = raw
        self.binding = binding
        self._operation = operation
        self.identity = identity

    @cached_property
    def operation(self) -> Operation | None:
        """The spec operation this response answers (None without a spec or a match)."""
        if self._operation is not None:
            return self._operation
        if self.binding is None:
            return None
        return self.binding.operation_for(self.raw.request)

    @property
    def expect(self) -> Expectations:
        """Start a chain of assertions: ``resp.expect.status(200).json_path("$.id", int)``."""
        return Expectations(self)

    @property
    def status_code(self) -> int:
        return self.raw.status_code

    @property
    def headers(self) -> httpx2.Headers:
        return self.raw.headers

    @property
    def content(self) -> bytes:
        return self.raw.content

    @property
    def text(self) -> str:
        return self.raw.text

    @property
    def cookies(self) -> httpx2.Cookies:
        return self.raw.cookies

    @property
    def request(self) -> httpx2.Request:
        return self.raw.request

    @property
    def url(self) -> httpx2.URL:
        return self.raw.url

    @property
    def is_success(self) -> bool:
        return self.raw.is_success

    @property
    def elapsed_ms(self) -> float:
        """Time spent in the transport (the app or the network), in milliseconds."""
        value = self.raw.extensions.get("assay.elapsed_ms")
        return float(value) if isinstance(value, int | float) else 0.0

    @property
    def curl(self) -> str:
        """The request as a `curl` line, to reproduce it by hand."""
        return to_curl(self.raw.request)

    def json(self) -> Any:
        return self.raw.json()

    def __repr__(self) -> str:
        request = self.raw.request
        return f"<APITestResponse {request.method} {request.url.path} → {self.status_code}>"
