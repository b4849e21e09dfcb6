"""Documents FastAPI generates: no false alarms, and real changes named as expected."""
# no `from __future__ import annotations`: FastAPI reads the endpoint annotations at runtime

from typing import Any

from fastapi import FastAPI, Query
from pydantic import BaseModel, Field

from assay.contract.diff import diff_specs
from assay.spec import from_dict


class Line(BaseModel):
    sku: str = Field(pattern="^[A-Z]+$")
    qty: int = Field(ge=1, le=100)


class OrderV1(BaseModel):
    lines: list[Line]
    note: str | None = None


class OrderV2(BaseModel):
    lines: list[Line]
    note: str | None = None
    coupon: str | None = None


def _app(
    model: type[BaseModel], *, strict_limit: bool = False, extra: bool = False
) -> dict[str, Any]:
    app = FastAPI(title="shop", version="1")

    @app.post("/orders", response_model=model, status_code=201)
    def create(order: model) -> Any:  # type: ignore[valid-type]
        return order

    if strict_limit:

        @app.get("/orders", response_model=list[model])
        def listing(limit: int = Query(10, le=50)) -> Any:  # type: ignore[valid-type]
            return []
    else:

        @app.get("/orders", response_model=list[model])
        def listing_v1(limit: int = Query(10, le=100)) -> Any:  # type: ignore[valid-type]
            return []

    if extra:

        @app.get("/health")
        def health() -> dict[str, str]:
            return {"status": "ok"}

    return app.openapi()


def _rules(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str | None]]:
    changes = diff_specs(from_dict(old), from_dict(new))
    return [(c.rule, c.operation) for c in changes]


def test_the_same_app_twice_has_no_changes() -> None:
    assert _rules(_app(OrderV1), _app(OrderV1)) == []


def test_a_model_renamed_with_a_new_optional_field_and_a_new_route() -> None:
    rules = _rules(_app(OrderV1), _app(OrderV2, extra=True))
    assert sorted(rules, key=str) == sorted(
        [
            ("request-optional-property-added", "POST /orders"),
            ("response-property-added", "POST /orders"),
            ("response-property-added", "GET /orders"),
            ("operation-added", "GET /health"),
        ],
        key=str,
    )


def test_a_tightened_query_bound_is_breaking() -> None:
    rules = _rules(_app(OrderV1), _app(OrderV1, strict_limit=True))
    assert ("request-parameter-max-decreased", "GET /orders") in rules
    assert ("operation-id-changed", "GET /orders") in rules
    assert {r for r, _ in rules} <= {
        "request-parameter-max-decreased",
        "operation-id-changed",
        "operation-summary-changed",
    }
