"""A simulated card processor with documented test payment methods."""

from __future__ import annotations

from shop.payments.domain.money import Money
from shop.payments.service_layer.gateway import GatewayDecision, GatewayUnavailable

APPROVED_METHOD = "tok_visa"
DECLINED_METHOD = "tok_declined"
INSUFFICIENT_FUNDS_METHOD = "tok_insufficient_funds"
PROCESSOR_ERROR_METHOD = "tok_processor_error"

TEST_METHODS: dict[str, str] = {
    APPROVED_METHOD: "Always approved.",
    "tok_mastercard": "Always approved.",
    DECLINED_METHOD: "Always declined (card_declined).",
    INSUFFICIENT_FUNDS_METHOD: "Always declined (insufficient_funds).",
    PROCESSOR_ERROR_METHOD: "The processor fails (answered as 503).",
}
"""Payment method tokens the simulated processor understands, for docs and tests."""


class SimulatedGateway:
    """Decides by the method token; unknown tokens are declined, never approved."""

    def __init__(self, processor_url: str = "https://processor.internal:8443") -> None:
        self._processor_url = processor_url
        self.authorized: dict[str, Money] = {}

    def authorize(self, reference: str, amount: Money, method: str) -> GatewayDecision:
        if method == PROCESSOR_ERROR_METHOD:
            raise GatewayUnavailable(
                f"POST {self._processor_url}/v3/authorizations ref={reference}: "
                "upstream connect error, reset before headers"
            )
        if method == DECLINED_METHOD:
            return GatewayDecision(False, "card_declined")
        if method == INSUFFICIENT_FUNDS_METHOD:
            return GatewayDecision(False, "insufficient_funds")
        if method not in TEST_METHODS:
            return GatewayDecision(False, "unknown_payment_method")
        self.authorized.setdefault(reference, amount)
        return GatewayDecision(True)
