"""The embedded engine: SPARQL on the store (pyoxigraph), the engine every command uses.

Parameters are bound as for any endpoint: a ``VALUES`` block of checked,
escaped RDF terms at the top of the outermost ``WHERE`` group
(:func:`~kgraph.sparql.named.with_values`), never pasted in as text. Queries
see the store's default graph, which is the built graph; ``GRAPH``, ``FROM``
and ``FROM NAMED`` reach the named graphs of the store and nothing outside it
(``SERVICE`` and updates are refused before the engine sees the text).

Answers come back as :class:`~kgraph.sparql.results.QueryResult` with rdflib
terms, so every renderer and every test treats them like the other engines'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from kgraph.errors import QueryError, one_line
from kgraph.graph.engine import GraphStore, to_rdflib
from kgraph.graph.namespaces import bind_prefixes
from kgraph.sparql.named import (
    Bindings,
    NamedQuery,
    pick_candidate,
    query_label,
    refused_keyword,
    with_values,
)
from kgraph.sparql.results import LimitExceeded, QueryResult


def check_text(text: str, where: str = "query") -> None:
    """Refuse SPARQL Update and SERVICE before any engine sees ``text``."""
    keyword = refused_keyword(text)
    if keyword == "SERVICE":
        raise QueryError(f"{where}: SERVICE is not allowed (queries never leave this store)")
    if keyword is not None:
        raise QueryError(f"{where}: SPARQL Update is not allowed ({keyword}), only queries")


def query_store(
    store: GraphStore,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    max_rows: int | None = None,
    where: str = "query",
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] | None = None,
) -> QueryResult:
    """Run SPARQL ``text`` on ``store`` with ``bindings`` bound; at most ``max_rows`` rows.

    ``default_graphs`` and ``named_graphs`` are the SPARQL protocol's
    ``default-graph-uri`` and ``named-graph-uri``: graphs of the store that make
    the query's dataset instead of the default graph and every named graph.
    """
    check_text(text, where)
    if bindings:
        text = with_values(text, {k: [v] for k, v in bindings.items()})
    dataset: dict[str, Any] = {}
    if default_graphs:
        dataset["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs is not None:
        dataset["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        answer = store.store.query(text, **dataset)
    except SyntaxError as exc:
        raise QueryError(f"{where}: SPARQL syntax error: {one_line(exc)}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"{where}: query failed: {one_line(exc)}") from None
    try:
        return _result(answer, max_rows, where)
    except (OSError, ValueError, RuntimeError) as exc:  # evaluation is lazy: errors come here
        raise QueryError(f"{where}: query failed: {one_line(exc)}") from None


def _result(answer: Any, max_rows: int | None, where: str) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        out = Graph()
        bind_prefixes(out)
        for n, triple in enumerate(answer):
            if max_rows is not None and n >= max_rows:
                raise LimitExceeded(
                    f"{where}: the result has more than {max_rows} triples; narrow the query"
                )
            out.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )
        return QueryResult("CONSTRUCT", graph=out)
    variables = tuple(v.value for v in answer.variables)
    rows: list[tuple[Node | None, ...]] = []
    for solution in answer:
        if max_rows is not None and len(rows) >= max_rows:
            raise LimitExceeded(
                f"{where}: the result has more than {max_rows} rows; add LIMIT or narrow it"
            )
        rows.append(tuple(None if t is None else to_rdflib(t) for t in solution))
    return QueryResult("SELECT", variables, tuple(rows))


@dataclass(frozen=True)
class StoreEngine:
    """The embedded engine over an opened store; parameters as a VALUES block."""

    store: GraphStore
    max_rows: int | None = None

    def run(self, query: NamedQuery, bindings: Bindings) -> QueryResult:
        single = {
            name: pick_candidate(query, name, terms, self.store.contains)
            for name, terms in bindings.items()
        }
        return query_store(
            self.store, query.text, single, max_rows=self.max_rows, where=query_label(query)
        )


__all__ = ["StoreEngine", "check_text", "query_store"]
