"""SHACL-SPARQL rules run once over the whole graph, to find the focus nodes worth checking.

pySHACL runs each SHACL-SPARQL constraint once per focus node, in rdflib: the
cost grows with every observation in the graph, although a rule fails on a few
of them. Here each rule runs **once**, on a pyoxigraph copy of the graph, with
``$this`` as an ordinary variable joined with the shape's targets (class
targets through ``rdfs:subClassOf*``, node, subjects-of and objects-of
targets, SPARQL targets as subqueries). Its answer is the set of focus nodes
on which the rule can fail; pySHACL then checks only those (as
``sh:targetNode`` of a copy of the shape), so every result, message and
severity is pySHACL's own (:func:`kgraph.check.validate.validate_graph`).

Running a rule with ``$this`` free and joining afterwards gives the focus
nodes that pre-binding gives only when ``$this`` is bound by the rule's
required patterns before anything reads it, and no aggregate or slice sees
other focus nodes' rows. :func:`joinable` checks that on the parsed query; a
rule that fails the check, a shape reached through another shape, a property
shape, a custom target and a literal focus node are left to pySHACL whole.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from kgraph.check.alternatives import Rewritten, materialise, rewrite
from kgraph.graph.engine import to_oxigraph, to_rdflib
from kgraph.graph.namespaces import OWL, RDF, RDFS, SH

THIS = Variable("this")
#: the target predicates of SHACL core and SHACL-SPARQL (``sh:target``)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
#: what a shape keeps when only its SPARQL constraints are checked
RULE_KEEPS = frozenset({RDF.type, SH.sparql, SH.severity, SH.deactivated, SH.message})
#: a shape that is also a class targets its instances (implicit class target)
CLASSES = (RDFS.Class, OWL.Class)
_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}


class _Unsafe(Exception):
    """A rule whose answer with ``$this`` free may miss a focus node that pre-binding finds."""


@dataclass(frozen=True)
class Rule:
    """A node shape with SPARQL constraints, and the one query that finds its suspects.

    ``plain`` is the same query with its alternative paths as single predicates
    (:mod:`kgraph.check.alternatives`), used on a store that has them.
    """

    shape: Node
    query: str
    plain: Rewritten


def _mentions_this(node: Any) -> bool:
    if node == THIS:
        return True
    if isinstance(node, CompValue):
        return any(_mentions_this(v) for k, v in node.items() if not k.startswith("_"))
    if isinstance(node, list | tuple):
        return any(_mentions_this(v) for v in node)
    return False


def _bound(node: Any) -> set[Any]:
    """The variables bound in every solution of an algebra node; raises :class:`_Unsafe`."""
    name = node.name
    if name == "BGP":
        return {t for triple in node.triples for t in triple if isinstance(t, Variable)}
    if name == "Join":
        return _bound(node.p1) | _bound(node.p2)
    if name == "LeftJoin":
        left = _bound(node.p1)
        inner = left | _bound(node.p2)
        if THIS not in inner and _mentions_this(node.get("expr")):
            raise _Unsafe("OPTIONAL filter reads $this before it is bound")
        return left
    if name == "Union":
        return _bound(node.p1) & _bound(node.p2)
    if name in ("Filter", "Extend"):
        inner = _bound(node.p)
        if THIS not in inner and _mentions_this(node.expr):
            raise _Unsafe(f"{name} reads $this before it is bound")
        return inner
    if name == "AggregateJoin":
        group = node.p
        keys = group.get("expr") or []
        if THIS not in keys or THIS not in _bound(group.p):
            raise _Unsafe("an aggregate that is not grouped by $this")
        return set(keys)
    if name == "Project":
        return _bound(node.p) & set(node.PV)
    if name in ("Distinct", "Reduced", "OrderBy", "Graph"):
        return _bound(node.p)
    raise _Unsafe(f"{name} (a subquery, slice, MINUS or VALUES)")


def joinable(text: str) -> bool:
    """Whether a SHACL-SPARQL ``SELECT`` finds the same focus nodes with ``$this`` free.

    >>> joinable("SELECT $this WHERE { $this a ?c }")
    True
    >>> joinable("SELECT $this WHERE { OPTIONAL { $this a ?c } FILTER (!BOUND(?c)) }")
    False
    """
    try:
        return THIS in _bound(prepareQuery(text).algebra.p)
    except _Unsafe:
        return False


def _prefixes(shapes: Graph, nodes: Iterable[Node]) -> dict[str, str] | None:
    """The prefixes pySHACL declares for these constraints and targets (None if they clash)."""
    declares = {
        d
        for onto in shapes.subjects(RDF.type, OWL.Ontology)
        for d in shapes.objects(onto, SH.declare)
    }
    for node in nodes:
        for holder in shapes.objects(node, SH.prefixes):
            declares.update(shapes.objects(holder, SH.declare))
    found = dict(_PREFIXES)
    for declare in declares:
        prefix, namespace = shapes.value(declare, SH.prefix), shapes.value(declare, SH.namespace)
        if (
            prefix is None
            or namespace is None
            or found.get(str(prefix), str(namespace)) != str(namespace)
        ):
            return None
        found[str(prefix)] = str(namespace)
    return found


def _target_patterns(shapes: Graph, shape: Node) -> list[str] | None:
    """One group graph pattern binding ``?this`` per target of ``shape`` (None: not supported)."""
    patterns = []
    for predicate, value in shapes.predicate_objects(shape):
        if predicate == SH.targetClass and isinstance(value, URIRef):
            patterns.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {value.n3()} .")
        elif predicate == SH.targetNode and isinstance(value, URIRef):
            patterns.append(f"BIND ({value.n3()} AS ?this)")
        elif predicate == SH.targetSubjectsOf and isinstance(value, URIRef):
            patterns.append(f"?this {value.n3()} [] .")
        elif predicate == SH.targetObjectsOf and isinstance(value, URIRef):
            patterns.append(f"[] {value.n3()} ?this .")
        elif predicate in TARGETS:
            select = shapes.value(value, SH.select)
            if (value, RDF.type, SH.SPARQLTarget) not in shapes or select is None:
                return None
            patterns.append(f"{{ {select} }}")
    return patterns


def find_rules(shapes: Graph) -> list[Rule]:
    """The node shapes whose SPARQL constraints can run once over the graph."""
    rules = []
    for shape in sorted(set(shapes.subjects(SH.sparql, None)), key=str):
        constraints = list(shapes.objects(shape, SH.sparql))
        selects = [shapes.value(c, SH.select) for c in constraints]
        if (
            (shape, SH.path, None) in shapes
            or (None, None, shape) in shapes  # reached from another shape: its focus nodes vary
            or (shape, SH.deactivated, Literal(True)) in shapes
            or any((shape, RDF.type, c) in shapes for c in CLASSES)
            or any(s is None for s in selects)
        ):
            continue
        targets = _target_patterns(shapes, shape)
        prefixes = _prefixes(shapes, [*constraints, *shapes.objects(shape, SH.target)])
        if not targets or prefixes is None:
            continue
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
        active = [
            str(s)
            for c, s in zip(constraints, selects, strict=True)
            if (c, SH.deactivated, Literal(True)) not in shapes
        ]
        if not active or any(
            "shapesGraph" in s or "currentShape" in s or not joinable(head + s) for s in active
        ):
            continue
        union = " UNION ".join(f"{{ {t} }}" for t in targets)
        checks = " UNION ".join(f"{{ {s} }}" for s in active)
        query = f"{head}SELECT DISTINCT ?this WHERE {{ {{ {union} }} {{ {checks} }} }}"
        rules.append(Rule(shape, query, rewrite(query)))
    return rules


def with_predicates(store: ox.Store, rules: Iterable[Rule]) -> set[URIRef]:
    """Give ``store`` the predicates of the rules' alternative paths; those it can use."""
    wanted = {name: iris for rule in rules for name, iris in rule.plain.predicates.items()}
    return materialise(store, wanted)


def suspects(
    store: ox.Store, rule: Rule, predicates: Collection[URIRef] = frozenset()
) -> set[Node] | None:
    """The focus nodes of ``rule``'s shape on which one of its constraints has a solution.

    The rule's ``plain`` form is used when the store has all its ``predicates``
    (:func:`with_predicates`). None when a focus node is a literal: the store
    keeps a literal's value, not its lexical form, so it cannot name the focus
    node pySHACL would see.
    """
    plain = all(p in predicates for p in rule.plain.predicates)
    found: set[Node] = set()
    for row in store.query(rule.plain.text if plain else rule.query):  # type: ignore[union-attr]
        term = row["this"]
        if isinstance(term, ox.Literal):
            return None
        found.add(to_rdflib(term))
    return found


def load(graph: Graph) -> ox.Store:
    """``graph`` in an in-memory store, blank nodes keeping their labels (pySHACL names them)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return store


def split_shapes(shapes: Graph, found: dict[Node, set[Node]]) -> tuple[Graph, Graph]:
    """The shapes for pySHACL in two runs: everything but the rules in ``found``, and the rules
    alone with their suspects as ``sh:targetNode``."""
    core, checks = Graph(), Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
        checks.bind(prefix, namespace)
    for s, p, o in shapes:
        if s in found:
            in_core, in_checks = p != SH.sparql, p == SH.sparql or p in RULE_KEEPS
        else:  # the other shapes are not evaluated in the second run: no targets there
            in_core, in_checks = True, p not in TARGETS and not (p == RDF.type and o in CLASSES)
        if in_core:
            core.add((s, p, o))
        if in_checks:
            checks.add((s, p, o))
    for shape, nodes in found.items():
        for node in nodes:
            checks.add((shape, SH.targetNode, node))
    return core, checks
