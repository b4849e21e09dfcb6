"""Binds a client to its spec: which operation a request hits, and whether the answer conforms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx2

from assay.client.curl import describe_response, to_curl
from assay.errors import Finding, Reproduction, Severity
from assay.spec.model import Operation, Spec, escape_pointer_token
from assay.spec.routing import OperationRouter

if TYPE_CHECKING:
    from assay.spec.validation import SpecValidator, Violation

__all__ = ["SpecBinding", "conformance_finding"]


class SpecBinding:
    """A spec with its router and (lazily compiled) validator."""

    def __init__(self, spec: Spec, *, prefix: str = "") -> None:
        self.spec = spec
        self.router = OperationRouter(spec, prefix=prefix)
        self._validator: SpecValidator | None = None

    @property
    def validator(self) -> SpecValidator:
        if self._validator is None:
            from assay.spec.validation import SpecValidator

            self._validator = SpecValidator(self.spec)
        return self._validator

    def operation_for(self, request: httpx2.Request) -> Operation | None:
        return self.router.match(request.method, request.url.path)

    def check(self, operation: Operation, response: httpx2.Response) -> list[Violation]:
        body = b"" if response.request.method == "HEAD" else response.content
        return self.validator.validate_response(
            operation, response.status_code, response.headers, body
        )


def responses_pointer(operation: Operation) -> str:
    return f"#/paths/{escape_pointer_token(operation.path)}/{operation.method}/responses"


def conformance_finding(
    operation: Operation, response: httpx2.Response, violations: list[Violation]
) -> Finding:
    """One `Finding` listing every way a response breaks the spec, with pointers."""
    lines = []
    for violation in violations:
        where = f" at {violation.data_pointer}" if violation.data_pointer else ""
        lines.append(f"  - {violation.message}{where}\n    schema: {violation.schema_pointer}")
    request = response.request
    curl = to_curl(request)
    detail = (
        "The response does not match what the spec documents:\n"
        + "\n".join(lines)
        + f"\n\nRequest:\n    {curl}\nResponse: {describe_response(response)}"
        + f"\nSpec: {responses_pointer(operation)}"
        + "\n(Pass validate=False to this call, or mark the test "
        "@pytest.mark.assay(validate=False), to skip this check.)"
    )
    kinds = sorted({v.kind for v in violations})
    return Finding(
        f"response {response.status_code} does not conform to the spec ({', '.join(kinds)})",
        check="response_conformance",
        severity=Severity.MEDIUM,
        operation=operation.label,
        detail=detail,
        evidence={
            "status": response.status_code,
            "violations": [
                {
                    "kind": v.kind,
                    "message": v.message,
                    "schema": v.schema_pointer,
                    "data": v.data_pointer,
                }
                for v in violations
            ],
        },
        reproduction=Reproduction(curl=curl),
    )
