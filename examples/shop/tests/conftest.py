"""What every shop test shares: the schema assay's database fixtures build from.

``postgres_database`` (one per xdist worker), ``fresh_postgres_database`` (one per test)
and ``db_session`` (rolled back after each test) all start from a template database
holding this schema, built once.
"""

from __future__ import annotations

import pytest

from assay import DatabaseSchema
from shop.identity import identity_metadata
from shop.platform.database import Base
from shop.platform.schema import import_table_modules


@pytest.fixture(scope="session")
def assay_db_schema() -> DatabaseSchema:
    """Every service table and identity's, as ``create_schema`` makes them."""
    import_table_modules()
    return DatabaseSchema.from_metadata(Base.metadata, identity_metadata, name="shop")
