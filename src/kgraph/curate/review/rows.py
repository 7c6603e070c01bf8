"""Candidate rows: read from the extract's CSV, edited by the reviewer, written back whole.

The candidates file has the observation table's columns and six of the
extractor's; the reviewed file has the same columns with ``decision`` filled.
Everything that comes from the page is checked here (known columns, strings,
decisions, read-only cells unchanged) so a bad request changes nothing.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgraph.curate.tables import SPECS
from kgraph.errors import InputError
from kgraph.files import write_text

#: the observation table's columns, in its order
OBSERVATION_COLUMNS: tuple[str, ...] = tuple(c.name for c in SPECS["observations"].columns)
#: what ``kgraph extract`` adds to each candidate
EXTRA_COLUMNS = ("confidence", "subject_name", "alternatives", "start", "end", "decision")
COLUMNS: tuple[str, ...] = OBSERVATION_COLUMNS + EXTRA_COLUMNS
#: cells the reviewer may change; the others (the quote and its offsets above all) are evidence
EDITABLE = (
    "subject",
    "indicator",
    "period",
    "value",
    "value_max",
    "denominator",
    "qualifier",
    "unit",
    "note",
    "decision",
)
DECISIONS = ("", "accept", "reject")
#: longest cell the page may send (a note is a sentence or two, not a document)
MAX_CELL = 10_000


class BadEdit(ValueError):
    """A save request the page must not have sent; its message is one line for the reviewer."""


@dataclass
class Candidate:
    """One candidate row: its cells, and where its quote is in the text (None: not found)."""

    cells: dict[str, str]
    span: tuple[int, int] | None
    problem: str = ""

    @property
    def alternatives(self) -> list[str]:
        return [a for a in self.cells.get("alternatives", "").split("|") if a]


@dataclass
class Loaded:
    """A candidates (or reviewed) file as read: its header order and its rows."""

    path: Path
    header: tuple[str, ...]
    rows: list[Candidate]


def load_candidates(path: Path, text: str) -> Loaded:
    """Read a candidates or reviewed CSV, finding each quote in ``text``.

    A quote whose offsets do not match is looked for in the text and the card
    says so; one that is not in the text at all is shown without a span, so the
    reviewer can still reject it.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read it as UTF-8 text: {exc}", path=path) from None
    reader = csv.reader(io.StringIO(raw, newline=""), strict=True)
    try:
        header = tuple(h.strip() for h in next(reader))
    except StopIteration:
        raise InputError("file is empty; expected a header row", path=path) from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, row=1) from None
    for name in header:
        if name not in COLUMNS:
            raise InputError(
                f"unknown column {name!r} (expected: {', '.join(COLUMNS)})",
                path=path,
                row=1,
                column=name,
            )
    for name in COLUMNS:
        if name not in header:
            raise InputError(f"missing column {name!r}", path=path, row=1, column=name)
    if len(set(header)) != len(header):
        raise InputError("duplicate column name in header", path=path, row=1)
    rows: list[Candidate] = []
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise InputError(
                    f"has {len(cells)} cells but the header has {len(header)}", path=path, row=line
                )
            row = dict(zip(header, cells, strict=True))
            if row["decision"] not in DECISIONS:
                raise InputError(
                    f"decision {row['decision']!r} is not accept, reject or empty",
                    path=path,
                    row=line,
                    column="decision",
                )
            rows.append(_locate(row, text))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, row=line + 1) from None
    return Loaded(path, header, rows)


def _locate(cells: dict[str, str], text: str) -> Candidate:
    quote = cells["quote"]
    try:
        start, end = int(cells["start"]), int(cells["end"])
    except ValueError:
        start = end = -1
    if quote and 0 <= start < end <= len(text) and text[start:end] == quote:
        return Candidate(cells, (start, end))
    found = text.find(quote) if quote else -1
    if found >= 0:
        return Candidate(
            cells,
            (found, found + len(quote)),
            "its offsets did not match the text; the quote's first occurrence is shown",
        )
    return Candidate(cells, None, "its quote is not in the text")


def apply_edits(rows: list[Candidate], body: Any) -> list[dict[str, str]]:
    """The rows after the page's edits, or BadEdit naming the first problem.

    ``body`` is the decoded JSON ``{"rows": [{column: text, ...}, ...]}`` with
    one object per candidate, in order; a column left out keeps its cell.

    >>> row = Candidate({c: "" for c in COLUMNS} | {"quote": "5 hộ"}, (0, 4))
    >>> apply_edits([row], {"rows": [{"decision": "accept", "value": "5"}]})[0]["decision"]
    'accept'
    >>> apply_edits([row], {"rows": [{"decision": "maybe"}]})
    Traceback (most recent call last):
    ...
    kgraph.curate.review.rows.BadEdit: row 1: decision 'maybe' is not accept, reject or empty
    """
    if not isinstance(body, dict):
        raise BadEdit('send a JSON object {"rows": [...]}')
    unknown = sorted(set(body) - {"rows"})
    if unknown:
        raise BadEdit(f"unknown field {unknown[0]!r} (send only rows)")
    sent = body.get("rows")
    if not isinstance(sent, list):
        raise BadEdit('"rows" must be a list with one object per candidate')
    if len(sent) != len(rows):
        raise BadEdit(f"expected {len(rows)} rows, got {len(sent)}")
    edited: list[dict[str, str]] = []
    for number, (row, cells) in enumerate(zip(rows, sent, strict=True), start=1):
        if not isinstance(cells, dict):
            raise BadEdit(f"row {number}: not an object of column: text")
        new = dict(row.cells)
        for column, value in cells.items():
            if column not in COLUMNS:
                raise BadEdit(f"row {number}: unknown column {str(column)[:60]!r}")
            if not isinstance(value, str):
                raise BadEdit(f"row {number}, column {column!r}: the value must be a string")
            if len(value) > MAX_CELL:
                raise BadEdit(f"row {number}, column {column!r}: over {MAX_CELL} characters")
            value = unicodedata.normalize("NFC", value).strip()
            if any(ch in value for ch in "\r\n\x00") and column != "note":
                raise BadEdit(f"row {number}, column {column!r}: no line breaks in this cell")
            if column not in EDITABLE:
                if value != row.cells[column]:
                    raise BadEdit(f"row {number}: column {column!r} is read-only")
                continue
            if column == "decision" and value not in DECISIONS:
                raise BadEdit(f"row {number}: decision {value!r} is not accept, reject or empty")
            new[column] = " ".join(value.split()) if column == "note" else value
        edited.append(new)
    return edited


def write_rows(path: Path, header: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Replace ``path`` with ``rows`` as CSV in ``header``'s order, atomically."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    write_text(path, out.getvalue())


def read_plain_table(path: Path, limit: int = 2000) -> tuple[list[str], list[list[str]]]:
    """Any CSV as a header and rows (at most ``limit``), for showing it read-only."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
        records = list(csv.reader(io.StringIO(raw, newline="")))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read it as CSV: {exc}", path=path) from None
    if not records:
        return [], []
    return records[0], records[1 : limit + 1]
