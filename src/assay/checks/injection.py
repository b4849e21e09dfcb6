"""Injection beyond SQL: shell commands, templates, file paths and response headers.

Each check recognises a payload of the security phase in the request, sees its effect
in the answer (a number only evaluation can produce, a system file's content, a header
the server did not mean to send), and proves it with a twin: the same request with the
attack neutralised must not show the effect, and a confirmation must show it again
(with other numbers where the payload computes). Reflected script in HTML answers is
the ``reflected_input`` check's (in `exposure`); the phase sends markup for it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assay.checks._oracle import proven, request_text, response_text, slept
from assay.checks._variants import Slot, send_variant, slots
from assay.checks.registry import Exchange, check
from assay.errors import Severity
from assay.generation.security.payloads import (
    arithmetic,
    arithmetic_result,
    injected_header,
    shell_sleep,
    traversal_twin,
)

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext

__all__ = ["command_injection", "header_injection", "path_traversal", "template_injection"]

PASSWD = re.compile(r"(?m)^root:[^:\n]{0,40}:0:0:")
"""The first line of ``/etc/passwd``."""


def _shows(exchange: Exchange | None, marker: str) -> bool:
    if exchange is None:
        return False
    return marker in response_text(exchange) and marker not in request_text(exchange)


def _evaluated(ctx: CheckContext, exchange: Exchange, shell: bool) -> tuple[Slot, Exchange] | None:
    """The slot whose arithmetic the server evaluated, and the twin that proves it."""
    for slot in slots(exchange.case):
        found = arithmetic(slot.value)
        if found is None or _is_shell(slot.value, found[0].start) != shell:
            continue
        expression, other = found
        if not _shows(exchange, expression.result):
            continue
        twin = send_variant(ctx, exchange, slot, expression.replaced(slot.value, ""))
        if twin is None or _shows(twin, expression.result):
            continue
        again = send_variant(ctx, exchange, slot, expression.replaced(slot.value, other))
        if _shows(again, arithmetic_result(other)):
            return slot, twin
    return None


def _is_shell(value: str, start: int) -> bool:
    return value.startswith("$((", start)


def _blind(ctx: CheckContext, exchange: Exchange) -> tuple[Slot, Exchange] | None:
    """The slot whose shell sleep delayed the answer (twice), and its twin."""
    for slot in slots(exchange.case):
        found = shell_sleep(slot.value)
        if found is not None:
            twin = slept(ctx, exchange, slot, *found, check="command_injection")
            if twin is not None:
                return slot, twin
    return None


@check(family="injection", severity=Severity.CRITICAL, phases=("security",))
def command_injection(ctx: CheckContext, exchange: Exchange) -> None:
    """Input reaches a shell: shell arithmetic comes back evaluated, or a shell sleep delays.

    Fires when a value holds a shell payload such as ``;echo assay$((4321+1234))``,
    ``$(echo …)`` or a backtick form, the answer contains the sum (``5555``) that only
    the shell computes (and that the request does not contain), the same request without
    the arithmetic does not, and the payload with other numbers shows their sum; or,
    for blind cases, when a value holds ``$(sleep 1)`` and the answer is late by the
    sleep against the same request without it, twice. An attacker runs any command on
    the server (CWE-78).
    """
    found = _evaluated(ctx, exchange, shell=True)
    if found is not None:
        slot, twin = found
        how = "comes back evaluated, with other numbers too"
    else:
        blind = _blind(ctx, exchange)
        if blind is None:
            return
        slot, twin = blind
        how = f"delays the answer by {exchange.elapsed_ms - twin.elapsed_ms:.0f} ms, twice"
    raise proven(
        ctx,
        exchange,
        twin,
        slot,
        check="command_injection",
        title="OS command injection",
        detail=f"A shell payload in {slot.label} {how}. Never build a shell command line "
        "from input: run the program with an argument list (no shell) and validate the "
        "arguments.",
        cwe="CWE-78",
    )


@check(family="injection", severity=Severity.CRITICAL, phases=("security",))
def template_injection(ctx: CheckContext, exchange: Exchange) -> None:
    """A template expression in a value is evaluated: input is rendered as a template.

    Fires when a value holds ``{{7*191}}`` or ``${7*191}``, the answer contains the
    product (``1337``) and the request does not, the same request without the
    expression does not, and the expression with other numbers shows their product.
    The server compiles input as template source (Jinja2, Mako, Freemarker…), which
    usually gives an attacker code execution (CWE-1336).
    """
    found = _evaluated(ctx, exchange, shell=False)
    if found is not None:
        slot, twin = found
        raise proven(
            ctx,
            exchange,
            twin,
            slot,
            check="template_injection",
            title="server-side template injection",
            detail=f"A template expression in {slot.label} comes back evaluated, with other "
            "numbers too. Pass input to templates as data (a context variable), never as "
            "part of the template source.",
            cwe="CWE-1336",
        )


@check(family="injection", severity=Severity.CRITICAL, phases=("security",))
def path_traversal(ctx: CheckContext, exchange: Exchange) -> None:
    """A ``../`` path in a value reads ``/etc/passwd``: input names files outside a folder.

    Fires when a value aims at ``etc/passwd`` (``../../../../etc/passwd`` and encoded
    forms), the answer contains that file's first line (``root:x:0:0:``) and the request
    does not, the same traversal aimed at a file that does not exist shows no such line,
    and the payload sent again shows it again. An attacker reads any file the service
    may read: configuration, keys, source (CWE-22).
    """
    match = PASSWD.search(response_text(exchange))
    if match is None or match.group(0) in request_text(exchange):
        return
    for slot in slots(exchange.case):
        twin_value = traversal_twin(slot.value)
        if twin_value is None:
            continue
        twin = send_variant(ctx, exchange, slot, twin_value)
        if twin is None or PASSWD.search(response_text(twin)):
            continue
        again = send_variant(ctx, exchange, slot, slot.value)
        if again is not None and PASSWD.search(response_text(again)):
            raise proven(
                ctx,
                exchange,
                twin,
                slot,
                check="path_traversal",
                title="path traversal",
                detail=f"The file path in {slot.label} reaches /etc/passwd. Resolve the "
                "path and refuse it unless it stays inside the intended folder, or map "
                "names to files through a fixed table.",
                cwe="CWE-22",
                extra={"content": match.group(0)},
            )


def _injected(exchange: Exchange | None, name: str) -> bool:
    """True when the answer has header `name`, or a header value carrying its line."""
    if exchange is None:
        return False
    line = re.compile(rf"[\r\n]\s*{re.escape(name)}\s*:", re.IGNORECASE)
    for key, value in exchange.response.headers.multi_items():
        if key.lower() == name or line.search(value):
            return True
    return False


@check(family="injection", severity=Severity.HIGH, phases=("security",))
def header_injection(ctx: CheckContext, exchange: Exchange) -> None:
    """A line break in a value adds a header to the answer (response splitting).

    Fires when a value holds a CR/LF followed by a header line (``\\r\\nX-Assay-Injected:
    crlf``, sent as ``%0d%0a…``), the answer has that header (or a header value carrying
    the injected line), the same request without the line break does not, and the
    payload sent again does. Input reaches a response header unfiltered: an attacker sets
    cookies, redirects or splits the response for a cache (CWE-113).
    """
    for slot in slots(exchange.case):
        name = injected_header(slot.value)
        if name is None or not _injected(exchange, name):
            continue
        cut = min(i for i in (slot.value.find("\r"), slot.value.find("\n")) if i >= 0)
        twin = send_variant(ctx, exchange, slot, slot.value[:cut])
        if twin is None or _injected(twin, name):
            continue
        if _injected(send_variant(ctx, exchange, slot, slot.value), name):
            raise proven(
                ctx,
                exchange,
                twin,
                slot,
                check="header_injection",
                title="header injection (CRLF)",
                detail=f"A line break in {slot.label} adds the header {name!r} to the "
                "answer. Refuse CR and LF in anything written to a header.",
                cwe="CWE-113",
                extra={"header": name},
            )
