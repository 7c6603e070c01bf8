"""Candidate and entity rows: read from the extract's CSVs, edited by the reviewer, written whole.

The candidates file has the observation table's columns and six of the
extractor's; the reviewed file has the same columns with ``decision`` filled.
The entities file (``ENTITY_COLUMNS``, plus any column a reviewer added) and
its reviewed file likewise. Everything that comes from the page is checked
here (known columns, strings, decisions, read-only cells unchanged) so a bad
request changes nothing.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgraph.curate.extract.people import ENTITY_COLUMNS
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
#: entity cells the reviewer may change (existing: the curated row this candidate is); kind,
#: quote, start, end, confidence and any column a reviewer added in a spreadsheet are shown
ENTITY_EDITABLE = (
    "id",
    "name",
    "type",
    "parent",
    "link",
    "gso_code",
    "vintage",
    "as_of",
    "existing",
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
    header, rows = _read_table(Path(path), COLUMNS, COLUMNS)
    return Loaded(Path(path), header, [_locate(row, text) for row in rows])


@dataclass
class EntityTable:
    """An entities (or reviewed entities) file as read: its header order and its rows."""

    path: Path
    header: tuple[str, ...]
    rows: list[dict[str, str]]


def load_entities(path: Path) -> EntityTable:
    """Read an entities or reviewed entities CSV (extra columns are kept, shown read-only)."""
    header, rows = _read_table(Path(path), ENTITY_COLUMNS, None)
    return EntityTable(Path(path), header, rows)


def _read_table(
    path: Path, required: tuple[str, ...], allowed: tuple[str, ...] | None
) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    """The header and rows of a CSV with ``required`` columns (only ``allowed`` ones, if given)."""
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
        if allowed is not None and name not in allowed:
            raise InputError(
                f"unknown column {name!r} (expected: {', '.join(allowed)})",
                path=path,
                row=1,
                column=name,
            )
    for name in required:
        if name not in header:
            raise InputError(f"missing column {name!r}", path=path, row=1, column=name)
    if len(set(header)) != len(header):
        raise InputError("duplicate column name in header", path=path, row=1)
    rows: list[dict[str, str]] = []
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
            rows.append(row)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, row=line + 1) from None
    return header, rows


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
    (Its optional ``"entities"`` list is :func:`apply_entity_edits`'.)

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
    unknown = sorted(set(body) - {"rows", "entities"})
    if unknown:
        raise BadEdit(f"unknown field {unknown[0]!r} (send only rows and entities)")
    sent = body.get("rows")
    if not isinstance(sent, list):
        raise BadEdit('"rows" must be a list with one object per candidate')
    if len(sent) != len(rows):
        raise BadEdit(f"expected {len(rows)} rows, got {len(sent)}")
    return _edit([r.cells for r in rows], sent, COLUMNS, EDITABLE, "row")


def apply_entity_edits(table: EntityTable | None, body: dict[str, Any]) -> list[dict[str, str]]:
    """The entity rows after the page's edits (``body["entities"]``; left out: unchanged).

    >>> table = EntityTable(Path("e.csv"), ENTITY_COLUMNS, [dict.fromkeys(ENTITY_COLUMNS, "")])
    >>> apply_entity_edits(table, {"entities": [{"decision": "accept", "id": "x"}]})[0]["id"]
    'x'
    >>> apply_entity_edits(table, {"entities": [{"kind": "place"}]})
    Traceback (most recent call last):
    ...
    kgraph.curate.review.rows.BadEdit: entity row 1: column 'kind' is read-only
    """
    rows = table.rows if table is not None else []
    if "entities" not in body:
        return [dict(r) for r in rows]
    sent = body["entities"]
    if not isinstance(sent, list):
        raise BadEdit('"entities" must be a list with one object per entity row')
    if len(sent) != len(rows):
        raise BadEdit(f"expected {len(rows)} entity rows, got {len(sent)}")
    header = table.header if table is not None else ENTITY_COLUMNS
    return _edit(rows, sent, header, ENTITY_EDITABLE, "entity row")


def _edit(
    rows: list[dict[str, str]],
    sent: list[Any],
    columns: tuple[str, ...],
    editable: tuple[str, ...],
    what: str,
) -> list[dict[str, str]]:
    edited: list[dict[str, str]] = []
    for number, (row, cells) in enumerate(zip(rows, sent, strict=True), start=1):
        if not isinstance(cells, dict):
            raise BadEdit(f"{what} {number}: not an object of column: text")
        new = dict(row)
        for column, value in cells.items():
            if column not in columns:
                raise BadEdit(f"{what} {number}: unknown column {str(column)[:60]!r}")
            if not isinstance(value, str):
                raise BadEdit(f"{what} {number}, column {column!r}: the value must be a string")
            if len(value) > MAX_CELL:
                raise BadEdit(f"{what} {number}, column {column!r}: over {MAX_CELL} characters")
            value = unicodedata.normalize("NFC", value).strip()
            if any(ch in value for ch in "\r\n\x00") and column != "note":
                raise BadEdit(f"{what} {number}, column {column!r}: no line breaks in this cell")
            if column not in editable:
                if value != row[column]:
                    raise BadEdit(f"{what} {number}: column {column!r} is read-only")
                continue
            if column == "decision" and value not in DECISIONS:
                raise BadEdit(f"{what} {number}: decision {value!r} is not accept, reject or empty")
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
