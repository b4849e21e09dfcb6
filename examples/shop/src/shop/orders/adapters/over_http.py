"""Ports over HTTP to services in other processes (``shop.platform.clients.ServiceClient``).

Every POST carries an ``Idempotency-Key`` derived from the order (and step), so the
client's retries and the saga's own resumption never repeat an effect. Answers map to
the saga's outcomes: 2xx done, 4xx ``StepRejected`` (the problem's type names the
reason), 5xx and transport failures ``DownstreamUnavailable``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

import httpx2

from shop.orders.service_layer.defects import DOWNSTREAM_NO_TIMEOUT
from shop.orders.service_layer.environment import DefectSwitch
from shop.orders.service_layer.ports import DownstreamUnavailable, StepRejected
from shop.platform.clients import IDEMPOTENCY_KEY_HEADER, ServiceCallError, ServiceClient
from shop.platform.services import PeerUnavailable

RESERVATION_TTL_SECONDS = 900
PRACTICALLY_NO_TIMEOUT = 24 * 3600.0


def _reason(body: dict[str, Any], status: int) -> str:
    kind = str(body.get("type", ""))
    return kind.rsplit("/", 1)[-1] or f"http-{status}"


def _outcome(response: httpx2.Response, service: str) -> dict[str, Any]:
    try:
        body = response.json() if response.content else {}
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    if response.status_code >= 500:
        raise DownstreamUnavailable(f"{service} answered {response.status_code}")
    if response.status_code >= 400:
        detail = str(body.get("detail", f"{service} refused ({response.status_code})"))
        raise StepRejected(_reason(body, response.status_code), detail, response.status_code)
    return body


class HttpPeer:
    """Calls to one peer service: keys on POSTs, errors mapped, timeouts kept."""

    def __init__(self, client: Callable[[], ServiceClient], defects: DefectSwitch) -> None:
        self._client = client
        self._defects = defects

    def call(
        self, method: str, path: str, *, json: Any = None, key: str | None = None
    ) -> dict[str, Any]:
        try:
            client = self._client()
        except PeerUnavailable as exc:
            raise DownstreamUnavailable(str(exc)) from exc
        headers = {IDEMPOTENCY_KEY_HEADER: key} if key else {}
        timeout = None
        if self._defects.on(DOWNSTREAM_NO_TIMEOUT):
            # DEFECT orders-downstream-no-timeout: a hung peer hangs the placement.
            timeout = PRACTICALLY_NO_TIMEOUT
        try:
            response = client.request(method, path, json=json, headers=headers, timeout=timeout)
        except ServiceCallError as exc:
            raise DownstreamUnavailable(str(exc)) from exc
        return _outcome(response, client.service)


class HttpInventory:
    def __init__(self, peer: HttpPeer) -> None:
        self._peer = peer

    def price_of(self, sku: str) -> tuple[int, str]:
        body = self._peer.call("GET", f"/v1/prices/{quote(sku, safe='')}")
        return int(body["amount"]), str(body["currency"])

    def reserve(self, order_id: str, lines: Sequence[tuple[str, int]]) -> str:
        payload = {
            "order_id": order_id,
            "lines": [{"sku": sku, "quantity": qty} for sku, qty in lines],
            "ttl_seconds": RESERVATION_TTL_SECONDS,
        }
        body = self._peer.call("POST", "/v1/reservations", json=payload, key=f"{order_id}:reserve")
        return str(body["id"])

    def release(self, reservation_id: str) -> None:
        path = f"/v1/reservations/{quote(reservation_id, safe='')}/release"
        self._peer.call("POST", path, key=f"{reservation_id}:release")

    def confirm(self, reservation_id: str) -> None:
        path = f"/v1/reservations/{quote(reservation_id, safe='')}/confirm"
        self._peer.call("POST", path, key=f"{reservation_id}:confirm")


class HttpAllocation:
    """``POST /v1/allocations`` (idempotent per order and SKU) and
    ``DELETE /v1/allocations/{order_id}/{sku}`` (idempotent)."""

    def __init__(self, peer: HttpPeer) -> None:
        self._peer = peer

    def allocate(self, order_id: str, sku: str, qty: int) -> str:
        payload = {"order_id": order_id, "sku": sku, "quantity": qty}
        body = self._peer.call("POST", "/v1/allocations", json=payload, key=f"{order_id}:{sku}")
        return str(body["batch_reference"])

    def deallocate(self, order_id: str, sku: str) -> None:
        path = f"/v1/allocations/{quote(order_id, safe='')}/{quote(sku, safe='')}"
        self._peer.call("DELETE", path)


class HttpPayments:
    def __init__(self, peer: HttpPeer) -> None:
        self._peer = peer

    def charge(
        self,
        order_id: str,
        customer: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        *,
        method: str,
    ) -> str:
        payload = {
            "order_id": order_id,
            "customer": customer,
            "amount_minor": amount_minor,
            "currency": currency,
            "method": method,
        }
        body = self._peer.call(
            "POST", "/internal/payments/charges", json=payload, key=idempotency_key
        )
        return str(body["payment_id"])

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> None:
        path = f"/internal/payments/{quote(payment_id, safe='')}/refunds"
        self._peer.call("POST", path, json={"amount_minor": amount_minor}, key=idempotency_key)
