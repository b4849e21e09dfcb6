"""What the security corpus apps (``sec_*``) share: hardening, a login guard, probe facts.

* `harden` adds the security headers a correct API sends (nosniff, no framing, a
  content security policy, ``no-store``), minus the ones a defect leaves out;
* `LoginGuard` counts failed logins per user (and all attempts per client) and answers
  429 with ``Retry-After`` and ``RateLimit-*`` headers, so the clean twins of login
  apps are not flagged for missing rate limits and enumeration stays within bounds;
* `token_app` is a small OAuth2 password-grant service (``POST /token``, ``GET /me``)
  whose behaviour on a failed login the app modules choose;
* `facts` builds the ``Case.scenario`` of a security probe for ``PROBES``.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from assay.client.identities import Identity

__all__ = [
    "KNOWN_USER",
    "PASSWORD",
    "LoginGuard",
    "facts",
    "harden",
    "token_app",
    "token_identity",
]

KNOWN_USER = "ana@example.com"
PASSWORD = "correct horse"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


def harden(app: FastAPI, *, omit: Iterable[str] = (), extra: dict[str, str] | None = None) -> None:
    """Add the security headers an endpoint did not set (all but `omit`), and `extra`."""
    left_out = {name.lower() for name in omit}
    headers = {k: v for k, v in SECURITY_HEADERS.items() if k.lower() not in left_out}
    headers.update(extra or {})

    async def secure(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    app.add_middleware(BaseHTTPMiddleware, dispatch=secure)


def facts(probe: str, step: str, **more: Any) -> dict[str, Any]:
    """The scenario facts the security probe `probe` puts on a case at `step`."""
    return {"name": "security", "probe": probe, "step": step, **more}


@dataclass
class LoginGuard:
    """Failed logins per user (``limit`` per ``window`` s) and all attempts per client."""

    limit: int = 5
    window: float = 60.0
    client_limit: int = 60
    retry_after: bool = True
    announce: int | None = None
    """A Retry-After to announce instead of the real wait (a limit that never lifts)."""
    failures: dict[str, list[float]] = field(default_factory=dict)
    attempts: list[float] = field(default_factory=list)

    def _recent(self, hits: list[float], now: float) -> list[float]:
        hits[:] = [t for t in hits if t > now - self.window]
        return hits

    def admit(self, user: str) -> dict[str, str]:
        """The RateLimit headers for this attempt; raises a 429 when over a limit."""
        now = time.monotonic()
        mine = self._recent(self.failures.setdefault(user.casefold(), []), now)
        every = self._recent(self.attempts, now)
        remaining = min(self.limit - len(mine), self.client_limit - len(every))
        oldest = min([*mine, *every], default=now)
        reset = max(1, math.ceil(oldest + self.window - now))
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(max(0, remaining)),
        }
        if remaining <= 0:
            if self.retry_after:
                headers["Retry-After"] = str(self.announce or reset)
            raise HTTPException(429, "too many attempts", headers=headers)
        every.append(now)
        return headers

    def failed(self, user: str) -> None:
        self.failures.setdefault(user.casefold(), []).append(time.monotonic())


BEARER = OAuth2PasswordBearer(tokenUrl="/token")


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    user: str


class Problem(BaseModel):
    detail: str


Refusal = Callable[[str, dict[str, str]], Response]
"""How an app refuses a login: (username, rate-limit headers) → the answer."""


def _same_refusal(user: str, headers: dict[str, str]) -> Response:
    return JSONResponse({"detail": "invalid credentials"}, status_code=401, headers=headers)


def token_app(
    title: str,
    *,
    guard: LoginGuard | None,
    refuse: Refusal = _same_refusal,
    check_cost: Callable[[bool], None] = lambda exists: None,
) -> FastAPI:
    """An OAuth2 password-grant service: ``POST /token`` and ``GET /me``.

    `guard` None means no rate limit at all; `refuse` answers a failed login;
    `check_cost(exists)` runs while checking a password (to model hashing cost).
    """
    app = FastAPI(title=title)
    harden(app)
    users = {KNOWN_USER: PASSWORD}
    tokens: dict[str, str] = {}
    refused = {"model": Problem}

    @app.post("/token", response_model=Token, responses={401: refused, 404: refused, 429: refused})
    def token(
        username: Annotated[str, Form(max_length=100)],
        password: Annotated[str, Form(max_length=100)],
        grant_type: Annotated[str, Form(pattern="^password$")] = "password",
    ) -> Any:
        headers = guard.admit(username) if guard else {}
        check_cost(username in users)
        if users.get(username) != password:
            if guard:
                guard.failed(username)
            return refuse(username, headers)
        issued = secrets.token_urlsafe(16)
        tokens[issued] = username
        return JSONResponse({"access_token": issued, "token_type": "bearer"}, headers=headers)

    @app.get("/me", response_model=Me, responses={401: refused})
    def me(token: Annotated[str, Depends(BEARER)]) -> Me:
        if token not in tokens:
            raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})
        return Me(user=tokens[token])

    return app


def token_identity() -> Identity:
    """The identity that logs in to a `token_app` (the known user)."""
    return Identity.oauth2_password("ana", "/token", KNOWN_USER, PASSWORD)
