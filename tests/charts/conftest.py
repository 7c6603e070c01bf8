"""The chart tests' fixture graph: tests/charts/fixtures/chart-figures.ttl (see its header)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

FIXTURE = Path(__file__).parent / "fixtures" / "chart-figures.ttl"
ID = "https://kgraph.example.org/id/"


@pytest.fixture(scope="session")
def figures() -> Graph:
    """Eight figures of poor-household-rate, every qualifier, across the 2025 reform."""
    return Graph().parse(FIXTURE, format="turtle")
