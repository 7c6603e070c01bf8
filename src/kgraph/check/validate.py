"""Stage 3: check a graph against kgraph's SHACL shapes (``ontology/shapes.ttl``).

``validate_graph`` is the stage's one public function. It runs pySHACL
(no inference) and turns its ``sh:ValidationReport`` into a typed
:class:`ValidationReport`: one :class:`ValidationResult` per result, with the
focus node's label, the path, the offending value, the message and the quotes
that back the facts involved, so an analyst can judge a warning from the
report alone. ``ValidationReport.render`` writes it as text, JSON or the
standard Turtle report (``RENDERERS``).

Why the query planning below: the consistency rules are SHACL-SPARQL
constraints, and pySHACL runs each one once per focus node by handing rdflib
the query *text* with ``$this`` pre-bound. rdflib then re-parses the text
every time (~20-50 ms a query) and orders triple patterns without knowing
that ``$this`` is bound, so it starts from "every observation". The data
graph is therefore wrapped in :class:`_PlannedGraph`, which parses each query
once and orders every basic graph pattern to walk outwards from the bound
variables. Results are the same; the shipped graph validates ~50x faster.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Node

from kgraph import resources
from kgraph.errors import InputError, ValidationFailed
from kgraph.graph.namespaces import (
    DCTERMS,
    KG,
    OA,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SH,
    SHAPES,
    SKOS,
    TIME,
)


class Severity(Enum):
    """SHACL severities, most serious first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def iri(self) -> URIRef:
        """The ``sh:`` term for this severity."""
        return URIRef(str(SH) + self.value)

    @classmethod
    def from_iri(cls, iri: Node | None) -> Severity:
        """The severity named by a ``sh:resultSeverity`` (Violation when absent)."""
        for member in cls:
            if iri == member.iri:
                return member
        return cls.VIOLATION


@dataclass(frozen=True)
class Quote:
    """A passage of a source article that states a fact."""

    source: str
    text: str


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with what a reader needs to judge it."""

    severity: Severity
    shape: str
    shape_label: str
    constraint: str
    focus: str
    focus_label: str
    path: str | None
    value: str | None
    value_label: str | None
    message: str
    quotes: tuple[Quote, ...] = ()
    value_quotes: tuple[Quote, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "severity": self.severity.value,
            "shape": self.shape,
            "shape_label": self.shape_label,
            "constraint": self.constraint,
            "focus": self.focus,
            "focus_label": self.focus_label,
            "path": self.path,
            "value": self.value,
            "value_label": self.value_label,
            "message": self.message,
            "quotes": [{"source": q.source, "quote": q.text} for q in self.quotes],
            "value_quotes": [{"source": q.source, "quote": q.text} for q in self.value_quotes],
        }


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one graph: results sorted by severity, shape and message."""

    results: tuple[ValidationResult, ...]
    report_graph: Graph = field(repr=False, compare=False)
    triples: int = 0
    seconds: float = field(default=0.0, compare=False)

    @property
    def conforms(self) -> bool:
        """True when nothing is a violation (warnings are allowed)."""
        return not self.violations

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return self.of(Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return self.of(Severity.WARNING)

    def of(self, severity: Severity) -> tuple[ValidationResult, ...]:
        """The results of one severity."""
        return tuple(r for r in self.results if r.severity is severity)

    def findings(self) -> list[tuple[Severity, str, str, list[ValidationResult]]]:
        """Results grouped by (severity, shape, message): one entry per problem found.

        A rule comparing several facts reports each fact involved; they share
        the rule and the message, so a group is one inconsistency.
        """
        groups: dict[tuple[Severity, str, str], list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault((result.severity, result.shape, result.message), []).append(result)
        return [(sev, shape, msg, items) for (sev, shape, msg), items in groups.items()]

    def render(self, fmt: str) -> str:
        """The report in one of the ``RENDERERS`` formats."""
        try:
            renderer = RENDERERS[fmt]
        except KeyError:
            raise InputError(
                f"unknown report format {fmt!r} (use {', '.join(sorted(RENDERERS))})"
            ) from None
        return renderer(self)


class GraphViolations(ValidationFailed):
    """Raised by the build when the graph breaks shapes with severity Violation."""

    def __init__(self, report: ValidationReport, target: Path | None = None) -> None:
        self.report = report
        first = report.violations[0]
        where = f"{target}: not written: " if target is not None else ""
        n = len(report.violations)
        super().__init__(
            f"{where}the graph has {n} SHACL violation{'s' if n != 1 else ''}; first: "
            f"{first.focus_label} ({first.shape}): {first.message}"
        )


# ---------------------------------------------------------------------------
# Query planning (see the module docstring)
# ---------------------------------------------------------------------------

_PlanKey = tuple[str, frozenset[str]]
_PLANS: dict[_PlanKey, Query] = {}


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


class _PlannedGraph(Graph):
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


# ---------------------------------------------------------------------------
# Reading pySHACL's report into typed results
# ---------------------------------------------------------------------------


def _namespaces() -> list[tuple[str, str]]:
    """(prefix, namespace) pairs for short names, longest namespace first."""
    pairs = [(prefix, str(ns)) for prefix, ns in PREFIXES.items()] + [("kgsh", str(SHAPES))]
    return sorted(pairs, key=lambda pair: -len(pair[1]))


class _Describer:
    """Labels, quotes and short names for nodes of the data and shapes graphs."""

    def __init__(self, data: Graph, shapes: Graph) -> None:
        self.data = data
        self.shapes = shapes
        self.ns = _namespaces()

    def compact(self, node: Node) -> str:
        """``prefix:name`` for vocabulary terms; instance IRIs and others as they are."""
        text = str(node)
        if isinstance(node, URIRef):
            for prefix, ns in self.ns:
                local = text[len(ns) :]
                if text.startswith(ns) and local and all(c not in local for c in "/#?"):
                    return f"{prefix}:{local}"
        return text

    def label(self, node: Node, depth: int = 0) -> str:
        """A human name: English label, else Vietnamese, else via the node that points to it."""
        if isinstance(node, Literal):
            return str(node)
        by_lang: dict[str, str] = {}
        for prop in (RDFS.label, SKOS.prefLabel):
            for lit in self.data.objects(node, prop):
                if isinstance(lit, Literal):
                    by_lang.setdefault(lit.language or "", str(lit))
        for lang in ("en", "vi", ""):
            if lang in by_lang:
                return by_lang[lang]
        day = self.data.value(node, TIME.inXSDDate)
        if day is not None:
            return str(day)
        if depth < 2:
            for subject, predicate in self.data.subject_predicates(node):
                if predicate != RDF.type:
                    return f"{self.label(subject, depth + 1)} › {self.compact(predicate)}"
        return self.compact(node)

    def quotes(self, node: Node) -> tuple[Quote, ...]:
        """The quotes behind a node: its evidence, or itself if it is evidence or a quote."""
        if not isinstance(node, URIRef | BNode):
            return ()
        evidence = list(self.data.objects(node, KG.evidence))
        if (node, RDF.type, OA.SpecificResource) in self.data:
            evidence.append(node)
        found = []
        for ev in evidence:
            source = self.data.value(ev, OA.hasSource)
            source_id = self.data.value(source, DCTERMS.identifier) if source is not None else None
            for selector in self.data.objects(ev, OA.hasSelector):
                for text in self.data.objects(selector, OA.exact):
                    found.append(Quote(str(source_id or self.compact(source or ev)), str(text)))
        for text in self.data.objects(node, OA.exact):
            found.append(Quote("", str(text)))
        return tuple(sorted(set(found), key=lambda q: (q.source, q.text)))

    def path(self, path: Node | None) -> str | None:
        """A SHACL path as SPARQL property-path text."""
        if path is None:
            return None
        if isinstance(path, URIRef):
            return self.compact(path)
        inverse = self.shapes.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{self.path(inverse)}"
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(self.path(i) or "" for i in self.shapes.items(alternatives))
        items = list(self.shapes.items(path))
        if items:
            return "/".join(self.path(i) or "" for i in items)
        return self.compact(path)

    def shape(self, shape: Node | None) -> tuple[str, str]:
        """Name and English label of the shape a result comes from.

        An unnamed property shape is named after the node shape holding it and its path.
        """
        if shape is None:
            return ("?", "")
        if isinstance(shape, URIRef):
            return (self.compact(shape), self._shape_label(shape))
        parent = self.shapes.value(None, SH.property, shape)
        if parent is None:
            parent = self.shapes.value(None, SH.sparql, shape)
        path = self.path(self.shapes.value(shape, SH.path))
        if parent is None:
            return (path or "(anonymous shape)", "")
        name, label = self.shape(parent)
        return (f"{name} › {path}" if path else name, label)

    def _shape_label(self, shape: URIRef) -> str:
        for lit in self.shapes.objects(shape, RDFS.label):
            if isinstance(lit, Literal) and lit.language == "en":
                return str(lit)
        return ""

    def message(self, result: Node, report: Graph) -> str:
        messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
        english = [str(m) for m in messages if m.language in (None, "en")]
        return sorted(english or [str(m) for m in messages] or ["(no message)"])[0]

    def value(self, value: Node | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, Literal):
            return str(value)
        return self.compact(value)


def _results(report: Graph, data: Graph, shapes: Graph) -> tuple[ValidationResult, ...]:
    describe = _Describer(data, shapes)
    results = []
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        value = report.value(node, SH.value)
        shape, shape_label = describe.shape(report.value(node, SH.sourceShape))
        component = report.value(node, SH.sourceConstraintComponent)
        node_value = value is not None and not isinstance(value, Literal) and value != focus
        results.append(
            ValidationResult(
                severity=Severity.from_iri(report.value(node, SH.resultSeverity)),
                shape=shape,
                shape_label=shape_label,
                constraint=describe.compact(component) if component is not None else "",
                focus=describe.compact(focus) if focus is not None else "",
                focus_label=describe.label(focus) if focus is not None else "",
                path=describe.path(report.value(node, SH.resultPath)),
                value=describe.value(value),
                value_label=describe.label(value) if node_value and value is not None else None,
                message=describe.message(node, report),
                quotes=describe.quotes(focus) if focus is not None else (),
                value_quotes=describe.quotes(value) if node_value and value is not None else (),
            )
        )
    order = {s: i for i, s in enumerate(Severity)}
    results.sort(
        key=lambda r: (order[r.severity], r.shape, r.message, r.focus, r.value or "", r.path or "")
    )
    return tuple(results)


# ---------------------------------------------------------------------------
# Renderers
# ---------------------------------------------------------------------------


def _render_text(report: ValidationReport) -> str:
    findings = report.findings()
    counts = {s: sum(1 for f in findings if f[0] is s) for s in Severity}
    verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
    lines = [
        f"kgraph validation: {verdict} ({report.triples} triples checked): "
        f"{counts[Severity.VIOLATION]} violation(s), {counts[Severity.WARNING]} warning(s)"
        + (f", {counts[Severity.INFO]} note(s)" if counts[Severity.INFO] else ""),
    ]
    titles = {
        Severity.VIOLATION: "Violations (defects in the data or the model: fix them)",
        Severity.WARNING: "Warnings (the sources disagree with themselves: kept as stated)",
        Severity.INFO: "Notes",
    }
    current_severity: Severity | None = None
    current_shape: str | None = None
    for severity, shape, message, items in findings:
        if severity is not current_severity:
            lines += ["", titles[severity], "=" * len(titles[severity])]
            current_severity, current_shape = severity, None
        if shape != current_shape:
            label = items[0].shape_label
            lines += ["", f"{shape}" + (f" — {label}" if label else "")]
            current_shape = shape
        lines.append(f"  * {message}")
        seen_values: set[str] = set()
        for result in items:
            lines.append(f"    - {result.focus_label}  [{result.focus}]")
            detail = []
            if result.path:
                detail.append(f"path {result.path}")
            if result.value is not None and result.value_label is None:
                detail.append(f"value {result.value!r}")
            if result.constraint and severity is Severity.VIOLATION:
                detail.append(result.constraint)
            if detail:
                lines.append("        " + ", ".join(detail))
            lines += [
                f"        “{q.text}” ({q.source})" if q.source else f"        “{q.text}”"
                for q in result.quotes
            ]
            if result.value_label is not None and result.value not in seen_values:
                seen_values.add(result.value or "")
                lines.append(f"      against: {result.value_label}  [{result.value}]")
                lines += [f"        “{q.text}” ({q.source})" for q in result.value_quotes]
    return "\n".join(lines) + "\n"


def _render_json(report: ValidationReport) -> str:
    findings = report.findings()
    data = {
        "conforms": report.conforms,
        "triples": report.triples,
        "violations": sum(1 for f in findings if f[0] is Severity.VIOLATION),
        "warnings": sum(1 for f in findings if f[0] is Severity.WARNING),
        "results": [r.as_dict() for r in report.results],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _render_turtle(report: ValidationReport) -> str:
    graph = report.report_graph
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, str(ns), override=True, replace=True)
    graph.bind("kgsh", str(SHAPES), override=True, replace=True)
    return graph.serialize(format="turtle")


#: report format -> renderer; the CLI's ``--format`` choices come from here.
RENDERERS: dict[str, Callable[[ValidationReport], str]] = {
    "text": _render_text,
    "json": _render_json,
    "turtle": _render_turtle,
}


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


def validate_graph(
    graph: Graph, *, shapes: Graph | None = None, planned: bool = True
) -> ValidationReport:
    """Validate ``graph`` against kgraph's shapes (or ``shapes``) and describe every result.

    Warnings do not make a graph non-conforming; violations do. ``planned``
    false runs pySHACL on the plain graph (same results, much slower: for
    tests and benchmarks). Raises :class:`InputError` if the shapes cannot be
    read or pySHACL rejects them.

    >>> from kgraph.curate.dataset import load_dataset
    >>> from kgraph.graph.build import build_graph
    >>> report = validate_graph(build_graph(load_dataset(resources.data_dir())))
    >>> report.conforms, len(report.violations)
    (True, 0)
    """
    import pyshacl  # imported here: it is slow to import and only validation needs it

    shapes_graph = shapes if shapes is not None else _load_shapes(resources.shapes_file())
    data = _with_ontology(graph)
    started = time.perf_counter()
    try:
        _conforms, report_graph, _text = pyshacl.validate(
            _PlannedGraph(data, _PLANS) if planned else data,
            shacl_graph=shapes_graph,
            inference="none",
            advanced=True,
            inplace=True,
            allow_warnings=True,
            abort_on_first=False,
            meta_shacl=False,
            do_owl_imports=False,
        )
    except Exception as exc:  # pySHACL's errors for unusable shapes have no common base
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"pySHACL cannot use the shapes: {first}") from exc
    assert isinstance(report_graph, Graph)
    results = _results(report_graph, data, shapes_graph)
    return ValidationReport(
        results=results,
        report_graph=report_graph,
        triples=len(graph),
        seconds=time.perf_counter() - started,
    )


__all__ = [
    "RENDERERS",
    "GraphViolations",
    "Quote",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "validate_graph",
]
