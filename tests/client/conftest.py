"""Fixtures for the client tests: the notes app and a client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from tests.client.notes_app import make_app

from assay.client import APITestClient


@pytest.fixture
def events() -> list[str]:
    return []


@pytest.fixture
def app(events: list[str]) -> FastAPI:
    return make_app(events)


@pytest.fixture
def client(app: FastAPI) -> Iterator[APITestClient]:
    with APITestClient(app, spec=None) as api:
        yield api
