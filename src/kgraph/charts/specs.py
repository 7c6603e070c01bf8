"""Chart specs: the points of :mod:`kgraph.charts.data` as Vega-Lite, built with altair.

How a figure is stated stays visible: each point is labelled with its value as
printed and its qualifier word ("gần 1.400 ha", "trên 6.000 tấn"); a range is a
band from its lower to its upper value over its period; a target is a hollow
diamond, never joined to the line of achieved figures; a point's shape says how
it is stated. Across the 2025 reform each unit version is its own series (its
list is in its name), the lines of two versions are never joined, and a rule
marks 1 July 2025. Every point carries its quote and source for the tooltip.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import altair as alt

from kgraph.charts.data import ChartData, Point
from kgraph.curate.vn import fold
from kgraph.errors import ChartError
from kgraph.views.reading import number

#: the day the 2025 unit list took effect
REFORM_DAY = date(2025, 7, 1)
#: a short period is drawn as a band this many days either side of its middle, to be seen
_BAND_DAYS = 20
#: how a qualifier is shown: shape, and the words an article uses (the first found is shown)
QUALIFIERS: dict[str, dict[str, Any]] = {
    "exact": {"shape": "circle", "vi": ("",), "en": ("",)},
    "approximate": {"shape": "square", "vi": ("gần", "khoảng"), "en": ("about",)},
    "estimate": {"shape": "cross", "vi": ("ước đạt", "ước tính"), "en": ("estimated",)},
    "more-than": {"shape": "triangle-up", "vi": ("trên", "hơn"), "en": ("more than",)},
    "range": {"shape": "M-1,-0.4L1,-0.4L1,0.4L-1,0.4Z", "vi": ("",), "en": ("",)},
    "target": {"shape": "diamond", "vi": ("phấn đấu", "chỉ tiêu"), "en": ("target",)},
}

#: interface words, per label language
TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "period": "Thời kỳ",
        "entity": "Đơn vị",
        "value": "Giá trị (như bài báo)",
        "stated": "Cách nêu số",
        "list": "Danh mục",
        "list_of": "danh mục {v}",
        "quote": "Trích dẫn",
        "source": "Nguồn",
        "published": "Ngày đăng",
        "relation": "Quan hệ",
        "reform": "1/7/2025: sắp xếp đơn vị hành chính",
        "at": "trong {p}",
        "latest": "số liệu mới nhất của mỗi đơn vị",
        "subtitle": "Mỗi điểm là một số liệu như bài báo nêu; không cộng dồn số liệu của các "
        "đơn vị khác nhau.",
        "exact": "chính xác",
        "approximate": "gần đúng (gần, khoảng)",
        "estimate": "ước tính (ước đạt)",
        "more-than": "mức tối thiểu (trên, hơn)",
        "range": "khoảng giá trị",
        "target": "chỉ tiêu (chưa đạt)",
        "self": "chính đơn vị",
        "predecessor-whole": "đơn vị trước (nhập toàn bộ)",
        "predecessor-part": "đơn vị trước (một phần)",
        "successor-whole": "đơn vị sau (nhập toàn bộ)",
        "successor-part": "đơn vị sau (một phần)",
    },
    "en": {
        "period": "Period",
        "entity": "Entity",
        "value": "Value (as printed)",
        "stated": "How it is stated",
        "list": "Unit list",
        "list_of": "{v} list",
        "quote": "Quote",
        "source": "Source",
        "published": "Published",
        "relation": "Relation",
        "reform": "1 July 2025: administrative units reorganised",
        "at": "in {p}",
        "latest": "each entity's latest figure",
        "subtitle": "Every point is one figure as its article gives it; figures of different "
        "units are never added up.",
        "exact": "exact",
        "approximate": "approximate (gần, khoảng)",
        "estimate": "estimate (ước đạt)",
        "more-than": "lower bound (trên, hơn)",
        "range": "range",
        "target": "target (not achieved)",
        "self": "the unit itself",
        "predecessor-whole": "predecessor (whole)",
        "predecessor-part": "predecessor (part)",
        "successor-whole": "successor (whole)",
        "successor-part": "successor (part)",
    },
}


def chart_spec(data: ChartData, *, lang: str = "vi", panels: str = "none") -> dict[str, Any]:
    """The Vega-Lite spec (a dict, data inlined) of ``data``: a line chart or bars.

    ``panels`` splits the chart into small multiples: one per entity, district
    or province (``none``: one chart).
    """
    if lang not in TEXT:
        raise ChartError(f"unknown label language {lang!r} (known: {', '.join(TEXT)})")
    if not data.points:
        raise ChartError(f"indicator {data.indicator!r}: no dated figures to draw")
    records = _records(data, lang, panels)
    faceted = panels != "none"
    chart: Any = (_time_series if data.kind == "time-series" else _compare)(records, lang, faceted)
    title = alt.TitleParams(
        _title(data, lang), subtitle=[_unit(data, lang), TEXT[lang]["subtitle"]], anchor="start"
    )
    if faceted:
        chart = chart.facet(
            facet=alt.Facet("panel:N", title=None, header=alt.Header(labelFontWeight="bold")),
            columns=1 if data.kind == "compare" else 3,
        )
        if data.kind == "compare":
            chart = chart.resolve_scale(y="independent")
    spec: dict[str, Any] = chart.properties(title=title).to_dict()
    spec["usermeta"] = {
        "kgraph": {
            "kind": data.kind,
            "indicator": data.indicator,
            "points": len(data.points),
            "undated": len(data.undated),
            "lang": lang,
            "panels": panels,
        }
    }
    return spec


# -- records -----------------------------------------------------------------------------------


def _word(p: Point, lang: str) -> str:
    """The qualifier word the article itself uses where it can be told ("khoảng" or "gần")."""
    words: tuple[str, ...] = QUALIFIERS.get(p.qualifier, QUALIFIERS["exact"])[lang]
    if lang == "vi":
        quote = f" {fold(p.quote)} "
        for word in words:
            if f" {fold(word)} " in quote:
                return word
    return words[0]


def printed(p: Point, unit_symbol: str, lang: str) -> str:
    """The figure as a label: qualifier word, value as printed, upper bound, unit symbol."""
    text = p.value_text
    if p.upper is not None:
        text += " – " + number(p.upper, "vi")
    if unit_symbol:
        text += unit_symbol if unit_symbol == "%" else f" {unit_symbol}"
    word = _word(p, lang)
    return f"{word} {text}" if word else text


def _series(p: Point, lang: str, mixed: bool) -> str:
    if mixed and p.vintage:
        return f"{p.subject_name} ({TEXT[lang]['list_of'].format(v=p.vintage)})"
    return p.subject_name


def _panel(p: Point, panels: str) -> str:
    if panels == "district":
        return p.district or p.province or p.subject_name
    if panels == "province":
        return p.province or p.subject_name
    return p.area_name or p.subject_name


def _records(data: ChartData, lang: str, panels: str) -> list[dict[str, Any]]:
    words = TEXT[lang]
    mixed = len({p.vintage for p in data.points}) > 1
    per_subject: dict[str, int] = {}
    for p in data.points:
        per_subject[p.subject] = per_subject.get(p.subject, 0) + 1
    # two unit versions of one name (Hòa Bình of 2024 and of 2025) are told apart by their list
    subjects: dict[str, set[str]] = {}
    for p in data.points:
        subjects.setdefault(p.subject_name, set()).add(p.subject)
    shared = any(len(s) > 1 for s in subjects.values())
    rows = []
    for p in data.points:
        assert p.start is not None and p.end is not None  # chart_data keeps dated points only
        mid = p.start + (p.end - p.start) / 2
        low, high = p.start, p.end
        if (high - low).days < 2 * _BAND_DAYS:
            low, high = mid - timedelta(days=_BAND_DAYS), mid + timedelta(days=_BAND_DAYS)
        y = p.value if p.upper is None else (p.value + p.upper) / 2
        once = per_subject[p.subject] == 1
        rows.append(
            {
                "observation": p.observation.rsplit("/", 1)[-1],
                "entity": p.subject_name,
                "series": _series(p, lang, mixed),
                "category": _series(p, lang, shared) + ("" if once else f" · {p.period}"),
                "panel": _panel(p, panels),
                "vintage": words["list_of"].format(v=p.vintage) if p.vintage else "",
                "relation": words.get(p.relation or "", ""),
                "period": p.period,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "mid": mid.isoformat(),
                "bandStart": low.isoformat(),
                "bandEnd": high.isoformat(),
                "value": float(p.value),
                "upper": None if p.upper is None else float(p.upper),
                "y": float(y),
                "hi": float(p.value if p.upper is None else max(p.value, p.upper)),
                "printed": printed(p, data.unit_symbol, lang),
                "qualifier": p.qualifier,
                "stated": words.get(p.qualifier, p.qualifier),
                "target": p.qualifier == "target",
                "quote": p.quote,
                "source": p.source_title,
                "published": p.published or "",
            }
        )
    return rows


def _title(data: ChartData, lang: str) -> str:
    title = data.labels.get(lang) or data.labels["vi"]
    title = title[:1].upper() + title[1:]
    if data.focus_label:
        title += f" – {data.focus_label}"
    if data.kind == "compare":
        title += " – " + (
            TEXT[lang]["at"].format(p=data.period) if data.period else TEXT[lang]["latest"]
        )
    return title


def _unit(data: ChartData, lang: str) -> str:
    """The subtitle line on the unit: its symbol (%, ha, tấn), or the value alone for counts."""
    words = TEXT[lang]["value"]
    return f"{words}: {data.unit_symbol}" if data.unit_symbol else words


# -- the two charts ---------------------------------------------------------------------------


def _tooltip(lang: str) -> list[alt.Tooltip]:
    w = TEXT[lang]
    fields = ("entity", "period", "printed", "stated", "vintage", "relation", "quote", "source")
    titles = ("entity", "period", "value", "stated", "list", "relation", "quote", "source")
    tips = [alt.Tooltip(f"{f}:N", title=w[t]) for f, t in zip(fields, titles, strict=True)]
    return [*tips, alt.Tooltip("published:N", title=w["published"])]


def _label_expr(labels: dict[str, str]) -> str:
    """A Vega expression mapping legend values to words (JSON strings are valid literals)."""
    expr = "datum.label"
    for code, text in reversed(labels.items()):
        expr = f"datum.label === {json.dumps(code)} ? {json.dumps(text)} : ({expr})"
    return expr


def _shape(lang: str, present: set[str]) -> alt.Shape:
    """Shape by qualifier; the legend names only the qualifiers the chart has."""
    codes = [c for c in QUALIFIERS if c in present]
    return alt.Shape(
        "qualifier:N",
        scale=alt.Scale(domain=codes, range=[QUALIFIERS[c]["shape"] for c in codes]),
        legend=alt.Legend(
            title=TEXT[lang]["stated"], labelExpr=_label_expr({c: TEXT[lang][c] for c in codes})
        ),
    )


def _reform_rule(lang: str, short: bool) -> Any:
    """A dashed rule on 1 July 2025, with what happened that day (only the date in panels)."""
    words = TEXT[lang]["reform"]
    day = [{"day": REFORM_DAY.isoformat(), "text": words.split(":")[0] if short else words}]
    rule = alt.Chart(_inline(day))
    line = rule.mark_rule(strokeDash=[6, 3], color="#888").encode(x="day:T")
    text = rule.mark_text(align="right", dx=-4, dy=4, baseline="top", color="#555").encode(
        x="day:T", y=alt.value(0), text="text:N"
    )
    return alt.layer(line, text)


def _inline(rows: list[dict[str, Any]]) -> Any:
    """The rows as the spec's own ``data.values`` (readable in the JSON, no named dataset)."""
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


_ACTUAL = alt.datum.target == False  # noqa: E712 (a Vega expression, not Python)
_TARGET = alt.datum.target == True  # noqa: E712


def _time_domain(records: list[dict[str, Any]]) -> tuple[str, str, str, dict[str, Any]]:
    """The time axis: every band inside it with a margin; ticks by month or year for its length.

    A single day would otherwise be the whole axis, labelled by weekday.
    """
    first = min(date.fromisoformat(r["bandStart"]) for r in records)
    last = max(date.fromisoformat(r["bandEnd"]) for r in records)
    margin = max(timedelta(days=90), (last - first) / 10)
    first, last = first - margin, last + margin
    months = ((last - first).days + 29) // 30
    if months > 36:
        ticks = {"interval": "year", "step": max(1, months // 12 // 8)}
        fmt = "%Y"
    else:
        ticks, fmt = {"interval": "month", "step": max(1, months // 6)}, "%m/%Y"
    return first.isoformat(), last.isoformat(), fmt, ticks


def _value_domain(records: list[dict[str, Any]]) -> list[float]:
    """From zero (or the lowest value, when below it) to the highest, with room for its label."""
    low = min(0.0, *(r["value"] for r in records))
    high = max(r["hi"] for r in records)
    return [low, high + (high - low) * 0.15 if high > low else high + 1]


def _time_series(records: list[dict[str, Any]], lang: str, faceted: bool) -> Any:
    w = TEXT[lang]
    base = alt.Chart()
    present = {r["qualifier"] for r in records}
    first, last, fmt, ticks = _time_domain(records)
    x = alt.X(
        "mid:T",
        title=w["period"],
        scale=alt.Scale(domain=[first, last]),
        axis=alt.Axis(format=fmt, tickCount=ticks, labelOverlap=True),
    )
    y = alt.Y("y:Q", title=None, scale=alt.Scale(domain=_value_domain(records), nice=True))
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=480, symbolOpacity=1)
    colour = alt.Color("series:N", title=w["entity"], legend=None if faceted else legend)
    band = (
        base.mark_rect(opacity=0.25)
        .encode(x="bandStart:T", x2="bandEnd:T", y="value:Q", y2="upper:Q", color=colour)
        .transform_filter(alt.datum.qualifier == "range")
    )
    line = base.mark_line(strokeWidth=2).encode(x=x, y=y, color=colour, detail="series:N")
    points = base.mark_point(filled=True, size=90, opacity=1).encode(
        x=x, y=y, color=colour, shape=_shape(lang, present), tooltip=_tooltip(lang)
    )
    targets = base.mark_point(filled=False, size=160, strokeWidth=2, strokeDash=[3, 2]).encode(
        x=x, y=y, color=colour, shape=_shape(lang, present), tooltip=_tooltip(lang)
    )
    labels = base.mark_text(dy=-12, fontSize=11).encode(x=x, y=y, text="printed:N", color=colour)
    layers: list[Any] = [
        band,
        line.transform_filter(_ACTUAL),
        points.transform_filter(_ACTUAL),
        targets.transform_filter(_TARGET),
        labels,
    ]
    if len({r["vintage"] for r in records}) > 1:
        layers.insert(0, _reform_rule(lang, faceted))
    size = {"width": 240, "height": 160} if faceted else {"width": 640, "height": 320}
    return alt.layer(*layers, data=_inline(records)).properties(**size)


def _compare(records: list[dict[str, Any]], lang: str, faceted: bool) -> Any:
    w = TEXT[lang]
    ranked = sorted(records, key=lambda r: (-r["hi"], r["category"]))
    for rank, row in enumerate(ranked):
        row["rank"] = rank
    base = alt.Chart()
    y = alt.Y("category:N", title=None, sort=alt.EncodingSortField(field="rank", op="min"))
    present = {r["qualifier"] for r in records}
    scale = alt.Scale(scheme="tableau10")
    colour = alt.Color("vintage:N", title=w["list"], scale=scale)
    solid = _ACTUAL & (alt.datum.qualifier != "range")
    tip = _tooltip(lang)
    x = alt.X("value:Q", title=None, scale=alt.Scale(domain=_value_domain(records), nice=True))
    bars = base.mark_bar(height={"band": 0.7}).encode(x=x, y=y, color=colour, tooltip=tip)
    band = base.mark_bar(height={"band": 0.7}, opacity=0.35, strokeWidth=1.5, stroke="#333")
    band = band.encode(x="value:Q", x2="upper:Q", y=y, color=colour, tooltip=tip)
    targets = base.mark_bar(height={"band": 0.7}, fillOpacity=0, strokeWidth=2, strokeDash=[4, 3])
    stroke = alt.Stroke("vintage:N", scale=scale, legend=None)
    targets = targets.encode(x="value:Q", y=y, stroke=stroke, tooltip=tip)
    marks = base.mark_point(filled=True, size=70, color="#222").encode(
        x="hi:Q", y=y, shape=_shape(lang, present), tooltip=tip
    )
    labels = base.mark_text(align="left", dx=8, fontSize=11).encode(x="hi:Q", y=y, text="printed:N")
    layered = alt.layer(
        bars.transform_filter(solid),
        band.transform_filter(alt.datum.qualifier == "range"),
        targets.transform_filter(_TARGET),
        marks,
        labels,
        data=_inline(ranked),
    )
    return layered.properties(width=480, height={"step": 30})
