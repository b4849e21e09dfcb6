"""SQL injection, proven by differential oracles on the security phase's payloads.

Three techniques, each confirmed by more than one answer, so that a plain 500 bug, a
search that happens to return more rows, or a slow moment of the server is not an
injection: the driver error that only a quote causes (error-based), a tautology that
returns more data than its false twin and than the benign value (boolean-based), and a
sleep that delays the answer every time it is sent and the benign twin does not
(time-based). The payloads are in `assay.generation.security.payloads`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assay.checks._oracle import leaves, proven, request_text, response_text, slept
from assay.checks._variants import send_variant, slots
from assay.checks.exposure import SQL_ERROR
from assay.checks.registry import Exchange, check
from assay.errors import Severity
from assay.generation.security.payloads import boolean_twins, sleep_seconds, strip_sleep

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext

__all__ = ["sql_injection_boolean", "sql_injection_error", "sql_injection_time"]

_CWE = "CWE-89"
_FIX = (
    "Pass input to the database as bound parameters (placeholders), never by building "
    "SQL text; whitelist identifiers such as sort columns."
)


def _sql_error(exchange: Exchange) -> str | None:
    """A driver error message in the answer that is not an echo of the request."""
    text = response_text(exchange)
    sent: str | None = None
    for match in SQL_ERROR.finditer(text):
        sent = request_text(exchange) if sent is None else sent
        if match.group(0) not in sent:
            return match.group(0)
    return None


@check(family="injection", severity=Severity.CRITICAL, phases=("security",))
def sql_injection_error(ctx: CheckContext, exchange: Exchange) -> None:
    """A quote in a value makes the server answer with a SQL driver error; without it, not.

    Fires when an answer of the security phase carries a database error message
    (``sqlite3.OperationalError``, ``near "x": syntax error``, ``unterminated quoted
    string``…) and a value of the request holds a quote, the same request with the
    quotes removed gets no such error, and the quoted request sent again gets it again.
    The quote broke the SQL text: input is pasted into the query, and an attacker can
    change the query (CWE-89).
    """
    found = _sql_error(exchange)
    if found is None:
        return
    for slot in slots(exchange.case):
        if "'" not in slot.value and '"' not in slot.value:
            continue
        twin = send_variant(ctx, exchange, slot, slot.value.replace("'", "").replace('"', ""))
        if twin is None or _sql_error(twin) is not None:
            continue
        again = send_variant(ctx, exchange, slot, slot.value)
        if again is None or _sql_error(again) is None:
            continue
        raise proven(
            ctx,
            exchange,
            twin,
            slot,
            check="sql_injection_error",
            title="SQL injection (error-based)",
            detail=f"With a quote in {slot.label} the server answers with a database error "
            f"({found!r}); without the quote it does not, and the quote repeats it. " + _FIX,
            cwe=_CWE,
            extra={"error": found},
        )


def _more(first: Exchange | None, second: Exchange | None, echo: str) -> bool:
    """True when `first` is a success carrying more data than `second`."""
    if first is None or second is None or not 200 <= first.status < 300:
        return False
    if not 200 <= second.status < 300:
        return True
    return leaves(first, echo) > leaves(second, echo)


@check(family="injection", severity=Severity.CRITICAL, phases=("security",))
def sql_injection_boolean(ctx: CheckContext, exchange: Exchange) -> None:
    """A SQL tautology in a value returns more data than its false twin and the plain value.

    Fires when a value ends in ``' OR '1'='1' -- `` and its answer (a success) carries
    more data (JSON values, or text without the echo) than the same request ending in
    ``' OR '1'='2' -- `` and than the value alone, and the pair ``' OR '2'='2' -- `` /
    ``' OR '2'='1' -- `` differs the same way. The two twins differ by one character, so
    a text search treating the words as terms answers both alike. The condition ran as
    SQL: an attacker reads every row the query can reach (CWE-89).
    """
    for slot in slots(exchange.case):
        twins = boolean_twins(slot.value)
        if twins is None:
            continue
        benign, false, true_again, false_again = twins
        false_exchange = send_variant(ctx, exchange, slot, false)
        if not _more(exchange, false_exchange, slot.value):
            continue
        if not _more(exchange, send_variant(ctx, exchange, slot, benign), slot.value):
            continue
        again = send_variant(ctx, exchange, slot, true_again)
        if not _more(again, send_variant(ctx, exchange, slot, false_again), true_again):
            continue
        assert false_exchange is not None
        raise proven(
            ctx,
            exchange,
            false_exchange,
            slot,
            check="sql_injection_boolean",
            title="SQL injection (boolean-based)",
            detail=f"A true SQL condition appended to {slot.label} returns more data than a "
            "false one and than the plain value, twice. " + _FIX,
            cwe=_CWE,
            extra={"benign": benign},
        )


@check(family="injection", severity=Severity.CRITICAL, phases=("security",))
def sql_injection_time(ctx: CheckContext, exchange: Exchange) -> None:
    """A SQL sleep in a value delays the answer every time; the benign value does not.

    Fires when a value holds ``SLEEP(n)`` or ``pg_sleep(n)`` (the security phase sends
    ``' OR (SELECT 1 FROM (SELECT SLEEP(1)) AS assay)=1 -- `` and
    ``'||(SELECT '' FROM pg_sleep(1))||'``), its answer took at least 0.8·n seconds
    longer than the same request with the plain value, and a second pair (payload,
    plain value) shows the same delay. The database ran the injected function: even
    with no visible output, an attacker reads data one condition at a time (CWE-89). At
    most a couple of such probes are sent per operation, to GET operations only.
    """
    for slot in slots(exchange.case):
        seconds = sleep_seconds(slot.value)
        if seconds is None:
            continue
        benign = strip_sleep(slot.value)
        twin = slept(ctx, exchange, slot, seconds, benign, check="sql_injection_time")
        if twin is not None:
            raise proven(
                ctx,
                exchange,
                twin,
                slot,
                check="sql_injection_time",
                title="SQL injection (time-based)",
                detail=f"A SQL sleep of {seconds} s in {slot.label} delays the answer by "
                f"{exchange.elapsed_ms - twin.elapsed_ms:.0f} ms against the plain value, "
                "twice. " + _FIX,
                cwe=_CWE,
                extra={"elapsed_ms": [round(exchange.elapsed_ms), round(twin.elapsed_ms)]},
            )
