"""A private SQLite database file for a corpus app, removed when the app is collected."""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path

__all__ = ["scratch_database"]


def scratch_database(owner: object, driver: str = "sqlite") -> str:
    """The URL of an empty SQLite file that lives as long as `owner` (an app)."""
    folder = tempfile.mkdtemp(prefix="assay-corpus-")
    weakref.finalize(owner, shutil.rmtree, folder, True)
    return f"{driver}:///{Path(folder) / 'app.db'}"
