"""What a built graph holds, counted from the graph itself (never from the tables)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, URIRef

from kgraph.graph.namespaces import KG, QB, RDF, SKOS, Iris


@dataclass(frozen=True)
class BuildSummary:
    """Triples, instances by class and observations by indicator."""

    triples: int
    by_class: dict[str, int]
    by_indicator: dict[str, int]

    def render(self) -> str:
        """A short text report for the terminal."""
        lines = [f"triples: {self.triples}", "entities by class:"]
        lines += [f"  {name:<34} {n:>5}" for name, n in self.by_class.items()]
        total = sum(self.by_indicator.values())
        lines.append(f"observations by indicator ({total} in all):")
        lines += [f"  {name:<34} {n:>5}" for name, n in self.by_indicator.items()]
        return "\n".join(lines)


def summarise(graph: Graph, iris: Iris | None = None) -> BuildSummary:
    """Count what ``graph`` holds; only instances under ``iris`` count as entities."""
    prefix = (iris or Iris()).prefix
    classes: Counter[str] = Counter()
    for s, cls in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(s).startswith(prefix) and isinstance(cls, URIRef):
            classes[graph.namespace_manager.normalizeUri(cls)] += 1
    indicators: Counter[str] = Counter()
    for obs in graph.subjects(RDF.type, QB.Observation):
        for ind in graph.objects(obs, KG.indicator):
            notation = graph.value(ind, SKOS.notation)
            indicators[str(notation or ind)] += 1
    return BuildSummary(
        triples=len(graph),
        by_class=dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_indicator=dict(sorted(indicators.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
