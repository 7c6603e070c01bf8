"""Options that several commands share: the base IRI, the data folder, the built graph."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from kgraph import resources
from kgraph.graph.namespaces import DEFAULT_BASE


def base_option(f: Any) -> Any:
    return click.option(
        "--base",
        default=lambda: os.environ.get("KGRAPH_BASE", DEFAULT_BASE),
        show_default="KGRAPH_BASE or " + DEFAULT_BASE,
        help="Base IRI for instances (<base>/id/<kind>/<slug>).",
    )(f)


DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Curated data folder (default: the project's data/).",
)


#: Every command that reads the built graph takes it as --input PATH: a Turtle file (its
#: store beside it is used when current), any RDF file, or a store folder. --graph is kept
#: for a named graph's IRI (query --endpoint, push), as SPARQL tools use it.
GRAPH_OPTION = click.option(
    "--input",
    "graph_path",
    type=click.Path(path_type=Path),
    default=None,
    help="The built graph: a Turtle or other RDF file, or a store folder "
    "(default: build/kgraph.ttl, through the store built beside it).",
)


def built_graph(graph_path: Path | None) -> Any:
    """The graph given by --input as an rdflib graph (for pySHACL, views and the writers)."""
    from kgraph.graph.engine import is_store, open_store
    from kgraph.graph.store import read_graph

    path = graph_path or resources.default_build_dir() / "kgraph.ttl"
    if is_store(path):
        return open_store(path).graph()
    return read_graph(path)


def built_store(graph_path: Path | None) -> Any:
    """The store given by --input (see :func:`kgraph.graph.engine.open_input`)."""
    from kgraph.graph.engine import open_input

    return open_input(graph_path)
