"""TokenMinter: valid tokens verify; every broken variant fails a strict verification."""

from __future__ import annotations

import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from assay.client.tokens import (
    TokenMinter,
    decode_unverified,
    keyless_variants,
    public_pem_from_jwks,
)
from assay.errors import AssayError

OPTIONS = {"require": ["exp", "sub", "iss", "aud"]}


def _private_pem(kind: str) -> str:
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    raw = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return raw.decode()


def _verify(token: str, minter: TokenMinter) -> dict[str, object]:
    key = minter.public_key if minter.public_key is not None else minter.key
    decoded: dict[str, object] = jwt.decode(
        token,
        key,
        algorithms=[minter.algorithm],
        audience=minter.audience,
        issuer=minter.issuer,
        options=OPTIONS,  # type: ignore[arg-type]
    )
    return decoded


@pytest.fixture(scope="module")
def rsa_pem() -> str:
    return _private_pem("rsa")


@pytest.mark.parametrize("algorithm", ["HS256", "HS384", "HS512"])
def test_hmac_tokens_carry_the_claims(algorithm: str) -> None:
    minter = TokenMinter("s" * 64, algorithm, issuer="https://id", audience="shop")
    claims = _verify(minter.mint(role="admin", sub="u1"), minter)
    assert claims["role"] == "admin"
    assert claims["sub"] == "u1"


@pytest.mark.parametrize(("kind", "algorithm"), [("rsa", "RS256"), ("ec", "ES256")])
def test_asymmetric_tokens_verify_with_the_derived_public_key(kind: str, algorithm: str) -> None:
    minter = TokenMinter(_private_pem(kind), algorithm, issuer="https://id", audience="shop")
    assert minter.public_key is not None
    assert _verify(minter.mint(), minter)["sub"] == "assay-user"


def test_every_variant_fails_a_strict_verification(rsa_pem: str) -> None:
    minter = TokenMinter(rsa_pem, "RS256", issuer="https://id", audience="shop", kid="k1")
    variants = minter.variants()
    assert set(variants) >= {
        "expired",
        "not_yet_valid",
        "missing_exp",
        "missing_sub",
        "wrong_issuer",
        "missing_issuer",
        "wrong_audience",
        "missing_audience",
        "alg_none",
        "bad_signature",
        "tampered_claims",
        "unknown_kid",
        "algorithm_confusion",
    }
    for name, token in variants.items():
        with pytest.raises(jwt.PyJWTError):
            _verify(token, minter)
        assert decode_unverified(token) is not None, name


def test_the_confusion_variant_is_hmac_signed_with_the_public_key(rsa_pem: str) -> None:
    minter = TokenMinter(rsa_pem, "RS256")
    token = minter.variants()["algorithm_confusion"]
    header, _ = decode_unverified(token) or ({}, {})
    assert header["alg"] == "HS256"
    # What a verifier that trusts the header's algorithm would accept:
    import hashlib
    import hmac

    head, body, signature = token.split(".")
    assert minter.public_key is not None
    expected = hmac.new(minter.public_key.encode(), f"{head}.{body}".encode(), hashlib.sha256)
    assert jwt.utils.base64url_encode(expected.digest()).decode() == signature


def test_keyless_variants_break_a_token_the_service_issued() -> None:
    issued = TokenMinter("secret-" * 8).mint(scope="orders:read")
    variants = keyless_variants(issued)
    assert set(variants) == {"alg_none", "bad_signature", "tampered_claims", "unknown_kid"}
    assert variants["alg_none"].endswith(".")
    tampered = decode_unverified(variants["tampered_claims"])
    assert tampered is not None
    assert "admin" in tampered[1]["scope"]
    assert keyless_variants("not-a-jwt") == {}


def test_the_public_key_comes_from_a_jwks(rsa_pem: str) -> None:
    minter = TokenMinter(rsa_pem, "RS256")
    public = serialization.load_pem_public_key(str(minter.public_key).encode())
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public))
    pem = public_pem_from_jwks({"keys": [{**jwk, "kid": "k1"}]}, "k1")
    assert pem == minter.public_key
    assert public_pem_from_jwks({"keys": []}) is None


def test_an_unknown_algorithm_is_a_usage_error() -> None:
    with pytest.raises(AssayError, match="cannot sign"):
        TokenMinter("k", "XX999")


def test_a_deleted_users_token_names_that_user() -> None:
    minter = TokenMinter("k" * 32)
    claims = decode_unverified(minter.deleted_user("gone-7"))
    assert claims is not None
    assert claims[1]["sub"] == "gone-7"
