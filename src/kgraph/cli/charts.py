"""The ``chart`` command: one indicator as a time series or a comparison, in a file."""

from __future__ import annotations

from pathlib import Path

import click

from kgraph import resources
from kgraph.cli.options import GRAPH_OPTION, base_option, built_store
from kgraph.cli.views import LANG_OPTION
from kgraph.graph.namespaces import Iris


def _choices() -> dict[str, list[str]]:
    """The command's choices, from the registries that implement them (no altair loaded)."""
    from kgraph.charts.data import KINDS, PANELS
    from kgraph.charts.render import FORMATS

    return {
        "kinds": list(KINDS),
        "panels": list(PANELS),
        "formats": list(FORMATS),
    }


_CHOICES = _choices()


@click.command()
@click.argument("kind", required=False, type=click.Choice(_CHOICES["kinds"]))
@click.option(
    "--all",
    "all_charts",
    is_flag=True,
    help="Every indicator's charts (HTML) and an index.html, into --out (default: build/charts/).",
)
@click.option(
    "--indicator",
    default=None,
    help="The indicator's id (party-members, poor-household-rate; see kgraph indicators).",
)
@click.option(
    "--focus",
    default=None,
    help="One unit or the party organisation leading it, with the units it came from or went "
    "into in 2025: id (2024-03356, dang-bo-xa-pom-lot), IRI or name (diacritics optional).",
)
@click.option(
    "--period",
    default=None,
    help="compare only: the figures within this period (2016, 2017-06, 2012-01/2012-06); "
    "default: each entity's latest figure.",
)
@click.option(
    "--panels",
    type=click.Choice(_CHOICES["panels"]),
    default=None,
    help="Small multiples, one per entity, district or province (default: one per entity for "
    "a time series of every entity, else none).",
)
@LANG_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_CHOICES["formats"]),
    default="html",
    show_default=True,
    help="Interactive offline HTML, SVG or PNG images, or the Vega-Lite spec (JSON).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (default: build/charts/KIND-INDICATOR[-FOCUS][-PERIOD].FORMAT); "
    "with --all, a folder (replaced whole).",
)
@GRAPH_OPTION
@base_option
def chart(
    kind: str | None,
    all_charts: bool,
    indicator: str | None,
    focus: str | None,
    period: str | None,
    panels: str | None,
    lang: str,
    fmt: str,
    out: Path | None,
    graph_path: Path | None,
    base: str,
) -> None:
    """Draw one indicator: a time series (lines) or a comparison across entities (bars)."""
    from kgraph.charts.render import write_all_charts, write_chart

    if all_charts:
        if kind or indicator or focus or period or panels or fmt != "html":
            raise click.UsageError("--all draws every indicator as HTML; give only --out/--lang")
        results = write_all_charts(
            built_store(graph_path),
            out or resources.default_build_dir() / "charts",
            lang=lang,
            iris=Iris(base),
        )
        click.echo(f"wrote {len(results)} charts and index.html")
        return
    if kind is None or indicator is None:
        raise click.UsageError("give a chart KIND and --indicator (or --all)")
    result = write_chart(
        built_store(graph_path),
        kind,
        indicator,
        out,
        fmt=fmt,
        focus=focus,
        period=period,
        panels=panels,
        lang=lang,
        iris=Iris(base),
    )
    undated = f", {result.undated} undated left out" if result.undated else ""
    click.echo(f"wrote {result.path} ({result.points} figures{undated})")
