"""Values for string formats: realistic valid ones, and invalid ones for enforced formats.

`ENFORCED_FORMATS` are the formats a FastAPI/pydantic service checks as assertions (a
``date`` field is a ``datetime.date``, a ``uuid`` a ``UUID``…). Every other format is an
annotation: a value that breaks it is still acceptable input, so no negative case is
ever built from one.
"""

from __future__ import annotations

import base64
import random
import uuid
from collections.abc import Callable

__all__ = ["ENFORCED_FORMATS", "format_edges", "format_value", "invalid_format_values"]

ENFORCED_FORMATS = frozenset({"date", "date-time", "time", "uuid", "email", "uri", "ipv4", "ipv6"})

_WORDS = ("alpha", "bravo", "delta", "harbor", "meadow", "orbit", "river", "summit", "willow")
_HOSTS = ("example.com", "example.org", "shop.example.net", "api.example.com")


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2000, 2030):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _time(rng: random.Random) -> str:
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


def _date_time(rng: random.Random) -> str:
    return f"{_date(rng)}T{_time(rng)}Z"


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _email(rng: random.Random) -> str:
    first, last = rng.sample(_WORDS, 2)
    return f"{first}.{last}{rng.randint(1, 99)}@example.com"


def _uri(rng: random.Random) -> str:
    return f"https://{rng.choice(_HOSTS)}/{rng.choice(_WORDS)}/{rng.randint(1, 999)}"


def _hostname(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS)}.{rng.choice(_HOSTS)}"


def _ipv4(rng: random.Random) -> str:
    return f"192.0.2.{rng.randint(1, 254)}"


def _ipv6(rng: random.Random) -> str:
    return f"2001:db8::{rng.randint(1, 0xFFFF):x}"


def _byte(rng: random.Random) -> str:
    return base64.b64encode(rng.randbytes(rng.randint(3, 12))).decode()


def _password(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS).capitalize()}-{rng.randint(1000, 9999)}-Secret!"


def _duration(rng: random.Random) -> str:
    return f"PT{rng.randint(1, 12)}H{rng.randint(0, 59)}M"


_VALID: dict[str, Callable[[random.Random], str]] = {
    "date": _date,
    "date-time": _date_time,
    "time": _time,
    "uuid": _uuid,
    "email": _email,
    "idn-email": _email,
    "uri": _uri,
    "url": _uri,
    "iri": _uri,
    "uri-reference": lambda rng: f"/{rng.choice(_WORDS)}/{rng.randint(1, 99)}",
    "hostname": _hostname,
    "idn-hostname": _hostname,
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "byte": _byte,
    "binary": lambda rng: f"{rng.choice(_WORDS)} file contents",
    "password": _password,
    "duration": _duration,
}

_INVALID: dict[str, tuple[str, ...]] = {
    "date": ("not-a-date", "2024-13-45"),
    "date-time": ("not-a-date-time", "2024-02-30T25:61:00Z"),
    "time": ("not-a-time", "25:99:00"),
    "uuid": ("not-a-uuid", "123e4567-e89b-12d3-a456-42661417400Z"),
    "email": ("not-an-email", "missing-at-sign.example.com"),
    "uri": ("not a uri",),
    "ipv4": ("999.1.1.1", "not-an-ip"),
    "ipv6": ("not:an:ipv6:zz", "12345::"),
}


_EDGES: dict[str, tuple[tuple[str, str], ...]] = {
    "date": (("2024-02-29", "a leap day"), ("1970-01-01", "the Unix epoch")),
    "date-time": (
        ("2024-02-29T23:59:59+05:30", "a leap day with a UTC offset"),
        ("1970-01-01T00:00:00Z", "the Unix epoch"),
        ("2038-01-19T03:14:08Z", "just past the 32-bit time limit"),
    ),
    "time": (("23:59:59", "the last second of a day"), ("00:00:00", "midnight")),
    "uuid": (("00000000-0000-0000-0000-000000000000", "the nil UUID"),),
    "email": (("ana.silva+orders@example.com", "an address with a plus tag"),),
    "uri": (("https://example.com/a%20b?q=1&r=%C3%A9#frag", "a URI with query and fragment"),),
}


def format_edges(fmt: str) -> tuple[tuple[str, str], ...]:
    """(value, label) of valid but unusual values of a format (leap days, offsets…)."""
    return _EDGES.get(fmt, ())


def format_value(fmt: str, rng: random.Random) -> str | None:
    """A realistic value for `fmt`, or None when the format is unknown."""
    make = _VALID.get(fmt)
    return make(rng) if make is not None else None


def invalid_format_values(fmt: str) -> tuple[str, ...]:
    """Strings that break an enforced format (empty for annotation-only formats)."""
    return _INVALID.get(fmt, ()) if fmt in ENFORCED_FORMATS else ()
