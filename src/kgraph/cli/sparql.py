"""SPARQL commands: ``query`` (in process or on an endpoint), ``serve`` and ``push``."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from kgraph.cli.options import DATA_OPTION, GRAPH_OPTION, base_option, built_store
from kgraph.graph.namespaces import Iris

PASSWORD_OPTION = click.option(
    "--password",
    envvar="KGRAPH_PASSWORD",
    default=None,
    help="Password for --user; better set KGRAPH_PASSWORD, which keeps it out of the shell "
    "history and the process list.",
)


def _warn_about_credentials(endpoint: str, user: str | None) -> None:
    """Say so when a password travels where others can read it (never the password itself)."""
    if not user:
        return
    ctx = click.get_current_context()
    if ctx.get_parameter_source("password") is click.core.ParameterSource.COMMANDLINE:
        click.echo(
            "kgraph: warning: a password given with --password shows in the process list; "
            "set KGRAPH_PASSWORD instead",
            err=True,
        )
    if endpoint.lower().startswith("http://"):
        click.echo(
            "kgraph: warning: credentials sent over plain http can be read on the way "
            "(Basic authentication sends the password as it is); prefer https",
            err=True,
        )


def _query_formats() -> tuple[str, ...]:
    from kgraph.sparql import CLI_FORMATS

    return CLI_FORMATS


@click.command()
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
@base_option
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
    from kgraph import sparql as q
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
    engine: q.StoreEngine | q.Endpoint
    if endpoint:
        _warn_about_credentials(endpoint, user)
        engine = q.Endpoint(endpoint, graph_iri, timeout, user, password, auth)
    else:
        engine = q.StoreEngine(built_store(graph_path))
    text = q.render(q.run_query(named, given, engine, Iris(base)), fmt)
    if out:
        write_bytes(out, lambda: text.encode("utf-8"))
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


@click.command()
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
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1024),
    default=16 * 2**20,
    show_default=True,
    help="Refuse answers longer than this many bytes.",
)
@click.option(
    "--memory",
    "memory_mib",
    type=click.IntRange(min=256),
    default=2048,
    show_default=True,
    help="Memory (MiB) one query worker may use; a query over it stops that worker only.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=None,
    help="Query worker processes (default: one per core, at least 2).",
)
@click.option("--verbose", is_flag=True, help="Log every request on stderr.")
@GRAPH_OPTION
@DATA_OPTION
@base_option
def serve(
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_bytes: int,
    memory_mib: int,
    workers: int | None,
    verbose: bool,
    graph_path: Path | None,
    data_dir: Path | None,
    base: str,
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    Queries run in worker processes over the store: one that overruns its time
    or memory is stopped (and its worker replaced) while others are served.
    Every entity's IRI path (/id/...) answers its page, or its RDF to clients
    asking for Turtle, N-Triples or JSON-LD; --data is where the articles are.
    """
    from kgraph.charts.html import site_files
    from kgraph.pages import PageHandler
    from kgraph.sparql.serve import make_server

    store = built_store(graph_path)
    server = make_server(
        store,
        host,
        port,
        iris=Iris(base),
        timeout=timeout,
        max_rows=max_rows,
        max_bytes=max_bytes,
        memory=memory_mib * 2**20,
        workers=workers,
        verbose=verbose,
        pages=functools.partial(
            PageHandler, iris=Iris(base), data_dir=data_dir, chart_files=site_files()
        ),
    )
    click.echo(
        f"serving {len(store)} triples at {server.url} (query library at /, entity pages "
        f"at /id/..., {server.settings.workers} workers); Ctrl-C stops"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


@click.command()
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
@click.option(
    "--default-only",
    is_flag=True,
    help="Push only the built graph, not the store's named graphs.",
)
@GRAPH_OPTION
@base_option
def push(
    endpoint: str,
    graph_iri: str | None,
    user: str | None,
    password: str | None,
    timeout: float,
    default_only: bool,
    graph_path: Path | None,
    base: str,
) -> None:
    """Load the built graph into a triple store, replacing its named graphs (never duplicating).

    The built graph goes to --graph (default: the dataset IRI); each named graph
    of the store (one per source article, ontology, shapes, reference) goes
    under its own name unless --default-only.
    """
    from kgraph.cli.progress import for_terminal
    from kgraph.sparql.push import push_dataset

    _warn_about_credentials(endpoint, user)
    results = push_dataset(
        built_store(graph_path),
        endpoint,
        graph_iri or str(Iris(base).dataset),
        named_graphs=not default_only,
        user=user,
        password=password,
        timeout=timeout,
        progress=for_terminal(),
    )
    for result in results:
        click.echo(result.render())
