"""``ServiceClient``: calls from one shop service to another over HTTP, defensively.

* a timeout on every call;
* bounded retries with exponential backoff and full jitter, only for idempotent calls
  (GET, HEAD, OPTIONS, PUT, DELETE, or any method carrying ``Idempotency-Key``);
* a circuit breaker per target service: when open, calls fail at once (``CircuitOpenError``);
* client-side discovery: round-robin over the service's base URLs, skipping instances that
  failed (quarantined for ``quarantine`` seconds, or until ``refresh_health`` sees them up);
* ``X-API-Key`` service credentials and ``X-Request-ID`` propagation.

Clock, sleep, randomness and the HTTP transport are injectable for tests.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx2

from shop.platform.breaker import CircuitBreaker
from shop.platform.request_context import REQUEST_ID_HEADER, current_request_id

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
RETRYABLE_STATUSES = frozenset({502, 503, 504})


class ServiceCallError(Exception):
    """A call to another service failed; ``service`` names it."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(message)
        self.service = service


class ServiceUnavailableError(ServiceCallError):
    """No instance of the service answered (connection refused, timeout, all quarantined)."""


class CircuitOpenError(ServiceUnavailableError):
    """The circuit to the service is open: the call was not attempted."""


@dataclass(frozen=True)
class RetryPolicy:
    """Up to ``attempts`` tries; before try n+1 wait uniform(0, min(cap, base * 2**n))."""

    attempts: int = 3
    base_delay: float = 0.05
    max_delay: float = 1.0

    def delay(self, retry: int, rng: random.Random) -> float:
        """The full-jitter pause before retry number ``retry`` (0-based)."""
        return rng.uniform(0.0, min(self.max_delay, self.base_delay * 2**retry))


def is_retryable(method: str, headers: Mapping[str, str]) -> bool:
    """May a failed call with ``method`` and ``headers`` be sent again safely?"""
    if method.upper() in IDEMPOTENT_METHODS:
        return True
    return any(name.lower() == IDEMPOTENCY_KEY_HEADER.lower() for name in headers)


class Instance:
    """One base URL of a service and whether it is currently believed healthy."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.quarantined_until = 0.0

    def healthy(self, now: float) -> bool:
        return now >= self.quarantined_until


class ServiceClient:
    """An HTTP client to one shop service, possibly running as several instances."""

    def __init__(
        self,
        service: str,
        base_urls: Sequence[str],
        *,
        api_key: str | None = None,
        timeout: float = 5.0,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        quarantine: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        transport: httpx2.BaseTransport | None = None,
    ) -> None:
        if not base_urls:
            raise ValueError(f"service {service!r} has no base URL")
        self.service = service
        self.instances = [Instance(url) for url in base_urls]
        self.api_key = api_key
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.breaker = breaker or CircuitBreaker(clock=clock)
        self.quarantine = quarantine
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._http = httpx2.Client(transport=transport, follow_redirects=False)
        self._next = 0
        self._lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def _pick(self) -> Instance:
        now = self.clock()
        with self._lock:
            count = len(self.instances)
            for offset in range(count):
                instance = self.instances[(self._next + offset) % count]
                if instance.healthy(now):
                    self._next = (self._next + offset + 1) % count
                    return instance
        raise ServiceUnavailableError(
            self.service, f"every instance of {self.service} is unhealthy; try again shortly"
        )

    def _quarantine(self, instance: Instance) -> None:
        instance.quarantined_until = self.clock() + self.quarantine

    def _headers(self, headers: Mapping[str, str] | None) -> dict[str, str]:
        merged = {"Accept": "application/json"}
        if self.api_key:
            merged["X-API-Key"] = self.api_key
        request_id = current_request_id.get()
        if request_id:
            merged[REQUEST_ID_HEADER] = request_id
        merged.update(headers or {})
        return merged

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx2.Response:
        """Send the call; 4xx and final 5xx answers are returned, transport failures raise.

        Raises ``CircuitOpenError`` when the breaker is open and ``ServiceUnavailableError``
        when no instance could be reached within the retry budget.
        """
        sent = {"json": json, "params": params, "headers": self._headers(headers)}
        sent["timeout"] = timeout or self.timeout
        attempts = self.retry.attempts if is_retryable(method, sent["headers"]) else 1
        failure = "no attempt made"
        for attempt in range(attempts):
            if attempt:
                self.sleep(self.retry.delay(attempt - 1, self.rng))
            instance = self._admit()
            outcome = self._send(instance, method, path, sent)
            if isinstance(outcome, str):
                failure = outcome
                continue
            if outcome.status_code not in RETRYABLE_STATUSES or attempt + 1 == attempts:
                return outcome
            failure = f"HTTP {outcome.status_code} from {instance.base_url}"
            outcome.close()
        raise ServiceUnavailableError(
            self.service,
            f"{method} {path} on {self.service} failed after {attempts} attempt(s): {failure}",
        )

    def _admit(self) -> Instance:
        """The instance for the next attempt, unless the circuit is open."""
        if not self.breaker.allow():
            raise CircuitOpenError(
                self.service,
                f"circuit to {self.service} is open after repeated failures; "
                f"failing fast (next probe in {self.breaker.retry_in():.1f}s)",
            )
        try:
            return self._pick()
        except ServiceUnavailableError:
            self.breaker.record_failure()
            raise

    def _send(
        self, instance: Instance, method: str, path: str, sent: dict[str, Any]
    ) -> httpx2.Response | str:
        """One attempt: the response, or why the instance could not be reached."""
        try:
            response = self._http.request(method, instance.base_url + path, **sent)
        except httpx2.TransportError as exc:
            self.breaker.record_failure()
            self._quarantine(instance)
            return f"{type(exc).__name__} from {instance.base_url}"
        if response.status_code >= 500:
            self.breaker.record_failure()
        else:
            self.breaker.record_success()
        return response

    def get(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("DELETE", path, **kwargs)

    def refresh_health(self, timeout: float = 1.0) -> dict[str, bool]:
        """Probe every instance's ``/healthz``; quarantine the down, release the recovered."""
        result: dict[str, bool] = {}
        for instance in self.instances:
            try:
                up = self._http.get(instance.base_url + "/healthz", timeout=timeout).is_success
            except httpx2.TransportError:
                up = False
            if up:
                instance.quarantined_until = 0.0
            else:
                self._quarantine(instance)
            result[instance.base_url] = up
        return result

    def healthy(self, timeout: float = 1.0) -> bool:
        """True when at least one instance answers ``/healthz``."""
        return any(self.refresh_health(timeout).values())
