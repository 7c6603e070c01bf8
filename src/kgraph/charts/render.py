"""Writing charts: a chart as HTML, SVG, PNG or its Vega-Lite JSON, and every chart at once.

HTML is the interactive page (:mod:`kgraph.charts.html`); SVG and PNG are
rendered by vl-convert without a browser, with the same number and date
formats and no data loaded from anywhere; JSON is the Vega-Lite spec with its
data, for any Vega tool. Files are written atomically (:mod:`kgraph.files`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from kgraph import resources
from kgraph.charts.data import ChartData, chart_data, engine_for
from kgraph.charts.index import chart_index
from kgraph.charts.offline import FORMAT_LOCALES, TIME_LOCALES, vl_version
from kgraph.curate.vn import slugify
from kgraph.errors import ChartError
from kgraph.files import atomic_folder, atomic_writer, sibling_links
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.sparql.engines import run_query
from kgraph.sparql.named import library


def _html(data: ChartData, spec: dict[str, Any], lang: str) -> bytes:
    from kgraph.charts.html import chart_page

    return chart_page(data, spec, lang).encode("utf-8")


def _offline(lang: str) -> dict[str, Any]:
    """vl-convert's options for every static image: no URL may be loaded, the language's formats."""
    return {
        "vl_version": vl_version(),
        "allowed_base_urls": [],
        "format_locale": FORMAT_LOCALES[lang],
        "time_format_locale": TIME_LOCALES[lang],
    }


def _svg(data: ChartData, spec: dict[str, Any], lang: str) -> bytes:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec, **_offline(lang))).encode("utf-8")


def _png(data: ChartData, spec: dict[str, Any], lang: str) -> bytes:
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(spec, scale=2, **_offline(lang)))


def _json(data: ChartData, spec: dict[str, Any], lang: str) -> bytes:
    return (json.dumps(spec, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


#: format -> writer of a chart's bytes (the CLI's --format choices)
FORMATS: dict[str, Callable[[ChartData, dict[str, Any], str], bytes]] = {
    "html": _html,
    "svg": _svg,
    "png": _png,
    "json": _json,
}


@dataclass(frozen=True)
class ChartResult:
    """What was written: the file, and how many figures it draws and leaves out (undated)."""

    path: Path
    points: int
    undated: int


def file_name(kind: str, indicator: str, fmt: str, focus: str | None, period: str | None) -> str:
    """The default file name: kind, indicator, focus and period, as an ASCII slug.

    >>> file_name("time-series", "party-members", "html", "Pom Lót", None)
    'time-series-party-members-pom-lot.html'
    """
    parts = [kind, indicator, *(slugify(p) for p in (focus, period) if p)]
    return "-".join(p for p in parts if p) + f".{fmt}"


def write_chart(
    source: Graph | GraphStore,
    kind: str,
    indicator: str,
    out: Path | None = None,
    *,
    fmt: str = "html",
    focus: str | None = None,
    period: str | None = None,
    panels: str | None = None,
    lang: str = "vi",
    iris: Iris | None = None,
) -> ChartResult:
    """Draw one chart of ``indicator`` as ``fmt`` into ``out`` (default build/charts/...).

    ``panels`` defaults to one panel per entity for a time series of every
    entity, and to a single chart otherwise.
    """
    from kgraph.charts.specs import chart_spec  # altair: loaded when a chart is drawn

    if fmt not in FORMATS:
        raise ChartError(f"unknown chart format {fmt!r} (known: {', '.join(FORMATS)})")
    data = chart_data(source, kind, indicator, focus=focus, period=period, iris=iris)
    if panels is None:
        panels = "entity" if kind == "time-series" and focus is None else "none"
    spec = chart_spec(data, lang=lang, panels=panels)
    payload = FORMATS[fmt](data, spec, lang)
    name = file_name(kind, indicator, fmt, focus, period)
    path = out or resources.default_build_dir() / "charts" / name
    with atomic_writer(path) as fh:
        fh.write(payload)
    return ChartResult(path, len(data.points), len(data.undated))


def write_all_charts(
    source: Graph | GraphStore, folder: Path, *, lang: str = "vi", iris: Iris | None = None
) -> list[ChartResult]:
    """Every indicator's charts into ``folder`` (replaced whole), with an ``index.html``.

    A folder that holds anything but chart files (HTML, SVG, PNG, JSON) is refused.

    An indicator gets a time series (small multiples, one panel per entity) when
    some entity has it for two or more periods, and a comparison of each entity's
    latest figure when two or more entities have it.
    """
    if folder.is_dir() and any(p.suffix[1:] not in FORMATS or p.is_dir() for p in folder.iterdir()):
        raise ChartError(f"{folder}: holds more than charts; give an empty or a charts folder")
    iris = iris or Iris()
    results: list[ChartResult] = []
    entries: list[tuple[str, str, ChartResult]] = []
    with atomic_folder(folder) as scratch:
        for indicator, label in _indicators(source, iris, lang):
            try:
                series = chart_data(source, "time-series", indicator, iris=iris)
            except ChartError:
                continue
            periods: dict[str, set[str]] = {}
            for p in series.points:
                periods.setdefault(p.subject, set()).add(p.period)
            kinds = ["time-series"] if any(len(s) > 1 for s in periods.values()) else []
            kinds += ["compare"] if len(periods) > 1 else []
            for kind in kinds:
                name = file_name(kind, indicator, "html", None, None)
                written = write_chart(source, kind, indicator, scratch / name, lang=lang, iris=iris)
                results.append(ChartResult(folder / name, written.points, written.undated))
                entries.append((kind, label, results[-1]))
        with atomic_writer(scratch / "index.html") as fh:
            links = sibling_links(folder, ("views", "site"))
            fh.write(chart_index(entries, lang, links).encode("utf-8"))
    return results


def _indicators(source: Graph | GraphStore, iris: Iris, lang: str) -> list[tuple[str, str]]:
    """(id, label) of every indicator that has figures, from the query library."""
    rows = run_query(library()["indicators"], {}, engine_for(source), iris).dicts()
    column = "labelVi" if lang == "vi" else "labelEn"
    return sorted(
        (str(r["notation"]), str(r.get(column, r["notation"])))
        for r in rows
        if int(str(r["observations"])) > 0
    )
