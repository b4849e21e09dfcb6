"""The port to the card processor that authorizes money."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shop.payments.domain.money import Money


@dataclass(frozen=True)
class GatewayDecision:
    approved: bool
    reason: str = ""


class GatewayUnavailable(Exception):
    """The processor could not be reached or failed; nothing was authorized.

    The message may name internal hosts: it is logged, never shown to a client.
    """


class PaymentGateway(Protocol):
    def authorize(self, reference: str, amount: Money, method: str) -> GatewayDecision:
        """Authorize ``amount`` on ``method``; ``reference`` makes retries safe."""
        ...
