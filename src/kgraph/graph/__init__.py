"""The graph: every IRI and namespace, building triples from the dataset, storing them.

``namespaces`` owns every IRI, ``build`` turns a checked dataset into an rdflib
graph, ``store`` reads and writes graphs atomically, ``summary`` counts what a
graph holds.
"""

from kgraph.graph.build import build_graph
from kgraph.graph.namespaces import DEFAULT_BASE, Iris
from kgraph.graph.store import read_graph, write_graph
from kgraph.graph.summary import BuildSummary, summarise

__all__ = [
    "DEFAULT_BASE",
    "BuildSummary",
    "Iris",
    "build_graph",
    "read_graph",
    "summarise",
    "write_graph",
]
