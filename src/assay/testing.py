"""The engine inside pytest: one test per operation, and cases for hand-written tests.

```python
import assay
from myservice.main import app

schema = assay.from_asgi(app)          # or assay.from_url("http://127.0.0.1:8000")


@schema.parametrize()
def test_api(operation):
    operation.run()                     # every phase and default check on this operation
```

A failing operation raises the `Finding` (several are reported together), so pytest
shows the check, the operation and a ``curl`` line. The spec is loaded when the
module is collected (parametrize needs the operation list); the app or connection
is opened on the first `run` and closed at the end of the session.
"""

from __future__ import annotations

import atexit
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import pytest

from assay.client.client import APITestClient
from assay.client.identities import Identity
from assay.client.messages import APITestResponse
from assay.engine.runner import Engine, RunResult, open_client, send_case
from assay.engine.settings import RunSettings
from assay.errors import AssayError, Finding, Severity
from assay.generation.cases import UNSET, Case
from assay.spec.loading import load
from assay.spec.model import Operation, Spec

__all__ = [
    "APISchema",
    "CaseBuilder",
    "OperationTest",
    "close_all",
    "from_asgi",
    "from_url",
    "send_case",
]

_Test = TypeVar("_Test", bound=Callable[..., Any])
_OPEN: weakref.WeakSet[APISchema] = weakref.WeakSet()


class APISchema:
    """A target and its spec, ready to generate one pytest test per operation."""

    def __init__(
        self,
        target: Any,
        *,
        spec: Spec | str | None = None,
        identities: Iterable[Identity] = (),
        settings: RunSettings | None = None,
    ) -> None:
        self.target = target
        self.settings = replace(settings or RunSettings(), identities=tuple(identities))
        self.spec: Spec = load(spec if spec is not None else target)
        self._client: APITestClient | None = None
        self._label = ""

    def parametrize(self, *, operations: Iterable[str] = ()) -> Callable[[_Test], _Test]:
        """Decorate a test taking ``operation``: one test per operation (or those named)."""
        wanted = set(operations)
        chosen = [
            op
            for op in self.spec.operations
            if not wanted or op.operation_id in wanted or op.label in wanted
        ]
        missing = wanted - {op.operation_id for op in chosen} - {op.label for op in chosen}
        if missing:
            raise AssayError(f"no operation called {', '.join(sorted(missing))} in the spec")
        tests = [OperationTest(self, op) for op in chosen]
        return pytest.mark.parametrize("operation", tests, ids=[t.id for t in tests])

    def client(self) -> APITestClient:
        """The shared client (opened on first use, closed at the end of the session)."""
        if self._client is None:
            client, self._label = open_client(self.target, self.settings, spec=self.spec)
            self._client = client.start()
            _OPEN.add(self)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def run(self, operation: Operation, settings: RunSettings) -> RunResult:
        engine = Engine(self.client(), settings, target=self._label)
        return engine.run()


@dataclass(frozen=True, slots=True)
class OperationTest:
    """One operation under test; `run` runs the engine on it and raises what it finds."""

    schema: APISchema
    operation: Operation

    @property
    def id(self) -> str:
        return self.operation.operation_id or self.operation.label

    def run(
        self,
        *,
        phases: Iterable[str] | None = None,
        checks: Iterable[str] | None = None,
        exclude_checks: Iterable[str] = (),
        max_examples: int | None = None,
        seed: int | None = None,
    ) -> RunResult:
        """Run the phases on this operation; raises a `Finding` when anything is found."""
        base = self.schema.settings
        settings = replace(
            base,
            phases=tuple(phases) if phases is not None else base.phases,
            checks=tuple(checks) if checks is not None else base.checks,
            exclude_checks=tuple(exclude_checks) or base.exclude_checks,
            max_examples=max_examples if max_examples is not None else base.max_examples,
            seed=seed if seed is not None else base.seed,
            operations=(self.operation.label,),
        )
        result = self.schema.run(self.operation, settings)
        if result.findings:
            raise _combined(result)
        return result


def _combined(result: RunResult) -> Finding:
    findings = result.findings
    if len(findings) == 1:
        return findings[0]
    worst = max(f.severity for f in findings)
    text = "\n\n".join(f.render() for f in findings)
    return Finding(
        f"{len(findings)} findings (seed {result.seed})",
        check="+".join(sorted({f.check for f in findings})),
        severity=Severity(worst),
        operation=findings[0].operation,
        detail=text,
    )


def from_asgi(app: Any, **options: Any) -> APISchema:
    """An `APISchema` for an in-process ASGI app (object or ``package.module:app``)."""
    return APISchema(app, **options)


def from_url(url: str, **options: Any) -> APISchema:
    """An `APISchema` for a live service; the spec is ``{url}/openapi.json`` unless given."""
    spec = options.pop("spec", None) or f"{url.rstrip('/')}/openapi.json"
    return APISchema(url, spec=spec, **options)


class CaseBuilder:
    """Valid, realistic cases for named operations; the `assay_case` fixture is one.

    ``assay_case("createOrder", body={"quantity": 3})`` fills every required parameter
    and the body from the schemas (seeded), then applies your overrides;
    ``assay_case.send(...)`` also sends it with the `api` client and returns the response.
    """

    def __init__(self, client: APITestClient, seed: int) -> None:
        self.client = client
        self.seed = seed

    def __call__(
        self,
        operation_id: str,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = UNSET,
        media_type: str | None = None,
    ) -> Case:
        from assay.generation.values import ValueFactory

        operation = self.client.spec.operation(operation_id)
        factory = ValueFactory(self.client.spec, self.seed).fork(operation.label)
        case = Case(operation)
        for parameter in operation.parameters:
            if not parameter.required:
                continue
            value = factory.for_parameter(parameter)
            if parameter.location == "path":
                case.path_parameters[parameter.name] = value
            elif parameter.location == "query":
                case.query[parameter.name] = value
            elif parameter.location == "header":
                case.headers[parameter.name] = str(value)
        _fill_body(case, factory, body, media_type)
        case.path_parameters.update(path or {})
        case.query.update(query or {})
        case.headers.update(headers or {})
        return case

    def send(self, operation_id: str, **overrides: Any) -> APITestResponse:
        """Build the case and send it with the client (validated as the client says)."""
        return send_case(self.client, self(operation_id, **overrides))


def _fill_body(case: Case, factory: Any, body: Any, media_type: str | None) -> None:
    request_body = case.operation.request_body
    if request_body is None:
        if body is not UNSET:
            case.body = body
        return
    media = media_type or next(iter(request_body.content), None)
    case.media_type = media
    generated = factory.for_body(request_body.content[media]) if media else UNSET
    if isinstance(body, Mapping) and isinstance(generated, dict):
        case.body = {**generated, **body}
    else:
        case.body = generated if body is UNSET else body


@atexit.register
def close_all() -> None:
    """Close every schema's client (the pytest plugin calls it when the session ends)."""
    for schema in list(_OPEN):
        schema.close()
