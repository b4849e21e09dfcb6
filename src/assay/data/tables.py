"""A JSON Schema derived from a SQLAlchemy 2 declarative model's columns.

Each mapped column becomes a property: its type (integers with their storage range,
strings with their length, numerics, booleans, dates and times, UUIDs, enums, JSON),
its nullability (nullable columns admit ``null``), and whether it is required (not
nullable and no default). Primary keys the database fills in (autoincrement integers)
and computed columns are left out. Generated data is converted back to the Python
values the columns hold (``date``, ``UUID``, ``Decimal``, enum members) and passed to
the model's constructor.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from assay.data.sources import SchemaSource, schema_source
from assay.errors import AssayError

__all__ = ["foreign_keys", "table_source"]

T = TypeVar("T")
Convert = Callable[[Any], Any]
_TABLES: dict[type[Any], SchemaSource[Any]] = {}
_INT_RANGES = {"SmallInteger": 2**15, "Integer": 2**31, "BigInteger": 2**63}


def table_source(model: type[T]) -> SchemaSource[T]:
    """The source of a mapped class: a schema of its columns; output: a new instance."""
    found = _TABLES.get(model)
    if found is not None:
        return found
    properties: dict[str, Any] = {}
    required: list[str] = []
    converters: dict[str, Convert] = {}
    for key, column in _columns(model):
        if _database_fills(column):
            continue
        schema, convert = _typed(model, key, column)
        properties[key] = _nullable(schema) if column.nullable else schema
        converters[key] = convert
        if not column.nullable and column.default is None and column.server_default is None:
            required.append(key)
    schema = {"type": "object", "properties": properties, "required": required}
    plain = schema_source(schema, name=model.__name__)

    def output(data: dict[str, Any]) -> T:
        values = {k: converters[k](v) if v is not None else None for k, v in data.items()}
        return model(**values)

    source = SchemaSource(model.__name__, plain.spec, plain.schema, output, "table")
    _TABLES[model] = source
    return source


def foreign_keys(model: type[Any]) -> dict[str, str]:
    """Attribute name of each foreign-key column → the referenced column's name."""
    found: dict[str, str] = {}
    for key, column in _columns(model):
        for fk in column.foreign_keys:
            found[key] = fk.column.key
    return found


def _columns(model: type[Any]) -> list[tuple[str, Any]]:
    from sqlalchemy import inspect
    from sqlalchemy.exc import NoInspectionAvailable

    try:
        mapper = inspect(model)
    except NoInspectionAvailable:
        raise AssayError(
            f"{model!r} is not a mapped SQLAlchemy class",
            hint="Pass a class of your declarative base (class Order(Base): ...).",
        ) from None
    return [(prop.key, prop.columns[0]) for prop in mapper.column_attrs]


def _database_fills(column: Any) -> bool:
    from sqlalchemy import Integer

    if column.computed is not None:
        return True
    return bool(
        column.primary_key
        and isinstance(column.type, Integer)
        and column.autoincrement in (True, "auto")
        and not column.foreign_keys
    )


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    return {**schema, "type": [schema["type"], "null"]}


def _typed(model: type[Any], key: str, column: Any) -> tuple[dict[str, Any], Convert]:
    import sqlalchemy as sa

    kind = column.type
    for types, make in _MAPPING:
        if isinstance(kind, types(sa)):
            return make(kind)
    raise AssayError(
        f"{model.__name__}.{key}: assay cannot build values of the column type {kind!r}",
        hint=f"Give the field a value in the builder: fields={{{key!r}: ...}}, or a Lazy/"
        "Sequence that makes one.",
    )


def _enum(kind: Any) -> tuple[dict[str, Any], Convert]:
    members = kind.enum_class
    if members is None:
        return {"enum": list(kind.enums)}, _same

    def convert(value: Any) -> Any:
        try:
            return members[value]
        except KeyError:
            return members(value)

    return {"enum": list(kind.enums)}, convert


def _integer(kind: Any) -> tuple[dict[str, Any], Convert]:
    span = next((v for name, v in _INT_RANGES.items() if type(kind).__name__ == name), 2**31)
    return {"type": "integer", "minimum": -span, "maximum": span - 1}, _same


def _numeric(kind: Any) -> tuple[dict[str, Any], Convert]:
    precision, scale = getattr(kind, "precision", None), getattr(kind, "scale", None)
    schema: dict[str, Any] = {"type": "number"}
    if precision is not None:
        bound = 10 ** (precision - (scale or 0)) - 1
        schema.update(minimum=-bound, maximum=bound)
    if not getattr(kind, "asdecimal", False):
        return schema, _same
    places = scale if scale is not None else 2
    return schema, lambda value: Decimal(str(round(value, places)))


def _string(kind: Any) -> tuple[dict[str, Any], Convert]:
    schema: dict[str, Any] = {"type": "string"}
    if getattr(kind, "length", None):
        schema["maxLength"] = kind.length
    return schema, _same


def _same(value: Any) -> Any:
    return value


def _uuid(kind: Any) -> tuple[dict[str, Any], Convert]:
    schema = {"type": "string", "format": "uuid"}
    return schema, uuid.UUID if getattr(kind, "as_uuid", True) else _same


_MAPPING: tuple[tuple[Callable[[Any], Any], Callable[[Any], tuple[dict[str, Any], Convert]]], ...]
_MAPPING = (
    (lambda sa: sa.Enum, _enum),
    (lambda sa: sa.Boolean, lambda _: ({"type": "boolean"}, _same)),
    (lambda sa: sa.Integer, _integer),
    (lambda sa: sa.Numeric, _numeric),
    (lambda sa: sa.DateTime, lambda _: ({"type": "string", "format": "date-time"}, _datetime)),
    (lambda sa: sa.Date, lambda _: ({"type": "string", "format": "date"}, dt.date.fromisoformat)),
    (lambda sa: sa.Time, lambda _: ({"type": "string", "format": "time"}, dt.time.fromisoformat)),
    (lambda sa: sa.Uuid, _uuid),
    (lambda sa: sa.String, _string),
    (lambda sa: sa.JSON, lambda _: ({"type": "object"}, _same)),
    (lambda sa: sa.LargeBinary, lambda _: ({"type": "string", "maxLength": 64}, str.encode)),
)


def _datetime(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
