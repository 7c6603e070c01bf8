"""The ``kgraph`` command line: the group in ``main``, one module per group of commands."""

from kgraph.cli.main import main

__all__ = ["main"]
