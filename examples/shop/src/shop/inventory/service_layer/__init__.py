"""The inventory's service_layer."""
