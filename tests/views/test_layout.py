"""The exports' layout: kgraph's ForceAtlas2 is networkx's, step for step, only faster."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from rdflib import Graph

from kgraph.views.layout import forceatlas2, layout
from kgraph.views.projection import project


def _karate() -> nx.Graph:
    """Zachary's karate club (34 members, 78 ties), relabelled with strings as our node ids."""
    return nx.relabel_nodes(nx.karate_club_graph(), str)


@pytest.mark.parametrize("steps", [1, 5, 10])
def test_forceatlas2_follows_networkx(steps: int) -> None:
    """Same start, same forces: equal to float32 rounding while the layout is still in motion.

    (Further on the two drift apart: networkx computes in float32 and the
    layout amplifies rounding, so only the early steps compare.)
    """
    g = _karate()
    if not hasattr(nx, "forceatlas2_layout"):
        pytest.skip("networkx older than 3.4 has no forceatlas2_layout to compare with")
    theirs = nx.forceatlas2_layout(g, seed=14, max_iter=steps)
    ours = forceatlas2(g, 14, steps)
    assert ours.keys() == theirs.keys()
    moved = max(float(np.abs(ours[n] - nx.random_layout(g, seed=14)[n]).max()) for n in g)
    assert moved > 1.0, "the nodes move away from the random start"
    for node in g:
        np.testing.assert_allclose(ours[node], theirs[node], atol=1e-3)


def test_forceatlas2_separates_and_keeps_ties_close() -> None:
    g = _karate()
    pos = forceatlas2(g, 14, 100)
    spots = {tuple(np.round(p, 3)) for p in pos.values()}
    assert len(spots) == g.number_of_nodes()

    def dist(a: str, b: str) -> float:
        return float(np.linalg.norm(pos[a] - pos[b]))

    tied = np.mean([dist(a, b) for a, b in g.edges()])
    untied = np.mean([dist(a, b) for a in g for b in g if a < b and not g.has_edge(a, b)])
    assert tied < untied / 2


def test_layout_is_computed_once_per_network(graph: Graph) -> None:
    net = project(graph, "people")
    first = layout(net)
    assert first.keys() == set(net.nodes)
    assert all(round(x, 2) == x and round(y, 2) == y for x, y in first.values())
    assert layout(net) is first
    assert layout(project(graph, "people")) == first
