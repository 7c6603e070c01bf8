"""SHACL validation: every shape and rule passes a fixture and fails a mutated one.

``tests/check/fixtures/validate/base.ttl`` is a small, conforming slice of the
shipped graph (``extract_base.py`` writes it). Each case adds one fixture to
it: ``<case>.pass.ttl`` must raise nothing, ``<case>.fail.ttl`` exactly the
results listed in ``FAIL_CASES`` (shape, constraint, focus, value, message).
"""

from __future__ import annotations

import csv
import doctest
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

import kgraph.check.validate
from kgraph import resources
from kgraph.check import (
    RENDERERS,
    GraphViolations,
    Severity,
    ValidationReport,
    ValidationResult,
    validate_graph,
)
from kgraph.cli import main
from kgraph.errors import InputError
from kgraph.graph.namespaces import SH, SHAPES, Iris
from kgraph.pipeline import build_to_file, write_validation_reports

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "validate"
ID = "https://kgraph.example.org/id/"
POM_LOT = "001_a26cdb5e4219828f"


@dataclass(frozen=True)
class Expect:
    """One expected result: shape, constraint component, focus and value (relative to ``ID``)."""

    shape: str
    constraint: str
    focus: str
    value: str | None = None
    severity: Severity = Severity.VIOLATION
    message: str | None = None


def _v(
    shape: str, constraint: str, focus: str, value: str | None = None, message: str | None = None
) -> Expect:
    return Expect(shape, constraint, focus, value, Severity.VIOLATION, message)


def _w(shape: str, focus: str, value: str | None, message: str) -> Expect:
    return Expect(shape, "SPARQL", focus, value, Severity.WARNING, message)


CELLS = "cells by kind: the parts add up to 25, more than their total (23)"
SHORT = "grassroots organisation by type: the parts add up to 36, less than their total (45)"
RATINGS_90 = "member rating: the shares add up to 90 %, less than 100 %"
RATINGS_105 = "member rating: the shares add up to 105 %, more than 100 %"
PLACE = "kgsh:ObservationShape › "

#: fixture name -> every result its .fail.ttl must raise on top of the base, and nothing else
FAIL_CASES: dict[str, list[Expect]] = {
    # places
    "commune-without-english-label": [_v("kgsh:labels", "MinCount", "commune/xa-thanh-an")],
    "commune-without-gso-code": [
        _v("kgsh:AdministrativeUnitShape › skos:notation", "MinCount", "commune/xa-thanh-xuong")
    ],
    "province-code-three-digits": [
        _v("kgsh:ProvinceShape › skos:notation", "Pattern", "province/tinh-son-la", "114")
    ],
    "district-without-province": [
        _v("kgsh:DistrictShape › kg:partOf", "MinCount", "district/huyen-muong-cha")
    ],
    "commune-dangling-parent": [
        _v(
            "kgsh:CommuneShape › kg:partOf",
            "Or",
            "commune/xa-muong-cang",
            "district/huyen-khong-co-trong-do-thi",
        )
    ],
    # time: unit versions and party levels in their period
    "commune-2025-in-a-district": [
        _v(
            "kgsh:UnitInItsPeriod",
            "SPARQL",
            "commune/2025-03361",
            "district/2024-100",
            "is a unit of the 2025 list but part of a unit of the 2024 list",
        )
    ],
    "commune-2024-in-a-province": [
        _v(
            "kgsh:UnitInItsPeriod",
            "SPARQL",
            "commune/2024-03361",
            "province/2024-11",
            "is a commune of the 2024 list, so it is part of a district",
        )
    ],
    "district-in-the-2025-list": [
        _v("kgsh:DistrictShape › kg:vintage", "HasValue", "district/2025-101")
    ],
    "provincial-organisation-leads-a-district": [
        _v(
            "kgsh:ProvincialPartyOrganisationShape › kg:leadsArea",
            "Class",
            "provincial-party-organisation/dang-bo-tinh-lai-chau",
            "district/2024-110",
        )
    ],
    "commune-organisation-2025-under-a-district": [
        _v(
            "kgsh:PartyLevelInItsPeriod",
            "SPARQL",
            "grassroots-party-committee/dang-bo-xa-na-tau",
            "district-party-organisation/dang-bo-huyen-dien-bien",
            "so it is directly under the provincial party organisation",
        ),
        _v(
            "kgsh:LedAreaInParentArea",
            "SPARQL",
            "grassroots-party-committee/dang-bo-xa-na-tau",
            "commune/2025-03361",
        ),
    ],
    "commune-organisation-2024-under-the-province": [
        _v(
            "kgsh:PartyLevelInItsPeriod",
            "SPARQL",
            "grassroots-party-committee/dang-bo-xa-na-u",
            "provincial-party-organisation/dang-bo-tinh-dien-bien",
            "so it belongs to its district's party organisation",
        ),
        _v(
            "kgsh:LedAreaInParentArea",
            "SPARQL",
            "grassroots-party-committee/dang-bo-xa-na-u",
            "commune/2024-03361",
        ),
    ],
    # terms and congresses
    "term-of-nothing": [
        _v(
            "kgsh:TermShape › kg:termOf",
            "Class",
            "term/dang-bo-xa-khong-co-2015-2020",
            "grassroots-party-committee/dang-bo-xa-khong-co",
        )
    ],
    "congress-without-term": [
        _v("kgsh:CongressShape › kg:opensTerm", "MinCount", "congress/dang-bo-xa-pom-lot-2020-2025")
    ],
    "village-in-a-district": [
        _v(
            "kgsh:VillageShape › kg:partOf",
            "Class",
            "village/ban-pa-kin-2",
            "district/2024-100",
        )
    ],
    "border-gate-in-two-units": [
        _v("kgsh:BorderGateShape › kg:partOf", "MaxCount", "border-gate/cua-khau-huoi-puoc")
    ],
    "hydropower-part-of-an-organisation": [
        _v(
            "kgsh:HydropowerProjectShape › kg:partOf",
            "Class",
            "hydropower/thuy-dien-ban-chat",
            "grassroots-party-committee/dang-bo-xa-na-tong",
        )
    ],
    "country-part-of-a-province": [_v("kgsh:CountryShape › kg:partOf", "MaxCount", "country/lao")],
    "search-key-with-diacritics": [
        _v("kgsh:search-key", "Pattern", "village/ban-pa-kin-2", "Pá Kín 2")
    ],
    # organisations
    "organisation-without-evidence": [
        _v("kgsh:has-evidence", "MinCount", "grassroots-party-committee/dang-bo-xa-thanh-luong")
    ],
    "organisation-without-vietnamese-name": [
        _v(
            "kgsh:OrganisationCommon › skos:prefLabel",
            "LanguageIn",
            "party-committee/dang-uy-xa-thanh-luong",
            "Thanh Luông Commune Party Committee",
        )
    ],
    "note-in-vietnamese": [
        _v(
            "kgsh:note-en",
            "LanguageIn",
            "grassroots-party-committee/dang-bo-xa-pom-lot",
            "Bài viết ghi 23 chi bộ.",
        )
    ],
    "party-organisation-with-two-parents": [
        _v(
            "kgsh:PartyOrganisationShape › org:subOrganizationOf",
            "MaxCount",
            "grassroots-party-committee/dang-bo-xa-thanh-luong",
        )
    ],
    "district-organisation-leads-a-commune": [
        _v(
            "kgsh:DistrictPartyOrganisationShape › kg:leadsArea",
            "Class",
            "district-party-organisation/dang-bo-huyen-muong-cha",
            "commune/2024-03356",
        )
    ],
    "grassroots-organisation-without-parent": [
        _v(
            "kgsh:GrassrootsPartyOrganisationShape › org:subOrganizationOf",
            "MinCount",
            "grassroots-party-committee/dang-bo-xa-thanh-luong",
        )
    ],
    "grassroots-committee-leads-a-district": [
        _v(
            "kgsh:GrassrootsPartyCommitteeShape › kg:leadsArea",
            "Class",
            "grassroots-party-committee/dang-bo-xa-thanh-luong",
            "district/2024-100",
        )
    ],
    "grassroots-cell": [
        _v(
            "kgsh:GrassrootsPartyCellShape › kg:cellKind",
            "Class",
            "grassroots-party-cell/chi-bo-co-so-mau",
            "unit/number",
        )
    ],
    "party-cell-in-two-organisations": [
        _v("kgsh:PartyCellShape › org:unitOf", "MaxCount", "party-cell/t-chi-bo-2")
    ],
    "committee-leads-an-area": [
        _v(
            "kgsh:PartyCommitteeShape › kg:leadsArea",
            "MaxCount",
            "party-committee/dang-uy-xa-pom-lot",
        )
    ],
    "standing-committee-of-an-organisation": [
        _v(
            "kgsh:StandingCommitteeShape › org:unitOf",
            "Class",
            "standing-committee/ban-thuong-vu-dang-uy-xa-na-tong",
            "grassroots-party-committee/dang-bo-xa-na-tong",
        )
    ],
    "central-body-leads-an-area": [
        _v(
            "kgsh:CentralPartyBodyShape › kg:leadsArea",
            "MaxCount",
            "central-party-body/ban-chap-hanh-trung-uong",
        )
    ],
    "armed-unit-under-a-place": [
        _v(
            "kgsh:ArmedForcesUnitShape › org:subOrganizationOf",
            "Class",
            "armed-forces-unit/cum-tac-chien-bien-phong-tay-trang",
            "district/2024-100",
        )
    ],
    "media-leads-an-area": [
        _v(
            "kgsh:MediaOrganisationShape › kg:leadsArea",
            "MaxCount",
            "media-organisation/cong-thong-tin-huyen-dien-bien",
        )
    ],
    "cell-leads-village-of-another-commune": [
        _v(
            "kgsh:LedAreaInParentArea",
            "SPARQL",
            "party-cell/t-chi-bo",
            "village/ban-pa-kin-1",
            "leads Pá Kín 1 village, which is not within Pom Lót Commune",
        )
    ],
    # people and posts
    "person-without-name": [_v("kgsh:name-vi", "MinCount", "person/lo-van-phong")],
    "person-with-two-honorifics": [
        _v("kgsh:PersonShape › schema:honorificPrefix", "MaxCount", "person/nguyen-van-dau")
    ],
    "post-in-missing-organisation": [
        _v(
            "kgsh:PostShape › org:postIn",
            "Class",
            "post/lo-van-phong-secretary",
            "party-committee/dang-uy-xa-na-tong",
        )
    ],
    "post-holding-without-date": [
        _v("kgsh:PostHoldingShape", "Or", "post-holding/nguyen-van-dau-secretary-2")
    ],
    "post-attested-before-its-start": [
        _v(
            "kgsh:PostHoldingShape",
            "SPARQL",
            "post-holding/nguyen-van-dau-secretary",
            "post-holding/nguyen-van-dau-secretary/during",
        )
    ],
    "post-ends-before-it-starts": [
        _v(
            "kgsh:PostHoldingShape",
            "SPARQL",
            "post-holding/nguyen-van-dau-secretary-3",
            "post-holding/nguyen-van-dau-secretary-3/during",
        )
    ],
    "change-without-kind": [
        _v(
            "kgsh:StatedChangeShape › kg:changeKind",
            "MinCount",
            "change/xa-pom-lot-establishment-2013-07",
        ),
        _v(
            "kgsh:StatedChangeShape › dcterms:date",
            "Or",
            "change/xa-pom-lot-establishment-2013-07",
            "tháng 7/2013",
        ),
    ],
    # documents, sources, evidence, periods
    "document-issued-twice": [
        _v(
            "kgsh:PolicyDocumentShape › dcterms:issued",
            "MaxCount",
            "document/nghi-quyet-trung-uong-4-khoa-xi",
        )
    ],
    "decision": [
        _v(
            "kgsh:DecisionShape › kg:documentNumber",
            "Pattern",
            "document/quyet-dinh-1255-qd-hu",
            "1255-CT/HU",
        )
    ],
    "directive": [
        _v(
            "kgsh:DirectiveShape › kg:documentNumber",
            "Pattern",
            "document/chi-thi-03-ct-tw",
            "03-QĐ/TW",
        )
    ],
    "resolution-with-a-decision-number": [
        _v(
            "kgsh:ResolutionShape › kg:documentNumber",
            "Pattern",
            "document/nghi-quyet-trung-uong-4-khoa-xi",
            "12-QĐ/TW",
        )
    ],
    "law": [
        _v(
            "kgsh:LawShape › kg:documentNumber",
            "Pattern",
            "document/luat-cong-chuc-vien-chuc",
            "03-CT/TW",
        )
    ],
    "charter-with-a-number": [
        _v("kgsh:CharterShape › kg:documentNumber", "MaxCount", "document/dieu-le-dang")
    ],
    "document-issued-after-citing-article": [
        _v(
            "kgsh:DocumentNotAfterCitingArticle",
            "SPARQL",
            "document/quyet-dinh-2018",
            "2018-01-01",
            f"after article {POM_LOT} that cites it was published on 2017-07-05",
        )
    ],
    "article-published-in-1890": [
        _v(
            "kgsh:SourceArticleShape › dcterms:issued",
            "Or",
            "source/999_mistyped",
            "1890-07-05T08:57:14",
        )
    ],
    "evidence-without-quote": [
        _v("kgsh:EvidenceShape › oa:hasSelector", "MinCount", "observation/t-evidence/evidence")
    ],
    "empty-quote": [_v("kgsh:QuoteShape › oa:exact", "MinLength", "observation/t-quote/quote", "")],
    "period-ends-before-it-starts": [
        _v(
            "kgsh:PeriodShape › kg:startDate",
            "LessThanOrEquals",
            "period/2016-reversed",
            "2016-12-31",
        )
    ],
    "instant-with-two-dates": [_v("kgsh:InstantShape", "Xone", "instant/2013-01-01")],
    # code lists and indicators
    "code-without-english-name": [
        _v("kgsh:labels", "MinCount", "unit/household"),
        _v("kgsh:pref-labels", "MinCount", "unit/household"),
    ],
    "code-without-definition": [_v("kgsh:definition-en", "MinCount", "unit/household")],
    "code-with-capitals": [_v("kgsh:notation-slug", "Pattern", "unit/household", "Household")],
    "code-in-two-schemes": [_v("kgsh:CodeCommon › skos:inScheme", "MaxCount", "unit/hectare")],
    "indicator-minimum-above-maximum": [
        _v("kgsh:IndicatorShape › kg:minValue", "LessThanOrEquals", "indicator/t-backwards", "100")
    ],
    "partition-parts-in-different-units": [
        _v(
            "kgsh:PartitionMemberShape › kg:sharePartition/^kg:sharePartition/kg:defaultUnit",
            "Equals",
            "indicator/t-count",
            "unit/percent",
        ),
        _v(
            "kgsh:PartitionMemberShape › kg:sharePartition/^kg:sharePartition/kg:defaultUnit",
            "Equals",
            "indicator/t-share",
            "unit/number",
        ),
    ],
    "rate-in-numbers": [
        _v(
            "kgsh:RateIndicatorShape › kg:defaultUnit/skos:notation",
            "HasValue",
            "indicator/t-women-rate",
        )
    ],
    "component-cycle": [
        _v("kgsh:ComponentIndicatorShape", "SPARQL", "indicator/t-part-a", "indicator/t-part-b"),
        _v("kgsh:ComponentIndicatorShape", "SPARQL", "indicator/t-part-b", "indicator/t-part-a"),
    ],
    "unit-with-two-symbols": [
        _v("kgsh:UnitOfMeasureShape › skos:altLabel", "MaxCount", "unit/hectare")
    ],
    "unit-without-conversion": [
        _v("kgsh:UnitOfMeasureShape › kg:canonicalUnit", "MinCount", "unit/household"),
        _v("kgsh:UnitOfMeasureShape › kg:dimension", "MinCount", "unit/household"),
        _v("kgsh:UnitOfMeasureShape › qudt:conversionMultiplier", "MinCount", "unit/household"),
    ],
    "observation-with-two-comparable-values": [
        _v(PLACE + "kg:comparableValue", "MaxCount", "observation/001-03")
    ],
    "observation-comparable-in-another-unit": [
        _v(PLACE + "kg:comparableUnit", "MaxCount", "observation/001-03"),
        _v(
            "kgsh:ComparableValueShape › sdmx-attribute:unitMeasure/kg:canonicalUnit",
            "Equals",
            "observation/001-03",
            "unit/percent",
        ),
    ],
    "unknown-qualifier": [
        _v("kgsh:ValueQualifierShape › skos:notation", "In", "qualifier/about", "about")
    ],
    "cell-kind-in-wrong-scheme": [
        _v("kgsh:CellKindShape › skos:inScheme", "HasValue", "cell-kind/t-hamlet")
    ],
    "category-in-wrong-scheme": [
        _v("kgsh:IndicatorCategoryShape › skos:inScheme", "HasValue", "category/t-culture")
    ],
    "partition-without-exhaustive-flag": [
        _v("kgsh:SharePartitionShape › kg:exhaustive", "MinCount", "partition/t-age")
    ],
    "role-in-wrong-scheme": [_v("kgsh:RoleShape › skos:inScheme", "HasValue", "role/t-deputy")],
    "data-set-without-structure": [
        _v("kgsh:DataSetShape › qb:structure", "MinCount", "dataset/t-indicators")
    ],
    "reference-list-without-licence": [
        _v("kgsh:CatalogueDataSetShape › dcterms:license", "MinCount", "dataset/t-units-2025")
    ],
    # observations: shape
    "observation-without-source": [_v("kgsh:has-evidence", "MinCount", "observation/t-no-source")],
    "observation-without-derivation": [
        _v("kgsh:derived-from", "MinCount", "observation/t-underived")
    ],
    "observation-about-area-and-organisation": [
        _v(
            PLACE + "sdmx-dimension:refArea|kg:refOrganisation",
            "MaxCount",
            "observation/t-two-subjects",
        )
    ],
    "observation-without-period": [
        _v(PLACE + "sdmx-dimension:refPeriod", "MinCount", "observation/t-no-period")
    ],
    "observation-in-wrong-unit": [
        _v(PLACE + "kg:indicator/kg:defaultUnit", "Equals", "observation/t-unit", "unit/number"),
        _v(PLACE + "kg:indicator/kg:defaultUnit", "Equals", "observation/t-unit", "unit/percent"),
    ],
    "value-above-denominator": [
        _v(PLACE + "sdmx-measure:obsValue", "LessThanOrEquals", "observation/t-criteria", "11")
    ],
    "range-without-upper": [
        _v("kgsh:RangeShape › kg:upperValue", "MinCount", "observation/t-range")
    ],
    "upper-value-without-range": [
        _v("kgsh:UpperValueShape › kg:qualifier/skos:notation", "HasValue", "observation/t-upper")
    ],
    # observations: one fact
    "poverty-rate-140-percent": [
        _v(
            "kgsh:ValueInRange",
            "SPARQL",
            "observation/t-140",
            "140",
            "140 is outside the range the indicator allows (0 to 100)",
        )
    ],
    "negative-count": [
        _v(
            "kgsh:ValueInRange",
            "SPARQL",
            "observation/t-negative",
            "-26",
            "-26 is outside the range the indicator allows (0 to ...)",
        )
    ],
    "fractional-count": [
        _v(
            "kgsh:CountIsWhole",
            "SPARQL",
            "observation/t-fraction",
            "26.5",
            "26.5 is not a whole number",
        )
    ],
    "fact-after-publication": [
        _v(
            "kgsh:PeriodNotAfterPublication",
            "SPARQL",
            "observation/t-2018",
            "period/2018",
            f"the period starts on 2018-01-01, after article {POM_LOT} was published on 2017-07-05",
        )
    ],
    "now-of-another-article": [
        _v(
            "kgsh:NowIsOwnArticle",
            "SPARQL",
            "observation/t-now",
            "period/at-publication-of-004_5a09e7dc1d2825e6",
            "'at publication of' article 004_5a09e7dc1d2825e6, but the fact is not quoted from it",
        )
    ],
    # observations: facts against each other (warnings)
    "part-above-total": [
        _w(
            "kgsh:PartNotAboveTotal",
            "observation/t-women",
            "observation/t-adm",
            "the part (1.200) is more than the total it belongs to (1.111)",
        )
    ],
    "cells-by-kind-above-total": [
        _w("kgsh:PartsMakeTotal", f"observation/t-cells-{kind}", "observation/t-cells", CELLS)
        for kind in ("village", "school", "agency", "health")
    ],
    "exhaustive-parts-short-of-total": [
        _w("kgsh:PartsMakeTotal", "observation/t-dang-bo", "observation/t-tccsd", SHORT),
        _w("kgsh:PartsMakeTotal", "observation/t-chi-bo", "observation/t-tccsd", SHORT),
    ],
    "shares-above-100": [
        _w("kgsh:SharesMakeWhole", f"observation/t-{s}", None, RATINGS_105)
        for s in ("good", "excellent")
    ],
    "exhaustive-shares-below-100": [
        _w("kgsh:SharesMakeWhole", f"observation/t-{s}", None, RATINGS_90)
        for s in ("excellent", "good", "fulfilled", "violating")
    ],
    "rate-disagrees-with-count": [
        _w(
            "kgsh:RateMatchesCount",
            "observation/t-women-share",
            "observation/t-adm",
            "374 of 1.111 is 33.66 %, but the rate is given as 43,7 %",
        )
    ],
    "share-impossible-out-of-total": [
        _w(
            "kgsh:ShareFitsTotal",
            "observation/t-women-share",
            "observation/t-adm",
            "no whole number out of 23 is 50,0 %: the nearest, 12, is 52.17 %; "
            "the smallest total that fits 50,0 % is 2 (1 of 2)",
        )
    ],
    "rates-imply-different-totals": [
        _w(
            "kgsh:RatesImplySameTotal",
            "observation/t-minority-share",
            "observation/t-women-share",
            "589 at 53 % implies a total of about 1111, but 374 at 43,7 % implies about 856",
        )
    ],
    "repeated-values-disagree": [
        _w(
            "kgsh:RepeatedValuesAgree",
            "observation/001-18",
            "observation/t-154",
            "stated as 144 and as 154 for the same subject and period",
        )
    ],
    "estimate-far-from-count": [
        _w(
            "kgsh:RepeatedValuesAgree",
            "observation/t-estimate-200",
            "observation/t-exact-150",
            "stated as 200 and as 150 for the same subject and period",
        )
    ],
}

PASS_CASES = sorted(p.name[: -len(".pass.ttl")] for p in FIXTURES.glob("*.pass.ttl"))


# ---------------------------------------------------------------------------
# helpers and fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> Graph:
    """The base slice with the ontology, as a built graph carries it."""
    graph = Graph().parse(FIXTURES / "base.ttl")
    graph.parse(resources.ontology_file())
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(resources.shapes_file())


def _with(base: Graph, *fixtures: str) -> Graph:
    graph = Graph()
    for triple in base:
        graph.add(triple)
    for name in fixtures:
        graph.parse(FIXTURES / name)
    return graph


def _short(iri: str | None) -> str | None:
    return iri[len(ID) :] if iri is not None and iri.startswith(ID) else iri


def _seen(result: ValidationResult) -> Expect:
    constraint = result.constraint.removeprefix("sh:").removesuffix("ConstraintComponent")
    return Expect(
        result.shape,
        constraint,
        _short(result.focus) or "",
        _short(result.value) if result.value not in (None, result.focus) else None,
        result.severity,
        None,
    )


@pytest.fixture(scope="module")
def shipped(graph: Graph) -> ValidationReport:
    """The report on the shipped graph (built once per session by conftest)."""
    return validate_graph(graph)


# ---------------------------------------------------------------------------
# every shape and rule: a passing and a failing fixture
# ---------------------------------------------------------------------------


def test_base_conforms_without_any_result(base: Graph) -> None:
    report = validate_graph(base)
    assert report.conforms
    assert report.results == ()


@pytest.mark.parametrize("name", PASS_CASES)
def test_passing_fixture_raises_nothing(base: Graph, name: str) -> None:
    report = validate_graph(_with(base, f"{name}.pass.ttl"))
    assert [(r.shape, r.focus, r.message) for r in report.results] == []


@pytest.mark.parametrize("name", sorted(FAIL_CASES))
def test_failing_fixture_raises_exactly_the_expected_results(base: Graph, name: str) -> None:
    expected = FAIL_CASES[name]
    report = validate_graph(_with(base, f"{name}.fail.ttl"))
    seen = sorted((_seen(r) for r in report.results), key=repr)
    want = sorted(
        (Expect(e.shape, e.constraint, e.focus, e.value, e.severity) for e in expected), key=repr
    )
    assert seen == want
    for exp in expected:
        if exp.message is not None:
            messages = [r.message for r in report.results if _short(r.focus) == exp.focus]
            assert any(exp.message in m for m in messages), messages
    assert report.conforms == all(e.severity is not Severity.VIOLATION for e in expected)


def test_every_fixture_file_is_a_case() -> None:
    files = {p.name for p in FIXTURES.glob("*.ttl")} - {"base.ttl"}
    cases = {f"{n}.fail.ttl" for n in FAIL_CASES} | {f"{n}.pass.ttl" for n in PASS_CASES}
    assert files == cases


def _targeted_shapes(shapes: Graph) -> set[URIRef]:
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
    return {s for t in targets for s in shapes.subjects(t, None) if isinstance(s, URIRef)}


def _named_property_shapes(shapes: Graph) -> set[URIRef]:
    return {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}


def test_every_shape_and_rule_has_a_failing_fixture(shapes: Graph) -> None:
    failing = {e.shape.split(" › ")[0] for cases in FAIL_CASES.values() for e in cases}
    names = {"kgsh:" + str(s)[len(str(SHAPES)) :] for s in _targeted_shapes(shapes)}
    names |= {"kgsh:" + str(s)[len(str(SHAPES)) :] for s in _named_property_shapes(shapes)}
    assert names - failing == set()


def _has_focus(shape: URIRef, graph: Graph, shapes: Graph, prefixes: str) -> bool:
    for cls in shapes.objects(shape, SH.targetClass):
        query = "ASK { ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?c }"
        assert isinstance(cls, URIRef)
        if bool(graph.query(query, initBindings={"c": cls})):
            return True
    if any((None, prop, None) in graph for prop in shapes.objects(shape, SH.targetSubjectsOf)):
        return True
    return any(
        len(graph.query(prefixes + str(shapes.value(target, SH.select)))) > 0
        for target in shapes.objects(shape, SH.target)
    )


def test_every_shape_has_a_passing_focus_node(base: Graph, shapes: Graph) -> None:
    """Each targeted shape applies to something in a passing graph, so its pass is not vacuous."""
    prefixes = "".join(
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
        for d in shapes.objects(None, SH.declare)
    )
    passing = [base] + [_with(base, f"{name}.pass.ttl") for name in PASS_CASES]
    empty = [
        shape
        for shape in sorted(_targeted_shapes(shapes))
        if not any(_has_focus(shape, graph, shapes, prefixes) for graph in passing)
    ]
    assert empty == []


# ---------------------------------------------------------------------------
# the shapes graph itself
# ---------------------------------------------------------------------------


def _shacl_shacl() -> Graph:
    """The W3C SHACL-for-SHACL shapes, as pySHACL ships them."""
    import pyshacl

    path = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    if not path.is_file():  # pragma: no cover - pySHACL has shipped it since 0.11
        pytest.fail(f"pySHACL no longer ships shacl-shacl.ttl at {path}")
    return Graph().parse(path)


def test_shapes_graph_conforms_to_shacl_for_shacl(shapes: Graph) -> None:
    import pyshacl

    conforms, _report, text = pyshacl.validate(shapes, shacl_graph=_shacl_shacl())
    assert conforms, text


def test_shacl_for_shacl_catches_a_broken_shape(shapes: Graph) -> None:
    import pyshacl

    broken = Graph()
    for triple in shapes:
        broken.add(triple)
    broken.add((SHAPES.CommuneShape, SH.targetClass, Literal("kg:Commune")))
    conforms, _report, text = pyshacl.validate(broken, shacl_graph=_shacl_shacl())
    assert not conforms
    assert "CommuneShape" in text


def test_every_shape_has_vietnamese_and_english_labels(shapes: Graph) -> None:
    for shape in _targeted_shapes(shapes):
        langs = {
            lit.language for lit in shapes.objects(shape, RDFS.label) if isinstance(lit, Literal)
        }
        assert {"vi", "en"} <= langs, shape


def test_rule_severities(shapes: Graph) -> None:
    """Facts contradicting each other are warnings; one impossible fact is a violation."""
    warnings = {str(s).split("#")[1] for s in shapes.subjects(SH.severity, SH.Warning)}
    assert warnings == {
        "PartNotAboveTotal",
        "PartsMakeTotal",
        "SharesMakeWhole",
        "RateMatchesCount",
        "RatesImplySameTotal",
        "RepeatedValuesAgree",
        "ShareFitsTotal",
    }


# ---------------------------------------------------------------------------
# the shipped data
# ---------------------------------------------------------------------------


def test_shipped_graph_has_no_violations(shipped: ValidationReport) -> None:
    assert shipped.conforms
    assert shipped.violations == ()


def test_shipped_graph_warns_of_pom_lot_cells_only(shipped: ValidationReport) -> None:
    """Article 001: "23 chi bộ", but 20 + 03 + 01 + 01 = 25 cells listed by kind."""
    findings = shipped.findings()
    assert [(sev, shape, msg) for sev, shape, msg, _ in findings] == [
        (Severity.WARNING, "kgsh:PartsMakeTotal", CELLS)
    ]
    results = findings[0][3]
    assert {_short(r.focus) for r in results} == {f"observation/001-{n:02d}" for n in (7, 8, 9, 10)}
    assert {_short(r.value) for r in results} == {"observation/001-02"}
    quotes = {q.text for r in results for q in r.quotes + r.value_quotes}
    assert quotes == {
        "Hiện toàn Đảng bộ có 23 chi bộ",
        "20 chi bộ thôn, bản, đội",
        "03 chi bộ trường học",
        "01 chi bộ cơ quan",
        "01 chi bộ Y Tế",
    }
    assert {q.source for r in results for q in r.quotes} == {POM_LOT}
    assert all("Pom Lót" in r.focus_label for r in results)


def test_every_shipped_warning_is_documented_with_its_quotes(shipped: ValidationReport) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "validation.md").read_text(
        encoding="utf-8"
    )
    for result in shipped.warnings:
        assert result.shape in docs
        for quote in result.quotes + result.value_quotes:
            assert quote.text in docs, quote


def test_planning_does_not_change_results(base: Graph) -> None:
    """The query planner only reorders patterns: pySHACL on the plain graph finds the same."""
    fixtures = [
        "cells-by-kind-above-total.fail.ttl",
        "rate-disagrees-with-count.fail.ttl",
        "shares-above-100.fail.ttl",
        "repeated-values-disagree.fail.ttl",
        "poverty-rate-140-percent.fail.ttl",
        "fact-after-publication.fail.ttl",
        "cell-leads-village-of-another-commune.fail.ttl",
        "component-cycle.fail.ttl",
    ]
    graph = _with(base, *fixtures)
    planned = validate_graph(graph)
    plain = validate_graph(graph, planned=False)
    assert len(planned.results) == sum(
        len(FAIL_CASES[f.removesuffix(".fail.ttl")]) for f in fixtures
    )
    assert planned.results == plain.results


# ---------------------------------------------------------------------------
# reports
# ---------------------------------------------------------------------------


def test_renderers_are_the_cli_choices() -> None:
    from kgraph.cli.build import validate

    option = next(p for p in validate.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    choices = option.type.choices
    assert sorted(choices) == sorted(RENDERERS) == ["json", "text", "turtle"]


def test_unknown_format_is_an_input_error(shipped: ValidationReport) -> None:
    with pytest.raises(InputError, match="unknown report format 'xml'"):
        shipped.render("xml")


def test_json_report(shipped: ValidationReport) -> None:
    data = json.loads(shipped.render("json"))
    assert data["conforms"] is True
    assert (data["violations"], data["warnings"]) == (0, 1)
    assert data["triples"] == shipped.triples > 6000
    assert len(data["results"]) == 4
    first = data["results"][0]
    assert first["severity"] == "Warning"
    assert first["shape"] == "kgsh:PartsMakeTotal"
    assert first["value_quotes"] == [{"source": POM_LOT, "quote": "Hiện toàn Đảng bộ có 23 chi bộ"}]


def test_turtle_report_is_a_shacl_validation_report(shipped: ValidationReport) -> None:
    report = Graph().parse(data=shipped.render("turtle"), format="turtle")
    node = report.value(None, RDF.type, SH.ValidationReport)
    assert node is not None
    assert report.value(node, SH.conforms) == Literal(True)
    results = list(report.objects(node, SH.result))
    assert len(results) == 4
    assert {report.value(r, SH.resultSeverity) for r in results} == {SH.Warning}
    assert {report.value(r, SH.sourceShape) for r in results} == {SHAPES.PartsMakeTotal}


def test_text_report_shows_quotes_on_both_sides(shipped: ValidationReport) -> None:
    text = shipped.render("text")
    assert text.startswith("kgraph validation: conforms")
    assert "0 violation(s), 1 warning(s)" in text
    assert CELLS in text
    assert "“20 chi bộ thôn, bản, đội” (001_a26cdb5e4219828f)" in text
    assert "against: party cells – Pom Lót Commune Party Organisation" in text
    assert "“Hiện toàn Đảng bộ có 23 chi bộ” (001_a26cdb5e4219828f)" in text


def test_text_report_of_violations(base: Graph) -> None:
    report = validate_graph(_with(base, "poverty-rate-140-percent.fail.ttl"))
    text = report.render("text")
    assert "DOES NOT CONFORM" in text
    assert "1 violation(s), 0 warning(s)" in text
    assert "kgsh:ValueInRange — value within the indicator's range" in text
    assert "path sdmx-measure:obsValue, value '140'" in text
    assert "tỷ lệ hộ nghèo toàn xã hiện còn 144 hộ chiếm 10,37%" in text


def test_write_validation_reports(shipped: ValidationReport, tmp_path: Path) -> None:
    paths = write_validation_reports(shipped, tmp_path / "build")
    assert [p.name for p in paths] == [
        "validation-report.txt",
        "validation-report.json",
        "validation-report.ttl",
    ]
    assert json.loads(paths[1].read_text(encoding="utf-8"))["warnings"] == 1
    assert len(Graph().parse(paths[2])) > 20
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == sorted(p.name for p in paths)


def test_graph_without_the_ontology_is_validated_with_it(base: Graph) -> None:
    """A file of instances only still gets its class hierarchy (targets follow rdfs:subClassOf)."""
    instances = Graph().parse(FIXTURES / "base.ttl")
    assert (URIRef("https://kgraph.example.org/def/ontology"), None, None) not in instances
    plain = validate_graph(instances)
    assert plain.results == ()
    assert plain.triples == len(instances)
    broken = Graph().parse(FIXTURES / "base.ttl").parse(FIXTURES / "grassroots-cell.fail.ttl")
    assert [r.shape for r in validate_graph(broken).results] == [
        "kgsh:GrassrootsPartyCellShape › kg:cellKind"
    ]


def test_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(kgraph.check.validate)
    assert tried > 0 and failures == 0


# ---------------------------------------------------------------------------
# kgraph validate and kgraph build
# ---------------------------------------------------------------------------


def test_cli_validate_conforming_graph_exits_0(built_ttl: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(built_ttl)])
    assert result.exit_code == 0, result.output
    assert "kgraph validation: conforms" in result.output
    assert "“01 chi bộ Y Tế” (001_a26cdb5e4219828f)" in result.output


def test_cli_validate_default_is_the_built_graph(
    built_ttl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "kgraph.ttl").write_bytes(built_ttl.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["warnings"] == 1


@pytest.mark.parametrize("suffix,fmt", [(".nt", "nt"), (".jsonld", "json-ld")])
def test_cli_validate_reads_other_rdf_formats(
    base: Graph, tmp_path: Path, suffix: str, fmt: str
) -> None:
    path = tmp_path / f"graph{suffix}"
    path.write_bytes(base.serialize(format=fmt, encoding="utf-8"))
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "turtle"])
    assert result.exit_code == 0, result.output
    report = Graph().parse(data=result.output, format="turtle")
    assert (None, SH.conforms, Literal(True)) in report


def test_cli_validate_violations_exit_1(base: Graph, tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_bytes(
        _with(base, "negative-count.fail.ttl").serialize(format="turtle", encoding="utf-8")
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "DOES NOT CONFORM" in result.output
    assert re.search(r"-26(\.0)? is outside the range the indicator allows", result.output)


@pytest.mark.parametrize(
    "content,message",
    [
        ("<a> <b> .\n", "cannot parse as RDF"),
        (None, "file not found"),
    ],
)
def test_cli_validate_unreadable_input_exits_2(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "graph.ttl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    line = result.output.strip()
    assert line.count("\n") == 0
    assert line.startswith("kgraph: error: ") and "graph.ttl" in line and message in line


def _cap_poverty_rate(data: Path, maximum: str) -> None:
    """Lower the plausible maximum of the poverty rate in indicators.csv (Pom Lót's is 10,37)."""
    path = data / "curated" / "indicators.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["id"] == "poor-household-rate":
            row["max"] = maximum
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_build_refuses_a_graph_with_violations(data_copy: Path, tmp_path: Path) -> None:
    _cap_poverty_rate(data_copy, "5")
    out = tmp_path / "out" / "kg.ttl"
    result = CliRunner().invoke(main, ["build", "--data", str(data_copy), "--out", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    assert not out.parent.exists()
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("kgraph: error: ")
    assert "not written: the graph has 1 SHACL violation" in last
    assert "10.37 is outside the range the indicator allows (0 to 5)" in result.output


def test_build_no_validate_writes_it_anyway(data_copy: Path, tmp_path: Path) -> None:
    _cap_poverty_rate(data_copy, "5")
    out = tmp_path / "kg.ttl"
    result = CliRunner().invoke(
        main, ["build", "--data", str(data_copy), "--out", str(out), "--no-validate", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert out.is_file()
    report = CliRunner().invoke(main, ["validate", str(out)])
    assert report.exit_code == 1


def test_build_to_file_returns_the_report(data_dir: Path, tmp_path: Path) -> None:
    result = build_to_file(data_dir, tmp_path / "kg.ttl", Iris())
    assert result.validation is not None and result.validation.conforms
    assert len(result.validation.warnings) == 4


def test_graph_violations_error_names_the_first_violation(data_copy: Path, tmp_path: Path) -> None:
    _cap_poverty_rate(data_copy, "5")
    with pytest.raises(GraphViolations) as caught:
        build_to_file(data_copy, tmp_path / "kg.ttl")
    assert caught.value.exit_code == 1
    assert "poverty rate (households) – Pom Lót Commune" in str(caught.value)
    assert len(caught.value.report.violations) == 1
    assert not (tmp_path / "kg.ttl").exists()
