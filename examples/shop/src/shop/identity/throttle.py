"""Login throttling: per client (IP, every attempt) and per identity (failed attempts).

Counting only failures per identity means an attacker cannot lock a user out by
spamming requests the user makes correctly, while guessing a password is still bounded;
the per-client window bounds everything a single client sends. The identity key is the
submitted name whether or not that account exists, so throttling reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from shop.identity.problems import IdentityProblem
from shop.identity.rate_limits import RateDecision, RateLimiter, tightest
from shop.identity.settings import RateLimitPolicy


@dataclass(frozen=True)
class Admission:
    """An attempt let through, with the decisions its response headers report."""

    client_key: str
    identity_key: str | None
    decision: RateDecision
    client_decision: RateDecision


class LoginThrottle:
    def __init__(
        self, limiter: RateLimiter, per_identity: RateLimitPolicy, per_client: RateLimitPolicy
    ) -> None:
        self._limiter = limiter
        self._per_identity = per_identity
        self._per_client = per_client

    def admit(self, client: str, identity: str | None) -> Admission:
        """Count the attempt; a 429 problem (with ``Retry-After``) when over a limit."""
        client_key = f"client:{client}"
        identity_key = f"identity:{identity.strip().casefold()}" if identity else None
        decisions = [self._limiter.check(client_key, self._per_client, record=True)]
        if identity_key is not None:
            decisions.append(self._limiter.check(identity_key, self._per_identity, record=False))
        decision = tightest(decisions)
        if not decision.allowed:
            raise IdentityProblem(
                429,
                "rate-limited",
                "Too many requests",
                f"Too many attempts; retry in {decision.retry_after} seconds.",
                headers=decision.headers(),
            )
        return Admission(client_key, identity_key, decision, decisions[0])

    def failed(self, admission: Admission) -> RateDecision:
        """Count a failed attempt against the identity; the decision to report now."""
        if admission.identity_key is None:
            return admission.decision
        self._limiter.record(admission.identity_key, self._per_identity)
        identity = self._limiter.check(admission.identity_key, self._per_identity, record=False)
        reported = tightest([admission.client_decision, identity])
        return RateDecision(True, reported.limit, reported.remaining, reported.reset)
