"""The indicator catalogue: what a curator can cite, searchable without a built graph.

Reads ``indicators.csv`` and ``codes.csv`` only (a fraction of a second), so a
curator can look up an indicator while writing an observation table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgraph.curate.tables import SPECS, load_table
from kgraph.curate.vn import fold
from kgraph.errors import InputError


@dataclass(frozen=True)
class Indicator:
    """One indicator as a curator needs it: id, labels, unit, category, definition."""

    id: str
    label_vi: str
    label_en: str
    unit: str
    symbol: str
    category: str
    definition: str


def indicator_catalogue(
    data_dir: Path, search: str | None = None, category: str | None = None
) -> list[Indicator]:
    """Indicators whose id, labels or definition contain ``search`` (diacritics ignored).

    ``category`` keeps one category (an id of scheme ``category`` in codes.csv).
    """
    data_dir = Path(data_dir)
    codes = load_table(SPECS["codes"], data_dir / SPECS["codes"].path)
    symbols = {r["id"]: r["symbol"] or r["label_en"] for r in codes if r["scheme"] == "unit"}
    categories = sorted(r["id"] for r in codes if r["scheme"] == "category")
    if category is not None and category not in categories:
        raise InputError(f"no category {category!r} (categories: {', '.join(categories)})")
    wanted = fold(search) if search else ""
    found = []
    for row in load_table(SPECS["indicators"], data_dir / SPECS["indicators"].path):
        if category is not None and row["category"] != category:
            continue
        keys = (row["id"], row["label_vi"], row["label_en"], row["definition"])
        if wanted and not any(wanted in fold(k) for k in keys):
            continue
        found.append(
            Indicator(
                row["id"],
                row["label_vi"],
                row["label_en"],
                row["unit"],
                symbols.get(row["unit"], row["unit"]),
                row["category"],
                row["definition"],
            )
        )
    return found
