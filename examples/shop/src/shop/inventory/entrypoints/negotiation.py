"""Proactive content negotiation on ``Accept`` (RFC 9110 12.5.1), for the stock export."""

from __future__ import annotations

from collections.abc import Sequence


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return ranges


def _matches(media_range: str, offered: str) -> bool:
    if media_range in ("*/*", offered):
        return True
    kind, _, subtype = media_range.partition("/")
    return subtype == "*" and offered.startswith(kind + "/")


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers most; the first offered one when there is
    no ``Accept``; ``None`` when nothing offered is acceptable (answer 406)."""
    if accept is None or not accept.strip():
        return offered[0]
    best: tuple[float, int] | None = None
    chosen: str | None = None
    ranges = _ranges(accept)
    for index, media in enumerate(offered):
        qualities = [q for r, q in ranges if _matches(r, media)]
        quality = max(qualities, default=0.0)
        if quality > 0 and (best is None or (quality, -index) > best):
            best, chosen = (quality, -index), media
    return chosen
