"""Realistic values chosen by a field's name: ``email``, ``first_name``, ``city``, ``price``…

A name is split into lower-case words (``firstName``, ``first-name`` and ``first_name``
all read ``first name``) and matched against a small vocabulary. The caller checks the
result against the field's schema and falls back to a generic value when it does not
fit, so a hint is only ever a better guess, never a wrong one.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import lru_cache

from assay.generation.formats import format_value

__all__ = ["named_value", "words_of"]

FIRST_NAMES = ("Ana", "Ben", "Chloé", "Diego", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jonas")
LAST_NAMES = ("Silva", "Okafor", "Novak", "Larsen", "Moreau", "Tanaka", "Kowalski", "Haddad")
CITIES = ("Lisbon", "Nairobi", "Osaka", "Montreal", "Tallinn", "Porto", "Bergen", "Austin")
COUNTRIES = ("Portugal", "Kenya", "Japan", "Canada", "Estonia", "Norway", "Chile")
COUNTRY_CODES = ("PT", "KE", "JP", "CA", "EE", "NO", "CL", "DE", "FR", "US")
CURRENCIES = ("EUR", "USD", "GBP", "JPY", "CHF", "CAD", "SEK")
NOUNS = ("lamp", "kettle", "notebook", "backpack", "teapot", "chair", "bicycle", "umbrella")
ADJECTIVES = ("small", "blue", "vintage", "sturdy", "compact", "bright", "quiet", "classic")
STREETS = ("Rua Augusta", "Baker Street", "Elm Avenue", "Harbour Road", "Market Lane")
REGIONS = ("Lisboa", "Ontario", "Hokkaido", "Texas", "Bavaria", "Harju", "Vestland")

_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

Maker = Callable[[random.Random], object]


def words_of(name: str) -> tuple[str, ...]:
    """``"shippingAddress_line1"`` → ``("shipping", "address", "line1")``."""
    return tuple(w for w in _SPLIT.split(_CAMEL.sub(" ", name).lower()) if w)


def _product(rng: random.Random) -> str:
    return f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)}"


def _sentence(rng: random.Random) -> str:
    return f"A {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} for everyday use."


def _full_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _phone(rng: random.Random) -> str:
    return f"+3519{rng.randint(10_000_000, 99_999_999)}"


def _email(rng: random.Random) -> str:
    """``chloe.novak7@example.com``: a person's address, ASCII only."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower().replace("é", "e")
    return f"{local}{rng.randint(1, 99)}@example.com"


def _birthday(rng: random.Random) -> str:
    return f"{rng.randint(1950, 2005):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


_STRINGS: tuple[tuple[tuple[str, ...], Maker], ...] = (
    (("email", "mail"), _email),
    (("uuid", "guid"), lambda rng: format_value("uuid", rng)),
    (("birthday", "birthdate", "dob", "born"), _birthday),
    (("timestamp",), lambda rng: format_value("date-time", rng)),
    (("first", "given"), lambda rng: rng.choice(FIRST_NAMES)),
    (("last", "family", "surname"), lambda rng: rng.choice(LAST_NAMES)),
    (
        ("username", "login", "handle"),
        lambda rng: f"{rng.choice(FIRST_NAMES).lower()}{rng.randint(1, 99)}",
    ),
    (("city", "town"), lambda rng: rng.choice(CITIES)),
    (("country",), lambda rng: rng.choice(COUNTRIES)),
    (("state", "region", "province", "county"), lambda rng: rng.choice(REGIONS)),
    (("reference", "ref"), lambda rng: f"REF-{rng.randint(10_000, 99_999)}"),
    (("phone", "mobile", "tel", "telephone"), _phone),
    (("sku",), lambda rng: f"SKU-{rng.randint(10_000, 99_999)}"),
    (("currency",), lambda rng: rng.choice(CURRENCIES)),
    (("url", "uri", "website", "homepage", "link", "href"), lambda rng: format_value("uri", rng)),
    (("street", "address"), lambda rng: f"{rng.randint(1, 200)} {rng.choice(STREETS)}"),
    (
        ("zip", "postal", "postcode"),
        lambda rng: f"{rng.randint(1000, 9999)}-{rng.randint(100, 999)}",
    ),
    (("description", "comment", "note", "notes", "summary", "body", "message"), _sentence),
    (("title", "label", "product"), _product),
    (("slug",), lambda rng: f"{rng.choice(ADJECTIVES)}-{rng.choice(NOUNS)}"),
    (("company", "organization", "organisation"), lambda rng: f"{rng.choice(LAST_NAMES)} & Co"),
    (("color", "colour"), lambda rng: rng.choice(("red", "green", "blue", "black"))),
    (("password", "secret"), lambda rng: format_value("password", rng)),
    (("name",), _full_name),
)

_INTEGERS: tuple[tuple[tuple[str, ...], Maker], ...] = (
    (("quantity", "qty", "count"), lambda rng: rng.randint(1, 10)),
    (
        ("amount", "price", "total", "cost", "subtotal", "balance"),
        lambda rng: rng.randint(100, 99_999),
    ),
    (("age",), lambda rng: rng.randint(18, 90)),
    (("year",), lambda rng: rng.randint(1990, 2030)),
    (("page",), lambda rng: rng.randint(1, 5)),
    (("limit", "size", "per"), lambda rng: rng.choice((10, 20, 50))),
    (("offset",), lambda rng: rng.choice((0, 10, 20))),
)

_NUMBERS: tuple[tuple[tuple[str, ...], Maker], ...] = (
    (
        ("amount", "price", "total", "cost", "subtotal", "balance"),
        lambda rng: rng.randint(100, 99_999) / 100,
    ),
    (("latitude", "lat"), lambda rng: round(rng.uniform(-80, 80), 5)),
    (("longitude", "lng", "lon"), lambda rng: round(rng.uniform(-170, 170), 5)),
    (("rate", "ratio", "percent", "percentage"), lambda rng: round(rng.uniform(0, 1), 2)),
    (("weight",), lambda rng: round(rng.uniform(0.1, 20), 2)),
)

_TABLES = {"string": _STRINGS, "integer": _INTEGERS, "number": _NUMBERS}


def named_value(name: str | None, kind: str, rng: random.Random) -> object | None:
    """A value of JSON type `kind` that suits a field called `name`, or None."""
    if not name:
        return None
    make = _maker(name, kind)
    return make(rng) if make is not None else None


@lru_cache(maxsize=4096)
def _maker(name: str, kind: str) -> Maker | None:
    """How values for a field called `name` are made (looked up once per name and kind)."""
    words = words_of(name)
    if kind == "string" and "country" in words and ("code" in words or "iso" in words):
        return lambda rng: rng.choice(COUNTRY_CODES)
    for keys, make in _TABLES.get(kind, ()):
        if any(word in keys for word in words):
            return make
    return None
