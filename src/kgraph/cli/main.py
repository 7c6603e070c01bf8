"""The ``kgraph`` command group: a thin shell over the library's stage functions.

Each command (one module per group of commands in this package) parses its
options, calls one library function and formats the result. Errors derived
from :class:`kgraph.errors.KgraphError` print as one line on stderr and exit
with their code (2 for bad input); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from kgraph import __version__
from kgraph.errors import KgraphError


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


def _register() -> None:
    from kgraph.cli import (
        build,
        charts,
        curation,
        extract,
        pages,
        publish,
        review,
        sparql,
        views,
    )

    for command in (
        build.build,
        build.all_,
        build.validate,
        build.generate,
        curation.source,
        curation.indicators,
        sparql.query,
        sparql.serve,
        sparql.push,
        views.view,
        views.stats,
        charts.chart,
        publish.export_,
        publish.release,
        pages.site,
        extract.extract,
        review.review,
    ):
        main.add_command(command)


_register()
