"""GraphML and GEXF read back by networkx and igraph, checked against the RDF graph itself."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.cli import main
from kgraph.errors import ViewError
from kgraph.graph.namespaces import (
    KG,
    OA,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SKOS,
    Iris,
)
from kgraph.views.formats import EDGE_COLUMNS, NODE_COLUMNS
from kgraph.views.kinds import DEFAULT_DEPTH, EDGE_TYPES, NODE_BY_KEY
from kgraph.views.projection import project
from kgraph.views.render import write_view

DOCS = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
GEXF_NS = "{http://gexf.net/1.3}"
VIZ_NS = "{http://gexf.net/1.3/viz}"
HOSTILE = '</data><node id="x"/> & ]]> "quoted" \'single\' <b>bold</b> Pom Lót'


def _igraph() -> Any:
    return pytest.importorskip(
        "igraph",
        reason="python-igraph is not installed (it is in the test extras: pip install igraph)",
    )


def _local(node: object) -> str:
    return re.split(r"[/#]", str(node).rstrip("/"))[-1]


def _notation(graph: Graph, node: Node | None) -> str:
    return str(graph.value(node, SKOS.notation))


@dataclass
class Exported:
    """One view written in both formats, and what each reader makes of the files."""

    view: str
    graphml: Path
    gexf: Path
    from_graphml: nx.MultiDiGraph
    from_gexf: nx.MultiDiGraph


def _export(graph: Graph, view: str, out: Path) -> Exported:
    paths = [write_view(graph, view, out / f"{view}.{f}", fmt=f).path for f in ("graphml", "gexf")]
    return Exported(view, paths[0], paths[1], nx.read_graphml(paths[0]), nx.read_gexf(paths[1]))


@pytest.fixture(scope="module")
def network(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return _export(graph, "network", tmp_path_factory.mktemp("formats"))


@pytest.fixture(scope="module")
def hierarchy(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return _export(graph, "hierarchy", tmp_path_factory.mktemp("formats"))


# -- typed columns ----------------------------------------------------------------------------


def test_gso_codes_are_strings_equal_to_the_notation(graph: Graph, network: Exported) -> None:
    units = [s for s in graph.subjects(KG.vintage, None) if str(s) in network.from_graphml]
    assert units, "the shipped graph has units of an official list"
    igraph = _igraph()
    from_igraph = {
        v["id"]: v.attributes() for v in igraph.Graph.Read_GraphML(str(network.graphml)).vs
    }
    for unit in units:
        code = _notation(graph, unit)
        vintage = _notation(graph, graph.value(unit, KG.vintage))
        for read in (network.from_graphml.nodes[str(unit)], network.from_gexf.nodes[str(unit)]):
            assert read["gso_code"] == code and isinstance(read["gso_code"], str)
            assert read["vintage"] == vintage
        assert from_igraph[str(unit)]["gso_code"] == code
        assert from_igraph[str(unit)]["vintage"] == vintage
    zeros = [_notation(graph, u) for u in units if _notation(graph, u).startswith("0")]
    assert zeros, "a commune code such as 03356 keeps its leading zero"


def test_declared_types(network: Exported) -> None:
    keys = {
        (k.get("for"), k.get("attr.name")): k.get("attr.type")
        for k in ET.parse(network.graphml).getroot().iter(f"{GRAPHML_NS}key")
    }
    for scope, columns in (("node", NODE_COLUMNS), ("edge", EDGE_COLUMNS)):
        for column in columns:
            assert keys[(scope, column.name)] == column.type
    assert keys[("node", "gso_code")] == "string" and keys[("node", "value")] == "double"
    assert keys[("node", "x")] == keys[("node", "y")] == "double"
    gexf = {
        (a.get("title")): a.get("type")
        for block in ET.parse(network.gexf).getroot().iter(f"{GEXF_NS}attributes")
        if block.get("class") == "node"
        for a in block
    }
    assert gexf["gso_code"] == "string" and gexf["value"] == "double"


def test_absent_values_are_left_out(graph: Graph, network: Exported) -> None:
    for path in (network.graphml, network.gexf):
        text = path.read_text(encoding="utf-8")
        assert ">None<" not in text and '"None"' not in text and "networkx_key" not in text
    data = list(ET.parse(network.graphml).getroot().iter(f"{GRAPHML_NS}data"))
    assert data and all((d.text or "").strip() for d in data)
    with_code = {str(s) for s in graph.subjects(KG.vintage, None)}
    for node, attrs in network.from_graphml.nodes(data=True):
        assert ("gso_code" in attrs) == (node in with_code)
        assert ("value" in attrs) == (attrs["kind"] in ("observation", "derived"))


def test_observations_carry_value_unit_period_qualifier_and_source(
    graph: Graph, network: Exported
) -> None:
    observations = [str(o) for o in graph.subjects(RDF.type, QB.Observation)]
    drawn = [o for o in observations if o in network.from_graphml]
    assert drawn
    for obs in drawn:
        iri = URIRef(obs)
        sources = {_local(graph.value(ev, OA.hasSource)) for ev in graph.objects(iri, KG.evidence)}
        obs_value = graph.value(iri, SDMX_MEASURE.obsValue)
        assert isinstance(obs_value, Literal)
        expected = {
            "value": float(obs_value.toPython()),
            "unit": _notation(graph, graph.value(iri, SDMX_ATTRIBUTE.unitMeasure)),
            "period": _local(graph.value(iri, SDMX_DIMENSION.refPeriod)),
            "qualifier": _notation(graph, graph.value(iri, KG.qualifier)),
            "indicator": _notation(graph, graph.value(iri, KG.indicator)),
            "source_id": " ".join(sorted(sources)),
            "key": _local(iri),
        }
        for read in (network.from_graphml.nodes[obs], network.from_gexf.nodes[obs]):
            assert {k: read[k] for k in expected} == expected
            assert isinstance(read["value"], float)


def test_labels_in_both_languages(graph: Graph, network: Exported) -> None:
    for node, attrs in network.from_gexf.nodes(data=True):
        if attrs.get("iri"):
            labels = {
                lit.language: str(lit)
                for lit in graph.objects(URIRef(node), RDFS.label)
                if isinstance(lit, Literal)
            }
            if "vi" in labels and "en" in labels:
                assert (attrs["label_vi"], attrs["label_en"]) == (labels["vi"], labels["en"])


# -- edges ------------------------------------------------------------------------------------


def test_edges_carry_their_key_and_kind(graph: Graph, network: Exported) -> None:
    net = project(graph, "network")
    from_graphml = {(a, b, d["key"]) for a, b, d in network.from_graphml.edges(data=True)}
    assert from_graphml == set(net.edges(keys=True))
    assert all(d["key"] == d["kind"] for _, _, d in network.from_graphml.edges(data=True))
    from_gexf = {(a, b, d["kind"]) for a, b, d in network.from_gexf.edges(data=True)}
    assert from_gexf == set(net.edges(keys=True))
    igraph = _igraph()
    read = igraph.Graph.Read_GraphML(str(network.graphml))
    assert read.is_directed() and read.ecount() == net.number_of_edges()
    ids = read.vs["id"]
    assert {(ids[e.source], ids[e.target], e["key"]) for e in read.es} == set(net.edges(keys=True))


# -- layout, colours, sizes -------------------------------------------------------------------


def _gexf_viz(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    out = {}
    for node in ET.parse(path).getroot().iter(f"{GEXF_NS}node"):
        out[node.get("id", "")] = {
            child.tag.removeprefix(VIZ_NS): dict(child.attrib)
            for child in node
            if child.tag.startswith(VIZ_NS)
        }
    return out


@pytest.mark.parametrize("which", ["network", "hierarchy"])
def test_positions_are_floats_equal_across_formats_and_readers(
    which: str, request: pytest.FixtureRequest
) -> None:
    exported: Exported = request.getfixturevalue(which)
    igraph = _igraph()
    by_igraph = {
        v["id"]: (v["x"], v["y"]) for v in igraph.Graph.Read_GraphML(str(exported.graphml)).vs
    }
    viz = _gexf_viz(exported.gexf)
    for node, attrs in exported.from_graphml.nodes(data=True):
        x, y = attrs["x"], attrs["y"]
        assert isinstance(x, float) and isinstance(y, float)
        position = exported.from_gexf.nodes[node]["viz"]["position"]
        assert (position["x"], position["y"]) == (x, y)
        assert (float(viz[node]["position"]["x"]), float(viz[node]["position"]["y"])) == (x, y)
        assert by_igraph[node] == (x, y)
    spots = [(a["x"], a["y"]) for _, a in exported.from_graphml.nodes(data=True)]
    assert len(set(spots)) == len(spots), "no two nodes drawn on the same spot"


def test_hierarchy_is_drawn_as_a_tree(hierarchy: Exported) -> None:
    """A node with one structural parent sits one level (260) to the parent's right."""
    g = hierarchy.from_graphml
    structural = {e.key for e in EDGE_TYPES if e.structural}
    parents: dict[str, list[str]] = {}
    for a, b, d in g.edges(data=True):
        if d["kind"] in structural:
            parents.setdefault(a, []).append(b)
    single = {a: ps[0] for a, ps in parents.items() if len(ps) == 1}
    assert single
    for child, parent in single.items():
        assert g.nodes[child]["x"] - g.nodes[parent]["x"] == pytest.approx(260.0)
    assert g.graph["layout"] == "tree"


def test_same_network_same_bytes(graph: Graph, tmp_path: Path, network: Exported) -> None:
    for fmt, first in (("graphml", network.graphml), ("gexf", network.gexf)):
        again = write_view(graph, "network", tmp_path / f"again.{fmt}", fmt=fmt).path
        assert again.read_bytes() == first.read_bytes()


def test_colours_and_sizes(graph: Graph, hierarchy: Exported) -> None:
    viz = _gexf_viz(hierarchy.gexf)
    for node, attrs in hierarchy.from_graphml.nodes(data=True):
        colour = NODE_BY_KEY[attrs["kind"]].color  # hierarchy is not value-scaled
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert attrs["color"] == colour and (attrs["r"], attrs["g"], attrs["b"]) == rgb
        assert tuple(int(viz[node]["color"][c]) for c in "rgb") == rgb
        assert float(viz[node]["size"]["value"]) == attrs["size"] > 0


def test_value_scaled_colours_vary_within_an_indicator(graph: Graph, tmp_path: Path) -> None:
    read = _export(graph, "indicators", tmp_path).from_graphml
    by_indicator: dict[str, set[str]] = {}
    for _, attrs in read.nodes(data=True):
        if attrs["kind"] == "observation":
            by_indicator.setdefault(attrs["indicator"], set()).add(attrs["color"])
    assert any(len(colours) > 1 for colours in by_indicator.values())


# -- hostile text -----------------------------------------------------------------------------


def _relabelled(graph: Graph, node: URIRef, text: str) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    copy.remove((node, RDFS.label, None))
    copy.add((node, RDFS.label, Literal(text, lang="vi")))
    copy.add((node, RDFS.label, Literal(text, lang="en")))
    return copy


def test_xml_special_characters_survive(graph: Graph, iris: Iris, tmp_path: Path) -> None:
    node = iris.unit("commune", "2024", "03356")
    exported = _export(_relabelled(graph, node, HOSTILE), "hierarchy", tmp_path)
    igraph = _igraph()
    by_igraph = {v["id"]: v for v in igraph.Graph.Read_GraphML(str(exported.graphml)).vs}
    for read in (exported.from_graphml.nodes[str(node)], exported.from_gexf.nodes[str(node)]):
        assert read["label_vi"] == read["label_en"] == read["title"] == HOSTILE
        assert read["gso_code"] == "03356"
    assert by_igraph[str(node)]["label_vi"] == HOSTILE
    assert exported.from_graphml.number_of_nodes() == project(graph, "hierarchy").number_of_nodes()


def test_text_is_written_in_nfc(graph: Graph, iris: Iris, tmp_path: Path) -> None:
    node = iris.unit("commune", "2024", "03356")
    decomposed = unicodedata.normalize("NFD", "Xã Pom Lót")
    assert decomposed != "Xã Pom Lót"
    exported = _export(_relabelled(graph, node, decomposed), "hierarchy", tmp_path)
    for read in (exported.from_graphml.nodes[str(node)], exported.from_gexf.nodes[str(node)]):
        assert read["label_vi"] == read["label_en"] == "Xã Pom Lót"


def test_a_character_xml_cannot_carry_is_refused(graph: Graph, iris: Iris, tmp_path: Path) -> None:
    node = iris.unit("commune", "2024", "03356")
    broken = _relabelled(graph, node, "Pom\x01Lót")
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"h.{fmt}"
        with pytest.raises(ViewError, match=rf"{re.escape(str(node))}: .*U\+0001"):
            write_view(broken, "hierarchy", out, fmt=fmt)
        assert not out.exists()


# -- the command and the docs -----------------------------------------------------------------


def test_cli_writes_gexf_with_positions(built_ttl: Path, tmp_path: Path) -> None:
    out = tmp_path / "people.gexf"
    args = ["view", "people", "--format", "gexf", "--lang", "en", "--input", str(built_ttl)]
    result = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    read = nx.read_gexf(out)
    assert read.number_of_nodes() > 0
    assert all("position" in d["viz"] for _, d in read.nodes(data=True))


def test_docs_name_every_column() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Exports for Gephi", 1)[1].split("\n## ", 1)[0]
    for column in (*NODE_COLUMNS, *EDGE_COLUMNS):
        assert f"`{column.name}`" in section, column.name


def test_docs_speed_table_counts_are_the_networks(graph: Graph) -> None:
    """The timings are measured (benchmarks/bench_views.py); the sizes beside them must be real."""
    text = DOCS.read_text(encoding="utf-8")
    speed = text.split("## Speed\n", 1)[1].split("| page in Chromium", 1)[0]
    assert f"{len(graph):,} triples" in " ".join(speed.split())
    rows = re.findall(
        r"^\| project `(\w+)`(?: \(focus (\S+), depth (\d+)\))? \| (\d+) / (\d+) \|", speed, re.M
    )
    assert {row[0] for row in rows} >= {"hierarchy", "network", "ego"}
    for view, focus, depth, nodes, edges in rows:
        net = project(graph, view, focus=focus or None, depth=int(depth or DEFAULT_DEPTH))
        assert (net.number_of_nodes(), net.number_of_edges()) == (int(nodes), int(edges)), view
