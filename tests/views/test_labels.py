"""Label sizes, drawing order and text colours of the HTML views (no browser)."""

from __future__ import annotations

import json
import re

import networkx as nx
from rdflib import Graph

from kgraph.views.html import html_page
from kgraph.views.labels import (
    CANVAS,
    EDGE_TEXT,
    FONT_HUB,
    FONT_LEAF,
    WCAG_AA,
    contrast,
    label_sizes,
)
from kgraph.views.projection import project


def test_hubs_get_the_largest_labels_and_come_first() -> None:
    star = nx.MultiDiGraph(focus=None)
    star.add_edges_from([("hub", "a"), ("hub", "b"), ("hub", "c"), ("hub", "d"), ("a", "b")])
    sizes = label_sizes(star)
    assert sizes["hub"] == (FONT_HUB, 5)
    assert sizes["c"][0] == sizes["d"][0] == 31.0  # sqrt(1/4) of the way up
    assert sizes["c"][1] > sizes["d"][1]  # ties in id order
    assert max(sizes, key=lambda n: sizes[n][1]) == "hub"
    star.graph["focus"] = "d"  # an ego view's focus is drawn first and largest
    assert label_sizes(star)["d"] == (FONT_HUB, 5)
    assert FONT_LEAF < sizes["a"][0] < FONT_HUB


def test_every_label_colour_passes_wcag_aa(graph: Graph) -> None:
    page = html_page(project(graph, "sources"), 300).decode("utf-8")
    data = json.loads(re.search(r'id="kgraph-data">(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    assert contrast(data["options"]["nodes"]["font"]["color"], CANVAS) >= WCAG_AA
    assert contrast(EDGE_TEXT, CANVAS) >= WCAG_AA
    boxed = [n for n in data["nodes"] if n["shape"] == "box"]
    assert boxed
    for node in boxed:
        assert contrast(node["font"]["color"], node["color"]["background"]) >= WCAG_AA, node["id"]
