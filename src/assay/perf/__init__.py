"""Performance: measurements of the system under test.

Today: database statements counted per request (`assay.perf.queries`), which the N+1
check and hand-written tests (``assay.count_queries()``) use. The public names are
exported from `assay` itself; this package holds no re-exports.
"""
