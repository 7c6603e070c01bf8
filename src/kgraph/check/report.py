"""The validation report as typed objects, rendered as text, JSON or Turtle.

pySHACL's ``sh:ValidationReport`` becomes a :class:`ValidationReport` of
:class:`ValidationResult` objects carrying the focus node's label, the path,
the offending value, the message and the quotes behind the facts involved, so
an analyst can judge a finding from the report alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.errors import InputError, ValidationFailed
from kgraph.graph.namespaces import (
    DCTERMS,
    KG,
    OA,
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
    #: the curated row the focus node was built from: "file, row N, column C" (see locate)
    location: str | None = None
    #: the same for the value, when the value is another curated fact
    value_location: str | None = None

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
            "location": self.location,
            "value_location": self.value_location,
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
        n = sum(1 for severity, *_ in report.findings() if severity is Severity.VIOLATION)
        at = f" at {first.location}" if first.location else ""
        super().__init__(
            f"{where}the graph has {n} SHACL violation{'s' if n != 1 else ''}; first: "
            f"{first.focus_label}{at} ({first.shape}): {first.message}"
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


def results_from_report(report: Graph, data: Graph, shapes: Graph) -> tuple[ValidationResult, ...]:
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
            if result.location:
                lines.append(f"        at {result.location}")
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
                if result.value_location:
                    lines.append(f"        at {result.value_location}")
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
