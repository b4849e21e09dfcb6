"""Exposure: internals and unescaped input leaking into responses.

The leak checks scan the text of any response (JSON, text, HTML, XML; at most the first
64 KiB) with precise patterns: the shapes of tracebacks, driver error messages, source
paths and framework debug pages, never loose words such as "error" or "exception".
A match that also occurs in the request is ignored: the server echoing what it was
sent is not a leak of its internals. The checks defer to each other so one leak gives
one finding: a debug page is not also a stack trace, a stack trace not also a path.
"""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from assay.checks._requests import json_body, media_base, resend, sent_request
from assay.checks._variants import send_variant, slots
from assay.checks.registry import Exchange, check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext
    from assay.client.messages import APITestResponse

__all__ = [
    "debug_page_leak",
    "file_path_leak",
    "reflected_input",
    "sql_error_leak",
    "stack_trace_leak",
]

_LIMIT = 65536
_TEXTUAL = re.compile(r"^(text/|application/(.*[+/])?(json|xml|javascript)$)")

DEBUG_PAGE = re.compile(
    r"<title>Starlette Debugger</title>|Werkzeug Debugger|"
    r"You're seeing this error because you have <code>DEBUG = True</code>|"
    r"Whoops! There was an error|<title>Action Controller: Exception caught</title>|"
    r"Server Error in '/' Application|<h1>Internal Server Error</h1>\s*<pre>Traceback"
)
STACK_TRACE = re.compile(
    r"Traceback \(most recent call last\)|"
    r"File \"[^\"\n]+\", line \d+, in \S+|"
    r"\bat (?:[\w$]+\.)+[\w$<>]+\([\w$]+\.(?:java|kt|scala):\d+\)|"
    r"\bat (?:async )?[\w$.<>]+ \((?:file://)?/[^()\s]+\.(?:js|mjs|cjs|ts):\d+:\d+\)|"
    r"\bat [\w.<>`]+\([^()]*\) in [^\n]+:line \d+|"
    r"'NoneType' object (?:has no attribute|is not subscriptable|is not iterable)|"
    r"object is not subscriptable|unsupported operand type\(s\) for|"
    r"takes \d+ positional arguments? but \d+ (?:was|were) given|"
    r"invalid literal for int\(\) with base \d+|"
    r"\b(?:KeyError|AttributeError|TypeError|IndexError|NameError|UnboundLocalError|"
    r"ZeroDivisionError|RecursionError|AssertionError|StopIteration|"
    r"java\.lang\.\w+(?:Exception|Error)|NullPointerException): "
)
SQL_ERROR = re.compile(
    r"sqlite3\.\w+Error|sqlalchemy\.exc\.\w+|psycopg2?\.(?:errors\.)?\w+|pymysql\.err\.\w+|"
    r"asyncpg\.exceptions\.\w+|MySQLdb\.\w+|\[SQL: |SQLSTATE\[|\bORA-\d{5}\b|"
    r"You have an error in your SQL syntax|syntax error at or near \"|"
    r"near \"[^\"]*\": syntax error|unrecognized token: |"
    r"(?:UNIQUE|NOT NULL|FOREIGN KEY|CHECK) constraint failed|"
    r"duplicate key value violates unique constraint|violates foreign key constraint|"
    r"no such (?:table|column): \w+|relation \"[^\"]+\" does not exist|"
    r"column \"[^\"]+\" (?:does not exist|of relation)|Unclosed quotation mark after|"
    r"quoted string not properly terminated|Incorrect syntax near '"
)
SQL_STATEMENT = re.compile(
    r"\bSELECT\s+[\w*.,\s\"`]{1,200}?\s+FROM\s+[\"`]?\w+[\"`]?\s+WHERE\b|"
    r"\bINSERT INTO\s+[\"`]?\w+[\"`]?\s*\(|\bDELETE FROM\s+[\"`]?\w+[\"`]?\s+WHERE\b"
)
FILE_PATH = re.compile(
    r"(?<![\w/.:~-])/(?:home|usr|var|opt|srv|app|root|tmp|Users|workspace|code)"
    r"(?:/[\w.@+-]{1,100}){1,30}(?![\w/])|"
    r"(?:site|dist)-packages/[\w./-]{1,200}|"
    r"\b[A-Z]:\\(?:[\w .-]{1,100}\\){0,30}[\w .-]{1,100}\.(?:py|cs|java|js|config|dll)\b"
)
_FILE_EXTENSION = re.compile(
    r"-packages/|\.(?:py|pyc|java|js|ts|rb|php|go|cs|ini|cfg|conf|toml|env|sqlite3?|db|"
    r"json|ya?ml|html?|txt|csv|log|xml|pem|key|config|dll)$"
)


_PATTERNS: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = {
    "debug": (DEBUG_PAGE, None),
    "trace": (STACK_TRACE, None),
    "sql": (SQL_ERROR, None),
    "statement": (SQL_STATEMENT, None),
    "path": (FILE_PATH, _FILE_EXTENSION),
}


def _text(exchange: Exchange) -> str:
    """The response as text to scan: a JSON body's strings, unescaped; other text as is."""
    response = exchange.response
    media = media_base(response.headers.get("content-type"))
    if media and not _TEXTUAL.match(media):
        return ""
    document = json_body(response)
    if document is not None:
        return "\n".join(_strings(document, keys=True))[:_LIMIT]
    return response.content[:_LIMIT].decode("utf-8", "replace")


def _request_text(exchange: Exchange) -> str:
    """Every value of the request, decoded, to recognise an echo."""
    sent = sent_request(exchange)
    parts = [sent.path, *sent.path_values.values()]
    for value in sent.query.values():
        parts.extend([value] if isinstance(value, str) else value)
    parts += [f"{k}: {v}" for k, v in sent.headers.items()]
    parts.append(sent.body[:_LIMIT].decode("utf-8", "replace"))
    parts.extend(_strings(exchange.case.body))
    return "\n".join(parts)


def _leak(
    pattern: re.Pattern[str], exchange: Exchange, text: str, accept: re.Pattern[str] | None
) -> str | None:
    """The first match of `pattern` (and `accept`) in `text` that is not an echo."""
    if not text:
        return None
    plain = html.unescape(text) if "<" in text else text
    sent: str | None = None
    for match in pattern.finditer(plain):
        if accept is not None and not accept.search(match.group(0)):
            continue
        sent = _request_text(exchange) if sent is None else sent
        if match.group(0) not in sent:
            return match.group(0)
    return None


def _scan(ctx: CheckContext, exchange: Exchange, kind: str) -> str | None:
    """`_leak` for one of the patterns, computed once per exchange for all four checks."""
    cached = ctx.memory.get("exposure.scan")
    if cached is None or cached[0] is not exchange:
        cached = (exchange, {})
        ctx.memory["exposure.scan"] = cached
    results: dict[str, str | None] = cached[1]
    if kind not in results:
        if "text" not in results:
            results["text"] = _text(exchange)
        pattern, accept = _PATTERNS[kind]
        results[kind] = _leak(pattern, exchange, results["text"] or "", accept)
    return results[kind]


def _snippet(exchange: Exchange, found: str) -> str:
    text = html.unescape(_text(exchange))
    at = text.find(found)
    start = max(at - 80, 0)
    return text[start : at + len(found) + 120].strip()


def _raise_leak(ctx: CheckContext, exchange: Exchange, name: str, what: str, found: str) -> None:
    raise ctx.finding(
        exchange,
        f"{what} in a {exchange.status} response",
        check=name,
        detail=f"The response reveals {what}: {found!r}. Internals help an attacker map "
        "the system; answer with a generic error and log the details server-side.",
        evidence={"match": found, "snippet": _snippet(exchange, found)},
        signature=f"{exchange.status // 100}xx:{re.sub(r'[0-9]+', '0', found)[:60]}",
    )


@check(family="exposure", severity=Severity.MEDIUM)
def debug_page_leak(ctx: CheckContext, exchange: Exchange) -> None:
    """A response is a framework's debug page (Starlette, Werkzeug, Django, Laravel, Rails…).

    Fires on the markers of those pages (``<title>Starlette Debugger</title>``, Django's
    "you have DEBUG = True" notice, …). Debug mode left on in a deployed service shows
    source code, settings and sometimes an interactive console to anyone.
    """
    found = _scan(ctx, exchange, "debug")
    if found is not None:
        _raise_leak(ctx, exchange, "debug_page_leak", "a framework debug page", found)


@check(family="exposure", severity=Severity.MEDIUM)
def stack_trace_leak(ctx: CheckContext, exchange: Exchange) -> None:
    """A response contains a stack trace or a raw exception message.

    Fires on Python tracebacks and frames (``File "…", line N, in f``), Java, Node and
    .NET stack frames, raw Python exception text (``KeyError: 'sku'``, ``'NoneType'
    object has no attribute``). Silent when `debug_page_leak` already matches. A raw
    exception tells an attacker the code paths and libraries, and usually means the
    error was not handled.
    """
    if _scan(ctx, exchange, "debug") is not None:
        return
    found = _scan(ctx, exchange, "trace")
    if found is not None:
        _raise_leak(ctx, exchange, "stack_trace_leak", "a stack trace or exception", found)


@check(family="exposure", severity=Severity.HIGH)
def sql_error_leak(ctx: CheckContext, exchange: Exchange) -> None:
    """A response contains a database error message or a fragment of SQL.

    Fires on driver exception names (``sqlite3.OperationalError``, ``sqlalchemy.exc.``,
    ``psycopg.errors.``), engine messages (``near "x": syntax error``, ``UNIQUE
    constraint failed``, ``relation "x" does not exist``, ``ORA-00933``, ``SQLSTATE[``)
    in any response, and upper-case SQL statements (``SELECT … FROM t WHERE``) in error
    responses (a 2xx may carry SQL as content: a saved report's query). It reveals the
    schema and, when input reached the query, is the classic sign of SQL injection.
    """
    found = _scan(ctx, exchange, "sql")
    if found is None and exchange.status >= 400:
        found = _scan(ctx, exchange, "statement")
    if found is not None:
        _raise_leak(ctx, exchange, "sql_error_leak", "a database error or SQL", found)


@check(family="exposure", severity=Severity.LOW)
def file_path_leak(ctx: CheckContext, exchange: Exchange) -> None:
    """A response reveals a server file-system path to source or configuration.

    Fires on absolute paths under the usual roots (``/app``, ``/home``, ``/usr``,
    ``/var``, ``/opt``, ``/srv``…) ending in a file extension of source, configuration
    or data (``.py``, ``.env``, ``.sqlite3``, ``.txt``…), ``site-packages/`` paths and
    Windows paths (``C:\\…\\x.py``), in error responses (4xx/5xx: a 2xx of a file
    service may carry paths as content). URLs and API paths are not matched. Silent
    when a debug page or stack trace check already matches. Paths tell an attacker the
    layout, user names and versions.
    """
    if exchange.status < 400:
        return
    if _scan(ctx, exchange, "debug") is not None or _scan(ctx, exchange, "trace") is not None:
        return
    found = _scan(ctx, exchange, "path")
    if found is not None:
        _raise_leak(ctx, exchange, "file_path_leak", "a server file path", found)


_MARKUP = ("text/html", "application/xhtml+xml", "image/svg+xml")
_ACTIVE = re.compile(r"<[A-Za-z!/]|\"|'|javascript:", re.IGNORECASE)
PROBE = '<assay-probe x="1">\''


def _inputs(exchange: Exchange) -> list[str]:
    """The request's string values that hold HTML-active characters."""
    sent = sent_request(exchange)
    values: list[str] = list(sent.path_values.values())
    for value in sent.query.values():
        values.extend([value] if isinstance(value, str) else value)
    values.extend(str(v) for v in exchange.case.headers.values())
    values.extend(_strings(exchange.case.body))
    return [v for v in values if len(v) >= 3 and _ACTIVE.search(v)]


def _strings(value: object, *, keys: bool = False) -> list[str]:
    """The strings inside a JSON value (and its keys, when asked)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        found = [str(k) for k in value] if keys else []
        return found + [s for item in value.values() for s in _strings(item, keys=keys)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item, keys=keys)]
    return []


def _plain_inputs(exchange: Exchange) -> list[str]:
    sent = sent_request(exchange)
    values: list[str] = list(sent.path_values.values())
    for value in sent.query.values():
        values.extend([value] if isinstance(value, str) else value)
    values.extend(_strings(exchange.case.body))
    return [v for v in values if len(v) >= 4 and v.isalnum()]


def _probe(ctx: CheckContext, exchange: Exchange, value: str) -> APITestResponse | None:
    """Re-send the request with `value` replaced by `PROBE` (in the URL or the JSON body)."""
    request = exchange.response.request
    url, body = str(request.url), request.content
    if value in url:
        return resend(ctx, exchange, url=url.replace(value, quote(PROBE, safe=""), 1))
    encoded = json.dumps(value).encode()
    if encoded in body:
        return resend(ctx, exchange, content=body.replace(encoded, json.dumps(PROBE).encode()))
    return None


def _probed(ctx: CheckContext, exchange: Exchange, text: str) -> Exchange | None:
    """Confirm a plain reflection with a markup probe (once per operation): its exchange."""
    seen = ctx.memory.setdefault("reflected_input.probed", set())
    candidates = [v for v in _plain_inputs(exchange) if v in text]
    if not candidates or exchange.case.label in seen:
        return None
    seen.add(exchange.case.label)
    again = _probe(ctx, exchange, candidates[0])
    if again is None or media_base(again.headers.get("content-type")) not in _MARKUP:
        return None
    return Exchange(exchange.case, again, exchange.elapsed_ms) if PROBE in again.text else None


def _confirmed(ctx: CheckContext, exchange: Exchange, value: str) -> bool:
    """Whether the request, sent again with `value` changed to `PROBE`, shows the probe.

    A page that always holds the text (``"ab`` inside ``class="abc"``) is no reflection.
    A value the case does not hold as a plain string (an array item) keeps the verdict.
    """
    slot = next((s for s in slots(exchange.case) if s.value == value), None)
    if slot is None:
        return True
    again = send_variant(ctx, exchange, slot, PROBE)
    return again is not None and PROBE in again.response.content.decode("utf-8", "replace")


@check(family="exposure", severity=Severity.HIGH)
def reflected_input(ctx: CheckContext, exchange: Exchange) -> None:
    """Request input with HTML-active characters comes back unescaped in an HTML response.

    Fires when a string the request carried (a path, query, header or body value
    containing ``<``, quotes or ``javascript:``) appears verbatim in a response served
    as ``text/html``, XHTML or SVG, or without a Content-Type (browsers sniff those).
    A reflected value is confirmed by sending the request once more with that value
    replaced by a markup probe, which must come back unescaped too (a page that always
    holds the text is no reflection). When a plain value (letters and digits) is
    reflected in HTML, the request is sent once more per operation with that value
    replaced by the probe, and the check fires if the probe comes back unescaped (the
    finding then reproduces the probe).
    JSON responses are not judged: browsers do not render them. Reflected markup is
    cross-site scripting: a link can run script in a victim's session.
    """
    response = exchange.response
    media = media_base(response.headers.get("content-type"))
    if media not in _MARKUP and (media or not response.content):
        return
    text = response.content[:_LIMIT].decode("utf-8", "replace")
    reflected = next((v for v in _inputs(exchange) if v in text), None)
    if reflected is not None and not _confirmed(ctx, exchange, reflected):
        return
    shown = exchange
    if reflected is None and media in _MARKUP:
        probed = _probed(ctx, exchange, text)
        shown, reflected = (probed, PROBE) if probed is not None else (exchange, None)
    if reflected is None:
        return
    raise ctx.finding(
        shown,
        f"request input reflected unescaped in a {media or 'untyped'} response",
        check="reflected_input",
        detail=f"The value {reflected!r} from the request appears verbatim in the "
        "response, where a browser runs it as markup; escape input for HTML before "
        "rendering it (a template engine with autoescaping does).",
        evidence={"reflected": reflected, "content_type": media},
        signature=media or "untyped",
    )
