"""Small ASGI apps the CLI and integration tests load by import string."""
