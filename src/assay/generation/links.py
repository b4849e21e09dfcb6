"""Producer → consumer pairs: declared by OpenAPI links, and inferred from paths.

A `Pair` says how the answer to one operation (the producer) supplies parameters of
another (the consumer). Declared pairs come from ``responses.*.links``. Inferred pairs
follow REST conventions: a POST on a collection (``/orders``) whose body carries an id
(``id``, ``order_id``, the consumer's parameter name) or a ``Location`` header feeds
every operation on the item path below it (``/orders/{order_id}``, and deeper ones such
as ``/orders/{order_id}/lines`` that need no other value).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from assay.generation.expressions import Produced, Unresolved, evaluate
from assay.spec.model import Link, Operation, ParameterLocation

__all__ = [
    "Binding",
    "Expression",
    "LocationSegment",
    "Pair",
    "Source",
    "declared_pairs",
    "inferred_pairs",
    "is_creation",
    "path_names",
    "singular",
]

_NAME = re.compile(r"\{([^{}/]+)\}")
# Path segments of operations that log in or out rather than create something.
_NOT_CREATION = frozenset(
    {"token", "tokens", "login", "logout", "auth", "oauth", "signin", "session", "sessions"}
)


class Source(Protocol):
    """Somewhere a consumer's value can come from in a producer's exchange."""

    def resolve(self, produced: Produced) -> Any: ...


@dataclass(frozen=True, slots=True)
class Expression:
    """A runtime expression, a template embedding some, or a literal value."""

    text: Any

    def resolve(self, produced: Produced) -> Any:
        return evaluate(self.text, produced)


@dataclass(frozen=True, slots=True)
class LocationSegment:
    """The value of `name` in a ``Location`` header that points at `template`."""

    template: str
    name: str

    def resolve(self, produced: Produced) -> Any:
        location = produced.response_headers.get("location")
        if not location:
            raise Unresolved("no Location header")
        path = unquote(urlsplit(location).path).rstrip("/")
        pattern = re.escape(self.template)
        for name in path_names(self.template):
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{_group(name)}>[^/]+)")
        match = re.search(pattern + "$", path)
        if match is None:
            raise Unresolved(f"Location {location} is not a {self.template}")
        return match.group(_group(self.name))


def _group(name: str) -> str:
    return "p_" + re.sub(r"\W", "_", name)


@dataclass(frozen=True, slots=True)
class Binding:
    """One consumer parameter and where its value may come from, best source first."""

    location: ParameterLocation
    name: str
    sources: tuple[Source, ...]

    def values(self, produced: Produced) -> list[Any]:
        """Every distinct usable value the sources give (the first is the best)."""
        found: list[Any] = []
        for source in self.sources:
            try:
                value = source.resolve(produced)
            except Unresolved:
                continue
            if _usable(value, self.location) and value not in found:
                found.append(value)
        return found


def _usable(value: Any, location: ParameterLocation) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, str):
        return bool(value) and (location != "path" or "/" not in value)
    return isinstance(value, int | float) or location != "path"


@dataclass(frozen=True, slots=True)
class Pair:
    """A producer whose 2xx answer gives values for a consumer's parameters.

    ``statuses`` are the producer's response keys the pair hangs on (``201``, ``2XX``,
    ``default``); empty means any 2xx. ``origin`` is ``link <name>`` or ``inferred``.
    """

    producer: Operation
    consumer: Operation
    bindings: tuple[Binding, ...]
    origin: str
    statuses: tuple[str, ...] = ()
    request_body: Any = None
    has_body: bool = False

    @property
    def inferred(self) -> bool:
        return self.origin == "inferred"

    def follows(self, status: int) -> bool:
        """True when the pair applies to a producer answer with `status`."""
        if status // 100 != 2:
            return False
        if not self.statuses:
            return True
        keys = {str(status), f"{status // 100}XX", f"{status // 100}xx", "default"}
        return any(key in keys for key in self.statuses)

    def arguments(self, produced: Produced) -> dict[str, dict[str, Any]] | None:
        """The consumer's bound values by location, or None when one is missing or ambiguous.

        An inferred binding is ambiguous when two body fields give different ids: the
        pair is then not trusted (a wrong id would look like a missing resource).
        """
        result: dict[str, dict[str, Any]] = {}
        for binding in self.bindings:
            values = binding.values(produced)
            if not values or (self.inferred and _ambiguous(binding, values)):
                return None
            result.setdefault(binding.location, {})[binding.name] = values[0]
        return result


def _ambiguous(binding: Binding, values: list[Any]) -> bool:
    from_body = [s for s in binding.sources if not isinstance(s, LocationSegment)]
    return len(from_body) > 1 and len({str(v) for v in values}) > 1


def path_names(template: str) -> list[str]:
    """The parameter names of a path template, in order."""
    return _NAME.findall(template)


# -- declared links -------------------------------------------------------------------------


def declared_pairs(operations: Sequence[Operation]) -> list[Pair]:
    """The pairs the spec's links declare between `operations` (unknown targets skipped)."""
    pairs: list[Pair] = []
    for producer in operations:
        for status, response in producer.responses.items():
            for link in response.links.values():
                consumer = _link_target(link, operations)
                if consumer is not None:
                    pairs.append(_link_pair(producer, consumer, link, status))
    return pairs


def _link_target(link: Link, operations: Sequence[Operation]) -> Operation | None:
    for operation in operations:
        if link.operation_id is not None and operation.operation_id == link.operation_id:
            return operation
        if link.operation_ref is not None and _same_pointer(link.operation_ref, operation):
            return operation
    return None


def _same_pointer(reference: str, operation: Operation) -> bool:
    fragment = reference.partition("#")[2]
    if not fragment:
        return False
    return unquote(fragment).lstrip("/") == unquote(operation.pointer).lstrip("#/")


def _link_pair(producer: Operation, consumer: Operation, link: Link, status: str) -> Pair:
    bindings: list[Binding] = []
    for key, expression in link.parameters.items():
        location, name = _link_parameter(consumer, str(key))
        bindings.append(Binding(location, name, (Expression(expression),)))
    return Pair(
        producer,
        consumer,
        tuple(bindings),
        origin=f"link {link.name}",
        statuses=(status,),
        request_body=link.request_body,
        has_body=link.request_body is not None,
    )


def _link_parameter(consumer: Operation, key: str) -> tuple[ParameterLocation, str]:
    prefix, _, rest = key.partition(".")
    if rest and prefix in ("path", "query", "header", "cookie"):
        location: ParameterLocation = prefix  # type: ignore[assignment]
        return location, rest
    for param in consumer.parameters:
        if param.name == key:
            return param.location, key
    return "path", key


# -- inferred pairs -------------------------------------------------------------------------


def is_creation(operation: Operation) -> bool:
    """A POST on a collection that could create something (not a login or token call)."""
    if operation.method != "post":
        return False
    segments = {s.lower() for s in operation.path.strip("/").split("/")}
    return not segments & _NOT_CREATION


def inferred_pairs(operations: Sequence[Operation], declared: Iterable[Pair] = ()) -> list[Pair]:
    """Pairs from a creating POST to the operations on the item path below its collection."""
    known = {(p.producer.pointer, p.consumer.pointer) for p in declared}
    pairs: list[Pair] = []
    for producer in operations:
        if not is_creation(producer):
            continue
        for consumer in operations:
            if (producer.pointer, consumer.pointer) in known:
                continue
            pair = _inferred(producer, consumer)
            if pair is not None:
                pairs.append(pair)
    return pairs


def _inferred(producer: Operation, consumer: Operation) -> Pair | None:
    prefix = producer.path.rstrip("/") + "/"
    if not consumer.path.startswith(prefix):
        return None
    head, _, _ = consumer.path[len(prefix) :].partition("/")
    match = _NAME.fullmatch(head)
    if match is None:
        return None
    name = match.group(1)
    inherited = set(path_names(producer.path))
    if not set(path_names(consumer.path)) <= inherited | {name}:
        return None
    item = prefix + head
    bindings = [Binding("path", p, (Expression(f"$request.path.{p}"),)) for p in inherited]
    bindings.append(Binding("path", name, _id_sources(producer.path, item, name)))
    return Pair(producer, consumer, tuple(bindings), origin="inferred")


def _id_sources(collection: str, item: str, name: str) -> tuple[Source, ...]:
    singular_name = singular(collection.rstrip("/").rsplit("/", 1)[-1])
    fields = [name, _camel(name)]
    if name.lower().endswith("id"):
        fields += ["id", f"{singular_name}_id", f"{singular_name}Id"]
    unique = list(dict.fromkeys(fields))
    sources: list[Source] = [Expression(f"$response.body#/{f}") for f in unique]
    sources.append(LocationSegment(item, name))
    return tuple(sources)


def singular(word: str) -> str:
    """``order`` from ``orders``, ``category`` from ``categories`` (lower case, ``_`` for ``-``)."""
    word = word.lower().replace("-", "_")
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
