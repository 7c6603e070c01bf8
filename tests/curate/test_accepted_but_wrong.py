"""Regression tests for inputs the fuzzing audit found accepted although wrong (issue 13).

One test per class: each breaks a private copy of the shipped data the way the
audit did and checks the exact one-line error (file, row, column where there is
one). Before the fix every one of these built.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kgraph.curate.dataset import load_dataset
from kgraph.errors import InputError
from tests.curate.test_dataset import POM_LOT, _edit, _error

SOURCE_004 = "observations/004_5a09e7dc1d2825e6.csv"


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        ("hai", "triển khai phong trào toàn dân"),  # hai inside khai
        ("chín", "chính trị"),  # chín inside chính
        ("Năm", "Năm 2007"),  # a year, not five
        ("một", "một số"),  # "some", not one
    ],
)
def test_numeral_words_count_only_as_whole_numerals(
    data_copy: Path, value: str, quote: str
) -> None:
    text = (data_copy / "sources" / "004_5a09e7dc1d2825e6.txt").read_text(encoding="utf-8")
    if quote not in text:  # put the phrase into the article so only the value check can fail
        path = data_copy / "sources" / "004_5a09e7dc1d2825e6.txt"
        path.write_text(text + "\n" + quote + "\n", encoding="utf-8")
    line = _edit(data_copy, SOURCE_004, "004-06", "value", value)
    _edit(data_copy, SOURCE_004, "004-06", "quote", quote)
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "value")
    assert f"value {value!r} is not written in the quote" in str(err)


def test_a_numeral_word_used_as_one_still_counts(data_copy: Path) -> None:
    assert load_dataset(data_copy).table("observations")  # 004-06: "tại hai xã" is 2


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x07", "U+0007"),
        ("\ufffe", "U+FFFE"),
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
    ],
)
def test_controls_noncharacters_and_bidi_overrides_are_refused(
    data_copy: Path, char: str, name: str
) -> None:
    line = _edit(data_copy, "places.csv", "xa-pom-lot", "name_en", f"Pom{char}Lót Commune")
    err = _error(data_copy)
    assert (err.path.name, err.row, err.column) == ("places.csv", line, "name_en")
    assert name in str(err)


def test_bidi_override_in_a_source_text_is_refused(data_copy: Path) -> None:
    path = data_copy / "sources" / "000_ae26940861c8c0fd.txt"
    path.write_text(path.read_text(encoding="utf-8") + "gnp\u202e.exe\n", encoding="utf-8")
    err = _error(data_copy)
    assert err.path == path and "RIGHT-TO-LEFT OVERRIDE" in str(err)


@pytest.mark.parametrize("name", ["Pom Lọt", "POM LÓT", "Pom lót"])
def test_official_names_must_match_exactly(data_copy: Path, name: str) -> None:
    line = _edit(data_copy, "places.csv", "xa-pom-lot", "name_vi", name)
    err = _error(data_copy)
    assert (err.row, err.column) == (line, "name_vi")
    assert "does not match the official 'Pom Lót'" in str(err)


@pytest.mark.parametrize("new_name", ["001_a26cdb5e4219828f.CSV", "001_a26cdb5e4219828f.csv.bak"])
def test_no_file_in_observations_is_skipped_silently(data_copy: Path, new_name: str) -> None:
    folder = data_copy / "curated" / "observations"
    shutil.move(folder / "001_a26cdb5e4219828f.csv", folder / new_name)
    err = _error(data_copy)
    assert err.path == folder / new_name
    assert "only <source id>.csv files belong here" in str(err)


def test_a_folder_in_observations_is_refused(data_copy: Path) -> None:
    (data_copy / "curated" / "observations" / "old").mkdir()
    assert "unexpected folder" in str(_error(data_copy))


def test_a_file_cut_inside_its_last_cell(data_copy: Path) -> None:
    path = data_copy / "curated" / POM_LOT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n")[:-5], encoding="utf-8")
    err = _error(data_copy)
    assert err.path == path and "does not end with a line break" in str(err)
    assert err.row == text.rstrip("\n").count("\n") + 1


def test_inputerror_is_one_line(data_copy: Path) -> None:
    _edit(data_copy, "places.csv", "xa-pom-lot", "name_en", "a\x00b")
    with pytest.raises(InputError) as info:
        load_dataset(data_copy)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("table", "row_id", "column", "value", "message"),
    [
        (POM_LOT, "001-05", "period", "２０１６", "not a date or period"),
        (POM_LOT, "001-05", "period", "٢٠١٦", "not a date or period"),
        (
            "../sources.csv",
            "001_a26cdb5e4219828f",
            "published",
            "05/07/2017\u00a008:57 AM",
            "not a date",
        ),
        ("places.csv", "xa-pom-lot", "id", "xa_pom_lot", "not a valid id 'xa_pom_lot'"),
    ],
)
def test_only_the_documented_forms(
    data_copy: Path, table: str, row_id: str, column: str, value: str, message: str
) -> None:
    line = _edit(data_copy, table, row_id, column, value)
    err = _error(data_copy)
    assert (err.row, err.column) == (line, column)
    assert message in str(err)


def test_a_long_id_is_not_echoed_whole(data_copy: Path) -> None:
    _edit(data_copy, "places.csv", "xa-pom-lot", "id", "x" * 4_999 + "_")
    message = str(_error(data_copy))
    assert len(message) < 400 and "(5000 characters)" in message
