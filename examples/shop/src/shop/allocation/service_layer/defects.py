"""Allocation's seeded defects (``SHOP_DEFECTS``), all off by default."""

from __future__ import annotations

from shop.platform.defects import register_defect

MISSING_SCOPE = register_defect(
    "allocation-missing-scope",
    "PATCH /v1/batches/{reference} checks only that the caller is signed in, not that it "
    "holds allocation:write: a customer can change batch quantities (auth).",
)
