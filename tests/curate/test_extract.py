"""The assisted extractor: numbers as Vietnamese prints them, qualifiers, periods, quotes,
subjects, people, and invariants over the shipped seed articles (not scores: see
benchmarks/bench_extract.py)."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kgraph.curate.extract import Extraction, Extractor, find_quantities, load_lexicon
from kgraph.curate.extract.lexicon import UnitPhrase
from kgraph.curate.vn import parse_number
from kgraph.errors import InputError


@pytest.fixture(scope="session")
def extractor(data_dir: Path) -> Extractor:
    return Extractor(data_dir)


@pytest.fixture(scope="session")
def units(extractor: Extractor) -> tuple[UnitPhrase, ...]:
    return extractor.lexicon.units


def _q(text: str, units: tuple[UnitPhrase, ...], counters: list[str] | None = None) -> list:
    return find_quantities(text, units, counters or ["xa", "chi bo", "dang vien"])


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "number"),
    [
        ("đạt gần 1.400 ha", "1.400", "hectare", Decimal(1400)),
        ("hộ nghèo chiếm 10,37%", "10,37", "percent", Decimal("10.37")),
        ("có 09 đảng viên dự bị", "09", None, Decimal(9)),
        ("đạt 90%", "90", "percent", Decimal(90)),
        ("chiếm 33,7 %", "33,7", "percent", Decimal("33.7")),
        ("thu ngân sách đạt 716,383 tỷ đồng", "716,383", "billion-vnd", Decimal("716.383")),
        ("sản lượng 81,5 ngàn tấn", "81,5 ngàn", "tonne", Decimal(81500)),
        ("tổng diện tích 25.420ha", "25.420", "hectare", Decimal(25420)),
        ("đạt 133,5% kế hoạch", "133,5", "percent-of-plan", Decimal("133.5")),
        ("với 154km biên giới", "154", "kilometre", Decimal(154)),
        ("ước đạt 56,3 tỷ\nđồng", "56,3", "billion-vnd", Decimal("56.3")),  # a wrapped line
        ("hỗ trợ 500.000 đồng mỗi hộ", "500.000", "vnd", Decimal(500000)),
        ("giá 12.500 đồng/kg", "12.500", "vnd", Decimal(12500)),
        ("xét chuyển đảng chính thức cho 13 đồng chí", "13", None, Decimal(13)),  # comrades
    ],
)
def test_number_forms(units, text: str, value: str, unit: str | None, number: Decimal) -> None:
    (q,) = _q(text, units)
    assert (q.value_text, q.unit, q.value) == (value, unit, number)
    assert text[q.value_start :].startswith(value)


def test_dong_is_vnd_and_its_multiples_keep_their_scale(units, data_dir: Path) -> None:
    """``đồng`` alone is ``vnd``; ``56,3 tỷ đồng`` is ``billion-vnd``, 10^9 ``vnd``."""
    found = {q.unit: q for q in _q("thu 56,3 tỷ đồng, hỗ trợ 300 đồng", units)}
    assert (found["vnd"].value_text, found["billion-vnd"].value_text) == ("300", "56,3")
    with (data_dir / "curated" / "unit-conversions.csv").open(encoding="utf-8") as f:
        conversions = {r["unit"]: r for r in csv.DictReader(f)}
    billion = conversions["billion-vnd"]
    assert (billion["canonical"], billion["factor"]) == ("vnd", "1000000000")
    assert conversions["vnd"]["canonical"] == "vnd"


def test_scaled_value_reads_like_the_build(units) -> None:
    (q,) = _q("sản lượng 81,5 ngàn tấn", units)
    assert parse_number(q.value_text) == q.value == Decimal(81500)


def test_fraction_gives_value_and_denominator(units) -> None:
    (q,) = _q("toàn xã đã đạt 11/19 tiêu chí", units)
    assert (q.value_text, q.denominator_text, q.kind) == ("11", "19", "fraction")


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("tốc độ tăng trưởng đạt từ 2,5 – 4,5%", "2,5", "4,5", "percent"),
        ("tăng trưởng đạt (3 - 8)%", "3", "8", "percent"),
        ("nhịp độ tăng 5,6-12,4%", "5,6", "12,4", "percent"),
        ("diện tích từ 2,5 đến 4,5 ha", "2,5", "4,5", "hectare"),
    ],
)
def test_ranges(units, text: str, low: str, high: str, unit: str) -> None:
    (q,) = _q(text, units)
    assert (q.value_text, q.value_max_text, q.unit, q.kind) == (low, high, unit, "range")


@pytest.mark.parametrize(
    "text",
    [
        "công tác được triển khai thực hiện",  # hai in triển khai
        "nhiệm vụ chính trị của xã",  # chín in chính
        "Năm 2007 toàn Đảng bộ",  # a year
        "đảng viên của một số bản",  # some
        "Quyết định số 1255-QĐ/HU, ngày 3-5-2012",  # document number, date
        "ngay từ đầu nhiệm kỳ 2015- 2020",  # term years
        "tính đến hết tháng 5/2017 và tháng 12-2011",  # months
        "Thời gian đăng: 02/08/2016 02:07:59 PM",  # a stamp
        "Trong 6 tháng đầu năm 2012",  # a period
        "cụm tác chiến Biên phòng số 4 Thanh Luông",  # a numbering
        "Nghị quyết Trung ương 4 (khóa XI)",  # a plenum's number
        "không ngừng nâng cao",  # negation, not zero
    ],
)
def test_not_quantities(units, text: str) -> None:
    assert [q.value_text for q in _q(text, units)] == []


def test_numeral_words_counted_only_as_numbers(units) -> None:
    assert [q.value_text for q in _q("diễn tập tại hai xã Thanh An", units)] == ["hai"]
    assert [q.value_text for q in _q("tuy không còn bản trắng đảng viên", units, ["ban"])] == [
        "không"
    ]


def test_ordinal_in_a_name_has_low_confidence(units) -> None:
    (q,) = _q("xã chọn bản Pá Kín 1 làm điểm", units)
    assert q.confidence < 0.5
    assert [q.value_text for q in _q("tổng số 209 đảng viên", units)] == ["209"]


# --- a tiny article in a copy of the data ------------------------------------------------


def _article(data: Path, text: str, published: str = "01/03/2017") -> str:
    """Add a one-off article to the data folder ``data``; its source id."""
    source = "990_testextract"
    (data / "sources" / f"{source}.txt").write_text(text, encoding="utf-8")
    title = text.splitlines()[0]
    with (data / "sources.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            [source, f"{source}.txt", title, "A test article", "", "", published, "", "vi", ""]
        )
    return source


@pytest.fixture()
def small_data(data_dir: Path, tmp_path: Path) -> Path:
    """A copy of the data folder without the unit lists' copies (they are linked)."""
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("admin-units"))
    (target / "admin-units").symlink_to(data_dir / "admin-units")
    return target


ARTICLE = (
    "Xây dựng Đảng ở xã Thanh Luông\n"
    "Hiện nay Đảng bộ xã Thanh Luông (huyện Điện Biên) có 320 đảng viên, sinh hoạt tại 38 chi bộ. "
    "Năm 2016, Đảng bộ kết nạp 14 đảng viên. "
    "Trong 6 tháng đầu năm 2017, tổng diện tích gieo trồng ước đạt 1.250 ha, "
    "sản lượng lương thực trên 6.100 tấn; tỷ lệ hộ nghèo toàn xa con 4,2%. "
    "Phấn đấu năm 2018 đạt 13/19 tiêu chí nông thôn mới.\n"
    "Ông Lò Văn Tâm, Bí thư Đảng ủy xã, cho biết: đảng bộ đã 4 năm liền đạt trong sạch vững mạnh.\n"
)


@pytest.fixture()
def extraction(small_data: Path) -> Extraction:
    source = _article(small_data, ARTICLE)
    return Extractor(small_data).extract(source)


def _by_value(extraction: Extraction, value: str):
    (c,) = [c for c in extraction.candidates if c.value == value]
    return c


def test_every_number_of_the_article_is_a_candidate(extraction: Extraction) -> None:
    assert [c.value for c in extraction.candidates] == [
        "320", "38", "14", "1.250", "6.100", "4,2", "13", "4",
    ]  # fmt: skip


def test_quotes_are_exact_and_stay_in_their_sentence(extraction: Extraction) -> None:
    text = extraction.text
    for c in extraction.candidates:
        assert text[c.start : c.end] == c.quote
        assert "\n" not in c.quote
        assert ". " not in c.quote, c.quote
        assert c.value in c.quote
    assert _by_value(extraction, "1.250").quote == "tổng diện tích gieo trồng ước đạt 1.250 ha"


def test_qualifiers(extraction: Extraction) -> None:
    assert _by_value(extraction, "1.250").qualifier == "estimate"  # ước đạt
    assert _by_value(extraction, "6.100").qualifier == "more-than"  # trên
    assert _by_value(extraction, "13").qualifier == "target"  # phấn đấu
    assert _by_value(extraction, "320").qualifier == "exact"


def test_periods(extraction: Extraction) -> None:
    assert _by_value(extraction, "320").period == "current"  # hiện nay
    assert _by_value(extraction, "14").period == "2016"
    assert _by_value(extraction, "1.250").period == "2017-01/2017-06"
    assert _by_value(extraction, "6.100").period == "2017-01/2017-06"
    assert _by_value(extraction, "13").period == "2018"
    assert _by_value(extraction, "4").period == "current"  # a duration: 4 năm liền


WRAPPED = (
    "Kinh tế xã Thanh Luông\n"
    "Về kinh tế, 9 tháng đầu năm, tổng diện tích gieo\n"
    "trồng toàn xã đạt 3.215,8 ha. Trong quý III/2025, thu ngân sách đạt 1,2 tỷ đồng.\n"
    "Năm 2016, Đảng bộ kết nạp 14 đảng viên.\n"
    "Hiện có 320 đảng viên.\n"
)


def test_periods_across_wrapped_lines_quarters_and_months_of_this_year(small_data: Path) -> None:
    source = _article(small_data, WRAPPED, "16/10/2025")
    extraction = Extractor(small_data).extract(source)
    # the line break after ``gieo`` wraps the sentence: the period before it still holds
    area = _by_value(extraction, "3.215,8")
    assert area.period == "2025-01/2025-09"
    assert area.quote == "tổng diện tích gieo\ntrồng toàn xã đạt 3.215,8 ha"
    assert _by_value(extraction, "1,2").period == "2025-07/2025-09"
    # a line break after a full stop, or before a capital, still ends the paragraph
    assert _by_value(extraction, "14").period == "2016"
    assert _by_value(extraction, "320").period == "current"


def test_indicators_and_units(extraction: Extraction) -> None:
    got = {c.value: (c.indicator, c.unit) for c in extraction.candidates}
    assert got["320"] == ("party-members", "number")
    assert got["38"] == ("party-cells", "number")
    assert got["14"] == ("party-members-admitted", "number")
    assert got["1.250"] == ("planted-area", "hectare")
    assert got["6.100"] == ("food-output", "tonne")
    assert got["4,2"] == ("poor-household-rate", "percent")
    assert got["13"] == ("new-rural-criteria-met", "number")
    assert got["4"] == ("clean-strong-years", "year")
    assert _by_value(extraction, "13").denominator == "19"
    assert all(0 <= c.confidence <= 1 for c in extraction.candidates)


def test_subjects_party_organisation_or_place(extraction: Extraction) -> None:
    # party building takes the party organisation, socio-economic figures the place; the
    # district in brackets qualifies the commune and is not the subject; "toàn xa" (no
    # diacritics) is still the commune
    subjects = {c.value: c.subject for c in extraction.candidates}
    assert subjects["320"] == subjects["38"] == subjects["14"] == "dang-bo-xa-thanh-luong"
    assert subjects["1.250"] == subjects["4,2"] == "xa-thanh-luong"
    assert _by_value(extraction, "320").subject_name == "Đảng bộ xã Thanh Luông"


def test_people_and_posts(extraction: Extraction) -> None:
    people = [e for e in extraction.entities if e.kind == "person"]
    posts = [e for e in extraction.entities if e.kind == "post"]
    assert [(p.id, p.name, p.type) for p in people] == [("lo-van-tam", "Lò Văn Tâm", "Ông")]
    (post,) = posts
    assert (post.type, post.link, post.parent) == (
        "secretary",
        "dang-uy-xa-thanh-luong",
        "lo-van-tam",
    )
    assert extraction.text[post.start : post.end] == post.quote


def test_a_unit_only_in_the_2025_list_is_proposed_as_a_new_place(small_data: Path) -> None:
    text = "Đảng bộ xã Sam Mứn sau sắp xếp\nHiện nay xã Sam Mứn có 1.520 hộ gia đình.\n"
    source = _article(small_data, text, published="15/08/2025")
    result = Extractor(small_data).extract(source)
    (c,) = result.candidates
    assert (c.indicator, c.subject, c.subject_name) == ("households", "xa-sam-mun", "xã Sam Mứn")
    (place,) = [e for e in result.entities if e.kind == "place"]
    assert (place.id, place.name, place.gso_code, place.vintage) == (
        "xa-sam-mun",
        "Sam Mứn",
        "03356",
        "2025",
    )


def test_before_the_reform_the_2024_list_is_used(small_data: Path) -> None:
    text = "Xã Sam Mứn phát triển\nHiện nay xa Sam Mun có 1.520 hộ gia đình.\n"
    source = _article(small_data, text, published="15/08/2017")
    (place,) = [e for e in Extractor(small_data).extract(source).entities if e.kind == "place"]
    assert (place.gso_code, place.vintage) == ("03355", "2024")


def test_an_unknown_quantity_proposes_a_new_indicator(small_data: Path) -> None:
    text = "Xã Thanh Luông trồng cây\nNăm 2016 xã trồng được 35 cây xoài.\n"
    source = _article(small_data, text)
    result = Extractor(small_data).extract(source)
    (c,) = result.candidates
    (proposal,) = [e for e in result.entities if e.kind == "indicator"]
    assert c.indicator == proposal.id == "cay-xoai"


def test_source_given_as_its_text_file(extractor: Extractor, data_dir: Path) -> None:
    path = data_dir / "sources" / "000_ae26940861c8c0fd.txt"
    assert extractor.source_id(str(path)) == "000_ae26940861c8c0fd"
    with pytest.raises(InputError, match="not a source id"):
        extractor.source_id("no-such-article.txt")


def test_a_bad_lexicon_cell_names_file_row_and_column(small_data: Path, extractor) -> None:
    path = small_data / "lexicon" / "qualifiers.csv"
    path.write_text(path.read_text(encoding="utf-8") + "chừng chừng,roughly,before\n", "utf-8")
    with pytest.raises(InputError) as info:
        load_lexicon(
            small_data, extractor.codes, {r["id"]: r for r in extractor.tables["indicators"]}
        )
    assert (info.value.path, info.value.column) == (path, "qualifier")
    assert info.value.row == len(path.read_text(encoding="utf-8").splitlines())


# --- the shipped seeds: invariants only ----------------------------------------------------


def test_seed_candidates_keep_the_invariants(extractor: Extractor) -> None:
    for source in sorted(extractor.texts):
        result = extractor.extract(source)
        assert result.candidates, source
        for c in result.candidates:
            assert result.text[c.start : c.end] == c.quote
            assert c.value in c.quote
            parse_number(c.value)
        for e in result.entities:
            assert result.text[e.start : e.end] == e.quote


def test_the_extractor_never_reads_observations(extractor: Extractor) -> None:
    assert "observations" not in extractor.tables
