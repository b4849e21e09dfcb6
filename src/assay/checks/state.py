"""State: does what a request changed stay changed, for its owner only, exactly once?

These checks judge the steps of the stateful phase's scenarios (`assay.generation.
stateful`): each step's case carries ``Case.scenario`` with the step's name and the
facts of the steps before it (what was sent, what the producer answered, who owns the
item). Exchanges of other phases, and steps the scenario could not set up cleanly, are
never judged.

Eventual consistency: before a read that contradicts an earlier step is reported, it
is sent once more after a short wait (`SETTLE_SECONDS`); only a contradiction that
survives the second read is a finding, with both answers in the evidence. Answers that
are conclusive by themselves (another user's request succeeding, a second resource
created for one idempotency key) are not re-sent.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assay.checks import _scenario as scenario
from assay.checks import invariants  # noqa: F401 - registers its checks with the state family
from assay.checks._readback import differing_fields, stale_fields
from assay.checks._scenario import SETTLE_SECONDS
from assay.checks.registry import check
from assay.errors import Severity
from assay.generation.steps import (
    STEP_CONCURRENT,
    STEP_CROSS_DELETE,
    STEP_CROSS_MODIFY,
    STEP_CROSS_READ,
    STEP_DUPLICATE,
    STEP_LIST,
    STEP_READ_AFTER_CREATE,
    STEP_READ_AFTER_DELETE,
    STEP_READ_AFTER_UPDATE,
)

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange

__all__ = [
    "cross_user_access",
    "duplicate_request_broke_invariant",
    "resource_available_after_delete",
    "resource_missing_after_create",
    "update_not_visible",
]

_GONE = frozenset({404, 410})
_GROUPS = "state.concurrent_groups"
_GROUP_LOCK = threading.Lock()


# -- created, then missing ---------------------------------------------------------------------


@check(family="state", phases=("stateful",), severity=Severity.HIGH)
def resource_missing_after_create(ctx: CheckContext, exchange: Exchange) -> None:
    """What a POST just created cannot be read back, or reads back different, or is unlisted.

    Judged after a creation answered 200 or 201 (a 202 promises nothing yet), with the
    item's id taken from that answer, by the same identity. Fires when:

    * reading the item answers 404 or 410 — the answer said it was created, yet it
      does not exist (a write that was not persisted, an id that points nowhere);
    * reading it shows another value for a field both the request schema and the
      read's response schema have, where the creation's own answer echoed the value as
      sent (or did not show the field) — the data written is not the data stored.
      Server-moved fields (status, state, timestamps of change, versions) and read- or
      write-only ones are never compared;
    * the collection's list, whose answer provably shows the whole collection (see
      `assay.generation.listing`), does not include the item. A paginated list that
      may show the item on a later page is never judged.

    Each contradiction is re-read once after a short wait before it is reported.
    """
    facts = scenario.facts(exchange, STEP_READ_AFTER_CREATE, STEP_LIST)
    if facts is None or not facts.get("judged"):
        return
    if facts["step"] == STEP_LIST:
        _judge_listing(ctx, exchange, facts)
    elif exchange.status in _GONE:
        _judge_gone(ctx, exchange, facts)
    elif 200 <= exchange.status < 300:
        _judge_fields(ctx, exchange, facts)


def _judge_gone(ctx: CheckContext, exchange: Exchange, facts: Mapping[str, Any]) -> None:
    second = scenario.confirmed(ctx, exchange, lambda r: r.status_code in _GONE)
    if second is None:
        return
    raise scenario.finding(
        ctx,
        exchange,
        f"the item just created answers {exchange.status}",
        check="resource_missing_after_create",
        detail=(
            f"The creation answered {facts.get('create_status')} with id {facts.get('id')!r}, "
            f"but reading {facts.get('resource')} answered {exchange.status}, and again "
            f"{second.status_code} after {SETTLE_SECONDS}s. Expected the created item. Check "
            "that the creation is committed before it answers and that the id it returns "
            "is the one the item is stored under."
        ),
        facts=facts,
        signature="not readable",
        id=facts.get("id"),
    )


def _field_mismatches(facts: Mapping[str, Any], body: Any) -> dict[str, Any]:
    return differing_fields(facts.get("sent"), facts.get("created"), body, facts.get("fields"))


def _judge_fields(ctx: CheckContext, exchange: Exchange, facts: Mapping[str, Any]) -> None:
    found = _field_mismatches(facts, scenario.json(exchange.response))
    if not found:
        return
    second = scenario.confirmed(
        ctx, exchange, lambda r: bool(_field_mismatches(facts, scenario.json(r)))
    )
    if second is None:
        return
    names = ", ".join(sorted(found))
    raise scenario.finding(
        ctx,
        exchange,
        f"the item just created reads back with other values ({names})",
        check="resource_missing_after_create",
        detail=(
            f"Fields sent on creation read back differently from {facts.get('resource')}: "
            + "; ".join(f"{k}: sent {v[0]!r}, read {v[1]!r}" for k, v in sorted(found.items()))
            + ". Expected the values the creation accepted. Check that every field of the "
            "request is stored and read back from the same place."
        ),
        facts=facts,
        signature="fields differ",
        fields={k: {"sent": v[0], "read": v[1]} for k, v in found.items()},
    )


def _judge_listing(ctx: CheckContext, exchange: Exchange, facts: Mapping[str, Any]) -> None:
    if facts.get("id") is None or scenario.listed(facts, exchange.response) is not False:
        return
    if scenario.confirmed(ctx, exchange, lambda r: scenario.listed(facts, r) is False) is None:
        return
    raise scenario.finding(
        ctx,
        exchange,
        "the item just created is missing from the complete list",
        check="resource_missing_after_create",
        detail=(
            f"The list answered every item of the collection (no further page), twice, but "
            f"not the item {facts.get('id')!r} created just before. Expected it to be listed. "
            "Check the list's query (filters, joins, the transaction it reads in)."
        ),
        facts=facts,
        signature="not listed",
        id=facts.get("id"),
    )


# -- updated, then stale -----------------------------------------------------------------------


def _stale(facts: Mapping[str, Any], body: Any) -> dict[str, Any]:
    return stale_fields(
        facts.get("before"), facts.get("sent"), facts.get("updated"), body, facts.get("fields")
    )


@check(family="state", phases=("stateful",), severity=Severity.HIGH)
def update_not_visible(ctx: CheckContext, exchange: Exchange) -> None:
    """A read right after a successful PUT/PATCH still shows the old value.

    Judged on the read that follows a 2xx update of an item the scenario created, by
    the same identity. For each field the update sent (and both the update's request
    schema and the read's response schema have), with a new value different from the
    one read before: fires when the read shows the *old* value — the update said it
    applied, yet nothing changed. A read showing a third value (normalised, computed) is
    not judged; neither is a field the update's own answer showed differently from
    what was sent. Re-read once after a short wait before it is reported.
    """
    facts = scenario.facts(exchange, STEP_READ_AFTER_UPDATE)
    if facts is None or not 200 <= exchange.status < 300:
        return
    found = _stale(facts, scenario.json(exchange.response))
    if not found:
        return
    if scenario.confirmed(ctx, exchange, lambda r: bool(_stale(facts, scenario.json(r)))) is None:
        return
    names = ", ".join(sorted(found))
    raise scenario.finding(
        ctx,
        exchange,
        f"the {facts.get('method', 'update')} was answered {facts.get('update_status')} "
        f"but {names} kept the old value",
        check="update_not_visible",
        detail=(
            "; ".join(f"{k}: sent {v[0]!r}, still reads {v[1]!r}" for k, v in sorted(found.items()))
            + ". Expected the new values. Check that the update writes every field it "
            "accepts and commits before it answers."
        ),
        facts=facts,
        signature=str(facts.get("method")),
        fields={k: {"sent": v[0], "read": v[1]} for k, v in found.items()},
    )


# -- deleted, then still there -----------------------------------------------------------------


@check(family="state", phases=("stateful",), severity=Severity.HIGH)
def resource_available_after_delete(ctx: CheckContext, exchange: Exchange) -> None:
    """An item still reads back after its DELETE was answered 200 or 204.

    Judged on the read that follows a successful DELETE of an item the scenario created,
    by the same identity. Fires when that read answers 2xx (re-read once after a short
    wait): the API said the item was deleted, but it is still served. Not reported: a
    DELETE answered 202 (deletion accepted for later), a read answering 404 or 410 (the
    correct answers, FastAPI's usual 404 included), and a body that marks the item as
    deleted or archived (a soft delete that says so). A second DELETE may answer 404 or
    2xx; a 5xx there is `server_error`'s.
    """
    facts = scenario.facts(exchange, STEP_READ_AFTER_DELETE)
    if facts is None or facts.get("delete_status") not in (200, 204):
        return
    if not scenario.still_there(exchange.response):
        return
    second = scenario.confirmed(ctx, exchange, scenario.still_there)
    if second is None:
        return
    raise scenario.finding(
        ctx,
        exchange,
        f"the item still answers {exchange.status} after its DELETE answered "
        f"{facts.get('delete_status')}",
        check="resource_available_after_delete",
        detail=(
            f"{facts.get('resource')} with id {facts.get('id')!r} was deleted (the DELETE "
            f"answered {facts.get('delete_status')}), yet reading it answered "
            f"{exchange.status}, and {second.status_code} again after {SETTLE_SECONDS}s. "
            "Expected 404 or 410. Check that the delete is committed, and that reads do not "
            "come from a cache the delete does not invalidate."
        ),
        facts=facts,
        signature="readable after delete",
        id=facts.get("id"),
    )


# -- another user ------------------------------------------------------------------------------

_VERBS = {STEP_CROSS_READ: "read", STEP_CROSS_MODIFY: "modify", STEP_CROSS_DELETE: "delete"}


@check(family="state", phases=("stateful",), severity=Severity.CRITICAL)
def cross_user_access(ctx: CheckContext, exchange: Exchange) -> None:
    """One identity could read, modify or delete an item another identity created.

    Judged only when two or more identities are configured, on operations that declare
    security, for items the API demonstrably treats as owned (a server-set owner field
    that differs between the identities, or per-identity lists — see
    `assay.generation.ownership`). Fires when the other identity's GET, PUT/PATCH or
    DELETE of the owner's item answers 2xx: broken object-level authorization (OWASP
    API1), one user's data exposed to or changed by another. 403 and 404 are the
    correct answers.
    """
    facts = scenario.facts(exchange, *_VERBS)
    if facts is None or not 200 <= exchange.status < 300:
        return
    owner, intruder = facts.get("owner"), facts.get("intruder")
    sent_as = exchange.case.identity
    if not owner or sent_as != intruder or sent_as == owner:
        return
    if not exchange.case.operation.requires_auth:
        return
    verb = _VERBS[str(facts["step"])]
    raise scenario.finding(
        ctx,
        exchange,
        f"{intruder} could {verb} an item {owner} created",
        check="cross_user_access",
        detail=(
            f"{exchange.case.http_method} {facts.get('resource')} (id {facts.get('id')!r}, "
            f"created by {owner}) sent as {intruder} answered {exchange.status}. Items are "
            f"owned ({facts.get('proof')}). Expected 403 or 404. Check that the operation "
            "compares the item's owner with the caller."
        ),
        facts=facts,
        signature=verb,
        owner=owner,
        identity=intruder,
    )


# -- sent twice ----------------------------------------------------------------------------------


@check(family="state", phases=("stateful",), severity=Severity.HIGH)
def duplicate_request_broke_invariant(ctx: CheckContext, exchange: Exchange) -> None:
    """Sending one creating request again (or N at once) created more than one resource.

    Fires when, for a POST that declares an ``Idempotency-Key`` header, a replay with
    the same key and body — in a row or concurrently — answers 2xx naming a different
    resource (id or ``Location``) than the first: the client retried and was charged or
    booked twice. Without a key, fires only where the API declares the resource unique
    (a documented 409/422/400 saying "already exists"/"duplicate", or ``x-unique``) and
    two identical requests both answered 2xx with different ids: a race or a missing
    constraint double-books. Answers without an id are not judged; a 409 to a replay
    is not reported (conservative), a 5xx is `server_error`'s.
    """
    facts = scenario.facts(exchange, STEP_DUPLICATE, STEP_CONCURRENT)
    if facts is None or not (facts.get("key") or facts.get("unique")):
        return
    if facts["step"] == STEP_CONCURRENT:
        _judge_group(ctx, exchange, facts)
        return
    first = scenario.first_id(facts)
    again = scenario.id_of(exchange.response, facts.get("id_fields"))
    if not 200 <= exchange.status < 300 or first is None or again is None or first == again:
        return
    _raise_duplicate(ctx, exchange, facts, [first, again], "in a row")


def _judge_group(ctx: CheckContext, exchange: Exchange, facts: Mapping[str, Any]) -> None:
    entry = (exchange.status, scenario.id_of(exchange.response, facts.get("id_fields")))
    with _GROUP_LOCK:
        groups: dict[str, list[tuple[int, str | None]]] = ctx.memory.setdefault(_GROUPS, {})
        arrived = groups.setdefault(str(facts.get("group")), [])
        arrived.append(entry)
        if len(arrived) < int(facts.get("size") or 0):
            return
        answers = list(arrived)
    ids = sorted({i for status, i in answers if 200 <= status < 300 and i is not None})
    if len(ids) > 1:
        _raise_duplicate(ctx, exchange, facts, ids, f"concurrently ({facts.get('mode')})")


def _raise_duplicate(
    ctx: CheckContext, exchange: Exchange, facts: Mapping[str, Any], ids: list[str], how: str
) -> None:
    key = facts.get("key")
    why = (
        f"with the same Idempotency-Key {key!r}"
        if key
        else f"although the API declares it unique ({facts.get('unique')})"
    )
    raise scenario.finding(
        ctx,
        exchange,
        f"the same request sent {how} created {len(ids)} resources",
        check="duplicate_request_broke_invariant",
        detail=(
            f"Identical {exchange.case.label} requests {why}, sent {how}, were each answered "
            f"2xx with different resources: {', '.join(ids)}. Expected one resource (a replay "
            "answered with the first result, or a refusal). Check the idempotency store "
            "or the unique constraint, and that it is enforced atomically."
        ),
        facts=facts,
        signature=f"{'key' if key else 'unique'} {how.split(maxsplit=1)[0]}",
        ids=ids,
    )
