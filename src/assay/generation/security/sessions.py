"""Session probe: cookie sessions of the identities that log in with a form.

With a login of its own (never a configured identity's session, DESIGN §5.15):

1. logs in — the login answer's ``Set-Cookie`` flags are judged;
2. finds a GET the session opens (refused without the cookie, 2xx with it);
3. fixation: logs in again carrying a planted session id, then calls that GET with
   the planted id alone — it must not work;
4. logout: logs in, logs out, then calls the GET with the old cookie — it must not work;
5. expiry: with ``[security] session_idle_timeout`` / ``session_absolute_timeout`` of
   at most 10 s, waits them out and calls the GET — it must not work.

`assay.checks.sessions` judges the answers.
"""

from __future__ import annotations

import re
import secrets
import time

from assay.client.identities import Identity, Login
from assay.generation.security.probe import Probe, Sent
from assay.generation.security.targets import credential_targets
from assay.generation.steps import ScenarioContext
from assay.spec.model import Operation

__all__ = ["MAX_WAIT", "run"]

MAX_WAIT = 10.0
"""Longest session timeout the probe waits out (seconds)."""
_LOGOUT = re.compile(r"log-?out|sign-?out", re.IGNORECASE)
_PREFERRED = re.compile(r"/(me|session|profile|account|whoami)\b", re.IGNORECASE)


def cookies_set(exchange: Sent) -> dict[str, str]:
    """The cookies an answer sets (deleted ones left out)."""
    found: dict[str, str] = {}
    if exchange is None:
        return found
    for line in exchange.response.headers.get_list("set-cookie"):
        name, sep, rest = line.partition("=")
        value = rest.split(";", 1)[0].strip().strip('"')
        attributes = rest.lower().replace(" ", "")
        if sep and name.strip() and value and "max-age=0" not in attributes:
            found[name.strip()] = value
    return found


def _ok(exchange: Sent) -> bool:
    return exchange is not None and 200 <= exchange.status < 400


class _Sessions:
    def __init__(self, probe: Probe, identity: Identity, login: Login, at: Operation) -> None:
        self.probe = probe
        self.identity = identity
        self.login = login
        self.at = at

    def log_in(self, step: str, planted: dict[str, str] | None = None) -> Sent:
        body = self.login.body(self.login.username, self.login.password)
        media = "application/x-www-form-urlencoded" if self.login.form else "application/json"
        case = self.probe.case(
            self.at,
            step,
            identity=self.probe.anonymous,
            cookies=planted,
            body=body,
            media_type=media,
        )
        return self.probe.send(case)

    def call(
        self, operation: Operation, step: str, cookies: dict[str, str], **facts: object
    ) -> Sent:
        case = self.probe.case(
            operation, step, facts=facts, identity=self.probe.anonymous, cookies=cookies
        )
        return self.probe.send(case)

    def opened(self, cookies: dict[str, str]) -> Operation | None:
        """A GET the session opens: refused without the cookie, 2xx with it."""
        engine = self.probe.ctx.engine
        candidates = [
            op
            for op in self.probe.ctx.operations
            if op.method == "get"
            and engine.identity_for(op) == self.identity.name
            and not any(p.required for p in op.parameters)
        ]
        candidates.sort(key=lambda op: (not _PREFERRED.search(op.path), op.path))
        for operation in candidates[:3]:
            refused = self.call(operation, "without_session", {})
            if refused is None or refused.status not in (401, 403):
                continue
            if _ok(self.call(operation, "with_session", cookies)):
                return operation
        return None

    def fixation(self, operation: Operation, first: Sent) -> None:
        planted = {name: f"assay-fixation-{secrets.token_hex(8)}" for name in cookies_set(first)}
        again = self.log_in("relogin", planted)
        if not _ok(again):
            return
        self.call(
            operation, "fixation", planted, planted=planted, requests=[first.curl, again.curl]
        )

    def logout(self, operation: Operation) -> None:
        ending = _logout_operation(self.probe, self.identity)
        signed_in = self.log_in("login")
        cookies = cookies_set(signed_in)
        if ending is None or not cookies:
            return
        out = self.call(ending, "logout", cookies)
        if not _ok(out):
            return
        self.call(
            operation,
            "after_logout",
            cookies,
            logout_status=out.status,
            requests=[signed_in.curl, out.curl],
        )

    def expiry(self, operation: Operation) -> None:
        config = self.probe.config
        for kind, timeout in (
            ("idle", config.session_idle_timeout),
            ("absolute", config.session_absolute_timeout),
        ):
            if timeout is None or timeout > MAX_WAIT or self.probe.expired:
                continue
            signed_in = self.log_in("login")
            cookies = cookies_set(signed_in)
            if not cookies:
                return
            started = time.monotonic()
            if kind == "absolute":
                self._keep_alive(operation, cookies, timeout, config.session_idle_timeout)
            time.sleep(max(0.0, timeout + 0.5 - (time.monotonic() - started)))
            self.call(
                operation,
                f"after_{kind}",
                cookies,
                timeout=timeout,
                waited=round(time.monotonic() - started, 2),
                requests=[signed_in.curl],
            )

    def _keep_alive(
        self, operation: Operation, cookies: dict[str, str], timeout: float, idle: float | None
    ) -> None:
        """Use the session now and then, so only the absolute expiry can end it."""
        step = min(1.0, (idle or timeout) / 2)
        deadline = time.monotonic() + timeout + 0.5 - step
        while time.monotonic() < deadline:
            time.sleep(step)
            self.call(operation, "keep_alive", cookies)


def _logout_operation(probe: Probe, identity: Identity) -> Operation | None:
    engine = probe.ctx.engine
    for operation in probe.ctx.operations:
        named = f"{operation.path} {operation.operation_id or ''}"
        if _LOGOUT.search(named) and engine.identity_for(operation) == identity.name:
            return operation
    return None


def _cookie_logins(probe: Probe) -> list[tuple[Identity, Login, Operation]]:
    found = []
    for identity in probe.identities:
        login = identity.login
        if login is None or login.kind != "cookie":
            continue
        for target in credential_targets(probe.ctx.spec, probe.ctx.operations, [identity]):
            if target.login is not None:
                found.append((identity, login, target.operation))
                break
    return found


def run(ctx: ScenarioContext) -> None:
    """Probe the first identity that logs in with a form and gets a session cookie."""
    probe = Probe(ctx, "sessions")
    for identity, login, at in _cookie_logins(probe)[:1]:
        sessions = _Sessions(probe, identity, login, at)
        first = sessions.log_in("login")
        cookies = cookies_set(first)
        operation = sessions.opened(cookies) if _ok(first) and cookies else None
        if operation is None:
            return
        sessions.fixation(operation, first)
        sessions.logout(operation)
        sessions.expiry(operation)
