"""What the sensitive-data checks share: the values of an answer, and what is no leak.

`leaves_of` gives the scalar values of a JSON answer with the field name each sits
under (a text answer is one value). A value is no leak when the request carried it
(`not_leaked` looks in the URL, headers and body) or when the spec documents it as an
example (examples, defaults, descriptions of the document). `issues_credentials` tells
the answers that may hand a fresh token or key to their caller.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assay.checks._oracle import request_text
from assay.checks._requests import json_body, media_base
from assay.checks.registry import Exchange

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext

__all__ = [
    "DATA_OWASP",
    "Leaf",
    "issues_credentials",
    "leaves_of",
    "not_leaked",
    "raise_exposed",
]

DATA_OWASP = "API3:2023 Broken Object Property Level Authorization"
_LIMIT = 65536
_TEXTUAL = re.compile(r"^(text/|application/(.*[+/])?(json|xml|javascript)$)")
_DOCUMENTING = frozenset({"example", "examples", "default", "description", "value"})
_CWE = {
    "password_hash_exposed": "CWE-522",
    "secret_exposed": "CWE-200",
    "card_number_exposed": "CWE-359",
    "internal_address_exposed": "CWE-209",
    "foreign_personal_data": "CWE-359",
}


_MASKED_CHECKS = frozenset({"password_hash_exposed", "secret_exposed", "card_number_exposed"})


@dataclass(frozen=True, slots=True)
class Leaf:
    """One value of an answer: the field it sits under (None for text) and its text."""

    key: str | None
    value: str
    number: bool = False
    pointer: str = ""


def leaves_of(exchange: Exchange) -> Iterator[Leaf]:
    """The scalar values of a JSON answer, or the whole text of another textual one."""
    response = exchange.response
    media = media_base(response.headers.get("content-type"))
    if media and not _TEXTUAL.match(media):
        return
    document = json_body(response)
    if document is not None:
        yield from _walk(document, None, "")
        return
    text = response.content[:_LIMIT].decode("utf-8", "replace")
    if text:
        yield Leaf(None, html.unescape(text) if "&" in text else text)


def _walk(value: Any, key: str | None, pointer: str) -> Iterator[Leaf]:
    if isinstance(value, Mapping):
        for name, item in value.items():
            yield from _walk(item, str(name), f"{pointer}/{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, key, f"{pointer}/{index}")
    elif isinstance(value, str):
        yield Leaf(key, value, pointer=pointer)
    elif isinstance(value, int) and not isinstance(value, bool):
        yield Leaf(key, str(value), number=True, pointer=pointer)


def _documented(ctx: CheckContext) -> str:
    """Every example, default and description of the spec, as one text (computed once)."""
    cached = ctx.memory.get("disclosure.documented")
    if cached is None or cached[0] is not ctx.spec:
        texts: list[str] = []
        _collect(ctx.spec.raw, texts, documenting=False)
        cached = (ctx.spec, "\n".join(texts))
        ctx.memory["disclosure.documented"] = cached
    text: str = cached[1]
    return text


def _collect(value: Any, texts: list[str], *, documenting: bool) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _collect(item, texts, documenting=documenting or key in _DOCUMENTING)
    elif isinstance(value, list):
        for item in value:
            _collect(item, texts, documenting=documenting)
    elif documenting and isinstance(value, str | int) and not isinstance(value, bool):
        texts.append(str(value))


def not_leaked(ctx: CheckContext, exchange: Exchange, found: str) -> bool:
    """False when `found` is what the request sent or what the spec documents."""
    return found not in request_text(exchange) and found not in _documented(ctx)


def issues_credentials(ctx: CheckContext, exchange: Exchange) -> bool:
    """True for an answer that may rightly hold a fresh credential for its caller.

    Every answer of an operation that changes state (a login, creating an API key, a
    webhook's signing secret, a client registration return the new secret once), and
    any answer of the OAuth2 token or refresh URL. Reads (GET) are judged.
    """
    operation = exchange.case.operation
    if exchange.case.http_method != "GET":
        return True
    token_urls = {
        url
        for scheme in ctx.spec.security_schemes.values()
        for flow in scheme.flows.values()
        for url in (flow.token_url, flow.refresh_url)
        if url
    }
    return any(url.rstrip("/").endswith(operation.path) for url in token_urls)


def raise_exposed(
    ctx: CheckContext,
    exchange: Exchange,
    leaf: Leaf,
    found: str,
    *,
    check: str,
    what: str,
    owasp: str = DATA_OWASP,
) -> None:
    """Raise the finding of `what` (`found`, under `leaf`) in the answer of `exchange`."""
    where = f" in {leaf.pointer or '/'}" if leaf.key is not None else ""
    masked = check in _MASKED_CHECKS and len(found) > 12
    shown = f"{found[:6]}…{found[-4:]}" if masked else found
    raise ctx.finding(
        exchange,
        f"{what} in a {exchange.status} response{where}",
        check=check,
        detail=f"The response reveals {what} ({shown!r}){where}, which the request did not "
        "send and the spec does not document. Leave it out of responses (or mask it).",
        evidence={
            "cwe": _CWE.get(check, "CWE-200"),
            "owasp": owasp,
            "field": leaf.key,
            "pointer": leaf.pointer,
            "match": shown,
        },
        signature=f"{what}:{re.sub(r'/[0-9]+', '/*', leaf.pointer)}",
    )
