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

__all__ = ["column_values", "foreign_keys", "table_source"]

T = TypeVar("T")
Convert = Callable[[Any], Any]
_TABLES: dict[type[Any], SchemaSource[Any]] = {}
_INT_RANGES: tuple[tuple[Callable[[Any], Any], int], ...] = (
    (lambda sa: sa.SmallInteger, 2**15),
    (lambda sa: sa.BigInteger, 2**63),
)


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
    found = column_values(column.type)
    if found is not None:
        return found
    raise AssayError(
        f"{model.__name__}.{key}: assay cannot build values of the column type {column.type!r}",
        hint=f"Give the field a value in the builder: fields={{{key!r}: ...}}, or a Lazy/"
        "Sequence that makes one.",
    )


def column_values(kind: Any, *, fill: bool = False) -> tuple[dict[str, Any], Convert] | None:
    """A JSON Schema for the values of a column of SQLAlchemy type `kind`, and the
    conversion of a generated value to what the column stores; None for a type assay
    cannot generate.

    The default covers the column's whole range (builders: any value the column takes).
    ``fill=True`` is the flavour for filling a table before a migration: non-negative
    numbers, exact scaled decimals, non-empty strings, small JSON objects, and naive
    datetimes for columns without a time zone.
    """
    import sqlalchemy as sa

    for types, make in _MAPPING:
        if isinstance(kind, types(sa)):
            return make(kind, fill)
    return None


def _enum(kind: Any, fill: bool) -> tuple[dict[str, Any], Convert]:
    members = kind.enum_class
    if members is None:
        return {"enum": list(kind.enums)}, _same

    def convert(value: Any) -> Any:
        try:
            return members[value]
        except KeyError:
            return members(value)

    return {"enum": list(kind.enums)}, convert


def _integer(kind: Any, fill: bool) -> tuple[dict[str, Any], Convert]:
    import sqlalchemy as sa

    span = next((v for types, v in _INT_RANGES if isinstance(kind, types(sa))), 2**31)
    if fill:
        return {"type": "integer", "minimum": 0, "maximum": min(span, 2**31) - 1}, int
    return {"type": "integer", "minimum": -span, "maximum": span - 1}, _same


def _numeric(kind: Any, fill: bool) -> tuple[dict[str, Any], Convert]:
    precision, scale = getattr(kind, "precision", None), getattr(kind, "scale", None)
    if fill:
        return _numeric_fill(kind, precision or 10, scale)
    schema: dict[str, Any] = {"type": "number"}
    if precision is not None:
        bound = 10 ** (precision - (scale or 0)) - 1
        schema.update(minimum=-bound, maximum=bound)
    if not getattr(kind, "asdecimal", False):
        return schema, _same
    places = scale if scale is not None else 2
    return schema, lambda value: Decimal(str(round(value, places)))


def _numeric_fill(kind: Any, precision: int, scale: int | None) -> tuple[dict[str, Any], Convert]:
    """Exact values: an integer count of the smallest unit, scaled back down."""
    if scale is None:
        exact = (lambda value: Decimal(str(value))) if kind.asdecimal else float
        return {"type": "number", "minimum": 0, "maximum": 10**6}, exact
    schema = {"type": "integer", "minimum": 0, "maximum": 10 ** min(precision, 12) - 1}
    return schema, lambda value: Decimal(value).scaleb(-scale)


def _string(kind: Any, fill: bool) -> tuple[dict[str, Any], Convert]:
    schema: dict[str, Any] = {"type": "string"}
    if fill:
        schema.update(minLength=1, maxLength=getattr(kind, "length", None) or 200)
    elif getattr(kind, "length", None):
        schema["maxLength"] = kind.length
    return schema, _same


def _same(value: Any) -> Any:
    return value


def _uuid(kind: Any, fill: bool) -> tuple[dict[str, Any], Convert]:
    schema = {"type": "string", "format": "uuid"}
    return schema, uuid.UUID if getattr(kind, "as_uuid", True) else str


def _datetime_of(kind: Any, fill: bool) -> tuple[dict[str, Any], Convert]:
    if not fill or getattr(kind, "timezone", False):
        return {"type": "string", "format": "date-time"}, _datetime
    return {"type": "string", "format": "date-time"}, lambda v: _datetime(v).replace(tzinfo=None)


def _json(kind: Any, fill: bool) -> tuple[dict[str, Any], Convert]:
    if not fill:
        return {"type": "object"}, _same
    values = {"type": "string", "maxLength": 40}
    return {"type": "object", "maxProperties": 3, "additionalProperties": values}, dict


Make = Callable[[Any, bool], tuple[dict[str, Any], Convert]]
_MAPPING: tuple[tuple[Callable[[Any], Any], Make], ...] = (
    (lambda sa: sa.Enum, _enum),
    (lambda sa: sa.Boolean, lambda _, fill: ({"type": "boolean"}, _same)),
    (lambda sa: sa.Integer, _integer),
    (lambda sa: sa.Numeric, _numeric),
    (lambda sa: sa.DateTime, _datetime_of),
    (lambda sa: sa.Date, lambda _, fill: ({"type": "string", "format": "date"}, _date)),
    (lambda sa: sa.Time, lambda _, fill: ({"type": "string", "format": "time"}, _time)),
    (lambda sa: sa.Uuid, _uuid),
    (lambda sa: sa.String, _string),
    (lambda sa: sa.JSON, _json),
    (lambda sa: sa.LargeBinary, lambda _, fill: ({"type": "string", "maxLength": 64}, _bytes)),
)


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _bytes(value: str) -> bytes:
    return value.encode()


def _datetime(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
