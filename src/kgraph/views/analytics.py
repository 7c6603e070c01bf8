"""Network figures for analysts: sizes, centrality, components, hierarchy depth, derived ratios.

``compute_stats`` is the module's one public function. It works on the
networks :func:`kgraph.views.projection.project` draws, so the figures describe the
same nodes and edges the views show; the result renders as a text table or
JSON (``STATS_FORMATS``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass

import networkx as nx
from rdflib import Graph

from kgraph.errors import ViewError
from kgraph.views.kinds import VIEWS
from kgraph.views.projection import project

#: Kinds that are facts, sources or code lists rather than entities: left out of the rankings.
_NOT_ENTITIES = frozenset(
    {"observation", "indicator", "article", "post-holding", "derived", "derived-indicator"}
)
#: The two trees whose depth is reported, by the structural edge kinds that build them.
_TREES: dict[str, tuple[str, ...]] = {
    "places": ("part-of",),
    "party": ("sub-organisation-of", "unit-of"),
}


@dataclass(frozen=True)
class Ranked:
    """One entity in a centrality ranking."""

    key: str
    label: str
    kind: str
    degree: int
    score: float


@dataclass(frozen=True)
class Chain:
    """The longest chain of a hierarchy, top first."""

    levels: int
    path: list[str]


@dataclass(frozen=True)
class DerivedFigure:
    """A ratio of two observed figures of one entity for one period."""

    figure: str
    entity: str
    period: str
    value: float
    numerator: float
    denominator: float


@dataclass(frozen=True)
class Stats:
    """What a view's network holds and how it is shaped."""

    view: str
    lang: str
    nodes: int
    edges: int
    density: float
    nodes_by_kind: dict[str, int]
    edges_by_kind: dict[str, int]
    components: list[int]
    hierarchy: dict[str, Chain]
    degree: list[Ranked]
    betweenness: list[Ranked]
    derived: list[DerivedFigure]

    def to_json(self) -> str:
        """The figures as JSON (UTF-8 text, Vietnamese kept as is)."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    def render(self) -> str:
        """A plain-text report for the terminal."""

        def num(x: float, digits: int = 3) -> str:
            text = f"{x:,.{digits}f}"
            if self.lang == "vi":  # 1.234,5 as Vietnamese readers write it
                text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
            return text

        sizes = ", ".join(str(n) for n in self.components[:8])
        more = ", …" if len(self.components) > 8 else ""
        lines = [
            f"view {self.view}: {self.nodes} nodes, {self.edges} edges, "
            f"density {num(self.density, 4)}",
            f"connected components: {len(self.components)} (sizes {sizes}{more})",
            "",
            "nodes by kind:",
            *_table([[k, str(n)] for k, n in self.nodes_by_kind.items()], "<>"),
            "",
            "edges by kind:",
            *_table([[k, str(n)] for k, n in self.edges_by_kind.items()], "<>"),
            "",
            "hierarchy depth (levels, longest chain):",
            *_table(
                [[name, str(c.levels), " › ".join(c.path)] for name, c in self.hierarchy.items()],
                "<><",
            ),
        ]
        for title, ranking in (("degree", self.degree), ("betweenness", self.betweenness)):
            lines += ["", f"top entities by {title} centrality (entity, kind, degree, score):"]
            lines += _table(
                [
                    [f"{i}.", r.label, r.kind, str(r.degree), num(r.score)]
                    for i, r in enumerate(ranking, 1)
                ],
                "><<>>",
            )
        lines += ["", "derived figures (figure, entity, period, value = numerator / denominator):"]
        lines += _table(
            [
                [
                    d.figure,
                    d.entity,
                    d.period,
                    num(d.value, 2),
                    f"= {num(d.numerator, 0)} / {num(d.denominator, 0)}",
                ]
                for d in self.derived
            ],
            "<<<><",
        )
        return "\n".join(lines)


def _table(rows: list[list[str]], align: str) -> list[str]:
    """Rows as aligned columns (``align``: one ``<`` or ``>`` per column, the last repeats)."""
    if not rows:
        return ["  (none)"]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [f"{cell:{align[min(i, len(align) - 1)]}{widths[i]}}" for i, cell in enumerate(row)]
        out.append("  " + "  ".join(cells).rstrip())
    return out


#: Output format -> renderer; the CLI's --format choices.
STATS_FORMATS: dict[str, Callable[[Stats], str]] = {
    "text": Stats.render,
    "json": Stats.to_json,
}


def _ranking(g: nx.Graph, scores: dict[str, float], top: int) -> list[Ranked]:
    entities = [n for n, d in g.nodes(data=True) if d["kind"] not in _NOT_ENTITIES]
    best = sorted(entities, key=lambda n: (-scores[n], -g.degree(n), n))[:top]
    return [
        Ranked(
            g.nodes[n]["key"],
            g.nodes[n]["title"],
            g.nodes[n]["kind_label"],
            g.degree(n),
            round(scores[n], 6),
        )
        for n in best
    ]


def _chain(g: nx.MultiDiGraph, kinds: tuple[str, ...]) -> Chain:
    tree = nx.DiGraph()
    tree.add_edges_from((a, b) for a, b, k in g.edges(keys=True) if k in kinds)
    if tree.number_of_nodes() == 0 or not nx.is_directed_acyclic_graph(tree):
        return Chain(0, [])
    path = list(reversed(nx.dag_longest_path(tree)))  # edges point child -> parent
    return Chain(len(path), [g.nodes[n]["title"] for n in path])


def compute_stats(graph: Graph, view: str = "network", *, lang: str = "vi", top: int = 10) -> Stats:
    """Sizes, components, hierarchy depth, centrality and derived figures of ``view``.

    Centrality is computed on the view's network taken as undirected with
    parallel edges merged; the rankings list entities only (places,
    organisations, people, documents), not figures, articles or indicators.

    >>> from kgraph.graph.build import build_graph
    >>> from kgraph.curate.dataset import load_dataset
    >>> from kgraph import resources
    >>> stats = compute_stats(build_graph(load_dataset(resources.data_dir())), "hierarchy")
    >>> stats.hierarchy["places"].levels
    4
    """
    spec = VIEWS.get(view)
    if spec is None or not spec.whole_graph:
        names = ", ".join(k for k, v in VIEWS.items() if v.whole_graph)
        raise ViewError(f"no statistics for view {view!r} (choose from {names})")
    if top < 1:
        raise ViewError(f"--top must be 1 or more, not {top}")
    g = project(graph, view, lang=lang)
    simple = nx.Graph(g.to_undirected())
    nodes_by_kind = Counter(d["kind_label"] for _, d in g.nodes(data=True))
    edges_by_kind = Counter(g.graph["edge_kinds"][k] for _, _, k in g.edges(keys=True))
    trees = project(graph, "hierarchy", lang=lang)
    figures = g if spec.derived else project(graph, "indicators", lang=lang)
    derived = sorted(
        (
            DerivedFigure(
                figure=d["figure"],
                entity=figures.nodes[d["subject"]]["title"],
                period=d["period_label"],
                value=round(d["value"], 4),
                numerator=d["numerator"],
                denominator=d["denominator"],
            )
            for _, d in figures.nodes(data=True)
            if d["kind"] == "derived"
        ),
        key=lambda f: (f.figure, f.entity, f.period),
    )
    return Stats(
        view=view,
        lang=lang,
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        density=round(nx.density(simple), 6) if simple.number_of_nodes() > 1 else 0.0,
        nodes_by_kind=dict(sorted(nodes_by_kind.items(), key=lambda kv: (-kv[1], kv[0]))),
        edges_by_kind=dict(sorted(edges_by_kind.items(), key=lambda kv: (-kv[1], kv[0]))),
        components=sorted((len(c) for c in nx.connected_components(simple)), reverse=True),
        hierarchy={name: _chain(trees, kinds) for name, kinds in _TREES.items()},
        degree=_ranking(simple, nx.degree_centrality(simple), top),
        betweenness=_ranking(simple, nx.betweenness_centrality(simple), top),
        derived=derived,
    )


__all__ = ["STATS_FORMATS", "Chain", "DerivedFigure", "Ranked", "Stats", "compute_stats"]
