"""Probes shared by the corpus apps built on `_security.token_app` (``POST /token``)."""

from __future__ import annotations

from typing import Any

from tests.checks.bench import Probe
from tests.corpus.apps._security import KNOWN_USER, facts, token_identity

__all__ = ["SETTINGS", "UNKNOWN_USER", "burst", "samples"]

UNKNOWN_USER = "nobody@example.invalid"
SETTINGS: dict[str, Any] = {"phases": ("security",), "identities": (token_identity(),)}
_FORM = "application/x-www-form-urlencoded"


def _login(user: str, scenario: dict[str, Any]) -> Probe:
    body = {"grant_type": "password", "username": user, "password": "wrong"}
    return Probe("POST /token", body=body, media_type=_FORM, phase="security", scenario=scenario)


def burst(size: int = 30) -> tuple[Probe, ...]:
    """A burst of failed logins for an unknown user, as the rate-limit probe sends it."""
    return tuple(
        _login(
            UNKNOWN_USER,
            facts("limits", "burst", series="s", credential=True, final=i == size - 1),
        )
        for i in range(size)
    )


def samples(rounds: int = 4) -> tuple[Probe, ...]:
    """Interleaved failed logins, known and unknown user, as the enumeration probe sends them."""
    probes: list[Probe] = []
    users = {"known": KNOWN_USER, "unknown": UNKNOWN_USER}
    for round_ in range(rounds):
        order = ("known", "unknown") if round_ % 2 == 0 else ("unknown", "known")
        for position, who in enumerate(order):
            final = round_ == rounds - 1 and position == 1
            scenario = facts(
                "enumeration",
                "sample",
                series="s",
                user=who,
                users=list(users.values()),
                final=final,
            )
            probes.append(_login(users[who], scenario))
    return tuple(probes)
