"""The test client layer: APITestClient, identities, transports and assertions."""

from assay.client.asgi import AppRunner, LifespanError
from assay.client.client import APITestClient
from assay.client.expectations import Expectations
from assay.client.identities import Identity, TokenState
from assay.client.messages import APITestRequest, APITestResponse
from assay.client.network import ConnectionProblem
from assay.client.transports import ASGIAppTransport, Exchange, Recorder, RecordingTransport

__all__ = [
    "APITestClient",
    "APITestRequest",
    "APITestResponse",
    "ASGIAppTransport",
    "AppRunner",
    "ConnectionProblem",
    "Exchange",
    "Expectations",
    "Identity",
    "LifespanError",
    "Recorder",
    "RecordingTransport",
    "TokenState",
]
