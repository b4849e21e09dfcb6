"""Reporters: how results are shown in the terminal and written to files.

This package sits in the entrypoints layer: it may import every lower layer, and only
the CLI and the pytest plugin import it.
"""
