"""Find routes a live service answers that its spec does not document, by asking politely.

Only safe methods are sent (``GET``, and ``OPTIONS`` on documented paths to read their
``Allow`` header), only to the target's own host, and at most `limit` requests. The
candidates come from the spec itself: the parents of documented paths (``/v1/orders``
for ``/v1/orders/{id}``), the same paths under neighbouring versions (``/v2/…`` beside
``/v1/…``) and a short list of paths services often serve without documenting them
(``/admin``, ``/debug``, ``/metrics``…). A path counts as served when it answers
neither 404 nor a redirect, and differently from a path that certainly does not exist
(so catch-all services raise no false alarm).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2

from assay.contract.routes import normalized
from assay.spec.model import Spec

__all__ = ["ProbeResult", "candidate_paths", "probe"]

COMMON_PATHS = (
    "/admin",
    "/debug",
    "/internal",
    "/metrics",
    "/status",
    "/actuator",
    "/console",
    "/graphql",
    "/server-status",
    "/.env",
)
_VERSION = re.compile(r"^/v(\d+)(/|$)")
_PARAMETER = re.compile(r"\{[^{}]+\}")


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """An undocumented method on a path the service answered (status, or Allow header)."""

    method: str
    path: str
    status: int
    reason: str


def _concrete(template: str) -> str:
    return _PARAMETER.sub("1", template)


def _siblings(templates: list[str]) -> Iterator[str]:
    for template in templates:
        parts = template.rstrip("/").split("/")
        for cut in range(len(parts) - 1, 1, -1):
            yield "/".join(parts[:cut])
    for template in templates:
        match = _VERSION.match(template)
        if match is not None:
            number = int(match.group(1))
            rest = template[match.end(1) :]
            for other in (number - 1, number + 1):
                if other >= 0:
                    yield f"/v{other}{rest}"


def candidate_paths(spec: Spec, limit: int) -> list[str]:
    """Concrete paths to try: undocumented siblings first, then common ones; at most `limit`."""
    templates = sorted({op.path for op in spec.operations})
    documented = {normalized(t) for t in templates}
    found: list[str] = []
    for path in [*_siblings(templates), *COMMON_PATHS]:
        if normalized(path) in documented or _concrete(path) in found:
            continue
        found.append(_concrete(path))
    return found[:limit]


class _Prober:
    def __init__(self, client: httpx2.Client) -> None:
        self.client = client
        self.nowhere = f"/assay-probe-{secrets.token_hex(6)}"
        missing = client.get(self.nowhere)
        self.baseline = (missing.status_code, missing.content)
        self._anywhere: set[str] | None = None

    def served(self, path: str) -> int | None:
        response = self.client.get(path)
        status = response.status_code
        if status == 404 or 300 <= status < 400:
            return None
        if (status, response.content) == self.baseline:
            return None
        return status

    def allowed(self, path: str) -> set[str]:
        """Methods the Allow header lists beyond those a nonexistent path would list."""
        if self._anywhere is None:
            self._anywhere = self._allow(self.nowhere)
        return self._allow(path) - self._anywhere

    def _allow(self, path: str) -> set[str]:
        response = self.client.request("OPTIONS", path)
        allow = response.headers.get("allow", "") if response.status_code < 500 else ""
        return {m.strip().upper() for m in allow.split(",") if m.strip()}


def probe(base_url: str, spec: Spec, *, limit: int = 60, timeout: float = 5.0) -> list[ProbeResult]:
    """Undocumented routes of a live service, from at most `limit` + 1 requests."""
    found: list[ProbeResult] = []
    with httpx2.Client(base_url=base_url.rstrip("/"), timeout=timeout) as client:
        prober = _Prober(client)
        budget = limit
        for path in candidate_paths(spec, limit):
            budget -= 1
            status = prober.served(path)
            if status is not None:
                found.append(ProbeResult("GET", path, status, f"answered {status}"))
        found.extend(_undocumented_methods(prober, spec, budget))
    return found


def _undocumented_methods(prober: _Prober, spec: Spec, budget: int) -> Iterator[ProbeResult]:
    by_path: dict[str, set[str]] = {}
    for op in spec.operations:
        by_path.setdefault(op.path, set()).add(op.method.upper())
    for template, methods in list(by_path.items())[: max(budget, 0)]:
        allowed = prober.allowed(_concrete(template)) - {"HEAD", "OPTIONS"}
        for method in sorted(allowed - methods):
            yield ProbeResult(method, template, 0, f"listed in the Allow header of {template}")
