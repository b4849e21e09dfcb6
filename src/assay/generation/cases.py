"""`Case`: one concrete request for an operation, and what the spec says it should get.

A case is *positive* when every part conforms to the operation (the server should
accept it, unless state explains a refusal), *negative* when some part violates it (the
server must refuse it with a 4xx); `mutation` then says what was made invalid and where.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from assay.spec.model import Operation

__all__ = ["ANONYMOUS", "UNSET", "Case", "CaseKind"]

CaseKind = Literal["positive", "negative"]


class _Unset:
    """The body of a case that sends none (distinct from a JSON ``null`` body)."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()

ANONYMOUS = "~anonymous"
"""The identity of a case sent with no credentials at all.

A case whose ``identity`` is None is sent as the identity the engine picks for its
operation; one whose ``identity`` is `ANONYMOUS` is sent with none (the auth phase
calls protected operations this way, or with credentials of its own in the headers).
"""


@dataclass(slots=True)
class Case:
    """One request: parameter values by location, a body, and how it was made.

    ``body`` is a Python value serialized for ``media_type`` (JSON, form, multipart);
    ``raw_body`` (bytes, sent as is with ``media_type`` as Content-Type) wins when set,
    for malformed JSON or invalid UTF-8. ``method`` overrides the operation's method
    (the semantics phase sends undeclared methods to a path).
    """

    operation: Operation
    path_parameters: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    body: Any = UNSET
    media_type: str | None = None
    raw_body: bytes | None = None
    method: str | None = None
    phase: str = "examples"
    kind: CaseKind = "positive"
    mutation: str | None = None
    """For a negative case: what is invalid, e.g. ``body/quantity: -1 is below minimum 1``."""
    identity: str | None = None
    note: str | None = None
    """Free text for reports: which example, which boundary, which scenario step."""
    scenario: dict[str, Any] | None = None
    """For a stateful step: the scenario, the step and the facts checks judge it by."""
    edge: bool = False
    """An input at the edge of the contract (huge numbers, oversized bodies, NUL, unicode
    oddities, duplicates in a ``uniqueItems`` array a server may de-duplicate): the
    server may accept or refuse it with a 4xx, and only a failure (5xx) is a defect."""
    timeout: float | None = None
    """Seconds to wait for this case's answer (None: the client's timeout); the
    resilience phase waits longer for a service whose dependency hangs."""

    @property
    def http_method(self) -> str:
        return (self.method or self.operation.method).upper()

    @property
    def label(self) -> str:
        """``POST /orders`` (the operation's, even when `method` overrides it)."""
        return f"{self.operation.method.upper()} {self.operation.path}"

    def with_identity(self, identity: str | None) -> Case:
        return replace(self, identity=identity)

    def size(self) -> int:
        """How big the case is, to keep the smallest reproduction of a finding."""
        parts: list[Any] = [self.path_parameters, self.query, self.headers, self.cookies]
        if self.raw_body is not None:
            return len(self.raw_body) + len(_dump(parts))
        if self.body is not UNSET:
            parts.append(self.body)
        return len(_dump(parts))

    def body_arguments(self) -> dict[str, Any]:
        """Keyword arguments for `APITestClient.request` that carry the body.

        JSON goes as ``json=`` for ``application/json`` and as bytes with the exact
        Content-Type for other JSON media types (``application/merge-patch+json``…).
        """
        if self.raw_body is not None:
            return {"content": self.raw_body, "headers": {"Content-Type": self._content_type}}
        if self.body is UNSET:
            return {}
        media = self._content_type.lower()
        if media == "application/x-www-form-urlencoded" and isinstance(self.body, Mapping):
            return {"data": {k: _form_text(v) for k, v in self.body.items()}}
        if media.startswith("multipart/") and isinstance(self.body, Mapping):
            return {"files": {k: _multipart_part(k, v) for k, v in self.body.items()}}
        if media == "application/json":
            return {"json": self.body}
        content = (
            json.dumps(self.body, ensure_ascii=False).encode()
            if "json" in media
            else _form_text(self.body).encode()
        )
        return {"content": content, "headers": {"Content-Type": self._content_type}}

    @property
    def _content_type(self) -> str:
        return self.media_type or "application/json"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (reports, events, replay)."""
        data: dict[str, Any] = {
            "operation": self.label,
            "operation_id": self.operation.operation_id,
            "method": self.http_method,
            "path_parameters": self.path_parameters,
            "query": self.query,
            "headers": self.headers,
            "cookies": self.cookies,
            "media_type": self.media_type,
            "phase": self.phase,
            "kind": self.kind,
            "mutation": self.mutation,
            "identity": self.identity,
            "note": self.note,
            "edge": self.edge,
        }
        if self.scenario is not None:
            data["scenario"] = self.scenario
        if self.raw_body is not None:
            data["raw_body"] = self.raw_body.decode("latin-1")
        elif self.body is not UNSET:
            data["body"] = self.body
        return data


def _multipart_part(name: str, value: Any) -> tuple[str | None, Any] | tuple[str, bytes, str]:
    """A file for bytes (a ``format: binary`` field), a plain form field otherwise."""
    if isinstance(value, bytes | bytearray):
        return (f"{name}.bin", bytes(value), "application/octet-stream")
    return (None, _form_text(value))


def _form_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=repr, sort_keys=True)
