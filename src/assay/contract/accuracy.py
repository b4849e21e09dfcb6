"""Documentation accuracy: does the spec describe what the service really does?

========================== ======= ======================================================
code                       level   fires when
========================== ======= ======================================================
route-undocumented         error   the app's router (in-process) or a probe (live URL)
                                   shows a route the spec does not document
operation-unserved         error   the spec documents an operation the app's router
                                   does not serve (in-process apps only)
status-undocumented        warning traffic shows a status the operation does not document
header-undocumented        warning traffic shows a response header the operation does not
                                   document (standard HTTP, CORS and security headers aside)
example-invalid            error   an example does not match its own schema
summary-missing            warning an operation has no summary
no-error-response          warning an operation that takes input or credentials documents
                                   no error response
========================== ======= ======================================================

The last three are the document lint's rules (`assay.spec.lint`), reused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from assay.contract.routes import normalized, served_routes
from assay.contract.traffic import RecordedExchange
from assay.contract.validator import ContractValidator
from assay.spec.lint import Problem, lint
from assay.spec.model import Operation, Spec

__all__ = ["ACCURACY_RULES", "accuracy_lint", "fails", "lint_target"]

ACCURACY_RULES = (
    "route-undocumented",
    "operation-unserved",
    "status-undocumented",
    "header-undocumented",
    "example-invalid",
    "summary-missing",
    "no-error-response",
)
_DOCUMENT_RULES = frozenset({"example-invalid", "summary-missing", "no-error-response"})
_STANDARD_HEADERS = frozenset(
    {
        "accept-ranges", "age", "allow", "alt-svc", "cache-control", "connection",
        "content-encoding", "content-language", "content-length", "content-security-policy",
        "content-type", "date", "etag", "expires", "keep-alive", "last-modified", "pragma",
        "permissions-policy", "referrer-policy", "server", "set-cookie",
        "strict-transport-security", "transfer-encoding", "vary", "via", "www-authenticate",
        "x-content-type-options",
        "x-frame-options", "x-xss-protection",
    }
)  # fmt: skip
_STANDARD_PREFIXES = ("access-control-", "cross-origin-")


def app_problems(spec: Spec, app: Any) -> Iterator[Problem]:
    """Routes served but undocumented, and operations documented but not served."""
    served = served_routes(app)
    if not served:
        return
    documented = {(op.method.upper(), normalized(op.path)): op for op in spec.operations}
    serving = {(r.method, normalized(r.path)) for r in served}
    for route in served:
        if (route.method, normalized(route.path)) not in documented:
            yield Problem(
                "route-undocumented",
                "error",
                "#/paths",
                f"the app serves {route.label} ({route.origin}) but the spec does not document "
                "it; document it, or remove the route if nobody should call it",
            )
    for key, op in documented.items():
        if key not in serving:
            yield Problem(
                "operation-unserved",
                "error",
                op.pointer,
                f"the spec documents {op.label} but the app has no such route; remove it from "
                "the spec or serve it",
            )


def probe_problems(base_url: str, spec: Spec, limit: int) -> Iterator[Problem]:
    """Routes a live service answers that its spec does not document."""
    from assay.contract.probing import probe

    for result in probe(base_url, spec, limit=limit):
        yield Problem(
            "route-undocumented",
            "error",
            "#/paths",
            f"{base_url.rstrip('/')} serves {result.method} {result.path} ({result.reason}) but "
            "the spec does not document it; document it, or stop serving it",
        )


def _undocumented_headers(op: Operation, record: RecordedExchange) -> Iterator[str]:
    response = op.response_for(record.status)
    declared = {name.lower() for name in response.headers} if response is not None else set()
    for name in record.response_headers:
        low = name.lower()
        if low in declared or low in _STANDARD_HEADERS or low.startswith(_STANDARD_PREFIXES):
            continue
        yield name


def traffic_problems(spec: Spec, traffic: Iterable[RecordedExchange]) -> Iterator[Problem]:
    """Statuses and response headers seen in traffic that the spec does not document."""
    validator = ContractValidator(spec)
    seen: set[tuple[str, str]] = set()
    for record in traffic:
        found = validator.operation_for(record.method, record.path)
        if found is None:
            continue
        op = found[0]
        where = f"{op.pointer}/responses"
        if op.response_for(record.status) is None and op.responses:
            if (op.label, str(record.status)) not in seen:
                seen.add((op.label, str(record.status)))
                yield Problem(
                    "status-undocumented",
                    "warning",
                    where,
                    f"{op.label} answered {record.status} ({record.source}), which the spec "
                    "does not document; document the status",
                )
            continue
        for name in _undocumented_headers(op, record):
            key = (op.label, f"{record.status} {name.lower()}")
            if key not in seen:
                seen.add(key)
                yield Problem(
                    "header-undocumented",
                    "warning",
                    f"{where}/{record.status}",
                    f"{op.label} answered {record.status} with the header {name!r}, which the "
                    "spec does not document for that response; document it under headers",
                )


def accuracy_lint(
    spec: Spec,
    *,
    app: Any = None,
    base_url: str | None = None,
    traffic: Iterable[RecordedExchange] = (),
    probe_limit: int = 60,
) -> list[Problem]:
    """Every documentation-accuracy problem: router (`app`), probes (`base_url`), traffic
    and the document's own rules."""
    problems = [p for p in lint(spec) if p.code in _DOCUMENT_RULES]
    if app is not None:
        problems.extend(app_problems(spec, app))
    if base_url is not None:
        problems.extend(probe_problems(base_url, spec, probe_limit))
    problems.extend(traffic_problems(spec, traffic))
    return problems


def fails(problems: Iterable[Problem], fail_on: str) -> bool:
    """True when a problem is at the `fail_on` level or worse."""
    levels = {"error"} if fail_on == "error" else {"error", "warning"}
    return any(p.level in levels for p in problems)


def lint_target(
    target: str,
    *,
    spec: str | None = None,
    traffic: Iterable[RecordedExchange] = (),
    probe_limit: int = 60,
    timeout: float = 10.0,
) -> list[Problem]:
    """`accuracy_lint` for what the command line names: an app import string (its router),
    a base URL (probed; its spec at ``/openapi.json`` unless `spec` says otherwise) or a
    spec document (the document rules and traffic only)."""
    from assay.spec.apps import import_app, is_import_string
    from assay.spec.loading import load

    if target.startswith(("http://", "https://")):
        document = load(spec or f"{target.rstrip('/')}/openapi.json", timeout=timeout)
        return accuracy_lint(document, base_url=target, traffic=traffic, probe_limit=probe_limit)
    if is_import_string(target):
        app = import_app(target)
        document = load(spec, timeout=timeout) if spec else load(app, timeout=timeout)
        return accuracy_lint(document, app=app, traffic=traffic)
    return accuracy_lint(load(spec or target, timeout=timeout), traffic=traffic)
