"""A view as one self-contained HTML page (vis-network inlined, offline, nothing external).

vis-network's JavaScript and CSS (shipped with pyvis) are inlined, and a
Content-Security-Policy forbids any request, so the page works with no network
and leaks nothing. Text from the data reaches the page only as escaped JSON
inside a ``<script type="application/json">`` block and as text nodes built in
the browser (``textContent``), never as markup.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from kgraph import resources
from kgraph.curate.vn import fold
from kgraph.errors import ViewError
from kgraph.views import labels
from kgraph.views.kinds import EDGE_BY_KEY, EDGE_TYPES, NODE_BY_KEY, VIEWS, Citation

DEFAULT_MAX_NODES = 300
#: Above this many edges, edge labels are left to the tooltips.
_EDGE_LABEL_LIMIT = 60
_CITATIONS_SHOWN = 3
#: Low -> high colour scale for values (viridis stops), with the scale shown in the legend.
_SCALE = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")


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
        "save_png": "Lưu ảnh PNG",
        "save_svg": "Lưu ảnh SVG",
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
        "see_also": "Xem thêm",
        "charts": "Biểu đồ các chỉ tiêu",
        "site": "Trang của từng thực thể",
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
        "save_png": "Save as PNG",
        "save_svg": "Save as SVG",
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
        "see_also": "See also",
        "charts": "Charts of the indicators",
        "site": "A page per entity",
    },
}


# -- shared pieces -------------------------------------------------------------------------


@cache
def env() -> Environment:
    return Environment(
        loader=FileSystemLoader(resources.templates_dir()),
        autoescape=True,
        keep_trailing_newline=True,
    )


@cache
def asset(path: Path, closing: str) -> Markup:
    """A trusted library or template file for inlining; refuses one that would close its tag."""
    text = path.read_text(encoding="utf-8")
    if closing in text.lower():
        raise ViewError(f"{path} contains {closing!r} and cannot be inlined")
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


def mix(a: str, b: str, t: float) -> str:
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def _scale_colour(t: float) -> str:
    t = min(max(t, 0.0), 1.0) * (len(_SCALE) - 1)
    i = min(int(t), len(_SCALE) - 2)
    return mix(_SCALE[i], _SCALE[i + 1], t - i)


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
            "font": {
                "size": labels.FONT_LEAF,
                "face": "sans-serif",
                "color": labels.TEXT_DARK,
                "strokeWidth": 3,
                "strokeColor": labels.CANVAS,
            },
            "borderWidth": 1.5,
            # drawThreshold hides a label below LABEL_MIN_PX - 1 on screen (vis fades the last
            # pixel); view.js hides the faded band and overlapping labels itself.
            "scaling": {
                "label": {
                    "enabled": False,
                    "drawThreshold": labels.LABEL_MIN_PX,
                    "maxVisible": labels.LABEL_MAX_PX,
                }
            },
        },
        "edges": {
            "width": 1.3,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "font": {
                "size": labels.FONT_LEAF,
                "align": "middle",
                "color": labels.EDGE_TEXT,
                "strokeWidth": 3,
                "strokeColor": labels.CANVAS,
            },
            "scaling": {
                "label": {
                    "drawThreshold": labels.LABEL_MIN_PX,
                    "maxVisible": labels.EDGE_LABEL_MAX_PX,
                }
            },
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


def html_page(g: nx.MultiDiGraph, max_nodes: int) -> bytes:
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
    boxed = {n for n, d in g.nodes(data=True) if NODE_BY_KEY[d["kind"]].shape == "box"}
    sizes = labels.label_sizes(g)
    for node, data in g.nodes(data=True):
        kind = NODE_BY_KEY[data["kind"]]
        colour, size = styles.get(node, (kind.color, 14.0 if kind.shape != "star" else 17.0))
        size = data.get("size", size)
        # a view that places its nodes itself (national) gives positions
        extra: dict[str, Any] = {k: data[k] for k in ("x", "y") if k in data}
        if node in levels:
            extra["level"] = levels[node]
        if node == g.graph.get("focus"):
            extra["borderWidth"] = 4
            size *= 1.5
        font_size, priority = sizes[node]
        font_size = data.get("font_size", font_size)
        font: dict[str, Any] = {"size": font_size}
        if node in boxed:
            font |= {"color": labels.text_on(colour), "strokeWidth": 0}
            extra["widthConstraint"] = {"maximum": round(font_size * labels.BOX_WRAP_EMS)}
        net.add_node(
            node,
            label=data["label"],
            shape=kind.shape,
            color={
                "background": colour,
                "border": mix(colour, "#000000", 0.35),
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
            font=font,
            priority=priority,
            **extra,
        )
    edge_labels = n_edges <= _EDGE_LABEL_LIMIT and not tree
    for i, (a, b, key, data) in enumerate(g.edges(keys=True, data=True)):
        edge = EDGE_BY_KEY[key]
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
    if spec.layout == "fixed":
        net.options["physics"] = {"enabled": False}
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    node_counts = Counter(d["kind"] for _, d in g.nodes(data=True))
    edge_counts = Counter(k for _, _, k in g.edges(keys=True))
    if totals := g.graph.get("kind_totals"):  # a view that grows on click: the whole of it
        node_counts = edge_counts = Counter(totals)
    node_kinds = [
        {
            "key": k,
            "label": label,
            "count": node_counts[k],
            "color": NODE_BY_KEY[k].color,
            "shape": NODE_BY_KEY[k].shape,
        }
        for k, label in g.graph["node_kinds"].items()
    ]
    edge_kinds = [
        {
            "key": k,
            "label": label,
            "count": edge_counts[k],
            "color": EDGE_BY_KEY[k].color,
            "dashes": EDGE_BY_KEY[k].dashes,
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
        "labels": {
            "minPx": labels.LABEL_MIN_PX,
            "maxPx": labels.LABEL_MAX_PX,
            "canvas": labels.CANVAS,
        },
        "ui": ui,
        "expand": g.graph.get("expand"),
    }
    html = (
        env()
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
            vis_css=asset(resources.vis_network_dir() / "vis-network.css", "</style"),
            vis_js=asset(resources.vis_network_dir() / "vis-network.min.js", "</script"),
            app_css=asset(resources.templates_dir() / "view.css", "</style"),
            app_js=asset(resources.templates_dir() / "view.js", "</script"),
            data=_script_json(payload),
            hint=g.graph.get("hint"),
            expand_js=asset(resources.templates_dir() / "national.js", "</script")
            if payload["expand"]
            else None,
        )
    )
    return html.encode("utf-8")
