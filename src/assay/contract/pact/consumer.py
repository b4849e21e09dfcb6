"""The consumer side: declare interactions, let the code under test call a mock, write the pact.

pact = PactBuilder("orders", "inventory")
(pact.given("RED-CHAIR is in stock", sku="RED-CHAIR")
     .upon_receiving("a stock query")
     .with_request("GET", "/v1/stock/RED-CHAIR")
     .will_respond_with(200, body={"sku": "RED-CHAIR", "available": integer(5)}))
with pact.serve() as url:          # or call pact.app (ASGI) in-process
    assert StockClient(url).available("RED-CHAIR") == 5
pact.verify()                      # exactly the expected calls, nothing else
pact.write("pacts")                # pacts/orders-inventory.json (Pact v3)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.contract.pact.matchers import Matcher, body_rules, example_of
from assay.contract.pact.mock import MockProvider
from assay.contract.pact.model import (
    Interaction,
    Pact,
    PactRequest,
    PactResponse,
    ProviderState,
    read_pact,
)
from assay.errors import AssayError, Finding, Severity

__all__ = ["PactBuilder"]

_ABSENT: Any = object()
Values = Mapping[str, Any]


def _rule(matcher: Matcher) -> dict[str, Any]:
    return {"matchers": [dict(matcher.rule)], "combine": "AND"}


def _strings(values: Values | None) -> tuple[dict[str, str], dict[str, Any]]:
    """Header-like values (str or matcher) → examples and their rules by name."""
    examples: dict[str, str] = {}
    rules: dict[str, Any] = {}
    for name, value in (values or {}).items():
        if isinstance(value, Matcher):
            rules[name] = _rule(value)
        examples[name] = str(example_of(value))
    return examples, rules


def _query(values: Values | None) -> tuple[dict[str, list[str]], dict[str, Any]]:
    examples: dict[str, list[str]] = {}
    rules: dict[str, Any] = {}
    for name, value in (values or {}).items():
        items = value if isinstance(value, list | tuple) else [value]
        matchers = [item for item in items if isinstance(item, Matcher)]
        if matchers:
            rules[name] = _rule(matchers[0])
        examples[name] = [str(example_of(item)) for item in items]
    return examples, rules


def _with_json_type(headers: dict[str, str], body: Any) -> dict[str, str]:
    if isinstance(body, dict | list) and not any(k.lower() == "content-type" for k in headers):
        return {**headers, "Content-Type": "application/json"}
    return headers


def _categories(**rules: Any) -> dict[str, Any]:
    return {name: value for name, value in rules.items() if value}


@dataclass(slots=True)
class _Draft:
    states: list[ProviderState] = field(default_factory=list)
    description: str | None = None
    request: PactRequest | None = None


class PactBuilder:
    """Interactions of one consumer with one provider, and the mock that plays the provider."""

    def __init__(self, consumer: str, provider: str) -> None:
        self.consumer = consumer
        self.provider = provider
        self.mock = MockProvider()
        self._draft = _Draft()

    @property
    def interactions(self) -> list[Interaction]:
        return list(self.mock.interactions)

    @property
    def app(self) -> MockProvider:
        """The mock provider as an ASGI app (for in-process clients)."""
        return self.mock

    def serve(self, port: int = 0) -> Any:
        """Serve the mock over HTTP on 127.0.0.1; ``with pact.serve() as base_url: …``."""
        return self.mock.serve(port)

    def given(self, state: str, **params: Any) -> PactBuilder:
        """A provider state of the next interaction (call it again for several)."""
        self._draft.states.append(ProviderState(state, params))
        return self

    def upon_receiving(self, description: str) -> PactBuilder:
        """Name the next interaction (unique with its states within the pact)."""
        self._draft.description = description
        return self

    def with_request(
        self,
        method: str,
        path: str | Matcher,
        *,
        query: Values | None = None,
        headers: Values | None = None,
        body: Any = _ABSENT,
    ) -> PactBuilder:
        """The request the consumer will send; values may be matchers."""
        header_examples, header_rules = _strings(headers)
        query_examples, query_rules = _query(query)
        example = None if body is _ABSENT else example_of(body)
        self._draft.request = PactRequest(
            method=method.upper(),
            path=str(example_of(path)),
            query=query_examples,
            headers=_with_json_type(header_examples, example),
            body=example,
            has_body=body is not _ABSENT,
            matching_rules=_categories(
                path=_rule(path) if isinstance(path, Matcher) else None,
                query=query_rules,
                header=header_rules,
                body={} if body is _ABSENT else body_rules(body),
            ),
        )
        return self

    def will_respond_with(
        self, status: int, *, headers: Values | None = None, body: Any = _ABSENT
    ) -> Interaction:
        """The response the consumer expects; completes and registers the interaction."""
        draft = self._draft
        if draft.request is None or draft.description is None:
            raise AssayError(
                "will_respond_with() needs upon_receiving(description) and with_request(...) first",
                hint="Declare: pact.given(...).upon_receiving(...); pact.with_request(...); "
                "pact.will_respond_with(...).",
            )
        header_examples, header_rules = _strings(headers)
        example = None if body is _ABSENT else example_of(body)
        response = PactResponse(
            status=status,
            headers=_with_json_type(header_examples, example),
            body=example,
            has_body=body is not _ABSENT,
            matching_rules=_categories(
                header=header_rules, body={} if body is _ABSENT else body_rules(body)
            ),
        )
        interaction = Interaction(draft.description, draft.request, response, tuple(draft.states))
        if any(i.key == interaction.key for i in self.mock.interactions):
            raise AssayError(f"the interaction {interaction.label} is declared twice")
        self.mock.interactions.append(interaction)
        self._draft = _Draft()
        return interaction

    def problems(self) -> list[str]:
        """Calls that were missing or unexpected, one line each."""
        lines = [f"never called: {i.label}" for i in self.mock.missing()]
        lines.extend(miss.describe() for miss in self.mock.unexpected)
        return lines

    def verify(self) -> None:
        """Raise a `Finding` unless the consumer made exactly the expected calls."""
        problems = self.problems()
        if problems:
            raise Finding(
                f"the consumer {self.consumer} did not make exactly the calls its pact with "
                f"{self.provider} expects",
                check="pact_consumer",
                severity=Severity.HIGH,
                detail="\n".join(f"  - {line}" for line in problems),
                evidence={"problems": problems},
            )

    def pact(self) -> Pact:
        return Pact(self.consumer, self.provider, tuple(self.mock.interactions))

    def path_in(self, directory: str | Path) -> Path:
        return Path(directory) / f"{self.consumer}-{self.provider}.json"

    def write(self, directory: str | Path, *, merge: bool = True) -> Path:
        """Write the pact file; with `merge`, interactions already in the file are kept
        unless this builder declares one with the same description and states."""
        target = self.path_in(directory)
        interactions = list(self.mock.interactions)
        if merge and target.exists():
            mine = {i.key for i in interactions}
            kept = [i for i in read_pact(target).interactions if i.key not in mine]
            interactions = kept + interactions
        pact = Pact(self.consumer, self.provider, tuple(interactions))
        return pact.write(target)
