"""Load the built graph into a triple store through the SPARQL 1.1 Graph Store HTTP Protocol.

``push_graph`` sends one ``PUT <endpoint>?graph=<IRI>`` with a graph as
Turtle; ``push_dataset`` sends the built graph that way and then every named
graph of the store (one per source article, ontology, shapes, reference) under
its own name, so the target store holds the same dataset. PUT replaces a named
graph, so pushing again never duplicates a triple, and other graphs in the
store are left alone. Credentials, when given, answer the store's Basic or
Digest challenge (Virtuoso's authenticated endpoint, ``/sparql-graph-crud-auth``,
uses Digest); they never appear in a message, and an endpoint URL that carries
them (``http://user:pass@host/``) is refused.
"""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kgraph.errors import KgraphError
from kgraph.graph.engine import GraphStore
from kgraph.graph.store import read_graph, serialize
from kgraph.progress import SILENT, Progress


class PushError(KgraphError):
    """The store could not be reached or refused the graph."""


@dataclass(frozen=True)
class PushResult:
    """What was sent where, and how the store answered."""

    endpoint: str
    graph_iri: str
    triples: int
    status: int
    seconds: float

    def render(self) -> str:
        """One line for the CLI."""
        return (
            f"pushed {self.triples} triples to <{self.graph_iri}> at {self.endpoint} "
            f"(HTTP {self.status}, {self.seconds:.2f} s)"
        )


def push_graph(
    source: Graph | Path,
    endpoint: str,
    graph_iri: str,
    *,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 120.0,
) -> PushResult:
    """Replace named graph ``graph_iri`` in the store at ``endpoint`` with ``source``.

    ``endpoint`` is the store's Graph Store Protocol URL (Virtuoso:
    ``http://host:8890/sparql-graph-crud``, or ``.../sparql-graph-crud-auth``
    with credentials; Fuseki: ``http://host:3030/DATASET/data``).
    """
    _check_endpoint(endpoint)
    if not graph_iri or any(c in graph_iri for c in ' <>"{}|\\^`'):
        raise PushError(f"graph {graph_iri!r} is not a valid IRI")
    graph = source if isinstance(source, Graph) else read_graph(Path(source))
    if len(graph) == 0:
        raise PushError(f"nothing to push to <{graph_iri}>: the graph is empty")
    body = serialize(graph, "turtle")
    sep = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    url = f"{endpoint}{sep}{urllib.parse.urlencode({'graph': graph_iri})}"
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "text/turtle; charset=utf-8"}
    )
    handlers: list[urllib.request.BaseHandler] = []
    if user:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, endpoint, user, password or "")
        digest = urllib.request.HTTPDigestAuthHandler(passwords)
        handlers += [digest, urllib.request.HTTPBasicAuthHandler(passwords)]
        _sign_up_front(request, digest, user, password or "", timeout)
    opener = urllib.request.build_opener(*handlers)
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
            media = response.headers.get_content_type()
            answer = response.read(4096)
    except urllib.error.HTTPError as exc:
        detail = _first_line(exc)
        if exc.code == 401:
            hint = "check --user/--password" if user else "the store needs --user/--password"
            raise PushError(f"{endpoint}: not authorised (HTTP 401): {hint}") from None
        raise PushError(
            f"{endpoint}: the store refused the graph (HTTP {exc.code}): {detail}"
        ) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ConnectionResetError | BrokenPipeError):
            raise PushError(
                f"{endpoint}: the store closed the connection while the graph was being sent "
                f"({exc.reason})"
            ) from None
        raise PushError(f"{endpoint}: cannot reach the store ({exc.reason})") from None
    except (ConnectionResetError, BrokenPipeError) as exc:
        raise PushError(
            f"{endpoint}: the store closed the connection while the graph was being sent ({exc})"
        ) from None
    except (TimeoutError, OSError) as exc:
        raise PushError(f"{endpoint}: no answer ({exc})") from None
    if status not in (200, 201, 202, 204):
        raise PushError(f"{endpoint}: unexpected answer HTTP {status}")
    if status != 204 and media == "text/html" and b"<form" in answer.lower():
        raise PushError(
            f"{endpoint}: the store answered with an HTML form (a login page?), not a "
            "Graph Store Protocol answer: check the URL and --user"
        )
    return PushResult(endpoint, graph_iri, len(graph), status, time.perf_counter() - started)


def push_dataset(
    store: GraphStore,
    endpoint: str,
    graph_iri: str,
    *,
    named_graphs: bool = True,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 120.0,
    progress: Progress = SILENT,
) -> list[PushResult]:
    """The built graph into ``graph_iri``, then (``named_graphs``) each named graph of ``store``."""
    names = store.named_graphs() if named_graphs else []
    targets: list[tuple[str | None, str]] = [(None, graph_iri)] + [(n, n) for n in names]
    results = []
    with progress.task("pushing graphs", total=len(targets)) as advance:
        for name, target in targets:
            results.append(
                push_graph(
                    store.graph(name),
                    endpoint,
                    target,
                    user=user,
                    password=password,
                    timeout=timeout,
                )
            )
            advance(1)
    return results


def _sign_up_front(
    request: urllib.request.Request,
    digest: urllib.request.HTTPDigestAuthHandler,
    user: str,
    password: str,
    timeout: float,
) -> None:
    """Give ``request`` the Authorization the store asks for before its body is sent.

    urllib answers a challenge only after a first attempt; a store that
    answers 401 before reading a large body (Virtuoso does) closes the
    connection while the graph is still being sent. So a bodiless ``HEAD`` of
    the same URL fetches the challenge first, and the PUT goes out signed.
    """
    probe = urllib.request.Request(request.full_url, method="HEAD")
    try:
        with urllib.request.urlopen(probe, timeout=timeout):
            return  # no challenge: the store takes the graph without credentials
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
    except (urllib.error.URLError, OSError):
        return  # the PUT itself reports an unreachable store
    scheme, _, params = challenge.partition(" ")
    if scheme.lower() == "digest":
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
        signed = digest.get_authorization(request, chal)
        if signed:
            request.add_unredirected_header("Authorization", f"Digest {signed}")
    elif scheme.lower() == "basic":
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {token}")


def _check_endpoint(endpoint: str) -> None:
    try:
        parts = urllib.parse.urlsplit(endpoint)
        port = parts.port
    except ValueError as exc:
        raise PushError(f"endpoint is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"endpoint {_safe(endpoint)!r} is not an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise PushError(
            "the endpoint URL carries credentials: give the user with --user and the "
            "password in KGRAPH_PASSWORD instead"
        )
    del port


def _safe(url: str) -> str:
    """``url`` without any ``user:password@`` part, for messages."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    return f"{scheme}://{host.rpartition('@')[2]}{slash}{path}"


def _first_line(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", "replace")
    except OSError:
        text = ""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("<"):
            return line[:200]
    return str(exc.reason)


__all__ = ["PushError", "PushResult", "push_dataset", "push_graph"]
