"""What a test created through the API, found in the client's recorded exchanges.

A ``POST`` created a resource when its answer carries a ``Location`` that a ``DELETE``
operation of the spec matches, or when it answered ``201`` with a JSON object whose
identifier fills the item path of a ``DELETE`` on the collection it posted to
(``POST /items`` → ``DELETE /items/{item_id}``, the value of ``item_id``, else ``id``).
A resource the test deleted itself (a successful ``DELETE`` of the same URL later on)
is not listed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from assay.client.transports import Exchange
from assay.spec.model import Operation, Spec
from assay.spec.routing import OperationRouter

__all__ = ["CreatedResource", "created_resources"]


@dataclass(frozen=True, slots=True)
class CreatedResource:
    """A resource a ``POST`` created: its URL, who created it, and when."""

    url: str
    identity: str | None
    created_at: float


def created_resources(
    exchanges: Iterable[Exchange], spec: Spec, *, prefix: str = ""
) -> list[CreatedResource]:
    """The resources created in ``exchanges`` and not deleted since, oldest first.

    ``prefix`` is the path the API is mounted under (the base URL's path).
    """
    router = OperationRouter(spec, prefix=prefix)
    deletes = _delete_operations(spec)
    found: dict[str, CreatedResource] = {}
    for exchange in exchanges:
        method = exchange.request.method.upper()
        url = str(exchange.request.url)
        if method == "DELETE" and exchange.response.is_success:
            found.pop(url, None)
        elif method == "POST" and exchange.response.is_success:
            created = _created_url(exchange, router, deletes, prefix)
            if created is not None:
                found[created] = CreatedResource(created, exchange.identity, exchange.started_at)
    return list(found.values())


def _delete_operations(spec: Spec) -> dict[str, Operation]:
    return {op.path.rstrip("/"): op for op in spec.operations if op.method == "delete"}


def _created_url(
    exchange: Exchange, router: OperationRouter, deletes: dict[str, Operation], prefix: str
) -> str | None:
    request_url = str(exchange.request.url)
    location = exchange.response.headers.get("location")
    if location:
        absolute = urljoin(request_url, location)
        same_origin = urlsplit(absolute).netloc == urlsplit(request_url).netloc
        if same_origin and router.match("delete", urlsplit(absolute).path) is not None:
            return absolute
        return None
    if exchange.response.status_code != 201:
        return None
    posted = router.match("post", exchange.request.url.path)
    body = _json_object(exchange.response.content)
    if posted is None or body is None:
        return None
    return _item_url(request_url, posted.path, body, deletes)


def _item_url(
    request_url: str, collection: str, body: dict[str, Any], deletes: dict[str, Operation]
) -> str | None:
    base = collection.rstrip("/")
    for path in deletes:
        if not (path.startswith(base + "/{") and path.endswith("}")):
            continue
        name = path[len(base) + 2 : -1]
        if "/" in name or "{" in name:
            continue
        value = _identifier(body, name)
        if value is not None:
            concrete = urlsplit(request_url)._replace(query="", fragment="")
            item_path = concrete.path.rstrip("/") + "/" + quote(str(value), safe="")
            return concrete._replace(path=item_path).geturl()
    return None


def _identifier(body: dict[str, Any], name: str) -> str | int | None:
    for key in (name, "id", name.removesuffix("_id"), name.removesuffix("Id")):
        value = body.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return value
    return None


def _json_object(content: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
