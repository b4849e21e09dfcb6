"""A module that fails while it is imported (for the import-string tests)."""

raise RuntimeError("configuration missing")
