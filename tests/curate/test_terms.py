"""Terms (nhiệm kỳ) and congresses: read as printed, checked, built with their quotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import TIME, XSD

from kgraph.curate.dataset import load_dataset
from kgraph.errors import InputError
from kgraph.graph.namespaces import KG, OA, Iris

HEADER = "id,organisation,ordinal,start,end,congress,source,quote,note\n"
GOOD = "t-1,dang-bo-xa-pom-lot,XXI,2015,2020,false,001_a26cdb5e4219828f,nhiệm kỳ XXI (2015-2020),\n"


@pytest.mark.parametrize(
    ("row", "column", "what"),
    [
        (GOOD.replace(",XXI,", ",XXXXI,"), "ordinal", "not an ordinal"),
        (GOOD.replace(",2015,2020,", ",2020,2015,"), "end", "ends (2015) before it starts (2020)"),
        (GOOD.replace(",2015,2020,", ",2015,,"), "end", "both years"),
        (GOOD.replace(",XXI,2015,2020,", ",,,,"), "ordinal", "its number or its years"),
        (GOOD.replace(",2015,", ",15,"), "start", "not a year"),
        (GOOD.replace(",false,", ",yes,"), "congress", "not true or false"),
        (GOOD.replace("dang-bo-xa-pom-lot", "dang-bo-xa-khong-co"), "organisation", None),
        (GOOD.replace("nhiệm kỳ XXI (2015-2020)", "nhiệm kỳ XX (2015-2020)"), "quote", None),
    ],
)
def test_a_bad_term_is_refused_by_row_and_column(
    data_copy: Path, row: str, column: str, what: str | None
) -> None:
    (data_copy / "curated" / "terms.csv").write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy)
    assert caught.value.path is not None and caught.value.path.name == "terms.csv"
    assert (caught.value.row, caught.value.column) == (2, column)
    if what is not None:
        assert what in str(caught.value)


def test_terms_carry_number_years_and_quote(graph: Graph, iris: Iris) -> None:
    term = iris.id("term", "dang-bo-xa-pom-lot-2015-2020")
    assert graph.value(term, KG.termOf) == iris.id(
        "grassroots-party-committee", "dang-bo-xa-pom-lot"
    )
    assert graph.value(term, KG.ordinal) == Literal(21, datatype=XSD.positiveInteger)
    years = [
        graph.value(graph.value(term, p), TIME.inXSDgYear) for p in (TIME.hasBeginning, TIME.hasEnd)
    ]
    assert [str(y) for y in years] == ["2015", "2020"]
    (selector,) = graph.objects(graph.value(term, KG.evidence), OA.hasSelector)
    assert str(graph.value(selector, OA.exact)) == "ngay từ đầu nhiệm kỳ XXI (2015-2020)"


def test_a_congress_opens_its_term(graph: Graph, iris: Iris) -> None:
    congress = iris.id("congress", "dang-bo-huyen-dien-bien-2010-2015")
    assert graph.value(congress, KG.opensTerm) == iris.id(
        "term", "dang-bo-huyen-dien-bien-2010-2015"
    )
    assert graph.value(congress, KG.congressOf) == iris.id(
        "district-party-organisation", "dang-bo-huyen-dien-bien"
    )
    # a term the article names without its congress has none
    assert graph.value(None, KG.opensTerm, iris.id("term", "dang-bo-xa-pom-lot-2015-2020")) is None


def test_every_shipped_term_rests_on_a_quote_in_its_article(dataset: object) -> None:
    """An invariant, not a count: adding terms with new articles keeps it."""
    from kgraph.curate.dataset import Dataset

    assert isinstance(dataset, Dataset)
    for row in dataset.table("terms"):
        assert row["quote"] in dataset.texts[row["source"]]
        assert row["ordinal"] is not None or row["start"] is not None
