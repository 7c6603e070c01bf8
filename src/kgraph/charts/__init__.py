"""Charts of the indicators: time series (lines) and comparisons (bars), offline and cited.

``data`` reads a chart's figures through the query library, ``specs`` turns
them into Vega-Lite (altair), ``html`` into an offline page or a figure for
another page, ``fragment`` is the entry point for entity pages, ``render``
writes HTML, SVG, PNG or JSON, ``index`` the page listing every chart. Names
load on first use, so the registries (for the CLI's choices) come without altair.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: public name -> the module that defines it
_API: dict[str, str] = {
    "KINDS": "kgraph.charts.data",
    "PANELS": "kgraph.charts.data",
    "ChartData": "kgraph.charts.data",
    "Point": "kgraph.charts.data",
    "chart_data": "kgraph.charts.data",
    "known_indicators": "kgraph.charts.data",
    "ChartError": "kgraph.errors",
    "ChartFragment": "kgraph.charts.fragment",
    "chart_fragment": "kgraph.charts.fragment",
    "FORMATS": "kgraph.charts.render",
    "ChartResult": "kgraph.charts.render",
    "write_all_charts": "kgraph.charts.render",
    "write_chart": "kgraph.charts.render",
    "chart_spec": "kgraph.charts.specs",
}


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'kgraph.charts' has no attribute {name!r}")


__all__ = list(_API)
