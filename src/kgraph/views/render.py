"""Interactive network views (pyvis, offline HTML) and their GraphML/GEXF exports.

A view is a network from :func:`kgraph.views.projection.project`, written as one
self-contained HTML page: vis-network's JavaScript and CSS (shipped with
pyvis) are inlined, and a Content-Security-Policy forbids any request, so the
page works with no network and leaks nothing. Text from the data reaches the
page only as escaped JSON inside a ``<script type="application/json">`` block
and as text nodes built in the browser (``textContent``), never as markup.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources as _res
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from rdflib import Graph

from kgraph import resources
from kgraph.errors import ViewError
from kgraph.views.projection import DEFAULT_DEPTH, EDGE_TYPES, NODE_TYPES, VIEWS, Citation, project
from kgraph.graph.store import write_bytes
from kgraph.curate.vn import fold

#: Views drawn with more nodes than this stop with a message suggesting --focus.
DEFAULT_MAX_NODES = 300
#: Above this many edges, edge labels are left to the tooltips.
_EDGE_LABEL_LIMIT = 60
_CITATIONS_SHOWN = 3
_VIS = "templates/lib/vis-9.1.2"
#: Low -> high colour scale for values (viridis stops), with the scale shown in the legend.
_SCALE = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")

_NODE = {t.key: t for t in NODE_TYPES}
_EDGE = {t.key: t for t in EDGE_TYPES}

#: Interface text, per label language.
UI: dict[str, dict[str, str]] = {
    "vi": {
        "nodes": "nút",
        "edges": "cạnh",
        "shown": "đang hiện",
        "search": "Tìm tên (gõ không dấu cũng được)…",
        "node_kinds": "Loại nút",
        "edge_kinds": "Loại cạnh",
        "scale": "Thang giá trị",
        "scale_each": "Màu và cỡ: thấp → cao, so với các giá trị khác của cùng chỉ tiêu.",
        "low": "thấp",
        "high": "cao",
        "physics": "Mô phỏng lực (kéo thả tự sắp xếp)",
        "fit": "Vừa khung",
        "focus": "trọng tâm",
        "depth": "độ sâu",
        "details": "Bấm vào một nút hoặc cạnh để xem chi tiết và nguồn.",
        "more": "trích dẫn khác",
        "ego": "Xem xung quanh nút này:",
        "none": "Không tìm thấy",
        "footer": "Tạo bởi kgraph từ đồ thị RDF. Mỗi số liệu dẫn nguyên văn câu trong bài báo gốc.",
        "index": "Các góc nhìn mạng",
        "views": "Góc nhìn",
        "answers": "Trả lời câu hỏi",
        "downloads": "Tải về (Gephi, Cytoscape)",
        "around": "Xung quanh từng đơn vị",
        "too_large": "quá lớn để vẽ ({n} nút, giới hạn {limit}): dùng --focus hoặc tệp GraphML",
    },
    "en": {
        "nodes": "nodes",
        "edges": "edges",
        "shown": "shown",
        "search": "Search a name (diacritics optional)…",
        "node_kinds": "Node types",
        "edge_kinds": "Edge types",
        "scale": "Value scale",
        "scale_each": "Colour and size: low → high, relative to the other values of the same "
        "indicator.",
        "low": "low",
        "high": "high",
        "physics": "Physics (drag to rearrange)",
        "fit": "Fit",
        "focus": "focus",
        "depth": "depth",
        "details": "Click a node or edge for its details and sources.",
        "more": "more citations",
        "ego": "See around this node:",
        "none": "No match",
        "footer": "Made by kgraph from the RDF graph. Every figure quotes its source article "
        "verbatim.",
        "index": "Network views",
        "views": "Views",
        "answers": "Answers",
        "downloads": "Downloads (Gephi, Cytoscape)",
        "around": "Around each unit",
        "too_large": "too large to draw ({n} nodes, limit {limit}): use --focus or the GraphML "
        "file",
    },
}


@dataclass(frozen=True)
class ViewResult:
    """One written file: which view, where, and how many nodes and edges it holds."""

    name: str
    path: Path
    nodes: int
    edges: int
    title: str = ""


# -- shared pieces -------------------------------------------------------------------------


@cache
def _env() -> Environment:
    folder = Path(str(_res.files("kgraph") / "templates"))
    return Environment(loader=FileSystemLoader(folder), autoescape=True, keep_trailing_newline=True)


@cache
def _asset(package: str, name: str, closing: str) -> Markup:
    """A trusted library or template file for inlining; refuses one that would close its tag."""
    text = (_res.files(package) / name).read_text(encoding="utf-8")
    if closing in text.lower():
        raise ViewError(f"{package}/{name} contains {closing!r} and cannot be inlined")
    return Markup(text)


def _script_json(value: Any) -> Markup:
    """JSON safe inside a <script> element: no ``<``, ``>`` or ``&`` left to break out."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)


def _mix(a: str, b: str, t: float) -> str:
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def _scale_colour(t: float) -> str:
    t = min(max(t, 0.0), 1.0) * (len(_SCALE) - 1)
    i = min(int(t), len(_SCALE) - 2)
    return _mix(_SCALE[i], _SCALE[i + 1], t - i)


def _citations(items: tuple[Citation, ...]) -> list[dict[str, str]]:
    return [
        {"source": c.title + (f" ({c.published})" if c.published else ""), "quote": c.quote}
        for c in items
    ]


def _tip(
    title: str,
    kind: str,
    facts: tuple[tuple[str, str], ...] | list[tuple[str, str]],
    citations: tuple[Citation, ...],
    ident: str,
) -> dict[str, Any]:
    cites = _citations(citations)
    return {
        "title": title,
        "kind": kind,
        "facts": [list(f) for f in facts],
        "cite": cites[:_CITATIONS_SHOWN],
        "more": max(0, len(cites) - _CITATIONS_SHOWN),
        "id": ident,
    }


# -- layout ------------------------------------------------------------------------------------


def _levels(g: nx.MultiDiGraph) -> dict[str, int]:
    """Tree levels: steps up the structural edges, org trees aligned with the place they lead."""
    structural = {e.key for e in EDGE_TYPES if e.structural}
    parent: dict[str, str] = {}
    leads: dict[str, str] = {}
    for a, b, key in g.edges(keys=True):
        if key in structural:
            parent.setdefault(a, b)
        elif key == "leads-area":
            leads.setdefault(a, b)

    def climb(node: str) -> tuple[str, int]:
        steps, seen = 0, {node}
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
            steps += 1
        return node, steps

    def level(node: str, guard: int = 0) -> int:
        root, steps = climb(node)
        if root in leads and guard < 3:
            return steps + level(leads[root], guard + 1)
        return steps

    return {n: level(n) for n in g.nodes}


def _value_styles(g: nx.MultiDiGraph) -> tuple[dict[str, tuple[str, float]], list[dict[str, str]]]:
    """Colour and size for every valued node, scaled within its indicator; plus scale rows."""
    groups: dict[str, list[tuple[str, float]]] = {}
    for node, data in g.nodes(data=True):
        if data.get("value") is not None and data.get("indicator"):
            groups.setdefault(data["indicator"], []).append((node, float(data["value"])))
    styles: dict[str, tuple[str, float]] = {}
    rows = []
    for indicator, members in sorted(groups.items()):
        values = [v for _, v in members]
        low, high = min(values), max(values)
        for node, value in members:
            t = 0.5 if high == low else (value - low) / (high - low)
            styles[node] = (_scale_colour(t), 9 + 15 * t)
        if indicator in g and len(members) > 1:
            low_node = min(members, key=lambda m: m[1])[0]
            high_node = max(members, key=lambda m: m[1])[0]
            rows.append(
                {
                    "indicator": g.nodes[indicator]["label"],
                    "low": g.nodes[low_node]["label"],
                    "high": g.nodes[high_node]["label"],
                }
            )
    return styles, sorted(rows, key=lambda row: fold(row["indicator"]))


# -- HTML ---------------------------------------------------------------------------------------


def _options(tree: bool, edge_labels: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "nodes": {
            "font": {"size": 13, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1.5,
        },
        "edges": {
            "width": 1.3,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "font": {"size": 10, "align": "middle", "strokeWidth": 3},
            "smooth": {"type": "continuous"}
            if not tree
            else {"type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.5},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "keyboard": {"enabled": True},
            "multiselect": True,
        },
    }
    if tree:
        options["layout"] = {
            "hierarchical": {
                "enabled": True,
                "direction": "LR",
                "levelSeparation": 260,
                "nodeSpacing": 46,
                "treeSpacing": 70,
                "shakeTowards": "roots",
            }
        }
        options["physics"] = {"enabled": False}
    else:
        options["layout"] = {"improvedLayout": False}
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.01,
                "springLength": 90,
                "springConstant": 0.08,
                "damping": 0.6,
                "avoidOverlap": 0.4,
            },
            "maxVelocity": 60,
            "minVelocity": 1.5,
            "timestep": 0.5,
            "stabilization": {
                "enabled": True,
                "iterations": 300,
                "updateInterval": 50,
                "fit": True,
            },
        }
    if not edge_labels:
        options["edges"]["font"]["size"] = 0
    return options


def _html(g: nx.MultiDiGraph, max_nodes: int) -> bytes:
    from pyvis.network import Network  # heavy import, only when a page is drawn

    name = g.graph["view"]
    n_nodes, n_edges = g.number_of_nodes(), g.number_of_edges()
    if n_nodes > max_nodes:
        raise ViewError(
            f"view {name!r} would draw {n_nodes} nodes, more than the limit of {max_nodes}: "
            "narrow it with --focus ENTITY (and --depth N), or raise --max-nodes"
        )
    lang = g.graph["lang"]
    ui = UI[lang]
    spec = VIEWS[name]
    tree = spec.layout == "tree"
    levels = _levels(g) if tree else {}
    styles, scale_rows = _value_styles(g) if spec.comparable else ({}, [])
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    for node, data in g.nodes(data=True):
        kind = _NODE[data["kind"]]
        colour, size = styles.get(node, (kind.color, 14.0 if kind.shape != "star" else 17.0))
        extra: dict[str, Any] = {}
        if node in levels:
            extra["level"] = levels[node]
        if node == g.graph.get("focus"):
            extra["borderWidth"] = 4
            size *= 1.5
        font = {"color": "#ffffff", "strokeWidth": 0} if kind.shape == "box" else {}
        net.add_node(
            node,
            label=data["label"],
            shape=kind.shape,
            color={
                "background": colour,
                "border": _mix(colour, "#000000", 0.35),
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            },
            size=round(size, 1),
            kind=kind.key,
            search=" ".join(data.get("search_keys", ())),
            tip=_tip(
                data["title"],
                data["kind_label"],
                data["facts"],
                data["citations"],
                data.get("key", ""),
            ),
            **({"font": font} if font else {}),
            **extra,
        )
    edge_labels = n_edges <= _EDGE_LABEL_LIMIT and not tree
    for i, (a, b, key, data) in enumerate(g.edges(keys=True, data=True)):
        edge = _EDGE[key]
        title = f"{g.nodes[a]['title']} → {data['label']} → {g.nodes[b]['title']}"
        facts = [("RDF", data["predicate"])] if data["predicate"] else []
        net.add_edge(
            a,
            b,
            id=f"e{i}",
            label=data["label"] if edge_labels else "",
            color={"color": edge.color, "highlight": "#000000", "hover": "#000000"},
            dashes=edge.dashes,
            kind=key,
            tip=_tip(title, data["label"], facts, data["citations"], ""),
        )
    net.options = _options(tree, edge_labels)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    node_counts = Counter(d["kind"] for _, d in g.nodes(data=True))
    edge_counts = Counter(k for _, _, k in g.edges(keys=True))
    node_kinds = [
        {
            "key": k,
            "label": label,
            "count": node_counts[k],
            "color": _NODE[k].color,
            "shape": _NODE[k].shape,
        }
        for k, label in g.graph["node_kinds"].items()
    ]
    edge_kinds = [
        {
            "key": k,
            "label": label,
            "count": edge_counts[k],
            "color": _EDGE[k].color,
            "dashes": _EDGE[k].dashes,
        }
        for k, label in g.graph["edge_kinds"].items()
    ]
    focus = g.graph.get("focus")
    payload = {
        "view": name,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "counts": {"nodes": n_nodes, "edges": n_edges},
        "ui": ui,
    }
    html = (
        _env()
        .get_template("view.html")
        .render(
            lang=lang,
            name=name,
            title=g.graph["title"],
            question=g.graph["question"],
            ui=ui,
            n_nodes=n_nodes,
            n_edges=n_edges,
            node_kinds=node_kinds,
            edge_kinds=edge_kinds,
            scale={"colors": [_scale_colour(i / 8) for i in range(9)], "rows": scale_rows}
            if styles
            else None,
            focus=g.nodes[focus]["title"] if focus else None,
            depth=g.graph.get("depth"),
            vis_css=_asset("pyvis", f"{_VIS}/vis-network.css", "</style"),
            vis_js=_asset("pyvis", f"{_VIS}/vis-network.min.js", "</script"),
            app_css=_asset("kgraph", "templates/view.css", "</style"),
            app_js=_asset("kgraph", "templates/view.js", "</script"),
            data=_script_json(payload),
        )
    )
    return html.encode("utf-8")


# -- GraphML and GEXF ----------------------------------------------------------------------------


def _flat(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The network with plain-text attributes only (what GraphML and GEXF can hold)."""
    out = nx.MultiDiGraph()
    out.graph.update(
        {
            k: str(v)
            for k, v in g.graph.items()
            if k in ("view", "lang", "title", "focus", "depth") and v is not None
        }
    )
    for node, data in g.nodes(data=True):
        kind = _NODE[data["kind"]]
        attrs: dict[str, Any] = {
            "label": data["label"],
            "label_vi": data["label_vi"],
            "label_en": data["label_en"],
            "title": data["title"],
            "kind": data["kind"],
            "kind_label": data["kind_label"],
            "iri": data["iri"],
            "key": data["key"],
            "color": kind.color,
            "shape": kind.shape,
            "facts": "; ".join(f"{k}: {v}" for k, v in data["facts"]),
            "citation": " | ".join(c.text() for c in data["citations"]),
        }
        if data.get("value") is not None:
            attrs["value"] = float(data["value"])
        out.add_node(node, **attrs)
    for i, (a, b, key, data) in enumerate(g.edges(keys=True, data=True)):
        out.add_edge(
            a,
            b,
            key=f"e{i}",
            id=f"e{i}",
            kind=key,
            label=data["label"],
            label_vi=data["label_vi"],
            label_en=data["label_en"],
            predicate=data["predicate"],
            citation=" | ".join(c.text() for c in data["citations"]),
        )
    return out


def _graphml(g: nx.MultiDiGraph, max_nodes: int) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(_flat(g), buffer, encoding="utf-8", edge_id_from_attribute="id")
    return buffer.getvalue()


_GEXF_SHAPES = {"dot": "disc", "square": "square", "triangle": "triangle", "diamond": "diamond"}


def _gexf(g: nx.MultiDiGraph, max_nodes: int) -> bytes:
    flat = _flat(g)
    for _, data in flat.nodes(data=True):
        colour = data["color"]
        data["viz"] = {
            "color": {
                "r": int(colour[1:3], 16),
                "g": int(colour[3:5], 16),
                "b": int(colour[5:7], 16),
                "a": 1.0,
            },
            "size": 10.0,
            "shape": _GEXF_SHAPES.get(data["shape"], "disc"),
        }
    buffer = io.BytesIO()
    nx.write_gexf(flat, buffer, encoding="utf-8")
    return buffer.getvalue()


#: Output format -> writer (network, node limit) -> bytes; the CLI's --format choices.
FORMATS: dict[str, Callable[[nx.MultiDiGraph, int], bytes]] = {
    "html": _html,
    "graphml": _graphml,
    "gexf": _gexf,
}


def _file_name(g: nx.MultiDiGraph, fmt: str) -> str:
    focus = g.graph.get("focus")
    stem = g.graph["view"] + (f"-{g.nodes[focus]['key']}" if focus else "")
    return f"{stem}.{fmt}"


# -- public ----------------------------------------------------------------------------------------


def write_view(
    graph: Graph,
    name: str,
    out: Path | None = None,
    *,
    fmt: str = "html",
    lang: str = "vi",
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> ViewResult:
    """Draw view ``name`` of ``graph`` as ``fmt`` into ``out`` (default build/views/...).

    Raises :class:`ViewError` (nothing written) for an unknown view or format,
    an entity ``focus`` cannot find, or an HTML view over ``max_nodes``.

    >>> import tempfile
    >>> from kgraph.graph.build import build_graph
    >>> from kgraph.curate.dataset import load_dataset
    >>> graph = build_graph(load_dataset(resources.data_dir()))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     result = write_view(graph, "ego", Path(tmp) / "ego.html", focus="Pom Lót", depth=1)
    ...     result.path.read_bytes().startswith(b"<!DOCTYPE html>")
    True
    """
    if fmt not in FORMATS:
        raise ViewError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    g = project(graph, name, lang=lang, focus=focus, depth=depth)
    data = FORMATS[fmt](g, max_nodes)
    path = out or resources.default_build_dir() / "views" / _file_name(g, fmt)
    write_bytes(path, lambda: data)
    return ViewResult(name, path, g.number_of_nodes(), g.number_of_edges(), g.graph["title"])


def write_all_views(
    graph: Graph, out_dir: Path, *, lang: str = "vi", max_nodes: int = DEFAULT_MAX_NODES
) -> list[ViewResult]:
    """Every view, its GraphML and GEXF, an ego view per district and commune, and index.html.

    Everything is drawn in memory first and written only when all of it
    succeeded. A view over ``max_nodes`` is listed in the index as too large
    (its exports are still written) instead of failing the main job.
    """
    files: dict[str, bytes] = {}
    results: list[ViewResult] = []
    entries: list[dict[str, Any]] = []
    ui = UI[lang]
    for name, spec in VIEWS.items():
        if spec.needs_focus:
            continue
        g = project(graph, name, lang=lang)
        entry = {
            "name": name,
            "title": g.graph["title"],
            "question": g.graph["question"],
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "html": None,
            "note": None,
            "exports": [],
        }
        for fmt in FORMATS:
            if fmt == "html" and not spec.draw:
                continue
            file = _file_name(g, fmt)
            try:
                files[file] = FORMATS[fmt](g, max_nodes)
            except ViewError:
                if fmt != "html":
                    raise
                entry["note"] = ui["too_large"].format(n=g.number_of_nodes(), limit=max_nodes)
                continue
            entry["html" if fmt == "html" else "exports"] = (
                file if fmt == "html" else [*entry["exports"], file]
            )
            results.append(
                ViewResult(
                    name, out_dir / file, g.number_of_nodes(), g.number_of_edges(), g.graph["title"]
                )
            )
        entries.append(entry)
    network = project(graph, "network", lang=lang)
    egos: list[dict[str, Any]] = []
    for kind in ("district", "commune"):
        units = sorted(
            (fold(d["title"]), d["title"], n)
            for n, d in network.nodes(data=True)
            if d["kind"] == kind
        )
        for _, title, node in units:
            g = project(graph, "ego", lang=lang, focus=node)
            file = _file_name(g, "html")
            try:
                files[file] = _html(g, max_nodes)
            except ViewError:
                egos.append(
                    {
                        "title": title,
                        "kind": g.nodes[node]["kind_label"],
                        "html": None,
                        "nodes": g.number_of_nodes(),
                        "edges": g.number_of_edges(),
                        "note": ui["too_large"].format(n=g.number_of_nodes(), limit=max_nodes),
                    }
                )
                continue
            egos.append(
                {
                    "title": title,
                    "kind": g.nodes[node]["kind_label"],
                    "html": file,
                    "nodes": g.number_of_nodes(),
                    "edges": g.number_of_edges(),
                    "note": None,
                }
            )
            results.append(
                ViewResult(
                    "ego",
                    out_dir / file,
                    g.number_of_nodes(),
                    g.number_of_edges(),
                    f"{g.graph['title']}: {title}",
                )
            )
    files["index.html"] = (
        _env()
        .get_template("index.html")
        .render(
            lang=lang,
            ui=ui,
            entries=entries,
            egos=egos,
            app_css=_asset("kgraph", "templates/view.css", "</style"),
        )
        .encode("utf-8")
    )
    results.append(ViewResult("index", out_dir / "index.html", 0, 0, ui["index"]))
    for file, data in files.items():
        write_bytes(out_dir / file, lambda data=data: data)  # type: ignore[misc]
    return results


__all__ = ["DEFAULT_MAX_NODES", "FORMATS", "UI", "ViewResult", "write_all_views", "write_view"]
