"""The `lwtop` command: one module per command, `main` parses and dispatches."""

from lwtop_toolkit.cli.main import main

__all__ = ["main"]
