"""Spreadsheet tables: the observations table, the byte-order mark, codes and the .xlsx workbook.

Expected values come from the graph through rdflib's triple API (not SPARQL) or
from the curated CSV tables read with the csv module, never from the export
code; files are read back with the csv module, pandas and openpyxl.
"""

from __future__ import annotations

import csv
import doctest
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

import kgraph.publish.tables as tables_module
from kgraph.cli import main
from kgraph.errors import InputError, OutputError
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import (
    DCTERMS,
    KG,
    OA,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SKOS,
    XSD,
    Iris,
)
from kgraph.publish.tables import BOM, CSV_TABLES, XLSX_MEDIA_TYPE, Table, xlsx_file
from kgraph.publish.writers import export
from kgraph.sparql import LocalGraph, StoreEngine, load_query, run_query

IRIS = Iris()


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def _local(term: Node) -> str:
    return str(term).rsplit("/", 1)[-1]


def _one(graph: Graph, node: Node, prop: URIRef) -> Node:
    values = list(graph.objects(node, prop))
    assert len(values) == 1, (node, prop, values)
    return values[0]


def _lang(graph: Graph, node: Node, prop: URIRef, lang: str) -> str:
    found = [
        str(v) for v in graph.objects(node, prop) if isinstance(v, Literal) and v.language == lang
    ]
    assert len(found) <= 1, (node, prop, found)
    return found[0] if found else ""


@pytest.fixture(scope="module")
def plain(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CSV tables as `kgraph export --format csv` writes them, and the workbook."""
    out = tmp_path_factory.mktemp("tables")
    export(graph, "csv", out)
    export(graph, "xlsx", out)
    return out


@pytest.fixture(scope="module")
def with_bom(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables-bom")
    export(graph, "csv", out, bom=True)
    return out


@pytest.fixture(scope="module")
def observation_rows(plain: Path) -> dict[str, dict[str, str]]:
    rows = _rows(plain / "csv" / "observations.csv")
    keyed = {r["observation"]: r for r in rows}
    assert len(keyed) == len(rows), "an observation appears twice"
    return keyed


@pytest.fixture(scope="module")
def curated(data_dir: Path) -> dict[str, dict[str, dict[str, str]]]:
    """The curated tables by id: observations (with their source), places, organisations, ..."""
    cur = data_dir / "curated"
    observations = {
        r["id"]: dict(r, source=p.stem)
        for p in sorted((cur / "observations").glob("*.csv"))
        for r in _rows(p)
    }
    return {
        "observations": observations,
        "places": {r["id"]: r for r in _rows(cur / "places.csv")},
        "organisations": {r["id"]: r for r in _rows(cur / "organisations.csv")},
        "indicators": {r["id"]: r for r in _rows(cur / "indicators.csv")},
        "sources": {r["id"]: r for r in _rows(data_dir / "sources.csv")},
    }


# -- the observations table ---------------------------------------------------------------


def test_every_observation_of_the_graph_appears_once(
    graph: Graph, observation_rows: dict[str, dict[str, str]]
) -> None:
    in_graph = {_local(o) for o in graph.subjects(RDF.type, QB.Observation)}
    assert set(observation_rows) == in_graph
    assert in_graph, "the shipped graph has observations"


def test_each_row_says_what_the_graph_says(
    graph: Graph, observation_rows: dict[str, dict[str, str]]
) -> None:
    for obs in graph.subjects(RDF.type, QB.Observation):
        row = observation_rows[_local(obs)]
        subject = graph.value(obs, SDMX_DIMENSION.refArea) or graph.value(obs, KG.refOrganisation)
        assert subject is not None
        assert row["entity"] == _local(subject)
        assert row["entity_label_vi"] == _lang(graph, subject, RDFS.label, "vi")
        evidence = _one(graph, obs, KG.evidence)
        selector = _one(graph, evidence, OA.hasSelector)
        assert row["quote"] == str(_one(graph, selector, OA.exact))
        source = _one(graph, evidence, OA.hasSource)
        assert row["source"] == _local(source)
        assert row["source_title_vi"] == _lang(graph, source, DCTERMS.title, "vi")
        assert row["source_title_en"] == _lang(graph, source, DCTERMS.title, "en")
        value = _one(graph, obs, SDMX_MEASURE.obsValue)
        assert Decimal(row["value"]) == Decimal(str(value))
        assert row["value_text"] == str(_one(graph, obs, KG.valueText))
        assert row["unit"] == _local(_one(graph, obs, SDMX_ATTRIBUTE.unitMeasure))
        assert row["qualifier"] == _local(_one(graph, obs, KG.qualifier))
        indicator = _one(graph, obs, KG.indicator)
        assert row["indicator"] == _local(indicator)
        assert row["indicator_label_vi"] == _lang(graph, indicator, SKOS.prefLabel, "vi")
        period = _one(graph, obs, SDMX_DIMENSION.refPeriod)
        start, end = graph.value(period, KG.startDate), graph.value(period, KG.endDate)
        assert row["period"] == _local(period)
        assert row["period_start"] == ("" if start is None else str(start))
        assert row["period_end"] == ("" if end is None else str(end))
        same_year = start is not None and end is not None and str(start)[:4] == str(end)[:4]
        assert row["period_year"] == (str(start)[:4] if same_year else "")


def test_kind_code_and_list_come_from_the_curated_subject(
    observation_rows: dict[str, dict[str, str]],
    curated: dict[str, dict[str, dict[str, str]]],
) -> None:
    """entity_kind is the curated row's kind; a unit's code keeps its zeros and its list."""
    kinds_seen = set()
    for obs_id, obs in curated["observations"].items():
        row = observation_rows[obs_id]
        subject = curated["places"].get(obs["subject"]) or curated["organisations"][obs["subject"]]
        assert row["entity_kind"] == subject["kind"], obs_id
        kinds_seen.add(subject["kind"])
        is_unit = subject["kind"] in ("province", "district", "commune") and subject.get("gso_code")
        assert row["gso_code"] == (subject["gso_code"] if is_unit else ""), obs_id
        assert row["vintage"] == (subject["vintage"] if is_unit else ""), obs_id
        assert row["value_text"] == obs["value"], obs_id  # as printed in the curated table
        assert row["quote"] == obs["quote"], obs_id
        assert row["source"] == obs["source"], obs_id
        assert row["source_title_vi"] == curated["sources"][obs["source"]]["title"], obs_id
        assert row["indicator_label_vi"] == curated["indicators"][obs["indicator"]]["label_vi"]
    assert len(kinds_seen) > 1, "the shipped data has observations on places and organisations"


def test_codes_with_leading_zeros_read_back_with_pandas_as_documented(plain: Path) -> None:
    path = plain / "csv" / "observations.csv"
    written = [r["gso_code"] for r in _rows(path)]
    zeros = {c for c in written if c.startswith("0")}
    assert zeros, "the shipped data has codes with a leading zero (03356, Pom Lót)"
    as_text = pd.read_csv(path, dtype={"gso_code": str}, keep_default_na=False)
    assert list(as_text["gso_code"]) == written
    every_column = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(every_column["gso_code"]) == written
    guessed = pd.read_csv(path)  # why the docs say dtype: pandas guesses numbers otherwise
    assert not zeros & {str(v) for v in guessed["gso_code"]}


def test_export_queries_answer_the_same_on_rdflib_and_the_store(
    graph: Graph, built_store: GraphStore, resources_queries: Path
) -> None:
    for name in CSV_TABLES:
        q = load_query(str(resources_queries / f"{name}.rq"))
        on_rdflib = run_query(q, {}, LocalGraph(graph), IRIS)
        on_store = run_query(q, {}, StoreEngine(built_store), IRIS)
        assert on_store.variables == on_rdflib.variables, name
        assert on_rdflib.rows, name
        assert on_store.comparable() == on_rdflib.comparable(), name


@pytest.fixture(scope="module")
def resources_queries() -> Path:
    from kgraph import resources

    return resources.queries_dir() / "export"


# -- byte-order mark ----------------------------------------------------------------------


def test_csv_has_no_bom_unless_asked(plain: Path, with_bom: Path) -> None:
    for name in CSV_TABLES:
        default = (plain / "csv" / f"{name}.csv").read_bytes()
        marked = (with_bom / "csv" / f"{name}.csv").read_bytes()
        assert not default.startswith(BOM), name
        assert marked.startswith(BOM) and not marked[len(BOM) :].startswith(BOM), name
        assert marked[len(BOM) :] == default, name


def test_bom_tables_read_back_with_utf8_sig(plain: Path, with_bom: Path) -> None:
    path = with_bom / "csv" / "observations.csv"
    assert _rows(path, encoding="utf-8-sig") == _rows(plain / "csv" / "observations.csv")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert frame.columns[0] == "observation"  # the BOM is not part of the first name
    assert "Đảng bộ xã Pom Lót" in set(frame["entity_label_vi"])


def test_bom_is_refused_for_other_formats(graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="csv format only"):
        export(graph, "turtle", tmp_path, bom=True)
    assert not any(tmp_path.iterdir())


# -- the workbook -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(plain: Path) -> Iterator[Any]:
    wb = openpyxl.load_workbook(plain / "kgraph.xlsx")
    yield wb
    wb.close()


def test_workbook_has_one_sheet_per_table_with_the_csv_header_frozen(
    book: Any, plain: Path
) -> None:
    assert book.sheetnames == list(CSV_TABLES)
    for name in CSV_TABLES:
        sheet = book[name]
        with (plain / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert [c.value for c in sheet[1]] == header, name
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref is not None, name


def _same_cell(xlsx: Any, text: str) -> bool:
    """Whether a workbook cell holds what the CSV cell says, typed."""
    if text == "":
        return xlsx is None
    if isinstance(xlsx, bool):
        return text == ("true" if xlsx else "false")
    if isinstance(xlsx, int | float):
        return Decimal(text) == Decimal(str(xlsx)) or abs(float(text) - xlsx) < 1e-9
    if isinstance(xlsx, datetime):
        return text.startswith(xlsx.date().isoformat()) and (
            len(text) == 10 or datetime.fromisoformat(text) == xlsx
        )
    return isinstance(xlsx, str) and (xlsx == text or "'" + xlsx == text)


def test_every_workbook_cell_is_its_csv_cell_typed(book: Any, plain: Path) -> None:
    for name in CSV_TABLES:
        rows = list(csv.reader((plain / "csv" / f"{name}.csv").open(encoding="utf-8", newline="")))
        sheet_rows = list(book[name].iter_rows(min_row=2, values_only=True))
        assert len(sheet_rows) == len(rows) - 1, name
        for csv_row, xlsx_row in zip(rows[1:], sheet_rows, strict=True):
            for column, text, value in zip(rows[0], csv_row, xlsx_row, strict=True):
                assert _same_cell(value, text), (name, column, text, value)


def test_workbook_types_values_dates_and_codes(book: Any, graph: Graph) -> None:
    sheet = book["observations"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    observations = {_local(o): o for o in graph.subjects(RDF.type, QB.Observation)}
    codes = 0
    for cells in sheet.iter_rows(min_row=2):
        obs = observations[cells[col["observation"]].value]
        value = cells[col["value"]]
        assert value.data_type == "n" and isinstance(value.value, int | float)
        assert Decimal(str(value.value)) == Decimal(str(graph.value(obs, SDMX_MEASURE.obsValue)))
        text = cells[col["value_text"]]
        assert text.data_type == "s", "the value as printed stays text (10,37)"
        code = cells[col["gso_code"]]
        if code.value is not None:
            assert code.data_type == "s" and isinstance(code.value, str)
            codes += code.value.startswith("0")
        start = cells[col["period_start"]]
        period = graph.value(obs, SDMX_DIMENSION.refPeriod)
        expected = graph.value(period, KG.startDate)
        if expected is None:
            assert start.value is None
        else:
            assert start.is_date and start.value.date() == expected.toPython()
        quote = cells[col["quote"]]
        assert quote.data_type == "s"
    assert codes, "a code with a leading zero is kept as text (03356)"


def test_workbook_bytes_are_the_same_every_time(graph: Graph, plain: Path, tmp_path: Path) -> None:
    export(graph, "xlsx", tmp_path)
    assert (tmp_path / "kgraph.xlsx").read_bytes() == (plain / "kgraph.xlsx").read_bytes()
    with zipfile.ZipFile(plain / "kgraph.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_workbook_creation_time_is_the_latest_publication(book: Any, graph: Graph) -> None:
    issued = [
        v.toPython()
        for s in graph.subjects(RDF.type, KG.SourceArticle)
        for v in graph.objects(s, DCTERMS.issued)
        if isinstance(v, Literal) and v.datatype == XSD.dateTime
    ]
    assert issued
    assert book.properties.created == max(issued)


def test_workbook_cells_from_a_tiny_table() -> None:
    """Edge cases typed on a fixture: what a cell cannot hold stays text, formulas stay text."""
    cells: tuple[Node | None, ...] = (
        Literal("03356", datatype=KG.gso2024),
        Literal("12.5", datatype=XSD.decimal),
        Literal(str(2**60), datatype=XSD.integer),
        Literal("true", datatype=XSD.boolean),
        Literal("1890-05-01", datatype=XSD.date),
        Literal(datetime(2017, 7, 5, 8, 57, tzinfo=UTC)),
        Literal('=HYPERLINK("http://evil.example","x")', lang="en"),
        IRIS.id("commune", "2024-03356"),
        None,
        Literal("2016-01-01", datatype=XSD.date),
    )
    columns = tuple(f"c{i}" for i in range(len(cells)))
    data = xlsx_file([Table("t", columns, (cells,))], IRIS)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    row = next(wb["t"].iter_rows(min_row=2))
    assert [c.data_type for c in row[:4]] == ["s", "n", "s", "b"]
    assert [c.value for c in row[:4]] == ["03356", 12.5, str(2**60), True]
    assert row[4].value == "1890-05-01" and row[4].data_type == "s"
    assert row[5].value == "2017-07-05T08:57:00+00:00" and row[5].data_type == "s"
    assert row[6].data_type == "s" and row[6].value.startswith("=HYPERLINK")
    assert row[7].value == "2024-03356"
    assert row[8].value is None
    assert row[9].is_date and row[9].value.date() == date(2016, 1, 1)
    assert wb.properties.created == datetime(1980, 1, 1)  # no sources table: the zip epoch


def test_docstring_examples_run() -> None:
    result = doctest.testmod(tables_module)
    assert result.failed == 0
    assert result.attempted > 0


# -- the command and the release ----------------------------------------------------------


def test_cli_export_bom_and_xlsx(built_ttl: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["export", "--input", str(built_ttl), "--out", str(tmp_path)]
    result = runner.invoke(main, [*args, "--format", "csv", "--bom"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "observations.csv").read_bytes().startswith(BOM)
    result = runner.invoke(main, [*args, "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(tmp_path / "kgraph.xlsx")
    result = runner.invoke(main, [*args, "--format", "nquads", "--bom"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "csv" in result.output


def test_release_ships_the_workbook_with_its_checksum(graph: Graph, tmp_path: Path) -> None:
    import json

    from kgraph.publish.release import make_release

    out = tmp_path / "release"
    make_release(graph, out)
    data = (out / "kgraph.xlsx").read_bytes()
    sums = {
        name: digest
        for digest, name in (
            line.split("  ", 1)
            for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
        )
    }
    assert sums["kgraph.xlsx"] == hashlib.sha256(data).hexdigest()
    entries = {f["path"]: f for f in json.loads((out / "manifest.json").read_bytes())["files"]}
    assert entries["kgraph.xlsx"]["media_type"] == XLSX_MEDIA_TYPE
    assert entries["kgraph.xlsx"]["bytes"] == len(data)


def test_a_damaged_workbook_is_not_released(
    graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kgraph.publish.release as release_module

    real_export = release_module.export_formats

    def damage(*args: Any, **kwargs: Any) -> dict[str, list[Path]]:
        written = real_export(*args, **kwargs)
        for path in written["xlsx"]:
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as archive:
                    info = archive.getinfo("xl/worksheets/sheet1.xml")
                data = bytearray(path.read_bytes())
                start = info.header_offset + 30 + len(info.filename) + len(info.extra)
                data[start + info.compress_size // 2] ^= 0xFF  # one flipped byte of a sheet
                path.write_bytes(bytes(data))
        return written

    monkeypatch.setattr(release_module, "export_formats", damage)
    with pytest.raises(OutputError, match="does not read back") as err:
        release_module.make_release(graph, tmp_path / "release")
    assert err.value.path is not None and err.value.path.name == "kgraph.xlsx"
    assert not (tmp_path / "release").exists()


def test_integrators_doc_lists_each_tables_columns(plain: Path) -> None:
    """docs/integrators.md's table of tables says the columns the files have."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "integrators.md").read_text("utf-8")
    for name in CSV_TABLES:
        line = re.search(rf"^\| `{name}\.csv` \| [^|]+ \| ([^|]+) \|$", doc, re.M)
        assert line, f"docs/integrators.md has no row for {name}.csv"
        with (plain / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert line.group(1).split(", ") == header, name
