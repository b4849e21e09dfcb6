"""Runnable examples: the demo (`python -m examples.demo`) and the quickstart app."""
