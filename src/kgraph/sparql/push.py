"""Load the built graph into a triple store through the SPARQL 1.1 Graph Store HTTP Protocol.

``push_graph`` sends one ``PUT <endpoint>?graph=<IRI>`` with the graph as
Turtle. PUT replaces the named graph, so pushing again never duplicates a
triple, and other graphs in the store are left alone. Credentials, when given,
answer the store's Basic or Digest challenge (Virtuoso's authenticated
endpoint, ``/sparql-graph-crud-auth``, uses Digest).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kgraph.errors import KgraphError
from kgraph.graph.store import read_graph, serialize


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
    if not endpoint.startswith(("http://", "https://")):
        raise PushError(f"endpoint {endpoint!r} is not an http(s) URL")
    if not graph_iri or any(c in graph_iri for c in ' <>"{}|\\^`'):
        raise PushError(f"graph {graph_iri!r} is not a valid IRI")
    graph = source if isinstance(source, Graph) else read_graph(Path(source))
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
        handlers += [
            urllib.request.HTTPDigestAuthHandler(passwords),
            urllib.request.HTTPBasicAuthHandler(passwords),
        ]
    opener = urllib.request.build_opener(*handlers)
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        detail = _first_line(exc)
        if exc.code == 401:
            hint = "check --user/--password" if user else "the store needs --user/--password"
            raise PushError(f"{endpoint}: not authorised (HTTP 401): {hint}") from None
        raise PushError(
            f"{endpoint}: the store refused the graph (HTTP {exc.code}): {detail}"
        ) from None
    except urllib.error.URLError as exc:
        raise PushError(f"{endpoint}: cannot reach the store ({exc.reason})") from None
    except (TimeoutError, OSError) as exc:
        raise PushError(f"{endpoint}: no answer ({exc})") from None
    if status not in (200, 201, 204):
        raise PushError(f"{endpoint}: unexpected answer HTTP {status}")
    return PushResult(endpoint, graph_iri, len(graph), status, time.perf_counter() - started)


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


__all__ = ["PushError", "PushResult", "push_graph"]
