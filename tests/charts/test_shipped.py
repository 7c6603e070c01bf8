"""The documented chart commands on the shipped data: invariants only (values: test_library)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kgraph.charts.data import chart_data
from kgraph.cli import main
from kgraph.graph.engine import GraphStore


def test_documented_examples_draw_on_the_shipped_store(
    built_store: GraphStore, built_ttl: Path, tmp_path: Path
) -> None:
    series = chart_data(built_store, "time-series", "party-members", focus="Pom Lot")
    assert series.points and all(p.quote and p.source_title for p in series.points)
    assert {p.area for p in series.points} <= {series.focus}  # Pom Lót's own figures only here
    compare = chart_data(built_store, "compare", "poor-household-rate", period="2016")
    assert compare.points and all(p.start and p.start.year == 2016 for p in compare.points)
    for args in (
        ["time-series", "--indicator", "party-members", "--focus", "Pom Lot"],
        ["compare", "--indicator", "poor-household-rate", "--period", "2016"],
    ):
        out = tmp_path / f"{args[0]}.html"
        result = CliRunner().invoke(
            main, ["chart", *args, "--input", str(built_ttl), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
