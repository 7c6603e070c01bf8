"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (standard library only).

``GET /sparql?query=...``, ``POST /sparql`` (form-encoded ``query=`` or a raw
``application/sparql-query`` body) answer with the result format the
``Accept`` header asks for: SPARQL JSON, XML, CSV or TSV for SELECT/ASK;
Turtle, JSON-LD, N-Triples or RDF/XML for CONSTRUCT/DESCRIBE; an HTML table for
browsers. Updates are refused (403), every query has a time limit (503 when
exceeded) and a result-size limit (400 when exceeded). ``/`` lists the query
library; ``/query/NAME?param=value`` runs a library query; ``/queries/NAME.rq``
serves its text. Responses allow any origin (CORS), so YASGUI in a browser can
use the endpoint.
"""

from __future__ import annotations

import html
import threading
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from rdflib import Graph

from kgraph.errors import QueryError
from kgraph.graph.namespaces import Iris
from kgraph.sparql.engines import LocalGraph, evaluate
from kgraph.sparql.named import NamedQuery, bind_parameters, library
from kgraph.sparql.results import LimitExceeded, QueryResult, render

#: media type -> result format name (kgraph.sparql.results.RESULT_FORMATS), for SELECT and ASK
TABLE_TYPES: Mapping[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/html": "html",
}

#: media type -> result format name, for CONSTRUCT and DESCRIBE
GRAPH_TYPES: Mapping[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "xml",
    "text/html": "html",
}

#: the media type each format is sent as
SENT_AS: Mapping[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "html": "text/html",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
}

MAX_BODY = 1_000_000


@dataclass
class ServerSettings:
    """What the endpoint serves and its limits."""

    graph: Graph
    iris: Iris = field(default_factory=Iris)
    timeout: float = 10.0
    max_rows: int = 10_000
    queries: dict[str, NamedQuery] = field(default_factory=library)


class SparqlServer(ThreadingHTTPServer):
    """One thread per request; the graph is shared read-only."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], settings: ServerSettings, verbose: bool = False
    ) -> None:
        self.settings = settings
        self.verbose = verbose
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """The endpoint URL, ``http://host:port/sparql``."""
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/sparql"

    def start(self) -> threading.Thread:
        """Serve in a background thread (for tests and embedding); stop with shutdown()."""
        thread = threading.Thread(target=self.serve_forever, name="kgraph-serve", daemon=True)
        thread.start()
        return thread


def make_server(
    graph: Graph,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    iris: Iris | None = None,
    timeout: float = 10.0,
    max_rows: int = 10_000,
) -> SparqlServer:
    """A ready endpoint over ``graph`` bound to ``host:port`` (port 0 picks a free one)."""
    settings = ServerSettings(graph, iris or Iris(), timeout, max_rows)
    try:
        return SparqlServer((host, port), settings)
    except OSError as exc:
        raise QueryError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


class _Refusal(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kgraph-sparql/1"

    # -- routing ---------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _dispatch(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        try:
            if url.path in ("/", "/index.html"):
                self._send(HTTPStatus.OK, "text/html", _index_page(self.server), method)
            elif url.path == "/sparql":
                self._sparql(method, url.query)
            elif url.path.startswith("/queries/") and url.path.endswith(".rq"):
                query = self._named(url.path[len("/queries/") : -len(".rq")])
                self._send(HTTPStatus.OK, "application/sparql-query", query.text, method)
            elif url.path.startswith("/query/"):
                self._library_query(method, url.path[len("/query/") :], url.query)
            else:
                raise _Refusal(HTTPStatus.NOT_FOUND, f"no such page: {url.path} (try / or /sparql)")
        except _Refusal as exc:
            self._send(exc.status, "text/plain", f"{exc}\n", method)
        except LimitExceeded as exc:
            timed_out = "time limit" in str(exc)
            status = HTTPStatus.SERVICE_UNAVAILABLE if timed_out else HTTPStatus.BAD_REQUEST
            self._send(status, "text/plain", f"{exc}\n", method)
        except QueryError as exc:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain", f"{exc}\n", method)

    # -- the SPARQL protocol ---------------------------------------------------------------
    def _sparql(self, method: str, query_string: str) -> None:
        params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        if method == "POST":
            ctype = self.headers.get_content_type()
            body = self._body()
            if ctype == "application/sparql-update":
                raise _Refusal(HTTPStatus.FORBIDDEN, "this endpoint is read-only: no SPARQL Update")
            if ctype == "application/x-www-form-urlencoded":
                for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            elif ctype == "application/sparql-query":
                params.setdefault("query", []).append(body)
            else:
                raise _Refusal(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    f"POST a form (application/x-www-form-urlencoded) or "
                    f"application/sparql-query, not {ctype}",
                )
        if "update" in params:
            raise _Refusal(HTTPStatus.FORBIDDEN, "this endpoint is read-only: no SPARQL Update")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise _Refusal(HTTPStatus.BAD_REQUEST, "give exactly one query (the `query` parameter)")
        self._check_graphs(params)
        settings = self.server.settings
        result = evaluate(
            settings.graph,
            queries[0],
            timeout=settings.timeout,
            max_rows=settings.max_rows,
            where="query",
        )
        self._answer(result, method)

    def _check_graphs(self, params: Mapping[str, list[str]]) -> None:
        served = str(self.server.settings.iris.dataset)
        for uri in params.get("default-graph-uri", []):
            if uri != served:
                raise _Refusal(
                    HTTPStatus.BAD_REQUEST,
                    f"this endpoint serves one graph, <{served}>; not <{uri}>",
                )
        if params.get("named-graph-uri"):
            raise _Refusal(HTTPStatus.BAD_REQUEST, "named-graph-uri is not supported: one graph")

    def _library_query(self, method: str, name: str, query_string: str) -> None:
        query = self._named(name)
        given = {k: v[-1] for k, v in urllib.parse.parse_qs(query_string).items()}
        settings = self.server.settings
        engine = LocalGraph(settings.graph, settings.timeout, settings.max_rows)
        self._answer(engine.run(query, bind_parameters(query, given, settings.iris)), method)

    def _named(self, name: str) -> NamedQuery:
        queries = self.server.settings.queries
        if name not in queries:
            raise _Refusal(HTTPStatus.NOT_FOUND, f"no query named {name!r}; / lists them")
        return queries[name]

    def _answer(self, result: QueryResult, method: str) -> None:
        offered = TABLE_TYPES if result.tabular else GRAPH_TYPES
        default = "application/sparql-results+json" if result.tabular else "text/turtle"
        media = _negotiate(self.headers.get("Accept", "*/*"), offered, default)
        if media is None:
            raise _Refusal(
                HTTPStatus.NOT_ACCEPTABLE,
                f"cannot send {result.form} results as {self.headers.get('Accept')}; "
                f"offered: {', '.join(offered)}",
            )
        fmt = offered[media]
        body = _html_result(result) if fmt == "html" else render(result, fmt)
        sent_as = "application/rdf+xml" if fmt == "xml" and not result.tabular else SENT_AS[fmt]
        self._send(HTTPStatus.OK, sent_as, body, method)

    # -- plumbing --------------------------------------------------------------------------
    def _body(self) -> str:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise _Refusal(HTTPStatus.BAD_REQUEST, "bad Content-Length") from None
        if length > MAX_BODY:
            raise _Refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request over {MAX_BODY} bytes")
        raw = self.rfile.read(length)
        try:
            return raw.decode(self.headers.get_content_charset() or "utf-8")
        except (UnicodeDecodeError, LookupError):
            raise _Refusal(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8") from None

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")

    def _send(self, status: HTTPStatus, media: str, text: str, method: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", f"{media}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept")
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet by default; the CLI turns request logging on with --verbose."""
        if self.server.verbose:
            super().log_message(format, *args)


def _negotiate(accept: str, offered: Mapping[str, str], default: str) -> str | None:
    """The offered media type the Accept header prefers (q-values, wildcards)."""
    choices: list[tuple[float, int, str]] = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if not media or q <= 0:
            continue
        if media == "*/*":
            choices.append((q, -order, default))
        elif media.endswith("/*"):
            major = media[:-1]
            pick = (
                default
                if default.startswith(major)
                else next((m for m in offered if m.startswith(major)), None)
            )
            if pick:
                choices.append((q, -order, pick))
        elif media in offered:
            choices.append((q, -order, media))
    if not choices:
        return None
    return max(choices)[2]


def _html_result(result: QueryResult) -> str:
    if not result.tabular:
        body = f"<pre>{html.escape(render(result, 'turtle'))}</pre>"
    elif result.form == "ASK":
        body = f"<p>{'yes' if result.boolean else 'no'}</p>"
    else:
        head = "".join(f"<th>{html.escape(v)}</th>" for v in result.variables)
        rows = "".join(
            "<tr>"
            + "".join(f"<td>{'' if t is None else html.escape(str(t))}</td>" for t in row)
            + "</tr>"
            for row in result.rows
        )
        body = f"<table><tr>{head}</tr>{rows}</table><p>{len(result.rows)} rows</p>"
    return _page("kgraph query result", body)


def _page(title: str, body: str) -> str:
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:70em}"
        "td,th{border:1px solid #ccc;padding:.2em .4em;vertical-align:top;text-align:left}"
        "table{border-collapse:collapse}code{background:#f4f4f4}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{style}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _index_page(server: SparqlServer) -> str:
    settings = server.settings
    items = []
    for name, q in settings.queries.items():
        params = "".join(
            f"<li><code>{html.escape(p.describe())}</code> {html.escape(p.doc)}</li>"
            for p in q.params
        )
        link = urllib.parse.quote(name)
        items.append(
            f'<li><b><a href="/query/{link}">{html.escape(name)}</a></b>: '
            f'{html.escape(q.title)} (<a href="/queries/{link}.rq">SPARQL</a>)'
            f'<br>{html.escape(q.question_en)}<br><i lang="vi">{html.escape(q.question_vi)}</i>'
            + (f"<ul>{params}</ul>" if params else "")
            + "</li>"
        )
    body = (
        "<h1>kgraph SPARQL endpoint</h1>"
        f"<p>SPARQL 1.1 Protocol endpoint (read-only): <code>{html.escape(server.url)}</code>, "
        f"{len(settings.graph)} triples, default graph <code>&lt;"
        f"{html.escape(str(settings.iris.dataset))}&gt;</code>. "
        f"Queries stop after {settings.timeout:g} s and {settings.max_rows} rows.</p>"
        "<p>Example: <code>curl -H 'Accept: text/csv' --data-urlencode "
        "'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' " + html.escape(server.url) + "</code></p>"
        "<h2>Query library</h2><p>Each link runs the query with its defaults; add parameters "
        "as <code>?name=value</code>.</p>"
        f"<ul>{''.join(items)}</ul>"
    )
    return _page("kgraph SPARQL endpoint", body)


__all__ = ["GRAPH_TYPES", "TABLE_TYPES", "ServerSettings", "SparqlServer", "make_server"]
