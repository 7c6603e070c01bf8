"""Stage 3: check a graph against kgraph's SHACL shapes (``ontology/shapes.ttl``).

``validate_graph`` is the stage's one public function. It runs pySHACL
(no inference) and turns its ``sh:ValidationReport`` into a typed
:class:`ValidationReport`: one :class:`ValidationResult` per result, with the
focus node's label, the path, the offending value, the message and the quotes
that back the facts involved, so an analyst can judge a warning from the
report alone (:mod:`kgraph.check.report`). ``ValidationReport.render`` writes
it as text, JSON or the standard Turtle report (``RENDERERS``).

Why the query planning below: the consistency rules are SHACL-SPARQL
constraints, and pySHACL runs each one once per focus node by handing rdflib
the query *text* with ``$this`` pre-bound. rdflib then re-parses the text
every time (~20-50 ms a query) and orders triple patterns without knowing
that ``$this`` is bound, so it starts from "every observation". The data
graph is therefore wrapped in :class:`~kgraph.check.planner.PlannedGraph`, which parses each query
once and orders every basic graph pattern to walk outwards from the bound
variables. Results are the same; the shipped graph validates ~50x faster.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.term import Node

from kgraph import resources
from kgraph.check import rules
from kgraph.check.granularity import add_smallest_totals
from kgraph.check.planner import PLANS, PlannedGraph
from kgraph.check.report import ValidationReport, results_from_report
from kgraph.errors import InputError, first_line
from kgraph.graph.namespaces import (
    KG,
    OWL,
    RDF,
    SH,
)

# ---------------------------------------------------------------------------
# The stage
# ---------------------------------------------------------------------------


@cache
def _load_shapes(path: Path) -> Graph:
    """The shapes graph, parsed once per process (pySHACL only reads it)."""
    shapes = Graph()
    try:
        shapes.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        raise InputError(f"cannot parse the SHACL shapes: {exc}", path=path) from exc
    return shapes


@cache
def _ontology() -> Graph:
    ontology = Graph()
    ontology.parse(resources.ontology_file(), format="turtle")
    return ontology


def _with_ontology(graph: Graph) -> Graph:
    """The graph itself if it carries the ontology (as built graphs do), else a merged copy.

    Class targets follow rdfs:subClassOf in the data graph, so the shapes need
    the ontology next to the instances.
    """
    if (KG.ontology, RDF.type, OWL.Ontology) in graph:
        return graph
    merged = Graph()
    for source in (graph, _ontology()):
        for triple in source:
            merged.add(triple)
    return merged


def _refuse_ill_typed(graph: Graph) -> None:
    """Refuse a literal that is not what its datatype says (``"23 chi"^^xsd:decimal``).

    Such a value cannot be compared, summed or averaged: the consistency rules
    would fail on it (or an engine would drop its whole group from an ``AVG``),
    so it is named before any rule runs. Curated tables never produce one; a
    graph from elsewhere may.
    """
    for s, p, o in graph:
        if isinstance(o, Literal) and o.ill_typed:
            raise InputError(
                f"<{s}> <{p}>: {str(o)[:60]!r} is not a valid {o.datatype}; fix the value "
                "before validating"
            )


def validate_graph(
    graph: Graph, *, shapes: Graph | None = None, planned: bool = True, once: bool = False
) -> ValidationReport:
    """Validate ``graph`` against kgraph's shapes (or ``shapes``) and describe every result.

    Warnings do not make a graph non-conforming; violations do. ``planned``
    false runs pySHACL on the plain graph (same results, much slower: for
    tests and benchmarks). ``once`` runs each SPARQL rule once over a store and
    pySHACL only on the focus nodes it finds (:mod:`kgraph.check.rules`; same
    results; faster at 10^4, slower at 10^5 until the rules' alternative paths
    are rewritten for Oxigraph: see docs/performance.md). Raises
    :class:`InputError` if the shapes cannot be read or pySHACL rejects them.

    >>> from kgraph.curate.dataset import load_dataset
    >>> from kgraph.graph.build import build_graph
    >>> report = validate_graph(build_graph(load_dataset(resources.data_dir())))
    >>> report.conforms, len(report.violations)
    (True, 0)
    """
    _refuse_ill_typed(graph)
    shapes_graph = shapes if shapes is not None else _load_shapes(resources.shapes_file())
    data = _with_ontology(graph)
    started = time.perf_counter()
    if not planned:
        report_graph = _pyshacl(data, shapes_graph)
    elif not once:
        report_graph = _pyshacl(PlannedGraph(data, PLANS), shapes_graph)
    else:
        report_graph = _rules_once(data, shapes_graph)
    add_smallest_totals(report_graph, data)
    results = results_from_report(report_graph, data, shapes_graph)
    return ValidationReport(
        results=results,
        report_graph=report_graph,
        triples=len(graph),
        seconds=time.perf_counter() - started,
    )


def _rules_once(data: Graph, shapes: Graph) -> Graph:
    """pySHACL with every SPARQL rule it can spare run once over a store (:mod:`.rules`).

    First run: every shape but those rules; second run: the rules alone, on the
    focus nodes where they have a solution. One report holds both runs' results.
    """
    found: dict[Node, set[Node]] = {}
    rules_ = rules.find_rules(shapes)
    if rules_:
        store = rules.load(data)
        predicates = rules.with_predicates(store, rules_)
        for rule in rules_:
            suspects = rules.suspects(store, rule, predicates)
            if suspects is not None:
                found[rule.shape] = suspects
        del store
    core, checks = rules.split_shapes(shapes, found)
    planned = PlannedGraph(data, PLANS)
    report = _pyshacl(planned, core)
    if any(found.values()):
        _merge(report, _pyshacl(planned, checks))
    return report


def _merge(report: Graph, other: Graph) -> None:
    """Add the results of the report ``other`` to ``report`` (conforming only if both do)."""
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    (other_node,) = other.subjects(RDF.type, SH.ValidationReport)
    for s, p, o in other:
        if s != other_node:
            report.add((s, p, o))
    for result in other.objects(other_node, SH.result):
        report.add((node, SH.result, result))
    if other.value(other_node, SH.conforms) == Literal(False):
        report.set((node, SH.conforms, Literal(False)))


def _pyshacl(data: Graph, shapes: Graph) -> Graph:
    """pySHACL's report graph for ``data`` (no inference, advanced features on)."""
    import pyshacl  # imported here: it is slow to import and only validation needs it

    try:
        _conforms, report_graph, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            inplace=True,
            allow_warnings=True,
            abort_on_first=False,
            meta_shacl=False,
            do_owl_imports=False,
        )
    except Exception as exc:  # pySHACL's errors for unusable shapes have no common base
        first = first_line(exc)
        raise InputError(f"pySHACL cannot use the shapes: {first}") from exc
    assert isinstance(report_graph, Graph)
    return report_graph
