"""A chart for another page: one entity's time series of one indicator, as an HTML figure.

A page of its own calls :func:`chart_fragment` for each chart; it puts
``head`` (the inlined Vega library and the script that draws every chart
figure) once in the page, each fragment's ``html`` where its chart goes, and
serves the page with ``csp``. With ``strict=True`` (the entity pages of
``kgraph site``) ``head`` is empty: the page links the files of
:func:`~kgraph.charts.html.site_files`, written once per site, and ``csp``
allows scripts and styles from the site's own files only.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from kgraph.charts.data import chart_data
from kgraph.charts.html import figure_html, library_script
from kgraph.charts.offline import CSP, STRICT_CSP
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
    strict: bool = False,
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
        html=figure_html(spec, lang, caption, strict=strict),
        head="" if strict else library_script(),
        csp=STRICT_CSP if strict else CSP,
        points=len(data.points),
        undated=len(data.undated),
    )
