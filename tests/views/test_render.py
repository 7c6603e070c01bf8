"""HTML views and GraphML/GEXF exports, without a browser: content, escaping, limits, CLI."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kgraph.cli import main
from kgraph.errors import ViewError
from kgraph.graph.namespaces import KG, RDF, RDFS, Iris
from kgraph.views.projection import VIEWS, project
from kgraph.views.render import write_all_views, write_view

NAMED = [name for name, spec in VIEWS.items() if spec.draw and spec.whole_graph]
HOSTILE = (
    '</script><script>window.__kgraph_xss=1</script><img src="https://evil.example/x.png" '
    'onerror="window.__kgraph_xss=2"> "quoted" & \'single\' <b>bold</b>'
)


class _Page(HTMLParser):
    """Collects the tags, attributes and script blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _payload(page: _Page) -> dict[str, Any]:
    (data,) = [text for attrs, text in page.scripts if attrs.get("id") == "kgraph-data"]
    payload: dict[str, Any] = json.loads(data)
    return payload


def _hostile_graph(graph: Graph, iris: Iris) -> Graph:
    """A copy of the graph where Pom Lót's labels and a quote carry markup."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    node = iris.unit("commune", "2024", "03356")
    copy.remove((node, RDFS.label, None))
    copy.add((node, RDFS.label, Literal(HOSTILE, lang="vi")))
    copy.add((node, RDFS.label, Literal(HOSTILE, lang="en")))
    selector = URIRef(f"{node}/evidence/001_a26cdb5e4219828f/quote")
    copy.set((selector, URIRef("http://www.w3.org/ns/oa#exact"), Literal(HOSTILE)))
    return copy


@pytest.fixture(scope="module")
def pages(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("views")
    return {name: write_view(graph, name, out / f"{name}.html").path for name in NAMED}


# -- offline and self-contained -----------------------------------------------------------


@pytest.mark.parametrize("name", NAMED)
def test_page_is_self_contained(pages: dict[str, Path], name: str) -> None:
    text = pages[name].read_text(encoding="utf-8")
    page = _parse(pages[name])
    for tag, attrs in page.tags:
        for attr in ("src", "href", "action", "data", "poster"):
            value = attrs.get(attr) or ""
            assert not re.match(r"\s*(https?:)?//", value), f"<{tag} {attr}={value!r}>"
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "@import" not in text
    csp = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert csp and "default-src 'none'" in (csp[0] or "")
    assert "cdn.jsdelivr" not in text and "cdnjs" not in text and "bootstrap" not in text
    assert "vis-network" in text and "new vis.Network" in text  # vis inlined, not fetched


@pytest.mark.parametrize("name", NAMED)
def test_page_data_matches_the_projection(graph: Graph, pages: dict[str, Path], name: str) -> None:
    net = project(graph, name)
    page = _parse(pages[name])
    data = _payload(page)
    body = next(a for t, a in page.tags if t == "body")
    assert int(body["data-kgraph-nodes"] or 0) == net.number_of_nodes() == len(data["nodes"])
    assert int(body["data-kgraph-edges"] or 0) == net.number_of_edges() == len(data["edges"])
    assert {n["id"] for n in data["nodes"]} == set(net.nodes)
    legend = {a["data-kind"] for t, a in page.tags if "node-filter" in (a.get("class") or "")}
    assert legend == {n["kind"] for n in data["nodes"]}
    edge_legend = {a["data-kind"] for t, a in page.tags if "edge-filter" in (a.get("class") or "")}
    assert edge_legend == {e["kind"] for e in data["edges"]}


def test_tooltips_carry_type_facts_and_citation(pages: dict[str, Path], iris: Iris) -> None:
    data = _payload(_parse(pages["indicators"]))
    obs = next(n for n in data["nodes"] if n["id"] == str(iris.id("observation", "001-19")))
    assert obs["label"] == "10,37 %"
    assert obs["tip"]["kind"] == "số liệu"
    assert ["giá trị nguyên văn", "10,37"] in obs["tip"]["facts"]
    assert obs["tip"]["cite"][0]["quote"] == "tỷ lệ hộ nghèo toàn xã hiện còn 144 hộ chiếm 10,37%"
    assert obs["tip"]["cite"][0]["source"].endswith("(2017-07-05)")
    edge = next(e for e in data["edges"] if e["to"] == obs["id"])
    assert edge["tip"]["cite"][0]["quote"] == obs["tip"]["cite"][0]["quote"]
    assert edge["tip"]["kind"] == "có số liệu (địa bàn)"


def test_indicator_view_shows_its_scale(pages: dict[str, Path], iris: Iris) -> None:
    text = pages["indicators"].read_text(encoding="utf-8")
    assert "scale-bar" in text and "linear-gradient" in text
    data = _payload(_parse(pages["indicators"]))
    by_id = {n["id"]: n for n in data["nodes"]}
    pom_lot = by_id[str(iris.id("observation", "001-19"))]  # 10,37 %
    thanh_luong = by_id[str(iris.id("observation", "000-10"))]  # 4,5 %
    assert pom_lot["size"] > thanh_luong["size"]
    assert pom_lot["color"]["background"] != thanh_luong["color"]["background"]
    page = _parse(pages["indicators"])
    assert "tỷ lệ hộ nghèo4,5 %…10,37 %" in "".join(page.text).replace("\n", "").replace(" … ", "…")


def test_physics_settles_or_tree_layout(pages: dict[str, Path]) -> None:
    tree = _payload(_parse(pages["hierarchy"]))["options"]
    assert tree["layout"]["hierarchical"]["enabled"] and not tree["physics"]["enabled"]
    assert all("level" in n for n in _payload(_parse(pages["hierarchy"]))["nodes"])
    force = _payload(_parse(pages["sources"]))["options"]["physics"]
    assert force["enabled"] and force["stabilization"]["iterations"] <= 500


# -- escaping ----------------------------------------------------------------------------------


def test_hostile_label_stays_text(graph: Graph, iris: Iris, tmp_path: Path) -> None:
    hostile = _hostile_graph(graph, iris)
    path = write_view(hostile, "ego", tmp_path / "ego.html", focus="2024-03356", depth=1).path
    text = path.read_text(encoding="utf-8")
    assert HOSTILE not in text
    assert "__kgraph_xss" in text  # it is there, but only as escaped data
    page = _parse(path)
    assert [t for t, _ in page.tags].count("script") == 3  # vis, data, app: nothing injected
    assert not any(t in ("img", "b") for t, _ in page.tags)
    assert HOSTILE in "".join(page.text)  # the heading shows it as text
    data = _payload(page)
    focus = next(n for n in data["nodes"] if n["id"] == str(iris.unit("commune", "2024", "03356")))
    assert focus["tip"]["title"] == HOSTILE
    assert any(c["quote"] == HOSTILE for c in focus["tip"]["cite"])


def test_hostile_label_in_exports(graph: Graph, iris: Iris, tmp_path: Path) -> None:
    hostile = _hostile_graph(graph, iris)
    for fmt in ("graphml", "gexf"):
        path = write_view(hostile, "hierarchy", tmp_path / f"h.{fmt}", fmt=fmt).path
        ET.parse(path)  # still well-formed XML
        back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        node = back.nodes[str(iris.unit("commune", "2024", "03356"))]
        assert node["title"] == HOSTILE and node["label_vi"] == HOSTILE


# -- limits and errors -------------------------------------------------------------------------


def test_node_limit_stops_with_a_hint_and_writes_nothing(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "sources.html"
    size = project(graph, "sources").number_of_nodes()
    with pytest.raises(ViewError, match=rf"{size} nodes, more than the limit of 50.*--focus"):
        write_view(graph, "sources", out, max_nodes=50)
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert write_view(graph, "sources", out, max_nodes=size).nodes == size


def test_unknown_format(graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(ViewError, match="unknown format 'png'"):
        write_view(graph, "people", tmp_path / "p.png", fmt="png")


def test_english_page(graph: Graph, tmp_path: Path) -> None:
    path = write_view(graph, "people", tmp_path / "people.html", lang="en").path
    page = _parse(path)
    assert "Officials and their posts" in "".join(page.text)
    labels = {n["label"] for n in _payload(page)["nodes"]}
    assert "secretary (2017-03-29)" in labels and "Na Tông Commune Party Committee" in labels
    assert next(a for t, a in page.tags if t == "html")["lang"] == "en"


# -- GraphML and GEXF --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_round_trip(graph: Graph, iris: Iris, tmp_path: Path, fmt: str) -> None:
    net = project(graph, "network")
    path = write_view(graph, "network", tmp_path / f"network.{fmt}", fmt=fmt).path
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == net.number_of_nodes()
    assert back.number_of_edges() == net.number_of_edges()
    node = back.nodes[str(iris.id("observation", "001-05"))]
    assert node["kind"] == "observation" and float(node["value"]) == 209.0
    assert node["label_en"].startswith("party members") and "209 đảng viên" in node["citation"]
    kinds = {d["kind"] for _, _, d in back.edges(data=True)}
    assert {"part-of", "source-of", "holds", "leads-area"} <= kinds


def test_gexf_carries_colours(graph: Graph, tmp_path: Path) -> None:
    path = write_view(graph, "hierarchy", tmp_path / "h.gexf", fmt="gexf").path
    colours = [e for e in ET.parse(path).iter() if e.tag.endswith("}color")]
    assert len(colours) == project(graph, "hierarchy").number_of_nodes()


# -- all views ----------------------------------------------------------------------------------


def test_all_views_and_index(graph: Graph, tmp_path: Path) -> None:
    results = write_all_views(graph, tmp_path)
    written = {p.name for p in tmp_path.iterdir()}
    assert {r.path.name for r in results} == written
    units = sorted(
        str(s).rsplit("/", 1)[1]
        for cls in (KG.District, KG.Commune)
        for s in graph.subjects(RDF.type, cls)
    )
    assert {f"ego-{u}.html" for u in units} <= written
    for name in NAMED:
        assert {f"{name}.html", f"{name}.graphml", f"{name}.gexf"} <= written
    assert {"network.graphml", "network.gexf", "index.html"} <= written
    index = _parse(tmp_path / "index.html")
    links = {a["href"] for t, a in index.tags if t == "a"}
    assert links == written - {"index.html"}


def test_the_views_and_charts_indexes_link_each_other_when_both_were_written(
    graph: Graph, tmp_path: Path
) -> None:
    from kgraph.charts.render import write_all_charts

    views, charts = tmp_path / "views", tmp_path / "charts"
    write_all_views(graph, views)  # no charts yet: nothing to link
    assert "../charts/index.html" not in {
        a.get("href") for _, a in _parse(views / "index.html").tags
    }
    write_all_charts(graph, charts)
    write_all_views(graph, views)
    for index, other in (
        (views / "index.html", "../charts/index.html"),
        (charts / "index.html", "../views/index.html"),
    ):
        hrefs = [a["href"] for t, a in _parse(index).tags if t == "a"]
        assert other in hrefs, index
        for href in hrefs:  # relative links, none dead
            assert "://" not in href and (index.parent / href).resolve().is_file(), href


def test_all_views_lists_a_view_too_large_to_draw(graph: Graph, tmp_path: Path) -> None:
    size = project(graph, "sources").number_of_nodes()
    write_all_views(graph, tmp_path, max_nodes=size - 1)
    assert not (tmp_path / "sources.html").exists()
    assert (tmp_path / "sources.graphml").exists()
    assert f"({size} nút, giới hạn {size - 1})" in (tmp_path / "index.html").read_text("utf-8")


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_view_writes_a_page(built_ttl: Path, graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "h.html"
    result = CliRunner().invoke(
        main, ["view", "hierarchy", "--input", str(built_ttl), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    net = project(graph, "hierarchy")
    assert f"({net.number_of_nodes()} nodes, {net.number_of_edges()} edges)" in result.output
    assert out.is_file()


def test_cli_view_focus_and_format(built_ttl: Path, tmp_path: Path) -> None:
    out = tmp_path / "ego.graphml"
    result = CliRunner().invoke(
        main,
        [
            "view",
            "ego",
            "--focus",
            "Thanh Luông",
            "--depth",
            "1",
            "--format",
            "graphml",
            "--input",
            str(built_ttl),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).graph["focus"].endswith("/commune/2024-03328")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["view", "ego", "--focus", "Điện Biên"], "matches 2 entities"),
        (["view", "ego", "--focus", "nowhere"], "no entity matches 'nowhere'"),
        (["view", "sources", "--max-nodes", "20"], "more than the limit of 20"),
        (["view", "hierarchy", "--focus", "lo-van-phong"], "not in view 'hierarchy'"),
    ],
)
def test_cli_view_errors_are_one_line(
    built_ttl: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.html"
    result = CliRunner().invoke(main, [*args, "--input", str(built_ttl), "--out", str(out)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kgraph: error: ") and message in lines[0]
    assert not out.exists()


def test_cli_view_needs_a_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", "people", "--input", str(tmp_path / "no.ttl")])
    assert result.exit_code == 2 and "no.ttl" in result.output and "kgraph build" in result.output


def test_cli_view_name_or_all(built_ttl: Path) -> None:
    result = CliRunner().invoke(main, ["view", "--input", str(built_ttl)])
    assert result.exit_code == 2 and "NAME or --all" in result.output
    result = CliRunner().invoke(main, ["view", "--all", "--focus", "2024-03356"])
    assert result.exit_code == 2 and "drop --focus" in result.output


def test_cli_view_all(built_ttl: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["view", "--all", "--input", str(built_ttl), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "index.html").is_file()
    assert result.output.count("wrote ") == len(list(tmp_path.iterdir()))


def test_docstring_examples_run() -> None:
    import doctest

    import kgraph.views.render

    result = doctest.testmod(kgraph.views.render)
    assert result.attempted > 0 and result.failed == 0
