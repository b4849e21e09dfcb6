"""Robustness checks: server errors, invalid input accepted, valid input rejected, headers."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench


class Order(BaseModel):
    sku: str = Field(min_length=1, max_length=10)
    quantity: int = Field(ge=1, le=99)


def _orders(*, status: int = 201, validate: bool = True) -> FastAPI:
    """POST /orders documented with `Order`; `validate=False` skips the bounds."""
    app = FastAPI()
    schema = Order.model_json_schema()
    extra = {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}

    @app.post("/orders", status_code=201, openapi_extra=extra, response_model=None)
    async def place(request: Request) -> JSONResponse:
        data: dict[str, Any] = await request.json()
        if validate:
            Order.model_validate(data)
        return JSONResponse(data, status_code=status)

    return app


def _negative(body: Any, note: str = "invalid") -> Probe:
    return Probe("POST /orders", body=body, kind="negative", phase="boundary", mutation=note)


def test_server_error_fires_on_a_500(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/crash")
    def crash() -> dict[str, int]:
        return {"ratio": 1 // 0}

    (found,) = bench(app).fired("server_error", Probe("GET /crash"))
    assert found.signature == "500"
    assert found.evidence["status"] == 500


def test_server_error_silent_on_a_documented_503_and_a_501_to_a_method_probe(
    bench: MakeBench,
) -> None:
    app = FastAPI()

    @app.get("/ready", responses={503: {"description": "not ready"}})
    def ready() -> JSONResponse:
        return JSONResponse({"ready": False}, status_code=503)

    @app.get("/things")
    def things() -> list[int]:
        return [1]

    @app.api_route("/things", methods=["PATCH"], include_in_schema=False)
    def patch_things() -> None:
        raise HTTPException(501, "not implemented")

    made = bench(app)
    assert made.fired("server_error", Probe("GET /ready")) == []
    probe = Probe("GET /things", method="PATCH", kind="negative", phase="semantics")
    exchange = made.send(probe)
    assert exchange.status == 501
    assert made.run(exchange, ["server_error"]) == []


def test_invalid_input_accepted_fires_on_a_negative_quantity(bench: MakeBench) -> None:
    made = bench(_orders(validate=False))
    (found,) = made.fired("invalid_input_accepted", _negative({"sku": "A", "quantity": -1}))
    assert "minimum" in found.evidence["violation"]
    assert found.signature.startswith("request-body-schema:")


def test_invalid_input_accepted_silent_when_refused(bench: MakeBench) -> None:
    app = FastAPI()

    @app.post("/orders", status_code=201)
    def place(order: Order) -> Order:
        return order

    probe = _negative({"sku": "A", "quantity": -1})
    assert bench(app).fired("invalid_input_accepted", probe) == []


def test_invalid_input_accepted_ignores_pydantic_lax_coercions(bench: MakeBench) -> None:
    app = FastAPI()

    @app.post("/orders", status_code=201)
    def place(order: Order) -> Order:
        return order

    made = bench(app)
    for body in ({"sku": "A", "quantity": "5"}, {"sku": "A", "quantity": 5.0}):
        assert made.fired("invalid_input_accepted", _negative(body)) == []


def test_invalid_input_accepted_judges_the_request_not_the_label(bench: MakeBench) -> None:
    made = bench(_orders(validate=False))
    mislabelled = _negative({"sku": "A", "quantity": 3}, "claims to be invalid")
    assert made.fired("invalid_input_accepted", mislabelled) == []


def _paid(enforced: bool) -> FastAPI:
    app = FastAPI()

    if enforced:

        @app.post("/payments", status_code=201)
        def pay(key: Annotated[str, Header(alias="Idempotency-Key")]) -> dict[str, str]:
            return {"key": key}

    else:
        extra = {
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ]
        }

        @app.post("/payments", status_code=201, openapi_extra=extra)
        def pay_lax() -> dict[str, str]:
            return {"key": "none"}

    return app


def test_missing_required_header_accepted_fires(bench: MakeBench) -> None:
    made = bench(_paid(enforced=False))
    (found,) = made.fired("missing_required_header_accepted", Probe("POST /payments"))
    assert found.evidence["missing"] == ["Idempotency-Key"]
    assert found.signature == "idempotency-key"


def test_missing_required_header_accepted_silent_when_sent_or_enforced(bench: MakeBench) -> None:
    lax = bench(_paid(enforced=False))
    with_key = Probe("POST /payments", headers={"Idempotency-Key": "k1"})
    assert lax.fired("missing_required_header_accepted", with_key) == []
    strict = bench(_paid(enforced=True))
    assert strict.fired("missing_required_header_accepted", Probe("POST /payments")) == []


def test_invalid_input_accepted_leaves_missing_headers_to_their_check(bench: MakeBench) -> None:
    made = bench(_paid(enforced=False))
    probe = Probe("POST /payments", kind="negative", mutation="header missing")
    assert made.fired("invalid_input_accepted", probe) == []


class Signup(BaseModel):
    name: str = Field(min_length=1, max_length=20)
    email: str = Field(max_length=50, json_schema_extra={"format": "email"})


def _signup(*, strict_name: bool, strict_email: bool) -> FastAPI:
    app = FastAPI()

    class Checked(Signup):
        @field_validator("name")
        @classmethod
        def letters(cls, value: str) -> str:
            if strict_name and not value.isalpha():
                raise ValueError("letters only")
            return value

        @field_validator("email")
        @classmethod
        def mail(cls, value: str) -> str:
            if strict_email and "@" not in value:
                raise ValueError("not an e-mail")
            return value

    @app.post("/signups", status_code=201)
    async def signup(request: Request) -> dict[str, str]:
        from fastapi.exceptions import RequestValidationError
        from pydantic import ValidationError

        try:
            Checked.model_validate(await request.json())
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_context=False)]
            ) from None
        return {"ok": "yes"}

    _document(app, Signup)
    return app


def _document(app: FastAPI, model: type[BaseModel]) -> None:
    route = next(r for r in app.routes if getattr(r, "path", "") == "/signups")
    schema = model.model_json_schema()
    route.openapi_extra = {  # type: ignore[attr-defined]
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}
    }


def test_valid_input_rejected_fires_on_a_validation_error_the_spec_does_not_explain(
    bench: MakeBench,
) -> None:
    made = bench(_signup(strict_name=True, strict_email=False))
    probe = Probe("POST /signups", body={"name": "Ana 2", "email": "a@example.com"})
    (found,) = made.fired("valid_input_rejected", probe)
    assert found.evidence["location"] == "body.name"
    assert found.signature == "body.name"


def test_valid_input_rejected_silent_on_format_fields_and_invalid_requests(
    bench: MakeBench,
) -> None:
    made = bench(_signup(strict_name=False, strict_email=True))
    odd_mail = Probe("POST /signups", body={"name": "Ana", "email": "ana"})
    assert made.fired("valid_input_rejected", odd_mail) == []
    strict = bench(_signup(strict_name=True, strict_email=False))
    too_long = Probe("POST /signups", body={"name": "A" * 30, "email": "a@b.c"})
    assert strict.fired("valid_input_rejected", too_long) == []


def test_valid_input_rejected_silent_on_a_business_refusal(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/stock")
    def stock(sku: Annotated[str, Query(max_length=10)]) -> dict[str, int]:
        raise HTTPException(400, "out of stock")

    probe = Probe("GET /stock", query={"sku": "A"})
    assert bench(app).fired("valid_input_rejected", probe) == []


def _pages() -> FastAPI:
    """GET /pages documents ``limit`` as an integer up to 100 and never checks it."""
    app = FastAPI()
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}

    @app.get("/pages", openapi_extra={"parameters": [limit]})
    def pages(request: Request) -> dict[str, str]:
        return {"limit": request.query_params.get("limit", "")}

    @app.get("/typed")
    def typed(
        count: int | None = None, ratio: float | None = None, flag: bool | None = None
    ) -> dict[str, str]:
        return {"ok": "yes"}

    return app


def test_invalid_input_accepted_fires_on_an_unchecked_query_bound(bench: MakeBench) -> None:
    made = bench(_pages())
    probe = Probe("GET /pages", query={"limit": 500}, kind="negative")
    (found,) = made.fired("invalid_input_accepted", probe)
    assert found.signature.startswith("parameter-schema:")
    text = Probe("GET /pages", query={"limit": "many"}, kind="negative")
    assert made.fired("invalid_input_accepted", text) != []


@pytest.mark.parametrize(
    ("name", "value"),
    [("count", "5.0"), ("count", " +5"), ("ratio", "nan"), ("flag", "yes"), ("flag", "True")],
)
def test_invalid_input_accepted_ignores_lax_parameter_conversions(
    bench: MakeBench, name: str, value: str
) -> None:
    probe = Probe("GET /typed", query={name: value}, kind="negative")
    assert bench(_pages()).fired("invalid_input_accepted", probe) == []


def test_lax_conversion_of_an_out_of_bounds_value_is_still_invalid(bench: MakeBench) -> None:
    probe = Probe("GET /pages", query={"limit": "500.0"}, kind="negative")
    assert bench(_pages()).fired("invalid_input_accepted", probe) != []
