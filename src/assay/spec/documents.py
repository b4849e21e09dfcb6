"""Read OpenAPI documents as JSON values: parse JSON or YAML text, read files, fetch URLs.

Every failure is an `AssayError` that names the file or URL, the line and column of a
syntax error, and what to try. YAML is read with the safe loader, without turning
timestamps into `datetime` objects, and with every mapping key made a string (YAML reads
``200:`` as an integer), so the result is the same JSON a ``.json`` file would give.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from assay.errors import AssayError

__all__ = ["parse_text", "read_file"]

_YAML_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _JSONCompatibleLoader(_YAML_BASE):  # type: ignore[valid-type,misc]
    """The safe loader, keeping ``2024-01-01`` a string as JSON would."""


_JSONCompatibleLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _YAML_BASE.yaml_implicit_resolvers.items()
}


def _stringify_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            (key if isinstance(key, str) else _key_text(key)): _stringify_keys(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_stringify_keys(item) for item in value]
    return value


def _key_text(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def _parse_json(text: str, origin: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise AssayError(
            f"{origin} is not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}",
            hint="Fix the syntax at that position (a JSON linter shows the context), "
            "or save the document as YAML if it is YAML.",
        ) from None


def _parse_yaml(text: str, origin: str) -> Any:
    try:
        return _stringify_keys(yaml.load(text, Loader=_JSONCompatibleLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = exc.problem or exc.context or "syntax error"
        raise AssayError(
            f"{origin} is not valid YAML: {where}{problem}",
            hint="Fix the syntax at that position (mind the indentation; a YAML linter shows "
            "the context).",
        ) from None
    except yaml.YAMLError as exc:
        raise AssayError(f"{origin} is not valid YAML: {exc}", hint="Fix the syntax.") from None


def parse_text(text: str, origin: str, *, syntax: str | None = None) -> Any:
    """The JSON value of a document's text.

    `syntax` is ``"json"``, ``"yaml"`` or None (JSON when the text starts like JSON,
    YAML otherwise — YAML is a superset of JSON). `origin` names the document in messages.
    """
    if syntax == "json":
        return _parse_json(text, origin)
    if syntax == "yaml":
        return _parse_yaml(text, origin)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    return _parse_yaml(text, origin)


def syntax_for(path: str) -> str | None:
    """``"json"`` or ``"yaml"`` from a file name or URL path; None when it says neither."""
    lowered = path.lower().split("?", 1)[0].split("#", 1)[0]
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    return None


def read_file(path: Path) -> Any:
    """The parsed document in a ``.json``, ``.yaml`` or ``.yml`` file."""
    shown = str(path)
    if not path.exists():
        raise AssayError(
            f"the spec file {shown} does not exist (resolved to {path.resolve()})",
            hint="Check the path; relative paths are read from the current directory "
            f"({Path.cwd()}).",
        )
    if path.is_dir():
        raise AssayError(
            f"the spec path {shown} is a directory, not a file",
            hint="Pass the OpenAPI file inside it (for example openapi.yaml).",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise AssayError(
            f"the spec file {shown} is not UTF-8 text",
            hint="Save it as UTF-8 JSON or YAML.",
        ) from None
    except OSError as exc:
        raise AssayError(
            f"the spec file {shown} could not be read: {exc.strerror or exc}",
            hint="Check its permissions.",
        ) from None
    if not text.strip():
        raise AssayError(
            f"the spec file {shown} is empty",
            hint="Write the OpenAPI document into it, or point at the right file.",
        )
    return parse_text(text, shown, syntax=syntax_for(path.name))
