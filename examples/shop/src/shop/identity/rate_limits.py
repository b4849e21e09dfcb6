"""Sliding-window rate limiting for login and token requests.

A window log: a request is allowed when fewer than ``limit`` requests were recorded in
the last ``window_seconds``. In memory by default (one process); ``RedisRateLimiter``
shares the windows between processes with one atomic Lua script per decision.
"""

from __future__ import annotations

import math
import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from shop.identity.settings import RateLimitPolicy

_SWEEP_THRESHOLD = 10_000


@dataclass(frozen=True)
class RateDecision:
    """The outcome of one check, with what the ``RateLimit-*`` headers report."""

    allowed: bool
    limit: int
    remaining: int
    reset: int

    @property
    def retry_after(self) -> int:
        return max(1, self.reset)

    def headers(self) -> dict[str, str]:
        values = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            values["Retry-After"] = str(self.retry_after)
        return values


def _decision(
    allowed: bool, count: int, oldest: float | None, policy: RateLimitPolicy, now: float
) -> RateDecision:
    reset = 0 if oldest is None else max(0, math.ceil(oldest + policy.window_seconds - now))
    return RateDecision(allowed, policy.limit, max(0, policy.limit - count), reset)


def tightest(decisions: list[RateDecision]) -> RateDecision:
    """The decision to report: a refusal first, else the one with the least remaining."""
    refused = [d for d in decisions if not d.allowed]
    pool = refused or decisions
    return min(pool, key=lambda d: (d.remaining, -d.reset))


class RateLimiter(Protocol):
    def check(self, key: str, policy: RateLimitPolicy, *, record: bool) -> RateDecision:
        """Decide for ``key``; when allowed and ``record``, count this request."""

    def record(self, key: str, policy: RateLimitPolicy) -> None:
        """Count one request for ``key`` whatever the current state."""


class MemoryRateLimiter:
    """Window logs in a dict; thread-safe; keys whose window emptied are dropped."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._longest_window = 0
        self._lock = threading.Lock()

    def check(self, key: str, policy: RateLimitPolicy, *, record: bool) -> RateDecision:
        now = self._clock()
        with self._lock:
            hits = self._window(key, policy, now)
            allowed = len(hits) < policy.limit
            if allowed and record:
                hits.append(now)
            decision = _decision(allowed, len(hits), hits[0] if hits else None, policy, now)
            if not hits:
                self._hits.pop(key, None)
        return decision

    def record(self, key: str, policy: RateLimitPolicy) -> None:
        now = self._clock()
        with self._lock:
            self._window(key, policy, now).append(now)

    def _window(self, key: str, policy: RateLimitPolicy, now: float) -> deque[float]:
        self._longest_window = max(self._longest_window, policy.window_seconds)
        if len(self._hits) > _SWEEP_THRESHOLD:
            self._sweep(now - self._longest_window)
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - policy.window_seconds:
            hits.popleft()
        return hits

    def _sweep(self, horizon: float) -> None:
        """Forget keys with no hit inside the longest window in use (bounds memory)."""
        stale = [k for k, h in self._hits.items() if not h or h[-1] <= horizon]
        for key in stale:
            del self._hits[key]


_SCRIPT = """
local key, now, window = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local limit, member, mode = tonumber(ARGV[3]), ARGV[4], ARGV[5]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then allowed = 1 end
if mode == 'force' or (mode == 'record' and allowed == 1) then
  redis.call('ZADD', key, now, member)
  count = count + 1
end
redis.call('EXPIRE', key, math.ceil(window))
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {allowed, count, oldest[2] or ''}
"""


class RedisRateLimiter:
    """Window logs as Redis sorted sets (``<prefix><key>``), decided atomically in Lua."""

    def __init__(self, url: str, clock: Callable[[], float], prefix: str = "shop:rl:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._script = self._redis.register_script(_SCRIPT)
        self._clock = clock
        self._prefix = prefix

    def check(self, key: str, policy: RateLimitPolicy, *, record: bool) -> RateDecision:
        return self._run(key, policy, "record" if record else "peek")

    def record(self, key: str, policy: RateLimitPolicy) -> None:
        self._run(key, policy, "force")

    def _run(self, key: str, policy: RateLimitPolicy, mode: str) -> RateDecision:
        now = self._clock()
        member = f"{now:.6f}:{secrets.token_hex(4)}"
        args: list[str | float] = [now, policy.window_seconds, policy.limit, member, mode]
        allowed, count, oldest = self._script(keys=[self._prefix + key], args=args)
        oldest_at = float(oldest) if oldest else None
        return _decision(bool(allowed), int(count), oldest_at, policy, now)
