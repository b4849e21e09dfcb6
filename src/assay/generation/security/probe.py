"""What every security probe shares: building its cases and sending them as the phase.

Every case a probe sends carries ``Case.scenario`` with ``name = "security"``, the
probe's name (``headers``, ``cors``…), the step and the facts the checks judge it by;
`assay.checks._security.facts` reads them back. Probes never send as a configured
identity's own session when a request could end it: they log in on their own or send
as an adopted anonymous identity (`Engine.adopt`), which has a cookie jar of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.client.identities import Identity
from assay.config import SecurityConfig
from assay.errors import AssayError
from assay.generation.cases import UNSET, Case
from assay.generation.steps import ScenarioContext
from assay.spec.model import Operation

__all__ = ["ANONYMOUS", "SCENARIO", "Probe", "Sent"]

SCENARIO = "security"
ANONYMOUS = "assay~anonymous"
"""The identity probes send as when a request must carry no credentials at all."""

Sent = Any
"""An engine `Exchange` (None when no response came)."""


class Probe:
    """One probe module's view of the phase: its configuration, cases and sending."""

    def __init__(self, ctx: ScenarioContext, name: str) -> None:
        self.ctx = ctx
        self.name = name
        configured = getattr(ctx.settings, "security", None)
        self.config: SecurityConfig = configured or SecurityConfig()
        self.anonymous = ctx.engine.adopt(Identity.anonymous(ANONYMOUS))

    @property
    def expired(self) -> bool:
        return self.ctx.expired

    @property
    def identities(self) -> list[Identity]:
        """The configured identities (never the probes' own)."""
        return list(self.ctx.engine.client.identities.values())

    def case(
        self,
        operation: Operation,
        step: str,
        *,
        facts: Mapping[str, Any] | None = None,
        identity: str | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        body: Any = UNSET,
        media_type: str | None = None,
        method: str | None = None,
    ) -> Case | None:
        """A case for `operation` with generated path and required values (None if impossible).

        `identity` None means the engine's choice for the operation; `ANONYMOUS` (or
        ``probe.anonymous``) sends without credentials.
        """
        values = self.parameters(operation)
        if values is None:
            return None
        return Case(
            operation,
            path_parameters=values["path"],
            query=values["query"],
            headers={**{k: str(v) for k, v in values["header"].items()}, **(headers or {})},
            cookies={**{k: str(v) for k, v in values["cookie"].items()}, **(cookies or {})},
            body=body,
            media_type=media_type,
            method=method,
            identity=identity,
            note=f"security {self.name}: {step}",
            scenario={"name": SCENARIO, "probe": self.name, "step": step, **(facts or {})},
        )

    def parameters(self, operation: Operation) -> dict[str, dict[str, Any]] | None:
        """Values for the path parameters and the required others (None if impossible)."""
        values: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}, "cookie": {}}
        factory = self.ctx.factory(operation)
        for param in operation.parameters:
            if not (param.required or param.location == "path"):
                continue
            if factory is None:
                return None
            try:
                values[param.location][param.name] = factory.for_parameter(param)
            except AssayError:
                return None
        return values

    def body(self, operation: Operation) -> tuple[Any, str | None] | None:
        """A valid body for `operation` and its media type; (UNSET, None) when it takes none."""
        request = operation.request_body
        if request is None or not request.content:
            return UNSET, None
        media = next((m for m in request.content.values() if m.is_json), None)
        media = media or next(iter(request.content.values()))
        factory = self.ctx.factory(operation)
        if factory is None:
            return None
        try:
            return factory.for_body(media), media.media_type
        except AssayError:
            return None

    def send(self, case: Case | None) -> Sent:
        """Send `case` through the engine (its checks judge it): the exchange, or None."""
        if case is None or self.expired:
            return None
        return self.ctx.execute(case).exchange
