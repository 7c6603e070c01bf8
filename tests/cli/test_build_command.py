"""`kgraph build` end to end: summary, exit codes, and nothing written on bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from kgraph.cli import main


def test_build_writes_the_graph_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    result = CliRunner().invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 100_000
    assert "triples:" in result.output
    assert "qb:Observation" in result.output
    assert "party-members" in result.output


def test_build_honours_a_custom_base(tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    result = CliRunner().invoke(
        main, ["build", "--out", str(out), "--base", "https://example.net/kg/"]
    )
    assert result.exit_code == 0, result.output
    turtle = out.read_text(encoding="utf-8")
    assert "<https://example.net/kg/id/commune/2024-03356>" in turtle  # xã Pom Lót
    # the national backbone goes into the store, under the same base, not into the Turtle
    assert "<https://example.net/kg/id/commune/2025-03356>" not in turtle  # xã Sam Mứn
    from kgraph.graph.engine import open_store, store_path_for

    store = open_store(store_path_for(out))
    sam_mun = "https://example.net/kg/id/commune/2025-03356"
    labels = {
        row[0].value  # type: ignore[index]
        for row in store.store.query(  # type: ignore[union-attr]
            f"SELECT ?l WHERE {{ <{sam_mun}> <http://www.w3.org/2004/02/skos/core#altLabel> ?l }}"
        )
    }
    assert labels == {"Xã Sam Mứn"}


def _break_quote(data: Path) -> int:
    path = data / "curated" / "people.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    line = next(i for i, r in enumerate(rows, start=1) if r[0] == "lo-van-lien")
    rows[line - 1][4] = "Ông Lò Văn Liên, Chủ tịch xã"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return line


def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    data_copy: Path, tmp_path: Path
) -> None:
    line = _break_quote(data_copy)
    out = tmp_path / "kg.ttl"
    result = CliRunner().invoke(main, ["build", "--data", str(data_copy), "--out", str(out)])
    assert result.exit_code == 2
    message = result.output.strip()
    assert message.count("\n") == 0
    assert message.startswith("kgraph: error: ")
    assert f"people.csv, row {line}, column 'quote': quote not found" in message
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [data_copy]  # no temporary file left behind


def test_bad_input_keeps_an_existing_graph_untouched(data_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    out.write_text("previous build\n", encoding="utf-8")
    _break_quote(data_copy)
    result = CliRunner().invoke(main, ["build", "--data", str(data_copy), "--out", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous build\n"


def test_missing_data_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--data", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "data folder not found" in result.output


def test_an_output_path_under_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--no-validate", "--out", str(blocker / "x.ttl")])
    assert result.exit_code == 2
    expected = f"cannot write here: {blocker} is a file, not a folder"
    assert result.stderr == f"kgraph: error: {blocker / 'x.ttl'}: {expected}\n"


def test_an_unwritable_folder_is_a_one_line_error() -> None:
    result = CliRunner().invoke(main, ["build", "--no-validate", "--out", "/proc/kgraph.ttl"])
    assert result.exit_code == 2
    assert result.stderr.startswith("kgraph: error: /proc/kgraph.ttl: cannot write here: ")
    assert result.stderr.count("\n") == 1
