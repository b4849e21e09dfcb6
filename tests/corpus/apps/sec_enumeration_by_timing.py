"""A token endpoint that hashes the password only when the user exists (timing leak)."""

from __future__ import annotations

import time

from fastapi import FastAPI
from tests.corpus.apps._security import LoginGuard, token_app
from tests.corpus.apps._tokens import SETTINGS, samples

DEFECT = ("user_enumeration", "POST /token")
PROBES = samples()
__all__ = ["DEFECT", "PROBES", "SETTINGS", "clean", "defective"]
HASHING_SECONDS = 0.2  # well above scheduling noise on a loaded 2-core machine


def _hash_if_known(exists: bool) -> None:
    if exists:  # DEFECT: unknown users are refused without the cost of a hash
        time.sleep(HASHING_SECONDS)


def _hash_always(exists: bool) -> None:
    time.sleep(HASHING_SECONDS)  # a dummy hash of the same cost for unknown users


def defective() -> FastAPI:
    return token_app("identity", guard=LoginGuard(), check_cost=_hash_if_known)


def clean() -> FastAPI:
    return token_app("identity", guard=LoginGuard(), check_cost=_hash_always)
