"""Commands that publish the graph: ``export`` and ``release``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kgraph import resources
from kgraph.cli.options import GRAPH_OPTION, base_option, built_graph, built_store
from kgraph.graph.namespaces import Iris


def _export_formats() -> list[str]:
    from kgraph.publish.writers import FORMATS

    return list(FORMATS)


#: Every command that reads the built graph takes it as --input PATH; --graph is
@click.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_export_formats()),
    required=True,
    help="RDF serialisation, csv (tables) or xlsx (the tables as one workbook, typed cells).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to write into (default: build/exports/).",
)
@click.option(
    "--bom",
    is_flag=True,
    help="With --format csv: start each table with a UTF-8 byte-order mark, for Excel.",
)
@GRAPH_OPTION
@base_option
def export_(fmt: str, out: Path | None, bom: bool, graph_path: Path | None, base: str) -> None:
    """Export the built graph for integrators (RDF formats, CSV tables, an .xlsx workbook)."""
    from kgraph.publish.writers import export

    graph = built_graph(graph_path)
    folder = out or resources.default_build_dir() / "exports"
    for path in export(graph, fmt, folder, Iris(base), bom=bom):
        click.echo(f"wrote {path}")


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Release folder, replaced as a whole (default: build/release/).",
)
@GRAPH_OPTION
@click.option(
    "--issued",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Issue date YYYY-MM-DD (default: the latest publication date of the sources).",
)
@click.option("--endpoint", default=None, help="SPARQL endpoint to list (a running kgraph serve).")
@click.option(
    "--download-url",
    default=None,
    help="URL the release folder is published at: each file's accessURL and downloadURL "
    "(default: <base>/release/<version>).",
)
@base_option
def release(
    out: Path | None,
    graph_path: Path | None,
    issued: Any,
    endpoint: str | None,
    download_url: str | None,
    base: str,
) -> None:
    """Every export, the ontology, shapes and a VoID/DCAT description, with checksums."""
    from kgraph.publish.release import make_release

    graph = built_graph(graph_path)
    store = built_store(graph_path)
    result = make_release(
        graph,
        out or resources.default_build_dir() / "release",
        Iris(base),
        issued=issued.date() if issued is not None else None,
        endpoint=endpoint,
        download_base=download_url,
        backbone=store if store.path is not None else None,
    )
    click.echo(result.render())
