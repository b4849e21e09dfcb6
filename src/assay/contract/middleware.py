"""`ContractMiddleware`: a provider switches contract validation on in its own tests.

    log = ContractLog()
    app.add_middleware(ContractMiddleware, spec=app.openapi, mode="record", log=log)
    ...  # exercise the app with any client
    log.assert_clean()

Every request and response passing through is checked against the spec once the
response is complete. Messages are passed on as they come, so streaming responses
keep streaming; at most `max_body` bytes of each body are kept for validation (a
longer body is not checked). ``mode="record"`` collects findings in the log;
``mode="raise"`` also raises the first exchange's findings from the app call (after the
response has been sent), so the test client surfaces them in the test that caused them.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any, Literal

from assay.contract.traffic import RecordedExchange
from assay.contract.validator import ContractValidator
from assay.errors import AssayError, Finding, Severity
from assay.spec.model import Spec

__all__ = ["ContractLog", "ContractMiddleware"]

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]
SpecSource = Spec | str | Mapping[str, Any] | Callable[[], Any]
Mode = Literal["record", "raise"]


class ContractLog:
    """The findings a `ContractMiddleware` collected (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.findings: list[Finding] = []
        self.checked = 0

    def add(self, findings: list[Finding]) -> None:
        with self._lock:
            self.checked += 1
            self.findings.extend(findings)

    def clear(self) -> None:
        with self._lock:
            self.findings.clear()
            self.checked = 0

    def assert_clean(self) -> None:
        """Raise one `Finding` listing every collected finding, if there is any."""
        if not self.findings:
            return
        parts = [f.render() for f in self.findings]
        raise Finding(
            f"{len(self.findings)} contract violations in {self.checked} exchanges",
            check="contract_middleware",
            severity=max(f.severity for f in self.findings),
            detail="\n\n".join(parts),
            evidence={"findings": [f.to_dict() for f in self.findings]},
        )


class _Capture:
    """The parts of one exchange the middleware keeps while passing messages on."""

    def __init__(self, max_body: int) -> None:
        self.max_body = max_body
        self.request: list[bytes] = []
        self.request_complete = False
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.size = 0
        self.truncated = False

    def on_receive(self, message: Message) -> None:
        if message["type"] == "http.request":
            self.request.append(message.get("body", b""))
            self.request_complete = not message.get("more_body", False)

    def on_send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            for key, value in message.get("headers", []):
                name = key.decode("latin-1").lower()
                text = value.decode("latin-1")
                self.headers[name] = (
                    f"{self.headers[name]}, {text}" if name in self.headers else text
                )
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            self.size += len(chunk)
            if self.size > self.max_body:
                self.truncated = True
                self.body.clear()
            elif chunk:
                self.body.append(chunk)


def _record(scope: Mapping[str, Any], capture: _Capture) -> RecordedExchange:
    path = scope.get("path", "/")
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    query = scope.get("query_string", b"").decode("latin-1")
    headers: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        headers[key.decode("latin-1").lower()] = value.decode("latin-1")
    return RecordedExchange(
        method=scope.get("method", "GET"),
        url=f"{path}?{query}" if query else path,
        request_headers=headers,
        request_body=b"".join(capture.request) or None,
        status=capture.status,
        response_headers=capture.headers,
        response_body=b"".join(capture.body),
        source="middleware",
    )


class ContractMiddleware:
    """ASGI middleware that validates every exchange against a spec.

    `spec` is a `Spec`, a document source for `assay.spec.load`, or a zero-argument
    callable returning one of those (``app.openapi``), loaded on the first request.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        spec: SpecSource,
        mode: Mode = "record",
        log: ContractLog | None = None,
        prefix: str = "",
        max_body: int = 1_000_000,
    ) -> None:
        if mode not in ("record", "raise"):
            raise AssayError(f"ContractMiddleware mode must be 'record' or 'raise', not {mode!r}")
        self.app = app
        self.mode = mode
        self.log = log if log is not None else ContractLog()
        self._spec_source = spec
        self._prefix = prefix
        self._max_body = max_body
        self._validator: ContractValidator | None = None
        self._lock = threading.Lock()

    @property
    def validator(self) -> ContractValidator:
        with self._lock:
            if self._validator is None:
                source = self._spec_source
                if callable(source) and not isinstance(source, Spec):
                    source = source()
                self._validator = ContractValidator(source, prefix=self._prefix)
            return self._validator

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        capture = _Capture(self._max_body)

        async def receive_and_keep() -> Message:
            message = await receive()
            capture.on_receive(message)
            return message

        async def send_and_keep(message: Message) -> None:
            capture.on_send(message)
            await send(message)

        await self.app(scope, receive_and_keep, send_and_keep)
        findings = self._check(scope, capture)
        self.log.add(findings)
        if findings and self.mode == "raise":
            raise findings[0] if len(findings) == 1 else _combined(findings)

    def _check(self, scope: Mapping[str, Any], capture: _Capture) -> list[Finding]:
        if capture.status == 0:
            return []
        record = _record(scope, capture)
        validator = self.validator
        found = validator.operation_for(record.method, record.path)
        if found is None:
            return validator.check(record)
        operation, prefix = found
        findings = []
        body_known = capture.request_complete or operation.request_body is None
        if body_known:
            findings.extend(validator.request_findings(operation, record, prefix))
        if not capture.truncated:
            findings.extend(validator.response_findings(operation, record))
        return findings


def _combined(findings: list[Finding]) -> Finding:
    return Finding(
        f"{len(findings)} contract violations in one exchange",
        check="contract_middleware",
        severity=max((f.severity for f in findings), default=Severity.MEDIUM),
        operation=findings[0].operation,
        detail="\n\n".join(f.render() for f in findings),
        evidence={"findings": [f.to_dict() for f in findings]},
    )
