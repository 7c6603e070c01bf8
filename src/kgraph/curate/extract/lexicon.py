"""The extractor's Vietnamese lexicon, read from ``<data>/lexicon/*.csv`` and checked.

The words that tie numbers to meaning (unit phrases, qualifier cues,
indicator heads and cues, post titles) are data, so a curator can extend them
without touching code. Every file is read with the curated tables' reader
(UTF-8, NFC, header, final newline) and every code it names must exist in
``codes.csv`` or ``indicators.csv``: a bad cell is an InputError naming file,
row and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kgraph.curate.cells import read_enum
from kgraph.curate.tables import Row, TableSpec, declare, load_table
from kgraph.errors import InputError

#: where a qualifier cue stands: just before the number, or anywhere earlier in its clause
POSITIONS = ("before", "clause")
#: what an indicator phrase is: what the number counts (head) or a word around it (cue)
PHRASE_KINDS = ("head", "cue")
SCALES = ("nghìn", "ngàn", "triệu", "tỷ", "tỉ")

_SPECS = {
    "units": TableSpec(
        "lexicon-units",
        "lexicon/units.csv",
        (
            declare("phrase"),
            declare("unit", required=False),
            declare("scale", required=False, read=read_enum(*SCALES)),
        ),
    ),
    "qualifiers": TableSpec(
        "lexicon-qualifiers",
        "lexicon/qualifiers.csv",
        (declare("phrase"), declare("qualifier"), declare("position", read=read_enum(*POSITIONS))),
    ),
    "indicators": TableSpec(
        "lexicon-indicators",
        "lexicon/indicators.csv",
        (declare("indicator"), declare("phrase"), declare("kind", read=read_enum(*PHRASE_KINDS))),
    ),
    "roles": TableSpec(
        "lexicon-roles",
        "lexicon/roles.csv",
        (declare("phrase"), declare("role", required=False)),
    ),
}


@dataclass(frozen=True)
class UnitPhrase:
    """``tỷ đồng`` -> ``billion-vnd``; ``scale`` is the scale word the unit code already counts."""

    phrase: str
    unit: str | None
    scale: str | None


@dataclass(frozen=True)
class QualifierCue:
    phrase: str
    qualifier: str
    position: str


@dataclass(frozen=True)
class IndicatorPhrase:
    indicator: str
    phrase: str
    kind: str


@dataclass(frozen=True)
class RolePhrase:
    """A post title; ``role`` is its code in ``codes.csv`` (None: a post without a code yet)."""

    phrase: str
    role: str | None


@dataclass(frozen=True)
class Lexicon:
    units: tuple[UnitPhrase, ...]
    qualifiers: tuple[QualifierCue, ...]
    indicators: tuple[IndicatorPhrase, ...]
    roles: tuple[RolePhrase, ...]


def load_lexicon(
    data_dir: Path,
    codes: Mapping[str, Mapping[str, object]],
    indicators: Mapping[str, object],
) -> Lexicon:
    """Read ``data_dir/lexicon/``; every unit, qualifier, role and indicator it names must exist."""
    rows = {name: _rows(Path(data_dir), spec) for name, spec in _SPECS.items()}
    units = tuple(
        UnitPhrase(r["phrase"], _code(r, "unit", codes.get("unit", {})), r["scale"])
        for r in rows["units"]
    )
    qualifiers = tuple(
        QualifierCue(
            r["phrase"], str(_code(r, "qualifier", codes.get("qualifier", {}))), r["position"]
        )
        for r in rows["qualifiers"]
    )
    phrases = tuple(
        IndicatorPhrase(str(_code(r, "indicator", indicators)), r["phrase"], r["kind"])
        for r in rows["indicators"]
    )
    roles = tuple(
        RolePhrase(r["phrase"], _code(r, "role", codes.get("role", {}))) for r in rows["roles"]
    )
    _no_duplicates(rows["indicators"], ("indicator", "phrase", "kind"))
    for name in ("units", "qualifiers", "roles"):
        _no_duplicates(rows[name], ("phrase",))
    return Lexicon(units, qualifiers, phrases, roles)


def _rows(data_dir: Path, spec: TableSpec) -> list[Row]:
    path = data_dir / spec.path
    if not path.is_file():
        raise InputError("lexicon table not found (see data/lexicon/README.md)", path=path)
    return load_table(spec, path)


def _code(row: Row, column: str, known: Mapping[str, object]) -> str | None:
    value = row[column]
    if value is not None and value not in known:
        raise row.error(f"unknown {column} {value!r}: not in the curated code lists", column)
    return value  # type: ignore[no-any-return]


def _no_duplicates(rows: list[Row], key: tuple[str, ...]) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        k = tuple(str(row[c]) for c in key)
        if k in seen:
            raise row.error(f"duplicate of row {seen[k]}", key[-1])
        seen[k] = row.line
