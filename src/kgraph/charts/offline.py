"""What every chart output shares: the Vega-Lite version, number and date formats, the page policy.

Kept apart from the spec builder so that the registry of formats (and the CLI's
choices) load without altair.
"""

from __future__ import annotations

from functools import cache
from typing import Any

#: what a page holding charts must allow: inline scripts and styles, no request of any kind
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:"
)
#: a page linking the site's chart files (``strict`` embedding: no eval, no injected style)
STRICT_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:"

_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
#: number and date formats per label language (d3-format, d3-time-format locales)
FORMAT_LOCALES: dict[str, dict[str, Any]] = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}
TIME_LOCALES: dict[str, dict[str, Any]] = {
    "vi": {
        "dateTime": "%A, %e %B %Y, %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["SA", "CH"],
        "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
        "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "months": [f"tháng {m}" for m in range(1, 13)],
        "shortMonths": [f"Th{m}" for m in range(1, 13)],
    },
    "en": {
        "dateTime": "%x, %X",
        "date": "%-m/%-d/%Y",
        "time": "%-I:%M:%S %p",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": _MONTHS_EN,
        "shortMonths": [m[:3] for m in _MONTHS_EN],
    },
}


@cache
def vl_version() -> str | None:
    """The Vega-Lite version altair writes specs for (``v6.4``), when vl-convert has it."""
    import altair as alt
    import vl_convert

    wanted = "v" + ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    known = {"v" + v.lstrip("v") for v in vl_convert.get_vegalite_versions()}
    return wanted if wanted in known else None
