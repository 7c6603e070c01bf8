"""Views: the graph projected to networkx, drawn as offline HTML, exported for Gephi, measured.

``kinds`` declares the projection as data, ``reading`` reads labels and
citations from the graph, ``projection`` builds the networks, ``html`` and
``formats`` write them, ``render`` is the stage's entry point and ``analytics``
measures the networks (``kgraph stats``).
"""

from kgraph.views.analytics import Stats, compute_stats
from kgraph.views.kinds import EDGE_TYPES, NODE_TYPES, VIEWS, EdgeType, NodeType, ViewSpec
from kgraph.views.projection import project
from kgraph.views.render import FORMATS, ViewResult, write_all_views, write_view

__all__ = [
    "EDGE_TYPES",
    "FORMATS",
    "NODE_TYPES",
    "VIEWS",
    "EdgeType",
    "NodeType",
    "Stats",
    "ViewResult",
    "ViewSpec",
    "compute_stats",
    "project",
    "write_all_views",
    "write_view",
]
