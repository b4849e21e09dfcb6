"""The injection payloads of the security phase, and the patterns that recognise them.

A payload is appended to a valid value (``harbor`` → ``harbor' OR '1'='1' -- ``) or, for
path traversal, replaces it. The injection checks find a payload in a request by these
patterns, derive its *twin* (the same request with a benign or a neutral value) and a
*confirmation* (the same attack with other numbers), and report only when the answers
differ the way an injection makes them differ: a plain 500 or a coincidence does not.
Arithmetic markers (``$((4321+1234))`` → ``assay5555``, ``{{7*191}}`` → ``1337``) make
the evidence something the server computed, never an echo of the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "COMMAND",
    "COMMAND_SLEEP",
    "CRLF",
    "MARKUP",
    "SLEEP_BASE",
    "SQL_QUOTE",
    "SQL_SLEEPS",
    "SQL_TRUE",
    "TEMPLATES",
    "TRAVERSAL",
    "Arithmetic",
    "Payload",
    "arithmetic",
    "arithmetic_result",
    "boolean_twins",
    "catalogue",
    "injected_header",
    "shell_sleep",
    "sleep_seconds",
    "strip_sleep",
    "traversal_twin",
]

SQL_QUOTE = "'"
"""Breaks a quoted SQL literal: a driver error follows where input reaches the query."""
SQL_TRUE = "' OR '1'='1' -- "
"""A tautology; its twin ``' OR '1'='2' -- `` differs by one character but is false."""
SQL_SLEEPS = (
    "' OR (SELECT 1 FROM (SELECT SLEEP(1)) AS assay)=1 -- ",
    "'||(SELECT '' FROM pg_sleep(1))||'",
)
"""MySQL/MariaDB (an OR condition: sent after `SLEEP_BASE`, which matches no row, so the
condition is evaluated) and PostgreSQL (concatenated into the literal itself, so it is
evaluated whatever the value); each is one uncorrelated sub-query, so the delay happens
once. SQLite has no sleep (a heavy query would load the target); its injections are
found by the error and boolean oracles."""
SLEEP_BASE = "assay0"
COMMAND = (
    ";echo assay$((4321+1234))",
    "$(echo assay$((4321+1234)))",
    "`echo assay$((4321+1234))`",
)
"""Shell command injection whose output (``assay5555``) is computed by the shell."""
COMMAND_SLEEP = "$(sleep 1)"
"""Blind shell command injection: the answer is late by the sleep (unquoted or in double
quotes alike)."""
TEMPLATES = ("{{7*191}}", "${7*191}")
"""Server-side template expressions (Jinja2/Twig/Nunjucks, Mako/Freemarker/EL)."""
TRAVERSAL = "../../../../../../../../etc/passwd"
"""Replaces the value: a file read outside the intended directory."""
CRLF = "\r\nX-Assay-Injected: crlf"
"""A line break and a header line: response splitting where input reaches a header."""
MARKUP = "<assay-probe/>"
"""HTML-active text for HTML responses (the ``reflected_input`` check judges it); no
quotes, so that header parameters can carry it too."""

_SLEEP = re.compile(r"(?:\bSLEEP|\bpg_sleep)\((\d+)\)", re.IGNORECASE)
_SHELL_SLEEP = re.compile(r"\$\(sleep (\d+)\)|`sleep (\d+)`|[;&|]\s*sleep (\d+)")
_ARITHMETIC = re.compile(
    r"(?P<open>\$\(\(|\{\{|\$\{)\s*(?P<a>\d+)\s*(?P<op>[*+])\s*(?P<b>\d+)\s*(?P<close>\)\)|\}\}|\})"
)
_BOOLEAN = re.compile(r"' OR '(\d)'='(\d)' -- $")
_HEADER_LINE = re.compile(r"[\r\n]+([A-Za-z][A-Za-z0-9-]{2,40}):")
_FILE = re.compile(r"etc(?:/|%2f|\\)passwd", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Payload:
    """One payload to send: its kind, its text, whether it replaces the value."""

    kind: str
    text: str
    whole: bool = False
    read_only: bool = False
    """Sent to GET operations only (an OR condition in an UPDATE or DELETE changes rows)."""
    base: str | None = None
    """The value the payload is appended to instead of the location's own."""

    def applied_to(self, value: str) -> str:
        if self.whole:
            return self.text
        return (self.base if self.base is not None else value) + self.text


@dataclass(frozen=True, slots=True)
class Arithmetic:
    """An arithmetic payload found in a value: what it computes, and how to vary it."""

    start: int
    end: int
    result: str

    def replaced(self, value: str, text: str) -> str:
        return value[: self.start] + text + value[self.end :]


def arithmetic(value: str) -> tuple[Arithmetic, str] | None:
    """The arithmetic expression in `value` and the same one with other numbers, or None."""
    match = _ARITHMETIC.search(value)
    if match is None:
        return None
    a, b = int(match["a"]), int(match["b"])
    result = a * b if match["op"] == "*" else a + b
    found = Arithmetic(match.start(), match.end(), str(result))
    other = f"{match['open']}{a + 13}{match['op']}{b + 17}{match['close']}"
    return found, other


def arithmetic_result(other: str) -> str:
    """What an expression made by `arithmetic` computes."""
    found = arithmetic(other)
    return found[0].result if found else ""


def boolean_twins(value: str) -> tuple[str, str, str, str] | None:
    """For a value ending in a SQL tautology: (benign, false, true again, false again)."""
    match = _BOOLEAN.search(value)
    if match is None or match[1] != match[2]:
        return None
    base = value[: match.start()]
    return (
        base,
        f"{base}' OR '1'='2' -- ",
        f"{base}' OR '2'='2' -- ",
        f"{base}' OR '2'='1' -- ",
    )


def sleep_seconds(value: str) -> int | None:
    """The seconds a SQL sleep payload in `value` asks for, or None."""
    match = _SLEEP.search(value)
    return int(match[1]) if match else None


def shell_sleep(value: str) -> tuple[int, str] | None:
    """The seconds a shell sleep in `value` asks for and the value without it, or None."""
    match = _SHELL_SLEEP.search(value)
    if match is None:
        return None
    seconds = next(group for group in match.groups() if group is not None)
    return int(seconds), value[: match.start()] + value[match.end() :]


def strip_sleep(value: str) -> str:
    """The value without its sleep payload (the benign twin)."""
    for payload in SQL_SLEEPS:
        if value.endswith(payload):
            return value[: -len(payload)]
    return value[: value.find("'")] if "'" in value else value


def traversal_twin(value: str) -> str | None:
    """The same traversal aimed at a file that does not exist, or None for no traversal."""
    match = _FILE.search(value)
    return value[: match.start()] + "etc/assay-missing" + value[match.end() :] if match else None


def injected_header(value: str) -> str | None:
    """The header name a line break in `value` would inject, or None."""
    match = _HEADER_LINE.search(value)
    return match[1].lower() if match else None


def catalogue(*, html: bool) -> tuple[Payload, ...]:
    """Every payload for one string location, in the order they are tried."""
    found = [
        Payload("sql_error", SQL_QUOTE),
        *(Payload("template", text) for text in TEMPLATES),
        *(Payload("command", text) for text in COMMAND),
        Payload("command_time", COMMAND_SLEEP),
        Payload("traversal", TRAVERSAL, whole=True),
        Payload("crlf", CRLF),
        Payload("sql_boolean", SQL_TRUE, read_only=True),
        *(Payload("sql_time", text, read_only=True, base=SLEEP_BASE) for text in SQL_SLEEPS),
    ]
    if html:
        found.append(Payload("markup", MARKUP))
    return tuple(found)
