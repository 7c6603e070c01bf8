"""Evaluating a query: parsing and checking it, running it in process or on an endpoint.

In process a query runs on an rdflib graph under a deadline and a row cap; on an
endpoint it goes over the SPARQL 1.1 protocol with its parameters as a ``VALUES``
block (:func:`kgraph.sparql.named.with_values`). Both return a
:class:`~kgraph.sparql.results.QueryResult`.
"""

from __future__ import annotations

import json
import time
import urllib.error
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, cast

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

from kgraph.errors import QueryError, one_line
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris, bind_prefixes
from kgraph.graph.store import write_bytes
from kgraph.sparql.embedded import StoreEngine
from kgraph.sparql.named import (
    Bindings,
    NamedQuery,
    bind_parameters,
    library,
    pick_candidate,
    query_label,
    with_values,
)
from kgraph.sparql.results import LimitExceeded, QueryResult, render

# -- parsing and checking ------------------------------------------------------------------

_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def compile_query(text: str, where: str = "query") -> Query:
    """Parse SPARQL 1.1 text; refuse updates, SERVICE and FROM (the graph is fixed)."""
    try:
        parsed = prepareQuery(text)
    except Exception as exc:  # pyparsing and rdflib raise many types for bad text
        if _is_update(text):
            raise QueryError(f"{where}: SPARQL Update is not allowed, only queries") from None
        raise QueryError(f"{where}: SPARQL syntax error: {one_line(exc)}") from None
    if parsed.algebra.get("datasetClause"):
        raise QueryError(f"{where}: FROM / FROM NAMED are not supported; query the graph as it is")
    if _uses_service(parsed.algebra):
        raise QueryError(f"{where}: SERVICE is not allowed (queries never leave this graph)")
    return parsed


def query_form(parsed: Query) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE."""
    return _FORMS[parsed.algebra.name]


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _uses_service(node: object) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_uses_service(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_service(v) for v in node)
    return False


class _Deadline(Exception):
    """Raised from inside rdflib's evaluation when the time is up."""


class _TimedGraph(Graph):
    """The same triples, but every pattern lookup checks the clock."""

    def __init__(self, graph: Graph, deadline: float) -> None:
        super().__init__(
            store=graph.store,
            identifier=graph.identifier,
            namespace_manager=graph.namespace_manager,
        )
        self._deadline = deadline

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]
        if time.monotonic() > self._deadline:
            raise _Deadline
        for n, t in enumerate(super().triples(triple)):
            if n % 256 == 255 and time.monotonic() > self._deadline:
                raise _Deadline
            yield t


def evaluate(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    where: str = "query",
) -> QueryResult:
    """Run SPARQL on an rdflib graph in process, within an optional time and size limit."""
    parsed = compile_query(text, where)
    form = query_form(parsed)
    target: Graph = graph
    if timeout is not None:
        target = _TimedGraph(graph, time.monotonic() + timeout)
    init = {k: cast(Identifier, v) for k, v in (bindings or {}).items()}
    try:
        res = evalQuery(target, parsed, init)
        if form == "ASK":
            return QueryResult(form, boolean=bool(res["askAnswer"]))
        if form in ("CONSTRUCT", "DESCRIBE"):
            out = Graph()
            bind_prefixes(out)
            out += res["graph"]
            if max_rows is not None and len(out) > max_rows:
                raise LimitExceeded(
                    f"{where}: the result has more than {max_rows} triples; narrow the query"
                )
            return QueryResult(form, graph=out)
        variables = tuple(str(v) for v in res["vars_"])
        rows: list[tuple[Node | None, ...]] = []
        for solution in res["bindings"]:
            if max_rows is not None and len(rows) >= max_rows:
                raise LimitExceeded(
                    f"{where}: the result has more than {max_rows} rows; add LIMIT or narrow it"
                )
            rows.append(tuple(solution.get(Variable(v)) for v in variables))
        return QueryResult(form, variables, tuple(rows))
    except _Deadline:
        raise LimitExceeded(f"{where}: stopped after the time limit of {timeout:g} s") from None
    except QueryError:
        raise
    except Exception as exc:  # rdflib's evaluation errors have no common base
        raise QueryError(f"{where}: query failed: {one_line(exc)}") from exc


# -- where a query runs ---------------------------------------------------------------------


@dataclass(frozen=True)
class LocalGraph:
    """The embedded engine: rdflib over a graph in memory; parameters via initBindings."""

    graph: Graph
    timeout: float | None = None
    max_rows: int | None = None

    def run(self, query: NamedQuery, bindings: Bindings) -> QueryResult:
        single: dict[str, Node] = {}
        for name, terms in bindings.items():
            single[name] = pick_candidate(query, name, terms, self._known)
        return evaluate(
            self.graph,
            query.text,
            single,
            timeout=self.timeout,
            max_rows=self.max_rows,
            where=query_label(query),
        )

    def _known(self, term: Node) -> bool:
        return (term, None, None) in self.graph or (None, None, term) in self.graph


@dataclass(frozen=True)
class Endpoint:
    """Any SPARQL 1.1 endpoint through SPARQLWrapper; parameters as a VALUES block."""

    url: str
    graph_iri: str | None = None
    timeout: float = 60.0
    user: str | None = None
    password: str | None = None
    auth: str = "basic"

    def run(self, query: NamedQuery, bindings: Bindings) -> QueryResult:
        where = query_label(query)
        parsed = compile_query(query.text, where)
        form = query_form(parsed)
        text = with_values(query.text, bindings)
        compile_query(text, where)
        return self.send(text, form, where)

    def send(self, text: str, form: str, where: str = "query") -> QueryResult:
        """Send checked query text and read the answer into a QueryResult."""
        from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.url)
        client.setOnlyConneg(True)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setTimeout(max(1, round(self.timeout)))
        client.setQuery(text)
        # SPARQLWrapper guesses the form by keyword search, and takes "add" in a string for
        # SPARQL Update's ADD; the form is known from parsing, so say it
        client.queryType = form
        if self.graph_iri:
            client.addDefaultGraph(self.graph_iri)
        if self.user:
            client.setHTTPAuth(BASIC if self.auth == "basic" else DIGEST)
            client.setCredentials(self.user, self.password or "")
        client.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
        try:
            response = client.query()
            payload = response.response.read()
        except SPARQLWrapperException as exc:
            raise QueryError(f"{self.url}: endpoint refused the query: {_answer(exc)}") from None
        except urllib.error.HTTPError as exc:
            raise QueryError(
                f"{self.url}: endpoint answered HTTP {exc.code}: {_answer(exc)}"
            ) from None
        except urllib.error.URLError as exc:
            raise QueryError(f"{self.url}: cannot reach the endpoint ({exc.reason})") from None
        except TimeoutError:
            raise QueryError(f"{self.url}: no answer within {self.timeout:g} s") from None
        except OSError as exc:
            raise QueryError(f"{self.url}: cannot reach the endpoint ({exc})") from None
        if form in ("CONSTRUCT", "DESCRIBE"):
            out = Graph()
            bind_prefixes(out)
            try:
                out.parse(data=payload, format="turtle")
            except Exception as exc:
                raise QueryError(f"{self.url}: the answer is not Turtle: {one_line(exc)}") from None
            return QueryResult(form, graph=out)
        try:
            return results_from_json(json.loads(payload))
        except (ValueError, KeyError, TypeError) as exc:
            raise QueryError(
                f"{self.url}: the answer is not SPARQL JSON results: {one_line(exc)}"
            ) from None


def _answer(exc: BaseException) -> str:
    body = getattr(exc, "response", None)
    if body is None and isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read()
        except OSError:
            body = None
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    for line in str(body or exc).splitlines():
        if line.strip():
            return one_line(Exception(line.strip()))
    return type(exc).__name__


def results_from_json(data: Mapping[str, Any]) -> QueryResult:
    """Read W3C SPARQL 1.1 JSON results (also Virtuoso's ``typed-literal``)."""
    if "boolean" in data:
        return QueryResult("ASK", boolean=bool(data["boolean"]))
    variables = tuple(data["head"]["vars"])
    rows = tuple(
        tuple(_term_from_json(b[v]) if v in b else None for v in variables)
        for b in data["results"]["bindings"]
    )
    return QueryResult("SELECT", variables, rows)


def _term_from_json(value: Mapping[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    if "datatype" in value:
        return Literal(value["value"], datatype=URIRef(value["datatype"]))
    return Literal(value["value"])


def run_query(
    query: NamedQuery,
    given: Mapping[str, str],
    engine: LocalGraph | Endpoint | StoreEngine,
    iris: Iris | None = None,
) -> QueryResult:
    """Bind ``given`` parameters (defaults filled in) and run ``query`` on ``engine``."""
    return engine.run(query, bind_parameters(query, given, iris or Iris()))


def write_library_results(
    source: Graph | GraphStore, out_dir: Path, iris: Iris | None = None
) -> list[Path]:
    """Run every shipped query with its defaults and write ``<name>.csv`` into ``out_dir``.

    Researchers get the answers without running SPARQL; each file is written
    atomically. ``source`` is the store (the embedded engine) or an rdflib graph.
    """
    engine: StoreEngine | LocalGraph = (
        StoreEngine(source) if isinstance(source, GraphStore) else LocalGraph(source)
    )
    written = []
    for name, query in library().items():
        result = run_query(query, {}, engine, iris)
        data = render(result, "csv").encode("utf-8")
        written.append(write_bytes(out_dir / f"{name}.csv", partial(bytes, data)))
    return written
