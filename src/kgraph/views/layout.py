"""Where each node of an exported network sits: the page's tree levels, or ForceAtlas2.

The HTML page lets vis-network place nodes in the browser, so GraphML and GEXF
get a deterministic layout computed here from the same inputs: a tree view keeps
the page's levels (``html._levels``, 260 apart as on the page), any other view
ForceAtlas2 (the page's physics solver) from a seeded start.

:func:`forceatlas2` is networkx's ``forceatlas2_layout`` (networkx 3.4, default
settings) step for step, written with (n, n) arrays per axis and a matrix product
for the attraction instead of (n, n, 2) ``einsum``/``norm`` calls, which made
every export several times slower (benchmarks/bench_views.py). A test compares
the two on a small graph.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from kgraph.curate.vn import fold
from kgraph.views.html import _levels
from kgraph.views.kinds import EDGE_TYPES, VIEWS

Position = tuple[float, float]

#: The page's hierarchical layout: levels 260 apart (levelSeparation), nodes 46 (nodeSpacing).
LEVEL_SEPARATION, NODE_SPACING = 260.0, 46.0
#: ForceAtlas2: fixed seed and iterations (same file every run), spread ~ sqrt(nodes).
_SEED, _ITERATIONS, _SPREAD = 14, 100, 40.0


def _tree(g: nx.MultiDiGraph) -> dict[str, Position]:
    """The page's levels on x; on y, each level's nodes in depth-first order of the tree."""
    levels = _levels(g)
    structural = {e.key for e in EDGE_TYPES if e.structural}
    parent: dict[str, str] = {}
    for a, b, key in g.edges(keys=True):
        if key in structural:
            parent.setdefault(a, b)  # the parent _levels climbs to
    children: dict[str, list[str]] = {}
    for child, up in parent.items():
        children.setdefault(up, []).append(child)

    def name(node: str) -> tuple[int, str, str]:
        return (levels[node], fold(g.nodes[node].get("title", "")), node)

    order: list[str] = []
    seen: set[str] = set()
    stack = sorted((n for n in g.nodes if n not in parent), key=name, reverse=True)
    stack += sorted((n for n in g.nodes if n in parent), key=name, reverse=True)  # cycles last
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        stack.extend(sorted(children.get(node, ()), key=name, reverse=True))
    by_level: dict[int, list[str]] = {}
    for node in order:
        by_level.setdefault(levels[node], []).append(node)
    out = {}
    for level, nodes in by_level.items():
        top = (len(nodes) - 1) / 2
        for rank, node in enumerate(nodes):
            out[node] = (level * LEVEL_SEPARATION, (top - rank) * NODE_SPACING)
    return out


def _speed(
    n: int, swing: float, traction: float, speed: float, efficiency: float
) -> tuple[float, float]:
    """ForceAtlas2's adaptive speed (networkx's ``estimate_factor``, jitter tolerance 1)."""
    opt_jitter = 0.05 * math.sqrt(n)
    jitter = max(math.sqrt(opt_jitter), min(10.0, opt_jitter * traction / n**2))
    if swing / traction > 2.0:
        if efficiency > 0.05:
            efficiency *= 0.5
        jitter = max(jitter, 1.0)
    target = math.inf if swing == 0 else jitter * efficiency * traction / swing
    if swing > jitter * traction:
        if efficiency > 0.05:
            efficiency *= 0.7
    elif speed < 1000:
        efficiency *= 1.3
    return speed + min(target - speed, 0.5 * speed), efficiency


def forceatlas2(g: nx.Graph, seed: int, max_iter: int) -> dict[str, np.ndarray]:
    """ForceAtlas2 positions of the simple graph ``g``, as networkx's ``forceatlas2_layout``.

    Linear attraction along edges, repulsion (degree + 1)² × 2 / distance,
    gravity 1 towards the centre, starting from ``nx.random_layout(g, seed=seed)``.
    """
    nodes = list(g)
    start = nx.random_layout(g, seed=seed)
    pos = np.array([start[node] for node in nodes], dtype=float)
    adjacency = nx.to_numpy_array(g, nodelist=nodes, weight=None)
    degree = adjacency.sum(axis=1)
    mass = degree + 1.0
    pull = np.outer(mass, mass) * 2.0  # scaling ratio 2
    np.fill_diagonal(pull, 0.0)
    speed, efficiency, swing, traction = 1.0, 1.0, 1.0, 1.0
    for _ in range(max_iter):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        d2 = dx * dx + dy * dy
        np.fill_diagonal(d2, 1.0)
        factor = pull / d2
        update = adjacency @ pos - degree[:, None] * pos  # attraction: -sum_j A_ij (p_i - p_j)
        update[:, 0] += (dx * factor).sum(axis=1)
        update[:, 1] += (dy * factor).sum(axis=1)
        centred = pos - pos.mean(axis=0)
        length = np.sqrt((centred * centred).sum(axis=1))
        unit = np.divide(
            centred, length[:, None], out=np.zeros_like(centred), where=length[:, None] > 0
        )
        update -= mass[:, None] * unit
        swing += float((mass * np.linalg.norm(pos - update, axis=1)).sum())
        traction += float((0.5 * mass * np.linalg.norm(pos + update, axis=1)).sum())
        speed, efficiency = _speed(len(nodes), swing, traction, speed, efficiency)
        swinging = mass * np.linalg.norm(update, axis=1)
        step = update * (speed / (1.0 + np.sqrt(speed * swinging)))[:, None]
        pos += step
        if np.abs(step).sum() < 1e-10:
            break
    return dict(zip(nodes, pos, strict=True))


def _force(g: nx.MultiDiGraph) -> dict[str, Position]:
    """ForceAtlas2 on the undirected simple graph, seeded, scaled to the size of the network."""
    if g.number_of_nodes() < 2:
        return {node: (0.0, 0.0) for node in g.nodes}
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes)
    simple.add_edges_from((a, b) for a, b in g.edges() if a != b)
    pos = forceatlas2(simple, _SEED, _ITERATIONS)
    nodes = list(g.nodes)
    scaled = nx.rescale_layout(
        np.array([pos[n] for n in nodes]), scale=_SPREAD * math.sqrt(len(nodes))
    )
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, scaled, strict=True)}


def layout(g: nx.MultiDiGraph) -> dict[str, Position]:
    """(x, y) of every node, rounded to 0.01; computed once per network and kept in g.graph.

    Deterministic: the same network gives the same positions in every run and
    in both formats (``kgraph view --all`` writes both from one network).
    """
    cached = g.graph.get("positions")
    if isinstance(cached, dict) and cached.keys() == set(g.nodes):
        return cached
    raw = _tree(g) if VIEWS[g.graph["view"]].layout == "tree" else _force(g)
    out = {n: (round(x, 2) + 0.0, round(y, 2) + 0.0) for n, (x, y) in raw.items()}
    g.graph["positions"] = out
    return out


__all__ = ["LEVEL_SEPARATION", "NODE_SPACING", "forceatlas2", "layout"]
