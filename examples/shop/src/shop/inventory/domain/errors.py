"""Errors of the inventory domain; each one is also the HTTP problem it answers as."""

from __future__ import annotations

from shop.platform.problems import Conflict, NotFound, PreconditionFailed, Unprocessable


class UnknownProduct(NotFound):
    """No product has this SKU (404)."""

    def __init__(self, sku: str) -> None:
        super().__init__("product", sku)
        self.sku = sku


class UnknownReservation(NotFound):
    """No reservation has this id (404)."""

    def __init__(self, reservation_id: str) -> None:
        super().__init__("reservation", reservation_id)
        self.reservation_id = reservation_id


class ProductExists(Conflict):
    """A product with this SKU already exists (409)."""

    slug = "product-exists"

    def __init__(self, sku: str) -> None:
        super().__init__(f"product {sku!r} already exists.")
        self.sku = sku


class InsufficientStock(Conflict):
    """Fewer units are available than an order asks for (409)."""

    slug, title = "insufficient-stock", "Insufficient stock"

    def __init__(self, sku: str, requested: int, available: int) -> None:
        super().__init__(
            f"only {available} unit(s) of {sku!r} are available; {requested} were requested.",
            sku=sku,
            requested=requested,
            available=available,
        )
        self.sku = sku
        self.requested = requested
        self.available = available


class ReservationConflict(Conflict):
    """The reservation cannot make this change (409): e.g. confirming an expired one, or
    the same order reserving different lines."""

    slug = "reservation-conflict"


class IdempotencyKeyReused(Unprocessable):
    """An ``Idempotency-Key`` came back with a different request (422)."""

    slug = "idempotency-key-reused"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was used for a different request; use a new key.",
            errors=[
                {"location": "header", "pointer": "/header/Idempotency-Key", "detail": "reused"}
            ],
        )


class ReservationKeyTaken(Exception):
    """Another request with the same ``Idempotency-Key`` stored its reservation first (a
    client's retry racing the original). Never an answer: the handler tries again and
    answers with that reservation."""

    def __init__(self, idempotency_key: str) -> None:
        super().__init__(f"a reservation with Idempotency-Key {idempotency_key!r} exists")
        self.idempotency_key = idempotency_key


class StaleProduct(PreconditionFailed):
    """The product changed since the caller read it (412)."""

    def __init__(self, sku: str) -> None:
        super().__init__(f"product {sku!r} was changed since it was read; read it again.")
        self.sku = sku


class InvalidImport(Unprocessable):
    """Rows of a stock import were refused (422); ``errors`` point at each row."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(
            f"{len(errors)} row(s) of the import were refused; nothing was imported.",
            errors=[
                {"location": "body", "pointer": f"/body/rows/{row}", "detail": detail}
                for row, detail in errors[:100]
            ],
        )
        self.rows = errors
