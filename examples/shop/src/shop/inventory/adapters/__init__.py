"""The inventory's adapters."""
