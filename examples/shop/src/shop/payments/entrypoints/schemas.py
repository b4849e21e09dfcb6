"""Request and response models of the payments API (v1 flat money, v2 money objects)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shop.payments.domain.money import CURRENCY_EXPONENTS, MAX_AMOUNT_MINOR

Currency = StrEnum("Currency", {code: code for code in sorted(CURRENCY_EXPONENTS)})  # type: ignore[misc]
AmountMinor = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=MAX_AMOUNT_MINOR,
        description="Integer minor units (cents); never a decimal or a string.",
        examples=[1299],
    ),
]
MethodToken = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^tok_[a-z0-9_]+$",
        description="Payment method token (test tokens: tok_visa, tok_declined, …).",
        examples=["tok_visa"],
    ),
]
Reference = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


def _method_examples(money: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Named request examples, one per documented test payment method of the processor."""
    methods = {
        "approved": ("tok_visa", "A card the processor always approves."),
        "declined": ("tok_declined", "Always declined: answered 402 (card_declined)."),
        "processor_error": ("tok_processor_error", "The processor fails: answered 503."),
    }
    return {
        name: {
            "summary": summary,
            "value": {"customer": "cust-42", **money, "payment_method": method},
        }
        for name, (method, summary) in methods.items()
    }


PAYMENT_EXAMPLES_V1 = _method_examples({"amount_minor": 1299, "currency": "EUR"})
PAYMENT_EXAMPLES_V2 = _method_examples({"amount": {"amount": 1299, "currency": "EUR"}})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Money(Strict):
    """An amount of money (v2): integer minor units and an ISO 4217 currency."""

    amount: int = Field(
        strict=True, ge=0, le=MAX_AMOUNT_MINOR, description="Minor units.", examples=[1299]
    )
    currency: Currency = Field(examples=["EUR"])


class PositiveMoney(Money):
    amount: int = Field(
        strict=True, ge=1, le=MAX_AMOUNT_MINOR, description="Minor units.", examples=[1299]
    )


class PaymentCreateV1(Strict):
    customer: str = Field(min_length=1, max_length=200, description="The paying customer's id.")
    order_id: Reference | None = None
    amount_minor: AmountMinor
    currency: Currency
    payment_method: MethodToken = "tok_visa"
    capture: bool = Field(default=False, description="Capture at once (a one-step charge).")


class PaymentCreateV2(Strict):
    customer: str = Field(min_length=1, max_length=200, description="The paying customer's id.")
    order_id: Reference | None = None
    amount: PositiveMoney
    payment_method: MethodToken = "tok_visa"
    capture: bool = Field(default=False, description="Capture at once (a one-step charge).")


class CaptureV1(Strict):
    amount_minor: AmountMinor | None = Field(
        default=None, description="Capture less than authorized; default: all of it."
    )


class CaptureV2(Strict):
    amount: PositiveMoney | None = Field(
        default=None, description="Capture less than authorized; default: all of it."
    )


class RefundCreateV1(Strict):
    amount_minor: AmountMinor
    reason: str = Field(default="", max_length=500)


class RefundCreateV2(Strict):
    amount: PositiveMoney
    reason: str = Field(default="", max_length=500)


class RefundV1(BaseModel):
    id: str
    payment_id: str
    amount_minor: int
    currency: str
    reason: str
    created_at: datetime


class RefundV2(BaseModel):
    id: str
    payment_id: str
    amount: Money
    reason: str
    created_at: datetime


class PaymentStatusOut(StrEnum):
    authorized = "authorized"
    declined = "declined"
    captured = "captured"
    partially_refunded = "partially_refunded"
    refunded = "refunded"


class _PaymentCommon(BaseModel):
    id: str
    customer: str
    order_id: str | None
    status: PaymentStatusOut
    payment_method: str
    decline_reason: str | None
    created_at: datetime
    updated_at: datetime


class PaymentV1(_PaymentCommon):
    amount_minor: int
    currency: str
    captured_minor: int
    refunded_minor: int
    refunds: list[RefundV1]


class PaymentV2(_PaymentCommon):
    amount: Money
    captured: Money
    refunded: Money
    refunds: list[RefundV2]


def refund_v1(snapshot: dict[str, Any]) -> RefundV1:
    return RefundV1.model_validate(snapshot)


def refund_v2(snapshot: dict[str, Any]) -> RefundV2:
    money = {"amount": snapshot["amount_minor"], "currency": snapshot["currency"]}
    return RefundV2.model_validate({**snapshot, "amount": money})


def payment_v1(snapshot: dict[str, Any]) -> PaymentV1:
    refunds = [refund_v1(r) for r in snapshot["refunds"]]
    return PaymentV1.model_validate(
        {**snapshot, "payment_method": snapshot["method"], "refunds": refunds}
    )


def payment_v2(snapshot: dict[str, Any]) -> PaymentV2:
    currency = snapshot["currency"]

    def money(field: str) -> dict[str, Any]:
        return {"amount": snapshot[field], "currency": currency}

    return PaymentV2.model_validate(
        {
            **snapshot,
            "payment_method": snapshot["method"],
            "amount": money("amount_minor"),
            "captured": money("captured_minor"),
            "refunded": money("refunded_minor"),
            "refunds": [refund_v2(r) for r in snapshot["refunds"]],
        }
    )


class ChargeRequest(Strict):
    """Service-to-service: authorize and capture for an order."""

    order_id: Reference
    customer: str = Field(min_length=1, max_length=200)
    amount_minor: AmountMinor
    currency: Currency
    method: MethodToken = "tok_visa"


class ChargeResponse(BaseModel):
    payment_id: str


class ServiceRefundRequest(Strict):
    amount_minor: AmountMinor


class ServiceRefundResponse(BaseModel):
    payment_id: str
    refunded: bool = True
