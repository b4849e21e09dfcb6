"""Authentication: does every protected operation refuse callers without a valid credential?

These checks judge the credential matrix of the auth phase
(`assay.generation.auth.credentials`): cases whose ``mutation`` reads
``credentials: <variant>``, sent with no credential, a malformed one, a broken JWT or
another scheme's credential. The evidence holds the pair of requests that proves the
finding: the same request as an identity that may call the operation (when one is
configured) and as sent without a valid credential.

A refusal is a refusal: 401 is the standard answer, and a 403 to a missing or invalid
credential is not reported (older FastAPI security classes answer 403 "Not
authenticated"; the installed one answers 401). Only a 2xx is a broken
authentication, and a 401 without a challenge a broken protocol.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assay.checks.registry import check
from assay.errors import Severity
from assay.generation.auth.probes import BASELINES, CREDENTIALS, bearer_like

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = ["authentication_not_enforced", "invalid_credentials_accepted", "missing_auth_challenge"]

_OWASP_AUTH = "API2:2023 Broken Authentication"
_CWE = {
    "none": "CWE-306: Missing Authentication for Critical Function",
    "expired": "CWE-613: Insufficient Session Expiration",
    "not_yet_valid": "CWE-613: Insufficient Session Expiration",
    "missing_exp": "CWE-613: Insufficient Session Expiration",
    "alg_none": "CWE-347: Improper Verification of Cryptographic Signature",
    "bad_signature": "CWE-347: Improper Verification of Cryptographic Signature",
    "tampered_claims": "CWE-347: Improper Verification of Cryptographic Signature",
    "unknown_kid": "CWE-347: Improper Verification of Cryptographic Signature",
    "algorithm_confusion": "CWE-327: Use of a Broken or Risky Cryptographic Algorithm",
}
_DEFAULT_CWE = "CWE-287: Improper Authentication"
_ADVICE = {
    "none": "Require a credential on this operation (a security dependency on the route).",
    "alg_none": "Verify with an explicit allow-list of algorithms; never accept 'none'.",
    "algorithm_confusion": "Pin the algorithm (RS256/ES256) when verifying: never let the "
    "token's header choose HMAC with the public key.",
    "expired": "Verify exp (and require it).",
    "missing_exp": "Require the exp claim when verifying tokens.",
    "not_yet_valid": "Verify nbf.",
}


def variant_of(exchange: Exchange) -> str | None:
    """The credential variant of a credential-matrix case (None for other cases)."""
    mutation = exchange.case.mutation or ""
    if exchange.case.phase != "auth" or not mutation.startswith(CREDENTIALS):
        return None
    return mutation.removeprefix(CREDENTIALS)


def _family(variant: str) -> str:
    return variant.split(":", 1)[0]


def _pair(ctx: CheckContext, exchange: Exchange) -> dict[str, Any]:
    baseline = ctx.memory.get(BASELINES, {}).get(exchange.case.label)
    without = {"status": exchange.status, "curl": exchange.curl}
    return {"with_valid_credentials": baseline, "as_probed": without}


def _evidence(ctx: CheckContext, exchange: Exchange, variant: str) -> dict[str, Any]:
    return {
        "variant": variant,
        "cwe": _CWE.get(_family(variant), _DEFAULT_CWE),
        "owasp": _OWASP_AUTH,
        "security": [r.label() for r in exchange.case.operation.security],
        "requests": _pair(ctx, exchange),
    }


@check(family="auth", phases=("auth",), severity=Severity.CRITICAL)
def authentication_not_enforced(ctx: CheckContext, exchange: Exchange) -> None:
    """An operation the spec protects answered 2xx to a request with no credentials at all.

    Fires on the credential matrix's ``none`` case: the operation's every security
    alternative needs a credential, the request carried none (no Authorization header,
    no API key, no session cookie), and the answer was 2xx. Anyone on the network can
    call it. CWE-306, OWASP API2:2023.
    """
    if variant_of(exchange) != "none" or not 200 <= exchange.status < 300:
        return
    raise ctx.finding(
        exchange,
        f"answered {exchange.status} without credentials",
        check="authentication_not_enforced",
        detail=f"The spec requires {_requirements(exchange)} for this operation, yet a "
        f"request without any credential was answered {exchange.status}. " + _ADVICE["none"],
        evidence=_evidence(ctx, exchange, "none"),
    )


def _requirements(exchange: Exchange) -> str:
    return " or ".join(r.label() for r in exchange.case.operation.security)


@check(family="auth", phases=("auth",), severity=Severity.CRITICAL)
def invalid_credentials_accepted(ctx: CheckContext, exchange: Exchange) -> None:
    """A protected operation answered 2xx to an invalid, broken or foreign credential.

    Fires on the credential matrix's other cases: a malformed bearer token, an unknown
    API key or basic user; a JWT that is expired, not yet valid, without ``exp`` or
    ``sub``, of a wrong or missing issuer or audience, unsigned (``alg: none``), with a
    changed signature or payload, naming an unknown ``kid``, or HMAC-signed with the
    service's public key (RS→HS confusion); or the credential of a scheme the operation
    does not accept. A correct service refuses each with 401. CWE-287/-347/-613/-327
    by variant, OWASP API2:2023.
    """
    variant = variant_of(exchange)
    if variant in (None, "none") or not 200 <= exchange.status < 300:
        return
    assert variant is not None
    raise ctx.finding(
        exchange,
        f"accepted a credential that is {variant.replace('_', ' ')} ({exchange.status})",
        check="invalid_credentials_accepted",
        detail=f"The request carried a credential of the variant {variant!r} and was "
        f"answered {exchange.status}; it must be refused with 401. "
        + _ADVICE.get(_family(variant), "Verify every credential before serving the request."),
        evidence=_evidence(ctx, exchange, variant),
        signature=_family(variant),
    )


@check(family="auth", phases=("auth",), severity=Severity.LOW)
def missing_auth_challenge(ctx: CheckContext, exchange: Exchange) -> None:
    """A 401 to a bearer, OAuth2 or basic operation came without ``WWW-Authenticate``.

    Fires on a credential-matrix case without credentials or with a malformed one,
    answered 401 with no ``WWW-Authenticate`` header, for an operation with a bearer,
    OAuth2 or basic scheme. RFC 9110 §11.6.1 requires the challenge on every 401;
    clients use it to learn how to authenticate (and RFC 6750 to tell an expired token
    from a missing one). OWASP API8:2023 Security Misconfiguration.
    """
    variant = variant_of(exchange)
    if variant is None or exchange.status != 401:
        return
    if variant not in ("none", "malformed_bearer", "unknown_basic_user"):
        return
    schemes = [s for r in exchange.case.operation.security for s, _ in r.schemes]
    challenged = any(bearer_like(s) or (s.scheme or "").lower() == "basic" for s in schemes)
    if not challenged or "www-authenticate" in exchange.response.headers:
        return
    raise ctx.finding(
        exchange,
        "401 without a WWW-Authenticate challenge",
        check="missing_auth_challenge",
        detail="The operation refused the request with 401 but sent no WWW-Authenticate "
        "header naming the scheme (e.g. 'Bearer realm=\"api\"'). Add the challenge to "
        "every 401 answer.",
        evidence={
            "variant": variant,
            "owasp": "API8:2023 Security Misconfiguration",
            "requests": _pair(ctx, exchange),
        },
    )
