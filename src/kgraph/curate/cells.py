"""What one cell may hold: ids, numbers, codes, dates, URLs; the readers the columns use.

Each reader takes a cell's text and returns its typed value, or raises
ParseError saying what is wrong; :mod:`kgraph.curate.tables` adds the file,
row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from kgraph.curate.vn import Period, parse_datetime, parse_number, parse_period
from kgraph.errors import ParseError

#: an id: a-z, 0-9 and single hyphens; a source id may also hold ``_`` (``001_a26cdb5e``)
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: ``<number>_<key>``: the article's number (three digits or more, unique) and a key that
#: keeps ids of parallel work apart (``kgraph source add`` writes 16 hex digits of SHA-256)
SOURCE_ID = re.compile(r"([0-9]{3,})_[a-z0-9]+")
#: an observation is ``<its source's number>-<nn>`` (``000-07``, ``01234-112``)
OBSERVATION_ID = re.compile(r"([0-9]{3,})-([0-9]{2,})")
_REF = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
#: ids longer than this are shown cut short in messages
_SHOWN = 60


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}… ({len(text)} characters)"


def _slug(pattern: re.Pattern[str], what: str, allowed: str) -> Callable[[str], str]:
    """A reader that accepts ``pattern`` and names what is allowed otherwise."""

    def read(text: str) -> str:
        if not pattern.fullmatch(text):
            raise ParseError(f"not a valid {what} {_shown(text)!r} (use {allowed})")
        return text

    return read


_id = _slug(ID, "id", "a-z, 0-9 and single hyphens")
_source_id = _slug(SOURCE_ID, "source id", "<number>_<key> such as 005_3fa2c1d09b7e4a61")
_observation_id = _slug(OBSERVATION_ID, "observation id", "<source number>-<nn> such as 005-01")
#: a reference to an entity or a source id (whether it exists is checked later)
_ref = _slug(_REF, "id", "a-z, 0-9 and single hyphens")


def _decimal(text: str) -> Decimal:
    """Code-list numbers (plausible min/max) are plain decimals, not Vietnamese."""
    if not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", text):
        raise ParseError(f"not a plain decimal: {text!r} (code lists use 100 or 0.5)")
    return Decimal(text)


def _bool(text: str) -> bool:
    if text not in ("true", "false"):
        raise ParseError(f"not true or false: {text!r}")
    return text == "true"


def read_gso_code(text: str) -> str:
    if not re.fullmatch(r"[0-9]{2}|[0-9]{3}|[0-9]{5}", text):
        raise ParseError(f"not a GSO code: {text!r} (2 digits province, 3 district, 5 commune)")
    return text


def read_year(text: str) -> int:
    if not re.fullmatch(r"(19|20)[0-9]{2}", text, re.ASCII):
        raise ParseError(f"not a year: {text!r} (write four digits, 2015)")
    return int(text)


def read_url(text: str) -> str:
    """A source's web address: an absolute http(s) URL without spaces or quotes."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"[\s\"<>]", text):
        raise ParseError(f"not a web address: {_shown(text)!r} (write https://…)")
    return text


_ISO_WHEN = re.compile(r"(19|20)[0-9]{2}(-[0-9]{2}(-[0-9]{2})?)?", re.ASCII)


def iso_when(text: str) -> Period:
    """A year, year-month or date written the ISO way (``2013``, ``2013-07``, ``2013-07-15``).

    Its label keeps the precision the source gives: a month stays a month.

    >>> iso_when("2013-07").label, iso_when("2013-07").end.isoformat()
    ('2013-07', '2013-07-31')
    """
    if not _ISO_WHEN.fullmatch(text):
        raise ParseError(
            f"not an ISO year, year-month or date: {text!r} (2013, 2013-07, 2013-07-15)"
        )
    return parse_period(text)


def _period_or_current(text: str) -> object:
    return "current" if text == "current" else parse_period(text)


def read_enum(*allowed: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        if text not in allowed:
            raise ParseError(f"{text!r} is not one of: {', '.join(allowed)}")
        return text

    return read


def read_code_word(text: str) -> str:
    if not re.fullmatch(r"[a-z]+(?:-[a-z]+)*", text):
        raise ParseError(f"{text!r} is not a code word (lower-case words joined by '-')")
    return text


def read_positive(text: str) -> Decimal:
    value = _decimal(text)
    if value <= 0:
        raise ParseError(f"{text!r} is not a positive number")
    return value


_QUDT = re.compile(r"http://qudt\.org/vocab/(?:unit|currency)/[A-Za-z0-9_-]+")


def read_qudt(text: str) -> str:
    if not _QUDT.fullmatch(text):
        raise ParseError(f"{text!r} is not a QUDT unit IRI (http://qudt.org/vocab/unit/…)")
    return text


def read_unece(text: str) -> str:
    if not re.fullmatch(r"[A-Z0-9]{2,3}", text):
        raise ParseError(f"{text!r} is not a UN/CEFACT Recommendation 20 common code")
    return text


READERS: dict[str, Callable[[str], Any]] = {
    "text": lambda s: s,
    "id": _id,
    "source-id": _source_id,
    "observation-id": _observation_id,
    "ref": _ref,
    "number": parse_number,
    "decimal": _decimal,
    "bool": _bool,
    "period": parse_period,
    "period-or-current": _period_or_current,
    "datetime": parse_datetime,
}
