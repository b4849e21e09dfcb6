"""Allocation's service_layer."""
