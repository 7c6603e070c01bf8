"""How big each label is, which are drawn first, and text colours that stay readable.

A dense view fitted into the window shrinks every label alike, to 4-6 px in
the sources view. Instead labels get a size by importance (degree: hubs
large, leaves small) and the page draws a label only where it reaches
:data:`LABEL_MIN_PX` on screen, so the fitted view names the hubs and zooming
in names the rest (view.js also drops labels that would overlap a more
important one). Colours are picked to pass WCAG AA (4.5:1) against what the
text sits on.
"""

from __future__ import annotations

import math

import networkx as nx

#: No label is drawn smaller than this on screen (CSS px); one below waits for zoom.
LABEL_MIN_PX = 12
#: Labels stop growing on screen beyond this when zooming in.
LABEL_MAX_PX = 20
#: Edge labels: drawn from the same minimum, and capped lower.
EDGE_LABEL_MAX_PX = 15
#: Label size in canvas units (before zoom) for the least and the most connected node.
FONT_LEAF = 14.0
FONT_HUB = 48.0
#: Labels inside a box (articles, with long titles) wrap at this many times their font size.
BOX_WRAP_EMS = 9
#: Text colours: dark on the white canvas, and for labels inside a coloured box.
TEXT_DARK = "#1a1a1a"
TEXT_LIGHT = "#ffffff"
CANVAS = "#ffffff"
EDGE_TEXT = "#333333"
WCAG_AA = 4.5


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    >>> round(contrast("#777777", "#ffffff"), 2)
    4.48
    """
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """The dark or light text colour with more contrast on ``background``.

    >>> text_on("#542788"), text_on("#fdb863")
    ('#ffffff', '#1a1a1a')
    """
    dark, light = contrast(TEXT_DARK, background), contrast(TEXT_LIGHT, background)
    return TEXT_LIGHT if light > dark else TEXT_DARK


def label_sizes(g: nx.MultiDiGraph) -> dict[str, tuple[float, int]]:
    """(font size in canvas units, drawing priority) per node: hubs large and first.

    Priority is the node's rank by degree (the focus of an ego view first,
    ties broken by id so the page is the same every time); size grows with
    the square root of degree, so a few hubs stand out and leaves stay alike.
    """
    focus = g.graph.get("focus")
    degree = {n: g.degree(n) for n in g.nodes}
    top = max(degree.values(), default=0) or 1
    order = sorted(g.nodes, key=lambda n: (n != focus, -degree[n], n))
    sizes: dict[str, tuple[float, int]] = {}
    for rank, node in enumerate(order):
        t = 1.0 if node == focus else math.sqrt(degree[node] / top)
        sizes[node] = (round(FONT_LEAF + (FONT_HUB - FONT_LEAF) * t, 1), len(order) - rank)
    return sizes
