"""The charts' index page: one link per chart that ``write_all_charts`` wrote, offline."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

#: the index has no script at all
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_TEXT = {
    "vi": {
        "title": "Biểu đồ các chỉ tiêu",
        "time-series": "Diễn biến theo thời gian (mỗi đơn vị một ô)",
        "compare": "So sánh các đơn vị (số liệu mới nhất)",
        "figures": "số liệu",
        "intro": "Mỗi biểu đồ là một trang độc lập, chạy không cần mạng; rê chuột lên một điểm "
        "để xem trích dẫn và nguồn.",
        "see_also": "Xem thêm",
        "views": "Các góc nhìn mạng",
        "site": "Trang của từng thực thể",
    },
    "en": {
        "title": "Charts of the indicators",
        "time-series": "Over time (one panel per entity)",
        "compare": "Entities compared (latest figures)",
        "figures": "figures",
        "intro": "Every chart is a page of its own that works offline; hover over a point for "
        "its quote and source.",
        "see_also": "See also",
        "views": "Network views",
        "site": "A page per entity",
    },
}


def chart_index(
    entries: list[tuple[str, str, Any]], lang: str = "vi", links: Mapping[str, str] | None = None
) -> str:
    """The index page of ``entries`` (kind, indicator label, ChartResult), grouped by kind.

    ``links`` (``views`` or ``site`` -> relative link) point to the other indexes
    written beside the charts.
    """
    w = _TEXT[lang]
    sections = []
    for kind in ("time-series", "compare"):
        items = "".join(
            f'<li><a href="{html.escape(result.path.name)}">{html.escape(label)}</a> '
            f"({result.points} {w['figures']})</li>"
            for k, label, result in sorted(entries, key=lambda e: e[1])
            if k == kind
        )
        if items:
            sections.append(f"<h2>{html.escape(w[kind])}</h2><ul>{items}</ul>")
    others = "".join(
        f'<li><a href="{html.escape(href)}">{html.escape(w[name])}</a></li>'
        for name, href in (links or {}).items()
    )
    if others:
        sections.append(f'<h2>{html.escape(w["see_also"])}</h2><ul class="see-also">{others}</ul>')
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f"<title>{html.escape(w['title'])}</title>"
        "<style>body{font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;"
        "margin:1.5rem;max-width:60rem}</style></head>\n<body>"
        f"<h1>{html.escape(w['title'])}</h1><p>{html.escape(w['intro'])}</p>"
        + "".join(sections)
        + "</body></html>\n"
    )
