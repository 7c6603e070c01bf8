"""The main job's steps, chained: load -> build -> (validate) -> write.

Kept apart from the CLI so tests and other programs run exactly what
``kgraph build`` runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kgraph.build import build_graph
from kgraph.curation import load_dataset
from kgraph.namespaces import Iris
from kgraph.store import write_graph
from kgraph.summary import BuildSummary, summarise


@dataclass(frozen=True)
class BuildResult:
    """The built graph, where it was written, and what it holds."""

    graph: Graph
    path: Path
    summary: BuildSummary


def build_to_file(data_dir: Path, out: Path, iris: Iris | None = None) -> BuildResult:
    """Load and check ``data_dir``, build the graph and write it to ``out`` atomically."""
    iris = iris or Iris()
    graph = build_graph(load_dataset(data_dir), iris)
    write_graph(graph, out)
    return BuildResult(graph, out, summarise(graph, iris))


def run_all(data_dir: Path, out_dir: Path, iris: Iris | None = None) -> list[str]:
    """The main job: every artefact the project makes, under ``out_dir``.

    Returns one line per artefact written, for the CLI to print. Each feature
    adds its step here (graph, validation report, views, exports...).
    """
    iris = iris or Iris()
    result = build_to_file(data_dir, out_dir / "kgraph.ttl", iris)
    lines = [f"graph: {result.path} ({result.summary.triples} triples)"]
    return lines
