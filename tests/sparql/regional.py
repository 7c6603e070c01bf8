"""A graph with part of the national backbone, small enough for rdflib.

Queries that read the backbone (where-now, predecessors, unit-at, and search
for a unit no article names) answer nothing on the curated graph alone, so
comparing engines on it alone would compare empty answers. The regional graph
is the curated graph plus what the backbone says of the units the shipped
examples reach: every unit version and change of Điện Biên and Lai Châu (both
lists), and phường Ba Đình of the 2025 list with every unit it came from.
Every engine can be compared on it with real answers (the whole backbone is
too big for rdflib).
"""

from __future__ import annotations

from rdflib import Graph

from kgraph.curate.dataset import Dataset
from kgraph.graph.backbone import BackboneIris, backbone_triples
from kgraph.graph.engine import to_rdflib
from kgraph.graph.namespaces import Iris

#: shipped queries that read the national backbone: on the curated graph alone they answer
#: nothing (or, for search, nothing for a unit no article names, such as Sam Mứn)
BACKBONE_QUERIES = frozenset({"where-now", "predecessors", "unit-at", "search", "across-reform"})

#: the provinces of the slice (the same codes in both lists): Điện Biên, Lai Châu
REGION = ("11", "12")
#: 2025 units outside those provinces taken with the units they came from: phường Ba Đình
FORMED_FROM = ("00004",)
#: IRI kinds of the backbone's units and changes (anything else, such as the lists, is kept)
_PER_UNIT = ("province", "district", "commune", "change")


def regional_graph_of(graph: Graph, dataset: Dataset, iris: Iris) -> Graph:
    """``graph`` and the backbone's statements about the units of ``REGION`` and their changes."""
    units = dataset.admin_units
    names = BackboneIris(iris)
    chosen = [
        unit
        for unit in units.units.values()
        if (unit if unit.level == "province" else units.ancestors(unit)[-1]).code in REGION
    ]
    for code in FORMED_FROM:
        new = units.units[("2025", code)]
        olds = [units.units[t.old] for t in units.transfers if t.new == new.key]
        for unit in (new, *olds):
            chosen += [unit, *units.ancestors(unit)]
    keep = {n.value for u in chosen for n in (names.unit(u), names.change(u))}
    per_unit = tuple(f"{iris.base}/id/{kind}/" for kind in _PER_UNIT)
    out = Graph()
    out += graph
    for t in backbone_triples(units, iris):
        subject = t.subject.value
        if subject in keep or not subject.startswith(per_unit):
            out.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return out
