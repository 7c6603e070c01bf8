"""Every shipped query gives the same answers on pyoxigraph as on the embedded rdflib engine.

Parameters reach pyoxigraph the way they reach any endpoint: as a VALUES block
(kgraph.sparql.named.with_values). Answers are compared as values, row by row, in order.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.graph.namespaces import Iris
from kgraph.sparql import (
    LocalGraph,
    QueryResult,
    bind_parameters,
    compile_query,
    library,
    query_form,
    run_query,
    with_values,
)

IRIS = Iris()
CASES = [
    pytest.param(name, example, id=f"{name}{'-' if example else ''}{'-'.join(example.values())}")
    for name, q in sorted(library().items())
    for example in ({}, *q.examples)
]


@pytest.fixture(scope="module")
def ox() -> Any:
    try:
        import pyoxigraph
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("pyoxigraph is missing under CI: install the test extras (.ci/setup test)")
        pytest.skip(
            "pyoxigraph is not installed (it comes with the test extras: pip install -e '.[test]')"
        )
    return pyoxigraph


@pytest.fixture(scope="module")
def store(ox: Any, built_ttl: Path) -> Any:
    store = ox.Store()
    store.load(path=str(built_ttl), format=ox.RdfFormat.TURTLE)
    return store


def _term(ox: Any, term: Any) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _on_oxigraph(ox: Any, store: Any, text: str) -> QueryResult:
    answer = store.query(text)
    if isinstance(answer, bool):
        return QueryResult("ASK", boolean=answer)
    variables = tuple(v.value for v in answer.variables)
    rows = tuple(tuple(_term(ox, solution[v]) for v in variables) for solution in answer)
    return QueryResult("SELECT", variables, rows)


@pytest.mark.parametrize(("name", "example"), CASES)
def test_same_answers_as_rdflib(
    ox: Any, store: Any, graph: Graph, name: str, example: dict[str, str]
) -> None:
    q = library()[name]
    embedded = run_query(q, example, LocalGraph(graph), IRIS)
    text = with_values(q.text, bind_parameters(q, example, IRIS))
    assert query_form(compile_query(text)) == "SELECT"
    other = _on_oxigraph(ox, store, text)
    assert other.variables == embedded.variables
    assert embedded.rows, "every shipped query answers on the shipped data"
    assert other.comparable() == embedded.comparable()


def test_values_really_differ_between_examples(ox: Any, store: Any) -> None:
    """Guard against a comparison that cannot fail: different parameters, different answers."""
    q = library()["commune-indicators"]
    answers = {
        commune: _on_oxigraph(
            ox, store, with_values(q.text, bind_parameters(q, {"commune": commune}, IRIS))
        )
        for commune in ("xa-pom-lot", "xa-thanh-luong")
    }
    assert len(answers["xa-pom-lot"].rows) == 23
    assert len(answers["xa-thanh-luong"].rows) == 13
    assert answers["xa-pom-lot"].comparable() != answers["xa-thanh-luong"].comparable()
