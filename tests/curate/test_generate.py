"""`kgraph generate`: synthetic data in the schema of data/, deterministic, of the size asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kgraph.check import validate_graph
from kgraph.cli import main
from kgraph.curate.dataset import load_dataset
from kgraph.curate.generate import generate_data
from kgraph.errors import InputError
from kgraph.graph.build import build_graph
from kgraph.graph.store import serialize


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))} | {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.txt"))
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graph]:
    folder = tmp_path_factory.mktemp("gen") / "data"
    generate_data(folder, triples=12_000, seed=7, inconsistency=0.3)
    return folder, build_graph(load_dataset(folder))


def test_it_builds_like_the_shipped_data(generated: tuple[Path, Graph]) -> None:
    _, graph = generated
    assert 9_000 <= len(graph) <= 15_000, "within a quarter of the size asked"
    report = validate_graph(graph)
    assert report.conforms, report.render("text")


def test_injected_inconsistencies_are_found(generated: tuple[Path, Graph]) -> None:
    _, graph = generated
    report = validate_graph(graph)
    assert len(report.warnings) > 0
    assert all("kgsh:" in r.shape for r in report.warnings)


def test_no_inconsistency_no_warning(tmp_path: Path) -> None:
    summary = generate_data(tmp_path / "data", triples=4_000, seed=1, inconsistency=0)
    assert summary.inconsistent == 0
    assert validate_graph(build_graph(load_dataset(tmp_path / "data"))).warnings == ()


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate_data(tmp_path / name, triples=4_000, seed=seed)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_years_are_added_once_every_commune_is_in(tmp_path: Path) -> None:
    """Past one year of the whole country the generator adds years, never invents communes."""
    from kgraph.curate import generate

    # 10,035 communes x 71 + 2,500 leaves 2,285,015 triples: 3 years of 76 per commune-year
    communes, years = generate._plan(3_000_000, 10_035)
    assert communes == 10_035 and years == 3
    assert generate._plan(50_000, 10_035) == (324, 1)  # 47,500 / (71 + 76) per commune


def test_turtle_of_a_large_graph_is_rdflib_s_own(generated: tuple[Path, Graph]) -> None:
    """kgraph's fast prefixed-name lookup writes exactly the bytes rdflib's own writes."""
    _, graph = generated
    assert serialize(graph, "turtle") == graph.serialize(format="turtle", encoding="utf-8")


def test_the_output_folder_must_be_new(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="exists already"):
        generate_data(tmp_path, triples=2_000)


def test_cli(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["generate", "--triples", "3000", "--seed", "2", "--out", str(tmp_path / "g")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"generated {tmp_path / 'g'}: ")
    assert (tmp_path / "g" / "sources.csv").is_file()
