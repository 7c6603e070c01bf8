"""The store beside the Turtle: built whole, opened when current, any RDF file as input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kgraph.errors import InputError
from kgraph.graph.engine import (
    STAMP,
    GraphStore,
    current_store,
    is_store,
    load_file,
    open_input,
    open_store,
    store_path_for,
)
from kgraph.graph.store import read_graph


@pytest.fixture()
def build_copy(built_store: GraphStore, built_ttl: Path, tmp_path: Path) -> Path:
    """A private copy of a build folder: kgraph.ttl and its store, times kept."""
    ttl = tmp_path / "kgraph.ttl"
    shutil.copy2(built_ttl, ttl)
    assert built_store.path is not None
    shutil.copytree(built_store.path, store_path_for(ttl))
    return ttl


def test_store_sits_beside_the_turtle(built_store: GraphStore, built_ttl: Path) -> None:
    assert built_store.path == store_path_for(built_ttl) == built_ttl.with_suffix(".oxigraph")
    assert is_store(built_store.path)
    assert current_store(built_ttl) == built_store.path
    assert not list(built_ttl.parent.glob(".kgraph.oxigraph*")), "no scratch folder left behind"


def test_turtle_input_opens_the_current_store(build_copy: Path, graph: Graph) -> None:
    opened = open_input(build_copy)
    assert opened.path == store_path_for(build_copy)
    assert len(opened) == len(graph)


def test_a_changed_turtle_is_read_itself_not_the_stale_store(build_copy: Path) -> None:
    text = build_copy.read_text(encoding="utf-8")
    build_copy.write_text(
        text + "\n<https://x.example/a> <https://x.example/b> <https://x.example/c> .\n",
        encoding="utf-8",
    )
    assert current_store(build_copy) is None
    opened = open_input(build_copy)
    assert opened.path is None, "read into memory, not through the stale store"
    assert len(opened) == len(open_store(store_path_for(build_copy))) + 1


def test_store_folder_as_input(built_store: GraphStore) -> None:
    assert built_store.path is not None
    assert len(open_input(built_store.path)) == len(built_store)


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_quads_are_read_as_a_dataset(
    built_store: GraphStore, graph: Graph, tmp_path: Path, fmt: str
) -> None:
    """A TriG or N-Quads file: named graphs kept, default graph = their union."""
    ds = Dataset()
    for name in built_store.named_graphs():
        target = ds.graph(name)
        for triple in built_store.graph(name):
            target.add(triple)
    path = tmp_path / f"kgraph.{'trig' if fmt == 'trig' else 'nq'}"
    ds.serialize(path, format=fmt)
    opened = load_file(path)
    assert opened.named_graphs() == built_store.named_graphs()
    union = set().union(*(set(ds.graph(n)) for n in built_store.named_graphs()))
    assert len(opened) == len(union) > len(graph)  # the built graph and the shapes
    assert read_graph(path).__len__() == len(union), "rdflib readers see the same union"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.ttl", "", "holds no triples"),
        ("prefixes-only.ttl", "@prefix ex: <http://x.org/> .\n", "holds no triples"),
        ("empty.nq", "", "holds no triples"),
        ("broken.ttl", "<http://x.org/a> <http://x.org/b> .\n", "cannot parse as RDF"),
        ("graph.csv", "a,b\n", "unknown RDF file type '.csv'"),
    ],
)
def test_bad_inputs_are_clear_errors(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        open_input(path)
    assert err.value.path == path
    if not name.endswith(".csv"):
        with pytest.raises(InputError, match=message):
            read_graph(path)


def test_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a kgraph store"):
        open_input(tmp_path)


def test_missing_input_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="run `kgraph build` first"):
        open_input(tmp_path / "kgraph.ttl")


def test_rebuilding_replaces_the_store_whole(build_copy: Path, graph: Graph) -> None:
    from kgraph import resources
    from kgraph.graph.engine import write_store
    from kgraph.graph.layout import named_graphs
    from kgraph.graph.namespaces import Iris

    folder = store_path_for(build_copy)
    (folder / "stray-file").write_text("from an older build", encoding="utf-8")
    os.utime(build_copy, ns=(1, 1))  # the Turtle was touched: the old store is stale
    assert current_store(build_copy) is None
    shapes = Graph().parse(resources.shapes_file(), format="turtle")
    write_store(graph, named_graphs(graph, Iris(), shapes), build_copy)
    assert current_store(build_copy) == folder
    assert not (folder / "stray-file").exists()
    assert (folder / STAMP).is_file()
    assert sorted(p.name for p in build_copy.parent.iterdir()) == ["kgraph.oxigraph", "kgraph.ttl"]


def test_what_a_killed_build_left_is_removed_on_the_next(build_copy: Path, graph: Graph) -> None:
    from kgraph.graph.engine import write_store
    from kgraph.graph.layout import named_graphs, packaged_shapes
    from kgraph.graph.namespaces import Iris
    from kgraph.graph.store import write_graph

    folder = build_copy.parent
    (folder / ".kgraph.ttl.k1ll3d").write_text("half a graph", encoding="utf-8")
    (folder / ".kgraph.oxigraph.k1ll3d" / "data").mkdir(parents=True)
    write_graph(graph, build_copy)
    write_store(graph, named_graphs(graph, Iris(), packaged_shapes()), build_copy)
    assert sorted(p.name for p in folder.iterdir()) == ["kgraph.oxigraph", "kgraph.ttl"]
