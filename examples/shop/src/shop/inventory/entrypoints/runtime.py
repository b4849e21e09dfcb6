"""What the inventory's routers share: a unit-of-work factory and the handler environment."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from shop.inventory.service_layer.environment import Environment
from shop.inventory.service_layer.unit_of_work import InventoryUnitOfWork
from shop.platform.concurrency import etag_of

ETAG_HEADER: dict[str, Any] = {
    "ETag": {
        "description": "Strong entity tag of this representation; send it back in If-Match.",
        "schema": {"type": "string"},
    }
}
LOCATION_HEADER: dict[str, Any] = {
    "Location": {"description": "URL of the created resource.", "schema": {"type": "string"}}
}


@dataclass(frozen=True)
class InventoryRuntime:
    """The inventory as its routers and facade see it."""

    uow: Callable[[], InventoryUnitOfWork]
    env: Environment


def representation_etag(model: BaseModel) -> str:
    """A strong ETag that changes whenever the JSON representation changes."""
    digest = hashlib.sha256(model.model_dump_json().encode()).hexdigest()[:24]
    return etag_of(digest)
