"""What a chart draws: the figures of one indicator, read through the query library.

Every figure comes from the named query ``chart-observations`` (one row per
figure as its article gives it) and, for a chart centred on one unit,
``reform-family`` (the unit and the units it came from or went into in the 2025
reform). Nothing is added up or interpolated: a point is one observation, with
its value as printed, its qualifier, its unit version, its source and its quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from difflib import get_close_matches
from typing import Any

from rdflib import Graph, Literal
from rdflib.term import Node

from kgraph.curate.vn import fold, parse_period
from kgraph.errors import ChartError, ParseError, QueryError
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.sparql.embedded import StoreEngine
from kgraph.sparql.engines import LocalGraph, run_query
from kgraph.sparql.named import KIND_GROUPS, library

#: the charts kgraph draws (``kgraph chart KIND``)
KINDS = ("time-series", "compare")
#: how figures are split into small multiples
PANELS = ("none", "entity", "district", "province")
#: the kinds of entity a chart can centre on
_FOCUS_KINDS = frozenset(KIND_GROUPS["place"]) | frozenset(KIND_GROUPS["organisation"])
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: reform relations under which two unit versions are one place (not a part of it)
_WHOLE = ("predecessor-whole", "successor-whole")

Engine = StoreEngine | LocalGraph


@dataclass(frozen=True)
class Point:
    """One figure as its article gives it, with everything a chart shows about it."""

    observation: str
    subject: str
    subject_name: str
    area: str | None
    area_name: str | None
    level: str | None
    vintage: str | None
    district: str | None
    province: str | None
    period: str
    start: date | None
    end: date | None
    value: Decimal
    upper: Decimal | None
    value_text: str
    qualifier: str
    source: str
    source_title: str
    published: str | None
    quote: str
    #: for a chart centred on a unit: self, predecessor-whole, successor-part, ...
    relation: str | None = None


@dataclass(frozen=True)
class ChartData:
    """The points of one chart and what its title and notes need to say."""

    kind: str
    indicator: str
    labels: dict[str, str]
    unit: str
    unit_symbol: str
    points: tuple[Point, ...]
    focus: str | None = None
    focus_label: str | None = None
    period: str | None = None
    #: figures of the same selection that have no dates (an undated article's "now")
    undated: tuple[Point, ...] = field(default=())


def engine_for(source: Graph | GraphStore) -> Engine:
    """The store's engine, or rdflib's for a graph in memory."""
    return StoreEngine(source) if isinstance(source, GraphStore) else LocalGraph(source)


def chart_data(
    source: Graph | GraphStore,
    kind: str,
    indicator: str,
    *,
    focus: str | None = None,
    period: str | None = None,
    iris: Iris | None = None,
) -> ChartData:
    """The figures of ``indicator`` for a ``kind`` chart, read from the store or an rdflib graph.

    ``focus`` (an id, IRI or name, diacritics optional) keeps the figures of one
    unit or the party organisation leading it, with the units it came from or
    went into across the 2025 reform, each marked with its relation and list.
    ``period`` (``compare`` only: 2016, 2017-06, 2012-01/2012-06) keeps the
    figures whose period lies inside it; without it a comparison takes each
    entity's latest dated figure.
    """
    if kind not in KINDS:
        raise ChartError(f"unknown chart {kind!r} (known: {', '.join(KINDS)})")
    if period is not None and kind != "compare":
        raise ChartError("--period applies to compare charts only (a time series shows them all)")
    iris = iris or Iris()
    engine = engine_for(source)
    try:
        found = run_query(library()["chart-observations"], {"indicator": indicator}, engine, iris)
        rows = _unique(found.dicts())
    except QueryError:  # an id the graph does not have
        rows = []
    if not rows:
        near = get_close_matches(indicator, known_indicators(engine, iris), n=4, cutoff=0.5)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise ChartError(
            f"--indicator {indicator!r}: no figures in the graph "
            f"({hint}kgraph indicators lists them)"
        )
    first = rows[0]
    points = [_point(r) for r in rows]
    focus_iri = focus_label = None
    if focus is not None:
        focus_iri, focus_label, relations = _family(engine, focus, iris)
        points = [
            replace(p, relation=relations.get(p.area or "", "self"))
            for p in points
            if p.subject == focus_iri or (p.area is not None and p.area in relations)
        ]
        if not points:
            raise ChartError(
                f"indicator {indicator!r}: no figures for {focus_label} "
                "or the units it came from or went into"
            )
    undated = tuple(p for p in points if p.start is None or p.end is None)
    dated = [p for p in points if p.start is not None and p.end is not None]
    label = None
    if kind == "compare":
        dated, label = _at_period(dated, period, indicator)
    return ChartData(
        kind=kind,
        indicator=indicator,
        labels={"vi": str(first["indicatorVi"]), "en": str(first["indicatorEn"])},
        unit=str(first["unit"]),
        unit_symbol=str(first.get("unitSymbol", "")),
        points=tuple(sorted(dated, key=_order)),
        focus=focus_iri,
        focus_label=focus_label,
        period=label,
        undated=undated,
    )


def known_indicators(source: Graph | GraphStore | Engine, iris: Iris | None = None) -> list[str]:
    """The ids of the indicators that have figures, from the query library, sorted."""
    engine = source if isinstance(source, StoreEngine | LocalGraph) else engine_for(source)
    rows = run_query(library()["indicators"], {}, engine, iris or Iris()).dicts()
    return sorted(str(r["notation"]) for r in rows if int(str(r["observations"])) > 0)


def _unique(rows: list[dict[str, Node]]) -> list[dict[str, Node]]:
    """One row per observation (an organisation leading two units would give two)."""
    seen: dict[str, dict[str, Node]] = {}
    for row in rows:
        seen.setdefault(str(row["observation"]), row)
    return list(seen.values())


def _text(row: dict[str, Node], name: str) -> str | None:
    term = row.get(name)
    return None if term is None else str(term)


def _day(term: Node | None) -> date | None:
    if not isinstance(term, Literal):
        return None
    return date.fromisoformat(str(term)[:10])


def _point(row: dict[str, Node]) -> Point:
    upper = row.get("upperValue")
    published = _day(row.get("published"))
    return Point(
        observation=str(row["observation"]),
        subject=str(row["subject"]),
        subject_name=str(row["subjectName"]),
        area=_text(row, "area"),
        area_name=_text(row, "areaName"),
        level=_text(row, "level"),
        vintage=_text(row, "vintage"),
        district=_text(row, "districtName"),
        province=_text(row, "provinceName"),
        period=str(row["period"]),
        start=_day(row.get("start")),
        end=_day(row.get("end")),
        value=Decimal(str(row["value"])),
        upper=None if upper is None else Decimal(str(upper)),
        value_text=str(row["valueText"]),
        qualifier=str(row["qualifier"]),
        source=str(row["source"]),
        source_title=str(row["sourceTitle"]),
        published=published.isoformat() if published else None,
        quote=str(row["quote"]),
    )


def _order(p: Point) -> tuple[Any, ...]:
    return (p.subject_name, p.vintage or "", p.start, p.end, p.observation)


# -- the focus ---------------------------------------------------------------------------------


def _family(engine: Engine, focus: str, iris: Iris) -> tuple[str, str, dict[str, str]]:
    """The focus entity's IRI, its label and {unit IRI: relation} across the reform."""
    entity = _resolve(engine, focus, iris)
    rows = run_query(library()["reform-family"], {"entity": entity}, engine, iris).dicts()
    relations = {str(r["unit"]): str(r["relation"]) for r in rows}
    label = str(rows[0]["entityLabel"]) if rows else focus
    return entity, label, relations


def _kind(iri: str, iris: Iris) -> str | None:
    if not iri.startswith(iris.prefix):
        return None
    return iri[len(iris.prefix) :].split("/", 1)[0]


def _resolve(engine: Engine, focus: str, iris: Iris) -> str:
    """An IRI or id as it is (when the graph has it); otherwise a name, diacritics ignored."""
    wanted = focus.strip()
    if not wanted:
        raise ChartError("--focus is empty: give an id (2024-03356, dang-bo-xa-pom-lot) or a name")
    if "://" in wanted or _ID.fullmatch(wanted):
        try:
            family = run_query(library()["reform-family"], {"entity": wanted}, engine, iris)
        except QueryError:
            family = None  # not an id the graph has: try it as a name
        if family is not None:
            if family.rows:
                return str(family.dicts()[0]["entity"])
            if "://" in wanted:
                return wanted
    key = fold(wanted)
    found = run_query(library()["search"], {"name": wanted}, engine, iris).dicts()
    found = [r for r in found if _kind(str(r["entity"]), iris) in _FOCUS_KINDS]
    choices = [
        [r for r in found if fold(str(r["label"])) == key or str(r.get("code", "")) == wanted],
        [r for r in found if _kind(str(r["entity"]), iris) in KIND_GROUPS["place"]],
        found,
    ]
    for rows in choices:
        entities = sorted({str(r["entity"]) for r in rows})
        if len(entities) == 1:
            return entities[0]
        if len(entities) > 1 and (same := _one_place(engine, entities, iris)):
            return same
        if len(entities) > 1:
            shown = ", ".join(e.rsplit("/", 1)[-1] for e in entities[:8])
            raise ChartError(
                f"--focus {focus!r} matches {len(entities)} entities: {shown}; give an id"
            )
    raise ChartError(f"--focus {focus!r}: no unit or organisation of that name or id in the graph")


def _one_place(engine: Engine, entities: list[str], iris: Iris) -> str | None:
    """The newest of ``entities`` when they are one place's versions across the reform.

    "Hòa Bình" names a commune of the 2024 list and the commune of the 2025 list
    it went into whole: one place, so no reason to make the reader pick an id.
    """
    newest = entities[-1]
    rows = run_query(library()["reform-family"], {"entity": newest}, engine, iris).dicts()
    whole = {str(r["unit"]) for r in rows if str(r["relation"]) in ("self", *_WHOLE)}
    return newest if set(entities) <= whole else None


# -- one period --------------------------------------------------------------------------------


def _at_period(
    points: list[Point], period: str | None, indicator: str
) -> tuple[list[Point], str | None]:
    """The points inside ``period``, or each entity's latest one when no period is given."""
    if period is None:
        # an achieved figure before any target: a plan for 2030 is not the latest state
        latest: dict[str, Point] = {}
        for p in sorted(points, key=lambda p: (p.qualifier != "target", p.end, p.start)):
            latest[p.subject] = p
        return list(latest.values()), None
    try:
        span = parse_period(period)
    except ParseError as exc:
        raise ChartError(f"--period: {exc}") from None
    kept = [
        p
        for p in points
        if p.start is not None and p.end is not None and span.start <= p.start <= p.end <= span.end
    ]
    if not kept:
        raise ChartError(f"indicator {indicator!r}: no dated figures within {span.label}")
    return kept, span.label
