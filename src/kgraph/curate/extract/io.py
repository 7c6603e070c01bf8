"""Candidate files: written atomically, read back for review with file/row/column errors.

``<out>/<source>.csv`` holds the observation table's columns (``id`` left
empty: ids are given on accept) and the reviewer's columns; ``<out>/<source>
.entities.csv`` the proposed people, posts, places, organisations and
indicators. A file is written with ``kgraph.files.write_text`` (to a temporary
file beside it, moved into place), so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from kgraph.curate.extract.article import Candidate, Extraction
from kgraph.curate.extract.people import ENTITY_COLUMNS
from kgraph.curate.tables import SPECS
from kgraph.errors import InputError
from kgraph.files import write_text

#: the observation table's columns, in its order
OBSERVATION_COLUMNS = tuple(c.name for c in SPECS["observations"].columns)
REVIEW_COLUMNS = ("confidence", "subject_name", "alternatives", "start", "end", "decision")
CANDIDATE_COLUMNS = OBSERVATION_COLUMNS + REVIEW_COLUMNS
DECISIONS = ("accept", "reject")


def candidate_row(c: Candidate) -> dict[str, str]:
    """A candidate as one CSV row of :data:`CANDIDATE_COLUMNS`."""
    return {
        "id": "",
        "subject": c.subject,
        "indicator": c.indicator,
        "period": c.period,
        "value": c.value,
        "value_max": c.value_max,
        "denominator": c.denominator,
        "qualifier": c.qualifier,
        "unit": c.unit,
        "quote": c.quote,
        "note": c.note,
        "confidence": f"{c.confidence:.2f}",
        "subject_name": c.subject_name,
        "alternatives": "|".join(c.alternatives),
        "start": str(c.start),
        "end": str(c.end),
        "decision": "",
    }


def render_csv(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    """CSV text with a header row, ``\\n`` line ends and a final newline."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_extraction(extraction: Extraction, out_dir: Path) -> tuple[Path, Path]:
    """The candidates file and the entities file of one article, written atomically."""
    out_dir = Path(out_dir)
    rows = [candidate_row(c) for c in extraction.candidates]
    main = out_dir / f"{extraction.source}.csv"
    write_text(main, render_csv(CANDIDATE_COLUMNS, rows))
    entities = out_dir / f"{extraction.source}.entities.csv"
    write_text(entities, render_csv(ENTITY_COLUMNS, [e.row() for e in extraction.entities]))
    return main, entities


def read_reviewed(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a reviewed candidates file with their line numbers; every row decided."""
    return _read(Path(path), (*OBSERVATION_COLUMNS, "decision"), DECISIONS)


def read_reviewed_entities(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a reviewed entities file with their line numbers.

    A row left undecided is not added (the entities file is optional review);
    extra columns a reviewer added (``name_en``, an indicator's ``label_en``,
    ``definition``, ``category``, ``integral`` …) are kept.
    """
    return _read(Path(path), ENTITY_COLUMNS, ("", *DECISIONS))


def _read(
    path: Path, required: Sequence[str], decisions: Sequence[str]
) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the reviewed file: {exc}", path=path) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError("file is empty; expected a header row", path=path) from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, row=1) from exc
    for name in required:
        if name not in header:
            raise InputError(f"missing column {name!r}", path=path, row=1, column=name)
    rows: list[tuple[int, dict[str, str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", path=path, row=line) from exc
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise InputError(
                f"has {len(cells)} cells but the header has {len(header)}", path=path, row=line
            )
        row = dict(zip(header, cells, strict=True))
        if row["decision"].strip().lower() not in decisions:
            raise InputError(
                "not reviewed; write accept or reject",
                path=path,
                row=line,
                column="decision",
            )
        rows.append((line, row))
    return rows
