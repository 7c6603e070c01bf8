"""The ``kgraph`` command: a thin shell over the library's stage functions.

Each command parses its options, calls one library function and formats the
result. Errors derived from :class:`kgraph.errors.KgraphError` print as one
line on stderr and exit with their code (2 for bad input); ``--debug`` shows
the traceback instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from kgraph import __version__, resources
from kgraph.errors import KgraphError
from kgraph.namespaces import DEFAULT_BASE, Iris


class _Group(click.Group):
    """Turns KgraphError into a one-line message and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgraphError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"kgraph: error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="kgraph")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Knowledge graph of Vietnamese party organisations and local development."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _base_option(f: Any) -> Any:
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


@main.command()
@DATA_OPTION
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the graph (default: build/kgraph.ttl).",
)
@_base_option
@click.option("--quiet", is_flag=True, help="Print nothing on success.")
def build(data_dir: Path | None, out: Path | None, base: str, quiet: bool) -> None:
    """Build the knowledge graph from the curated tables."""
    from kgraph.pipeline import build_to_file

    result = build_to_file(
        data_dir or resources.data_dir(),
        out or resources.default_build_dir() / "kgraph.ttl",
        Iris(base),
    )
    if not quiet:
        click.echo(f"wrote {result.path}")
        click.echo(result.summary.render())


@main.command(name="all")
@DATA_OPTION
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to write everything (default: build/).",
)
@_base_option
def all_(data_dir: Path | None, out_dir: Path | None, base: str) -> None:
    """The main job: build the graph and everything made from it into build/."""
    from kgraph.pipeline import run_all

    for line in run_all(
        data_dir or resources.data_dir(), out_dir or resources.default_build_dir(), Iris(base)
    ):
        click.echo(line)
