"""Builders of SQLAlchemy models: a schema from the columns, Python values, related rows."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
import sqlalchemy.types as sa_types
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Interval,
    Numeric,
    String,
    Text,
    create_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from assay import AssayError, Builder
from assay.data.tables import column_values, table_source


class Tier(enum.Enum):
    basic = "basic"
    gold = "gold"


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(30))
    tier: Mapped[Tier] = mapped_column(Enum(Tier))
    balance: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    born: Mapped[dt.date | None] = mapped_column(Date)
    joined_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    token: Mapped[uuid.UUID]
    bio: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, object] | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    number: Mapped[str] = mapped_column(String(12))


class Odd(Base):
    __tablename__ = "odd"

    id: Mapped[int] = mapped_column(primary_key=True)
    where: Mapped[dt.timedelta] = mapped_column(Interval)


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine, tables=[Customer.__table__, Invoice.__table__])  # type: ignore[list-item]
    with Session(engine) as session:
        yield session


def test_the_schema_follows_the_columns() -> None:
    schema = table_source(Customer).schema
    props = schema["properties"]
    assert "id" not in props  # the database assigns it
    assert props["email"] == {"type": "string", "maxLength": 60}
    assert props["tier"] == {"enum": ["basic", "gold"]}
    assert props["born"] == {"type": ["string", "null"], "format": "date"}
    assert props["token"]["format"] == "uuid"
    assert set(schema["required"]) == {"email", "name", "tier", "balance", "joined_at", "token"}
    assert "active" not in schema["required"]  # it has a default


def test_built_rows_hold_python_values_within_the_column_limits() -> None:
    for seed in range(40):
        row = Builder.from_table(Customer, seed=seed).build()
        assert isinstance(row, Customer)
        assert row.id is None
        assert len(row.email) <= 60
        assert len(row.name) <= 30
        assert isinstance(row.tier, Tier)
        assert isinstance(row.balance, Decimal)
        assert abs(row.balance) < Decimal("1000000")
        assert isinstance(row.joined_at, dt.datetime)
        assert isinstance(row.token, uuid.UUID)
        assert row.born is None or isinstance(row.born, dt.date)


def test_overrides_are_checked_against_the_column_length() -> None:
    with pytest.raises(AssayError, match=r"field name = 'x{31}' .* breaks `maxLength`"):
        Builder.from_table(Customer).build(name="x" * 31)
    assert Builder.from_table(Customer).build(name="x" * 30).name == "x" * 30


def test_create_through_a_session_fills_foreign_keys_from_related_rows(session: Session) -> None:
    customers = Builder.from_table(Customer, sink=session)
    invoices = Builder.from_table(Invoice, related={"customer_id": customers}, sink=session)
    invoice = invoices.create()
    assert invoice.id is not None
    owner = session.get(Customer, invoice.customer_id)
    assert owner is not None
    assert owner.email
    assert len(invoices.create_batch(2)) == 2
    assert session.query(Customer).count() == 3


def test_building_leaves_a_key_the_database_assigns_as_generated() -> None:
    invoices = Builder.from_table(Invoice, related={"customer_id": Builder.from_table(Customer)})
    assert isinstance(invoices.build().customer_id, int)


def test_a_column_type_without_values_is_named() -> None:
    with pytest.raises(
        AssayError, match=r"Odd\.where: assay cannot build values of the column type"
    ):
        Builder.from_table(Odd)


def test_a_class_that_is_not_mapped_is_refused() -> None:
    with pytest.raises(AssayError, match="is not a mapped SQLAlchemy class"):
        Builder.from_table(dict)


@pytest.mark.parametrize(
    ("kind", "full", "fill"),
    [
        (sa_types.SMALLINT(), (-(2**15), 2**15 - 1), (0, 2**15 - 1)),
        (sa_types.INTEGER(), (-(2**31), 2**31 - 1), (0, 2**31 - 1)),
        (sa_types.BIGINT(), (-(2**63), 2**63 - 1), (0, 2**31 - 1)),
    ],
)
def test_reflected_integer_types_keep_their_storage_range(
    kind: object, full: tuple[int, int], fill: tuple[int, int]
) -> None:
    whole, _ = column_values(kind) or ({}, None)
    filling, _ = column_values(kind, fill=True) or ({}, None)
    assert (whole["minimum"], whole["maximum"]) == full
    assert (filling["minimum"], filling["maximum"]) == fill


def test_the_fill_flavour_keeps_scaled_decimals_exact_and_datetimes_naive() -> None:
    schema, convert = column_values(sa_types.Numeric(8, 2), fill=True) or ({}, None)
    assert schema["type"] == "integer"
    assert convert is not None
    assert convert(12345) == Decimal("123.45")
    _, moment = column_values(sa_types.DateTime(), fill=True) or ({}, None)
    assert moment is not None
    assert moment("2026-01-02T03:04:05Z").tzinfo is None
    _, aware = column_values(sa_types.DateTime(timezone=True), fill=True) or ({}, None)
    assert aware is not None
    assert aware("2026-01-02T03:04:05Z").tzinfo is not None


def test_a_type_without_values_gives_none() -> None:
    assert column_values(sa_types.PickleType()) is None
