"""Vietnamese text, numbers and dates, read exactly as the sources write them.

Numbers use ``.`` for thousands and ``,`` for decimals (``1.400`` is 1400,
``10,37`` is 10.37); dates are day-first (``29/03/2017``, ``3-5-2012``).
Every parser either returns the right value or raises :class:`ParseError`
with the offending text: never a silent guess.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from kgraph.errors import ParseError

#: Vietnamese numeral words a value may be written as
NUMERALS = {
    "không": 0,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_PLAIN = re.compile(r"[0-9]+(?:,[0-9]+)?")
#: scale words a number may carry (``81,5 ngàn`` is 81500); both spellings of thousand and billion
SCALES = {"nghìn": 3, "ngàn": 3, "triệu": 6, "tỷ": 9, "tỉ": 9}
_SCALED = re.compile(r"(\S+) (" + "|".join(SCALES) + ")")


def nfc(text: str) -> str:
    """Text in Unicode NFC, the one form kgraph stores and compares."""
    return unicodedata.normalize("NFC", text)


def parse_number(text: str) -> Decimal:
    """Read a number as a Vietnamese source writes it.

    >>> parse_number("1.400"), parse_number("10,37"), parse_number("716,383")
    (Decimal('1400'), Decimal('10.37'), Decimal('716.383'))
    >>> parse_number("09"), parse_number("không")
    (Decimal('9'), Decimal('0'))
    >>> parse_number("81,5 ngàn"), parse_number("1,2 triệu")
    (Decimal('81500'), Decimal('1200000'))
    """
    if not isinstance(text, str):
        raise ParseError(f"not a number: {text!r}")
    raw = nfc(text).strip()
    sign = ""
    if raw[:1] in ("-", "\u2212"):
        sign, raw = "-", raw[1:]
    if (m := _SCALED.fullmatch(raw)) and m[1].lower() not in NUMERALS:
        return parse_number(sign + m[1]).scaleb(SCALES[m[2]]).normalize() + 0
    word = raw.lower()
    if word in NUMERALS:
        return Decimal(sign + str(NUMERALS[word]))
    if _GROUPED.fullmatch(raw) or _PLAIN.fullmatch(raw):
        canonical = raw.replace(".", "").replace(",", ".")
        try:
            return Decimal(sign + canonical)
        except InvalidOperation as exc:  # pragma: no cover - the patterns exclude this
            raise ParseError(f"not a Vietnamese number: {text!r}") from exc
    raise ParseError(
        f"not a Vietnamese number: {text!r} (write 1.400 for 1400, 10,37 for 10.37, "
        "81,5 ngàn for 81500)"
    )


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period from ``start`` to ``end`` (both inclusive) with its canonical ISO label."""

    start: date
    end: date
    label: str

    @property
    def is_instant(self) -> bool:
        """True for a single day."""
        return self.start == self.end

    @property
    def slug(self) -> str:
        """An IRI-safe form of the label (``2012-01/2012-06`` becomes ``2012-01--2012-06``)."""
        return self.label.replace("/", "--")


def _day(y: int, m: int, d: int, text: str) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise ParseError(f"no such date: {text!r}") from exc


def _month_end(y: int, m: int, text: str) -> date:
    if not 1 <= m <= 12:
        raise ParseError(f"no such month: {text!r}")
    return _day(y, m, calendar.monthrange(y, m)[1], text)


def _check_year(y: int, text: str) -> int:
    if not 1900 <= y <= 2100:
        raise ParseError(f"year out of range 1900-2100: {text!r}")
    return y


# re.ASCII everywhere: \d is 0-9 only (no Arabic-Indic or full-width digits) and \s
# no non-breaking space, as docs/curation.md promises.
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_VI_DAY = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", re.ASCII)
_VI_MONTH = re.compile(r"(?:tháng\s*)?(\d{1,2})[/-](\d{4})", re.ASCII)
_VI_YEAR = re.compile(r"(?:năm\s*)?(\d{4})", re.ASCII)


def _single(text: str) -> Period:
    raw = nfc(text).strip().lower()
    if m := _ISO.fullmatch(raw):
        y = _check_year(int(m[1]), text)
        if m[3]:
            d = _day(y, int(m[2]), int(m[3]), text)
            return Period(d, d, d.isoformat())
        if m[2]:
            end = _month_end(y, int(m[2]), text)
            return Period(date(y, int(m[2]), 1), end, f"{y:04d}-{int(m[2]):02d}")
        return Period(date(y, 1, 1), date(y, 12, 31), f"{y:04d}")
    if m := _VI_DAY.fullmatch(raw):
        y = _check_year(int(m[3]), text)
        d = _day(y, int(m[2]), int(m[1]), text)
        return Period(d, d, d.isoformat())
    if m := _VI_MONTH.fullmatch(raw):
        y = _check_year(int(m[2]), text)
        end = _month_end(y, int(m[1]), text)
        return Period(date(y, int(m[1]), 1), end, f"{y:04d}-{int(m[1]):02d}")
    if m := _VI_YEAR.fullmatch(raw):
        y = _check_year(int(m[1]), text)
        return Period(date(y, 1, 1), date(y, 12, 31), f"{y:04d}")
    raise ParseError(
        f"not a date or period: {text!r} (use 2015, 2017-05, 2017-06-30, 30/6/2017, "
        "5/2017 or an interval such as 2012-01/2012-06)"
    )


def parse_period(text: str) -> Period:
    """Read a period: a year, month or day (ISO or Vietnamese day-first), or an ISO interval.

    >>> [parse_period(t).label for t in ("2015", "30/6/2017", "tháng 7/2013")]
    ['2015', '2017-06-30', '2013-07']
    >>> p = parse_period("2012-01/2012-06"); (p.start.isoformat(), p.end.isoformat())
    ('2012-01-01', '2012-06-30')
    """
    if not isinstance(text, str):
        raise ParseError(f"not a date or period: {text!r}")
    raw = nfc(text).strip()
    left, sep, right = raw.partition("/")
    if sep and _ISO.fullmatch(left.strip()) and _ISO.fullmatch(right.strip()):
        a, b = _single(left), _single(right)
        if b.end < a.start:
            raise ParseError(f"interval ends before it starts: {text!r}")
        return Period(a.start, b.end, f"{a.label}/{b.label}")
    return _single(raw)


_WEEKDAY = r"(?:(?:thứ (?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật),?\s+)"
_CLOCK = r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap]m))?"
_JOIN = r"(?:\s*[-,|]\s*|\s+)"
#: 29/03/2017, Thứ Tư, 29/03/2017 09:12, 02/08/2016 02:07:59 PM, 15/08/2025 - 13:58
_DATETIME = re.compile(
    _WEEKDAY + r"?(\d{1,2})/(\d{1,2})/(\d{4})(?:" + _JOIN + _CLOCK + ")?", re.ASCII
)
#: 09:12 - Thứ Tư, 29/03/2017, 13:58 15/08/2025, 13:58, 15/08/2025
_CLOCK_FIRST = re.compile(_CLOCK + _JOIN + _WEEKDAY + r"?(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


def _clock(
    text: str, hour: int, minute: int, second: int, half: str | None
) -> tuple[int, int, int]:
    if half:
        if not 1 <= hour <= 12:
            raise ParseError(f"not a 12-hour clock time: {text!r}")
        hour = hour % 12 + (12 if half == "pm" else 0)
    return hour, minute, second


def parse_datetime(text: str) -> datetime | date:
    """Read a publication stamp as the sources print it (or ISO 8601).

    >>> parse_datetime("02/08/2016 02:07:59 PM")
    datetime.datetime(2016, 8, 2, 14, 7, 59)
    >>> parse_datetime("09:12 - Thứ Tư, 29/03/2017")
    datetime.datetime(2017, 3, 29, 9, 12)
    >>> parse_datetime("13:58 15/08/2025"), parse_datetime("Thứ Sáu, 15/08/2025 - 13:58")
    (datetime.datetime(2025, 8, 15, 13, 58), datetime.datetime(2025, 8, 15, 13, 58))
    >>> parse_datetime("2017-03-29")
    datetime.date(2017, 3, 29)
    """
    if not isinstance(text, str):
        raise ParseError(f"not a date: {text!r}")
    raw = nfc(text).strip()
    low = raw.lower()
    try:
        if m := _DATETIME.fullmatch(low):
            day, month, year = int(m[1]), int(m[2]), _check_year(int(m[3]), text)
            if m[4] is None:
                return _day(year, month, day, text)
            clock = _clock(text, int(m[4]), int(m[5]), int(m[6] or 0), m[7])
            return datetime(year, month, day, *clock)
        if m := _CLOCK_FIRST.fullmatch(low):
            year = _check_year(int(m[7]), text)
            clock = _clock(text, int(m[1]), int(m[2]), int(m[3] or 0), m[4])
            return datetime(year, int(m[6]), int(m[5]), *clock)
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            return date.fromisoformat(raw)
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?", raw):
            return datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ParseError(f"no such date or time: {text!r}") from exc
    raise ParseError(
        f"not a date: {text!r} (use 29/03/2017, 02/08/2016 02:07:59 PM, 13:58 15/08/2025, "
        "09:12 - Thứ Tư, 29/03/2017 or 2017-03-29)"
    )


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_FORM = re.compile(r"C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def parse_ordinal(text: str) -> int:
    """A term's or congress's number as printed: Roman (``XXI``, as party terms are) or Arabic.

    >>> [parse_ordinal(t) for t in ("XXI", "XI", "IV", "21")]
    [21, 11, 4, 21]
    """
    raw = nfc(text).strip()
    if re.fullmatch(r"[1-9][0-9]{0,2}", raw, re.ASCII):
        return int(raw)
    if raw and _ROMAN_FORM.fullmatch(raw):
        values = [_ROMAN[c] for c in raw]
        return sum(
            -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
        )
    raise ParseError(f"not an ordinal: {text!r} (write it as printed: XXI, XI or 21)")


def fold(text: str) -> str:
    """A diacritic-insensitive search key: no tone or vowel marks, đ as d, lower case.

    >>> fold("Thanh Luông"), fold("ĐẢNG BỘ  xã")
    ('thanh luong', 'dang bo xa')
    """
    base = nfc(text).replace("đ", "d").replace("Đ", "D")
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", base) if not unicodedata.combining(ch)
    )
    return " ".join(stripped.lower().split())


def slugify(text: str) -> str:
    """An ASCII slug for IRIs: folded, with runs of anything else as one hyphen.

    >>> slugify("Đảng bộ xã Thanh Luông"), slugify("Pá Kín 1")
    ('dang-bo-xa-thanh-luong', 'pa-kin-1')
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_slug(text: str) -> bool:
    """True when ``text`` is already a valid kgraph slug."""
    return bool(SLUG.fullmatch(text))
