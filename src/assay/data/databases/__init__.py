"""Database isolation: per-test transaction rollback (sync and async SQLAlchemy sessions),
and one PostgreSQL database per pytest-xdist worker, cloned from a template that holds
the schema.

The public names are exported from `assay` itself.
"""
