"""Concurrent use of one refresh token: exactly one rotation wins, the family is revoked."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from shop.identity import IdentityRuntime
from shop.identity.refresh_tokens import RefreshRefused
from shop.identity.settings import IdentitySettings


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


def test_seeding_again_when_another_process_seeded_between_look_and_insert(
    runtime: IdentityRuntime, settings: IdentitySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Processes sharing a database start together: each looks, then inserts the same seed
    rows. The one that loses the insert (a unique-key conflict) must start all the same."""
    accounts = runtime.accounts
    looked: list[object] = []
    real_exists, real_user = accounts._exists, accounts.user_by_email

    def exists_late(table: Any, key: str) -> bool:  # the first look misses each row
        looked.append(key)
        return looked.count(key) > 1 and real_exists(table, key)

    def user_late(email: str) -> Any:
        looked.append(email)
        return real_user(email) if looked.count(email) > 1 else None

    monkeypatch.setattr(accounts, "_exists", exists_late)
    monkeypatch.setattr(accounts, "user_by_email", user_late)
    accounts.seed(settings)  # every insert conflicts with the rows already seeded
    assert len(looked) == 2 * (
        len(settings.seed_users) + len(settings.seed_clients) + len(settings.seed_api_keys)
    )


def test_a_seed_insert_failing_for_another_reason_is_not_hidden(
    runtime: IdentityRuntime, settings: IdentitySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = runtime.accounts
    monkeypatch.setattr(accounts, "_exists", lambda table, key: False)
    monkeypatch.setattr(accounts, "user_by_email", lambda email: None)
    monkeypatch.setattr(accounts, "create_user", _conflict)
    with pytest.raises(IntegrityError):
        accounts.seed(settings)


def _conflict(*args: Any, **kwargs: Any) -> str:
    raise IntegrityError("INSERT", {}, Exception("not null constraint failed"))
