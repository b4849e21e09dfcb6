"""Apply Pact v3 matching rules: does an actual request or response satisfy an expected one?

Bodies are walked together with the expected value. At each place the most specific
rule whose path matches wins (a name beats ``*``, an index beats ``[*]``); a ``type``
rule also applies to everything below it unless something more specific does, as in
Pact. Without a rule, values must be equal. Response bodies may carry keys the pact
does not mention; request bodies may not (the provider would not expect them).

Supported matchers: ``type`` (with ``min``/``max`` for lists), ``regex``, ``integer``,
``decimal``, ``number``, ``boolean``, ``include``, ``equality``, ``null``, ``values``;
``date``, ``time`` and ``timestamp`` check that the value is a string (the format is not
checked). Any other matcher is reported as unsupported rather than passed silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assay.contract.pact.matchers import child_path

__all__ = ["Mismatch", "compare_body", "match_value", "path_tokens"]

_TOKEN = re.compile(r"\.([^.\[\]]+)|\['([^']*)'\]|\[(\*|\d+)\]|\.\*")
_TYPE_FAMILY = {"type"}
_WANTED = {
    "integer": "an integer",
    "decimal": "a decimal number",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
    "date": "a date string",
    "time": "a time string",
    "timestamp": "a timestamp string",
    "include": "a string containing {0!r}",
    "equality": "exactly {1!r}",
    "values": "an object",
}


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One way an actual message differs from the expected one."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def path_tokens(path: str) -> list[str]:
    """``$.a[*].b`` → ``["$", "a", "[*]", "b"]``; ``$['x y'][0]`` → ``["$", "x y", "[0]"]``."""
    tokens = ["$"]
    rest = path[1:] if path.startswith("$") else path
    for match in _TOKEN.finditer(rest):
        name, quoted, index = match.groups()
        if name is not None:
            tokens.append(name)
        elif quoted is not None:
            tokens.append(quoted)
        elif index is not None:
            tokens.append(f"[{index}]")
        else:
            tokens.append("*")
    return tokens


def _weight(rule: list[str], actual: list[str]) -> int:
    """How specifically `rule` names `actual` (0: not at all); lengths must be equal."""
    if len(rule) != len(actual):
        return 0
    weight = 1
    for want, have in zip(rule, actual, strict=True):
        if want == have:
            weight *= 2
        elif not (want == "*" and not have.startswith("[")) and not (
            want == "[*]" and have.startswith("[")
        ):
            return 0
    return weight


class _Rules:
    """The rules of one category (``body``) indexed by their parsed paths."""

    def __init__(self, rules: Mapping[str, Any]) -> None:
        self.entries = [(path_tokens(path), rule) for path, rule in rules.items()]

    def best(self, actual: list[str]) -> Mapping[str, Any] | None:
        ranked = [(_weight(tokens, actual), rule) for tokens, rule in self.entries]
        ranked = [entry for entry in ranked if entry[0] > 0]
        return max(ranked, key=lambda entry: entry[0])[1] if ranked else None


def _matchers(rule: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], str]:
    if "matchers" in rule:
        return list(rule["matchers"]), str(rule.get("combine", "AND")).upper()
    return [rule], "AND"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _scalar(matcher: Mapping[str, Any], expected: Any, actual: Any) -> str | None:
    """Why `actual` fails one matcher, or None when it passes (lists' lengths aside)."""
    kind = matcher.get("match")
    if kind == "type":
        same = _json_type(expected) == _json_type(actual)
        return None if same else f"expected a {_json_type(expected)}, got {actual!r}"
    if kind == "regex":
        text = actual if isinstance(actual, str) else _text(actual)
        ok = text is not None and re.fullmatch(str(matcher.get("regex")), text) is not None
        return None if ok else f"{actual!r} does not match the regex {matcher.get('regex')!r}"
    checks: dict[str, Callable[[Any], bool]] = {
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "decimal": lambda v: isinstance(v, float),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "date": lambda v: isinstance(v, str),
        "time": lambda v: isinstance(v, str),
        "timestamp": lambda v: isinstance(v, str),
        "include": lambda v: isinstance(v, str) and str(matcher.get("value")) in v,
        "equality": lambda v: v == expected and _json_type(v) == _json_type(expected),
        "values": lambda v: isinstance(v, dict),
    }
    check = checks.get(str(kind))
    if check is None:
        return f"the matcher {kind!r} is not supported by assay"
    if check(actual):
        return None
    wanted = _WANTED.get(str(kind), str(kind)).format(matcher.get("value"), expected)
    return f"expected {wanted}, got {actual!r}"


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else None


def _length(matcher: Mapping[str, Any], actual: Any) -> str | None:
    if not isinstance(actual, list):
        return None
    low, high = matcher.get("min"), matcher.get("max")
    if isinstance(low, int) and len(actual) < low:
        return f"expected at least {low} items, got {len(actual)}"
    if isinstance(high, int) and len(actual) > high:
        return f"expected at most {high} items, got {len(actual)}"
    return None


def match_value(rule: Mapping[str, Any], expected: Any, actual: Any) -> list[str]:
    """Why `actual` fails a rule (its matchers combined with AND or OR) at one place."""
    matchers, combine = _matchers(rule)
    failures = []
    for matcher in matchers:
        problem = _scalar(matcher, expected, actual) or _length(matcher, actual)
        if problem is not None:
            failures.append(problem)
    if combine == "OR" and len(failures) < len(matchers):
        return []
    return failures


class _Walk:
    def __init__(self, rules: Mapping[str, Any], allow_extra_keys: bool) -> None:
        self.rules = _Rules(rules)
        self.allow_extra_keys = allow_extra_keys
        self.found: list[Mismatch] = []

    def compare(
        self, expected: Any, actual: Any, tokens: list[str], path: str, typed: bool
    ) -> None:
        rule = self.rules.best(tokens)
        if rule is not None:
            problems = match_value(rule, expected, actual)
            self.found.extend(Mismatch(path, p) for p in problems)
            if problems:
                return
            matchers, _ = _matchers(rule)
            kinds = {str(m.get("match")) for m in matchers}
            typed = bool(kinds & _TYPE_FAMILY) or (typed and not kinds - {"values"})
            if not kinds & (_TYPE_FAMILY | {"values"}):
                return  # a scalar matcher decided it
        elif typed:
            problem = _scalar({"match": "type"}, expected, actual)
            if problem:
                self.found.append(Mismatch(path, problem))
                return
        elif _json_type(expected) != _json_type(actual) or not _container(expected):
            if expected != actual or _json_type(expected) != _json_type(actual):
                self.found.append(Mismatch(path, f"expected {expected!r}, got {actual!r}"))
            return
        self._children(expected, actual, tokens, path, typed=typed, rule=rule)

    def _children(
        self,
        expected: Any,
        actual: Any,
        tokens: list[str],
        path: str,
        *,
        typed: bool,
        rule: Mapping[str, Any] | None,
    ) -> None:
        if isinstance(expected, dict) and isinstance(actual, dict):
            values = rule is not None and any(
                m.get("match") == "values" for m in _matchers(rule)[0]
            )
            self._object(expected, actual, tokens, path, typed=typed, values=values)
        elif isinstance(expected, list) and isinstance(actual, list):
            self._list(expected, actual, tokens, path, typed)

    def _object(
        self,
        expected: dict[str, Any],
        actual: dict[str, Any],
        tokens: list[str],
        path: str,
        *,
        typed: bool,
        values: bool,
    ) -> None:
        if values and expected:
            template = next(iter(expected.values()))
            for key, item in actual.items():
                self.compare(template, item, [*tokens, key], child_path(path, key), True)
            return
        for key, item in expected.items():
            if key not in actual:
                self.found.append(Mismatch(path, f"the key {key!r} is missing"))
                continue
            self.compare(item, actual[key], [*tokens, key], child_path(path, key), typed)
        if not self.allow_extra_keys:
            for key in actual.keys() - expected.keys():
                self.found.append(Mismatch(path, f"unexpected key {key!r}"))

    def _list(
        self, expected: list[Any], actual: list[Any], tokens: list[str], path: str, typed: bool
    ) -> None:
        if not typed and len(expected) != len(actual):
            self.found.append(Mismatch(path, f"expected {len(expected)} items, got {len(actual)}"))
            return
        for index, item in enumerate(actual):
            if not expected:
                break
            template = expected[index] if index < len(expected) and not typed else expected[0]
            self.compare(template, item, [*tokens, f"[{index}]"], child_path(path, index), typed)


def _container(value: Any) -> bool:
    return isinstance(value, dict | list)


def compare_body(
    expected: Any, actual: Any, rules: Mapping[str, Any], *, allow_extra_keys: bool
) -> list[Mismatch]:
    """Every mismatch of an actual JSON body against the expected one under `rules`."""
    walk = _Walk(rules, allow_extra_keys)
    walk.compare(expected, actual, ["$"], "$", False)
    return walk.found


def compare_strings(
    name: str, expected: Sequence[str], actual: Sequence[str], rule: Mapping[str, Any] | None
) -> list[Mismatch]:
    """Header, query or path values: equal, or matching the rule of their name."""
    if rule is not None:
        if len(actual) < len(expected):
            return [Mismatch(name, f"expected {len(expected)} values, got {list(actual)}")]
        exemplars = list(expected) or [""]
        problems = [
            p
            for i, v in enumerate(actual)
            for p in _string_rule(rule, exemplars[min(i, len(exemplars) - 1)], v)
        ]
        return [Mismatch(name, p) for p in problems]
    if list(expected) != list(actual):
        return [Mismatch(name, f"expected {list(expected)!r}, got {list(actual)!r}")]
    return []


def _string_rule(rule: Mapping[str, Any], expected: str, actual: str) -> list[str]:
    """Matchers on text values: numbers written as text count as numbers."""
    matchers, combine = _matchers(rule)
    converted: list[Mapping[str, Any]] = []
    for matcher in matchers:
        kind = matcher.get("match")
        if kind == "integer":
            converted.append({"match": "regex", "regex": r"-?\d+"})
        elif kind in ("decimal", "number"):
            converted.append(
                {"match": "regex", "regex": r"-?\d+(\.\d+)?" if kind == "number" else r"-?\d+\.\d+"}
            )
        else:
            converted.append(matcher)
    return match_value({"matchers": converted, "combine": combine}, expected, actual)
