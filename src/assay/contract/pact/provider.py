"""The provider side: replay a pact's interactions against the real provider.

For each interaction, the provider-state handlers set the provider up, the request is
sent (in-process to an app, or over HTTP to a URL), and the response is compared with
the expected one under the pact's matching rules. The result lists, per interaction,
every mismatch in plain words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.contract.pact.comparison import Received, compare_response, is_json_type
from assay.contract.pact.model import Interaction, Pact, PactRequest, read_pact
from assay.contract.pact.states import ProviderStates, load_states
from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.client import APITestClient

__all__ = ["InteractionResult", "Verification", "verify_pact"]


@dataclass(frozen=True, slots=True)
class InteractionResult:
    """How one interaction fared: its mismatches, or the error that stopped it."""

    interaction: Interaction
    mismatches: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.error is None

    def render(self) -> str:
        head = f"  {'PASS' if self.ok else 'FAIL'}  {self.interaction.label}"
        request = self.interaction.request
        lines = [head]
        if not self.ok:
            lines.append(f"        request: {request.method} {request.path}")
        if self.error is not None:
            lines.append(f"        - {self.error}")
        lines.extend(f"        - {m}" for m in self.mismatches)
        return "\n".join(lines)


@dataclass(slots=True)
class Verification:
    """The outcome of verifying one pact against one provider."""

    pact: Pact
    target: str
    results: list[InteractionResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> list[InteractionResult]:
        return [r for r in self.results if not r.ok]

    def render(self) -> str:
        head = (
            f"Verifying the pact of {self.pact.consumer} (consumer) with {self.pact.provider} "
            f"(provider) against {self.target}"
        )
        total = len(self.results)
        tail = f"{total} interactions, {len(self.failed)} failed"
        return "\n".join([head, *(r.render() for r in self.results), tail])


def _client(target: Any, timeout: float) -> tuple[APITestClient, str]:
    from assay.client import APITestClient

    if isinstance(target, str) and target.startswith(("http://", "https://")):
        client = APITestClient(
            base_url=target.rstrip("/"), spec=None, validate=False, timeout=timeout
        )
        return client, target
    label = target if isinstance(target, str) else type(target).__name__
    client = APITestClient(
        target, spec=None, validate=False, timeout=timeout, raise_app_exceptions=False
    )
    return client, label


def _content(request: PactRequest) -> bytes | None:
    if not request.has_body or request.body is None:
        return None
    content_type = next(
        (v for k, v in request.headers.items() if k.lower() == "content-type"), None
    )
    if isinstance(request.body, dict | list) or is_json_type(content_type):
        return json.dumps(request.body).encode()
    return str(request.body).encode()


def _replay(client: APITestClient, interaction: Interaction, extra: Mapping[str, str]) -> Received:
    request = interaction.request
    params = [(name, value) for name, values in request.query.items() for value in values]
    lowered = {name.lower() for name in extra}
    headers = {k: v for k, v in request.headers.items() if k.lower() not in lowered}
    response = client.request(
        request.method,
        request.path,
        params=params or None,
        headers={**headers, **extra},
        validate=False,
        content=_content(request),
    )
    return Received(
        headers=dict(response.headers), body=response.content, status=response.status_code
    )


def _verify_one(
    client: APITestClient,
    interaction: Interaction,
    states: ProviderStates,
    extra: Mapping[str, str],
) -> InteractionResult:
    try:
        with ExitStack() as stack:
            for state in interaction.states:
                stack.enter_context(states.entered(state))
            received = _replay(client, interaction, extra)
    except AssayError as exc:
        return InteractionResult(interaction, error=str(exc))
    except Exception as exc:
        return InteractionResult(interaction, error=f"{type(exc).__name__}: {exc}")
    mismatches = compare_response(interaction.response, received)
    return InteractionResult(interaction, tuple(_describe(m) for m in mismatches))


def _describe(mismatch: Any) -> str:
    where = str(mismatch.where)
    prefix = "body " if where.startswith("$") else ""
    return f"{prefix}{where}: {mismatch.message}"


def verify_pact(
    pact: Pact | str | Path,
    target: Any,
    *,
    states: ProviderStates | str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10.0,
) -> Verification:
    """Replay every interaction of `pact` against `target` (an ASGI app, its import
    string, a base URL, or an `APITestClient` the state handlers share) with the
    provider-state handlers of `states`.

    `headers` are added to every request, replacing the pact's own of the same name
    (credentials the provider's test environment accepts, such as ``X-API-Key``)."""
    loaded = pact if isinstance(pact, Pact) else read_pact(pact)
    from assay.client import APITestClient

    registry = load_states(states) if isinstance(states, str) else states or ProviderStates()
    if isinstance(target, APITestClient):  # the caller's client: theirs to close
        verification = Verification(loaded, "the given client")
        _verify_all(target, verification, registry, headers or {})
        return verification
    client, label = _client(target, timeout)
    verification = Verification(loaded, label)
    with client:
        _verify_all(client, verification, registry, headers or {})
    return verification


def _verify_all(
    client: APITestClient,
    verification: Verification,
    registry: ProviderStates,
    headers: Mapping[str, str],
) -> None:
    for interaction in verification.pact.interactions:
        verification.results.append(_verify_one(client, interaction, registry, headers))
