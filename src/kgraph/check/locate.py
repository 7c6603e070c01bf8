"""Validation results pointed back at the curated rows they come from: file, row, column.

Every instance IRI ends in the id of the row it was built from
(``<base>/id/observation/001-02`` is row ``001-02`` of an observation table), and
each predicate comes from one column of its table; so a result about a curated
fact can name the cell to fix, not only an IRI.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kgraph.check.report import ValidationReport
from kgraph.curate.dataset import Dataset
from kgraph.graph.namespaces import (
    KG,
    PREFIXES,
    RDFS,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SKOS,
    Iris,
)

#: predicate (as the report writes it) -> the column of the curated table it is built from
COLUMNS: dict[str, str] = {
    str(SDMX_MEASURE.obsValue): "value",
    str(KG.valueText): "value",
    str(KG.upperValue): "value_max",
    str(KG.denominator): "denominator",
    str(KG.indicator): "indicator",
    str(SDMX_DIMENSION.refArea): "subject",
    str(KG.refOrganisation): "subject",
    str(SDMX_DIMENSION.refPeriod): "period",
    str(KG.qualifier): "qualifier",
    str(RDFS.label): "name_vi",
    str(SKOS.prefLabel): "name_vi",
}


def locate(
    report: ValidationReport, dataset: Dataset, iris: Iris | None = None
) -> ValidationReport:
    """``report`` with each result's ``location`` (and ``value_location``) filled in.

    Results about nodes no curated row made (the ontology, derived periods)
    keep no location. Consistency rules compare numbers, so a result on an
    observation without a path points at its ``value`` column.
    """
    prefix = (iris or Iris()).prefix
    results = []
    for result in report.results:
        column = _column(result.path)
        results.append(
            dataclasses.replace(
                result,
                location=_where(result.focus, column, dataset, prefix),
                value_location=_where(result.value, "value", dataset, prefix),
            )
        )
    return dataclasses.replace(report, results=tuple(results))


def _column(path: str | None) -> str | None:
    """The column a result's path (a prefixed name or an IRI) comes from."""
    if path is None:
        return None
    prefix, sep, local = path.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        path = str(PREFIXES[prefix]) + local
    return COLUMNS.get(path)


def _where(node: str | None, column: str | None, dataset: Dataset, prefix: str) -> str | None:
    if not node or not node.startswith(prefix):
        return None
    row = dataset.entities.get(node.rstrip("/").rsplit("/", 1)[-1])
    if row is None:
        return None
    if column is None and row.table == "observations":
        column = "value"
    shown = _shown(row.path)
    return f"{shown}, row {row.line}" + (f", column {column}" if column else "")


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


__all__ = ["COLUMNS", "locate"]
