"""Shared fixtures: the shipped data, loaded and built once per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from rdflib import Graph

from kgraph import resources
from kgraph.curate.dataset import Dataset, load_dataset
from kgraph.graph.build import build_graph
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris

SHARED = Path(__file__).resolve().parents[2] / "shared"

# Property tests check behaviour, not speed (speed lives in benchmarks/): no per-example
# deadline, so a loaded CI machine cannot fail them.
settings.register_profile("kgraph", deadline=None)
settings.load_profile("kgraph")

# The backbone store is cached (kgraph.resources.cache_dir): tests share one cache of
# their own, built by the first build that needs it and removed at the end.
_CACHE = None
if not os.environ.get("KGRAPH_CACHE_DIR"):
    _CACHE = tempfile.mkdtemp(prefix="kgraph-test-cache.")
    os.environ["KGRAPH_CACHE_DIR"] = _CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE is not None:
        shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The project's shipped data folder."""
    return resources.data_dir()


@pytest.fixture(scope="session")
def dataset(data_dir: Path) -> Dataset:
    """The shipped curated data, loaded and checked."""
    return load_dataset(data_dir)


@pytest.fixture(scope="session")
def iris() -> Iris:
    return Iris()


@pytest.fixture(scope="session")
def graph(dataset: Dataset, iris: Iris) -> Graph:
    """The knowledge graph built from the shipped data (do not mutate: copy first)."""
    return build_graph(dataset, iris)


@pytest.fixture(scope="session")
def built_ttl(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped graph written as Turtle, as `kgraph build` writes it."""
    from kgraph.graph.store import write_graph

    return write_graph(graph, tmp_path_factory.mktemp("build") / "kgraph.ttl")


@pytest.fixture()
def data_copy(data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the shipped data folder, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    return target


@pytest.fixture(scope="session")
def built_store(graph: Graph, built_ttl: Path, iris: Iris) -> GraphStore:
    """The store `kgraph build` writes beside the Turtle, opened read-only."""
    from kgraph.graph.engine import open_store, write_store
    from kgraph.graph.layout import named_graphs

    shapes = Graph().parse(resources.shapes_file(), format="turtle")
    return open_store(write_store(graph, named_graphs(graph, iris, shapes), built_ttl))


@pytest.fixture(scope="session")
def national_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """The store `kgraph build` writes: the shipped graph and the national backbone."""
    from kgraph.graph.engine import open_store
    from kgraph.pipeline import build_to_file

    out = tmp_path_factory.mktemp("national") / "kgraph.ttl"
    result = build_to_file(data_dir, out, validate=False)
    assert result.store is not None
    return open_store(result.store)
