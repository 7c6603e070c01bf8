"""Vietnamese numbers, dates and folding: exact values, and property tests (hypothesis)."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kgraph.curate.vn import fold, is_slug, parse_datetime, parse_number, parse_period, slugify
from kgraph.errors import ParseError


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.400", Decimal("1400")),  # article 000: gần 1.400 ha
        ("10,37", Decimal("10.37")),  # article 001: 10,37% poor households
        ("716,383", Decimal("716.383")),  # article 004: 716,383 tỷ đồng
        ("87.223", Decimal("87223")),  # article 004: 87.223 tấn
        ("2.044", Decimal("2044")),  # article 003: 2.044 đảng viên
        ("09", Decimal("9")),  # article 001: 09 đảng viên dự bị
        ("1900", Decimal("1900")),  # article 001 writes it without a point
        ("0,54", Decimal("0.54")),
        ("không", Decimal("0")),
        ("hai", Decimal("2")),
    ],
)
def test_parse_number_reads_the_sources_formats(text: str, value: Decimal) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["1.5", "1,400.5", "12.34.567", "", "abc", "1 400", "10%", "1e3"])
def test_parse_number_rejects_ambiguous_or_foreign_formats(text: str) -> None:
    with pytest.raises(ParseError, match="not a Vietnamese number"):
        parse_number(text)


def _vietnamese(value: Decimal) -> str:
    """Write a non-negative decimal the way the articles do: 1.234.567,89."""
    _sign, _digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    text = format(value, "f")
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ".".join(groups) + ("," + frac if frac else "")


@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False, allow_infinity=False))
def test_parse_number_round_trips_vietnamese_formatting(value: Decimal) -> None:
    assert parse_number(_vietnamese(value)) == value


@given(st.text(max_size=12))
@example("1.40")
@example("٣")  # a non-ASCII digit must not slip through
def test_parse_number_returns_the_right_value_or_a_clear_error(text: str) -> None:
    try:
        value = parse_number(text)
    except ParseError as exc:
        assert repr(text.strip()) in str(exc) or repr(text) in str(exc)
        return
    # Whatever parsed must print back to the same digits (no silent reinterpretation).
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits:
        assert set(text.strip().lstrip("-−")) <= set("0123456789.,")
        assert value == Decimal(text.strip().replace(".", "").replace(",", ".").replace("−", "-"))


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2015", date(2015, 1, 1), date(2015, 12, 31), "2015"),
        ("năm 2013", date(2013, 1, 1), date(2013, 12, 31), "2013"),
        ("5/2017", date(2017, 5, 1), date(2017, 5, 31), "2017-05"),
        ("tháng 7/2013", date(2013, 7, 1), date(2013, 7, 31), "2013-07"),
        ("30/6/2017", date(2017, 6, 30), date(2017, 6, 30), "2017-06-30"),
        ("3-5-2012", date(2012, 5, 3), date(2012, 5, 3), "2012-05-03"),
        ("2012-01/2012-06", date(2012, 1, 1), date(2012, 6, 30), "2012-01/2012-06"),
        ("2006/2011-12", date(2006, 1, 1), date(2011, 12, 31), "2006/2011-12"),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29), "2016-02"),
    ],
)
def test_parse_period(text: str, start: date, end: date, label: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "text", ["31/2/2017", "13/2017", "2017-13", "2015/2012", "1800", "soon", ""]
)
def test_parse_period_rejects_impossible_dates(text: str) -> None:
    with pytest.raises(ParseError):
        parse_period(text)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_day_first_dates_round_trip(day: date) -> None:
    assert parse_period(f"{day.day}/{day.month}/{day.year}").start == day
    assert parse_period(day.isoformat()).end == day


@given(st.text(max_size=20))
def test_parse_period_never_crashes(text: str) -> None:
    try:
        period = parse_period(text)
    except ParseError:
        return
    assert period.start <= period.end
    assert parse_period(period.label) == period


def test_parse_datetime_reads_publication_stamps() -> None:
    assert parse_datetime("02/08/2016 02:07:59 PM") == datetime(2016, 8, 2, 14, 7, 59)
    assert parse_datetime("05/07/2017 08:57:14 AM") == datetime(2017, 7, 5, 8, 57, 14)
    assert parse_datetime("12/01/2017 12:05:00 AM") == datetime(2017, 1, 12, 0, 5, 0)
    assert parse_datetime("09:12 - Thứ Tư, 29/03/2017") == datetime(2017, 3, 29, 9, 12)


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)))
def test_parse_datetime_round_trips_the_portal_format(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    hour12 = moment.hour % 12 or 12
    ampm = "AM" if moment.hour < 12 else "PM"
    text = moment.strftime(f"%d/%m/%Y {hour12:02d}:%M:%S {ampm}")
    assert parse_datetime(text) == moment


@given(st.text(max_size=30))
def test_parse_datetime_never_crashes(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_datetime(text)


def test_fold_and_slugify_drop_diacritics_but_keep_letters() -> None:
    assert fold("Thanh Luông") == fold("thanh luong") == "thanh luong"
    assert fold("Đảng bộ xã Pom Lót") == "dang bo xa pom lot"
    assert slugify("Huổi Puốc") == "huoi-puoc"
    assert slugify("Tà Mung") == "ta-mung"


@given(st.text(max_size=40))
def test_slugify_always_gives_a_valid_slug_or_nothing(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or is_slug(slug)
    assert fold(text) == fold(fold(text))
