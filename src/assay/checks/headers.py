"""Security headers: what a response tells a browser about sniffing, framing and caching.

Judged on the security phase's header probe only: one readable request per family of
operations (its first tag or path segment), and pages asked for as HTML. A missing
header is therefore one finding per family, never one per generated case. Frame
protection and a content security policy matter for HTML; ``nosniff`` for any body;
HSTS only where the target is reached over https; ``no-store`` only for answers to
requests that carried credentials.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assay.checks._security import API8, facts, header, is_html, security_finding
from assay.checks.registry import check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = [
    "cacheable_authenticated_response",
    "missing_content_security_policy",
    "missing_content_type_options",
    "missing_frame_protection",
    "missing_hsts",
    "server_version_disclosure",
]

_PROBE = "headers"
_VERSION = re.compile(r"\d+\.\d+|/\s*v?\d")
_MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def _family(exchange: Exchange) -> str:
    found = facts(exchange, _PROBE)
    return str(found.get("family")) if found else ""


@check(family="headers", phases=("security",), severity=Severity.LOW)
def missing_content_type_options(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when an answer with a body lacks ``X-Content-Type-Options: nosniff``.

    Without it a browser may sniff a JSON or text answer as HTML or script and run
    what an attacker managed to put into it (CWE-693, OWASP API8:2023). Judged on one
    request per family of operations; answers without a body are not judged.
    """
    if facts(exchange, _PROBE) is None or not exchange.response.content:
        return
    value = header(exchange.response, "X-Content-Type-Options").strip().lower()
    if value == "nosniff":
        return
    raise security_finding(
        ctx,
        exchange,
        "X-Content-Type-Options: nosniff is missing",
        check="missing_content_type_options",
        cwe="CWE-693",
        owasp=API8,
        detail=(
            f"The answer ({exchange.status}, {exchange.response.headers.get('content-type')}) "
            f"has X-Content-Type-Options {value or 'absent'!r}; expected 'nosniff' on every "
            f"response with a body (operations tagged {_family(exchange)!r}). Add it in a "
            "middleware so every route gets it."
        ),
        signature="nosniff",
        header=value or None,
    )


def _framing_allowed(exchange: Exchange) -> bool:
    options = header(exchange.response, "X-Frame-Options").strip().lower()
    policy = header(exchange.response, "Content-Security-Policy").lower()
    return options not in ("deny", "sameorigin") and "frame-ancestors" not in policy


@check(family="headers", phases=("security",), severity=Severity.MEDIUM)
def missing_frame_protection(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when an HTML page may be framed by any site: it has no ``X-Frame-Options``
    and no CSP ``frame-ancestors``.

    A page that can be framed can be overlaid and clicked through by another site
    (clickjacking, CWE-1021, OWASP API8:2023). Only HTML answers are judged: JSON is
    never rendered in a frame.
    """
    if facts(exchange, _PROBE) is None or not is_html(exchange.response):
        return
    if not _framing_allowed(exchange):
        return
    raise security_finding(
        ctx,
        exchange,
        "the HTML page can be framed by any site",
        check="missing_frame_protection",
        cwe="CWE-1021",
        owasp=API8,
        detail=(
            "The HTML answer has neither X-Frame-Options (DENY or SAMEORIGIN) nor a "
            "Content-Security-Policy with frame-ancestors. Send "
            "'Content-Security-Policy: frame-ancestors 'none'' (or 'self')."
        ),
        signature="framing",
    )


@check(family="headers", phases=("security",), severity=Severity.LOW)
def missing_content_security_policy(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when an HTML page has no ``Content-Security-Policy``.

    Without a policy, any script injected into the page runs, wherever it came from
    (CWE-693, OWASP API8:2023). Only HTML answers are judged (asked for as HTML, or
    documented as ``text/html``); JSON is never rendered as a page.
    """
    if facts(exchange, _PROBE) is None or not is_html(exchange.response):
        return
    if header(exchange.response, "Content-Security-Policy").strip():
        return
    raise security_finding(
        ctx,
        exchange,
        "the HTML page has no Content-Security-Policy",
        check="missing_content_security_policy",
        cwe="CWE-693",
        owasp=API8,
        detail=(
            "The HTML answer has no Content-Security-Policy header. Send a policy that "
            "names where scripts may come from (default-src 'self' at least)."
        ),
        signature="csp",
    )


_PRIVATE = ("no-store", "private", "no-cache")


@check(family="headers", phases=("security",), severity=Severity.MEDIUM)
def cacheable_authenticated_response(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a successful answer to a request with credentials may be stored by
    shared caches: its ``Cache-Control`` has none of ``no-store``, ``private`` or
    ``no-cache``, or says ``public``: a proxy or the browser's cache may keep one
    user's data and hand it to the next (CWE-525, OWASP API8:2023).
    """
    found = facts(exchange, _PROBE)
    if found is None or not found.get("authenticated") or not 200 <= exchange.status < 300:
        return
    if not exchange.response.content:
        return  # nothing to keep
    control = header(exchange.response, "Cache-Control").lower()
    directives = {part.split("=")[0].strip() for part in control.split(",")}
    if "public" not in directives and any(d in directives for d in _PRIVATE):
        return
    raise security_finding(
        ctx,
        exchange,
        "an authenticated answer may be cached",
        check="cacheable_authenticated_response",
        cwe="CWE-525",
        owasp=API8,
        detail=(
            f"The request carried credentials and the answer has Cache-Control "
            f"{control or 'absent'!r}; expected 'no-store' (or 'private'/'no-cache') so "
            "no shared cache keeps one user's data."
        ),
        signature="cache-control",
        cache_control=control or None,
    )


@check(family="headers", phases=("security",), severity=Severity.MEDIUM)
def missing_hsts(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when an https answer has no ``Strict-Transport-Security`` with a positive
    max-age.

    Without HSTS a browser may be downgraded to plain http by a network attacker
    (CWE-319, OWASP API8:2023). Targets reached over plain http are never judged.
    """
    if facts(exchange, _PROBE) is None or exchange.response.url.scheme != "https":
        return
    value = header(exchange.response, "Strict-Transport-Security")
    age = _MAX_AGE.search(value)
    if age is not None and int(age.group(1)) > 0:
        return
    raise security_finding(
        ctx,
        exchange,
        "Strict-Transport-Security is missing on an https answer",
        check="missing_hsts",
        cwe="CWE-319",
        owasp=API8,
        detail=(
            f"Strict-Transport-Security is {value or 'absent'!r}; expected "
            "'max-age=<seconds>' (a year or more) on every https answer."
        ),
        signature="hsts",
    )


@check(family="headers", phases=("security",), severity=Severity.LOW)
def server_version_disclosure(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when ``Server`` or ``X-Powered-By`` names a software version (``Apache/2.4.1``).

    A version tells an attacker which known vulnerabilities to try (CWE-497, OWASP
    API8:2023). A product name without a version (``uvicorn``) is not judged.
    """
    if facts(exchange, _PROBE) is None:
        return
    for name in ("Server", "X-Powered-By"):
        value = header(exchange.response, name)
        if value and _VERSION.search(value):
            raise security_finding(
                ctx,
                exchange,
                f"the {name} header discloses a version",
                check="server_version_disclosure",
                cwe="CWE-497",
                owasp=API8,
                detail=(
                    f"{name}: {value!r}. Leave the version out (or the header altogether): "
                    "it tells an attacker which known flaws to try."
                ),
                signature=f"{name.lower()}:{value}",
                header=f"{name}: {value}",
            )
