"""A chart for another page: one entity's time series of one indicator, as an HTML figure.

Entity pages call :func:`chart_fragment` for each indicator they show; the
page puts ``head`` (the inlined Vega library and the script that draws every
chart figure) once in the page, after the figures or before them, each
fragment's ``html`` where its chart goes, and serves the page with ``csp`` (or
a stricter policy that still allows these inline scripts).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from kgraph.charts.data import chart_data
from kgraph.charts.html import figure_html, library_script
from kgraph.charts.offline import CSP
from kgraph.charts.specs import chart_spec
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris


@dataclass(frozen=True)
class ChartFragment:
    """A chart figure, with what its page needs once (``head``) and the policy it needs."""

    html: str
    head: str
    csp: str
    points: int
    undated: int


def chart_fragment(
    source: Graph | GraphStore,
    entity: str,
    indicator: str,
    *,
    lang: str = "vi",
    iris: Iris | None = None,
) -> ChartFragment:
    """The time series of ``indicator`` for ``entity`` (IRI, id or name), across the reform.

    The figures of the units ``entity`` came from or went into in 2025 are in
    the chart too, each series named with its unit list. Raises
    :class:`~kgraph.charts.data.ChartError` when there is no dated figure to draw.
    """
    data = chart_data(source, "time-series", indicator, focus=entity, iris=iris)
    spec = chart_spec(data, lang=lang)
    caption = str(spec.get("title", {}).get("text", ""))
    return ChartFragment(
        html=figure_html(spec, lang, caption),
        head=library_script(),
        csp=CSP,
        points=len(data.points),
        undated=len(data.undated),
    )
