"""Optimistic concurrency over HTTP: strong ETags from a version, ``If-Match`` checks.

A resource with a version column answers ``ETag: etag_of(version)``; an update calls
``check_if_match(request.headers.get("If-Match"), etag_of(current.version), required=True)``
and then bumps the version in the same transaction (compare-and-set on the version in the
``UPDATE ... WHERE version = :seen`` guards the race between check and write).
"""

from __future__ import annotations

from shop.platform.problems import PreconditionFailed, PreconditionRequired


def etag_of(version: int | str) -> str:
    """The strong ETag of a resource version: ``"7"``."""
    text = str(version).replace('"', "").replace("\\", "")
    return f'"{text}"'


def parse_etags(header: str) -> list[str]:
    """The entity tags of an ``If-Match``/``If-None-Match`` value (``*`` kept as is)."""
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def if_match_satisfied(header: str, current_etag: str) -> bool:
    """Strong comparison (RFC 9110 13.1.1): weak tags never match, ``*`` always does."""
    for tag in parse_etags(header):
        if tag == "*" or (not tag.startswith("W/") and tag == current_etag):
            return True
    return False


def check_if_match(request_header: str | None, current_etag: str, required: bool) -> None:
    """Raise 428 when a required ``If-Match`` is missing, 412 when it does not match."""
    if request_header is None or not request_header.strip():
        if required:
            raise PreconditionRequired(
                "This update needs an If-Match header with the resource's current ETag."
            )
        return
    if not if_match_satisfied(request_header, current_etag):
        raise PreconditionFailed(
            "The resource changed since it was read (If-Match does not match its ETag); "
            "read it again and retry.",
            current_etag=current_etag,
        )
