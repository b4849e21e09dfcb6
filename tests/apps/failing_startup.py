"""An app whose module raises at import: loading it must be a clear error."""

from __future__ import annotations

raise RuntimeError("database settings missing: set APP_DB")
