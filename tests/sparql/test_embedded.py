"""The embedded engine (the store) gives the same answers as rdflib for every shipped query.

Every query of the library, with its defaults and every example, runs on the
store (:class:`kgraph.sparql.StoreEngine`) and on rdflib over the same graph
(:class:`kgraph.sparql.LocalGraph`); answers are compared as values, row by
row, in order. Queries that read the national backbone are compared again on
the curated graph with part of the backbone (tests/sparql/regional.py), where
they answer. Then what only the store does: named graphs, refusals, limits.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from kgraph.errors import QueryError
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.sparql import (
    LimitExceeded,
    LocalGraph,
    StoreEngine,
    library,
    query_store,
    run_query,
)
from tests.sparql.regional import BACKBONE_QUERIES

IRIS = Iris()
CASES = [
    pytest.param(name, example, id=f"{name}{'-' if example else ''}{'-'.join(example.values())}")
    for name, q in sorted(library().items())
    for example in ({}, *q.examples)
]
PREFIX = "PREFIX kg: <https://kgraph.example.org/def/>\n"


@pytest.mark.parametrize(("name", "example"), CASES)
def test_same_answers_as_rdflib(
    built_store: GraphStore, graph: Graph, name: str, example: dict[str, str]
) -> None:
    q = library()[name]
    on_rdflib = run_query(q, example, LocalGraph(graph), IRIS)
    on_store = run_query(q, example, StoreEngine(built_store), IRIS)
    assert on_store.variables == on_rdflib.variables
    if name not in BACKBONE_QUERIES:  # those answer on the backbone: see the test below
        assert on_rdflib.rows, "every shipped query answers on the shipped data"
    assert on_store.comparable() == on_rdflib.comparable()


@pytest.mark.parametrize(("name", "example"), [c for c in CASES if c.values[0] in BACKBONE_QUERIES])
def test_same_answers_as_rdflib_with_the_backbone(
    regional_store: GraphStore, regional_graph: Graph, name: str, example: dict[str, str]
) -> None:
    q = library()[name]
    on_rdflib = run_query(q, example, LocalGraph(regional_graph), IRIS)
    on_store = run_query(q, example, StoreEngine(regional_store), IRIS)
    assert on_store.variables == on_rdflib.variables
    assert on_rdflib.rows, "every shipped query answers on the shipped data and the backbone"
    assert on_store.comparable() == on_rdflib.comparable()


def test_values_really_differ_between_examples(built_store: GraphStore) -> None:
    """Guard against a comparison that cannot fail: different parameters, different answers."""
    q = library()["commune-indicators"]
    engine = StoreEngine(built_store)
    pom_lot = run_query(q, {"commune": "2024-03356"}, engine, IRIS)
    thanh_luong = run_query(q, {"commune": "2024-03328"}, engine, IRIS)
    assert len(pom_lot.rows) == 23
    assert len(thanh_luong.rows) == 13
    assert pom_lot.comparable() != thanh_luong.comparable()


def test_unknown_ids_are_named(built_store: GraphStore) -> None:
    q = library()["commune-indicators"]
    with pytest.raises(QueryError, match="no commune with id 'xa-nowhere'"):
        run_query(q, {"commune": "xa-nowhere"}, StoreEngine(built_store), IRIS)


def test_default_graph_is_the_built_graph_once(built_store: GraphStore, graph: Graph) -> None:
    """Named graphs repeat statements; the default graph holds each exactly once."""
    count = query_store(built_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(count.rows[0][0]) == len(graph) == len(built_store)


def test_graph_and_from_named_reach_the_named_graphs(built_store: GraphStore) -> None:
    pom_lot_source = str(IRIS.graph("source/001_a26cdb5e4219828f"))
    result = query_store(
        built_store,
        PREFIX + "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
        "GROUP BY ?g ORDER BY ?g",
    )
    graphs = {str(g): int(n) for g, n in result.rows}
    assert pom_lot_source in graphs and graphs[pom_lot_source] > 100
    assert str(IRIS.graph("ontology")) in graphs and str(IRIS.graph("shapes")) in graphs
    only = query_store(
        built_store,
        f"SELECT (COUNT(*) AS ?n) FROM <{pom_lot_source}> WHERE {{ ?s ?p ?o }}",
    )
    assert int(only.rows[0][0]) == graphs[pom_lot_source]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("INSERT DATA { <http://x.org/a> <http://x.org/b> <http://x.org/c> }", "Update"),
        ("DROP ALL", "Update"),
        ("SELECT * WHERE { ?s ?p }", "syntax error"),
    ],
)
def test_refusals_are_clear(built_store: GraphStore, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        query_store(built_store, text)


def test_keywords_inside_strings_are_not_refused(built_store: GraphStore) -> None:
    text = 'SELECT ?x WHERE { BIND("SERVICE; DROP ALL" AS ?x) }  # INSERT'
    assert query_store(built_store, text).rows == ((Literal("SERVICE; DROP ALL"),),)


def test_row_cap(built_store: GraphStore) -> None:
    with pytest.raises(LimitExceeded, match="more than 10 rows"):
        query_store(built_store, "SELECT * WHERE { ?s ?p ?o }", max_rows=10)
    assert len(query_store(built_store, "SELECT * { ?s ?p ?o } LIMIT 10", max_rows=10).rows) == 10


def test_bindings_are_values_not_text(built_store: GraphStore) -> None:
    hostile = Literal('x" } ; DROP ALL ; SELECT * { "')
    result = query_store(built_store, "SELECT ?v WHERE { BIND(?v AS ?w) }", {"v": hostile})
    assert result.rows == ((hostile,),)
    pom_lot = IRIS.unit("commune", "2024", "03356")
    label = query_store(
        built_store,
        "SELECT ?l WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        'FILTER(lang(?l) = "vi") }',
        {"c": pom_lot},
    )
    assert label.rows == ((Literal("Pom Lót", lang="vi"),),)
    assert isinstance(pom_lot, URIRef)
