"""SPARQL rules run once (``kgraph.check.rules``): exactly pySHACL's results, found faster.

Small named fixtures check each kind of target against plain pySHACL; graphs
from ``kgraph generate`` with contradictions and injected core violations check
the whole shipped shapes against the planned per-focus-node path (plain pySHACL
takes over ten minutes at 10^4 triples; the planned path is checked against it
in ``test_validate.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph import resources
from kgraph.check import ValidationReport, validate_graph
from kgraph.check.rules import find_rules, joinable
from kgraph.check.validate import _load_shapes
from kgraph.curate.dataset import load_dataset
from kgraph.curate.generate import generate_data
from kgraph.graph.build import build_graph
from kgraph.graph.namespaces import KG, RDFS, SDMX_MEASURE, SH

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
EX = "https://example.org/"

Key = tuple[Node | None, ...]


def _results(report: ValidationReport) -> set[Key]:
    """Every result as (focus, path, value, shape, constraint, component, severity, messages)."""
    graph = report.report_graph
    keys = set()
    for node in graph.objects(None, SH.result):
        fields = (
            SH.focusNode,
            SH.resultPath,
            SH.value,
            SH.sourceShape,
            SH.sourceConstraint,
            SH.sourceConstraintComponent,
            SH.resultSeverity,
        )
        messages = frozenset(graph.objects(node, SH.resultMessage))
        keys.add((*(graph.value(node, f) for f in fields), messages))  # type: ignore[arg-type]
    return keys


@pytest.fixture(scope="module")
def kinds() -> tuple[Graph, Graph]:
    shapes = Graph().parse(FIXTURES / "target-kinds.shapes.ttl")
    data = Graph().parse(FIXTURES / "target-kinds.ttl")
    return shapes, data


def test_each_target_kind_gives_plain_pyshacls_results(kinds: tuple[Graph, Graph]) -> None:
    shapes, data = kinds
    once = _results(validate_graph(data, shapes=shapes, once=True))
    plain = _results(validate_graph(data, shapes=shapes, planned=False))
    assert once == plain
    rules = [k for k in once if k[5] == SH.SPARQLConstraintComponent]
    found = {(str(k[3]).removeprefix(EX), str(k[0]).removeprefix(EX)) for k in rules}
    assert found == {
        ("ByClass", "a"),
        ("ByClass", "b"),  # an instance of a subclass
        ("ByNode", "a"),
        ("ByNode", "d"),
        ("BySubjects", "a"),
        ("BySubjects", "d"),
        ("ByObjects", "b"),
        ("BySparqlTarget", "a"),
        ("BySparqlTarget", "d"),
        ("Unjoinable", "b"),
    }
    assert {(k[0], k[5]) for k in once if k not in rules} == {
        (URIRef(EX + "b"), SH.MinCountConstraintComponent)
    }
    # two names, two results for ex:d from one rule; the grouped rule counts both
    assert sum(1 for k in once if k[0] == URIRef(EX + "d") and "ByNode" in str(k[3])) == 2
    # pySHACL drops the language of a message it fills in
    assert Literal("grouped: 2 names") in {m for k in once for m in k[7]}  # type: ignore[union-attr]


def test_rules_that_cannot_run_once_are_left_to_pyshacl(kinds: tuple[Graph, Graph]) -> None:
    shapes, _ = kinds
    names = {str(rule.shape).removeprefix(EX) for rule in find_rules(shapes)}
    assert names == {"ByClass", "ByNode", "BySubjects", "ByObjects", "BySparqlTarget"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("SELECT $this WHERE { $this a ?c }", True),
        ("SELECT $this ?v WHERE { $this a ?c . OPTIONAL { ?c ?p ?v } }", True),
        ("SELECT $this (COUNT(?c) AS ?n) WHERE { $this a ?c } GROUP BY $this", True),
        ("SELECT $this WHERE { OPTIONAL { $this a ?c } FILTER (!BOUND(?c)) }", False),
        ("SELECT (COUNT(?c) AS ?n) WHERE { $this a ?c }", False),
        ("SELECT $this WHERE { $this a ?c } LIMIT 1", False),
        ("SELECT $this WHERE { BIND ($this AS ?x) ?x a ?c }", False),
        ("SELECT $this WHERE { { $this a ?c } UNION { ?c a ?d } }", False),
        ("SELECT ?c WHERE { $this a ?c }", False),
    ],
)
def test_joinable(text: str, expected: bool) -> None:
    assert joinable(text) is expected


def test_every_shipped_rule_runs_once() -> None:
    shapes = _load_shapes(resources.shapes_file())
    rule_shapes = set(shapes.subjects(SH.sparql, None))
    assert rule_shapes and len(find_rules(shapes)) == len(rule_shapes)


def _generated(tmp: Path, seed: int) -> Graph:
    """A generated graph (~10^4 triples, 20 % contradictions) with three core violations."""
    generate_data(tmp / "data", triples=10_000, seed=seed, inconsistency=0.2)
    graph = build_graph(load_dataset(tmp / "data"))
    observations = sorted(graph.subjects(SDMX_MEASURE.obsValue, None))
    labelled = sorted(
        set(graph.subjects(RDFS.label, None)) - set(graph.subjects(KG.searchKey, None))
    )
    graph.remove((labelled[seed], RDFS.label, None))  # a missing required property
    first = observations[seed]
    graph.set((first, SDMX_MEASURE.obsValue, Literal("many")))  # a wrong datatype
    graph.set((observations[seed + 1], KG.indicator, URIRef(f"{KG}indicator/nowhere")))  # dangling
    return graph


@pytest.mark.parametrize("seed", [0, 1])
def test_generated_graphs_give_the_per_focus_node_results(tmp_path: Path, seed: int) -> None:
    graph = _generated(tmp_path, seed)
    once = validate_graph(graph, once=True)
    planned = validate_graph(graph)
    assert _results(once) == _results(planned)
    assert once.results == planned.results
    assert len(once.violations) >= 3 and once.warnings
