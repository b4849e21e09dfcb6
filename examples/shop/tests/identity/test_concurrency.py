"""Concurrent use of one refresh token: exactly one rotation wins, the family is revoked."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from shop.identity import IdentityRuntime
from shop.identity.refresh_tokens import RefreshRefused


def race_refresh(runtime: IdentityRuntime, racers: int = 8) -> list[bool]:
    """Use one refresh token from ``racers`` threads at once; which ones succeeded."""
    user = runtime.accounts.user_by_email("ada@example.com")
    assert user is not None
    grant = runtime.refresh_tokens.start_family(user.id, None, frozenset({"orders:read"}))
    barrier = threading.Barrier(racers)

    def use() -> bool:
        barrier.wait()
        try:
            runtime.refresh_tokens.rotate(grant.token, None)
        except RefreshRefused:
            return False
        return True

    with ThreadPoolExecutor(racers) as pool:
        outcomes = list(pool.map(lambda _: use(), range(racers)))
    assert runtime.refresh_tokens.family_revoked(grant.family_id)
    return outcomes


def test_exactly_one_concurrent_rotation_wins(runtime: IdentityRuntime) -> None:
    assert sorted(race_refresh(runtime)) == [False] * 7 + [True]
