"""The spreadsheet tables: each ``queries/export/<name>.rq`` result as CSV, and all as one .xlsx.

CSV is what the query gives, cell by cell as text (RFC 4180, no byte-order
mark unless asked: Excel needs one to read UTF-8, most other readers do not
want one). The workbook keeps what CSV loses: numbers are number cells, dates
date cells, codes such as ``03356`` text cells, so a spreadsheet neither drops
leading zeros nor reads a label as a formula. XlsxWriter writes every zip entry
with a fixed time, and the workbook's creation time is the latest publication
date of the sources, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from rdflib import Graph, Literal
from rdflib.term import Node
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kgraph import resources
from kgraph.errors import InputError
from kgraph.graph.namespaces import PREFIXES, XSD, Iris

#: CSV tables, in the order they are written; each is the result of ``queries/export/<name>.rq``.
CSV_TABLES = (
    "observations",
    "places",
    "organisations",
    "people",
    "posts",
    "indicators",
    "sources",
    "documents",
)

#: the UTF-8 byte-order mark Excel looks for before it reads a CSV file as UTF-8
BOM = b"\xef\xbb\xbf"

#: the media type of an .xlsx workbook (IANA)
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: literal datatypes written as number cells
_NUMERIC = frozenset(
    XSD[name]
    for name in (
        "decimal",
        "integer",
        "int",
        "long",
        "short",
        "double",
        "float",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
    )
)
#: above this an integer no longer fits a spreadsheet's double exactly: it stays text
_EXACT_LIMIT = 2**53
#: the widest column the workbook opens with (characters)
_MAX_WIDTH = 60

#: what makes a spreadsheet read a cell as a formula (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula.

    Cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``) are prefixed with an apostrophe,
    as spreadsheet-safe exporters do; numbers such as ``-2.5`` are left alone.

    >>> spreadsheet_safe("=1+2"), spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("-2.5")
    ("'=1+2", "'@SUM(A1)", '-2.5')
    >>> spreadsheet_safe("Pom Lót")
    'Pom Lót'
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


@dataclass(frozen=True)
class Table:
    """One export query's answer: its name, its columns and its rows of RDF terms."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def column(self, name: str) -> list[Node | None]:
        """Every row's value in column ``name``."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


def read_tables(graph: Graph, names: Sequence[str] = CSV_TABLES) -> tuple[Table, ...]:
    """The tables ``names`` of ``graph``, each the answer of ``queries/export/<name>.rq``."""
    tables = []
    for name in names:
        path = resources.queries_dir() / "export" / f"{name}.rq"
        try:
            query = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read the export query: {exc}", path=path) from exc
        result = graph.query(query)
        rows = []
        for row in result:
            assert isinstance(row, tuple)
            rows.append(tuple(row))
        tables.append(Table(name, tuple(str(v) for v in result.vars or []), tuple(rows)))
    return tuple(tables)


def short_text(term: Node, iris: Iris) -> str:
    """A term as a table shows it: instance IRIs as ids, vocabulary as prefixed names.

    >>> from rdflib import URIRef
    >>> from kgraph.graph.namespaces import KG
    >>> iris = Iris()
    >>> short_text(iris.id("commune", "2024-03356"), iris), short_text(KG.Commune, iris)
    ('2024-03356', 'kg:Commune')
    """
    text = str(term)
    if isinstance(term, Literal):
        return text
    if text.startswith(iris.prefix):
        return text.rsplit("/", 1)[-1]
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and "/" not in text[len(namespace) :]:
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def csv_cell(term: Node | None, iris: Iris) -> str:
    """A CSV cell: the term's short text, literals made spreadsheet-safe, empty when unbound."""
    if term is None:
        return ""
    text = short_text(term, iris)
    return spreadsheet_safe(text) if isinstance(term, Literal) else text


def csv_files(tables: Sequence[Table], iris: Iris, *, bom: bool = False) -> dict[str, bytes]:
    """``csv/<name>.csv`` for every table; each starts with a UTF-8 BOM when ``bom``."""
    files = {}
    for table in tables:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([csv_cell(term, iris) for term in row])
        data = out.getvalue().encode("utf-8")
        files[f"csv/{table.name}.csv"] = (BOM if bom else b"") + data
    return files


# -- the workbook -------------------------------------------------------------------------


def xlsx_file(tables: Sequence[Table], iris: Iris) -> bytes:
    """One workbook, a sheet per table: typed cells, the header row frozen and filterable."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties({"title": "kgraph tables", "created": _created(tables)})
    styles = _Styles(
        header=book.add_format({"bold": True}),
        day=book.add_format({"num_format": "yyyy-mm-dd"}),
        moment=book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
    )
    for table in tables:
        sheet = book.add_worksheet(table.name)
        widths = [len(column) for column in table.columns]
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, column, styles.header)
        for r, row in enumerate(table.rows, start=1):
            for col, term in enumerate(row):
                widths[col] = max(widths[col], _write_cell(sheet, r, col, term, iris, styles))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(width + 2, _MAX_WIDTH))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(table.rows), max(len(table.columns) - 1, 0))
    book.close()
    return out.getvalue()


@dataclass(frozen=True)
class _Styles:
    header: Format
    day: Format
    moment: Format


def _write_cell(
    sheet: Worksheet, row: int, col: int, term: Node | None, iris: Iris, styles: _Styles
) -> int:
    """Write one cell, typed by the literal's datatype; returns how wide it shows."""
    if term is None:
        return 0
    value = _typed(term)
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
        return 5
    if isinstance(value, float):
        sheet.write_number(row, col, value)
        return len(str(term))
    if isinstance(value, datetime):
        sheet.write_datetime(row, col, value, styles.moment)
        return 19
    if isinstance(value, date):
        sheet.write_datetime(row, col, value, styles.day)
        return 10
    text = short_text(term, iris)  # a string cell is never run as a formula: no apostrophe
    sheet.write_string(row, col, text)
    return len(text)


def _typed(term: Node) -> bool | float | date | None:
    """The cell value a literal becomes, or None when it is written as text.

    Codes (``"03356"^^kg:gso2024``), strings and anything that does not read as
    its datatype stay text; so do dates a spreadsheet cannot hold (before 1900,
    or with a time zone, which a cell cannot keep).
    """
    if not isinstance(term, Literal) or term.datatype is None:
        return None
    value = term.toPython()
    if term.datatype in _NUMERIC and isinstance(value, int | Decimal | float):
        number = float(value)
        if not math.isfinite(number) or (isinstance(value, int) and abs(value) >= _EXACT_LIMIT):
            return None
        return number
    if term.datatype == XSD.boolean and isinstance(value, bool):
        return value
    if term.datatype == XSD.dateTime and isinstance(value, datetime):
        return value if value.tzinfo is None and value.year >= 1900 else None
    if term.datatype == XSD.date and isinstance(value, date) and not isinstance(value, datetime):
        return value if value.year >= 1900 else None
    return None


def _created(tables: Sequence[Table]) -> datetime:
    """The workbook's creation time: the latest publication of a source (fixed, so bytes are)."""
    latest = datetime(1980, 1, 1)  # the zip epoch, when no source is dated
    for table in tables:
        if table.name != "sources" or "issued" not in table.columns:
            continue
        for term in table.column("issued"):
            value = _typed(term) if term is not None else None
            if isinstance(value, date):
                moment = value if isinstance(value, datetime) else datetime(*value.timetuple()[:3])
                latest = max(latest, moment)
    return latest


__all__ = [
    "BOM",
    "CSV_TABLES",
    "XLSX_MEDIA_TYPE",
    "Table",
    "csv_cell",
    "csv_files",
    "read_tables",
    "short_text",
    "spreadsheet_safe",
    "xlsx_file",
]
