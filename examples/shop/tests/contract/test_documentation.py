"""The shop's spec documents what the shop serves: assay's documentation-accuracy lint
finds no error on it (every route documented, every documented route served, every
example valid)."""

from __future__ import annotations

from fastapi import FastAPI

from assay.contract.accuracy import accuracy_lint, fails
from assay.spec import Spec


def test_the_shop_documents_every_route_it_serves(shop_app: FastAPI, shop_spec: Spec) -> None:
    problems = accuracy_lint(shop_spec, app=shop_app)
    assert not fails(problems, "error"), "\n".join(map(str, problems))
