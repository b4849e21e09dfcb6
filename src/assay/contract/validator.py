"""`ContractValidator`: check recorded requests and responses against a spec.

One `Finding` per way an exchange breaks the spec, with the JSON pointer into the data
(``/items/0/price``) and into the spec (``#/components/schemas/Order/properties/price``)
in its evidence. Requests to paths the spec does not know are reported once per
method and path (check ``contract_undocumented``). Schemas are compiled once per
validator (`SpecValidator`), so checking thousands of exchanges stays cheap.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from assay.contract.traffic import RecordedExchange
from assay.errors import Finding, Reproduction, Severity
from assay.spec.loading import load
from assay.spec.model import Operation, Spec
from assay.spec.routing import OperationRouter
from assay.spec.validation import SpecValidator, Violation

__all__ = ["ContractReport", "ContractValidator"]

_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
_REQUEST_CHECK = "contract_request"
_RESPONSE_CHECK = "contract_response"
_UNDOCUMENTED_CHECK = "contract_undocumented"


@dataclass(slots=True)
class ContractReport:
    """What checking a batch of traffic found: findings (deduplicated) and counts."""

    findings: list[Finding] = field(default_factory=list)
    checked: int = 0
    unmatched: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def render(self) -> str:
        """Every finding in full, then the summary line: what the CLI prints."""
        parts = [finding.render() for finding in self.findings]
        return "\n\n".join([*parts, self.summary()])

    def summary(self) -> str:
        return (
            f"{self.checked} exchanges checked, {self.unmatched} to undocumented paths, "
            f"{len(self.findings)} contract findings"
        )


def _server_prefixes(spec: Spec) -> list[str]:
    prefixes = {urlsplit(server.url).path.rstrip("/") for server in spec.servers}
    return sorted((p for p in prefixes if p and "{" not in p), key=len, reverse=True)


@lru_cache(maxsize=1024)
def _template_pattern(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    pattern = _TEMPLATE.sub("([^/]+)", "".join(_escaped_template(template)))
    return re.compile(pattern + "/?"), tuple(_TEMPLATE.findall(template))


def _path_values(operation: Operation, path: str, prefix: str) -> dict[str, str]:
    if "{" not in operation.path:
        return {}
    pattern, names = _template_pattern(operation.path)
    if prefix and path.startswith(prefix):
        path = path[len(prefix) :] or "/"
    match = pattern.fullmatch(path)
    if match is None:
        return {}
    return {name: unquote(value) for name, value in zip(names, match.groups(), strict=True)}


def _escaped_template(template: str) -> Iterator[str]:
    position = 0
    for match in _TEMPLATE.finditer(template):
        yield re.escape(template[position : match.start()])
        yield match.group(0)
        position = match.end()
    yield re.escape(template[position:])


def violation_evidence(violation: Violation, record: RecordedExchange) -> dict[str, Any]:
    """The facts of one violation: kind, both pointers, status and where it was recorded."""
    return {
        "kind": violation.kind,
        "data_pointer": violation.data_pointer,
        "schema_pointer": violation.schema_pointer,
        "status": record.status,
        "source": record.source,
    }


def _finding(
    check: str, operation: Operation, violation: Violation, record: RecordedExchange
) -> Finding:
    where = f" at {violation.data_pointer}" if violation.data_pointer else ""
    direction = "request" if check == _REQUEST_CHECK else f"{record.status} response"
    detail = (
        f"The {direction} of {record.label} breaks the contract: {violation.message}{where}.\n"
        f"Data pointer:   {violation.data_pointer or '(whole message)'}\n"
        f"Schema pointer: {violation.schema_pointer}\n"
        f"Recorded at:    {record.source or '(live)'}\n"
        "Fix the service, or the spec if it is the spec that is wrong."
    )
    return Finding(
        f"{direction} does not match the spec ({violation.kind})",
        check=check,
        severity=Severity.MEDIUM,
        operation=operation.label,
        detail=detail,
        evidence=violation_evidence(violation, record),
        reproduction=Reproduction(curl=_curl(record)),
        signature=f"{violation.kind} {violation.schema_pointer} {violation.data_pointer}",
    )


def _curl(record: RecordedExchange) -> str:
    parts = ["curl", "-X", record.method, shlex.quote(record.url)]
    for name, value in record.request_headers.items():
        if name.lower() not in {"content-length", "host", "accept-encoding", "connection"}:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    if record.request_body:
        parts += ["--data-binary", shlex.quote(record.request_body.decode("utf-8", "replace"))]
    return " ".join(parts)


class ContractValidator:
    """Validates recorded exchanges against one spec; create it once, reuse it.

    `spec` is a `Spec` or anything `assay.spec.load` accepts. `prefix` is a path prefix
    the traffic has and the spec's paths do not (``/api``); the spec's own ``servers``
    paths are tried too. `requests`/`responses` switch either direction off.

    An invalid request the service rejected with a 4xx was handled correctly, so it is
    reported only with `rejected_requests=True` (to find a consumer's mistakes); an
    invalid request the service accepted is always a finding.
    """

    def __init__(
        self,
        spec: Spec | str | Mapping[str, Any],
        *,
        prefix: str = "",
        requests: bool = True,
        responses: bool = True,
        rejected_requests: bool = False,
    ) -> None:
        self.spec = load(spec)
        self.validator = SpecValidator(self.spec)
        prefixes = [prefix.rstrip("/")] if prefix else []
        self._routers = [
            (p, OperationRouter(self.spec, prefix=p))
            for p in ["", *prefixes, *_server_prefixes(self.spec)]
        ]
        self.requests = requests
        self.responses = responses
        self.rejected_requests = rejected_requests

    def operation_for(self, method: str, path: str) -> tuple[Operation, str] | None:
        """The operation a request hits and the prefix it was found under."""
        for prefix, router in self._routers:
            operation = router.match(method, path)
            if operation is not None:
                return operation, prefix
        return None

    def request_violations(
        self, operation: Operation, record: RecordedExchange, prefix: str = ""
    ) -> list[Violation]:
        """How the recorded request breaks the spec."""
        return self.validator.validate_request(
            operation,
            path=_path_values(operation, record.path, prefix),
            query=record.query,
            headers=record.request_headers,
            cookies=record.cookies,
            body=record.request_body,
            content_type=record.request_content_type,
        )

    def response_violations(
        self, operation: Operation, record: RecordedExchange
    ) -> list[Violation]:
        """How the recorded response breaks the spec."""
        body = b"" if record.method.upper() == "HEAD" else record.response_body
        return self.validator.validate_response(
            operation, record.status, record.response_headers, body
        )

    def request_findings(
        self, operation: Operation, record: RecordedExchange, prefix: str = ""
    ) -> list[Finding]:
        """The recorded request's violations as findings (none when requests are off)."""
        rejected = 400 <= record.status < 500
        if not self.requests or (rejected and not self.rejected_requests):
            return []
        violations = self.request_violations(operation, record, prefix)
        return [_finding(_REQUEST_CHECK, operation, v, record) for v in violations]

    def response_findings(self, operation: Operation, record: RecordedExchange) -> list[Finding]:
        """The recorded response's violations as findings (none when responses are off)."""
        if not self.responses:
            return []
        violations = self.response_violations(operation, record)
        return [_finding(_RESPONSE_CHECK, operation, v, record) for v in violations]

    def check(self, record: RecordedExchange) -> list[Finding]:
        """Every finding of one exchange (none when it conforms).

        A request to a path the spec does not know is a finding unless it was answered
        404 or 405 (the correct answer to an unknown route), or is a ``HEAD`` or an
        ``OPTIONS`` (CORS preflight) the spec need not list.
        """
        found = self.operation_for(record.method, record.path)
        if found is None:
            if record.status in (404, 405) or record.method.upper() in ("HEAD", "OPTIONS"):
                return []  # the right answer to an unknown route; CORS preflights, HEADs
            return [_undocumented(record)]
        operation, prefix = found
        return [
            *self.request_findings(operation, record, prefix),
            *self.response_findings(operation, record),
        ]

    def check_all(self, records: Iterable[RecordedExchange]) -> ContractReport:
        """Check a batch; the same defect on the same operation is reported once, counted."""
        report = ContractReport()
        seen: dict[tuple[str, str | None, str], Finding] = {}
        for record in records:
            report.checked += 1
            for finding in self.check(record):
                if finding.check == _UNDOCUMENTED_CHECK:
                    report.unmatched += 1
                key = (finding.check, finding.operation, finding.signature)
                if key in seen:
                    seen[key].evidence["occurrences"] += 1
                    continue
                finding.evidence["occurrences"] = 1
                seen[key] = finding
                report.findings.append(finding)
        return report


def _undocumented(record: RecordedExchange) -> Finding:
    return Finding(
        f"{record.label} is not documented in the spec",
        check=_UNDOCUMENTED_CHECK,
        severity=Severity.LOW,
        operation=record.label,
        detail=(
            f"The traffic has a {record.method.upper()} request to {record.path} (answered "
            f"{record.status}), but no operation of the spec matches it. Document the route, "
            "or pass --prefix if the traffic has a base path the spec's paths lack."
        ),
        evidence={"status": record.status, "source": record.source, "path": record.path},
        reproduction=Reproduction(curl=_curl(record)),
        signature=record.label,
    )
