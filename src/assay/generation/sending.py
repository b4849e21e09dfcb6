"""`send_case`: a `Case` sent through a client, its parameters serialized as the spec says.

The one way a case becomes a request (`case_request`): the engine sends cases with it,
one at a time or as a group at once (`APITestClient.send_together`), and checks that
re-send a variant of a case (an injection's benign twin) use it too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assay.client.messages import APITestRequest
from assay.client.operations import build_call
from assay.generation.cases import ANONYMOUS, Case

if TYPE_CHECKING:
    from assay.client.client import APITestClient
    from assay.client.identities import Identity
    from assay.client.messages import APITestResponse

__all__ = ["case_request", "send_case"]


def case_request(
    case: Case,
    *,
    identity: str | Identity | None = None,
    validate: bool | None = None,
) -> APITestRequest:
    """The request that sends `case`: its parameters serialized as the spec says.

    `identity` defaults to the case's; `validate` to the client's setting. A case whose
    identity is `ANONYMOUS` goes without credentials.
    """
    chosen = identity if identity is not None else case.identity
    if chosen == ANONYMOUS:
        chosen = None
    prepared = build_call(
        case.operation,
        path=case.path_parameters,
        query=case.query,
        headers=case.headers,
        cookies=case.cookies,
    )
    body = case.body_arguments()
    return APITestRequest(
        case.http_method,
        prepared.path,
        query=prepared.query,
        headers={**prepared.headers, **body.pop("headers", {})},
        cookies=prepared.cookies,
        validate=validate,
        identity=chosen,
        timeout=case.timeout,
        **body,
    )


def send_case(
    client: APITestClient,
    case: Case,
    *,
    identity: str | Identity | None = None,
    validate: bool | None = None,
) -> APITestResponse:
    """Send a `Case` through a client (see `case_request`)."""
    return client.send(case_request(case, identity=identity, validate=validate))
