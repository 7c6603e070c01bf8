"""Append a reviewer's accepted candidates to the curated tables, all checked first.

The accepted observations get fresh ids (``<number part of the source id>-<nn>``,
the next after the largest in the table) and lose the review columns; the
accepted rows of the entities file (see :mod:`kgraph.curate.extract.entities`)
become rows of ``places.csv``, ``organisations.csv``, ``people.csv``,
``posts.csv`` and ``indicators.csv``. Every changed table is written to a copy
of the data folder, which is loaded exactly as ``kgraph build`` loads it; only
when that succeeds are the real tables replaced (each atomically). On any
problem nothing changes and the error names the reviewed file, its row and the
column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from kgraph import resources
from kgraph.curate.dataset import load_changed, load_dataset, source_number
from kgraph.curate.extract.entities import CELL_OF, EntityRow, Known, build_rows
from kgraph.curate.extract.io import (
    OBSERVATION_COLUMNS,
    read_reviewed,
    read_reviewed_entities,
    render_csv,
)
from kgraph.curate.tables import SPECS
from kgraph.errors import InputError
from kgraph.files import write_text


@dataclass(frozen=True)
class Accepted:
    """What an accept did: the observation table written (None: none accepted), the ids
    given, how many observations were rejected, and the entity rows added."""

    path: Path | None
    ids: tuple[str, ...]
    rejected: int
    #: (table, id) of every entity row added
    entities: tuple[tuple[str, str], ...] = ()
    #: the entities file read (None: there was none)
    entities_file: Path | None = None


def next_ids(source_id: str, existing: list[str], count: int) -> list[str]:
    """``count`` fresh observation ids after the largest already used.

    >>> next_ids("000_ae26940861c8c0fd", ["000-01", "000-13"], 2)
    ['000-14', '000-15']
    >>> next_ids("01234_9f", [], 1)
    ['01234-01']
    """
    prefix = source_number(source_id)
    pattern = re.compile(re.escape(prefix) + r"-([0-9]+)")
    used = [int(m[1]) for i in existing if (m := pattern.fullmatch(i))]
    start = max(used, default=0) + 1
    return [f"{prefix}-{n:02d}" for n in range(start, start + count)]


def entities_beside(reviewed: Path) -> Path | None:
    """The entities file that goes with a reviewed candidates file, if it is there.

    >>> entities_beside(Path("/no/005_ab.reviewed.csv")) is None
    True
    """
    reviewed = Path(reviewed)
    name = reviewed.name
    if name.endswith(".reviewed.csv"):
        stem, suffix = name.removesuffix(".reviewed.csv"), ".entities.reviewed.csv"
    else:
        stem, suffix = name.removesuffix(".csv"), ".entities.csv"
    candidate = reviewed.with_name(stem + suffix)
    return candidate if candidate.is_file() else None


def _source_of(reviewed: Path, sources: list[str]) -> str:
    stem = reviewed.name.removesuffix(".csv")
    if stem in sources:
        return stem
    for sid in sorted(sources, key=len, reverse=True):
        if stem.startswith(sid):
            return sid
    raise InputError(
        "the reviewed file must be named after its source id (<source-id>.csv, as written by "
        "kgraph extract)",
        path=reviewed,
    )


def accept_reviewed(
    reviewed: Path, data_dir: Path | None = None, entities: Path | None = None
) -> Accepted:
    """Append the accepted observations to ``<data>/curated/observations/<source>.csv`` and
    the accepted entity rows to their tables, all or nothing.

    ``entities`` is the reviewed entities file; None takes the one beside
    ``reviewed`` (:func:`entities_beside`), if any.
    """
    reviewed = Path(reviewed)
    data_dir = Path(data_dir) if data_dir is not None else resources.data_dir()
    entities = Path(entities) if entities is not None else entities_beside(reviewed)
    rows = read_reviewed(reviewed)
    entity_rows = read_reviewed_entities(entities) if entities is not None else []
    dataset = load_dataset(data_dir)
    source = _source_of(reviewed, [str(r["id"]) for r in dataset.tables["sources"]])
    accepted = [(line, row) for line, row in rows if row["decision"].strip().lower() == "accept"]
    rejected = len(rows) - len(accepted)
    built: list[EntityRow] = []
    if entities is not None:
        known = Known(
            places={str(r["id"]): dict(r.raw) for r in dataset.tables["places"]},
            orgs={str(r["id"]): dict(r.raw) for r in dataset.tables["organisations"]},
            ids={str(k): v.table for k, v in dataset.entities.items()},
            roles=set(dataset.codes.get("role", {})),
            admin=dataset.admin_units,
        )
        built = build_rows(entity_rows, source, known, entities)
    if not accepted and not built:
        return Accepted(None, (), rejected, entities_file=entities)
    staged: dict[Path, str] = {}
    lines: dict[Path, dict[int, tuple[Path, int, dict[str, str]]]] = {}
    target = data_dir / SPECS["observations"].path / f"{source}.csv"
    ids: list[str] = []
    if accepted:
        current, old_ids = _current(target, OBSERVATION_COLUMNS)
        ids = next_ids(source, old_ids, len(accepted))
        cells_of = [
            {c: row.get(c, "") for c in OBSERVATION_COLUMNS} | {"id": new_id}
            for new_id, (_, row) in zip(ids, accepted, strict=True)
        ]
        origin: list[tuple[Path, int, dict[str, str]]] = [
            (reviewed, line, {}) for line, _ in accepted
        ]
        staged[target], lines[target] = _appended(current, OBSERVATION_COLUMNS, cells_of, origin)
    for table in dict.fromkeys(r.table for r in built):
        path = data_dir / SPECS[table].path
        mine = [r for r in built if r.table == table]
        current, _ = _current(path, tuple(c.name for c in SPECS[table].columns))
        header = tuple(next(csv.reader(io.StringIO(current))))
        assert entities is not None
        origin = [(entities, r.line, CELL_OF.get(table, {})) for r in mine]
        staged[path], lines[path] = _appended(current, header, [r.cells for r in mine], origin)
    _check(data_dir, staged, lines, reviewed)
    for path, content in staged.items():
        write_text(path, content)
    return Accepted(
        target if accepted else None,
        tuple(ids),
        rejected,
        tuple((r.table, r.cells["id"]) for r in built),
        entities,
    )


def _current(path: Path, columns: tuple[str, ...]) -> tuple[str, list[str]]:
    """A table's text (ending in a newline; a header only if it is missing) and its ids."""
    if not path.is_file():
        return render_csv(columns, []), []
    current = path.read_text(encoding="utf-8")
    if current and not current.endswith("\n"):
        current += "\n"
    return current, [r.get("id", "") for r in csv.DictReader(io.StringIO(current))]


def _appended(
    current: str,
    header: tuple[str, ...],
    rows: list[dict[str, str]],
    origin: list[tuple[Path, int, dict[str, str]]],
) -> tuple[str, dict[int, tuple[Path, int, dict[str, str]]]]:
    """``current`` with ``rows`` appended, and each new table line's reviewed file and row."""
    content, lines = current, {}
    line = current.count("\n") + 1
    for cells, where in zip(rows, origin, strict=True):
        text = render_csv(header, [{c: cells.get(c, "") for c in header}]).split("\n", 1)[1]
        lines[line] = where
        line += text.count("\n")
        content += text
    return content, lines


def _check(
    data_dir: Path,
    staged: dict[Path, str],
    lines: dict[Path, dict[int, tuple[Path, int, dict[str, str]]]],
    reviewed: Path,
) -> None:
    """Check the data with the new tables, as ``kgraph build`` would; errors name reviewed rows."""
    try:
        load_changed(data_dir, staged)
    except InputError as exc:
        origin = lines.get(exc.path, {}).get(exc.row or -1) if exc.path is not None else None
        if origin is not None:
            path, row, cells = origin
            column = cells.get(exc.column or "", exc.column)
            raise InputError(exc.detail, path=path, row=row, column=column) from exc
        where = (
            exc.path.relative_to(data_dir)
            if exc.path and exc.path.is_relative_to(data_dir)
            else exc.path
        )
        raise InputError(
            f"the data would not build ({where}: {exc.detail}); nothing was changed",
            path=reviewed,
        ) from exc
