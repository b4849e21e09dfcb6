"""CORS checks: what is allowed on purpose stays silent."""

from __future__ import annotations

from fastapi import FastAPI
from tests.checks.conftest import MakeBench
from tests.corpus.apps._cors import ALLOWED, catalogue, preflight, request_from

from assay.generation.security.cors import PROBE_ORIGIN

CORS_CHECKS = (
    "cors_origin_reflected",
    "cors_null_origin",
    "cors_wildcard_with_credentials",
    "cors_preflight_too_permissive",
)


def _found(bench: MakeBench, app: FastAPI) -> set[str]:
    probes = (
        request_from(PROBE_ORIGIN),
        request_from("null"),
        request_from(ALLOWED),
        preflight("method", "DELETE", header=False),
        preflight("header", "GET", header=True),
    )
    return {f.check for f in bench(app).findings(*probes, checks=CORS_CHECKS)}


def test_a_service_without_cors_is_silent(bench: MakeBench) -> None:
    assert _found(bench, catalogue("plain", allow_origins=[])) == set()


def test_the_configured_origin_may_be_echoed_with_credentials(bench: MakeBench) -> None:
    app = catalogue("shop", allow_origins=[ALLOWED], allow_credentials=True)
    assert _found(bench, app) == set()


def test_a_public_api_may_allow_every_origin_without_credentials(bench: MakeBench) -> None:
    app = catalogue("public", allow_origins=["*"], allow_methods=["GET"])
    assert _found(bench, app) == set()


def test_starlette_wildcard_with_credentials_reflects_every_origin(bench: MakeBench) -> None:
    app = catalogue("shop", allow_origins=["*"], allow_credentials=True)
    found = bench(app).fired("cors_origin_reflected", request_from(PROBE_ORIGIN))
    assert [f.severity.name for f in found] == ["HIGH"]
    assert found[0].evidence["cwe"] == "CWE-942"


def test_a_reflected_origin_without_credentials_is_medium(bench: MakeBench) -> None:
    app = catalogue("shop", allow_origin_regex=".*")
    found = bench(app).fired("cors_origin_reflected", request_from(PROBE_ORIGIN))
    assert [f.severity.name for f in found] == ["MEDIUM"]


def test_a_refused_preflight_grants_nothing(bench: MakeBench) -> None:
    app = catalogue("shop", allow_origins=[ALLOWED], allow_headers=["Content-Type"])
    probe = preflight("header", "GET", header=True)
    assert bench(app).fired("cors_preflight_too_permissive", probe) == []
