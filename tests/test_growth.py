"""The data can grow: a correct new article, even one after the 2025 reform, builds cleanly.

These tests add a fixture article (tests/fixtures/article_2025: a commune and a
province of the 2025 list, the commune's party organisation directly under the
provincial one) to a copy of ``data/`` and build it as ``kgraph build`` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.check import GraphViolations
from kgraph.graph.engine import open_store
from kgraph.graph.namespaces import KG, ORG, Iris
from kgraph.pipeline import build_to_file
from tests.fixture_articles import add_article


def test_a_2025_commune_congress_builds_with_no_violation(data_copy: Path, tmp_path: Path) -> None:
    add_article(data_copy, "article_2025")
    result = build_to_file(data_copy, tmp_path / "kgraph.ttl")
    assert result.validation is not None and result.validation.conforms
    iris = Iris()
    commune = iris.unit("commune", "2025", "03356")
    province = iris.unit("province", "2025", "11")
    org = iris.id("grassroots-party-committee", "dang-bo-xa-sam-mun")
    graph = result.graph
    assert graph.value(commune, KG.partOf) == province
    assert graph.value(commune, KG.vintage) == KG.vintage2025
    assert graph.value(org, ORG.subOrganizationOf) == iris.id(
        "provincial-party-organisation", "dang-bo-tinh-dien-bien"
    )
    assert graph.value(org, KG.leadsArea) == commune
    # the same code in the 2024 list is another unit (xã Pom Lót), still there
    assert graph.value(iris.unit("commune", "2024", "03356"), KG.partOf) == iris.unit(
        "district", "2024", "100"
    )
    # in the store, the curated 2025 unit is the backbone's: it knows its predecessors
    assert result.store is not None
    store = open_store(result.store)
    query = f"SELECT ?old WHERE {{ <{commune}> <http://purl.org/dc/terms/replaces> ?old }}"
    olds = {row["old"].value for row in store.store.query(query)}  # type: ignore[union-attr]
    assert olds == {str(iris.unit("commune", "2024", c)) for c in ("03356", "03361")}


@pytest.mark.parametrize(
    ("replace", "why"),
    [
        (
            {",dang-bo-tinh-dien-bien,xa-sam-mun,": ",dang-bo-huyen-dien-bien,xa-sam-mun,"},
            "leads a commune of the 2025 list, so it is directly under the provincial party",
        ),
    ],
)
def test_a_2025_organisation_under_an_abolished_district_is_a_violation(
    data_copy: Path, tmp_path: Path, replace: dict[str, str], why: str
) -> None:
    add_article(data_copy, "article_2025", replace)
    with pytest.raises(GraphViolations) as caught:
        build_to_file(data_copy, tmp_path / "kgraph.ttl")
    messages = [r.message for r in caught.value.report.results]
    assert any(why in m for m in messages), messages


@pytest.mark.parametrize(
    ("replace", "column", "what"),
    [
        ({",03356,2025,": ",03356,,"}, "vintage", "a GSO code needs its vintage"),
        ({",Sam Mứn Commune,": ",Sam Mun Commune,"}, "name_en", "'Sam Mứn Commune'"),
        ({"xa-sam-mun,commune,Sam Mứn": "xa-sam-mun,commune,Pom Lót"}, "name_vi", "'Sam Mứn'"),
        ({",tinh-dien-bien-2025,03356": ",huyen-dien-bien,03356"}, "parent", "(2025)"),
        ({",11,2025,": ",100,2025,"}, "gso_code", "not in admin-units/units-2025.csv"),
    ],
)
def test_a_unit_version_must_be_the_list_s_own(
    data_copy: Path, replace: dict[str, str], column: str, what: str
) -> None:
    from kgraph.curate.dataset import load_dataset
    from kgraph.errors import InputError

    add_article(data_copy, "article_2025", replace)
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy)
    assert caught.value.column == column
    assert what in str(caught.value)


def test_the_fixture_is_marked_as_not_a_real_article() -> None:
    text = (Path(__file__).parent / "fixtures/article_2025/900_test2025.txt").read_text("utf-8")
    assert text.startswith("BÀI MẪU DÙNG CHO KIỂM THỬ – KHÔNG PHẢI BÀI BÁO THẬT")
