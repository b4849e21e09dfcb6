"""Security schemes of every type, and the effective requirements of each operation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assay.errors import AssayError
from assay.spec import Spec, load


@pytest.fixture(scope="module")
def petstore() -> Spec:
    return load(Path(__file__).parent / "documents" / "petstore-30.yaml")


def _labels(spec: Spec, operation_id: str) -> list[str]:
    return [r.label() for r in spec.operation(operation_id).security]


def test_every_scheme_type(petstore: Spec) -> None:
    kinds = {name: scheme.kind for name, scheme in petstore.security_schemes.items()}
    assert kinds == {
        "bearer": "bearer",
        "basic": "basic",
        "apiKeyHeader": "apiKey:header",
        "apiKeyQuery": "apiKey:query",
        "cookieKey": "apiKey:cookie",
        "oauth": "oauth2",
        "oidc": "openIdConnect",
        "mtls": "mutualTLS",
    }


def test_scheme_details(petstore: Spec) -> None:
    schemes = petstore.security_schemes
    assert schemes["bearer"].bearer_format == "JWT"
    assert (schemes["apiKeyHeader"].location, schemes["apiKeyHeader"].parameter_name) == (
        "header",
        "X-API-Key",
    )
    assert schemes["cookieKey"].parameter_name == "session_id"
    assert schemes["oidc"].open_id_connect_url == (
        "https://auth.example.com/.well-known/openid-configuration"
    )
    assert schemes["mtls"].description == "client certificates"
    assert schemes["oauth"].pointer == "#/components/securitySchemes/oauth"


def test_oauth2_flows_and_scopes(petstore: Spec) -> None:
    flows = petstore.security_schemes["oauth"].flows
    assert set(flows) == {"implicit", "password", "clientCredentials", "authorizationCode"}
    assert flows["implicit"].authorization_url == "https://auth.example.com/authorize"
    assert flows["password"].token_url == "https://auth.example.com/token"
    assert flows["clientCredentials"].refresh_url == "https://auth.example.com/refresh"
    assert flows["authorizationCode"].scopes == {
        "pets:read": "read pets",
        "pets:write": "write pets",
    }


def test_global_security_is_inherited(petstore: Spec) -> None:
    assert _labels(petstore, "getLabels") == ["bearer"]
    assert petstore.operation("getLabels").requires_auth
    assert [r.label() for r in petstore.security] == ["bearer"]


def test_operation_security_with_an_anonymous_alternative(petstore: Spec) -> None:
    op = petstore.operation("listPets")
    assert _labels(petstore, "listPets") == ["none", "apiKeyHeader"]
    assert op.security[0].is_anonymous
    assert not op.requires_auth


def test_and_requirements_with_scopes(petstore: Spec) -> None:
    assert _labels(petstore, "createPet") == ["oauth[pets:write] + apiKeyQuery", "basic"]


def test_empty_security_list_makes_an_operation_public(petstore: Spec) -> None:
    op = petstore.operation("getPet")
    assert op.security == ()
    assert not op.requires_auth


def test_cookie_openid_and_mutual_tls_requirements(petstore: Spec) -> None:
    assert _labels(petstore, "deletePet") == ["cookieKey", "oidc[openid]", "mtls"]


def _document(schemes: dict[str, Any], security: list[Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"security": security, "responses": {"200": {"description": "ok"}}}}
        },
        "components": {"securitySchemes": schemes},
    }


def test_requirement_naming_an_undefined_scheme() -> None:
    document = _document({"bearer": {"type": "http", "scheme": "bearer"}}, [{"jwt": []}])
    with pytest.raises(AssayError) as info:
        load(document)
    assert str(info.value).startswith(
        "#/paths/~1a/get/security/0: security requirement names scheme 'jwt', which is not "
        "defined in components.securitySchemes (defined: bearer)"
    )


def test_global_requirement_naming_an_undefined_scheme() -> None:
    document = {**_document({}, []), "security": [{"oauth": ["read"]}]}
    with pytest.raises(AssayError) as info:
        load(document)
    assert str(info.value).startswith(
        "#/security/0: security requirement names scheme 'oauth', which is not defined in "
        "components.securitySchemes (defined: none)"
    )


@pytest.mark.parametrize(
    ("scheme", "message"),
    [
        ({"type": "token"}, "security scheme 'x' has type 'token'; expected one of apiKey, http"),
        ({"type": "apiKey", "in": "body", "name": "k"}, "apiKey security scheme has 'in' 'body'"),
        ({"type": "apiKey", "in": "header"}, "apiKey security scheme has no 'name'"),
        ({"type": "http"}, "http security scheme has no 'scheme'"),
        ({"type": "oauth2"}, "oauth2 security scheme has no 'flows'"),
        ({"type": "oauth2", "flows": {"magic": {}}}, "unknown OAuth2 flow 'magic'"),
    ],
)
def test_invalid_schemes(scheme: dict[str, Any], message: str) -> None:
    with pytest.raises(AssayError) as info:
        load(_document({"x": scheme}, []))
    text = str(info.value)
    assert text.startswith("#/components/securitySchemes/x")
    assert message in text
