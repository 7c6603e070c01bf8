"""The RDF -> networkx projection: what each view holds, checked against the sources' facts."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef

from kgraph.curate.dataset import Dataset
from kgraph.errors import ViewError
from kgraph.graph.build import build_graph
from kgraph.graph.namespaces import KG, QB, RDF, RDFS, SKOS, Iris
from kgraph.views.projection import EDGE_TYPES, LANGS, NODE_TYPES, RATIOS, VIEWS, project

Nets = dict[str, nx.MultiDiGraph]


@pytest.fixture(scope="module")
def nets(graph: Graph) -> dict[str, nx.MultiDiGraph]:
    """Every view that needs no focus, projected once in Vietnamese."""
    return {name: project(graph, name) for name, spec in VIEWS.items() if spec.whole_graph}


def _id(iris: Iris, kind: str, slug: str) -> str:
    return str(iris.id(kind, slug))


def _unit(iris: Iris, level: str, slug: str) -> str:
    """A unit version of an official list: ``2024-03356`` is xã Pom Lót of the 2024 list."""
    vintage, code = slug.split("-")
    return str(iris.unit(level, vintage, code))


def _edge(g: nx.MultiDiGraph, a: str, b: str, kind: str) -> bool:
    return bool(g.has_edge(a, b, key=kind))


# -- the declarations ---------------------------------------------------------------------------


def test_every_kind_has_both_labels_and_a_distinct_look(graph: Graph) -> None:
    for lang in LANGS:
        net = project(graph, "network", lang=lang)
        assert set(net.graph["node_kinds"]) == {d["kind"] for _, d in net.nodes(data=True)}
        assert all(label.strip() for label in net.graph["node_kinds"].values())
        assert all(label.strip() for label in net.graph["edge_kinds"].values())
    looks = Counter((t.color, t.shape) for t in NODE_TYPES)
    assert max(looks.values()) == 1, "two node kinds would look the same in the legend"
    assert len({t.key for t in NODE_TYPES}) == len(NODE_TYPES)
    assert len({t.key for t in EDGE_TYPES}) == len(EDGE_TYPES)


def test_declarations_refer_to_what_exists(graph: Graph) -> None:
    node_keys = {t.key for t in NODE_TYPES}
    edge_keys = {t.key for t in EDGE_TYPES}
    for spec in VIEWS.values():
        assert set(spec.nodes) <= node_keys, spec.key
        assert set(spec.edges) | set(spec.context) <= edge_keys, spec.key
    notations = {str(graph.value(i, SKOS.notation)) for i in graph.subjects(RDF.type, KG.Indicator)}
    for ratio in RATIOS:
        assert {ratio.numerator, ratio.denominator} <= notations, ratio.key


def test_every_typed_entity_becomes_a_node_of_its_kind(graph: Graph, nets: Nets) -> None:
    net = nets["network"]
    for kind in (t for t in NODE_TYPES if t.classes):  # derived kinds come from no class
        expected = {str(s) for cls in kind.classes for s in graph.subjects(RDF.type, cls)}
        got = {n for n, d in net.nodes(data=True) if d["kind"] == kind.key}
        # a node takes the first kind that fits, so a more specific kind may claim some
        earlier = {n for n, d in net.nodes(data=True) if d["kind"] != kind.key}
        assert expected - earlier == got, kind.key


def test_kind_labels_come_from_the_ontology_file_when_the_graph_lacks_it(
    dataset: Dataset,
) -> None:
    bare = build_graph(dataset, with_ontology=False)
    g = project(bare, "hierarchy", lang="en")
    assert g.graph["node_kinds"]["commune"] == "commune"  # rdfs:label of kg:Commune
    assert g.graph["edge_kinds"]["leads-area"] == "leads area"  # rdfs:label of kg:leadsArea


def test_projection_is_deterministic(graph: Graph) -> None:
    a, b = project(graph, "sources"), project(graph, "sources")
    assert list(a.nodes) == list(b.nodes)
    assert list(a.edges(keys=True)) == list(b.edges(keys=True))
    assert [d["label"] for _, d in a.nodes(data=True)] == [
        d["label"] for _, d in b.nodes(data=True)
    ]


# -- hierarchy ----------------------------------------------------------------------------


def test_hierarchy_links_places_and_party_organisations(nets: Nets, iris: Iris) -> None:
    g = nets["hierarchy"]
    pom_lot, dien_bien = (
        _unit(iris, "commune", "2024-03356"),
        _unit(iris, "district", "2024-100"),
    )
    assert _edge(g, pom_lot, dien_bien, "part-of")
    assert _edge(g, dien_bien, _unit(iris, "province", "2024-11"), "part-of")
    assert _edge(
        g, _id(iris, "village", "ban-pa-kin-1"), _unit(iris, "commune", "2024-03365"), "part-of"
    )
    party = _id(iris, "grassroots-party-committee", "dang-bo-xa-pom-lot")
    assert _edge(
        g,
        party,
        _id(iris, "district-party-organisation", "dang-bo-huyen-dien-bien"),
        "sub-organisation-of",
    )
    assert _edge(g, party, pom_lot, "leads-area")
    cell = _id(iris, "party-cell", "chi-bo-ban-pa-kin-1")
    assert _edge(g, cell, _id(iris, "grassroots-party-committee", "dang-bo-xa-na-tong"), "unit-of")
    assert _edge(g, cell, _id(iris, "village", "ban-pa-kin-1"), "leads-area")
    assert {d["kind"] for _, d in g.nodes(data=True)} <= set(VIEWS["hierarchy"].nodes)
    assert g.nodes[pom_lot]["label"] == "Pom Lót"


def test_hierarchy_has_the_three_than_uyen_communes(graph: Graph, nets: Nets, iris: Iris) -> None:
    g = nets["hierarchy"]
    district = _unit(iris, "district", "2024-110")
    communes = sorted(
        g.nodes[a]["label"] for a, b, k in g.in_edges(district, keys=True) if k == "part-of"
    )
    expected = sorted(g.nodes[str(s)]["label"] for s in graph.subjects(KG.partOf, URIRef(district)))
    assert communes == expected == ["Mường Cang", "Pha Mu", "Tà Mung"]


# -- people ----------------------------------------------------------------------------


def test_people_view_gives_post_organisation_and_date(nets: Nets, iris: Iris) -> None:
    g = nets["people"]
    person = _id(iris, "person", "lo-van-phong")
    holdings = [b for _, b, k in g.out_edges(person, keys=True) if k == "holds"]
    assert len(holdings) == 1
    holding = g.nodes[holdings[0]]
    facts = dict(holding["facts"])
    # the article was published 29/03/2017 and says he is "Bí thư Đảng ủy"
    assert facts["chức vụ"] == "bí thư" and facts["tính đến"] == "2017-03-29"
    assert holding["label"] == "bí thư (2017-03-29)"
    assert _edge(g, holdings[0], _id(iris, "party-committee", "dang-uy-xa-na-tong"), "post-in")
    assert "Ông Lò Văn Phong, Bí thư Đảng ủy" in holding["citations"][0].quote
    # the committee's own organisation comes in as context
    assert _edge(
        g,
        _id(iris, "party-committee", "dang-uy-xa-na-tong"),
        _id(iris, "grassroots-party-committee", "dang-bo-xa-na-tong"),
        "unit-of",
    )
    # authors who hold no post are not officials
    assert _id(iris, "person", "luu-hong-sinh") not in g


# -- indicators ----------------------------------------------------------------------------


def _figures(g: nx.MultiDiGraph, subject: str, indicator_slug: str) -> list[dict[str, Any]]:
    return [
        g.nodes[b]
        for _, b, k in g.out_edges(subject, keys=True)
        if k.startswith("figure-of") and g.nodes[b]["indicator"].endswith("/" + indicator_slug)
    ]


def test_indicators_compare_communes_with_cited_values(nets: Nets, iris: Iris) -> None:
    g = nets["indicators"]
    pom_lot = _figures(g, _unit(iris, "commune", "2024-03356"), "poor-household-rate")
    thanh_luong = _figures(g, _unit(iris, "commune", "2024-03328"), "poor-household-rate")
    assert [f["value"] for f in pom_lot] == [10.37]
    assert pom_lot[0]["label"] == "10,37 %"
    assert "chiếm 10,37%" in pom_lot[0]["citations"][0].quote
    assert [f["value"] for f in thanh_luong] == [4.5]
    criteria = _figures(g, _unit(iris, "commune", "2024-03328"), "new-rural-criteria-met")
    assert [f["label"] for f in criteria] == ["11/19"]
    members = _figures(
        g, _id(iris, "grassroots-party-committee", "dang-bo-xa-pom-lot"), "party-members"
    )
    assert [f["value"] for f in members] == [209.0]


def test_indicators_keep_only_comparable_indicators(graph: Graph, nets: Nets) -> None:
    g = nets["indicators"]
    for node, data in g.nodes(data=True):
        if data["kind"] == "indicator":
            owners = {
                p
                for obs in g.predecessors(node)
                for p in g.predecessors(obs)
                if g.nodes[p]["kind"] not in ("observation",)
            }
            assert len(owners) >= 2, data["title"]
    border = [d for _, d in g.nodes(data=True) if d.get("key") == "border-length"]
    assert border == [], "border length is stated for one district only"


def test_derived_members_per_cell(nets: Nets, iris: Iris) -> None:
    g = nets["indicators"]
    ratios = {
        (d["subject"], d["figure"]): d for _, d in g.nodes(data=True) if d["kind"] == "derived"
    }
    pom_lot = ratios[
        (
            _id(iris, "grassroots-party-committee", "dang-bo-xa-pom-lot"),
            "đảng viên bình quân mỗi chi bộ",
        )
    ]
    assert pom_lot["value"] == pytest.approx(209 / 23)
    assert (pom_lot["numerator"], pom_lot["denominator"]) == (209, 23)
    assert pom_lot["label"] == "9,09"
    assert {c.quote for c in pom_lot["citations"]} == {
        "trong tổng số 209 đảng viên",
        "Hiện toàn Đảng bộ có 23 chi bộ",
    }
    thanh_luong = ratios[
        (
            _id(iris, "grassroots-party-committee", "dang-bo-xa-thanh-luong"),
            "đảng viên bình quân mỗi chi bộ",
        )
    ]
    assert thanh_luong["value"] == pytest.approx(309 / 37)
    dien_bien = ratios[
        (
            _id(iris, "district-party-organisation", "dang-bo-huyen-dien-bien"),
            "đảng viên bình quân mỗi tổ chức cơ sở đảng",
        )
    ]
    assert dien_bien["value"] == pytest.approx(5004 / 69)
    than_uyen = ratios[
        (
            _id(iris, "district-party-organisation", "dang-bo-huyen-than-uyen"),
            "đảng viên bình quân mỗi tổ chức cơ sở đảng",
        )
    ]
    assert than_uyen["value"] == pytest.approx(2044 / 45)
    computed_from = [
        b
        for _, b, k in g.out_edges(
            next(n for n, d in g.nodes(data=True) if d is pom_lot), keys=True
        )
        if k == "computed-from"
    ]
    assert len(computed_from) == 2


# -- sources ----------------------------------------------------------------------------


def test_sources_link_every_observation_to_its_article(
    graph: Graph, nets: Nets, iris: Iris
) -> None:
    g = nets["sources"]
    observations = {str(o) for o in graph.subjects(RDF.type, QB.Observation)}
    assert observations <= set(g.nodes)
    for obs in observations:
        articles = [a for a, _, k in g.in_edges(obs, keys=True) if k == "source-of"]
        assert len(articles) == 1, obs
    article, obs = _id(iris, "source", "001_a26cdb5e4219828f"), _id(iris, "observation", "001-05")
    edge = g.edges[article, obs, "source-of"]
    assert [c.quote for c in edge["citations"]] == ["trong tổng số 209 đảng viên"]
    assert g.nodes[obs]["label"].startswith("đảng viên: 209")


# -- focus ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-03356",
        "03356",
        "Pom Lót",
        "pom lot",
        "POM LOT",
        "xã Pom Lót",
        "https://kgraph.example.org/id/commune/2024-03356",
    ],
)
def test_ego_accepts_id_iri_and_name(graph: Graph, iris: Iris, text: str) -> None:
    g = project(graph, "ego", focus=text, depth=1)
    assert g.graph["focus"] == _unit(iris, "commune", "2024-03356")


def test_ego_depth_and_hubs(graph: Graph, iris: Iris) -> None:
    focus = _unit(iris, "commune", "2024-03356")
    assert list(project(graph, "ego", focus=focus, depth=0).nodes) == [focus]
    one = project(graph, "ego", focus=focus, depth=1)
    assert _unit(iris, "district", "2024-100") in one
    assert _id(iris, "grassroots-party-committee", "dang-bo-xa-pom-lot") in one
    two = project(graph, "ego", focus=focus, depth=2)
    assert set(one) < set(two)
    # articles and indicators are shown but not walked through: Than Uyên is not two steps away
    assert _id(iris, "source", "001_a26cdb5e4219828f") in two
    assert _id(iris, "district-party-organisation", "dang-bo-huyen-than-uyen") not in two


def test_focus_errors_name_the_problem(graph: Graph) -> None:
    with pytest.raises(ViewError, match=r"2024-100 \(district\), 2024-11 \(province\).*give an id"):
        project(graph, "ego", focus="Điện Biên")
    with pytest.raises(ViewError, match="no entity matches 'Hà Nội'"):
        project(graph, "ego", focus="Hà Nội")
    with pytest.raises(ViewError, match="needs --focus"):
        project(graph, "ego")
    with pytest.raises(ViewError, match=r"not in view 'hierarchy'.*kgraph view ego --focus"):
        project(graph, "hierarchy", focus="Lò Văn Phong")
    with pytest.raises(ViewError, match="unknown view 'maps'"):
        project(graph, "maps")


def test_focus_narrows_a_named_view(graph: Graph, iris: Iris) -> None:
    g = project(graph, "hierarchy", focus="2024-110", depth=1)  # huyện Than Uyên
    labels = sorted(d["label"] for _, d in g.nodes(data=True))
    assert labels == [
        "Lai Châu",
        "Mường Cang",
        "Pha Mu",
        "Than Uyên",
        "Tà Mung",
        "Đảng bộ huyện Than Uyên",
    ]


def test_english_labels(graph: Graph, iris: Iris) -> None:
    g = project(graph, "hierarchy", lang="en")
    assert g.nodes[_unit(iris, "commune", "2024-03356")]["label"] == "Pom Lót Commune"
    assert g.graph["edge_kinds"]["part-of"] == "part of"
    assert g.graph["title"] == "Administrative and party hierarchy"
    ind = project(graph, "indicators", lang="en")
    members = _figures(
        ind, _id(iris, "district-party-organisation", "dang-bo-huyen-dien-bien"), "party-members"
    )
    assert [m["label"] for m in members] == ["5,004"]  # 5.004 in the Vietnamese source


def test_an_entity_with_no_edges_can_still_be_focused(graph: Graph) -> None:
    lonely = Graph()
    for triple in graph:
        lonely.add(triple)
    node = URIRef("https://kgraph.example.org/id/commune/xa-khong-co")
    lonely.add((node, RDF.type, KG.Commune))
    lonely.add((node, RDFS.label, Literal("Không Có", lang="vi")))
    lonely.add((node, RDFS.label, Literal("Không Có Commune", lang="en")))
    g = project(lonely, "ego", focus="khong co")
    assert list(g.nodes) == [str(node)]


def test_docstring_examples_run() -> None:
    import doctest

    import kgraph.views.projection

    result = doctest.testmod(kgraph.views.projection)
    assert result.attempted > 0 and result.failed == 0
