"""The Pact v3 file: interactions with provider states, requests, responses, matching rules.

`read_pact` accepts Pact v3 files (``pactSpecification.version`` 3.x) and, for
interoperability, v2 files (``providerState`` strings, query strings, flat
``$.body…`` rules), which are converted to the v3 model. Anything malformed is an
`AssayError` naming the place in the file. `Pact.to_json` writes v3.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from assay.errors import AssayError

__all__ = [
    "Interaction",
    "Pact",
    "PactRequest",
    "PactResponse",
    "ProviderState",
    "pact_from_json",
    "read_pact",
]

SPECIFICATION = "3.0.0"
Rules = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ProviderState:
    """A state the provider must be in for an interaction (``"an order exists"``)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return (
            {"name": self.name, "params": dict(self.params)} if self.params else {"name": self.name}
        )


@dataclass(frozen=True, slots=True)
class PactRequest:
    """The request a consumer sends; `has_body` is False when the pact says nothing of it."""

    method: str
    path: str
    query: Mapping[str, list[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    has_body: bool = False
    matching_rules: Rules = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"method": self.method.upper(), "path": self.path}
        if self.query:
            document["query"] = {k: list(v) for k, v in self.query.items()}
        return _with_optional(document, self.headers, self.has_body, self.body, self.matching_rules)


@dataclass(frozen=True, slots=True)
class PactResponse:
    """The response the consumer expects."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    has_body: bool = False
    matching_rules: Rules = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"status": self.status}
        return _with_optional(document, self.headers, self.has_body, self.body, self.matching_rules)


def _with_optional(
    document: dict[str, Any], headers: Mapping[str, str], has_body: bool, body: Any, rules: Rules
) -> dict[str, Any]:
    if headers:
        document["headers"] = dict(headers)
    if has_body:
        document["body"] = body
    if rules:
        document["matchingRules"] = {k: v for k, v in rules.items() if v}
    return document


@dataclass(frozen=True, slots=True)
class Interaction:
    """One expected request/response pair, in given provider states."""

    description: str
    request: PactRequest
    response: PactResponse
    states: tuple[ProviderState, ...] = ()

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """What makes two interactions the same one (description and state names)."""
        return (self.description, tuple(s.name for s in self.states))

    @property
    def label(self) -> str:
        given = f" given {', '.join(repr(s.name) for s in self.states)}" if self.states else ""
        return f"{self.description!r}{given}"

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"description": self.description}
        if self.states:
            document["providerStates"] = [s.to_json() for s in self.states]
        document["request"] = self.request.to_json()
        document["response"] = self.response.to_json()
        return document


@dataclass(frozen=True, slots=True)
class Pact:
    """A consumer's contract with one provider."""

    consumer: str
    provider: str
    interactions: tuple[Interaction, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        from assay._version import __version__

        metadata = dict(self.metadata)
        metadata["pactSpecification"] = {"version": SPECIFICATION}
        metadata.setdefault("assay", {"version": __version__})
        return {
            "consumer": {"name": self.consumer},
            "provider": {"name": self.provider},
            "interactions": [i.to_json() for i in self.interactions],
            "metadata": metadata,
        }

    def write(self, path: str | Path) -> Path:
        location = Path(path)
        location.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False)
        location.write_text(text + "\n", encoding="utf-8")
        return location


def read_pact(path: str | Path) -> Pact:
    """The pact in a JSON file (v3, or v2 converted to v3)."""
    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssayError(
            f"cannot read the pact file {location}: {exc.strerror or exc}",
            hint="Pass the path of a pact JSON file written by a consumer's tests.",
        ) from None
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise _bad(str(location), "", f"it is not valid JSON ({exc})") from None
    return pact_from_json(document, str(location))


def _bad(source: str, where: str, what: str) -> AssayError:
    place = f" at {where}" if where else ""
    return AssayError(
        f"the pact file {source} is malformed{place}: {what}",
        hint="A Pact v3 file has consumer.name, provider.name and interactions, each with "
        "a description, a request (method, path) and a response (status).",
    )


def _field(holder: Any, name: str, kind: type | tuple[type, ...], source: str, where: str) -> Any:
    value = holder.get(name) if isinstance(holder, dict) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise _bad(source, f"{where}/{name}", f"expected {_kind_name(kind)}, got {value!r}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {dict: "an object", list: "a list", str: "a string", int: "an integer"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def pact_from_json(document: Any, source: str = "<pact>") -> Pact:
    """A `Pact` from its parsed JSON; `source` names it in error messages."""
    if not isinstance(document, dict):
        raise _bad(source, "", "the document is not a JSON object")
    consumer = _field(
        _field(document, "consumer", dict, source, ""), "name", str, source, "/consumer"
    )
    provider = _field(
        _field(document, "provider", dict, source, ""), "name", str, source, "/provider"
    )
    raw = _field(document, "interactions", list, source, "")
    interactions = tuple(
        _interaction(item, source, f"/interactions/{index}") for index, item in enumerate(raw)
    )
    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
    return Pact(consumer, provider, interactions, metadata or {})


def _interaction(item: Any, source: str, where: str) -> Interaction:
    description = _field(item, "description", str, source, where)
    request = _field(item, "request", dict, source, where)
    response = _field(item, "response", dict, source, where)
    return Interaction(
        description=description,
        request=_request(request, source, f"{where}/request"),
        response=_response(response, source, f"{where}/response"),
        states=_states(item, source, where),
    )


def _states(item: dict[str, Any], source: str, where: str) -> tuple[ProviderState, ...]:
    if isinstance(item.get("providerState"), str):  # v2
        return (ProviderState(item["providerState"]),)
    states = item.get("providerStates", [])
    if not isinstance(states, list):
        raise _bad(source, f"{where}/providerStates", "expected a list of {name, params}")
    found = []
    for index, state in enumerate(states):
        name = _field(state, "name", str, source, f"{where}/providerStates/{index}")
        params = state.get("params") if isinstance(state.get("params"), dict) else {}
        found.append(ProviderState(name, params or {}))
    return tuple(found)


def _request(request: dict[str, Any], source: str, where: str) -> PactRequest:
    method = _field(request, "method", str, source, where)
    path = _field(request, "path", str, source, where)
    return PactRequest(
        method=method.upper(),
        path=path,
        query=_query(request.get("query"), source, f"{where}/query"),
        headers=_headers(request.get("headers"), source, f"{where}/headers"),
        body=request.get("body"),
        has_body="body" in request,
        matching_rules=_rules(request.get("matchingRules"), source, f"{where}/matchingRules"),
    )


def _response(response: dict[str, Any], source: str, where: str) -> PactResponse:
    return PactResponse(
        status=_field(response, "status", int, source, where),
        headers=_headers(response.get("headers"), source, f"{where}/headers"),
        body=response.get("body"),
        has_body="body" in response,
        matching_rules=_rules(response.get("matchingRules"), source, f"{where}/matchingRules"),
    )


def _query(value: Any, source: str, where: str) -> dict[str, list[str]]:
    if value is None:
        return {}
    if isinstance(value, str):  # v2: a query string
        return {k: list(v) for k, v in parse_qs(value, keep_blank_values=True).items()}
    if not isinstance(value, dict):
        raise _bad(source, where, "expected an object of parameter → list of values")
    return {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in value.items()}


def _headers(value: Any, source: str, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _bad(source, where, "expected an object of header → value")
    return {k: ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in value.items()}


def _rules(value: Any, source: str, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _bad(source, where, "expected an object of category → rules")
    if any(key.startswith("$.") for key in value):
        return _v2_rules(value)
    return value


_V2_CATEGORIES = (("$.body", "body"), ("$.headers.", "header"), ("$.query.", "query"))


def _v2_rules(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Pact v2's flat ``{"$.body.id": {"match": "type"}}`` as v3 categories."""
    rules: dict[str, dict[str, Any]] = {}
    for key, rule in flat.items():
        entry = {"matchers": [rule], "combine": "AND"}
        if key == "$.path":
            rules["path"] = entry
            continue
        for prefix, category in _V2_CATEGORIES:
            if key.startswith(prefix):
                name = key[len(prefix) :]
                target = "$" + name if category == "body" else name
                rules.setdefault(category, {})[target] = entry
    return rules
