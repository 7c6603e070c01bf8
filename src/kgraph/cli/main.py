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
from kgraph.graph.namespaces import DEFAULT_BASE, Iris


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
@click.option(
    "--no-validate",
    is_flag=True,
    help="Write the graph even if it breaks the SHACL shapes (default: refuse, exit 1).",
)
def build(
    data_dir: Path | None, out: Path | None, base: str, quiet: bool, no_validate: bool
) -> None:
    """Build the knowledge graph from the curated tables, validated against the SHACL shapes."""
    from kgraph.pipeline import build_to_file
    from kgraph.check.validate import GraphViolations

    try:
        result = build_to_file(
            data_dir or resources.data_dir(),
            out or resources.default_build_dir() / "kgraph.ttl",
            Iris(base),
            validate=not no_validate,
        )
    except GraphViolations as exc:
        click.echo(exc.report.render("text"), err=True)
        raise
    if not quiet:
        click.echo(f"wrote {result.path}")
        click.echo(result.summary.render())
        if result.validation is not None:
            n = len(result.validation.findings())
            click.echo(f"validation: conforms, {n} warning(s) (see `kgraph validate`)")


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


def _export_formats() -> list[str]:
    from kgraph.publish.export import FORMATS

    return list(FORMATS)


#: Every command that reads the built graph takes it as --input PATH; --graph is
#: kept for a named graph's IRI (query --endpoint, push), as SPARQL tools use it.
GRAPH_OPTION = click.option(
    "--input",
    "graph_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The built graph to read (default: build/kgraph.ttl).",
)


def _built_graph(graph_path: Path | None) -> Any:
    from kgraph.graph.store import read_graph

    return read_graph(graph_path or resources.default_build_dir() / "kgraph.ttl")


@main.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_export_formats()),
    required=True,
    help="RDF serialisation, or csv for spreadsheet tables.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to write into (default: build/exports/).",
)
@GRAPH_OPTION
@_base_option
def export_(fmt: str, out: Path | None, graph_path: Path | None, base: str) -> None:
    """Export the built graph for integrators (RDF formats, or CSV tables)."""
    from kgraph.publish.export import export

    graph = _built_graph(graph_path)
    for path in export(graph, fmt, out or resources.default_build_dir() / "exports", Iris(base)):
        click.echo(f"wrote {path}")


@main.command()
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
@click.option("--download-url", default=None, help="URL the release folder is published at.")
@_base_option
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

    graph = _built_graph(graph_path)
    result = make_release(
        graph,
        out or resources.default_build_dir() / "release",
        Iris(base),
        issued=issued.date() if issued is not None else None,
        endpoint=endpoint,
        download_base=download_url,
    )
    click.echo(result.render())


def _view_choices() -> dict[str, Any]:
    """Choices for `view` and `stats`, from the registries that implement them."""
    from kgraph.views.analytics import STATS_FORMATS
    from kgraph.views.projection import LANGS, VIEWS
    from kgraph.views.render import DEFAULT_MAX_NODES, FORMATS

    return {
        "views": list(VIEWS),
        "measured": [name for name, spec in VIEWS.items() if not spec.needs_focus],
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


@main.command()
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
    help="Centre on an entity: id (xa-pom-lot), full IRI, or name (diacritics optional).",
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
    graph_path: Path | None,
) -> None:
    """Draw a network view: hierarchy, people, indicators, sources, or ego (with --focus)."""
    from kgraph.views.render import write_all_views, write_view

    if all_views == (name is not None):
        raise click.UsageError("give a view NAME or --all (not both)")
    if all_views and (focus or fmt != "html"):
        raise click.UsageError("--all writes every view in every format; drop --focus/--format")
    graph = _built_graph(graph_path)
    if all_views:
        results = write_all_views(
            graph, out or resources.default_build_dir() / "views", lang=lang, max_nodes=max_nodes
        )
        for result in results:
            click.echo(f"wrote {result.path}")
        return
    assert name is not None
    result = write_view(
        graph, name, out, fmt=fmt, lang=lang, focus=focus, depth=depth, max_nodes=max_nodes
    )
    click.echo(f"wrote {result.path} ({result.nodes} nodes, {result.edges} edges)")


@main.command()
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

    graph = _built_graph(graph_path)
    click.echo(STATS_FORMATS[fmt](compute_stats(graph, view_name, lang=lang, top=top)))


def _report_formats() -> list[str]:
    from kgraph.check.validate import RENDERERS

    return sorted(RENDERERS)


@main.command()
@click.argument(
    "graph_path",
    metavar="[GRAPH]",
    required=False,
    type=click.Path(path_type=Path, dir_okay=False),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_report_formats()),
    default="text",
    show_default=True,
    help="Report as text, JSON, or the standard SHACL sh:ValidationReport in Turtle.",
)
@click.pass_context
def validate(ctx: click.Context, graph_path: Path | None, fmt: str) -> None:
    """Check GRAPH (default: build/kgraph.ttl) against the SHACL shapes.

    Exit 0 when it conforms (warnings are listed), 1 when it has violations,
    2 when the file cannot be read.
    """
    from kgraph.check.validate import validate_graph

    report = validate_graph(_built_graph(graph_path))
    click.echo(report.render(fmt), nl=False)
    if not report.conforms:
        ctx.exit(1)


# -- SPARQL: query, serve, push (issue 4) ----------------------------------------------------

PASSWORD_OPTION = click.option(
    "--password",
    envvar="KGRAPH_PASSWORD",
    default=None,
    help="Password for --user (or set KGRAPH_PASSWORD, which keeps it out of the shell history).",
)


def _query_formats() -> tuple[str, ...]:
    from kgraph.sparql.library import CLI_FORMATS

    return CLI_FORMATS


@main.command()
@click.argument("name", required=False, metavar="NAME|FILE")
@click.option("--list", "list_queries", is_flag=True, help="List the query library and exit.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a parameter the query declares (repeatable); see --list for defaults.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_query_formats()),
    default="table",
    show_default=True,
    help="A table to read, or the W3C SPARQL results formats CSV, TSV and JSON.",
)
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Run on this SPARQL 1.1 endpoint (a pushed store, kgraph serve) instead of in process.",
)
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    metavar="IRI",
    help="With --endpoint: query only this named graph (sent as default-graph-uri).",
)
@click.option("--user", default=None, help="With --endpoint: user name.")
@PASSWORD_OPTION
@click.option(
    "--auth",
    type=click.Choice(["basic", "digest"]),
    default="basic",
    show_default=True,
    help="With --user: HTTP authentication scheme.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Seconds to wait for an endpoint's answer.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the result to this file (atomically) instead of printing it.",
)
@GRAPH_OPTION
@_base_option
def query(
    name: str | None,
    list_queries: bool,
    params: tuple[str, ...],
    fmt: str,
    endpoint: str | None,
    graph_iri: str | None,
    user: str | None,
    password: str | None,
    auth: str,
    timeout: float,
    out: Path | None,
    graph_path: Path | None,
    base: str,
) -> None:
    """Run a named query from the library (or a .rq FILE) and print the result.

    Runs in process on the built graph unless --endpoint is given.
    """
    from kgraph import query as q
    from kgraph.errors import QueryError
    from kgraph.graph.store import write_bytes

    if list_queries:
        for named in q.library().values():
            click.echo(f"{named.name:<26} {named.title}")
            for p in named.params:
                click.echo(f"{'':<26}   --param {p.describe()}")
        return
    if name is None:
        raise click.UsageError("give a query NAME or FILE, or --list")
    if graph_iri and not endpoint:
        raise click.UsageError("--graph selects a graph of an --endpoint")
    given: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {item!r}: write NAME=VALUE")
        if key.strip() in given:
            raise QueryError(f"--param {key.strip()!r} given twice")
        given[key.strip()] = value
    named = q.load_query(name)
    engine: q.LocalGraph | q.Endpoint
    if endpoint:
        engine = q.Endpoint(endpoint, graph_iri, timeout, user, password, auth)
    else:
        engine = q.LocalGraph(_built_graph(graph_path))
    text = q.render(q.run_query(named, given, engine, Iris(base)), fmt)
    if out:
        write_bytes(out, lambda: text.encode("utf-8"))
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Per-query time limit in seconds.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Refuse results with more rows (or triples) than this.",
)
@click.option("--verbose", is_flag=True, help="Log every request on stderr.")
@GRAPH_OPTION
@_base_option
def serve(
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    verbose: bool,
    graph_path: Path | None,
    base: str,
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql."""
    from kgraph.sparql.serve import make_server

    graph = _built_graph(graph_path)
    server = make_server(graph, host, port, iris=Iris(base), timeout=timeout, max_rows=max_rows)
    server.verbose = verbose
    click.echo(f"serving {len(graph)} triples at {server.url} (query library at /); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's Graph Store Protocol URL "
    "(Virtuoso: http://127.0.0.1:8890/sparql-graph-crud-auth).",
)
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    metavar="IRI",
    help="Named graph to replace (default: <base>/id/dataset/kgraph).",
)
@click.option("--user", default=None, help="User name, when the store asks for one.")
@PASSWORD_OPTION
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120.0,
    show_default=True,
    help="Seconds to wait for the store.",
)
@GRAPH_OPTION
@_base_option
def push(
    endpoint: str,
    graph_iri: str | None,
    user: str | None,
    password: str | None,
    timeout: float,
    graph_path: Path | None,
    base: str,
) -> None:
    """Load the built graph into a triple store, replacing one named graph (never duplicating)."""
    from kgraph.sparql.push import push_graph

    result = push_graph(
        _built_graph(graph_path),
        endpoint,
        graph_iri or str(Iris(base).dataset),
        user=user,
        password=password,
        timeout=timeout,
    )
    click.echo(result.render())
