"""A small tasks API used by the README demo and the getting-started guide."""
