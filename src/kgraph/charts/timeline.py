"""An organisation's timeline (``kgraph view timeline``): terms, congresses, posts, changes.

Everything comes from the named query ``timeline``: the focus's terms and
congresses, the posts in it and its units (from their start to their end, or
at the date an article attests them), the dated changes of it or of the place
it leads (a commune's founding an article states, the 2025 reform), and its
parent's terms. It is drawn as a Vega-Lite timeline through the charts' stack
(Vega inlined from vl-convert, no network, no new dependency): bars for
intervals, points for dates. Every entry is also listed in a table with its
quote; nothing is dated that the source does not date.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from kgraph import resources
from kgraph.charts.data import engine_for
from kgraph.charts.html import figure_html, library_script
from kgraph.charts.offline import CSP, vl_version
from kgraph.curate.vn import fold, parse_period
from kgraph.errors import ChartError, QueryError
from kgraph.files import atomic_writer
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.sparql.engines import run_query
from kgraph.sparql.named import KIND_GROUPS, library

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_FOCUS_KINDS = frozenset(KIND_GROUPS["organisation"]) | frozenset(KIND_GROUPS["place"])

#: interface text per language
TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Dòng thời gian: {name}",
        "hint": "Thanh: từ năm (tháng, ngày) bắt đầu đến năm kết thúc như bài báo ghi; chấm: một "
        "thời điểm. Rê chuột để xem trích dẫn.",
        "entries": "Các mục",
        "undated": "Không có ngày (bài báo không ghi), không vẽ",
        "when": "Thời gian",
        "kind": "Loại",
        "label": "Nội dung",
        "quote": "Trích dẫn",
        "source": "Nguồn",
        "as_of": "tính đến {d}",
        "term": "Nhiệm kỳ",
        "terms": "Nhiệm kỳ, đại hội",
        "congress": "Đại hội",
        "post": "Chức vụ",
        "change": "Thay đổi",
        "self": "",
        "parent": "cấp trên",
        "area": "địa bàn",
        "leader": "tổ chức lãnh đạo",
        "footer": "Tạo bởi kgraph từ đồ thị RDF. Mỗi mục dẫn nguyên văn câu trong bài báo gốc.",
    },
    "en": {
        "title": "Timeline: {name}",
        "hint": "Bars run from the start year (month, day) to the end year as the article prints "
        "them; points are one date. Hover for the quote.",
        "entries": "Entries",
        "undated": "Without dates (the article gives none), not drawn",
        "when": "When",
        "kind": "Kind",
        "label": "What",
        "quote": "Quote",
        "source": "Source",
        "as_of": "as of {d}",
        "term": "Term",
        "terms": "Terms, congresses",
        "congress": "Congress",
        "post": "Post",
        "change": "Change",
        "self": "",
        "parent": "parent",
        "area": "area",
        "leader": "leading organisation",
        "footer": "Made by kgraph from the RDF graph. Every entry quotes its source article "
        "verbatim.",
    },
}


@dataclass(frozen=True)
class Entry:
    """One row of the timeline: what it is, whose, its dates as printed, its quote."""

    role: str
    subject: str
    subject_name: str
    kind: str
    item: str
    label_vi: str
    label_en: str
    start: str | None
    end: str | None
    as_of: str | None
    quote: str
    source: str

    def label(self, lang: str) -> str:
        return self.label_vi if lang == "vi" else self.label_en

    def when(self, lang: str) -> str:
        """The dates as printed: ``2015–2020``, ``2013-07``, ``as of 2017-07-05``."""
        span = "–".join(t for t in (self.start, self.end) if t)
        if self.start and not self.end and self.kind == "post":
            span += "–"
        if self.as_of:
            attested = TEXT[lang]["as_of"].format(d=self.as_of)
            span = f"{span} ({attested})" if span else attested
        return span

    def drawn(self) -> tuple[str, str | None] | None:
        """Where the entry sits on the axis: (first day, first day of its end), or None."""
        first = self.start or self.as_of
        if first is None:
            return None
        return parse_period(first).start.isoformat(), (
            parse_period(self.end).start.isoformat() if self.end and self.start else None
        )


@dataclass(frozen=True)
class Timeline:
    """The focus, its label, and its entries in time order."""

    focus: str
    name: str
    entries: tuple[Entry, ...]

    @property
    def dated(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.drawn() is not None)

    @property
    def undated(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.drawn() is None)


def _text(row: dict[str, Node], name: str) -> str | None:
    return str(row[name]) if name in row else None


def _entry(row: dict[str, Node]) -> Entry:
    as_of = _text(row, "asOfEnd")
    if as_of is not None and _text(row, "asOfStart") != as_of:
        as_of = f"{_text(row, 'asOfStart')}/{as_of}"  # a period, not a day
    return Entry(
        role=str(row["role"]),
        subject=str(row["subject"]),
        subject_name=_text(row, "subjectName") or str(row["subject"]).rsplit("/", 1)[-1],
        kind=str(row["kind"]),
        item=str(row["item"]),
        label_vi=_text(row, "labelVi") or str(row["item"]).rsplit("/", 1)[-1],
        label_en=_text(row, "labelEn") or _text(row, "labelVi") or str(row["item"]),
        start=_text(row, "start"),
        end=_text(row, "end"),
        as_of=as_of,
        quote=_text(row, "quote") or "",
        source=_text(row, "source") or "",
    )


def _kind(iri: str, iris: Iris) -> str | None:
    if not iri.startswith(iris.prefix):
        return None
    return iri[len(iris.prefix) :].split("/", 1)[0]


def _resolve(engine: Any, focus: str, iris: Iris) -> tuple[str, list[dict[str, Node]]]:
    """The focus's IRI and its timeline rows: an id or IRI as given, else a name."""
    wanted = focus.strip()
    if not wanted:
        raise ChartError("--focus is empty: give an organisation's id, IRI or name")
    if "://" in wanted or _ID.fullmatch(wanted):
        try:
            result = run_query(library()["timeline"], {"focus": wanted}, engine, iris)
        except QueryError:
            result = None  # not an id the graph has: try it as a name
        if result is not None:
            rows = result.dicts()
            if rows or "://" in wanted:
                return (str(rows[0]["focus"]) if rows else wanted), rows
    found = run_query(library()["search"], {"name": wanted}, engine, iris).dicts()
    found = [r for r in found if _kind(str(r["entity"]), iris) in _FOCUS_KINDS]
    exact = [r for r in found if fold(str(r["label"])) == fold(wanted)]
    named = {str(r["entity"]): r for r in (exact or found)}
    entities = sorted(named)
    if not entities:
        raise ChartError(f"--focus {focus!r}: no organisation or unit of that name or id")
    if len(entities) > 1:
        shown = ", ".join(f"{e.rsplit('/', 1)[-1]} ({named[e]['label']})" for e in entities[:8])
        more = f" and {len(entities) - 8} more" if len(entities) > 8 else ""
        raise ChartError(f"--focus {focus!r} names {len(entities)}: {shown}{more}; give an id")
    iri = entities[0]
    return iri, run_query(library()["timeline"], {"focus": iri}, engine, iris).dicts()


def timeline_data(source: Graph | GraphStore, focus: str, iris: Iris | None = None) -> Timeline:
    """The timeline of the organisation (or unit) ``focus`` names: id, IRI or name.

    Raises :class:`ChartError` when ``focus`` names nothing, several entities
    (their ids listed) or an entity with nothing dated or quoted to show.
    """
    iris = iris or Iris()
    iri, rows = _resolve(engine_for(source), focus, iris)
    entries = tuple(dict.fromkeys(_entry(r) for r in rows))
    if not entries:
        raise ChartError(f"--focus {focus!r}: {iri} has no terms, posts or changes in the graph")
    name = next((e.subject_name for e in entries if e.subject == iri), iri.rsplit("/", 1)[-1])
    return Timeline(iri, name, entries)


def _lane(e: Entry, lang: str) -> str:
    words = TEXT[lang]
    whose = f" ({words[e.role]})" if words[e.role] else ""
    if e.kind == "post":
        return e.label(lang)
    kind = words["terms"] if e.kind in ("term", "congress") else words[e.kind]
    return f"{kind} – {e.subject_name}{whose}"


def timeline_spec(timeline: Timeline, lang: str = "vi") -> dict[str, Any]:
    """The Vega-Lite spec: one lane per term, post or change, bars and points on a time axis."""
    words = TEXT[lang]
    values = []
    for e in timeline.dated:
        drawn = e.drawn()
        assert drawn is not None
        values.append(
            {
                "lane": _lane(e, lang),
                "kind": words[e.kind],
                "label": e.label(lang),
                "when": e.when(lang),
                "quote": e.quote,
                "from": drawn[0],
                "to": drawn[1],
            }
        )
    tooltip = [{"field": f, "type": "nominal"} for f in ("label", "when", "quote")]
    x = {"field": "from", "type": "temporal", "title": words["when"]}
    colour = {"field": "kind", "type": "nominal", "title": words["kind"]}
    y = {
        "field": "lane",
        "type": "nominal",
        "title": None,
        "sort": None,
        "axis": {"labelLimit": 320},
    }
    version = vl_version() or "v5"
    return {
        "$schema": f"https://vega.github.io/schema/vega-lite/{version}.json",
        "title": {"text": words["title"].format(name=timeline.name)},
        "width": 640,
        "data": {"values": values},
        "encoding": {"y": y, "color": colour, "tooltip": tooltip},
        "layer": [
            {
                "transform": [{"filter": "datum.to != null"}],
                "mark": {"type": "bar", "height": 12, "cornerRadius": 2},
                "encoding": {"x": x, "x2": {"field": "to"}},
            },
            {
                "transform": [{"filter": "datum.to == null"}],
                "mark": {"type": "point", "filled": True, "size": 90},
                "encoding": {"x": x},
            },
        ],
    }


def _table(entries: tuple[Entry, ...], lang: str) -> str:
    w = TEXT[lang]
    heads = (w["when"], w["kind"], w["label"], w["quote"], w["source"])
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(cell)}</td>"
            for cell in (e.when(lang), w[e.kind], e.label(lang), e.quote, e.source)
        )
        + "</tr>"
        for e in entries
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = """
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; margin: 1.5rem;
       color: #222; max-width: 72rem; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; } .hint { color: #555; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; }
footer { color: #666; font-size: 0.85rem; margin-top: 2rem; }
"""


def timeline_page(timeline: Timeline, lang: str = "vi") -> str:
    """The whole offline page: the timeline, every entry with its quote, the undated ones."""
    w = TEXT[lang]
    title = html.escape(w["title"].format(name=timeline.name))
    undated = ""
    if timeline.undated:
        undated = f"<h2>{html.escape(w['undated'])}</h2>{_table(timeline.undated, lang)}"
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{title}</title><style>{_STYLE}</style></head>\n<body>"
        f'<h1>{title}</h1><p class="hint">{html.escape(w["hint"])}</p>\n'
        f"{figure_html(timeline_spec(timeline, lang), lang)}\n"
        f"<h2>{html.escape(w['entries'])}</h2>{_table(timeline.dated, lang)}{undated}"
        f"<footer>{html.escape(w['footer'])}</footer>\n{library_script()}\n</body></html>\n"
    )


#: what ``write_timeline`` writes: the page, or the Vega-Lite spec with its data
FORMATS = ("html", "json")


def write_timeline(
    source: Graph | GraphStore,
    focus: str,
    out: Path | None = None,
    *,
    fmt: str = "html",
    lang: str = "vi",
    iris: Iris | None = None,
) -> tuple[Path, Timeline]:
    """Write the timeline of ``focus`` (default build/views/timeline-<id>.<fmt>), atomically."""
    if fmt not in FORMATS:
        raise ChartError(f"a timeline is written as {' or '.join(FORMATS)}, not {fmt!r}")
    timeline = timeline_data(source, focus, iris)
    if fmt == "html":
        text = timeline_page(timeline, lang)
    else:
        text = json.dumps(timeline_spec(timeline, lang), ensure_ascii=False, indent=2) + "\n"
    stem = timeline.focus.rsplit("/", 1)[-1]
    path = out or resources.default_build_dir() / "views" / f"timeline-{stem}.{fmt}"
    with atomic_writer(path) as handle:
        handle.write(text.encode("utf-8"))
    return path, timeline
