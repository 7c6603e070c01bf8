"""Load the curated CSV tables: declared columns, typed cells, one clear error per problem.

The table layout is data (``TABLES``), not code: each column says whether it is
required and how its cells are read. Loading checks encoding, NFC, headers,
required cells and cell syntax; cross-table checks (references, quotes) belong
to :mod:`kgraph.curate.dataset`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph.curate.cells import (
    ID,
    OBSERVATION_ID,
    READERS,
    SOURCE_ID,
    iso_when,
    read_code_word,
    read_enum,
    read_gso_code,
    read_positive,
    read_qudt,
    read_unece,
    read_url,
    read_year,
)
from kgraph.curate.encoding import decode, forbidden
from kgraph.curate.vn import parse_ordinal
from kgraph.errors import InputError, ParseError

__all__ = ["ID", "OBSERVATION_ID", "SOURCE_ID"]


@dataclass(frozen=True)
class Column:
    """One declared column: its name, whether a cell is required, and how it is read."""

    name: str
    kind: str = "text"
    required: bool = True
    read: Callable[[str], Any] | None = None

    def parse(self, text: str) -> Any:
        reader = self.read or READERS[self.kind]
        return reader(text)


@dataclass(frozen=True)
class TableSpec:
    """A table's name, its file (or folder of per-source files) and its columns."""

    name: str
    path: str
    columns: tuple[Column, ...]
    per_source: bool = False

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns]


def declare(name: str, kind: str = "text", required: bool = True, **kw: Any) -> Column:
    """One column of a table spec (short, because the specs below list hundreds)."""
    return Column(name, kind, required, **kw)


PLACE_KINDS = ("country", "province", "district", "commune", "village", "border-gate", "hydropower")
#: what a dated change a source states did (the backbone's change kinds, and founding)
CHANGE_KINDS = ("establishment", "merger", "split", "abolition")
ORG_KINDS = (
    "provincial-party-organisation",
    "district-party-organisation",
    "grassroots-party-committee",
    "grassroots-party-cell",
    "party-cell",
    "party-committee",
    "standing-committee",
    "party-commission",
    "central-party-body",
    "armed-forces-unit",
    "media-organisation",
)
DOCUMENT_KINDS = ("decision", "directive", "resolution", "law", "charter")
CODE_SCHEMES = ("unit", "qualifier", "cell-kind", "role", "category", "partition")

_EVIDENCE = (declare("source", "ref"), declare("quote"))
_OPTIONAL_EVIDENCE = (declare("source", "ref", False), declare("quote", required=False))

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "sources",
        "sources.csv",
        (
            declare("id", "source-id"),
            declare("file"),
            declare("title", required=False),
            declare("title_en", required=False),
            declare("publisher", "ref", False),
            declare("author", "ref", False),
            declare("published", "datetime", False),
            declare("url", required=False, read=read_url),
            declare("language", read=read_enum("vi", "en")),
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "codes",
        "curated/codes.csv",
        (
            declare("scheme", read=read_enum(*CODE_SCHEMES)),
            declare("id", "id"),
            declare("label_vi"),
            declare("label_en"),
            declare("definition"),
            declare("symbol", required=False),
            declare("exhaustive", "bool", False),
        ),
    ),
    TableSpec(
        "unit-conversions",
        "curated/unit-conversions.csv",
        (
            declare("unit", "ref"),
            declare("dimension", read=read_code_word),
            declare("canonical", "ref"),
            declare("factor", "decimal", read=read_positive),
            declare("qudt", required=False, read=read_qudt),
            declare("unece", required=False, read=read_unece),
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "indicators",
        "curated/indicators.csv",
        (
            declare("id", "id"),
            declare("label_vi"),
            declare("label_en"),
            declare("definition"),
            declare("category", "ref"),
            declare("unit", "ref"),
            declare("min", "decimal", False),
            declare("max", "decimal", False),
            declare("integral", "bool"),
            declare("component_of", "ref", False),
            declare("rate_of", "ref", False),
            declare("partition", "ref", False),
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "places",
        "curated/places.csv",
        (
            declare("id", "id"),
            declare("kind", read=read_enum(*PLACE_KINDS)),
            declare("name_vi"),
            declare("name_en"),
            declare("parent", "ref", False),
            declare("gso_code", required=False, read=read_gso_code),
            declare("vintage", required=False, read=read_enum("2024", "2025")),
            *_OPTIONAL_EVIDENCE,
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "organisations",
        "curated/organisations.csv",
        (
            declare("id", "id"),
            declare("kind", read=read_enum(*ORG_KINDS)),
            declare("name_vi"),
            declare("name_en"),
            declare("parent", "ref", False),
            declare("leads", "ref", False),
            declare("cell_kind", "ref", False),
            *_EVIDENCE,
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "people",
        "curated/people.csv",
        (
            declare("id", "id"),
            declare("name"),
            declare("honorific", required=False),
            *_EVIDENCE,
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "posts",
        "curated/posts.csv",
        (
            declare("id", "id"),
            declare("person", "ref"),
            declare("role", "ref"),
            declare("organisation", "ref"),
            declare("as_of", "period-or-current", False),
            declare("start", required=False, read=iso_when),
            declare("end", required=False, read=iso_when),
            *_EVIDENCE,
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "terms",
        "curated/terms.csv",
        (
            declare("id", "id"),
            declare("organisation", "ref"),
            declare("ordinal", required=False, read=parse_ordinal),
            declare("start", required=False, read=read_year),
            declare("end", required=False, read=read_year),
            declare("congress", "bool"),
            *_EVIDENCE,
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "changes",
        "curated/changes.csv",
        (
            declare("id", "id"),
            declare("kind", read=read_enum(*CHANGE_KINDS)),
            declare("original", "ref", False),
            declare("resulting", "ref", False),
            declare("date", read=iso_when),
            *_EVIDENCE,
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "documents",
        "curated/documents.csv",
        (
            declare("id", "id"),
            declare("kind", read=read_enum(*DOCUMENT_KINDS)),
            declare("number", required=False),
            declare("title_vi"),
            declare("title_en"),
            declare("issued", "period", False),
            declare("issuer", "ref", False),
            *_EVIDENCE,
            declare("note", required=False),
        ),
    ),
    TableSpec(
        "mentions",
        "curated/mentions.csv",
        (declare("entity", "ref"), *_EVIDENCE, declare("note", required=False)),
    ),
    TableSpec(
        "observations",
        "curated/observations",
        (
            declare("id", "observation-id"),
            declare("subject", "ref"),
            declare("indicator", "ref"),
            declare("period", "period-or-current"),
            declare("value", "number"),
            declare("value_max", "number", False),
            declare("denominator", "number", False),
            declare("qualifier", "ref"),
            declare("unit", "ref"),
            declare("quote"),
            declare("note", required=False),
        ),
        per_source=True,
    ),
)

SPECS: Mapping[str, TableSpec] = {t.name: t for t in TABLES}


@dataclass(frozen=True)
class Row:
    """One data row: where it came from, its raw cells and its parsed values."""

    table: str
    path: Path
    line: int
    raw: Mapping[str, str]
    values: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def settle(self, column: str, value: Any) -> None:
        """Replace a parsed value once the dataset has checked it against another file.

        (A quote becomes the exact span of its article it was found as.)
        """
        self.values[column] = value

    def error(self, message: str, column: str | None = None) -> InputError:
        """An InputError pointing at this row (and column)."""
        return InputError(message, path=self.path, row=self.line, column=column)


def load_table(spec: TableSpec, path: Path) -> list[Row]:
    """Read one CSV file of ``spec``: every problem raises an InputError naming file/row/column."""
    text = decode(path)
    if text and not text.endswith(("\n", "\r")):
        raise InputError(
            "the file does not end with a line break: was it cut short? "
            "(save it again; every CSV table ends with a newline)",
            path=path,
            row=text.count("\n") + 1,
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("file is empty; expected a header row", path=path) from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, row=1) from exc
    header = [h.strip() for h in header]
    for name in header:
        if problem := forbidden(name):
            raise InputError(problem, path=path, row=1)
    known = {c.name for c in spec.columns}
    for name in spec.required_columns:
        if name not in header:
            raise InputError(f"missing required column {name!r}", path=path, row=1, column=name)
    for name in header:
        if name not in known:
            raise InputError(
                f"unknown column {name!r} (expected: {', '.join(spec.required_columns)})",
                path=path,
                row=1,
                column=name,
            )
    if len(set(header)) != len(header):
        raise InputError("duplicate column name in header", path=path, row=1)
    rows: list[Row] = []
    for line, cells in _records(reader, path):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise InputError(
                f"has {len(cells)} cells but the header has {len(header)} "
                "(a comma inside a cell needs double quotes)",
                path=path,
                row=line,
            )
        raw = dict(zip(header, cells, strict=True))
        values: dict[str, Any] = {}
        for col in spec.columns:
            cell = raw[col.name]
            if not unicodedata.is_normalized("NFC", cell):
                raise InputError("text is not in Unicode NFC", path=path, row=line, column=col.name)
            problem = forbidden(cell)
            if problem:
                raise InputError(problem, path=path, row=line, column=col.name)
            if cell != cell.strip():
                raise InputError("leading or trailing spaces", path=path, row=line, column=col.name)
            if cell == "":
                if col.required:
                    raise InputError("required cell is empty", path=path, row=line, column=col.name)
                values[col.name] = None
                continue
            try:
                values[col.name] = col.parse(cell)
            except ParseError as exc:
                raise InputError(str(exc), path=path, row=line, column=col.name) from exc
        rows.append(Row(spec.name, path, line, raw, values))
    return rows


def _records(reader: Any, path: Path) -> Iterator[tuple[int, list[str]]]:
    """Records with the line they start on (a quoted cell may span several lines)."""
    while True:
        start = reader.line_num + 1
        try:
            yield start, next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", path=path, row=start) from exc


def table_files(spec: TableSpec, data_dir: Path) -> list[Path]:
    """The file(s) of a table under ``data_dir``, in a stable order."""
    target = data_dir / spec.path
    if spec.per_source:
        if not target.is_dir():
            raise InputError(f"missing folder {spec.path}/ (one CSV per source)", path=target)
        for item in sorted(target.iterdir()):
            if item.name.startswith(".") and item.is_file():
                continue  # editors' and the OS's hidden files
            if not (item.is_file() and item.suffix == ".csv"):
                raise InputError(
                    f"unexpected {'folder' if item.is_dir() else 'file'} in {spec.path}/: "
                    "only <source id>.csv files belong here (note the lower-case .csv)",
                    path=item,
                )
        return sorted(target.glob("*.csv"))
    if not target.is_file():
        raise InputError(f"missing table {spec.path}", path=target)
    return [target]


def load_tables(data_dir: Path) -> dict[str, list[Row]]:
    """Every declared table under ``data_dir``, as rows keyed by table name."""
    return {
        spec.name: [row for f in table_files(spec, data_dir) for row in load_table(spec, f)]
        for spec in TABLES
    }
