"""Findings about curated facts name the file, row and column to fix (issue 13)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kgraph.check import GraphViolations, validate_graph
from kgraph.check.locate import locate
from kgraph.cli import main
from kgraph.curate.dataset import Dataset
from kgraph.pipeline import build_to_file

POM_LOT = "001_a26cdb5e4219828f"
THANH_LUONG = "000_ae26940861c8c0fd"


def _line_of(path: Path, row_id: str) -> int:
    """The line of the CSV file on which the row with ``row_id`` starts."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            if row["id"] == row_id:
                return reader.line_num
    raise AssertionError(f"no row {row_id} in {path}")


def test_the_shipped_warning_names_both_rows(graph: Graph, dataset: Dataset) -> None:
    report = locate(validate_graph(graph), dataset)
    table = dataset.data_dir / "curated" / "observations" / f"{POM_LOT}.csv"
    by_focus = {r.focus.rsplit("/", 1)[-1]: r for r in report.warnings}
    part = by_focus["001-07"]
    assert part.location is not None and part.value_location is not None
    assert part.location.endswith(f"{POM_LOT}.csv, row {_line_of(table, '001-07')}, column value")
    assert part.value_location.endswith(f", row {_line_of(table, '001-02')}, column value")
    assert "at " + part.location in report.render("text")
    assert report.render("json").count('"location"') == len(report.results)


def test_a_violation_stops_the_build_naming_the_cell(data_copy: Path, tmp_path: Path) -> None:
    table = data_copy / "curated" / "observations" / f"{THANH_LUONG}.csv"
    text = table.read_text(encoding="utf-8")
    before = '000-10,xa-thanh-luong,poor-household-rate,current,"4,5",,,exact,percent,'
    assert before in text
    table.write_text(
        text.replace(before, '000-10,xa-thanh-luong,households,current,"4,5",,,exact,number,'),
        encoding="utf-8",
    )
    out = tmp_path / "kgraph.ttl"
    with pytest.raises(GraphViolations) as err:
        build_to_file(data_copy, out)
    line = _line_of(table, "000-10")
    assert f"{THANH_LUONG}.csv, row {line}, column value (kgsh:CountIsWhole)" in str(err.value)
    assert "the graph has 1 SHACL violation;" in str(err.value)
    assert not out.exists()


def test_violation_counts_agree_between_header_and_error(data_copy: Path, tmp_path: Path) -> None:
    table = data_copy / "curated" / "observations" / f"{THANH_LUONG}.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(
        text.replace(
            '000-10,xa-thanh-luong,poor-household-rate,current,"4,5",,,exact,percent,',
            '000-10,xa-thanh-luong,households,current,"4,5",,,exact,number,',
        ),
        encoding="utf-8",
    )
    with pytest.raises(GraphViolations) as err:
        build_to_file(data_copy, tmp_path / "kgraph.ttl")
    header = err.value.report.render("text").splitlines()[0]
    assert header.endswith("1 violation(s), 4 warning(s)")
    assert "1 SHACL violation;" in str(err.value)


def test_cli_validate_names_rows_unless_asked_not_to(built_ttl: Path) -> None:
    with_rows = CliRunner().invoke(main, ["validate", str(built_ttl)])
    without = CliRunner().invoke(main, ["validate", str(built_ttl), "--no-rows"])
    assert with_rows.exit_code == without.exit_code == 0
    assert f"{POM_LOT}.csv, row " in with_rows.output
    assert ".csv, row " not in without.output


def test_an_ill_typed_value_is_named_before_any_rule_runs(graph: Graph) -> None:
    """A non-numeric obsValue would break the rules (and empty an AVG elsewhere): refused first."""
    from rdflib import Literal, URIRef

    from kgraph.errors import InputError
    from kgraph.graph.namespaces import SDMX_MEASURE, XSD

    broken = Graph()
    broken += graph
    obs = URIRef("https://kgraph.example.org/id/observation/001-02")
    broken.remove((obs, SDMX_MEASURE.obsValue, None))
    broken.add((obs, SDMX_MEASURE.obsValue, Literal("23 chi", datatype=XSD.decimal)))
    with pytest.raises(InputError) as err:
        validate_graph(broken)
    assert str(err.value).startswith(f"<{obs}> <{SDMX_MEASURE.obsValue}>: '23 chi' is not a valid")
    assert "\n" not in str(err.value)
