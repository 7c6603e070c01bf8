"""Packaged files are found in a checkout and shipped in the wheel; docstring examples run."""

from __future__ import annotations

import doctest
import importlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kgraph import resources

MODULES = ["kgraph.curate.vn", "kgraph.graph.namespaces", "kgraph.graph.build"]


def test_resource_folders_exist() -> None:
    assert resources.ontology_file().is_file()
    assert (resources.data_dir() / "sources.csv").is_file()
    assert resources.queries_dir().is_dir()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0


def test_wheel_ships_ontology_queries_and_data(tmp_path: Path) -> None:
    # Build from a copy so setuptools' scratch folders never land in the project's build/.
    root = Path(__file__).resolve().parents[1]
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md", "src", "ontology", "queries", "data"):
        copy = shutil.copytree if (root / name).is_dir() else shutil.copy2
        copy(root / name, tree / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(tree),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("kgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kgraph/share/ontology/kgraph.ttl" in names
    assert "kgraph/share/ontology/shapes.ttl" in names
    assert "kgraph/share/ontology/context.jsonld" in names
    assert "kgraph/share/queries/search.rq" in names
    assert "kgraph/share/queries/export/observations.rq" in names
    assert "kgraph/share/data/sources.csv" in names
    assert "kgraph/share/data/sources/000_ae26940861c8c0fd.txt" in names
    assert "kgraph/share/data/curated/observations/001_a26cdb5e4219828f.csv" in names
    assert "kgraph/share/data/admin-units/units-2024.csv" in names
    assert (
        "kgraph/share/data/admin-units/LICENSE-thanglequoc-vietnamese-provinces-database.txt"
        in names
    )
