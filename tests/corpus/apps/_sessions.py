"""The session corpus apps' shared service: a cookie-session login with choosable flaws.

``POST /login`` (form) sets the ``sid`` cookie, ``GET /me`` needs it, ``POST /logout``
ends it. Flaws: `adopt` keeps a session id the browser sent at login (fixation),
`stateless` signs the user into the cookie and keeps nothing on the server (logout
cannot end it), `flags` are the cookie's attributes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException, Response
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyCookie
from pydantic import BaseModel
from tests.corpus.apps._security import KNOWN_USER, PASSWORD, LoginGuard, harden

from assay.client.identities import Identity

__all__ = ["COOKIE", "SETTINGS", "SessionFlaws", "login_form", "session_app", "signed"]

COOKIE = "sid"
SID = APIKeyCookie(name=COOKIE, auto_error=False)
_KEY = b"corpus-signing-key"
SETTINGS: dict[str, Any] = {
    "phases": ("security",),
    "identities": (Identity.cookie_login("web", "/login", KNOWN_USER, PASSWORD),),
}
SECURE_FLAGS: dict[str, Any] = {"httponly": True, "samesite": "lax", "secure": True}


@dataclass(frozen=True)
class SessionFlaws:
    adopt: bool = False
    stateless: bool = False
    idle: float | None = None
    """Seconds of inactivity after which the app ends a session (None: never)."""
    flags: dict[str, Any] = field(default_factory=lambda: dict(SECURE_FLAGS))


class Me(BaseModel):
    user: str


class Problem(BaseModel):
    detail: str


def signed(user: str) -> str:
    """The stateless cookie of `user`: the name and its HMAC (no expiry, no server state)."""
    mac = hmac.new(_KEY, user.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{user}.{mac}"


def login_form(user: str = KNOWN_USER, password: str = PASSWORD) -> dict[str, str]:
    return {"username": user, "password": password}


def session_app(title: str, flaws: SessionFlaws) -> FastAPI:
    app = FastAPI(title=title)
    harden(app)
    sessions: dict[str, str] = {}
    seen: dict[str, float] = {}
    guard = LoginGuard()
    refused = {401: {"model": Problem}, 429: {"model": Problem}}

    def user_of(sid: str | None) -> str | None:
        if sid is None:
            return None
        if flaws.stateless:
            user = sid.rsplit(".", 1)[0]
            return user if hmac.compare_digest(signed(user), sid) else None
        last = seen.get(sid, 0.0)
        if flaws.idle is not None and time.monotonic() - last > flaws.idle:
            sessions.pop(sid, None)
        seen[sid] = time.monotonic()
        return sessions.get(sid)

    @app.post("/login", response_model=Me, responses=refused)
    def login(
        username: Annotated[str, Form(max_length=100)],
        password: Annotated[str, Form(max_length=100)],
        sent: Annotated[str | None, Depends(SID)] = None,
    ) -> Any:
        headers = guard.admit(username)
        if (username, password) != (KNOWN_USER, PASSWORD):
            guard.failed(username)
            return JSONResponse({"detail": "invalid credentials"}, 401, headers=headers)
        if flaws.stateless:
            sid = signed(username)
        else:
            sessions.pop(sent or "", None)
            sid = sent if flaws.adopt and sent else secrets.token_urlsafe(24)  # DEFECT: adopt
            sessions[sid] = username
            seen[sid] = time.monotonic()
        response = JSONResponse({"user": username}, headers=headers)
        response.set_cookie(COOKIE, sid, **flaws.flags)
        return response

    @app.get("/me", response_model=Me, responses=refused)
    def me(sid: Annotated[str | None, Depends(SID)]) -> Me:
        user = user_of(sid)
        if user is None:
            raise HTTPException(401, "sign in first")
        return Me(user=user)

    @app.post("/logout", status_code=204, response_class=Response, responses=refused)
    def logout(sid: Annotated[str | None, Depends(SID)]) -> Response:
        if user_of(sid) is None:
            raise HTTPException(401, "sign in first")
        sessions.pop(sid or "", None)
        response = Response(status_code=204)
        response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=True)
        return response

    return app
