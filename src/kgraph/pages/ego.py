"""The small ego view of a page: the entity and its nearest neighbours as an inline SVG.

A few kilobytes of SVG drawn by the template (no script, no shared library):
the entity in the middle and at most :data:`MAX_NEIGHBOURS` linked entities on
a circle, each a link to its page, each line named by its predicate. Entities
with pages come first, then by the number of links, so a commune shows its
district, its party organisation and its reform successor before its code list.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from rdflib import URIRef

from kgraph.pages.describe import Description
from kgraph.pages.paths import Paths
from kgraph.pages.sections import SHOWN_ABOVE, TYPE

MAX_NEIGHBOURS = 10
WIDTH, HEIGHT = 560, 300
_RADIUS_X, _RADIUS_Y = 200, 110


@dataclass(frozen=True)
class EgoNode:
    """One neighbour as drawn: where, its label, its link, the predicates joining it."""

    x: float
    y: float
    label: str
    href: str | None
    predicates: str
    outgoing: bool


@dataclass(frozen=True)
class EgoView:
    """The drawing: the size, the centre's label and the neighbours around it."""

    width: int
    height: int
    label: str
    nodes: tuple[EgoNode, ...]
    more: int


def ego_view(found: Description, paths: Paths, here: str, curie: dict[str, str]) -> EgoView:
    """The neighbours of ``found`` laid out on an ellipse around it.

    ``curie`` names predicates (their prefixed names); ``here`` is the page's
    site path, for relative links.
    """
    links: dict[URIRef, list[str]] = {}
    outgoing: dict[URIRef, bool] = {}
    weight: Counter[URIRef] = Counter()
    pairs = [(o, p, True) for p, o in found.outbound] + [(s, p, False) for s, p in found.inbound]
    for node, predicate, out in pairs:
        if not isinstance(node, URIRef) or predicate in SHOWN_ABOVE or predicate == TYPE:
            continue
        if paths.rest(node) is None or node == found.iri:
            continue
        links.setdefault(node, []).append(curie.get(str(predicate), str(predicate)))
        outgoing.setdefault(node, out)
        weight[node] += 1
    ranked = sorted(
        links, key=lambda n: (paths.page(n) is None, -weight[n], found.label(n) == "", str(n))
    )
    shown = ranked[:MAX_NEIGHBOURS]
    nodes = []
    for i, node in enumerate(shown):
        angle = 2 * math.pi * i / max(len(shown), 1) - math.pi / 2
        nodes.append(
            EgoNode(
                x=round(WIDTH / 2 + _RADIUS_X * math.cos(angle), 1),
                y=round(HEIGHT / 2 + _RADIUS_Y * math.sin(angle), 1),
                label=_short(found.label(node) or (paths.rest(node) or str(node))),
                href=paths.entity(here, node),
                predicates=", ".join(sorted(set(links[node]))),
                outgoing=outgoing[node],
            )
        )
    centre = _short(found.label(found.iri) or (paths.rest(found.iri) or str(found.iri)))
    return EgoView(WIDTH, HEIGHT, centre, tuple(nodes), max(0, len(ranked) - len(shown)))


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["EgoNode", "EgoView", "ego_view"]
