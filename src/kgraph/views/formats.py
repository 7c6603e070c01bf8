"""A view as GraphML or GEXF: plain-text attributes that Gephi, networkx and other tools read."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

from kgraph.views.kinds import NODE_BY_KEY

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
        kind = NODE_BY_KEY[data["kind"]]
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


def graphml(g: nx.MultiDiGraph, max_nodes: int) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(_flat(g), buffer, encoding="utf-8", edge_id_from_attribute="id")
    return buffer.getvalue()


_GEXF_SHAPES = {"dot": "disc", "square": "square", "triangle": "triangle", "diamond": "diamond"}


def gexf(g: nx.MultiDiGraph, max_nodes: int) -> bytes:
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
