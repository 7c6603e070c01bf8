"""Accepting reviewed candidates: fresh ids, checked as the build checks them, all or nothing;
and ``kgraph extract`` on the command line."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.curate.dataset import load_dataset
from kgraph.curate.extract import Extractor, accept_reviewed, next_ids, write_extraction
from kgraph.curate.sources import add_source
from kgraph.errors import InputError
from kgraph.graph.namespaces import Iris
from kgraph.pipeline import build_to_file

SOURCE = "000_ae26940861c8c0fd"


@pytest.fixture()
def data(data_dir: Path, tmp_path: Path) -> Path:
    """A copy of the data folder (the unit lists linked, not copied)."""
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("admin-units"))
    (target / "admin-units").symlink_to(data_dir / "admin-units")
    return target


def _table(data: Path) -> Path:
    return data / "curated" / "observations" / f"{SOURCE}.csv"


def _reviewed(data: Path, out: Path, decide) -> Path:
    """Extract SOURCE and write each row's decision with ``decide(index, row)``."""
    candidates, _ = write_extraction(Extractor(data).extract(SOURCE), out)
    with candidates.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows):
        decide(i, row)
    with candidates.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return candidates


def _accept_all(i: int, row: dict[str, str]) -> None:
    row["decision"] = "accept"


def test_candidate_files_have_the_promised_columns(data: Path, tmp_path: Path) -> None:
    path = _reviewed(data, tmp_path / "out", lambda i, r: None)
    with path.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == [
        "id", "subject", "indicator", "period", "value", "value_max", "denominator",
        "qualifier", "unit", "quote", "note", "confidence", "subject_name", "alternatives",
        "start", "end", "decision",
    ]  # fmt: skip
    with path.open(encoding="utf-8") as fh:
        assert all(row["id"] == "" and row["decision"] == "" for row in csv.DictReader(fh))
    assert (tmp_path / "out" / f"{SOURCE}.entities.csv").is_file()


def test_accept_into_a_new_table_gives_fresh_ids_and_builds(data: Path, tmp_path: Path) -> None:
    _table(data).unlink()
    reviewed = _reviewed(data, tmp_path / "out", _accept_all)
    done = accept_reviewed(reviewed, data)
    assert done.ids == tuple(f"000-{n:02d}" for n in range(1, 14))
    rows = load_dataset(data).tables["observations"]
    mine = [r for r in rows if r.path.stem == SOURCE]
    assert [r["id"] for r in mine] == list(done.ids)
    assert mine[4].raw["value"] == "1.400" and mine[4]["unit"] == "hectare"
    header = _table(data).read_text(encoding="utf-8").splitlines()[0]
    assert (
        header
        == "id,subject,indicator,period,value,value_max,denominator,qualifier,unit,quote,note"
    )


def test_accept_appends_after_the_largest_id(data: Path, tmp_path: Path) -> None:
    before = _table(data).read_text(encoding="utf-8")
    reviewed = _reviewed(
        data, tmp_path / "out", lambda i, r: r.update(decision="accept" if i == 4 else "reject")
    )
    done = accept_reviewed(reviewed, data)
    assert (done.ids, done.rejected) == (("000-14",), 12)
    after = _table(data).read_text(encoding="utf-8")
    assert after.startswith(before) and after.count("\n") == before.count("\n") + 1
    assert after.splitlines()[-1].startswith("000-14,xa-thanh-luong,planted-area,2015,1.400,")


def test_a_bad_row_changes_nothing_and_names_file_row_and_column(
    data: Path, tmp_path: Path
) -> None:
    before = _table(data).read_bytes()

    def decide(i: int, row: dict[str, str]) -> None:
        row["decision"] = "accept"
        if i == 2:
            row["indicator"] = "no-such-indicator"

    reviewed = _reviewed(data, tmp_path / "out", decide)
    with pytest.raises(InputError) as info:
        accept_reviewed(reviewed, data)
    assert (info.value.path, info.value.row, info.value.column) == (reviewed, 4, "indicator")
    assert "\n" not in str(info.value) and reviewed.name in str(info.value)
    assert _table(data).read_bytes() == before


def test_a_value_not_in_its_quote_is_refused(data: Path, tmp_path: Path) -> None:
    before = _table(data).read_bytes()
    reviewed = _reviewed(
        data, tmp_path / "out", lambda i, r: r.update(decision="accept", value="12345")
    )
    with pytest.raises(InputError, match="not written in the quote") as info:
        accept_reviewed(reviewed, data)
    assert (info.value.row, info.value.column) == (2, "value")
    assert _table(data).read_bytes() == before


def test_unreviewed_rows_are_refused(data: Path, tmp_path: Path) -> None:
    before = _table(data).read_bytes()
    reviewed = _reviewed(
        data, tmp_path / "out", lambda i, r: r.update(decision="" if i == 1 else "accept")
    )
    with pytest.raises(InputError, match=r"row 3.*not reviewed; write accept or reject"):
        accept_reviewed(reviewed, data)
    assert _table(data).read_bytes() == before


def test_ids_keep_the_number_part_as_written() -> None:
    assert next_ids("01234_9f00", ["01234-01", "01234-09"], 2) == ["01234-10", "01234-11"]
    assert next_ids("000_ae26940861c8c0fd", ["000-99"], 1) == ["000-100"]


def test_cli_extract_and_accept(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["extract", SOURCE, "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 13 candidate(s)" in result.output
    path = out / f"{SOURCE}.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    path.write_text("\n".join([lines[0], lines[1] + "accept", *lines[2:]]) + "\n", "utf-8")
    refused = runner.invoke(main, ["extract", "--accept", str(path), "--data", str(data)])
    assert refused.exit_code == 2
    assert refused.output.startswith("kgraph: error:") and "row 3" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    rows = [lines[0], lines[1] + "accept", *(line + "reject" for line in lines[2:])]
    path.write_text("\n".join(rows) + "\n", "utf-8")
    done = runner.invoke(main, ["extract", "--accept", str(path), "--data", str(data)])
    assert done.exit_code == 0, done.output
    assert "appended 1 row(s) (000-14)" in done.output


def test_cli_unknown_source_is_a_one_line_error(data: Path) -> None:
    result = CliRunner().invoke(main, ["extract", "no_such", "--data", str(data)])
    assert result.exit_code == 2
    assert result.output.startswith("kgraph: error:")


# -- entity rows: the held-out article, end to end -------------------------------------------

HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "extract_heldout"
HELDOUT_TITLE = (
    "Chiềng Lao: Nâng cao năng lực lãnh đạo của Đảng bộ, tạo đà phát triển kinh tế - xã hội"
)


def _rewrite(path: Path, decide) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        decide(row)
    header = list(rows[0]) if rows else next(csv.reader(path.open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _heldout(data: Path, out: Path, people: bool = False) -> tuple[str, Path, Path]:
    """Add the held-out text, extract it and decide: accept the observations whose indicator
    and unit are set with confidence >= 0.5 and the entity rows they need; reject the rest."""
    added = add_source(
        data, HELDOUT / "901_f670d920f0f1c17d.txt", title=HELDOUT_TITLE,
        published="15/07/2019 09:41:26 AM",
    )  # fmt: skip
    candidates, entities = write_extraction(Extractor(data).extract(added.id), out)
    indicators = {r["id"] for r in load_dataset(data).tables["indicators"]}
    need: set[str] = set()

    def observation(row: dict[str, str]) -> None:
        ok = row["indicator"] in indicators and row["unit"] and float(row["confidence"]) >= 0.5
        row["decision"] = "accept" if ok else "reject"
        if ok:
            need.add(row["subject"])

    _rewrite(candidates, observation)
    with entities.open(encoding="utf-8", newline="") as fh:
        proposed = list(csv.DictReader(fh))
    wanted = {r["id"] for r in proposed if people and r["kind"] in ("person", "post")} | need
    while True:  # what the wanted rows refer to (an organisation's parent, the place it leads)
        more = {ref for r in proposed if r["id"] in wanted for ref in (r["parent"], r["link"])}
        if more <= wanted | {""}:
            break
        wanted |= more - {""}
    _rewrite(entities, lambda r: r.update(decision="accept" if r["id"] in wanted else "reject"))
    return added.id, candidates, entities


def _snapshot(data: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data)): p.read_bytes()
        for p in sorted(data.rglob("*"))
        if p.is_file() and "admin-units" not in p.parts
    }


def test_heldout_article_end_to_end_builds_with_no_violation(data: Path, tmp_path: Path) -> None:
    source, reviewed, entities = _heldout(data, tmp_path / "out")
    done = accept_reviewed(reviewed, data)
    assert done.entities_file == entities
    assert len(done.ids) == 26 and done.rejected == 8
    assert done.entities == (
        ("places", "huyen-muong-la"),
        ("places", "xa-chieng-lao"),
        ("organisations", "dang-bo-huyen-muong-la"),
        ("organisations", "dang-bo-xa-chieng-lao"),
    )
    dataset = load_dataset(data)
    commune = dataset.entities["xa-chieng-lao"]
    assert dict(commune.raw) == {
        "id": "xa-chieng-lao", "kind": "commune", "name_vi": "Chiềng Lao",
        "name_en": "Chiềng Lao Commune", "parent": "huyen-muong-la", "gso_code": "03814",
        "vintage": "2024", "source": source,
        "quote": "tổng diện tích gieo trồng của xã đạt 1.326,5 ha", "note": "",
    }  # fmt: skip
    org = dataset.entities["dang-bo-xa-chieng-lao"].raw
    assert (org["kind"], org["name_vi"], org["name_en"], org["parent"], org["leads"]) == (
        "grassroots-party-committee", "Đảng bộ xã Chiềng Lao",
        "Chiềng Lao Commune Party Organisation", "dang-bo-huyen-muong-la", "xa-chieng-lao",
    )  # fmt: skip
    district = dataset.entities["dang-bo-huyen-muong-la"].raw
    assert (district["name_en"], district["quote"]) == (
        "Mường La District Party Organisation",
        "Đảng bộ huyện Mường La",
    )
    text = dataset.texts[source]
    for row in dataset.tables["places"] + dataset.tables["organisations"]:
        if row.raw["source"] == source:
            assert row.raw["quote"] in text
    mine = [r for r in dataset.tables["observations"] if r.path.stem == source]
    assert [r["id"] for r in mine] == list(done.ids)
    result = build_to_file(data, tmp_path / "kgraph.ttl", Iris(), validate=True, backbone=False)
    assert result.validation is not None and result.validation.violations == ()


def test_people_and_posts_are_accepted_with_their_quotes(data: Path, tmp_path: Path) -> None:
    _, reviewed, _ = _heldout(data, tmp_path / "out", people=True)
    done = accept_reviewed(reviewed, data)
    assert ("people", "lo-van-thang") in done.entities
    dataset = load_dataset(data)
    person = dataset.entities["lo-van-thang"].raw
    assert (person["name"], person["honorific"], person["quote"]) == (
        "Lò Văn Thắng", "Đồng chí", "Đồng chí Lò Văn Thắng, Bí thư Đảng ủy xã",
    )  # fmt: skip
    post = dataset.entities["lo-van-thang-secretary"].raw
    assert (post["person"], post["role"], post["organisation"], post["as_of"]) == (
        "lo-van-thang", "secretary", "dang-bo-xa-chieng-lao", "current",
    )  # fmt: skip
    result = build_to_file(data, tmp_path / "kgraph.ttl", Iris(), validate=True, backbone=False)
    assert result.validation is not None and result.validation.violations == ()


def _refused(data: Path, tmp_path: Path, edit, column: str) -> InputError:
    _, reviewed, entities = _heldout(data, tmp_path / "out", people=True)
    rows = _rewrite(entities, edit)
    before = _snapshot(data)
    with pytest.raises(InputError) as info:
        accept_reviewed(reviewed, data)
    err = info.value
    assert (err.path, err.column) == (entities, column)
    line = 2 + next(i for i, r in enumerate(rows) if r.get("_bad") == "1")
    assert err.row == line
    assert "\n" not in str(err) and entities.name in str(err)
    assert _snapshot(data) == before
    return err


def _mark(match, **cells: str):
    def edit(row: dict[str, str]) -> None:
        bad = match(row)
        if bad:
            row.update(cells)
        row["_bad"] = "1" if bad else ""

    return edit


def test_an_id_clash_names_row_and_column(data: Path, tmp_path: Path) -> None:
    edit = _mark(lambda r: r["id"] == "lo-van-thang", id="tran-van-tuan")
    err = _refused(data, tmp_path, edit, "id")
    assert "'tran-van-tuan' is already used in people.csv" in str(err)


def test_a_person_accepted_as_an_existing_row_is_not_written_again(
    data: Path, tmp_path: Path
) -> None:
    _, reviewed, entities = _heldout(data, tmp_path / "out", people=True)
    existing = load_dataset(data).entities["tran-van-tuan"].raw
    _rewrite(
        entities,
        lambda r: r.update(existing="tran-van-tuan") if r["id"] == "lo-van-thang" else None,
    )
    done = accept_reviewed(reviewed, data)
    assert ("people", "lo-van-thang") not in done.entities
    dataset = load_dataset(data)
    assert "lo-van-thang" not in dataset.entities
    assert dict(dataset.entities["tran-van-tuan"].raw) == dict(existing)  # untouched
    post = dataset.entities["lo-van-thang-secretary"].raw
    assert post["person"] == "tran-van-tuan"  # the post refers to the row it was accepted as


def test_an_existing_id_of_another_table_names_row_and_column(data: Path, tmp_path: Path) -> None:
    edit = _mark(lambda r: r["id"] == "lo-van-thang", existing="xa-pom-lot")
    err = _refused(data, tmp_path, edit, "existing")
    assert "'xa-pom-lot' is not an id of people.csv" in str(err)


def test_a_post_without_a_role_names_row_and_column(data: Path, tmp_path: Path) -> None:
    edit = _mark(lambda r: r["id"] == "lo-van-thang-secretary", type="")
    err = _refused(data, tmp_path, edit, "type")
    assert "no role" in str(err)


def test_a_place_not_named_as_the_list_names_it_is_refused(data: Path, tmp_path: Path) -> None:
    edit = _mark(lambda r: r["id"] == "xa-chieng-lao", name="Chieng Lao")
    err = _refused(data, tmp_path, edit, "name")
    assert "'Chiềng Lao'" in str(err)


def test_a_new_indicator_needs_the_reviewers_cells(data: Path, tmp_path: Path) -> None:
    edit = _mark(lambda r: r["id"] == "lien", decision="accept")
    err = _refused(data, tmp_path, edit, "label_en")
    assert "a new indicator needs its label_en" in str(err)


def test_cli_accepts_an_explicit_entities_file(data: Path, tmp_path: Path) -> None:
    _, reviewed, entities = _heldout(data, tmp_path / "out")
    moved = tmp_path / "elsewhere.csv"
    entities.rename(moved)
    args = ["extract", "--accept", str(reviewed), "--data", str(data)]
    result = CliRunner().invoke(main, [*args, "--accept-entities", str(moved)])
    assert result.exit_code == 0, result.output
    assert "appended 26 row(s)" in result.output
    assert "appended 2 row(s) to organisations.csv: dang-bo-huyen-muong-la" in result.output
