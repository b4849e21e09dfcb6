"""Recorded traffic: HAR files, assay's ``events.ndjson`` exchange records, live exchanges.

Every source becomes a `RecordedExchange` (one request and its response, bytes and
headers as they went over the wire) that `ContractValidator` checks. The exchange record
of ``events.ndjson`` is one JSON object per line::

    {"event": "exchange", "request": {"method": "GET", "url": "http://host/orders/1",
     "headers": {...}, "body": "..."}, "response": {"status": 200, "headers": {...},
     "body": "..."}}

Bodies are text, or base64 under ``body_base64``; lines of other events are skipped.
`exchange_record` turns an `assay.client.Exchange` into such a record.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.client.transports import Exchange

__all__ = ["RecordedExchange", "exchange_record", "from_exchange", "read_traffic"]


@dataclass(frozen=True, slots=True)
class RecordedExchange:
    """One request and its response as recorded; `source` says where it was read from."""

    method: str
    url: str
    request_headers: Mapping[str, str]
    request_body: bytes | None
    status: int
    response_headers: Mapping[str, str]
    response_body: bytes
    source: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The URL's path (``/orders/42``)."""
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> dict[str, str | list[str]]:
        """Query parameters; a name given once maps to a string, repeated to a list."""
        parsed = parse_qs(urlsplit(self.url).query, keep_blank_values=True)
        return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}

    @property
    def cookies(self) -> dict[str, str]:
        """Cookies sent with the request (from its ``Cookie`` header)."""
        header = _get(self.request_headers, "cookie") or ""
        pairs = (part.strip().partition("=") for part in header.split(";") if "=" in part)
        return {name: value for name, _, value in pairs}

    @property
    def request_content_type(self) -> str | None:
        return _get(self.request_headers, "content-type")

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _get(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _joined(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Headers as a dict; a repeated name has its values joined with ``, ``."""
    merged: dict[str, str] = {}
    for name, value in pairs:
        low = name.lower()
        merged[low] = f"{merged[low]}, {value}" if low in merged else value
    return merged


def read_traffic(path: str | Path) -> list[RecordedExchange]:
    """Every exchange of a HAR file (``.har``) or an ndjson exchange log (any other name)."""
    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssayError(
            f"cannot read the traffic file {location}: {exc.strerror or exc}",
            hint="Pass a HAR file exported from a browser or proxy, or an events.ndjson.",
        ) from None
    stripped = text.lstrip()
    if location.suffix.lower() == ".har" or (stripped.startswith("{") and '"log"' in text[:200]):
        return list(_har_exchanges(_parse_json(text, location), location))
    return list(_ndjson_exchanges(text, location))


def _parse_json(text: str, location: Path) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise AssayError(
            f"the traffic file {location} is not valid JSON: {exc}",
            hint="A HAR file is one JSON document with log.entries.",
        ) from None


def _har_exchanges(document: Any, location: Path) -> Iterator[RecordedExchange]:
    entries = document.get("log", {}).get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise AssayError(
            f"{location} is not a HAR file: it has no log.entries list",
            hint="Export the traffic as HAR 1.2 (browsers' 'Save all as HAR', mitmproxy, …).",
        )
    for index, entry in enumerate(entries):
        if _unanswered(entry):
            continue  # blocked, aborted or failed: there is no response to check
        try:
            yield _har_entry(entry, f"{location}#/log/entries/{index}")
        except (KeyError, TypeError, ValueError) as exc:
            raise AssayError(
                f"HAR entry {index} of {location} is malformed ({type(exc).__name__}: {exc})",
                hint="Each entry needs request.method, request.url and response.status.",
            ) from None


def _unanswered(entry: Any) -> bool:
    response = entry.get("response") if isinstance(entry, dict) else None
    return isinstance(response, dict) and response.get("status") in (0, -1)


def _post_body(post: Mapping[str, Any]) -> bytes | None:
    """The request body of a HAR ``postData``: its text, or its form ``params`` encoded."""
    if post.get("text"):
        return str(post["text"]).encode()
    params = post.get("params")
    if isinstance(params, list) and params:
        return urlencode([(p["name"], p.get("value", "")) for p in params]).encode()
    return None


def _har_entry(entry: Mapping[str, Any], source: str) -> RecordedExchange:
    request, response = entry["request"], entry["response"]
    post = request.get("postData") or {}
    request_body = _post_body(post)
    content = response.get("content") or {}
    text = content.get("text") or ""
    body = base64.b64decode(text) if content.get("encoding") == "base64" else text.encode()
    request_headers = _joined([(h["name"], h["value"]) for h in request.get("headers", [])])
    if post.get("mimeType") and "content-type" not in request_headers:
        request_headers["content-type"] = post["mimeType"]
    response_headers = _joined([(h["name"], h["value"]) for h in response.get("headers", [])])
    return RecordedExchange(
        method=str(request["method"]).upper(),
        url=str(request["url"]),
        request_headers=request_headers,
        request_body=request_body,
        status=int(response["status"]),
        response_headers=response_headers,
        response_body=body,
        source=source,
    )


def _ndjson_exchanges(text: str, location: Path) -> Iterator[RecordedExchange]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError as exc:
            raise AssayError(
                f"line {number} of {location} is not JSON: {exc}",
                hint="An ndjson traffic file holds one JSON object per line.",
            ) from None
        if not isinstance(event, dict) or "request" not in event or "response" not in event:
            continue  # another kind of event (run_started, finding, …)
        try:
            yield _record(event, f"{location}:{number}")
        except (KeyError, TypeError, ValueError) as exc:
            raise AssayError(
                f"the exchange on line {number} of {location} is malformed "
                f"({type(exc).__name__}: {exc})",
                hint="An exchange record has request.method, request.url and response.status.",
            ) from None


def _body(message: Mapping[str, Any]) -> bytes | None:
    if message.get("body_base64") is not None:
        return base64.b64decode(message["body_base64"])
    body = message.get("body")
    if body is None:
        return None
    return body.encode() if isinstance(body, str) else json.dumps(body).encode()


def _record(event: Mapping[str, Any], source: str) -> RecordedExchange:
    request, response = event["request"], event["response"]
    return RecordedExchange(
        method=str(request["method"]).upper(),
        url=str(request["url"]),
        request_headers={k.lower(): str(v) for k, v in (request.get("headers") or {}).items()},
        request_body=_body(request),
        status=int(response["status"]),
        response_headers={k.lower(): str(v) for k, v in (response.get("headers") or {}).items()},
        response_body=_body(response) or b"",
        source=source,
    )


def _encoded(body: bytes) -> dict[str, str]:
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(body).decode("ascii")}


def exchange_record(exchange: Exchange) -> dict[str, Any]:
    """The ``events.ndjson`` record of a client `Exchange` (``{"event": "exchange", …}``)."""
    request, response = exchange.request, exchange.response
    return {
        "event": "exchange",
        "time": exchange.started_at,
        "identity": exchange.identity,
        "elapsed_ms": round(exchange.elapsed_ms, 3),
        "request": {
            "method": request.method,
            "url": str(request.url),
            "headers": _joined(list(request.headers.multi_items())),
            **_encoded(request.content),
        },
        "response": {
            "status": response.status_code,
            "headers": _joined(list(response.headers.multi_items())),
            **_encoded(response.content),
        },
    }


def from_exchange(exchange: Exchange) -> RecordedExchange:
    """A client `Exchange` as a `RecordedExchange`."""
    return _record(exchange_record(exchange), f"exchange {exchange.request.url}")
