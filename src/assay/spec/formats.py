"""String formats and integer ranges, checked the way a real service writes them.

jsonschema-rs checks the standard formats (``date``, ``uuid``, ``email``, ``uri``,
``ipv4``, ``ipv6``, ``hostname``…) and ignores unknown ones (``binary``, ``byte``,
``password``, custom names). Three standard formats are replaced by more lenient
checks, because a correct FastAPI service writes values the strict RFC 3339 grammar
rejects: ``date-time`` and ``time`` without a UTC offset (naive ``datetime``/``time``)
and ``duration`` with fractions or a sign (pydantic's ``timedelta``: ``PT0.5S``,
``-P1D``). OpenAPI's ``int32``/``int64`` formats become a range keyword, since formats
only apply to strings.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

__all__ = ["FORMATS", "RANGE_KEYWORD", "IntegerRange"]

RANGE_KEYWORD = "x-assay-range"
"""The keyword the converter writes for ``format: int32`` / ``int64``."""

_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_DURATION = re.compile(
    r"^[-+]?P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)


def _is_date_time(value: str) -> bool:
    if len(value) < 11 or value[10] not in "Tt ":
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


def _is_time(value: str) -> bool:
    try:
        time.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


def _is_duration(value: str) -> bool:
    return bool(_DURATION.match(value))


FORMATS = {"date-time": _is_date_time, "time": _is_time, "duration": _is_duration}
"""Format checks that replace jsonschema-rs's strict ones."""


class IntegerRange:
    """The ``x-assay-range`` keyword: an integer must fit ``int32`` or ``int64``."""

    def __init__(self, parent_schema: dict[str, Any], value: Any, schema_path: list[Any]) -> None:
        self.format = str(value)
        bounds = _RANGES.get(self.format)
        self.low: int | None = bounds[0] if bounds else None
        self.high: int | None = bounds[1] if bounds else None

    def validate(self, instance: Any) -> None:
        if self.low is None or self.high is None:
            return
        if isinstance(instance, bool) or not isinstance(instance, int | float):
            return
        if not self.low <= instance <= self.high:
            raise ValueError(
                f"{instance} is outside the {self.format} range [{self.low}, {self.high}]"
            )
