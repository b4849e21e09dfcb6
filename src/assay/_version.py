"""The version of assay, read by the build backend and `assay --version`."""

__version__ = "0.1.0.dev0"
