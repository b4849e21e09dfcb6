"""Header probe: one readable request per family of operations, and HTML pages as HTML.

The answers are judged by `assay.checks.headers` (nosniff, framing, CSP, caching of
authenticated answers, HSTS, version disclosure). Each request is sent as the identity
the engine would use for the operation, so authenticated answers are seen as such.
"""

from __future__ import annotations

from assay.generation.security.probe import Probe
from assay.generation.security.targets import family, representatives
from assay.generation.steps import ScenarioContext
from assay.spec.model import Operation

__all__ = ["run"]


def _pages(operations: list[Operation]) -> list[Operation]:
    """One GET per family that documents an HTML answer."""
    chosen: dict[str, Operation] = {}
    for operation in operations:
        media = {m.lower() for r in operation.responses.values() for m in r.content}
        if operation.method == "get" and "text/html" in media:
            chosen.setdefault(family(operation), operation)
    return list(chosen.values())


def run(ctx: ScenarioContext) -> None:
    """Send the representatives and the pages; the header checks judge the answers."""
    probe = Probe(ctx, "headers")
    engine = ctx.engine
    operations = list(ctx.operations)
    signed = [op for op in operations if engine.identity_for(op) is not None]
    for operation in representatives(operations, signed):
        facts = {"family": family(operation), "authenticated": operation in signed}
        probe.send(probe.case(operation, "representative", facts=facts))
    for operation in _pages(operations):
        facts = {"family": family(operation), "authenticated": operation in signed}
        probe.send(probe.case(operation, "page", facts=facts, headers={"Accept": "text/html"}))
