"""The publish tests' shared release: made once per session, read only."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kgraph.publish.release import make_release


@pytest.fixture(scope="session")
def release_dir(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kgraph release` of the shipped graph with its defaults; tests must not change it."""
    out = tmp_path_factory.mktemp("release") / "release"
    make_release(graph, out)
    return out
