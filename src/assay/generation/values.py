"""`ValueFactory`: deterministic, realistic, valid values for any schema of a document.

The factory builds a value by hand from the schema (types, bounds, lengths, patterns,
formats, enums, arrays, objects, ``allOf``/``oneOf``/``anyOf`` with discriminators,
recursive ``$ref``s to a bounded depth), picks realistic text by field name, and checks
the result with the document's own validator before returning it: every value it hands
out validates against its schema, or `UnsatisfiableSchema` says why none was found.
``readOnly`` properties are left out of request values.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any, Literal

from assay.errors import AssayError
from assay.generation.checker import SchemaChecker
from assay.generation.composition import Composer
from assay.generation.draws import Draw, NoValue, TextRule, any_text
from assay.generation.formats import format_value
from assay.generation.numbers import integer_span, number_span, pick_integer, pick_number
from assay.generation.regex import RegexSampler, UnsupportedPattern, matches
from assay.generation.vocabulary import named_value
from assay.generation.walk import Node, SchemaReader, limits
from assay.spec.model import MediaType, Parameter, Spec

__all__ = ["UnsatisfiableSchema", "ValueFactory", "form_text", "location_rule"]

_ATTEMPTS = 12
_WORDS = ("harbor", "meadow", "orbit", "river", "summit", "willow", "ember", "cobalt")


class UnsatisfiableSchema(AssayError):
    """No valid value was found for a schema (contradictory or unsupported keywords)."""


class ValueFactory:
    """Makes valid values for the schemas of one `Spec`.

    ``ValueFactory(spec, seed)`` is deterministic: the same seed and the same calls give
    the same values. `fork` derives an independent factory for one purpose (an
    operation, a phase) whose values do not depend on what else was generated.
    """

    def __init__(
        self,
        spec: Spec,
        seed: int = 0,
        *,
        direction: Literal["request", "response"] = "request",
        max_depth: int = 3,
        complete: bool = False,
        wild: bool = False,
        _shared: tuple[SchemaReader, SchemaChecker, Composer] | None = None,
    ) -> None:
        self.spec = spec
        self.seed = seed
        self.direction = direction
        self.max_depth = max_depth
        self.complete = complete
        self.wild = wild
        if _shared is None:
            reader = SchemaReader(spec)
            _shared = (reader, SchemaChecker(spec, direction), Composer(reader))
        self.reader, self.checker, self.composer = _shared
        self.rng = random.Random(seed)
        self._regex = RegexSampler()

    def fork(
        self, key: str, *, complete: bool | None = None, wild: bool | None = None
    ) -> ValueFactory:
        """A factory seeded from this one's seed and `key`, sharing compiled schemas.

        With `complete`, objects get every optional property and arrays at least one
        item (down to the depth limit), so that every field can be varied. With `wild`,
        values range wider (any characters, extreme valid numbers) instead of looking real.
        """
        digest = hashlib.blake2b(f"{self.seed}:{key}".encode(), digest_size=8).digest()
        return ValueFactory(
            self.spec,
            int.from_bytes(digest, "big"),
            direction=self.direction,
            max_depth=self.max_depth,
            complete=self.complete if complete is None else complete,
            wild=self.wild if wild is None else wild,
            _shared=(self.reader, self.checker, self.composer),
        )

    # Public API ---------------------------------------------------------------------------

    def valid(self, schema: Any, *, name: str | None = None, rule: TextRule | None = None) -> Any:
        """A value that validates against `schema`; `name` (a field name) picks realistic text.

        Raises `UnsatisfiableSchema` when no valid value was found.
        """
        rule = rule or any_text
        for attempt in range(_ATTEMPTS):
            draw = Draw(self.rng, hints=attempt < _ATTEMPTS // 2, rule=rule)
            try:
                value = self.value(schema, name, draw, depth=0)
            except (UnsupportedPattern, NoValue):
                continue
            if self.checker.is_valid(schema, value) and (rule is any_text or _obeys(value, rule)):
                return value
        raise UnsatisfiableSchema(
            f"no valid value found for the schema {_short(schema)}",
            hint="The schema may be contradictory or use a pattern assay cannot sample.",
        )

    def for_parameter(self, param: Parameter) -> Any:
        """A valid value for a parameter, shaped for its location (no ``/`` in paths…)."""
        schema = param.schema if param.schema is not None else {"type": "string"}
        return self.valid(schema, name=param.name, rule=location_rule(param))

    def for_body(self, media_type: MediaType) -> Any:
        """A valid request body for one media type of an operation."""
        schema = media_type.schema if media_type.schema is not None else {}
        return self.valid(schema, rule=None if media_type.is_json else form_text)

    # Generation ---------------------------------------------------------------------------

    def value(self, schema: Any, name: str | None, draw: Draw, depth: int) -> Any:
        """One candidate value for `schema` (not yet checked)."""
        if depth > self.max_depth + 8:
            raise NoValue
        node = self.reader.node(schema)
        enum = node.enum
        if enum is not None:
            return _pick_enum(enum, node, draw)
        if node.branches:
            return self.composer.branch_value(node, name, draw, depth, self)
        if not node.types and node.get("type") is not None:
            return None  # "type": "null" and nothing else
        if not node.types:
            return self._text(node, name, draw)
        return self._typed(node, node.types[0], name, draw, depth)

    def _typed(self, node: Node, kind: str, name: str | None, draw: Draw, depth: int) -> Any:
        if kind == "string":
            return self._text(node, name, draw)
        if kind == "integer":
            return self._integer(node, name, draw)
        if kind == "number":
            return self._number(node, name, draw)
        if kind == "boolean":
            return draw.rng.random() < 0.5
        if kind == "array":
            return self._array(node, name, draw, depth)
        if kind == "object":
            return self._object(node, draw, depth)
        return None

    def _integer(self, node: Node, name: str | None, draw: Draw) -> int:
        lim = limits(node)
        hint = named_value(name, "integer", draw.rng) if draw.hints else None
        if self.wild and draw.rng.random() < 0.5:
            low, high = integer_span(lim)
            hint = draw.rng.choice([v for v in (low, high, 0, 1, -1, 2**31) if v is not None])
        value = pick_integer(lim, draw.rng, hint if isinstance(hint, int) else None)
        if value is None:
            raise NoValue
        return value

    def _number(self, node: Node, name: str | None, draw: Draw) -> float:
        lim = limits(node)
        hint = named_value(name, "number", draw.rng) if draw.hints else None
        if self.wild and draw.rng.random() < 0.5:
            low, high = number_span(lim)
            hint = draw.rng.choice([v for v in (low, high, 0.0, 0.5, -1.25, 1e9) if v is not None])
        value = pick_number(lim, draw.rng, hint if isinstance(hint, float) else None)
        if value is None:
            raise NoValue
        return value

    def _text(self, node: Node, name: str | None, draw: Draw) -> str:
        low = node.bound("minLength") or 0
        high = node.bound("maxLength")
        pattern = node.get("pattern")
        candidates = [format_value(str(node.get("format")), draw.rng)]
        if draw.hints:
            candidates.append(_as_text(named_value(name, "string", draw.rng)))
        if isinstance(pattern, str):
            for text in candidates:  # a realistic value when it matches (an email, a SKU)
                if text is not None and _fits(text, low, high) and matches(pattern, text):
                    return text
            return self._regex.sample(pattern, draw.rng, int(low), _int(high))
        if self.wild and candidates[0] is None and draw.rng.random() < 0.7:
            return _wild_text(draw, int(low), _int(high))
        for text in candidates:
            if text is not None and _fits(text, low, high) and draw.rule(text):
                return text
        return _filler(draw.rng, int(low), _int(high))

    def _array(self, node: Node, name: str | None, draw: Draw, depth: int) -> list[Any]:
        low = int(node.bound("minItems") or 0)
        high = _int(node.bound("maxItems"))
        count = low if depth >= self.max_depth else draw.rng.randint(low, low + 2)
        if self.complete and depth < self.max_depth:
            count = max(count, 1)
        count = max(low, count if high is None else min(count, high))
        prefix = node.get("prefixItems")
        prefix = prefix if isinstance(prefix, list) else []
        items = node.get("items", {})
        unique = node.get("uniqueItems") is True
        result: list[Any] = []
        seen: set[str] = set()
        for index in range(count * 4 if unique else count):
            if len(result) >= count:
                break
            schema = prefix[index] if index < len(prefix) else items
            item = self.value(schema, _singular(name), draw, depth + 1)
            key = repr(item)
            if unique and key in seen:
                continue
            seen.add(key)
            result.append(item)
        return result

    def _object(self, node: Node, draw: Draw, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for prop, schema, required in self.reader.properties(node):
            if self.direction == "request" and self.reader.is_read_only(schema):
                continue
            if self.direction == "response" and self.reader.is_write_only(schema):
                continue
            optional_in = depth < self.max_depth and (self.complete or draw.rng.random() < 0.6)
            if required or optional_in:
                result[prop] = self.value(schema, prop, draw, depth + 1)
        for prop in node.required:
            if prop not in result and prop not in node.properties:
                result[prop] = self._filler_value(node, draw, depth)
        self._fill_extra(node, result, draw, depth)
        return result

    def _fill_extra(self, node: Node, result: dict[str, Any], draw: Draw, depth: int) -> None:
        extra = node.get("additionalProperties")
        wanted = int(node.bound("minProperties") or 0)
        if not node.properties and isinstance(extra, dict) and depth < self.max_depth:
            wanted = max(wanted, 1 + draw.rng.randint(0, 1))
        index = 1
        while len(result) < wanted and extra is not False and index < 50:
            key = f"{draw.rng.choice(_WORDS)}{index}"
            if key not in result:
                result[key] = self._filler_value(node, draw, depth)
            index += 1

    def _filler_value(self, node: Node, draw: Draw, depth: int) -> Any:
        extra = node.get("additionalProperties")
        schema = extra if isinstance(extra, dict) else {"type": "string"}
        return self.value(schema, None, draw, depth + 1)


def location_rule(param: Parameter) -> TextRule:
    """The strings a parameter's location can carry safely and unambiguously.

    A required parameter never gets empty text (an empty list in a query is no
    parameter at all, and FastAPI reads an empty form field as a missing one).
    """
    if param.content_type is not None:
        return any_text
    if param.location in ("header", "cookie"):
        return _required_token_text if param.required else _token_text
    if param.location == "path":
        return _path_text
    return _required_query_text if param.required else _query_text


def form_text(text: str) -> bool:
    """Form fields: FastAPI reads an empty field as a missing one."""
    return text != "" and "\x00" not in text


def _required_token_text(text: str) -> bool:
    return text != "" and _token_text(text)


def _required_query_text(text: str) -> bool:
    return text != "" and _query_text(text)


def _token_text(text: str) -> bool:
    return (
        text.isascii()
        and text.isprintable()
        and text == text.strip()
        and not any(c in text for c in ',;"\\')
    )


def _path_text(text: str) -> bool:
    return bool(text) and text not in (".", "..") and not any(c in text for c in "/,\\")


def _query_text(text: str) -> bool:
    return "," not in text and "\x00" not in text


def _obeys(value: Any, rule: TextRule) -> bool:
    if isinstance(value, list | dict) and not value:
        return rule("")  # an empty collection is sent as empty text
    if isinstance(value, str):
        return rule(value)
    if isinstance(value, list):
        return all(_obeys(v, rule) for v in value)
    if isinstance(value, dict):
        return all(_obeys(v, rule) and rule(str(k)) for k, v in value.items())
    return True


def _pick_enum(enum: list[Any], node: Node, draw: Draw) -> Any:
    present = [v for v in enum if v is not None] or enum
    usable = [v for v in present if not isinstance(v, str) or draw.rule(v)] or present
    return draw.rng.choice(usable)


def _fits(text: str, low: float, high: float | None) -> bool:
    return len(text) >= low and (high is None or len(text) <= high)


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _as_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _filler(rng: random.Random, low: int, high: int | None) -> str:
    """Plain words, trimmed or padded to the length bounds."""
    text = " ".join(rng.sample(_WORDS, 2)).replace(" ", "-")
    target = max(low, min(len(text), high if high is not None else len(text)))
    while len(text) < target:
        text += rng.choice(_WORDS)
    return text[:target]


_WILD = (
    "abcxyzABCXYZ0123456789 -_.,:;!?@#%&*()[]{}'\"/\\<>~+=|^`$"
    "éßøçñÅ漢字カナ한글مرحباעברית🎉👍🏽\u0301\u200b\t\n"
)


_ALPHABETS: dict[TextRule, list[str]] = {}


def _wild_alphabet(rule: TextRule) -> list[str]:
    found = _ALPHABETS.get(rule)
    if found is None:
        found = _ALPHABETS[rule] = [c for c in _WILD if rule(c)] or ["a"]
    return found


def _wild_text(draw: Draw, low: int, high: int | None) -> str:
    """Any characters (NUL excepted) at a random length, kept to what the rule allows."""
    length = draw.rng.randint(low, low + 16 if high is None else min(high, low + 16))
    allowed = _wild_alphabet(draw.rule)
    return "".join(draw.rng.choice(allowed) for _ in range(length))


def _singular(name: str | None) -> str | None:
    if name and name.endswith("s") and len(name) > 3:
        return name[:-1]
    return name


def _short(schema: Any) -> str:
    text = repr(schema)
    return text if len(text) <= 160 else text[:159] + "…"
