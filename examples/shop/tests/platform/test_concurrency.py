"""Strong ETags and If-Match: 428 without it, 412 when stale, success when current."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from shop.platform.concurrency import check_if_match, etag_of
from shop.platform.problems import PreconditionFailed, PreconditionRequired


def test_conditional_update_flow(client: TestClient) -> None:
    widget_id = client.post("/v2/widgets", json={"name": "a"}).json()["id"]
    etag = client.get(f"/v2/widgets/{widget_id}").headers["etag"]
    assert etag == '"1"'
    missing = client.put(f"/v2/widgets/{widget_id}", json={"name": "b"})
    assert missing.status_code == 428
    assert missing.headers["content-type"] == "application/problem+json"
    updated = client.put(f"/v2/widgets/{widget_id}", json={"name": "b"}, headers={"If-Match": etag})
    assert updated.status_code == 200
    assert updated.json()["version"] == 2
    stale = client.put(f"/v2/widgets/{widget_id}", json={"name": "c"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"2"'
    assert client.get(f"/v2/widgets/{widget_id}").json()["name"] == "b"


def test_if_match_comparison_rules() -> None:
    current = etag_of(3)
    check_if_match('"3"', current, required=True)
    check_if_match('"1", "3"', current, required=True)
    check_if_match("*", current, required=True)
    check_if_match(None, current, required=False)
    with pytest.raises(PreconditionFailed):
        check_if_match('W/"3"', current, required=True)  # weak never matches strongly
    with pytest.raises(PreconditionFailed):
        check_if_match('"2"', current, required=False)
    with pytest.raises(PreconditionRequired):
        check_if_match(None, current, required=True)
    with pytest.raises(PreconditionRequired):
        check_if_match("  ", current, required=True)
    assert etag_of('a"b') == '"ab"'
