"""Allocation's adapters."""
