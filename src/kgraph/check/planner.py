"""Query planning for pySHACL's SHACL-SPARQL rules (why: see :mod:`kgraph.check.validate`).

:class:`PlannedGraph` wraps the data graph handed to pySHACL: it parses each
rule's query once and orders every basic graph pattern to walk outwards from
the variables pySHACL pre-binds (``$this``), chained so rdflib's own run-time
sort cannot undo it. Results are the same as on the plain graph (tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import BNode, Graph, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier

# ---------------------------------------------------------------------------
# Query planning (see the module docstring)
# ---------------------------------------------------------------------------

_PlanKey = tuple[str, frozenset[str]]
PLANS: dict[_PlanKey, Query] = {}


def _is_var(term: object) -> bool:
    return isinstance(term, Variable | BNode)


def _vars_of(triples: Iterable[tuple[Any, Any, Any]]) -> set[Any]:
    return {t for triple in triples for t in triple if _is_var(t)}


def _triple_cost(triple: tuple[Any, Any, Any], known: set[Any]) -> int:
    """How much a triple pattern may fan out, given the variables already bound."""
    s, p, o = triple
    s_bound = not _is_var(s) or s in known
    o_bound = not _is_var(o) or o in known
    if s_bound and o_bound:
        return 0  # a check
    if s_bound:
        return 1 if isinstance(p, URIRef) else 2  # forward lookup; paths may fan out more
    return 3 if o_bound else 4


def _order_triples(triples: list[Any], known: set[Any]) -> list[Any]:
    """Greedy order: always the cheapest pattern next, ties in rdflib's order."""
    bound = set(known)
    rest = list(triples)
    ordered = []
    while rest:
        best = min(range(len(rest)), key=lambda i: (_triple_cost(rest[i], bound), i))
        triple = rest.pop(best)
        ordered.append(triple)
        bound.update(t for t in triple if _is_var(t))
    return ordered


def _segments(ordered: list[Any], known: set[Any]) -> list[list[Any]]:
    """Cut an ordered pattern list where rdflib's own sort would reorder it.

    At run time rdflib sorts a BGP's patterns (stably) by how many of their
    terms are unbound when the BGP starts. A run whose counts never decrease
    keeps its order; a new run starts where a count drops.
    """
    runs: list[list[Any]] = []
    start_known = set(known)
    last = -1
    for triple in ordered:
        unbound = sum(1 for t in triple if _is_var(t) and t not in start_known)
        if runs and unbound >= last:
            runs[-1].append(triple)
        else:
            if runs:
                start_known |= _vars_of(runs[-1])
                unbound = sum(1 for t in triple if _is_var(t) and t not in start_known)
            runs.append([triple])
        last = unbound
    return runs


def _bgp_chain(runs: list[list[Any]]) -> CompValue:
    """Runs of patterns joined left to right, each run evaluated with the bindings before it."""
    node = CompValue("BGP", triples=runs[-1], _vars=_vars_of(runs[-1]))
    for run in reversed(runs[:-1]):
        left = CompValue("BGP", triples=run, _vars=_vars_of(run))
        node = CompValue("Join", p1=left, p2=node, lazy=True, _vars=left["_vars"] | node["_vars"])
    return node


def _plan_node(node: Any, known: set[Any]) -> tuple[Any, set[Any]]:
    """Plan every BGP under ``node``: the node to use instead, and the variables bound after it."""
    if isinstance(node, list):
        out = set(known)
        items = []
        for item in node:
            planned, bound = _plan_node(item, known)
            items.append(planned)
            out |= bound
        return items, out
    if not isinstance(node, CompValue):
        return node, set(known)
    name = node.name
    if name == "BGP":
        ordered = _order_triples(list(node.triples), known)
        if not ordered:
            return node, set(known)
        return _bgp_chain(_segments(ordered, known)), known | _vars_of(ordered)
    if name == "Join":
        node["p1"], left = _plan_node(node.p1, known)
        node["p2"], right = _plan_node(node.p2, left if node.get("lazy") else known)
        return node, left | right
    if name == "LeftJoin":
        node["p1"], left = _plan_node(node.p1, known)
        node["p2"], both = _plan_node(node.p2, left)
        node["expr"], _ = _plan_node(node.get("expr"), both)
        return node, left | both
    if name in ("Filter", "Extend"):
        node["p"], inner = _plan_node(node.p, known)
        node["expr"], _ = _plan_node(node.get("expr"), inner)
        return node, inner | ({node.var} if name == "Extend" else set())
    if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        node["graph"], _ = _plan_node(node.graph, known)
        return node, set(known)
    out = set(known)
    for key in list(node.keys()):
        if key.startswith("_"):
            continue
        node[key], bound = _plan_node(node[key], known)
        out |= bound
    return node, out


def _plan(text: str, bound: Iterable[str]) -> Query:
    """Parse ``text`` once and order its patterns from the pre-bound variables out."""
    query = prepareQuery(text)
    query.algebra, _ = _plan_node(query.algebra, {Variable(name) for name in bound})
    return query


def _canonical(text: str) -> str:
    """The query text with its PREFIX lines sorted (pySHACL writes them in no fixed order)."""
    lines = text.splitlines()
    prefixes = sorted(line for line in lines if line.startswith("PREFIX "))
    return "\n".join(prefixes + [line for line in lines if not line.startswith("PREFIX ")])


class PlannedGraph(Graph):
    """A view of another graph's store whose SPARQL text queries are parsed once and planned."""

    def __init__(self, graph: Graph, plans: dict[_PlanKey, Query]) -> None:
        super().__init__(
            store=graph.store,
            identifier=graph.identifier,
            namespace_manager=graph.namespace_manager,
        )
        self._plans = plans

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str):
            key = (_canonical(query_object), frozenset(str(k) for k in (initBindings or {})))
            plan = self._plans.get(key)
            if plan is None:
                plan = self._plans[key] = _plan(query_object, key[1])
            query_object = plan
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )
