"""Commands over the networks: ``view`` (HTML, GraphML, GEXF) and ``stats``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kgraph import resources
from kgraph.cli.options import GRAPH_OPTION, built_graph, built_store


def _view_choices() -> dict[str, Any]:
    """Choices for `view` and `stats`, from the registries that implement them."""
    from kgraph.views.analytics import STATS_FORMATS
    from kgraph.views.html import DEFAULT_MAX_NODES
    from kgraph.views.kinds import LANGS, VIEWS
    from kgraph.views.render import FORMATS

    return {
        "views": [*VIEWS, "timeline"],
        "measured": [name for name, spec in VIEWS.items() if spec.whole_graph],
        "formats": list(FORMATS),
        "stats_formats": list(STATS_FORMATS),
        "langs": list(LANGS),
        "max_nodes": DEFAULT_MAX_NODES,
    }


_VIEW_CHOICES = _view_choices()


LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(_VIEW_CHOICES["langs"]),
    default="vi",
    show_default=True,
    help="Label language.",
)


@click.command()
@click.argument("name", required=False, type=click.Choice(_VIEW_CHOICES["views"]))
@click.option(
    "--all",
    "all_views",
    is_flag=True,
    help="Write every view, an ego view per district and commune, and index.html.",
)
@click.option(
    "--focus",
    default=None,
    help=(
        "Centre on an entity: id (dang-bo-xa-pom-lot; a unit by vintage and code, "
        "2024-03356), full IRI, name (diacritics optional) or GSO code."
    ),
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Steps from --focus to include.",
)
@LANG_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_VIEW_CHOICES["formats"]),
    default="html",
    show_default=True,
    help="Interactive HTML, or GraphML/GEXF for Gephi and Cytoscape.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (default: build/views/NAME.FORMAT); with --all, a folder "
    "(default: build/views/).",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=_VIEW_CHOICES["max_nodes"],
    show_default=True,
    help="Refuse to draw an HTML view with more nodes than this.",
)
@click.option(
    "--vintage",
    type=click.Choice(["2024", "2025"]),
    default=None,
    help="national view: which official list to draw (default 2025, the one in force).",
)
@GRAPH_OPTION
def view(
    name: str | None,
    all_views: bool,
    focus: str | None,
    depth: int,
    lang: str,
    fmt: str,
    out: Path | None,
    max_nodes: int,
    vintage: str | None,
    graph_path: Path | None,
) -> None:
    """Draw a view: hierarchy, people, indicators, sources, ego, reform, national or timeline.

    The reform and national views read the national backbone from the store
    `kgraph build` writes: `kgraph view reform --focus 2024-03356` shows where Pom
    Lót went in 2025 and what else went there; `kgraph view national` draws the
    provinces, each opening on click into its districts or communes.
    `kgraph view timeline --focus dang-bo-xa-na-tong` draws an organisation's
    terms, congresses, posts and changes on a time axis (HTML only).
    """
    from kgraph.errors import UnknownFocus
    from kgraph.views.national import DEFAULT_VINTAGE, write_national
    from kgraph.views.reform import reform_graph, with_backbone
    from kgraph.views.render import write_all_views, write_view

    if all_views == (name is not None):
        raise click.UsageError("give a view NAME or --all (not both)")
    if all_views and (focus or fmt != "html"):
        raise click.UsageError("--all writes every view in every format; drop --focus/--format")
    if vintage is not None and name != "national":
        raise click.UsageError("--vintage is for the national view")
    if name == "timeline":
        from kgraph.charts.timeline import write_timeline

        if fmt != "html":
            raise click.UsageError("the timeline is drawn as html only (drop --format)")
        path, timeline = write_timeline(built_store(graph_path), focus or "", out, lang=lang)
        click.echo(f"wrote {path} ({len(timeline.entries)} entries)")
        return
    if name == "national":
        if focus or fmt != "html":
            raise click.UsageError("the national view is one HTML page: drop --focus/--format")
        result = write_national(
            built_store(graph_path), out, vintage=vintage or DEFAULT_VINTAGE, lang=lang
        )
        click.echo(f"wrote {result.path} ({result.nodes} provinces drawn, the rest on click)")
        return
    if name == "reform":
        graph, focus = reform_graph(built_store(graph_path), focus or "")
    else:
        graph = built_graph(graph_path)
    if all_views:
        results = write_all_views(
            graph, out or resources.default_build_dir() / "views", lang=lang, max_nodes=max_nodes
        )
        for result in results:
            click.echo(f"wrote {result.path}")
        return
    assert name is not None
    try:
        result = write_view(
            graph, name, out, fmt=fmt, lang=lang, focus=focus, depth=depth, max_nodes=max_nodes
        )
    except UnknownFocus as unknown:
        if name != "ego" or not focus:
            raise
        try:  # a unit no article names: its neighbourhood in the national backbone
            graph, focus = with_backbone(graph, built_store(graph_path), focus, depth)
        except UnknownFocus:
            raise unknown from None
        result = write_view(
            graph, name, out, fmt=fmt, lang=lang, focus=focus, depth=depth, max_nodes=max_nodes
        )
    click.echo(f"wrote {result.path} ({result.nodes} nodes, {result.edges} edges)")


@click.command()
@click.option(
    "--view",
    "view_name",
    type=click.Choice(_VIEW_CHOICES["measured"]),
    default="network",
    show_default=True,
    help="Which network to measure.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many entities each ranking lists.",
)
@LANG_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_VIEW_CHOICES["stats_formats"]),
    default="text",
    show_default=True,
)
@GRAPH_OPTION
def stats(view_name: str, top: int, lang: str, fmt: str, graph_path: Path | None) -> None:
    """Network statistics: sizes, components, hierarchy depth, centrality, derived figures."""
    from kgraph.views.analytics import STATS_FORMATS, compute_stats

    graph = built_graph(graph_path)
    click.echo(STATS_FORMATS[fmt](compute_stats(graph, view_name, lang=lang, top=top)))
