"""``python -m kgraph`` runs the CLI."""

from kgraph.cli.main import main

main()
