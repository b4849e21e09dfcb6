"""A module that imports a package that is not installed (for the import-string tests)."""

import assay_not_installed_package  # type: ignore[import-not-found]  # noqa: F401
