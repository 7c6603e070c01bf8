"""A view as GraphML or GEXF: every attribute a typed column, laid out as Gephi should open it.

One table of columns (name, declared type) drives both writers, so GraphML and
GEXF carry the same attributes with the same types, and a value a node does not
have is left out (never written as "None" or ""). networkx's writers are not used:
its GEXF writer renames every attribute called ``key`` to ``networkx_key`` and
stamps today's date into the file, and its GraphML key ids (``d3``, ``d7``) are
the ones Gephi takes for yEd's node and edge labels.

Positions come from :mod:`kgraph.views.layout` (the page's tree levels, or
ForceAtlas2); colours and sizes are the page's (kind colours; value scale within
an indicator).
"""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

from kgraph.errors import ViewError
from kgraph.views.html import _value_styles
from kgraph.views.kinds import EDGE_BY_KEY, NODE_BY_KEY, VIEWS
from kgraph.views.layout import layout

Value = str | float | int
Row = dict[str, Value]


@dataclass(frozen=True)
class Column:
    """An attribute of the exports: its name and its type (``string``, ``double`` or ``int``)."""

    name: str
    type: str = "string"


_S, _D, _I = "string", "double", "int"

#: Node attributes, in file order. GEXF puts label, position, size and colour in viz elements.
NODE_COLUMNS: tuple[Column, ...] = tuple(
    Column(name, kind)
    for name, kind in (
        ("label", _S),
        ("title", _S),
        ("label_vi", _S),
        ("label_en", _S),
        ("kind", _S),
        ("kind_label", _S),
        ("iri", _S),
        ("key", _S),
        ("gso_code", _S),
        ("vintage", _S),
        ("indicator", _S),
        ("value", _D),
        ("unit", _S),
        ("period", _S),
        ("qualifier", _S),
        ("numerator", _D),
        ("denominator", _D),
        ("source_id", _S),
        ("facts", _S),
        ("citation", _S),
        ("color", _S),
        ("shape", _S),
        ("size", _D),
        ("x", _D),
        ("y", _D),
        ("r", _I),
        ("g", _I),
        ("b", _I),
    )
)
#: Edge attributes; ``key`` is the edge's key in :func:`project`'s network (its kind).
EDGE_COLUMNS: tuple[Column, ...] = tuple(
    Column(name, kind)
    for name, kind in (
        ("key", _S),
        ("kind", _S),
        ("label", _S),
        ("label_vi", _S),
        ("label_en", _S),
        ("predicate", _S),
        ("source_id", _S),
        ("citation", _S),
        ("color", _S),
        ("r", _I),
        ("g", _I),
        ("b", _I),
    )
)
#: Graph attributes (GraphML only: GEXF 1.3 has none, its <meta> gets the title).
GRAPH_COLUMNS: tuple[Column, ...] = (
    Column("view"),
    Column("lang"),
    Column("title"),
    Column("question"),
    Column("focus"),
    Column("depth", _I),
    Column("layout"),
)
#: What GEXF writes as XML attributes or viz elements instead of attribute values.
_GEXF_VIZ = frozenset({"label", "size", "x", "y", "r", "g", "b"})
#: networkx's GEXF reader passes an edge attribute named ``key`` on as a second ``key``
#: argument and fails (it reserves ``networkx_key``): in GEXF the edge key is its ``kind``.
_GEXF_EDGE_SKIP = _GEXF_VIZ | {"key"}

# -- style ----------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _styles(g: nx.MultiDiGraph) -> dict[str, tuple[str, float]]:
    """(colour, size) per node as the page draws it: kind colour, or the value scale."""
    scaled = _value_styles(g)[0] if VIEWS[g.graph["view"]].comparable else {}
    out = {}
    for node, data in g.nodes(data=True):
        kind = NODE_BY_KEY[data["kind"]]
        colour, size = scaled.get(node, (kind.color, 14.0 if kind.shape != "star" else 17.0))
        if node == g.graph.get("focus"):
            size *= 1.5
        out[node] = (colour, round(size, 1))
    return out


# -- rows -----------------------------------------------------------------------------------


def _present(row: dict[str, Value | None]) -> Row:
    return {k: v for k, v in row.items() if v is not None and v != ""}


def _nodes(g: nx.MultiDiGraph) -> Iterator[tuple[str, Row]]:
    positions, styles = layout(g), _styles(g)
    for node, data in g.nodes(data=True):
        kind = NODE_BY_KEY[data["kind"]]
        colour, size = styles[node]
        x, y = positions[node]
        r, gr, b = _rgb(colour)
        codes: dict[str, str] = data.get("codes", {})
        row: dict[str, Value | None] = {
            "label": data["label"],
            "title": data["title"],
            "label_vi": data["label_vi"],
            "label_en": data["label_en"],
            "kind": data["kind"],
            "kind_label": data["kind_label"],
            "iri": data["iri"],
            "key": data["key"],
            **codes,
            "value": data.get("value"),
            "numerator": data.get("numerator"),
            "denominator": data.get("denominator"),
            "source_id": " ".join(data.get("source_ids", ())),
            "facts": "; ".join(f"{k}: {v}" for k, v in data["facts"]),
            "citation": " | ".join(c.text() for c in data["citations"]),
            "color": colour,
            "shape": kind.shape,
            "size": size,
            "x": x,
            "y": y,
            "r": r,
            "g": gr,
            "b": b,
        }
        yield node, _present(row)


def _edges(g: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, Row]]:
    for i, (a, b, key, data) in enumerate(g.edges(keys=True, data=True)):
        colour = EDGE_BY_KEY[key].color
        red, green, blue = _rgb(colour)
        row: dict[str, Value | None] = {
            "key": key,
            "kind": data.get("kind", key),
            "label": data["label"],
            "label_vi": data["label_vi"],
            "label_en": data["label_en"],
            "predicate": data["predicate"],
            "source_id": " ".join(data.get("source_ids", ())),
            "citation": " | ".join(c.text() for c in data["citations"]),
            "color": colour,
            "r": red,
            "g": green,
            "b": blue,
        }
        yield f"e{i}", a, b, _present(row)


def _graph_row(g: nx.MultiDiGraph) -> Row:
    return _present(
        {
            "view": g.graph["view"],
            "lang": g.graph["lang"],
            "title": g.graph["title"],
            "question": g.graph.get("question"),
            "focus": g.graph.get("focus"),
            "depth": g.graph.get("depth"),
            "layout": VIEWS[g.graph["view"]].layout,
        }
    )


# -- XML ------------------------------------------------------------------------------------

#: Characters XML 1.0 cannot carry at all (escaping does not help).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Value, column: Column, where: str) -> str:
    """A value as its column's type writes it (text in NFC); refuses what XML cannot hold."""
    if column.type == _D:
        return repr(float(value))
    if column.type == _I:
        return str(int(value))
    text = unicodedata.normalize("NFC", str(value))
    bad = _NOT_XML.search(text)
    if bad:
        raise ViewError(
            f"{where}: attribute {column.name!r} holds U+{ord(bad.group()):04X}, "
            "which XML cannot carry"
        )
    return text


def _serialise(root: ET.Element) -> bytes:
    """The document, indented. Namespaces are declared as xmlns attributes of the root and
    tags written with their prefixes: ElementTree's own namespace handling either needs a
    process-wide prefix registry or refuses unprefixed attributes."""
    ET.indent(root)
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"


_GRAPHML = "http://graphml.graphdrawing.org/xmlns"


def graphml(g: nx.MultiDiGraph, max_nodes: int) -> bytes:
    """GraphML for networkx, igraph, Gephi and Cytoscape: typed <key>s, x/y, size and r/g/b.

    Key ids are ``g_``/``n_``/``e_`` plus the name (ids are one space in
    GraphML); ``max_nodes`` is ignored: exports have no node limit.
    """
    root = ET.Element("graphml", xmlns=_GRAPHML)
    scopes = (("graph", GRAPH_COLUMNS), ("node", NODE_COLUMNS), ("edge", EDGE_COLUMNS))
    for scope, columns in scopes:
        for column in columns:
            ET.SubElement(
                root,
                "key",
                {
                    "id": f"{scope[0]}_{column.name}",
                    "for": scope,
                    "attr.name": column.name,
                    "attr.type": column.type,
                },
            )
    graph = ET.SubElement(root, "graph", id=g.graph["view"], edgedefault="directed")

    def add(parent: ET.Element, scope: str, columns: tuple[Column, ...], row: Row) -> None:
        for column in columns:
            if column.name in row:
                data = ET.SubElement(parent, "data", key=f"{scope}_{column.name}")
                data.text = _text(row[column.name], column, f"{parent.get('id')}")

    add(graph, "g", GRAPH_COLUMNS, _graph_row(g))
    for node, row in _nodes(g):
        add(ET.SubElement(graph, "node", id=node), "n", NODE_COLUMNS, row)
    for edge, a, b, row in _edges(g):
        add(ET.SubElement(graph, "edge", id=edge, source=a, target=b), "e", EDGE_COLUMNS, row)
    return _serialise(root)


_GEXF, _VIZ = "http://gexf.net/1.3", "http://gexf.net/1.3/viz"
_GEXF_TYPES = {_S: "string", _D: "double", _I: "integer"}
_GEXF_SHAPES = {
    "dot": "disc",
    "square": "square",
    "box": "square",
    "triangle": "triangle",
    "triangleDown": "triangle",
    "diamond": "diamond",
}


def gexf(g: nx.MultiDiGraph, max_nodes: int) -> bytes:
    """GEXF 1.3 for Gephi: typed <attributes>, and viz:position, viz:color, viz:size, viz:shape.

    ``max_nodes`` is ignored: exports have no node limit.
    """
    root = ET.Element("gexf", {"xmlns": _GEXF, "xmlns:viz": _VIZ, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "kgraph"
    ET.SubElement(meta, "description").text = _text(
        f"{g.graph['title']}: {g.graph.get('question', '')}".rstrip(": "), Column("title"), "graph"
    )
    graph = ET.SubElement(root, "graph", defaultedgetype="directed", mode="static")
    node_columns = tuple(c for c in NODE_COLUMNS if c.name not in _GEXF_VIZ)
    edge_columns = tuple(c for c in EDGE_COLUMNS if c.name not in _GEXF_EDGE_SKIP)
    for scope, columns in (("node", node_columns), ("edge", edge_columns)):
        declared = ET.SubElement(graph, "attributes", {"class": scope, "mode": "static"})
        for column in columns:
            ET.SubElement(
                declared,
                "attribute",
                id=column.name,
                title=column.name,
                type=_GEXF_TYPES[column.type],
            )

    def values(parent: ET.Element, columns: tuple[Column, ...], row: Row, where: str) -> None:
        found = [c for c in columns if c.name in row]
        if found:
            box = ET.SubElement(parent, "attvalues")
            for column in found:
                text = _text(row[column.name], column, where)
                ET.SubElement(box, "attvalue", {"for": column.name, "value": text})

    nodes = ET.SubElement(graph, "nodes")
    for node, row in _nodes(g):
        element = ET.SubElement(
            nodes, "node", id=node, label=_text(row.get("label", ""), Column("label"), node)
        )
        values(element, node_columns, row, node)
        colour = {c: str(row[c]) for c in ("r", "g", "b")}
        ET.SubElement(element, "viz:color", colour, a="1.0")
        position = {"x": repr(float(row["x"])), "y": repr(float(row["y"])), "z": "0.0"}
        ET.SubElement(element, "viz:position", position)
        ET.SubElement(element, "viz:size", value=repr(float(row["size"])))
        shape = _GEXF_SHAPES.get(str(row["shape"]), "disc")
        ET.SubElement(element, "viz:shape", value=shape)
    edges = ET.SubElement(graph, "edges")
    for edge, a, b, row in _edges(g):
        label = _text(row.get("label", ""), Column("label"), edge)
        element = ET.SubElement(edges, "edge", id=edge, source=a, target=b, label=label)
        values(element, edge_columns, row, edge)
        dashed = EDGE_BY_KEY[str(row["key"])].dashes
        ET.SubElement(element, "viz:shape", value="dashed" if dashed else "solid")
    return _serialise(root)


__all__ = ["EDGE_COLUMNS", "GRAPH_COLUMNS", "NODE_COLUMNS", "Column", "gexf", "graphml"]
