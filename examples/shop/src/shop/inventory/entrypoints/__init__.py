"""The inventory's entrypoints."""
