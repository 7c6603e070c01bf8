"""Fixtures of the SPARQL tests: the curated graph with part of the backbone (see regional.py)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kgraph.curate.dataset import Dataset
from kgraph.graph.engine import GraphStore, from_graph
from kgraph.graph.namespaces import Iris
from tests.sparql.regional import regional_graph_of


@pytest.fixture(scope="session")
def regional_graph(graph: Graph, dataset: Dataset, iris: Iris) -> Graph:
    """The curated graph and the backbone of the examples' units (do not mutate: copy first)."""
    return regional_graph_of(graph, dataset, iris)


@pytest.fixture(scope="session")
def regional_store(regional_graph: Graph) -> GraphStore:
    """``regional_graph`` in a store in memory, for the embedded engine."""
    return from_graph(regional_graph)
