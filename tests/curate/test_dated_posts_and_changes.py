"""Posts with start and end, and changes a source dates: read, checked, built at their precision."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import ORG, RDF, TIME, XSD

from kgraph.curate.dataset import load_dataset
from kgraph.errors import InputError
from kgraph.graph.build import build_graph
from kgraph.graph.namespaces import DCTERMS, KG, OA, Iris

POSTS = "id,person,role,organisation,as_of,start,end,source,quote,note\n"
# article 001 is dated 2017-07-05; "current" is that day
POST = (
    "p-1,nguyen-van-dau,secretary,dang-uy-xa-pom-lot,current,2015,2020-06,"
    "001_a26cdb5e4219828f,Ông Nguyễn Văn Đẩu: Bí thư Đảng ủy xã Pom Lót,\n"
)
CHANGES = "id,kind,original,resulting,date,source,quote,note\n"
CHANGE = (
    "c-1,establishment,,xa-na-tong,2013-07,002_d1c8e3284860da81,"
    "được chia tách thành lập tháng 7/2013,\n"
)


@pytest.mark.parametrize(
    ("row", "column", "what"),
    [
        (POST.replace(",2015,2020-06,", ",2015,2014,"), "end", "ends (2014) before it starts"),
        (POST.replace(",2015,2020-06,", ",2018,,"), "as_of", "before the post's start (2018)"),
        (POST.replace(",2015,2020-06,", ",,2016-12,"), "as_of", "after the post's end (2016-12)"),
        (POST.replace(",current,2015,2020-06,", ",,,,"), "as_of", "needs as_of"),
        (POST.replace(",2015,", ",7/2015,"), "start", "not an ISO year"),
        (POST.replace(",2020-06,", ",2020-13,"), "end", "2020-13"),
    ],
)
def test_a_post_with_contradicting_dates_is_refused(
    data_copy: Path, row: str, column: str, what: str
) -> None:
    (data_copy / "curated" / "posts.csv").write_text(POSTS + row, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy)
    assert caught.value.path is not None and caught.value.path.name == "posts.csv"
    assert (caught.value.row, caught.value.column) == (2, column)
    assert what in str(caught.value)


@pytest.mark.parametrize(
    ("row", "column", "what"),
    [
        (CHANGE.replace(",xa-na-tong,", ",,"), "resulting", "names the unit or organisation"),
        (CHANGE.replace(",establishment,", ",founding,"), "kind", "not one of"),
        (CHANGE.replace(",xa-na-tong,", ",ban-pa-kin-1,"), "resulting", "is a village"),
        (CHANGE.replace(",,xa-na-tong,", ",dang-bo-xa-na-tong,xa-na-tong,"), "resulting", "both"),
        (CHANGE.replace(",2013-07,", ",tháng 7/2013,"), "date", "not an ISO year"),
        (CHANGE.replace("tháng 7/2013", "tháng 8/2013"), "quote", None),
    ],
)
def test_a_bad_change_is_refused_by_row_and_column(
    data_copy: Path, row: str, column: str, what: str | None
) -> None:
    (data_copy / "curated" / "changes.csv").write_text(CHANGES + row, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy)
    assert caught.value.path is not None and caught.value.path.name == "changes.csv"
    assert (caught.value.row, caught.value.column) == (2, column)
    if what is not None:
        assert what in str(caught.value)


def test_a_dated_post_is_an_interval_of_instants_at_their_precision(
    data_copy: Path, iris: Iris
) -> None:
    (data_copy / "curated" / "posts.csv").write_text(POSTS + POST, encoding="utf-8")
    graph = build_graph(load_dataset(data_copy), iris)
    holding = iris.id("post-holding", "p-1")
    during = graph.value(holding, ORG.memberDuring)
    assert (during, RDF.type, TIME.ProperInterval) in graph
    start, end = graph.value(during, TIME.hasBeginning), graph.value(during, TIME.hasEnd)
    assert (start, end) == (iris.id("instant", "2015"), iris.id("instant", "2020-06"))
    assert graph.value(start, TIME.inXSDgYear) == Literal("2015", datatype=XSD.gYear)
    assert graph.value(end, TIME.inXSDgYearMonth) == Literal("2020-06", datatype=XSD.gYearMonth)
    assert graph.value(graph.value(holding, KG.asOf), KG.endDate) == Literal(
        "2017-07-05", datatype=XSD.date
    )


def test_a_post_dated_only_by_start_has_no_as_of(data_copy: Path, iris: Iris) -> None:
    row = POST.replace(",current,2015,2020-06,", ",,2016-03-01,,")
    (data_copy / "curated" / "posts.csv").write_text(POSTS + row, encoding="utf-8")
    graph = build_graph(load_dataset(data_copy), iris)
    holding = iris.id("post-holding", "p-1")
    assert graph.value(holding, KG.asOf) is None
    start = graph.value(graph.value(holding, ORG.memberDuring), TIME.hasBeginning)
    assert graph.value(start, TIME.inXSDDate) == Literal("2016-03-01", datatype=XSD.date)


def test_a_founding_is_a_change_of_the_unit_with_its_month_and_quote(
    data_copy: Path, iris: Iris
) -> None:
    (data_copy / "curated" / "changes.csv").write_text(CHANGES + CHANGE, encoding="utf-8")
    graph = build_graph(load_dataset(data_copy), iris)
    change = iris.id("change", "c-1")
    assert (change, RDF.type, KG.AdministrativeChange) in graph
    assert graph.value(change, KG.changeKind) == KG.establishment
    assert graph.value(change, KG.resultingUnit) == iris.unit("commune", "2024", "03365")
    assert graph.value(change, KG.originalUnit) is None  # the article does not say
    assert graph.value(change, DCTERMS.date) == Literal("2013-07", datatype=XSD.gYearMonth)
    selector = graph.value(graph.value(change, KG.evidence), OA.hasSelector)
    assert str(graph.value(selector, OA.exact)) == "được chia tách thành lập tháng 7/2013"


def test_a_change_of_an_organisation_is_an_org_change_event(data_copy: Path, iris: Iris) -> None:
    row = (
        "c-2,merger,chi-bo-ban-pa-kin-1,dang-bo-xa-na-tong,2016,002_d1c8e3284860da81,"
        "Bí thư Chi bộ bản Pá Kín 1,\n"
    )
    (data_copy / "curated" / "changes.csv").write_text(CHANGES + row, encoding="utf-8")
    graph = build_graph(load_dataset(data_copy), iris)
    change = iris.id("change", "c-2")
    assert (change, RDF.type, ORG.ChangeEvent) in graph
    assert graph.value(change, ORG.originalOrganization) == iris.id(
        "party-cell", "chi-bo-ban-pa-kin-1"
    )
    assert graph.value(change, DCTERMS.date) == Literal("2016", datatype=XSD.gYear)
