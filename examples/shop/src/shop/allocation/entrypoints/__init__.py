"""Allocation's entrypoints."""
