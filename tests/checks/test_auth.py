"""Auth checks: each fires on the credential-matrix case it judges, and only there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.checks.bench import Bench, Probe
from tests.corpus.apps._auth import credential_probe, notes_app, variant_token

from assay.checks.auth import variant_of
from assay.errors import Severity


@pytest.fixture
def defective() -> Iterator[Bench]:
    bench = Bench(notes_app("alg_none", "no_auth", "no_exp_check"))
    yield bench
    bench.close()


@pytest.fixture
def clean() -> Iterator[Bench]:
    bench = Bench(notes_app())
    yield bench
    bench.close()


def test_a_protected_operation_served_without_credentials_is_found(defective: Bench) -> None:
    [found] = defective.fired(
        "authentication_not_enforced", credential_probe("GET /notes", "none", "")
    )
    assert found.evidence["cwe"].startswith("CWE-306")
    assert found.evidence["owasp"].startswith("API2:2023")
    assert found.evidence["requests"]["as_probed"]["status"] == 200


@pytest.mark.parametrize("variant", ["alg_none", "expired"])
def test_broken_tokens_accepted_are_found(defective: Bench, variant: str) -> None:
    probe = credential_probe("GET /notes", variant, variant_token(variant))
    [found] = defective.fired("invalid_credentials_accepted", probe)
    assert found.evidence["variant"] == variant
    assert found.signature == variant


def test_a_correct_api_refuses_every_variant_silently(clean: Bench) -> None:
    from tests.corpus.apps._auth import minter

    variants = minter().variants(sub="ana", scope="notes:read")
    probes = [credential_probe("GET /notes", name, token) for name, token in variants.items()]
    probes.append(credential_probe("GET /notes", "none", ""))
    assert clean.findings(*probes) == []


def test_answers_outside_the_credential_matrix_are_not_judged(defective: Bench) -> None:
    # No credentials, answered 200, but not an auth-phase credential case.
    probe = Probe("GET /notes", phase="examples")
    assert defective.fired("authentication_not_enforced", probe) == []
    assert variant_of(defective.send(probe)) is None


def test_a_401_without_a_challenge_is_found_and_one_with_it_is_not(clean: Bench) -> None:
    bare = Bench(notes_app("no_challenge"))
    try:
        probe = credential_probe("GET /notes", "none", "")
        [found] = bare.fired("missing_auth_challenge", probe)
        assert found.severity is Severity.LOW
    finally:
        bare.close()
    assert clean.fired("missing_auth_challenge", credential_probe("GET /notes", "none", "")) == []
