"""The timeline of an organisation: its terms, congress, posts and changes, drawn and escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kgraph.charts.html import library_script
from kgraph.charts.timeline import timeline_data, timeline_page, timeline_spec
from kgraph.cli import main
from kgraph.errors import ChartError

FIXTURE = Path(__file__).parent / "fixtures" / "timeline.ttl"
ID = "https://kgraph.example.org/id/"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(FIXTURE, format="turtle")


def _rows(graph: Graph, focus: str) -> list[tuple[str, str, str, str]]:
    t = timeline_data(graph, focus)
    return [(e.role, e.kind, e.item.removeprefix(ID), e.when("en")) for e in t.entries]


def test_an_organisation_has_its_terms_congress_posts_changes_and_parents_term(
    graph: Graph,
) -> None:
    assert sorted(_rows(graph, "dang-bo-xa-thu")) == [
        ("area", "change", "change/xa-thu-establishment-2013-07", "2013-07"),
        ("parent", "term", "term/dang-bo-huyen-thu-2010-2015", "2010–2015"),
        ("self", "congress", "congress/dang-bo-xa-thu-2015-2020", "2015"),
        (
            "self",
            "post",
            "post-holding/nguyen-van-a-deputy-secretary",
            "2011-03–2015 (as of 2012-06-30)",
        ),
        ("self", "post", "post-holding/nguyen-van-a-secretary", "as of 2016-05-01"),
        ("self", "term", "term/dang-bo-xa-thu-2010-2015", "2010–2015"),
        ("self", "term", "term/dang-bo-xa-thu-2015-2020", "2015–2020"),
    ]


def test_a_name_an_id_and_an_iri_find_the_same_timeline(graph: Graph) -> None:
    by_id = timeline_data(graph, "dang-bo-xa-thu")
    assert by_id.focus == ID + "grassroots-party-committee/dang-bo-xa-thu"
    assert by_id.name == "Đảng bộ xã Thử"
    assert timeline_data(graph, "dang bo xa thu") == by_id
    assert timeline_data(graph, by_id.focus) == by_id


def test_a_place_shows_its_founding_with_its_month(graph: Graph) -> None:
    (entry,) = timeline_data(graph, "2024-99001").entries
    assert (entry.role, entry.kind, entry.start) == ("self", "change", "2013-07")
    assert entry.quote == "được chia tách thành lập tháng 7/2013"
    assert entry.drawn() == ("2013-07-01", None)


def test_intervals_are_bars_and_dates_points(graph: Graph) -> None:
    spec = timeline_spec(timeline_data(graph, "dang-bo-xa-thu"), "en")
    drawn = {(v["label"], v["from"], v["to"]) for v in spec["data"]["values"]}
    assert (
        "20th term (2010–2015), Thử Commune Party Organisation",
        "2010-01-01",
        "2015-01-01",
    ) in (drawn)
    assert (
        "Nguyễn Văn A: deputy secretary, Thử Commune Party Committee",
        "2011-03-01",
        "2015-01-01",
    ) in drawn
    assert ("Nguyễn Văn A: secretary, Thử Commune Party Committee", "2016-05-01", None) in drawn
    assert ("Establishment of Thử Commune (2013-07)", "2013-07-01", None) in drawn


@pytest.mark.parametrize(
    ("focus", "message"),
    [
        ("", "--focus is empty"),
        ("xã Thử", "names 2"),
        ("no-such-organisation", "no organisation or unit"),
    ],
)
def test_a_focus_that_names_nothing_or_several_stops(
    graph: Graph, focus: str, message: str
) -> None:
    with pytest.raises(ChartError, match=message):
        timeline_data(graph, focus)


def test_hostile_labels_and_quotes_reach_the_page_only_as_text(graph: Graph) -> None:
    page = timeline_page(timeline_data(graph, "dang-bo-xa-doc"), "vi")
    assert page.count(library_script()) == 1
    own = page.replace(library_script(), "")  # the Vega bundle has markup in its own code
    assert "<img" not in own and "<b>Độc" not in own
    assert own.count("</script>") == own.count("<script") == 1  # the spec's own block only
    assert "&lt;b&gt;Độc&lt;/b&gt;" in page  # the title and table, escaped
    spec_text = page.split('class="kgraph-chart-spec">', 1)[1].split("</script>", 1)[0]
    spec = json.loads(spec_text)["spec"]
    assert spec["data"]["values"][0]["quote"] == 'nhiệm kỳ "2015" & <2020> </script>'


def test_the_cli_writes_the_timeline_and_refuses_other_formats(tmp_path: Path) -> None:
    out = tmp_path / "thu.html"
    args = ["view", "timeline", "--focus", "dang-bo-xa-thu", "--input", str(FIXTURE)]
    result = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (7 entries)\n"
    assert "Dòng thời gian: Đảng bộ xã Thử" in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, [*args, "--format", "gexf"])
    assert result.exit_code == 2 and "html only" in result.output
    result = CliRunner().invoke(
        main, ["view", "timeline", "--focus", "xã Thử", "--input", str(FIXTURE)]
    )
    assert result.exit_code != 0 and "give an id" in result.output


def test_the_spec_is_vega_lite_that_renders_offline(graph: Graph) -> None:
    import vl_convert

    from kgraph.charts.offline import vl_version

    spec = timeline_spec(timeline_data(graph, "dang-bo-xa-thu"), "vi")
    svg = vl_convert.vegalite_to_svg(spec, vl_version=vl_version(), allowed_base_urls=[])
    assert svg.startswith("<svg") and "Nhiệm kỳ, đại hội – Đảng bộ xã Thử" in svg
