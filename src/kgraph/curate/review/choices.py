"""What a reviewer picks from: indicators, subjects, units and qualifiers of the curated tables.

Read once when the review page starts (a fraction of a second), so the page can
offer every id a candidate may cite without a built graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgraph.curate.catalogue import indicator_catalogue
from kgraph.curate.tables import SPECS, load_table


@dataclass(frozen=True)
class IndicatorChoice:
    """An indicator a candidate may cite: its id, both labels and its unit."""

    id: str
    label_vi: str
    label_en: str
    unit: str


@dataclass(frozen=True)
class SubjectChoice:
    """A place or organisation an observation may be about (``kind`` as its table says)."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class CodeChoice:
    """A unit or qualifier code of ``codes.csv``."""

    id: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Choices:
    """Every list the review page offers; empty lists are allowed (free typing still works).

    >>> Choices().indicators
    ()
    """

    indicators: tuple[IndicatorChoice, ...] = ()
    subjects: tuple[SubjectChoice, ...] = ()
    units: tuple[CodeChoice, ...] = ()
    qualifiers: tuple[CodeChoice, ...] = ()


def load_choices(data_dir: Path) -> Choices:
    """The choices of the curated tables under ``data_dir`` (bad tables raise InputError)."""
    data_dir = Path(data_dir)
    indicators = tuple(
        IndicatorChoice(i.id, i.label_vi, i.label_en, i.unit) for i in indicator_catalogue(data_dir)
    )
    subjects: list[SubjectChoice] = []
    for table in ("places", "organisations"):
        spec = SPECS[table]
        for row in load_table(spec, data_dir / spec.path):
            subjects.append(SubjectChoice(row["id"], row["name_vi"], row["kind"]))
    codes = load_table(SPECS["codes"], data_dir / SPECS["codes"].path)

    def scheme(name: str) -> tuple[CodeChoice, ...]:
        return tuple(
            CodeChoice(r["id"], r["label_vi"], r["label_en"]) for r in codes if r["scheme"] == name
        )

    return Choices(indicators, tuple(subjects), scheme("unit"), scheme("qualifier"))
