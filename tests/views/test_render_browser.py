"""Views in a real browser: headless Chromium driven by Playwright, with the network cut off.

Every request that is not ``file:`` or ``data:`` is aborted and recorded; the
tests check that there are none, that the console shows no error, that the
browser draws as many nodes and edges as the view says, that tooltips,
filters and search work, and that a hostile label stays text. Screenshots go
to build/test-artifacts/. Outside CI the tests skip when Chromium or
Playwright is missing; under CI (CI=true) that is a failure.
"""

from __future__ import annotations

import itertools
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from kgraph.graph.namespaces import OA, RDFS, Iris
from kgraph.views.labels import LABEL_MAX_PX, LABEL_MIN_PX
from kgraph.views.projection import VIEWS, project
from kgraph.views.render import write_view
from tests.browser import chromium
from tests.screens import save

pytestmark = pytest.mark.browser


HOSTILE = (
    '</script><script>window.__kgraph_xss=1</script><img src="https://evil.example/x.png" '
    "onerror=\"window.__kgraph_xss=2;alert('xss')\"> \"quoted\" & 'single' <b>bold</b>"
)
NAMED = [name for name, spec in VIEWS.items() if spec.draw and spec.whole_graph]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@dataclass
class Opened:
    """A page loaded offline, with everything it tried to do."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def state(self) -> dict[str, Any]:
        return dict(
            self.page.evaluate(
                """() => ({
                    drawn: window.kgraphView.drawn(),
                    nodes: window.kgraphView.nodes,
                    edges: window.kgraphView.edges,
                    shownNodes: Number(document.getElementById('count-nodes').textContent),
                    shownEdges: Number(document.getElementById('count-edges').textContent),
                })"""
            )
        )

    def point(self, node: str) -> tuple[float, float]:
        """Page coordinates of ``node`` after zooming onto it."""
        box = self.page.evaluate(
            """(id) => {
                const net = window.kgraphView.network;
                net.focus(id, {scale: 2.5, animation: false});
                const p = net.canvasToDOM(net.getPositions([id])[id]);
                const r = document.getElementById('network').getBoundingClientRect();
                return [r.left + p.x, r.top + p.y];
            }""",
            node,
        )
        return float(box[0]), float(box[1])


def _record(opened: Opened, route: Any) -> None:
    url = route.request.url
    if url.startswith(("file:", "data:")):
        route.continue_()
    else:
        opened.requests.append(url)
        route.abort()


@pytest.fixture()
def open_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def _open(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def dialog(d: Any) -> None:
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        context.route("**/*", lambda route: _record(opened, route))
        page.goto(path.resolve().as_uri())
        # a selector wait: polling a JS predicate would need eval, which the page's CSP forbids
        try:
            page.wait_for_selector("body[data-stabilized=true]", state="attached", timeout=30_000)
        except Exception as exc:  # Playwright's TimeoutError: report what the page said
            pytest.fail(f"{path.name} never settled ({exc}); console errors: {opened.errors}")
        return opened

    yield _open
    for context in contexts:
        context.close()


def _shot(opened: Opened, name: str) -> None:
    save(opened.page, f"view-{name}.png")


CASES = [(name, None, "vi") for name in NAMED] + [
    ("ego", "2024-03356", "vi"),
    ("hierarchy", None, "en"),
]


@pytest.mark.parametrize(("name", "focus", "lang"), CASES)
def test_view_renders_offline_with_every_node_drawn(
    graph: Graph, tmp_path: Path, open_page: Any, name: str, focus: str | None, lang: str
) -> None:
    result = write_view(graph, name, tmp_path / f"{name}.html", focus=focus, lang=lang)
    opened = open_page(result.path)
    _shot(opened, f"{name}-{focus or 'all'}-{lang}")
    assert opened.errors == []
    assert opened.requests == []
    assert opened.dialogs == []
    state = opened.state()
    assert state["drawn"] == {"nodes": result.nodes, "edges": result.edges}
    assert (state["nodes"], state["edges"]) == (result.nodes, result.edges)
    assert (state["shownNodes"], state["shownEdges"]) == (result.nodes, result.edges)
    assert result.nodes > 0 and result.edges > 0


@pytest.fixture()
def indicators(graph: Graph, tmp_path: Path, open_page: Any) -> tuple[Opened, Any]:
    path = write_view(graph, "indicators", tmp_path / "indicators.html").path
    return open_page(path), project(graph, "indicators")


def test_tooltip_and_details_cite_the_source(indicators: tuple[Opened, Any], iris: Iris) -> None:
    opened, _ = indicators
    node = str(iris.id("observation", "001-19"))  # Pom Lót poverty rate, 10,37 %
    x, y = opened.point(node)
    opened.page.mouse.move(x, y)
    tooltip = opened.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    text = tooltip.inner_text()
    assert "số liệu" in text and "10,37" in text
    assert "tỷ lệ hộ nghèo toàn xã hiện còn 144 hộ chiếm 10,37%" in text
    opened.page.mouse.click(x, y)
    details = opened.page.inner_text("#details")
    assert "chiếm 10,37%" in details and "kgraph view ego --focus 001-19" in details
    _shot(opened, "indicators-tooltip")
    assert opened.errors == [] and opened.requests == []


def test_filter_by_type_hides_that_type(indicators: tuple[Opened, Any]) -> None:
    opened, net = indicators
    observations = {n for n, d in net.nodes(data=True) if d["kind"] == "observation"}
    kept_edges = [e for e in net.edges if e[0] not in observations and e[1] not in observations]
    opened.page.uncheck("input.node-filter[data-kind=observation]")
    assert opened.state()["drawn"] == {
        "nodes": net.number_of_nodes() - len(observations),
        "edges": len(kept_edges),
    }
    assert "đang hiện" in opened.page.inner_text("#count-shown")
    opened.page.check("input.node-filter[data-kind=observation]")
    assert opened.state()["drawn"] == {
        "nodes": net.number_of_nodes(),
        "edges": net.number_of_edges(),
    }


def test_search_ignores_diacritics(
    graph: Graph, tmp_path: Path, open_page: Any, iris: Iris
) -> None:
    opened = open_page(write_view(graph, "hierarchy", tmp_path / "h.html").path)
    opened.page.fill("#search", "pom lot")
    items = opened.page.locator("#search-results li").all_inner_texts()
    assert any(item.startswith("Pom Lót") for item in items)
    assert any(item.startswith("Đảng bộ xã Pom Lót") for item in items)
    opened.page.press("#search", "Enter")
    selected = opened.page.evaluate("() => window.kgraphView.network.getSelectedNodes()")
    assert selected == [str(iris.unit("commune", "2024", "03356"))]
    opened.page.fill("#search", "zzz")
    assert opened.page.locator("#search-results li").all_inner_texts() == ["Không tìm thấy"]


def test_hostile_label_is_shown_as_text(
    graph: Graph, tmp_path: Path, open_page: Any, iris: Iris
) -> None:
    hostile = Graph()
    for triple in graph:
        hostile.add(triple)
    node = iris.unit("commune", "2024", "03356")
    hostile.remove((node, RDFS.label, None))
    hostile.add((node, RDFS.label, Literal(HOSTILE, lang="vi")))
    selector = URIRef(f"{node}/evidence/001_a26cdb5e4219828f/quote")
    hostile.set((selector, OA.exact, Literal(HOSTILE)))
    path = write_view(hostile, "ego", tmp_path / "ego.html", focus="2024-03356", depth=1).path
    opened = open_page(path)
    page = opened.page
    assert page.evaluate("() => typeof window.__kgraph_xss") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('img, b').length") == 0
    assert HOSTILE in page.inner_text("h1")
    x, y = opened.point(str(node))
    page.mouse.move(x, y)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    assert tooltip.inner_text().count(HOSTILE) == 2  # as the title and as the quote
    page.mouse.click(x, y)
    assert HOSTILE in page.inner_text("#details")
    page.fill("#search", "script")
    assert any(HOSTILE in item for item in page.locator("#search-results li").all_inner_texts())
    _shot(opened, "hostile-label")
    assert page.evaluate("() => typeof window.__kgraph_xss") == "undefined"
    assert opened.dialogs == [] and opened.requests == [] and opened.errors == []


# -- labels that stay readable, and pictures -----------------------------------------------------

LEGIBLE = [*CASES, ("ego", "2024-11", "vi")]  # the last: the province at depth 5, 223 nodes


def _labels(opened: Opened) -> tuple[list[dict[str, Any]], dict[str, float]]:
    labels = opened.page.evaluate("() => window.kgraphView.labels()")
    size = opened.page.evaluate("() => window.kgraphView.canvasSize()")
    return labels, size


def _check_legible(labels: list[dict[str, Any]], size: dict[str, float]) -> None:
    assert labels, "no label drawn at all"
    for label in labels:
        assert LABEL_MIN_PX - 0.01 <= label["px"] <= LABEL_MAX_PX + 0.01, label
        assert label["left"] >= 0 and label["top"] >= 0, label
        assert label["right"] <= size["width"] and label["bottom"] <= size["height"], label
    for a, b in itertools.combinations(labels, 2):  # no label drawn over another
        apart = (
            a["right"] <= b["left"]
            or b["right"] <= a["left"]
            or a["bottom"] <= b["top"]
            or b["bottom"] <= a["top"]
        )
        assert apart, (a["label"], b["label"])


@pytest.mark.parametrize(("name", "focus", "lang"), LEGIBLE)
def test_fitted_view_draws_only_legible_labels_inside_the_canvas(
    graph: Graph, tmp_path: Path, open_page: Any, name: str, focus: str | None, lang: str
) -> None:
    depth = 5 if focus == "2024-11" else 2
    result = write_view(graph, name, tmp_path / f"{name}.html", focus=focus, lang=lang, depth=depth)
    opened = open_page(result.path)
    labels, size = _labels(opened)
    _check_legible(labels, size)
    if result.nodes > 100:  # dense: the hubs are named first, not every node
        assert len(labels) < result.nodes
    assert opened.errors == [] and opened.requests == []


def test_zooming_in_names_more_nodes_at_a_readable_size(
    graph: Graph, tmp_path: Path, open_page: Any
) -> None:
    opened = open_page(write_view(graph, "sources", tmp_path / "sources.html").path)
    fitted, size = _labels(opened)
    zoom = """(clip) => { const net = window.kgraphView.network;
                 net.moveTo({scale: %s, animation: false});
                 window.kgraphView.relabel(!clip); net.redraw(); }"""
    # three times closer, counting labels off the canvas too: more nodes reach a readable size
    opened.page.evaluate(zoom % "net.getScale() * 3", False)
    everywhere = opened.page.evaluate("() => window.kgraphView.labels()")
    assert len(everywhere) > 2 * len(fitted)
    assert min(label["px"] for label in everywhere) >= LABEL_MIN_PX - 0.01
    opened.page.evaluate(zoom % "net.getScale()", True)  # what the page shows: none cut off
    _check_legible(_labels(opened)[0], size)
    opened.page.click("#fit")
    _check_legible(_labels(opened)[0], size)


def _saved(opened: Opened, button: str, keyboard: bool = False) -> tuple[str, bytes]:
    with opened.page.expect_download() as info:
        if keyboard:
            opened.page.focus(button)
            opened.page.keyboard.press("Enter")
        else:
            opened.page.click(button)
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_save_buttons_write_a_png_and_an_svg_with_the_labels(
    graph: Graph, tmp_path: Path, open_page: Any
) -> None:
    result = write_view(graph, "indicators", tmp_path / "indicators.html")
    opened = open_page(result.path)
    assert opened.page.evaluate("() => window.kgraphView.png()").startswith(
        "data:image/png;base64,"
    )
    name, png = _saved(opened, "#save-png")
    assert name == "indicators.png" and png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width > 0 and height > 0
    name, svg = _saved(opened, "#save-svg", keyboard=True)
    assert name == "indicators.svg"
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    titles = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}title")}
    texts = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    net = project(graph, "indicators")
    assert {d["title"] for _, d in net.nodes(data=True)} <= titles
    drawn = {label["label"] for label in _labels(opened)[0]}
    assert drawn and drawn <= texts
    assert len(root.findall(".//{http://www.w3.org/2000/svg}line")) == result.edges
    assert opened.errors == [] and opened.requests == []


def test_hostile_label_stays_text_in_the_svg(
    graph: Graph, tmp_path: Path, open_page: Any, iris: Iris
) -> None:
    hostile = Graph()
    for triple in graph:
        hostile.add(triple)
    node = iris.unit("commune", "2024", "03356")
    hostile.remove((node, RDFS.label, None))
    hostile.add((node, RDFS.label, Literal(HOSTILE, lang="vi")))
    path = write_view(hostile, "ego", tmp_path / "ego.html", focus="2024-03356", depth=1).path
    opened = open_page(path)
    _, svg = _saved(opened, "#save-svg")
    root = ET.fromstring(svg)
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert tags <= {"svg", "title", "rect", "g", "line", "polygon", "circle", "text", "tspan"}
    # too long to be legible at the fit, so the label is the node's <title>, as text
    titles = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert HOSTILE in titles
    assert opened.page.evaluate("() => typeof window.__kgraph_xss") == "undefined"
    assert opened.dialogs == [] and opened.requests == [] and opened.errors == []
