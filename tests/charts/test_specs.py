"""The Vega-Lite specs: valid against the schema, and saying how each figure is stated."""

from __future__ import annotations

from typing import Any

import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from rdflib import Graph

from kgraph.charts.data import chart_data
from kgraph.charts.specs import chart_spec
from kgraph.errors import ChartError


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    inner = spec.get("spec", spec)
    return list(inner["layer"])


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec.get("spec", spec)["data"]["values"])


@pytest.mark.parametrize(
    ("kind", "options", "panels"),
    [
        ("time-series", {"focus": "Hoa Binh"}, "none"),
        ("time-series", {}, "entity"),
        ("time-series", {}, "district"),
        ("compare", {"period": "2016"}, "none"),
        ("compare", {}, "province"),
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_spec_is_valid_vega_lite(
    figures: Graph, kind: str, options: dict[str, Any], panels: str, lang: str
) -> None:
    spec = chart_spec(
        chart_data(figures, kind, "poor-household-rate", **options), lang=lang, panels=panels
    )
    assert validate_jsonschema(spec, load_schema(), raise_error=False) is None
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert spec["usermeta"]["kgraph"]["kind"] == kind


def test_schema_check_can_fail() -> None:
    assert validate_jsonschema({"mark": "no-such-mark"}, load_schema(), raise_error=False)


def test_time_series_labels_bands_and_targets(figures: Graph) -> None:
    data = chart_data(figures, "time-series", "poor-household-rate", focus="Hoa Binh")
    spec = chart_spec(data, lang="vi")
    rows = {r["observation"]: r for r in _values(spec)}
    # the value as printed, with the qualifier word the quote itself uses
    assert [rows[o]["printed"] for o in ("s1-01", "s1-02", "s1-03", "s1-04", "s1-05")] == [
        "12,5%",
        "khoảng 10%",
        "8 – 9,5%",
        "trên 5%",
        "phấn đấu 3%",
    ]
    # a range is a band over its whole period, from its value to its upper value
    band = rows["s1-03"]
    assert (band["bandStart"], band["bandEnd"], band["value"], band["upper"]) == (
        "2019-01-01",
        "2020-12-31",
        8.0,
        9.5,
    )
    # each unit version is its own series; only the target is marked as one
    assert {r["series"] for r in rows.values()} == {
        "Hòa Bình (danh mục 2024)",
        "Hòa Bình (danh mục 2025)",
    }
    assert [o for o, r in rows.items() if r["target"]] == ["s1-05"]
    layers = _layers(spec)
    # two unit lists: the first layer is the rule on 1 July 2025, with its words
    assert layers[0]["data"]["values"][0]["day"] == "2025-07-01"
    line = next(layer for layer in layers if layer.get("mark", {}).get("type") == "line")
    assert line["transform"] == [{"filter": "(datum.target === false)"}]
    hollow = [layer for layer in layers if layer.get("mark", {}).get("filled") is False]
    assert [h["transform"] for h in hollow] == [[{"filter": "(datum.target === true)"}]]
    tipped = [layer for layer in layers if "tooltip" in layer.get("encoding", {})]
    for layer in tipped:
        tips = {t["field"] for t in layer["encoding"]["tooltip"]}
        assert {"quote", "source", "printed", "stated"} <= tips
    assert len(tipped) == 2  # the achieved points and the targets


def test_english_labels_use_english_words(figures: Graph) -> None:
    data = chart_data(figures, "time-series", "poor-household-rate", focus="Hoa Binh")
    rows = {r["observation"]: r for r in _values(chart_spec(data, lang="en"))}
    assert rows["s1-02"]["printed"] == "about 10%"
    assert rows["s1-02"]["stated"] == "approximate (gần, khoảng)"
    assert rows["s1-04"]["series"] == "Hòa Bình (2025 list)"


def test_compare_bars_tell_two_versions_of_one_name_apart(figures: Graph) -> None:
    spec = chart_spec(chart_data(figures, "compare", "poor-household-rate"), lang="vi")
    categories = sorted(r["category"] for r in _values(spec))
    assert "Hòa Bình (danh mục 2024)" in categories and "Hòa Bình (danh mục 2025)" in categories
    assert len(set(categories)) == len(categories) == 4
    # bars ranked by value, highest first
    ranked = sorted(_values(spec), key=lambda r: r["rank"])
    assert [r["value"] for r in ranked] == [30.0, 20.0, 8.0, 5.0]


def test_unknown_language_is_an_error(figures: Graph) -> None:
    data = chart_data(figures, "compare", "poor-household-rate")
    with pytest.raises(ChartError, match="unknown label language 'fr'"):
        chart_spec(data, lang="fr")
