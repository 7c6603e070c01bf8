"""Adding an article (``kgraph source add``), quotes across line breaks, ids and stamps."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.curate.catalogue import indicator_catalogue
from kgraph.curate.dataset import load_dataset
from kgraph.curate.sources import add_source, next_number
from kgraph.curate.vn import parse_datetime, parse_number
from kgraph.errors import InputError

ARTICLE = "CỔNG THÔNG TIN\nĐại hội Đảng bộ xã Thử\nXã có 12 chi bộ.\nCà\nphê đạt 1.542ha.\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _snapshot(data: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data)): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()
    }


def test_add_source_gives_the_next_number_and_the_sha256_key(
    data_copy: Path, tmp_path: Path
) -> None:
    file = _write(tmp_path / "a.txt", ARTICLE)
    key = hashlib.sha256(ARTICLE.encode()).hexdigest()[:16]
    added = add_source(
        data_copy,
        file,
        title="Đại hội Đảng bộ xã Thử",
        published="13:58 15/08/2025",
        url="https://example.org/dai-hoi",
    )
    assert added.id == f"005_{key}"
    assert (data_copy / "sources" / f"{added.id}.txt").read_bytes() == ARTICLE.encode()
    assert added.observations.read_text(encoding="utf-8").startswith("id,subject,indicator,")
    row = list(csv.DictReader(io.StringIO((data_copy / "sources.csv").read_text("utf-8"))))[-1]
    assert (row["id"], row["published"], row["url"]) == (
        added.id,
        "13:58 15/08/2025",
        "https://example.org/dai-hoi",
    )
    data = load_dataset(data_copy)
    assert added.id in data.texts
    assert data.entities[added.id]["published"].isoformat() == "2025-08-15T13:58:00"


def test_the_same_article_twice_is_refused_with_its_id(data_copy: Path, tmp_path: Path) -> None:
    seed = data_copy / "sources" / "002_d1c8e3284860da81.txt"
    with pytest.raises(InputError, match="already source 002_d1c8e3284860da81"):
        add_source(data_copy, seed)


def test_bad_input_writes_nothing(data_copy: Path, tmp_path: Path) -> None:
    file = _write(tmp_path / "a.txt", ARTICLE)
    before = _snapshot(data_copy)
    with pytest.raises(InputError) as info:
        add_source(data_copy, file, publisher="khong-co")
    err = info.value
    assert (err.path.name, err.row, err.column) == ("sources.csv", 7, "publisher")
    assert "unknown reference 'khong-co'" in str(err)
    with pytest.raises(InputError, match="not printed in the text"):
        add_source(data_copy, file, title="Một tiêu đề khác")
    with pytest.raises(InputError, match="--published: not a date: 'hôm qua'"):
        add_source(data_copy, file, published="hôm qua")
    with pytest.raises(InputError, match="not a web address"):
        add_source(data_copy, file, url="ftp://example.org/a")
    assert _snapshot(data_copy) == before


def test_a_text_not_in_nfc_is_normalised_only_when_asked(data_copy: Path, tmp_path: Path) -> None:
    decomposed = "Xa\u0303 Tha\u0301i\n"  # "Xã Thái" with combining marks
    file = _write(tmp_path / "nfd.txt", decomposed)
    with pytest.raises(InputError, match=r"not in Unicode NFC .*--nfc"):
        add_source(data_copy, file)
    added = add_source(data_copy, file, normalise=True)
    assert added.normalised and not added.titled
    assert added.text.read_text(encoding="utf-8") == "Xã Thái\n"
    assert (
        load_dataset(data_copy).entities[added.id]["note"]
        == "Normalised to Unicode NFC when added."
    )


def test_source_numbers_grow_past_three_digits() -> None:
    assert next_number(["000", "004"]) == "005"
    assert next_number(["998", "999"]) == "1000"
    assert next_number([]) == "000"


def test_a_quote_may_span_the_articles_line_breaks(data_copy: Path, tmp_path: Path) -> None:
    added = add_source(data_copy, _write(tmp_path / "a.txt", ARTICLE))
    header = added.observations.read_text(encoding="utf-8")
    row = "005-01,xa-pom-lot,planted-area,current,1.542,,,exact,hectare,Cà phê đạt 1.542ha,\n"
    added.observations.write_text(header + row, encoding="utf-8")
    data = load_dataset(data_copy)
    (obs,) = [r for r in data.table("observations") if r["id"] == "005-01"]
    assert obs["quote"] == "Cà\nphê đạt 1.542ha"  # the article's own span is what the graph keeps
    assert obs.raw["quote"] == "Cà phê đạt 1.542ha"


def test_a_quote_not_found_names_the_nearest_passage(data_copy: Path, tmp_path: Path) -> None:
    added = add_source(data_copy, _write(tmp_path / "a.txt", ARTICLE))
    header = added.observations.read_text(encoding="utf-8")
    row = "005-01,xa-pom-lot,party-cells,current,12,,,exact,number,Xã có 12 chi bộ đảng,\n"
    added.observations.write_text(header + row, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_dataset(data_copy)
    assert (info.value.row, info.value.column) == (2, "quote")
    assert "nearest passage (" in str(info.value)
    assert "'Xã có 12 chi bộ" in str(info.value)


@pytest.mark.parametrize(
    ("obs_id", "message"),
    [
        ("001-99", "does not start with its source's number (005-01"),
        ("005-1", "not a valid observation id '005-1'"),
        ("005-ab", "not a valid observation id"),
    ],
)
def test_observation_ids_follow_their_source(
    data_copy: Path, tmp_path: Path, obs_id: str, message: str
) -> None:
    added = add_source(data_copy, _write(tmp_path / "a.txt", ARTICLE))
    header = added.observations.read_text(encoding="utf-8")
    row = f"{obs_id},xa-pom-lot,party-cells,current,12,,,exact,number,Xã có 12 chi bộ,\n"
    added.observations.write_text(header + row, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_dataset(data_copy)
    assert message in str(info.value)
    assert (info.value.row, info.value.column) == (2, "id")


def test_a_source_number_is_taken_once(data_copy: Path) -> None:
    sources = data_copy / "sources.csv"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(
        text.replace("004_5a09e7dc1d2825e6,004_", "001_5a09e7dc1d2825e6,004_"), "utf-8"
    )
    with pytest.raises(
        InputError, match="source number 001 is already taken by 001_a26cdb5e"
    ) as info:
        load_dataset(data_copy)
    assert (info.value.path.name, info.value.row, info.value.column) == ("sources.csv", 6, "id")


@pytest.mark.parametrize(
    ("stamp", "iso"),
    [
        ("13:58 15/08/2025", "2025-08-15T13:58:00"),
        ("13:58, 15/08/2025", "2025-08-15T13:58:00"),
        ("15/08/2025 - 13:58", "2025-08-15T13:58:00"),
        ("Thứ Sáu, 15/08/2025 13:58", "2025-08-15T13:58:00"),
        ("09:12 - Thứ Tư, 29/03/2017", "2017-03-29T09:12:00"),
        ("Chủ nhật, 17/08/2025", "2025-08-17"),
        ("02/08/2016 02:07:59 PM", "2016-08-02T14:07:59"),
    ],
)
def test_publication_stamps_as_articles_print_them(stamp: str, iso: str) -> None:
    assert parse_datetime(stamp).isoformat() == iso


@pytest.mark.parametrize(
    "stamp", ["13:58 - Thứ Tám, 15/08/2025", "15/08/2025\u00a013:58", "lúc 13:58"]
)
def test_other_stamps_are_refused(stamp: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_datetime(stamp)


@pytest.mark.parametrize(
    ("text", "value"),
    [("81,5 ngàn", 81500), ("81,5 nghìn", 81500), ("1,2 triệu", 1200000), ("3 tỷ", 3 * 10**9)],
)
def test_scale_words(text: str, value: int) -> None:
    assert parse_number(text) == value
    assert str(parse_number(text)) == str(value)  # written out, not 8.15E+4


@pytest.mark.parametrize("text", ["hai triệu", "triệu", "81,5  ngàn", "81,5 vạn"])
def test_scale_words_only_after_digits(text: str) -> None:
    with pytest.raises(ValueError, match="not a Vietnamese number"):
        parse_number(text)


def test_a_scaled_value_must_be_written_in_its_quote(data_copy: Path, tmp_path: Path) -> None:
    text = "CỔNG THÔNG TIN\nSản lượng lương thực đạt 81,5 ngàn tấn.\n"
    added = add_source(data_copy, _write(tmp_path / "a.txt", text))
    header = added.observations.read_text(encoding="utf-8")
    quote = "Sản lượng lương thực đạt 81,5 ngàn tấn"
    good = f'005-01,xa-pom-lot,food-output,2016,"81,5 ngàn",,,exact,tonne,"{quote}",\n'
    added.observations.write_text(header + good, encoding="utf-8")
    (obs,) = [r for r in load_dataset(data_copy).table("observations") if r["id"] == "005-01"]
    assert obs["value"] == 81500
    bad = good.replace('"81,5 ngàn"', '"81,5 triệu"')
    added.observations.write_text(header + bad, encoding="utf-8")
    with pytest.raises(InputError, match="value '81,5 triệu' is not written in the quote"):
        load_dataset(data_copy)


def test_indicator_catalogue_search_ignores_diacritics(data_dir: Path) -> None:
    found = indicator_catalogue(data_dir, search="ho ngheo")
    assert "poor-household-rate" in {i.id for i in found}
    assert all("nghèo" in i.label_vi or "nghèo" in i.definition for i in found)
    party = indicator_catalogue(data_dir, category="party-building")
    assert party and {i.category for i in party} == {"party-building"}
    with pytest.raises(InputError, match=r"no category 'xx' \(categories: .*party-building"):
        indicator_catalogue(data_dir, category="xx")


def test_cli_source_add_and_indicators(data_copy: Path, tmp_path: Path) -> None:
    file = _write(tmp_path / "a.txt", ARTICLE)
    runner = CliRunner()
    result = runner.invoke(main, ["source", "add", str(file), "--data", str(data_copy)])
    assert result.exit_code == 0, result.output
    assert "added source 005_" in result.output
    assert "no title: the article is recorded without one" in result.output
    again = runner.invoke(main, ["source", "add", str(file), "--data", str(data_copy)])
    assert again.exit_code == 2
    assert (
        again.output.strip().startswith("kgraph: error: ") and "already source 005_" in again.output
    )
    listed = runner.invoke(main, ["indicators", "--data", str(data_copy), "--search", "chi bo"])
    assert listed.exit_code == 0 and "party-cells" in listed.output
    as_csv = runner.invoke(main, ["indicators", "--data", str(data_copy), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    shipped = list(
        csv.DictReader(io.StringIO((data_copy / "curated/indicators.csv").read_text("utf-8")))
    )
    assert [r["id"] for r in rows] == [r["id"] for r in shipped]
