"""What a chart draws: which figures, with which qualifier, band, unit version and relation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from rdflib import Graph

from kgraph.charts.data import chart_data
from kgraph.errors import ChartError, KgraphError

from .conftest import ID


def _ids(points: tuple) -> list[str]:  # type: ignore[type-arg]
    return [p.observation.removeprefix(ID + "observation/") for p in points]


def test_time_series_of_one_place_follows_it_across_the_reform(figures: Graph) -> None:
    data = chart_data(figures, "time-series", "poor-household-rate", focus="Hoa Binh")
    # both versions of Hòa Bình are one place: the newest is the focus, the old one its predecessor
    assert data.focus == ID + "commune/2025-03001"
    assert data.focus_label == "Hòa Bình"
    assert _ids(data.points) == ["s1-01", "s1-02", "s1-03", "s1-04", "s1-05"]
    got = {
        p.observation.rsplit("/", 1)[-1]: (p.value, p.upper, p.qualifier, p.vintage, p.relation)
        for p in data.points
    }
    assert got == {
        "s1-01": (Decimal("12.5"), None, "exact", "2024", "predecessor-whole"),
        "s1-02": (Decimal("10.0"), None, "approximate", "2024", "predecessor-whole"),
        "s1-03": (Decimal("8.0"), Decimal("9.5"), "range", "2024", "predecessor-whole"),
        "s1-04": (Decimal("5.0"), None, "more-than", "2025", "self"),
        "s1-05": (Decimal("3.0"), None, "target", "2025", "self"),
    }
    band = data.points[2]
    assert (band.start, band.end) == (date(2019, 1, 1), date(2020, 12, 31))
    assert data.points[0].quote == "năm 2016 tỷ lệ hộ nghèo là 12,5%"
    assert data.points[0].source_title == "Hòa Bình giảm nghèo bền vững"
    assert (data.unit, data.unit_symbol) == ("percent", "%")
    assert data.undated == ()


def test_focus_by_id_keeps_the_relations_from_that_version(figures: Graph) -> None:
    data = chart_data(figures, "time-series", "poor-household-rate", focus="2024-03001")
    assert data.focus == ID + "commune/2024-03001"
    assert [p.relation for p in data.points] == ["self"] * 3 + ["successor-whole"] * 2


def test_an_organisation_stands_for_the_unit_it_leads_and_undated_figures_are_set_aside(
    figures: Graph,
) -> None:
    data = chart_data(figures, "time-series", "poor-household-rate", focus="dang-bo-xa-na-sang")
    assert _ids(data.points) == ["s2-01"]
    assert data.points[0].area_name == "Na Sang"
    assert data.points[0].district == "Mường Tè"
    assert _ids(data.undated) == ["s2-02"]


def test_compare_at_a_period_keeps_the_figures_inside_it(figures: Graph) -> None:
    data = chart_data(figures, "compare", "poor-household-rate", period="2016")
    assert data.period == "2016"
    assert sorted(_ids(data.points)) == ["s1-01", "s2-01", "s2-03"]


def test_compare_without_period_takes_each_entitys_latest_achieved_figure(figures: Graph) -> None:
    data = chart_data(figures, "compare", "poor-household-rate")
    # the 2025 commune's target for 2030 is later, but a plan is not its latest state
    assert sorted(_ids(data.points)) == ["s1-03", "s1-04", "s2-01", "s2-03"]
    assert data.period is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"indicator": "poor-households-rate"}, "--indicator 'poor-households-rate'"),
        ({"indicator": "poor-household-rate", "focus": "Atlantis"}, "--focus 'Atlantis'"),
        ({"indicator": "poor-household-rate", "focus": " "}, "--focus is empty"),
        ({"indicator": "poor-household-rate", "kind": "pie"}, "unknown chart 'pie'"),
        ({"indicator": "poor-household-rate", "period": "2016"}, "--period applies to compare"),
        (
            {"indicator": "poor-household-rate", "kind": "compare", "period": "2099"},
            "indicator .* within 2099",
        ),
        ({"indicator": "poor-household-rate", "kind": "compare", "period": "soon"}, "--period"),
    ],
)
def test_errors_name_what_is_wrong(figures: Graph, kwargs: dict[str, Any], message: str) -> None:
    given = dict(kwargs)
    kind = given.pop("kind", "time-series")
    with pytest.raises(ChartError, match="^" + message) as caught:
        chart_data(figures, kind, **given)
    assert isinstance(caught.value, KgraphError) and "\n" not in str(caught.value)


def test_an_unknown_indicator_suggests_the_near_ones(figures: Graph) -> None:
    with pytest.raises(ChartError, match="did you mean poor-household-rate"):
        chart_data(figures, "time-series", "poor-households-rate")


def test_a_name_of_two_different_places_is_ambiguous() -> None:
    graph = Graph().parse(
        data="""
        @prefix kg: <https://kgraph.example.org/def/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://kgraph.example.org/id/commune/2024-00001> a kg:Commune ;
            rdfs:label "Tân Lập"@vi ; kg:searchKey "tan lap" .
        <https://kgraph.example.org/id/commune/2024-00002> a kg:Commune ;
            rdfs:label "Tân Lập"@vi ; kg:searchKey "tan lap" .
        """,
        format="turtle",
    )
    from kgraph.charts.data import _resolve, engine_for
    from kgraph.graph.namespaces import Iris

    with pytest.raises(ChartError, match="matches 2 entities: 2024-00001, 2024-00002; give an id"):
        _resolve(engine_for(graph), "Tan Lap", Iris())
