"""Sensitive data in answers: password hashes, secrets, card numbers, hosts, other users.

Every pattern is precise: the shapes of hash formats, vendor key formats and PEM
blocks; card numbers only when Luhn-valid with a real card brand's prefix and length;
secret-named fields only with a real value. What the request itself sent is not a leak
(the caller knows it), nor is a value the spec documents as an example, nor a token or
secret field in the answer to a request that changes state (a login, an API-key
creation returns the new secret once). The scanned values and the shared exemptions
live in `_disclosure`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assay.checks._disclosure import (
    Leaf,
    issues_credentials,
    leaves_of,
    not_leaked,
    raise_exposed,
)
from assay.checks.registry import Exchange, check
from assay.errors import Severity

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext

__all__ = [
    "card_number_exposed",
    "foreign_personal_data",
    "internal_address_exposed",
    "password_hash_exposed",
    "secret_exposed",
]

PASSWORD_HASH = re.compile(
    r"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}|"
    r"\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{8,}\$[A-Za-z0-9+/]{16,}|"
    r"\$scrypt\$ln=\d+,r=\d+,p=\d+\$[./A-Za-z0-9+]{8,}\$[./A-Za-z0-9+]{16,}|"
    r"\bscrypt[$:]\d+[$:]\d+[$:]\d+\$[A-Za-z0-9+/=_.-]{8,}\$[A-Za-z0-9+/=_.-]{16,}|"
    r"\$7\$[./A-Za-z0-9]{11,}\$[./A-Za-z0-9]{43}|"
    r"\bpbkdf2_sha(?:1|256|512)\$\d+\$[A-Za-z0-9./+]{4,}\$[A-Za-z0-9+/=]{20,}|"
    r"\$pbkdf2(?:-sha(?:1|256|512))?\$\d+\$[./A-Za-z0-9+]{4,}\$[./A-Za-z0-9+]{20,}|"
    r"\bpbkdf2:sha(?:1|256|512):\d+\$[A-Za-z0-9]{4,}\$[a-f0-9]{40,}|"
    r"\$[56]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}"
)
PASSWORD_HASH_FIELD = re.compile(r"^(?:password_?hash|hashed_?password|pass_?hash|pwd_?hash)$")
SECRET_TOKEN = re.compile(
    r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----|"
    r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36}\b|"
    r"\bxox[abposr]-[0-9A-Za-z]{6,}-[0-9A-Za-z-]{6,}|\b[sr]k_live_[0-9A-Za-z]{20,}\b|"
    r"\bAIza[0-9A-Za-z_-]{35}\b|\bglpat-[0-9A-Za-z_-]{20}\b"
)
JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
SECRET_FIELD = re.compile(
    r"^(?:password|passwd|pwd|secret|client_?secret|api_?key|apikey|private_?key|"
    r"secret_?key|secret_?access_?key|aws_?secret_?access_?key|signing_?key|"
    r"token_?secret|db_?password|database_?password)$"
)
_MASKED = re.compile(r"^(?:[*•xX#.\-_ ]+|\[?(?:redacted|hidden|masked|removed)\]?)$|\*{3}")
_PLACEHOLDER = re.compile(r"EXAMPLE|example|changeme|<[^>]+>|\{\{|\$\{")


def _hash_in(leaf: Leaf) -> str | None:
    found = PASSWORD_HASH.search(leaf.value)
    if found is not None:
        return found.group(0)
    if leaf.key and PASSWORD_HASH_FIELD.match(_key(leaf.key)) and len(leaf.value) >= 16:
        return leaf.value
    return None


def _key(key: str) -> str:
    return key.lower().replace("-", "_")


@check(family="exposure", severity=Severity.HIGH)
def password_hash_exposed(ctx: CheckContext, exchange: Exchange) -> None:
    """An answer carries a password hash.

    Fires on the shapes of password hash formats (bcrypt ``$2b$12$…``, argon2
    ``$argon2id$v=19$m=…``, scrypt, PBKDF2 in Django, passlib and Werkzeug forms,
    SHA-crypt ``$6$…``) anywhere in an answer, and on non-empty values of fields named
    ``password_hash`` / ``hashed_password``. A hash lets an attacker guess the password
    offline at full speed; no API answer needs it (CWE-522).
    """
    for leaf in leaves_of(exchange):
        found = _hash_in(leaf)
        if found is not None and not_leaked(ctx, exchange, found):
            raise_exposed(
                ctx, exchange, leaf, found, check="password_hash_exposed", what="a password hash"
            )


def _secret_in(leaf: Leaf, issuing: bool) -> str | None:
    found = SECRET_TOKEN.search(leaf.value)
    if found is not None and not _PLACEHOLDER.search(found.group(0)):
        return found.group(0)
    if issuing:
        return None
    token = JWT.search(leaf.value)
    if token is not None:
        return token.group(0)
    if leaf.key and SECRET_FIELD.match(_key(leaf.key)) and _real_secret(leaf.value):
        return leaf.value
    return None


def _real_secret(value: str) -> bool:
    return len(value) >= 6 and not _MASKED.search(value) and not _PLACEHOLDER.search(value)


@check(family="exposure", severity=Severity.HIGH)
def secret_exposed(ctx: CheckContext, exchange: Exchange) -> None:
    """An answer carries a secret: a private key, a cloud or vendor key, a token, a password.

    Fires on PEM private key blocks, AWS access key ids (``AKIA…``), GitHub, GitLab,
    Slack, Stripe live and Google API keys in any answer; and on JWTs and real values
    of fields named ``password``, ``secret``, ``client_secret``, ``api_key``,
    ``private_key``… in answers to reads (GET, except the OAuth2 token URL): a login, a
    key creation or a webhook registration rightly returns the new secret once. Masked
    values such as ``****`` are fine. A leaked secret gives its holder's access to
    anyone who reads the answer (CWE-200).
    """
    issuing = issues_credentials(ctx, exchange)
    for leaf in leaves_of(exchange):
        found = _secret_in(leaf, issuing)
        if found is not None and not_leaked(ctx, exchange, found):
            raise_exposed(ctx, exchange, leaf, found, check="secret_exposed", what="a secret")


CARD_TEXT = re.compile(r"(?<![\w.-])(?:\d[ -]?){12,18}\d(?![\w.-])")
_ID_KEY = re.compile(
    r"(?:^|_)(?:id|ids|uuid|key|ref|reference|seq|sequence|version|nonce|count|total|"
    r"amount|size|ts|timestamp|time|at|date|epoch|cursor|offset|hash|checksum)$|"
    r"^(?:order|invoice|tracking|phone|serial|confirmation|booking|ticket|reference)_?"
    r"(?:number|no|num)$"
)
_BRANDS = (
    (re.compile(r"^4"), (13, 16, 19)),
    (re.compile(r"^(?:5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720))"), (16,)),
    (re.compile(r"^3[47]"), (15,)),
    (re.compile(r"^(?:6011|65|64[4-9])"), (16, 19)),
    (re.compile(r"^35(?:2[89]|[3-8]\d)"), (16,)),
    (re.compile(r"^3(?:0[0-5]|[689])"), (14,)),
)


def luhn(digits: str) -> bool:
    """The Luhn checksum of a digit string."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def card_number(text: str) -> str | None:
    """The digits of `text` when it is a plausible card number (brand, length, Luhn)."""
    digits = re.sub(r"[ -]", "", text)
    if not digits.isdigit() or len(set(digits)) < 3:
        return None
    for prefix, lengths in _BRANDS:
        if prefix.match(digits) and len(digits) in lengths and luhn(digits):
            return digits
    return None


def _cards_in(leaf: Leaf) -> list[str]:
    if leaf.key and _ID_KEY.search(_key(leaf.key)):
        return []
    if leaf.number:
        found = card_number(leaf.value)
        return [leaf.value] if found else []
    return [m.group(0) for m in CARD_TEXT.finditer(leaf.value) if card_number(m.group(0))]


@check(family="exposure", severity=Severity.HIGH)
def card_number_exposed(ctx: CheckContext, exchange: Exchange) -> None:
    """An answer carries a full payment card number.

    Fires on 13 to 19 digits (optionally grouped by spaces or dashes) that pass the Luhn
    checksum and start with a card brand's prefix at that brand's length (Visa,
    Mastercard, Amex, Discover, JCB, Diners), outside fields named like identifiers,
    counters or timestamps. Masked numbers (``**** 4242``) are fine. Full card numbers
    in answers break PCI DSS and let anyone who reads them pay with the card (CWE-359).
    """
    for leaf in leaves_of(exchange):
        for found in _cards_in(leaf):
            if not_leaked(ctx, exchange, found):
                raise_exposed(
                    ctx, exchange, leaf, found, check="card_number_exposed", what="a card number"
                )


INTERNAL_URL = re.compile(
    r"\b[a-z][a-z0-9+.-]{1,15}://(?:[^\s/@\"']+@)?(?P<host>[A-Za-z0-9.-]+)(?::\d{2,5})?"
)
INTERNAL_HOST = re.compile(
    r"(?<![\w.-])(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:internal|local|localdomain|lan|"
    r"intranet|corp|svc|consul))(?::\d{2,5})?(?![\w-])",
    re.IGNORECASE,
)
PRIVATE_IP = re.compile(
    r"(?<![\w.-])(?P<host>10(?:\.\d{1,3}){3}|"
    r"(?:172\.(?:1[6-9]|2\d|3[01])|192\.168)(?:\.\d{1,3}){2})"
    r"(?::\d{2,5})?(?![\w.-])"
)
_LOOPBACK = re.compile(r"^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[?::1\]?)$", re.IGNORECASE)


def _internal(host: str, own: str) -> bool:
    host = host.lower().rstrip(".")
    if host == own or _LOOPBACK.match(host):
        return False
    if PRIVATE_IP.fullmatch(host):
        return all(int(part) <= 255 for part in host.split("."))
    return "." not in host or INTERNAL_HOST.fullmatch(host) is not None


def _addresses_in(leaf: Leaf, own: str) -> list[str]:
    found = [m.group(0) for m in INTERNAL_URL.finditer(leaf.value) if _internal(m["host"], own)]
    for pattern in (INTERNAL_HOST, PRIVATE_IP):
        found += [m.group(0) for m in pattern.finditer(leaf.value) if _internal(m["host"], own)]
    return found


@check(family="exposure", severity=Severity.MEDIUM)
def internal_address_exposed(ctx: CheckContext, exchange: Exchange) -> None:
    """An error answer names an internal host: a private IP, an internal DNS name or URL.

    Fires on error answers (4xx/5xx) holding a private IPv4 address (10/8, 172.16/12,
    192.168/16), a host under an internal suffix (``.internal``, ``.local``,
    ``.svc``, ``.cluster.local``, ``.consul``, ``.corp``, ``.lan``…), or a URL whose
    host is one of those or a single-label service name (``http://payments:8000``).
    Loopback and the target's own host are not reported. Internal addresses map the
    network behind the service for an attacker (CWE-209).
    """
    if exchange.status < 400:
        return
    own = (exchange.response.request.url.host or "").lower()
    for leaf in leaves_of(exchange):
        for found in _addresses_in(leaf, own):
            if not_leaked(ctx, exchange, found):
                raise_exposed(
                    ctx,
                    exchange,
                    leaf,
                    found,
                    check="internal_address_exposed",
                    what="an internal address",
                    owasp="API8:2023 Security Misconfiguration",
                )


EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PRIVILEGED_ROLES = frozenset(
    {"admin", "administrator", "staff", "support", "operator", "superuser", "root", "service"}
)


def _other_users(ctx: CheckContext, name: str | None) -> dict[str, str]:
    """The e-mail addresses other identities log in with (none for a privileged sender)."""
    identities = ctx.client.identities
    sender = identities.get(name or "")
    if sender is None or not sender.roles or sender.roles & PRIVILEGED_ROLES:
        return {}
    own = sender.login.username.lower() if sender.login else ""
    found: dict[str, str] = {}
    for other in identities.values():
        login = other.login
        if other.name != sender.name and login is not None and EMAIL.fullmatch(login.username):
            found[login.username.lower()] = other.name
    found.pop(own, None)
    return found


@check(family="exposure", severity=Severity.HIGH)
def foreign_personal_data(ctx: CheckContext, exchange: Exchange) -> None:
    """An answer to one user carries the e-mail address another configured user logs in with.

    Fires when the request was sent as an identity that declares roles, none of them
    privileged (``admin``, ``staff``, ``support``, ``operator``, ``service``…), and the
    answer holds the login e-mail of another configured identity that the request did
    not send and the spec does not document. One customer sees another's personal data:
    a listing or a read that does not filter by owner, or a field that should not be
    public (CWE-359). Needs two or more identities that log in with e-mail addresses.
    """
    others = _other_users(ctx, exchange.case.identity)
    if not others:
        return
    for leaf in leaves_of(exchange):
        for match in EMAIL.finditer(leaf.value):
            owner = others.get(match.group(0).lower())
            if owner is not None and not_leaked(ctx, exchange, match.group(0)):
                raise_exposed(
                    ctx,
                    exchange,
                    leaf,
                    match.group(0),
                    check="foreign_personal_data",
                    what=f"the e-mail address of {owner!r}",
                )
