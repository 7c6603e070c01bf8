"""The ``site`` command: a page for every entity, the indexes and the search, as static files."""

from __future__ import annotations

from pathlib import Path

import click

from kgraph import resources
from kgraph.cli.options import DATA_OPTION, GRAPH_OPTION, base_option, built_store
from kgraph.graph.namespaces import Iris


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to write (replaced whole; default: build/site).",
)
@GRAPH_OPTION
@DATA_OPTION
@base_option
def site(out: Path | None, graph_path: Path | None, data_dir: Path | None, base: str) -> None:
    """Write the static site: a page per entity at its IRI's path, indexes, an offline search.

    An entity <base>/id/KIND/SLUG is the file id/KIND/SLUG.html; source
    articles show their text (read from --data) with every quote marked.
    """
    from kgraph.pages import write_site

    target = out or resources.default_build_dir() / "site"
    summary = write_site(built_store(graph_path), target, iris=Iris(base), data_dir=data_dir)
    click.echo(
        f"wrote {summary.pages} pages for {summary.entities} entities of {summary.kinds} kinds "
        f"into {summary.folder} in {summary.seconds:.1f} s (open {summary.folder}/index.html)"
    )
