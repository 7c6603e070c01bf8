"""Bad curated input: every case gives one clear error naming file, row and column.

Each test breaks a private copy of the shipped data in one way, as a
researcher editing the tables might, and checks the exact error.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgraph.curate.dataset import load_dataset
from kgraph.curate.tables import SPECS, load_table
from kgraph.errors import InputError

POM_LOT = "observations/001_a26cdb5e4219828f.csv"


def _edit(data: Path, table: str, row_id: str, column: str, value: str, key: str = "id") -> int:
    """Set one cell of a curated CSV; return the row's line number."""
    path = data / "curated" / table
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0].keys())
    line = next(i for i, r in enumerate(rows, start=2) if r[key] == row_id)
    rows[line - 2][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return line


def _error(data: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_dataset(data)
    message = str(info.value)
    assert "\n" not in message
    return info.value


def test_shipped_data_loads(data_dir: Path) -> None:
    data = load_dataset(data_dir)
    assert data.table("observations")
    assert set(data.texts) == {r["id"] for r in data.table("sources")}


def test_unknown_reference(data_copy: Path) -> None:
    line = _edit(data_copy, POM_LOT, "001-05", "subject", "dang-bo-xa-khong-co")
    err = _error(data_copy)
    assert (err.path.name, err.row, err.column) == ("001_a26cdb5e4219828f.csv", line, "subject")
    assert "unknown reference 'dang-bo-xa-khong-co'" in str(err)


def test_reference_to_the_wrong_kind_of_entity(data_copy: Path) -> None:
    line = _edit(
        data_copy, "organisations.csv", "chi-bo-ban-pa-kin-1", "leads", "dang-bo-xa-na-tong"
    )
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "leads")
    assert "it is a row of organisations" in str(err)


def test_unparseable_number(data_copy: Path) -> None:
    line = _edit(data_copy, POM_LOT, "001-19", "value", "10.37")
    err = _error(data_copy)
    assert (err.path.name, err.row, err.column) == ("001_a26cdb5e4219828f.csv", line, "value")
    assert "not a Vietnamese number: '10.37'" in str(err)


def test_value_not_written_in_its_quote(data_copy: Path) -> None:
    line = _edit(data_copy, POM_LOT, "001-05", "value", "210")
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "value")
    assert "value '210' is not written in the quote" in str(err)


def test_unparseable_date(data_copy: Path) -> None:
    line = _edit(data_copy, POM_LOT, "001-22", "period", "31/6/2017")
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "period")
    assert "no such date: '31/6/2017'" in str(err)


def test_unparseable_publication_stamp(data_copy: Path) -> None:
    line = _edit(data_copy, "../sources.csv", "000_ae26940861c8c0fd", "published", "hôm qua")
    err = _error(data_copy)
    assert (err.path.name, err.row, err.column) == ("sources.csv", line, "published")


def test_quote_not_found_in_source(data_copy: Path) -> None:
    # The article writes "Pom Lótđã" with no space: a "corrected" quote must fail.
    line = _edit(
        data_copy,
        POM_LOT,
        "001-13",
        "quote",
        "Đảng bộ xã Pom Lót đã 3 năm liền đạt trong sạch vững mạnh",
    )
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "quote")
    assert "quote not found in source 001_a26cdb5e4219828f" in str(err)


def test_duplicate_id_across_tables(data_copy: Path) -> None:
    line = _edit(data_copy, "people.csv", "trieu-mai", "id", "xa-pom-lot")
    err = _error(data_copy)
    assert (err.path.name, err.row, err.column) == ("people.csv", line, "id")
    assert "duplicate id 'xa-pom-lot' (first used in places.csv row" in str(err)


def test_missing_required_column(data_copy: Path) -> None:
    path = data_copy / "curated" / "people.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    path.write_text(
        "\n".join(",".join(f'"{c}"' for c in r[:4] + r[5:]) for r in rows) + "\n", encoding="utf-8"
    )
    err = _error(data_copy)
    assert (err.path.name, err.row, err.column) == ("people.csv", 1, "quote")
    assert "missing required column 'quote'" in str(err)


def test_required_cell_empty(data_copy: Path) -> None:
    line = _edit(data_copy, POM_LOT, "001-05", "indicator", "")
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "indicator")
    assert "required cell is empty" in str(err)


def test_wrong_encoding(data_copy: Path) -> None:
    path = data_copy / "curated" / "people.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1258", errors="replace"))
    err = _error(data_copy)
    assert err.path is not None and err.path.name == "people.csv"
    assert "not UTF-8" in str(err)


def test_text_not_in_nfc(data_copy: Path) -> None:
    import unicodedata

    line = _edit(
        data_copy,
        "people.csv",
        "lo-van-phong",
        "name",
        unicodedata.normalize("NFD", "Lò Văn Phong"),
    )
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "name")
    assert "NFC" in str(err)


def test_official_code_must_match_the_gso_list(data_copy: Path) -> None:
    # 03356 is Pom Lót in the 2024 list; giving it to Na Tông must fail.
    line = _edit(data_copy, "places.csv", "xa-na-tong", "gso_code", "03356")
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "name_vi")
    assert "'Pom Lót' for code 03356" in str(err)


def test_official_parent_must_match_the_gso_list(data_copy: Path) -> None:
    line = _edit(data_copy, "places.csv", "xa-muong-cang", "parent", "huyen-dien-bien")
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "parent")
    assert "parent 'huyen-dien-bien' is 100 (2024)" in str(err)
    assert "official parent of 03631 in admin-units/units-2024.csv is 110 (2024)" in str(err)
    assert "or leave parent empty to take the official one" in str(err)


def test_an_empty_parent_takes_the_official_one(data_copy: Path) -> None:
    from kgraph.graph.build import build_graph
    from kgraph.graph.namespaces import KG, Iris

    _edit(data_copy, "places.csv", "xa-muong-cang", "parent", "")
    iris = Iris()
    graph = build_graph(load_dataset(data_copy), iris)
    # xã Mường Cang (03631) is in huyện Than Uyên (110) in the 2024 list
    assert graph.value(iris.unit("commune", "2024", "03631"), KG.partOf) == iris.unit(
        "district", "2024", "110"
    )


def test_a_gso_code_needs_its_vintage(data_copy: Path) -> None:
    line = _edit(data_copy, "places.csv", "xa-pom-lot", "vintage", "")
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "vintage")
    assert "a GSO code needs its vintage" in str(err)


def test_a_village_has_no_vintage(data_copy: Path) -> None:
    line = _edit(data_copy, "places.csv", "ban-pa-kin-1", "vintage", "2024")
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "vintage")
    assert "a village has no vintage" in str(err)


def test_the_english_name_is_the_name_and_the_type(data_copy: Path) -> None:
    line = _edit(data_copy, "places.csv", "xa-pom-lot", "name_en", "Pom Lot commune")
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "name_en")
    assert "'Pom Lót Commune'" in str(err)


def test_parent_cycle(data_copy: Path) -> None:
    _edit(data_copy, "organisations.csv", "dang-bo-huyen-dien-bien", "parent", "dang-bo-xa-na-tong")
    err = _error(data_copy)
    assert err.column == "parent"
    assert "loops back" in str(err)


def test_range_needs_an_upper_value(data_copy: Path) -> None:
    line = _edit(data_copy, "observations/000_ae26940861c8c0fd.csv", "000-07", "value_max", "")
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "value_max")


def test_observation_file_must_name_a_source(data_copy: Path) -> None:
    src = data_copy / "curated" / POM_LOT
    src.rename(src.with_name("999_unknown.csv"))
    err = _error(data_copy)
    assert err.path is not None and err.path.name == "999_unknown.csv"


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=CELL, period=CELL)
def test_any_cell_loads_or_fails_clearly(tmp_path: Path, value: str, period: str) -> None:
    """Property: whatever a researcher types into a cell, the loader never crashes."""
    path = tmp_path / "001_a26cdb5e4219828f.csv"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in SPECS["observations"].columns])
    writer.writerow(
        ["001-99", "xa-pom-lot", "planted-area", period, value, "", "", "exact", "hectare", "q", ""]
    )
    path.write_text(out.getvalue(), encoding="utf-8")
    try:
        rows = load_table(SPECS["observations"], path)
    except InputError as exc:
        assert exc.path == path and exc.row in (1, 2)
        assert "\n" not in str(exc)
        return
    assert len(rows) <= 1


# -- unit conversions ----------------------------------------------------------------------


def test_every_unit_converts_to_a_canonical_unit_of_its_dimension(data_dir: Path) -> None:
    data = load_dataset(data_dir)
    conversions = {r["unit"]: r for r in data.table("unit-conversions")}
    assert set(conversions) == set(data.codes["unit"])
    for row in conversions.values():
        canonical = conversions[row["canonical"]]
        assert canonical["canonical"] == canonical["unit"] and canonical["factor"] == 1
        assert canonical["dimension"] == row["dimension"]


def test_a_conversion_to_another_dimension_is_refused(data_copy: Path) -> None:
    table = "unit-conversions.csv"
    line = _edit(data_copy, table, "million-vnd", "canonical", "tonne", key="unit")
    err = _error(data_copy)
    assert (err.path.name, err.row, err.column) == (table, line, "dimension")
    assert "differs from its canonical unit's ('mass')" in str(err)


def test_a_canonical_unit_must_be_its_own(data_copy: Path) -> None:
    table = "unit-conversions.csv"
    _edit(data_copy, table, "vnd", "factor", "10", key="unit")
    err = _error(data_copy)
    assert err.path.name == table and err.column == "canonical"
    assert "must convert to itself with factor 1" in str(err)


def test_a_unit_without_a_conversion_is_named(data_copy: Path) -> None:
    path = data_copy / "curated" / "unit-conversions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not x.startswith("pill,")), encoding="utf-8")
    err = _error(data_copy)
    assert err.path.name == "codes.csv" and err.column == "id"
    assert "unit 'pill' has no row in curated/unit-conversions.csv" in str(err)


def test_a_factor_must_be_positive(data_copy: Path) -> None:
    table = "unit-conversions.csv"
    line = _edit(data_copy, table, "billion-vnd", "factor", "0", key="unit")
    err = _error(data_copy)
    assert (err.path.name, err.row, err.column) == (table, line, "factor")
