"""A bench for checks: one app, its spec and a check context, and cases sent for real.

`Probe` describes a case by its operation label (``"POST /orders"``) and values;
`Bench.send` builds the `Case`, sends it with the engine's serialization, and wraps the
answer in an `Exchange`; `Bench.run` runs checks on it the way the engine does.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.checks.registry import CheckContext, Exchange, all_checks, get_check
from assay.client import APITestClient
from assay.client.operations import build_call
from assay.errors import Finding
from assay.generation.cases import UNSET, Case, CaseKind
from assay.spec import load


@dataclass(frozen=True)
class Probe:
    """One case to send: the operation's label and the values of the request."""

    operation: str
    path: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = UNSET
    media_type: str | None = None
    raw_body: bytes | None = None
    method: str | None = None
    kind: CaseKind = "positive"
    phase: str = "examples"
    mutation: str | None = None
    scenario: Mapping[str, Any] | None = None
    """A stateful step's facts (``Case.scenario``), for the state checks."""
    identity: str | None = None
    """The name of one of the settings' identities to send as (None: no credentials)."""


class Bench:
    """A client on `app`, its spec and one `CheckContext` shared by every probe."""

    def __init__(self, app: Any, settings: Mapping[str, Any] | None = None) -> None:
        self.spec = load(app)
        self.client = APITestClient(app, spec=self.spec, validate=False, raise_app_exceptions=False)
        for identity in (settings or {}).get("identities", ()):
            self.client.add_identity(identity)  # known to checks; probes name theirs
        self.context = CheckContext(
            spec=self.spec,
            validator=self.client.validator,
            client=self.client,
            settings=dict(settings or {}),
        )

    def case(self, probe: Probe) -> Case:
        operation = next(op for op in self.spec.operations if op.label == probe.operation)
        return Case(
            operation,
            path_parameters=dict(probe.path),
            query=dict(probe.query),
            headers=dict(probe.headers),
            body=probe.body,
            media_type=probe.media_type,
            raw_body=probe.raw_body,
            method=probe.method,
            kind=probe.kind,
            phase=probe.phase,
            mutation=probe.mutation,
            scenario=dict(probe.scenario) if probe.scenario is not None else None,
            identity=probe.identity,
        )

    def send(self, probe: Probe) -> Exchange:
        case = self.case(probe)
        prepared = build_call(
            case.operation,
            path=case.path_parameters,
            query=case.query,
            headers=case.headers,
            cookies=case.cookies,
        )
        body = case.body_arguments()
        headers = {**prepared.headers, **body.pop("headers", {})}
        started = time.perf_counter()
        response = self.client.request(
            case.http_method,
            prepared.path,
            params=prepared.query,
            headers=headers,
            validate=False,
            identity=case.identity,
            **body,
        )
        return Exchange(case, response, (time.perf_counter() - started) * 1000)

    def run(self, exchange: Exchange, checks: Iterable[str] | None = None) -> list[Finding]:
        """The findings the checks (default: every one of assay's) raise on `exchange`.

        Checks that test suites register for themselves (tests/engine) are left out.
        """
        chosen = (
            [get_check(n) for n in checks]
            if checks is not None
            else [c for c in all_checks() if c.function.__module__.startswith("assay.")]
        )
        found: list[Finding] = []
        for registered in chosen:
            try:
                registered.function(self.context, exchange)
            except Finding as finding:
                found.append(finding)
        return found

    def findings(self, *probes: Probe, checks: Iterable[str] | None = None) -> list[Finding]:
        """Send every probe in order and collect what the checks raise."""
        names = list(checks) if checks is not None else None
        return [f for p in probes for f in self.run(self.send(p), names)]

    def fired(self, check: str, *probes: Probe) -> list[Finding]:
        """The findings of one check over the probes."""
        return self.findings(*probes, checks=[check])

    def close(self) -> None:
        self.client.close()
