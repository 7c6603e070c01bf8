"""`kgraph stats`: figures computed from the projected networks, checked against the sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from kgraph.cli import main
from kgraph.errors import ViewError
from kgraph.graph.namespaces import KG, RDF, Iris
from kgraph.views.analytics import STATS_FORMATS, Stats, compute_stats


@pytest.fixture(scope="module")
def hierarchy(graph: Graph) -> Stats:
    return compute_stats(graph, "hierarchy")


@pytest.fixture(scope="module")
def network(graph: Graph) -> Stats:
    return compute_stats(graph)


def test_sizes_by_kind_match_the_graph(graph: Graph, hierarchy: Stats) -> None:
    assert hierarchy.nodes_by_kind["xã"] == len(set(graph.subjects(RDF.type, KG.Commune)))
    assert hierarchy.nodes_by_kind["huyện"] == len(set(graph.subjects(RDF.type, KG.District)))
    assert hierarchy.edges_by_kind["thuộc"] == len(list(graph.subject_objects(KG.partOf)))
    assert sum(hierarchy.nodes_by_kind.values()) == hierarchy.nodes
    assert sum(hierarchy.edges_by_kind.values()) == hierarchy.edges


def test_hierarchy_depth(hierarchy: Stats, network: Stats) -> None:
    places = hierarchy.hierarchy["places"]
    assert places.levels == 4
    assert places.path == ["Điện Biên", "Điện Biên", "Na Tông", "Pá Kín 1"]
    party = hierarchy.hierarchy["party"]
    assert party.levels == 4
    assert party.path[0] == "Đảng bộ huyện Điện Biên"
    assert party.path[-1] == "Ban Thường vụ Đảng ủy xã Na Tông"
    assert network.hierarchy == hierarchy.hierarchy  # a property of the graph, not of the view


def test_components(hierarchy: Stats, network: Stats) -> None:
    # the two districts' trees (places and party) are not linked to each other
    assert len(hierarchy.components) == 2
    assert sum(hierarchy.components) == hierarchy.nodes
    assert sum(network.components) == network.nodes


def test_degree_ranking(graph: Graph, hierarchy: Stats, iris: Iris) -> None:
    top = hierarchy.degree[0]
    district = iris.unit("district", "2024", "100")  # huyện Điện Biên
    neighbours = (
        set(graph.subjects(KG.partOf, district))
        | set(graph.objects(district, KG.partOf))
        | set(graph.subjects(KG.leadsArea, district))
    )
    assert top.key == "2024-100" and top.degree == len(neighbours)
    assert top.score == pytest.approx(len(neighbours) / (hierarchy.nodes - 1), abs=1e-6)
    scores = [r.score for r in hierarchy.degree]
    assert scores == sorted(scores, reverse=True) and len(scores) == 10


def test_betweenness_ranking(hierarchy: Stats) -> None:
    scores = [r.score for r in hierarchy.betweenness]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    # every path between the Điện Biên party tree and its places crosses one of these two
    assert {r.key for r in hierarchy.betweenness[:2]} == {
        "2024-100",  # huyện Điện Biên
        "dang-bo-huyen-dien-bien",
    }


def test_rankings_list_entities_only(network: Stats) -> None:
    kinds = {r.kind for r in network.degree + network.betweenness}
    assert not kinds & {"số liệu", "chỉ tiêu", "bài báo nguồn", "chức vụ", "số liệu suy ra"}


def test_derived_figures_from_the_sources(network: Stats) -> None:
    found = {(d.figure, d.entity): d for d in network.derived}
    pom_lot = found[("đảng viên bình quân mỗi chi bộ", "Đảng bộ xã Pom Lót")]
    assert (pom_lot.numerator, pom_lot.denominator) == (209, 23)
    assert pom_lot.value == pytest.approx(209 / 23, abs=1e-4)
    assert pom_lot.period == "2017-07-05"
    than_uyen = found[("đảng viên bình quân mỗi tổ chức cơ sở đảng", "Đảng bộ huyện Than Uyên")]
    assert (than_uyen.numerator, than_uyen.denominator) == (2044, 45)
    dien_bien = found[("đảng viên bình quân mỗi tổ chức cơ sở đảng", "Đảng bộ huyện Điện Biên")]
    assert (dien_bien.numerator, dien_bien.denominator) == (5004, 69)
    na_tong = found[("đảng viên bình quân mỗi chi bộ", "Đảng bộ xã Na Tông")]
    assert na_tong.value == 7.0


def test_text_and_json(graph: Graph) -> None:
    stats = compute_stats(graph, "indicators", top=3)
    text = STATS_FORMATS["text"](stats)
    assert "9,09" in text and "= 209 / 23" in text and "2.044 / 256" in text
    english = compute_stats(graph, "indicators", lang="en", top=3).render()
    assert "9.09" in english and "2,044 / 256" in english and "party members per cell" in english
    data = json.loads(STATS_FORMATS["json"](stats))
    assert data["view"] == "indicators" and len(data["degree"]) == 3
    assert data["hierarchy"]["places"]["levels"] == 4


def test_errors(graph: Graph) -> None:
    with pytest.raises(ViewError, match="no statistics for view 'ego'"):
        compute_stats(graph, "ego")
    with pytest.raises(ViewError, match="--top must be 1 or more"):
        compute_stats(graph, top=0)


def test_cli_stats(built_ttl: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--input", str(built_ttl), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["view"] == "network" and data["nodes"] > 0
    text = CliRunner().invoke(main, ["stats", "--view", "hierarchy", "--input", str(built_ttl)])
    assert text.exit_code == 0 and "Pá Kín 1" in text.output


def test_cli_stats_missing_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--input", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2
    assert result.output.startswith("kgraph: error: ") and "none.ttl" in result.output


def test_stats_change_when_the_graph_does(graph: Graph, iris: Iris) -> None:
    """A regression guard against figures read from anywhere but the graph."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    village = URIRef(f"{iris.id('village', 'ban-pa-kin-1')}-nho")
    copy.add((village, RDF.type, KG.Village))
    copy.add((village, KG.partOf, iris.id("village", "ban-pa-kin-1")))
    assert compute_stats(copy, "hierarchy").hierarchy["places"].levels == 5


def test_docstring_examples_run() -> None:
    import doctest

    import kgraph.views.analytics

    result = doctest.testmod(kgraph.views.analytics)
    assert result.attempted > 0 and result.failed == 0
