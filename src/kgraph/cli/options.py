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


#: kept for a named graph's IRI (query --endpoint, push), as SPARQL tools use it.
GRAPH_OPTION = click.option(
    "--input",
    "graph_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The built graph to read (default: build/kgraph.ttl).",
)


def built_graph(graph_path: Path | None) -> Any:
    """The graph given by --input (default: build/kgraph.ttl)."""
    from kgraph.graph.store import read_graph

    return read_graph(graph_path or resources.default_build_dir() / "kgraph.ttl")
