"""CORS: which other web sites the service lets read its answers in a user's browser.

Judged on the security phase's CORS probe (`assay.generation.security.cors`): a request
from a foreign origin, one from ``null``, and preflights for an unused method and an
unknown header. Allowed origins are the configured ``[security] cors_origins`` and a
fixed origin the service itself answers with. A service without CORS headers is never
judged; ``Access-Control-Allow-Origin: *`` without credentials is a public API's
deliberate choice and is not judged either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assay.checks._security import API8, facts, header, security_finding
from assay.checks.registry import check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = [
    "cors_null_origin",
    "cors_origin_reflected",
    "cors_preflight_too_permissive",
    "cors_wildcard_with_credentials",
]

_PROBE = "cors"
_CWE = "CWE-942"


def _granted(exchange: Exchange) -> tuple[str, bool]:
    """The Access-Control-Allow-Origin value and whether credentials are allowed."""
    origin = header(exchange.response, "Access-Control-Allow-Origin").strip()
    credentials = header(exchange.response, "Access-Control-Allow-Credentials").strip().lower()
    return origin, credentials == "true"


def _severity(credentials: bool) -> Severity:
    return Severity.HIGH if credentials else Severity.MEDIUM


def _with_credentials(credentials: bool) -> str:
    return (
        " together with Access-Control-Allow-Credentials: true, so any web site can call "
        "the API as the signed-in user and read the answers"
        if credentials
        else ", so any web site can read the answers from a visitor's browser"
    )


@check(family="cors", phases=("security",), severity=Severity.HIGH)
def cors_origin_reflected(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a request from an origin nobody allowed gets that origin back in
    ``Access-Control-Allow-Origin``.

    The service trusts every web site (it echoes the request's Origin); worst with
    ``Access-Control-Allow-Credentials: true`` (CWE-942, OWASP API8:2023). Allowed are
    the configured ``[security] cors_origins`` only.
    """
    found = facts(exchange, _PROBE, "foreign")
    if found is None:
        return
    origin, credentials = _granted(exchange)
    if origin != found["origin"] or origin in found.get("allowed", ()):
        return
    raise security_finding(
        ctx,
        exchange,
        "CORS allows any origin" + (" with credentials" if credentials else ""),
        check="cors_origin_reflected",
        cwe=_CWE,
        owasp=API8,
        severity=_severity(credentials),
        detail=(
            f"Origin {origin} (allowed by no one) came back in Access-Control-Allow-Origin"
            f"{_with_credentials(credentials)}. Allow a fixed list of origins "
            "([security] cors_origins names the ones assay treats as allowed)."
        ),
        signature="reflected",
        credentials=credentials,
    )


@check(family="cors", phases=("security",), severity=Severity.HIGH)
def cors_null_origin(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a request from ``Origin: null`` is allowed (``Allow-Origin: null``).

    Sandboxed frames and local files send ``null``, so any page can obtain it
    (CWE-942, OWASP API8:2023). Never judged when ``null`` is configured as allowed.
    """
    found = facts(exchange, _PROBE, "null")
    if found is None:
        return
    origin, credentials = _granted(exchange)
    if origin != "null" or "null" in found.get("allowed", ()):
        return
    raise security_finding(
        ctx,
        exchange,
        "CORS allows the null origin" + (" with credentials" if credentials else ""),
        check="cors_null_origin",
        cwe=_CWE,
        owasp=API8,
        severity=_severity(credentials),
        detail=(
            "Origin: null came back in Access-Control-Allow-Origin"
            f"{_with_credentials(credentials)}: a sandboxed iframe on any site sends "
            "Origin: null. Never allow 'null'."
        ),
        signature="null",
        credentials=credentials,
    )


@check(family="cors", phases=("security",), severity=Severity.MEDIUM)
def cors_wildcard_with_credentials(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when ``Access-Control-Allow-Origin: *`` comes with ``Allow-Credentials: true``.

    Browsers refuse this combination, so either credentialed calls are broken or the
    server is one step from reflecting any origin to make them work (CWE-942, OWASP
    API8:2023).
    """
    if facts(exchange, _PROBE) is None:
        return
    origin, credentials = _granted(exchange)
    if origin != "*" or not credentials:
        return
    raise security_finding(
        ctx,
        exchange,
        "CORS allows any origin (*) with credentials",
        check="cors_wildcard_with_credentials",
        cwe=_CWE,
        owasp=API8,
        detail=(
            "The answer has Access-Control-Allow-Origin: * and "
            "Access-Control-Allow-Credentials: true. Allow a fixed list of origins, or "
            "drop credentials for a public API."
        ),
        signature="wildcard",
    )


def _grants(found: Mapping[str, Any], exchange: Exchange) -> str | None:
    """What a successful preflight granted that was asked for and is not in use."""
    if found.get("asked") == "method":
        methods = header(exchange.response, "Access-Control-Allow-Methods").upper()
        listed = {m.strip() for m in methods.split(",")}
        return f"method {found['method']}" if found["method"] in listed or "*" in listed else None
    headers = header(exchange.response, "Access-Control-Allow-Headers").lower()
    listed = {h.strip() for h in headers.split(",")}
    return (
        f"header {found['header']}" if found["header"].lower() in listed or "*" in listed else None
    )


@check(family="cors", phases=("security",), severity=Severity.MEDIUM)
def cors_preflight_too_permissive(ctx: CheckContext, exchange: Exchange) -> None:
    """Fires when a preflight grants a method no operation of the API uses, or a header
    nobody sends.

    The service answers every preflight with whatever was asked (``allow_methods`` /
    ``allow_headers`` of ``*``), so cross-origin pages may send requests the API never
    meant to take from a browser (CWE-942, OWASP API8:2023). Judged only when the
    preflight succeeded (2xx) for the very origin that asked.
    """
    found = facts(exchange, _PROBE, "preflight")
    if found is None or not 200 <= exchange.status < 300:
        return
    origin, credentials = _granted(exchange)
    if origin != found["origin"]:
        return
    granted = _grants(found, exchange)
    if granted is None:
        return
    raise security_finding(
        ctx,
        exchange,
        f"a CORS preflight grants {found['asked']}s nobody uses",
        check="cors_preflight_too_permissive",
        cwe=_CWE,
        owasp=API8,
        severity=Severity.HIGH if credentials else Severity.MEDIUM,
        detail=(
            f"A preflight from {origin} asking for {granted} was granted (status "
            f"{exchange.status}), though no operation of the API uses it. List the "
            "methods and headers the API takes instead of allowing everything."
        ),
        signature=str(found["asked"]),
    )
