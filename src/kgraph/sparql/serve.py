"""``kgraph serve``: a read-only SPARQL 1.1 Protocol endpoint over the store.

A WSGI application on waitress (HTTP/1.1 with keep-alive, a real listen
backlog, timeouts on idle and slow clients, caps on header and body size), with
every query run by a worker process (:mod:`kgraph.sparql.workers`) so its time,
size and memory limits hold while other clients keep being served.

- ``GET /sparql?query=…`` and ``POST /sparql`` (a form, or an
  ``application/sparql-query`` body) answer in the format the ``Accept`` header
  asks for; ``default-graph-uri`` and ``named-graph-uri`` choose among the
  store's own graphs (never a URL elsewhere). ``GET /sparql`` without a query
  is the SPARQL 1.1 Service Description.
- Updates are refused (403); other methods get 405; a body that is not UTF-8
  gets 400 (415 for another declared charset). Answers allow any origin (CORS)
  and are gzipped when the client accepts it.
- ``/`` lists the query library; ``/query/NAME?param=value`` runs a library
  query; ``/queries/NAME.rq`` serves its text; ``/.well-known/void`` describes
  the dataset (VoID).
- Any other path goes to the ``pages`` handler when one is given (``kgraph
  serve`` gives :class:`kgraph.pages.serving.PageHandler`: entity pages and
  their RDF at the IRIs' paths); this layer only knows it as a factory that
  each worker calls with its store, and pages render in the workers.
"""

from __future__ import annotations

import gzip
import html
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from rdflib import Graph

from kgraph.errors import QueryError
from kgraph.graph.engine import GraphStore, copy_to_folder, from_graph
from kgraph.graph.namespaces import Iris
from kgraph.sparql.answer import Answer, Job, Limits, PageJob, PagesFactory, page
from kgraph.sparql.describe import service_description, void_description
from kgraph.sparql.embedded import check_text
from kgraph.sparql.named import (
    NamedQuery,
    bind_parameters,
    library,
    pick_candidate,
    with_values,
)
from kgraph.sparql.workers import WorkerPool

MAX_BODY = 1_000_000
#: answers at least this long are gzipped for clients that accept it
GZIP_FROM = 1024
_ALLOWED = "GET, HEAD, POST, OPTIONS"
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass
class ServerSettings:
    """What the endpoint serves and its limits."""

    store: GraphStore
    iris: Iris = field(default_factory=Iris)
    limits: Limits = field(default_factory=Limits)
    workers: int = 2
    queries: dict[str, NamedQuery] = field(default_factory=library)
    #: seconds a connection may stay silent (idle keep-alive, or a client sending slowly)
    idle_timeout: int = 30
    #: log every request on stderr
    verbose: bool = False
    #: makes the handler of the entity pages (and any other path the endpoint does not
    #: own) in each worker; it must pickle (a class, or a functools.partial of one)
    pages: PagesFactory | None = None


class _Refusal(Exception):
    def __init__(self, status: HTTPStatus, message: str, headers: Iterable[tuple[str, str]] = ()):
        super().__init__(message)
        self.status = status
        self.headers = list(headers)


class SparqlApp:
    """The WSGI application: routing, the protocol's parameters, the answers."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.pool: WorkerPool | None = None  # set by SparqlServer once the workers run
        self.url = ""
        self._graphs = set(settings.store.named_graphs())

    def _run(self, job: Job) -> Answer:
        if self.pool is None:
            return Answer(503, "text/plain", b"the endpoint is starting; try again\n")
        return self.pool.run(job)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        if not self.settings.verbose:
            return self._respond(environ, start_response)
        started = time.monotonic()
        seen: list[str] = []

        def logged(status: str, headers: list[tuple[str, str]]) -> Any:
            seen.append(status.split(" ", 1)[0])
            return start_response(status, headers)

        body = self._respond(environ, logged)
        print(
            f"{environ.get('REMOTE_ADDR', '-')} {environ['REQUEST_METHOD']} "
            f"{environ.get('PATH_INFO', '/')} {seen[0] if seen else '-'} "
            f"{sum(len(b) for b in body)} {time.monotonic() - started:.3f}s",
            file=sys.stderr,
            flush=True,
        )
        return body

    def _respond(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "/")
        try:
            if method == "OPTIONS":
                return self._send(
                    start_response,
                    environ,
                    Answer(204, "text/plain", b""),
                    [
                        ("Access-Control-Allow-Methods", _ALLOWED),
                        ("Access-Control-Allow-Headers", "Content-Type, Accept"),
                        ("Access-Control-Max-Age", "86400"),
                    ],
                )
            if method not in ("GET", "HEAD", "POST"):
                raise _Refusal(
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    f"{method} is not allowed: this endpoint is read-only",
                    [("Allow", _ALLOWED)],
                )
            answer = self._route(method, path, environ)
        except _Refusal as exc:
            body = f"{exc}\n".encode()
            return self._send(
                start_response, environ, Answer(exc.status, "text/plain", body), exc.headers
            )
        except QueryError as exc:
            answer = Answer(400, "text/plain", f"{exc}\n".encode())
        return self._send(start_response, environ, answer)

    # -- routes ---------------------------------------------------------------------------
    def _route(self, method: str, path: str, environ: dict[str, Any]) -> Answer:
        query_string = environ.get("QUERY_STRING", "")
        if path in ("/", "/index.html"):
            return _text(200, "text/html", self._index_page())
        if path == "/sparql":
            return self._sparql(method, query_string, environ)
        if path == "/.well-known/void":
            return _text(200, "text/turtle", self._void())
        if path.startswith("/queries/") and path.endswith(".rq"):
            query = self._named(path[len("/queries/") : -len(".rq")])
            return _text(200, "application/sparql-query", query.text)
        if path.startswith("/query/"):
            return self._library_query(path[len("/query/") :], query_string, environ)
        if self.settings.pages is not None and method in ("GET", "HEAD"):
            if self.pool is None:
                return Answer(503, "text/plain", b"the endpoint is starting; try again\n")
            wanted = PageJob(path, environ.get("HTTP_ACCEPT", "*/*"), query_string)
            answer = self.pool.page(wanted)
            if answer is not None:
                return answer
        raise _Refusal(HTTPStatus.NOT_FOUND, f"no such page: {path} (try / or /sparql)")

    def _sparql(self, method: str, query_string: str, environ: dict[str, Any]) -> Answer:
        params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        if method == "POST":
            ctype, charset = _content_type(environ)
            body = _body(environ, charset)
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
                    "POST a form (application/x-www-form-urlencoded) or "
                    f"application/sparql-query, not {ctype or 'no Content-Type'}",
                )
        if "update" in params:
            raise _Refusal(HTTPStatus.FORBIDDEN, "this endpoint is read-only: no SPARQL Update")
        queries = params.get("query", [])
        if not queries and method in ("GET", "HEAD"):
            return _text(200, "text/turtle", self._service_description())
        if len(queries) != 1 or not queries[0].strip():
            raise _Refusal(HTTPStatus.BAD_REQUEST, "give exactly one query (the `query` parameter)")
        check_text(queries[0])
        defaults, named = self._dataset(params)
        job = Job(queries[0], environ.get("HTTP_ACCEPT", "*/*"), defaults, named)
        return self._run(job)

    def _dataset(
        self, params: Mapping[str, list[str]]
    ) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
        """The protocol's default-graph-uri / named-graph-uri, checked against the store."""
        served = str(self.settings.iris.dataset)
        defaults: list[str] = []
        for uri in params.get("default-graph-uri", []):
            if uri == served:
                continue  # the dataset's own IRI names the default graph
            if uri not in self._graphs:
                raise _Refusal(
                    HTTPStatus.BAD_REQUEST,
                    f"no graph <{uri}> in this store; the default graph is <{served}> "
                    "and the named graphs are listed at /.well-known/void",
                )
            defaults.append(uri)
        named = params.get("named-graph-uri")
        for uri in named or []:
            if uri not in self._graphs:
                raise _Refusal(HTTPStatus.BAD_REQUEST, f"no named graph <{uri}> in this store")
        return tuple(defaults), (tuple(named) if named else None)

    def _library_query(self, name: str, query_string: str, environ: dict[str, Any]) -> Answer:
        query = self._named(name)
        given = {k: v[-1] for k, v in urllib.parse.parse_qs(query_string).items()}
        bindings = bind_parameters(query, given, self.settings.iris)
        store = self.settings.store
        text = with_values(
            query.text,
            {k: [pick_candidate(query, k, terms, store.contains)] for k, terms in bindings.items()},
        )
        return self._run(Job(text, environ.get("HTTP_ACCEPT", "*/*"), where=name))

    def _named(self, name: str) -> NamedQuery:
        queries = self.settings.queries
        if name not in queries:
            raise _Refusal(HTTPStatus.NOT_FOUND, f"no query named {name!r}; / lists them")
        return queries[name]

    # -- plumbing --------------------------------------------------------------------------
    def _send(
        self,
        start_response: StartResponse,
        environ: dict[str, Any],
        answer: Answer,
        extra: Iterable[tuple[str, str]] = (),
    ) -> list[bytes]:
        body = answer.body
        headers = [
            ("Content-Type", f"{answer.media}; charset=utf-8"),
            ("Access-Control-Allow-Origin", "*"),
            ("Vary", "Accept, Accept-Encoding"),
            *answer.headers,
            *extra,
        ]
        if len(body) >= GZIP_FROM and "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
            body = gzip.compress(body, compresslevel=5, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        status = HTTPStatus(answer.status)
        start_response(f"{status.value} {status.phrase}", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _index_page(self) -> str:
        settings = self.settings
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
        limits = settings.limits
        body = (
            "<h1>kgraph SPARQL endpoint</h1>"
            f"<p>SPARQL 1.1 Protocol endpoint (read-only): <code>{html.escape(self.url)}</code>, "
            f"{len(settings.store)} triples in the default graph <code>&lt;"
            f"{html.escape(str(settings.iris.dataset))}&gt;</code> and "
            f"{len(self._graphs)} named graphs (<a href='/.well-known/void'>VoID</a>). "
            f"Queries stop after {limits.timeout:g} s, {limits.max_rows} rows or "
            f"{limits.max_bytes} bytes.</p>"
            "<p>Example: <code>curl -H 'Accept: text/csv' --data-urlencode "
            "'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' " + html.escape(self.url) + "</code></p>"
            "<h2>Query library</h2><p>Each link runs the query with its defaults; add parameters "
            "as <code>?name=value</code>.</p>"
            f"<ul>{''.join(items)}</ul>"
        )
        return page("kgraph SPARQL endpoint", body)

    def _service_description(self) -> str:
        return service_description(self.url, str(self.settings.iris.dataset), sorted(self._graphs))

    def _void(self) -> str:
        return void_description(
            self.url,
            str(self.settings.iris.dataset),
            len(self.settings.store),
            sorted(self._graphs),
        )


def _text(status: int, media: str, text: str) -> Answer:
    return Answer(status, media, text.encode("utf-8"))


def _content_type(environ: Mapping[str, Any]) -> tuple[str, str]:
    raw = environ.get("CONTENT_TYPE", "")
    parts = [p.strip() for p in raw.split(";")]
    charset = "utf-8"
    for p in parts[1:]:
        key, _, value = p.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _body(environ: Mapping[str, Any], charset: str) -> str:
    if charset not in ("utf-8", "utf8"):
        raise _Refusal(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"send the body as UTF-8, not {charset}")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise _Refusal(HTTPStatus.BAD_REQUEST, "bad Content-Length") from None
    if length < 0:
        raise _Refusal(HTTPStatus.BAD_REQUEST, "bad Content-Length")
    if length > MAX_BODY:
        raise _Refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request over {MAX_BODY} bytes")
    raw = environ["wsgi.input"].read(length)
    try:
        return str(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Refusal(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8") from None


class SparqlServer:
    """The endpoint: a waitress server and a worker pool over one store folder."""

    def __init__(self, host: str, port: int, settings: ServerSettings):
        import waitress.server

        if not settings.verbose:  # "Task queue depth is N": requests waiting for a thread
            logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        self.settings = settings
        self._scratch: Path | None = None
        self.app = SparqlApp(settings)
        try:
            self._server = waitress.server.create_server(
                self.app,
                host=host,
                port=port,
                threads=max(4, 2 * settings.workers),
                backlog=1024,
                channel_timeout=settings.idle_timeout,
                cleanup_interval=max(1, min(30, settings.idle_timeout // 2)),
                connection_limit=256,
                max_request_body_size=MAX_BODY,
                max_request_header_size=65536,
                ident="kgraph",
                expose_tracebacks=False,
                clear_untrusted_proxy_headers=True,
                log_socket_errors=settings.verbose,
            )
        except OSError as exc:
            raise QueryError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.app.url = self.url
        store = settings.store
        if store.path is None:  # read from a file into memory: workers need a folder to open
            self._scratch = Path(tempfile.mkdtemp(prefix="kgraph-serve-"))
            store = copy_to_folder(store, self._scratch / "store")
        assert store.path is not None
        self.pool = WorkerPool(
            store.path, settings.workers, settings.limits, settings.verbose, settings.pages
        )
        self.app.pool = self.pool
        try:
            self.pool.start()
        except BaseException:
            self._server.close()
            self._cleanup()
            raise
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The endpoint URL, ``http://host:port/sparql``."""
        host, port = self._server.effective_host, self._server.effective_port
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/sparql"

    def serve_forever(self) -> None:
        """Serve until interrupted."""
        try:
            self._server.run()
        finally:
            self.pool.close()

    def start(self) -> threading.Thread:
        """Serve in a background thread (for tests and embedding); stop with shutdown()."""
        self._thread = threading.Thread(target=self._server.run, name="kgraph-serve", daemon=True)
        self._thread.start()
        return self._thread

    def shutdown(self) -> None:
        """Stop accepting, close open connections, stop the workers."""
        self._server.close()
        for channel in list(self._server._map.values()):
            channel.close()
        self._server.task_dispatcher.shutdown(timeout=2)
        self.pool.close()

    def server_close(self) -> None:
        """Release what the server holds (the scratch store of an in-memory input)."""
        self._cleanup()

    def _cleanup(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


def make_server(
    source: GraphStore | Graph,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    iris: Iris | None = None,
    timeout: float = 10.0,
    max_rows: int = 10_000,
    max_bytes: int = 16 * 2**20,
    memory: int = 2 * 2**30,
    workers: int | None = None,
    idle_timeout: int = 30,
    verbose: bool = False,
    pages: PagesFactory | None = None,
) -> SparqlServer:
    """A ready endpoint over ``source`` bound to ``host:port`` (port 0 picks a free one).

    ``source`` is an opened store (what ``--input`` names) or an rdflib graph;
    ``pages`` makes, in each worker, the handler of the paths the endpoint does
    not own (entity pages), so pages render under the queries' limits.
    The workers (default: one per core, at least two) are running when this
    returns; call ``serve_forever()`` or ``start()``.
    """
    store = source if isinstance(source, GraphStore) else from_graph(source)
    limits = Limits(timeout, max_rows, max_bytes, memory)
    count = workers or max(2, os.cpu_count() or 2)
    settings = ServerSettings(
        store,
        iris or Iris(),
        limits,
        count,
        idle_timeout=idle_timeout,
        verbose=verbose,
        pages=pages,
    )
    return SparqlServer(host, port, settings)


__all__ = ["ServerSettings", "SparqlApp", "SparqlServer", "make_server"]
