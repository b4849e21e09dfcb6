"""CORS probe: a foreign origin, the ``null`` origin and preflights for what is not allowed.

Sent to one readable operation (CORS is configured for the whole service): a request
from an origin no one allowed (``https://assay-probe.invalid``), one from ``null``
(sandboxed frames, ``file:`` pages), and two preflights from an allowed origin — one
for a method the API declares nowhere, one for a header nobody uses. The allowed
origins are ``[security] cors_origins`` plus a fixed origin the service answers with
whatever the request's origin is (it advertises its own allow-list). A service that
answers with no CORS headers at all gives the checks nothing to judge.
"""

from __future__ import annotations

from assay.generation.security.probe import Probe, Sent
from assay.generation.security.targets import representatives
from assay.generation.steps import ScenarioContext
from assay.spec.model import Operation

__all__ = ["PROBE_HEADER", "PROBE_ORIGIN", "run"]

PROBE_ORIGIN = "https://assay-probe.invalid"
PROBE_HEADER = "X-Assay-Probe"
_RARE_METHODS = ("DELETE", "PATCH", "PUT")


def _unused_method(operations: list[Operation]) -> str | None:
    used = {op.method.upper() for op in operations}
    return next((m for m in _RARE_METHODS if m not in used), None)


def _advertised(exchange: Sent) -> str | None:
    """A concrete origin the service answered a foreign origin with (its allow-list)."""
    if exchange is None:
        return None
    value = str(exchange.response.headers.get("access-control-allow-origin", "")).strip()
    return value if value not in ("", "*", "null", PROBE_ORIGIN) else None


def run(ctx: ScenarioContext) -> None:
    """Send the origin probes and the preflights; `assay.checks.cors` judges them."""
    probe = Probe(ctx, "cors")
    operations = list(ctx.operations)
    signed = [op for op in operations if ctx.engine.identity_for(op) is not None]
    chosen = representatives(operations, signed)
    if not chosen:
        return
    target = next((op for op in chosen if op in signed), chosen[0])
    allowed = list(probe.config.cors_origins)
    facts = {"origin": PROBE_ORIGIN, "allowed": allowed}
    sent = probe.send(probe.case(target, "foreign", facts=facts, headers={"Origin": PROBE_ORIGIN}))
    advertised = _advertised(sent)
    if advertised is not None and advertised not in allowed:
        allowed.append(advertised)
    facts = {"origin": "null", "allowed": allowed}
    probe.send(probe.case(target, "null", facts=facts, headers={"Origin": "null"}))
    # Unused by the whole API, not only by the operations selected for this run.
    _preflights(probe, target, allowed, _unused_method(list(ctx.spec.operations)))


def _preflights(probe: Probe, target: Operation, allowed: list[str], unused: str | None) -> None:
    origin = allowed[0] if allowed else PROBE_ORIGIN
    asks: list[tuple[str, dict[str, str]]] = []
    if unused is not None:
        asks.append(("method", {"Access-Control-Request-Method": unused}))
    asks.append(
        (
            "header",
            {
                "Access-Control-Request-Method": target.method.upper(),
                "Access-Control-Request-Headers": PROBE_HEADER.lower(),
            },
        )
    )
    for asked, headers in asks:
        facts = {
            "origin": origin,
            "allowed": allowed,
            "asked": asked,
            "method": headers["Access-Control-Request-Method"],
            "header": PROBE_HEADER,
        }
        case = probe.case(
            target,
            "preflight",
            facts=facts,
            identity=probe.anonymous,
            headers={"Origin": origin, **headers},
            method="OPTIONS",
        )
        probe.send(case)
