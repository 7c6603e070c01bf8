"""``python -m kgraph`` runs the CLI."""

from kgraph.cli import main

main()
