"""What the security checks share: the probes' facts, references and findings.

The security phase's probes (`assay.generation.security`) put their facts on each case
(``Case.scenario`` with ``name = "security"`` and the probe's name); the checks judge
only those exchanges. Every security finding names a CWE and an OWASP API Security
Top 10 (2023) category in its evidence, and lists the request(s) that prove it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assay.checks._requests import media_base

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange
    from assay.client.messages import APITestResponse
    from assay.errors import Finding, Severity

__all__ = [
    "API2",
    "API4",
    "API8",
    "SetCookie",
    "facts",
    "header",
    "is_html",
    "security_finding",
    "set_cookies",
]

API2 = "API2:2023 Broken Authentication"
API4 = "API4:2023 Unrestricted Resource Consumption"
API8 = "API8:2023 Security Misconfiguration"
_SCENARIO = "security"


def facts(exchange: Exchange, probe: str, *steps: str) -> Mapping[str, Any] | None:
    """The facts of a security probe's exchange (None for any other exchange or step)."""
    scenario = exchange.case.scenario
    if exchange.case.phase != "security" or not scenario:
        return None
    if scenario.get("name") != _SCENARIO or scenario.get("probe") != probe:
        return None
    if steps and scenario.get("step") not in steps:
        return None
    return scenario


def header(response: APITestResponse, name: str) -> str:
    """A response header's value ('' when absent; several values joined with ', ')."""
    return ", ".join(response.headers.get_list(name))


def is_html(response: APITestResponse) -> bool:
    return media_base(response.headers.get("content-type")) in (
        "text/html",
        "application/xhtml+xml",
    )


def security_finding(
    ctx: CheckContext,
    exchange: Exchange,
    title: str,
    *,
    check: str,
    cwe: str,
    owasp: str,
    detail: str,
    signature: str | None = None,
    severity: Severity | None = None,
    requests: Iterable[str] = (),
    **evidence: Any,
) -> Finding:
    """A finding with its CWE, OWASP category and proving requests (this one last)."""
    proof = [*requests, exchange.curl]
    return ctx.finding(
        exchange,
        title,
        check=check,
        severity=severity,
        detail=detail,
        signature=signature,
        evidence={"cwe": cwe, "owasp": owasp, "requests": proof, **evidence},
    )


@dataclass(frozen=True, slots=True)
class SetCookie:
    """One ``Set-Cookie`` header: the cookie's name and value and its attributes."""

    name: str
    value: str
    attributes: Mapping[str, str]
    """Attribute names in lower case → value ('' for flags such as HttpOnly)."""

    @property
    def deleted(self) -> bool:
        """Whether the header removes the cookie (empty, or Max-Age 0 or less)."""
        age = self.attributes.get("max-age", "")
        expired = age.lstrip("-").isdigit() and int(age) <= 0
        return not self.value or expired or "1970" in self.attributes.get("expires", "")


def set_cookies(response: APITestResponse) -> list[SetCookie]:
    """Every ``Set-Cookie`` of a response, parsed leniently (attributes kept raw)."""
    found: list[SetCookie] = []
    for line in response.headers.get_list("set-cookie"):
        first, *rest = line.split(";")
        name, sep, value = first.partition("=")
        if not sep or not name.strip():
            continue
        attributes: dict[str, str] = {}
        for part in rest:
            key, _, attribute = part.partition("=")
            if key.strip():
                attributes[key.strip().lower()] = attribute.strip()
        found.append(SetCookie(name.strip(), value.strip().strip('"'), attributes))
    return found
