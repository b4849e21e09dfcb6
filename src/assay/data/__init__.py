"""Test data and isolation: builders and factories, database and broker isolation,
cleanup of what a test created, and the environment manager that runs services.

The public names are exported from `assay` itself; this package holds no re-exports.
"""
