"""The reform view: a unit's story in the 2025 reform, from a small made-up backbone."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kgraph.errors import UnknownFocus, ViewError
from kgraph.graph.engine import GraphStore, from_graph
from kgraph.views.projection import project
from kgraph.views.reform import find_units, reform_graph, with_backbone

C = "https://kgraph.example.org/id/commune/"


@pytest.fixture(scope="module")
def story() -> GraphStore:
    graph = Graph().parse(Path(__file__).parent / "fixtures" / "reform-story.ttl")
    return from_graph(graph)


def _drawn(store: GraphStore, focus: str, lang: str = "vi") -> tuple[set[str], set[tuple]]:
    graph, iri = reform_graph(store, focus)
    g = project(graph, "reform", focus=iri, lang=lang)
    labels = {d["label"] for _, d in g.nodes(data=True)}
    edges = {(g.nodes[a]["label"], key, g.nodes[b]["label"]) for a, b, key in g.edges(keys=True)}
    return labels, edges


def test_an_old_unit_shows_where_it_went_and_what_went_with_it(story: GraphStore) -> None:
    labels, edges = _drawn(story, "Bình")  # split between Xuân and Hoà (2025)
    assert labels == {"Bình (2024)", "Xuân (2025)", "Hoà (2025)", "Hoà (2024)", "Cường (2024)"}
    assert edges == {
        ("Bình (2024)", "went-partly-into", "Xuân (2025)"),
        ("Bình (2024)", "went-partly-into", "Hoà (2025)"),
        ("Hoà (2024)", "went-into", "Xuân (2025)"),
        ("Cường (2024)", "went-into", "Hoà (2025)"),
    }


def test_a_new_unit_shows_what_it_was_formed_from(story: GraphStore) -> None:
    labels, edges = _drawn(story, "xuan", lang="en")
    assert ("Hoà Commune (2024)", "went-into", "Xuân Commune (2025)") in edges
    assert ("Bình Commune (2024)", "went-partly-into", "Xuân Commune (2025)") in edges
    # Bình's other successor is one step further: shown, its own predecessors are not
    assert "Hoà Commune (2025)" in labels
    assert "Cường Commune (2024)" not in labels


def test_a_name_both_lists_use_is_refused_with_the_ids_to_choose_from(story: GraphStore) -> None:
    with pytest.raises(
        ViewError,
        match=r"names 2 unit versions: 2024-90001 \(Xã Hoà, 2024\), "
        r"2025-90020 \(Xã Hoà, 2025\); give an id",
    ):
        reform_graph(story, "Hoà")
    labels, _ = _drawn(story, "2025-90020")
    assert {"Hoà (2025)", "Bình (2024)", "Cường (2024)"} <= labels


def test_codes_ids_and_iris_find_one_version(story: GraphStore) -> None:
    assert [u[0] for u in find_units(story, "90003")] == [C + "2024-90003"]
    assert [u[0] for u in find_units(story, "2024-90001")] == [C + "2024-90001"]
    assert [u[0] for u in find_units(story, C + "2025-90010")] == [C + "2025-90010"]
    assert find_units(story, "2025-90001") == []  # that code is not in the 2025 list


def test_unknown_or_empty_focus_is_an_error(story: GraphStore) -> None:
    with pytest.raises(ViewError, match="no unit of either list matches 'Nowhere'"):
        reform_graph(story, "Nowhere")
    with pytest.raises(ViewError, match="--focus is empty"):
        reform_graph(story, "  ")


def test_cli_reform_view_on_the_national_backbone(
    national_store: GraphStore, tmp_path: Path
) -> None:
    """The official mapping: Pom Lót (2024) went whole into Sam Mứn (2025), with Na Ư."""
    import networkx as nx
    from click.testing import CliRunner

    from kgraph.cli import main

    out = tmp_path / "reform.graphml"
    args = ["view", "reform", "--focus", "pom lot", "--format", "graphml"]
    result = CliRunner().invoke(
        main, [*args, "--input", str(national_store.path), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out)
    labels = {n: d["label_vi"] for n, d in g.nodes(data=True)}
    went = {(labels[a], labels[b]) for a, b, d in g.edges(data=True) if d["key"] == "went-into"}
    assert ("Pom Lót", "Sam Mứn") in went
    assert g.graph["focus"].endswith("/commune/2024-03356")
    refused = CliRunner().invoke(
        main, ["view", "reform", "--focus", "Sam Mứn", "--input", str(national_store.path)]
    )
    assert refused.exit_code != 0
    assert "2024-03355 (Xã Sam Mứn, 2024), 2025-03356 (Xã Sam Mứn, 2025)" in refused.output


def test_an_ego_view_of_a_unit_no_article_names_walks_the_backbone(story: GraphStore) -> None:
    curated = Graph()
    graph, iri = with_backbone(curated, story, "Bình", depth=1)
    assert iri == C + "2024-90002"
    g = project(graph, "ego", focus=iri, depth=1)
    ids = {str(n).rsplit("/", 1)[-1] for n in g}
    assert ids == {"2024-90002", "2025-90010", "2025-90020"}  # Bình, where it went: Xuân, Hoà
    deeper, _ = with_backbone(curated, story, "Bình", depth=2)
    g = project(deeper, "ego", focus=iri, depth=2)
    ids = {str(n).rsplit("/", 1)[-1] for n in g}
    assert {"2024-90001", "2024-90003"} <= ids  # Hoà (2024) and Cường, their predecessors
    with pytest.raises(UnknownFocus, match="no unit of either list matches 'Nowhere'"):
        with_backbone(curated, story, "Nowhere", depth=1)


def test_cli_ego_view_of_a_backbone_unit(national_store: GraphStore, tmp_path: Path) -> None:
    """Sam Mứn (2025) no article names: its province, parts' predecessors and siblings show."""
    import networkx as nx
    from click.testing import CliRunner

    from kgraph.cli import main

    out = tmp_path / "ego.graphml"
    args = ["view", "ego", "--focus", "2025-03356", "--format", "graphml", "--depth", "1"]
    result = CliRunner().invoke(
        main, [*args, "--input", str(national_store.path), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out)
    labels = {d["label_vi"] for _, d in g.nodes(data=True)}
    assert {"Sam Mứn", "Pom Lót", "Na Ư", "Điện Biên"} <= labels
    unknown = CliRunner().invoke(
        main, ["view", "ego", "--focus", "xyz nowhere", "--input", str(national_store.path)]
    )
    assert unknown.exit_code != 0 and "no entity matches 'xyz nowhere'" in unknown.output
