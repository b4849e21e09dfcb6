"""Sessions: cookie flags, fixation, logout and expiry of cookie sessions.

Judged on the security phase's session probe (`assay.generation.security.sessions`),
which logs in on its own with the credentials of an identity that signs in through a
form. A session is "working" when a GET that is refused without the cookie answers
2xx with it; the probe only goes on once it found such a GET.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assay.checks._security import API2, facts, security_finding, set_cookies
from assay.checks.registry import check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = [
    "session_cookie_flags",
    "session_expiry_not_enforced",
    "session_fixation",
    "session_survives_logout",
]

_PROBE = "sessions"
_READABLE_BY_DESIGN = re.compile(r"csrf|xsrf", re.IGNORECASE)
_FLAGS = {
    "HttpOnly": ("CWE-1004", "scripts on the page can read the session id"),
    "SameSite": ("CWE-1275", "browsers may send the session along with cross-site requests"),
    "Secure": ("CWE-614", "the session id may travel over plain http"),
}


def _missing(attributes: dict[str, str], https: bool) -> list[str]:
    missing = [flag for flag in ("HttpOnly", "SameSite") if flag.lower() not in attributes]
    same_site = attributes.get("samesite", "").lower()
    secure = "secure" in attributes
    if (https or same_site == "none") and not secure:
        missing.append("Secure")
    return missing


@check(family="sessions", phases=("security",), severity=Severity.MEDIUM)
def session_cookie_flags(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when the session cookie a login sets lacks ``HttpOnly``, ``SameSite`` or
    ``Secure``.

    Without HttpOnly injected script can steal the session (CWE-1004); without
    SameSite the browser sends it with cross-site requests (CWE-1275); without Secure
    on an https service, or with ``SameSite=None``, it can travel in clear (CWE-614).
    OWASP API2:2023. Cookies meant to be read by scripts (CSRF tokens) are not judged;
    ``Secure`` is only demanded of https targets and ``SameSite=None`` cookies.
    """
    if facts(exchange, _PROBE, "login") is None or not 200 <= exchange.status < 400:
        return
    https = exchange.response.url.scheme == "https"
    for cookie in set_cookies(exchange.response):
        if cookie.deleted or _READABLE_BY_DESIGN.search(cookie.name):
            continue
        missing = _missing(dict(cookie.attributes), https)
        if not missing:
            continue
        risks = "; ".join(f"without {flag} {_FLAGS[flag][1]}" for flag in missing)
        raise security_finding(
            ctx,
            exchange,
            f"the session cookie lacks {', '.join(missing)}",
            check="session_cookie_flags",
            cwe=_FLAGS[missing[0]][0],
            owasp=API2,
            detail=(
                f"The login set cookie {cookie.name!r} without {', '.join(missing)}: {risks}. "
                "Set HttpOnly, Secure and SameSite=Lax (or Strict) on session cookies."
            ),
            signature=",".join(missing),
            cookie=cookie.name,
            missing=missing,
            cwes=[_FLAGS[flag][0] for flag in missing],
        )


@check(family="sessions", phases=("security",), severity=Severity.HIGH)
def session_fixation(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a session id planted before the login works as the session afterwards.

    The probe logs in carrying a made-up session id, then calls an operation that
    needs the session with that id alone. If it works, an attacker who plants an id in
    a victim's browser is logged in as the victim once they sign in (session fixation,
    CWE-384, OWASP API2:2023). Issue a new id at every login.
    """
    found = facts(exchange, _PROBE, "fixation")
    if found is None or not 200 <= exchange.status < 300:
        return
    raise security_finding(
        ctx,
        exchange,
        "the session id is not renewed at login (session fixation)",
        check="session_fixation",
        cwe="CWE-384",
        owasp=API2,
        detail=(
            f"Cookies {sorted(found.get('planted', {}))} were planted with made-up values "
            "before a login; after the login the planted values alone opened the session "
            f"(status {exchange.status}). Issue a fresh session id at every login and "
            "drop the one the browser sent."
        ),
        signature="fixation",
        requests=found.get("requests", []),
    )


@check(family="sessions", phases=("security",), severity=Severity.HIGH)
def session_survives_logout(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a session cookie still works after its logout succeeded.

    The probe signs in on its own, logs out with an operation named like logout, then
    calls an operation the session opened with the old cookie. Logging out only cleared
    the browser's cookie; whoever copied it keeps the session (CWE-613, OWASP
    API2:2023). Delete the session on the server at logout.
    """
    found = facts(exchange, _PROBE, "after_logout")
    if found is None or not 200 <= exchange.status < 300:
        return
    raise security_finding(
        ctx,
        exchange,
        "the session still works after logout",
        check="session_survives_logout",
        cwe="CWE-613",
        owasp=API2,
        detail=(
            f"Logout answered {found.get('logout_status')}, yet the same cookie then "
            f"opened the session again (status {exchange.status}). Invalidate the session "
            "on the server at logout, not only the cookie in the browser."
        ),
        signature="logout",
        requests=found.get("requests", []),
    )


@check(family="sessions", phases=("security",), severity=Severity.MEDIUM)
def session_expiry_not_enforced(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a session still works after its configured idle or absolute timeout.

    Judged only when ``[security] session_idle_timeout`` or ``session_absolute_timeout``
    is at most 10 seconds (the probe waits it out). A session that outlives its
    timeout stays usable on shared or stolen devices (CWE-613, OWASP API2:2023).
    """
    found = facts(exchange, _PROBE, "after_idle", "after_absolute")
    if found is None or not 200 <= exchange.status < 300:
        return
    kind = str(found["step"]).removeprefix("after_")
    raise security_finding(
        ctx,
        exchange,
        f"the session outlives its {kind} timeout",
        check="session_expiry_not_enforced",
        cwe="CWE-613",
        owasp=API2,
        detail=(
            f"The {kind} timeout is {found.get('timeout')} s; {found.get('waited')} s after "
            f"the login the session still worked (status {exchange.status}). Expire "
            "sessions on the server."
        ),
        signature=kind,
        requests=found.get("requests", []),
    )
