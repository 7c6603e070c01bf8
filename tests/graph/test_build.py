"""The built graph: real values from the articles, integrity, vocabulary, OWL RL, determinism."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kgraph import resources
from kgraph.curate.dataset import Dataset
from kgraph.graph.namespaces import (
    KG,
    OA,
    PREFIXES,
    QB,
    QUDT,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SKOS,
    VOCAB,
    Iris,
)


def _observations(graph: Graph, iris: Iris, subject: str, indicator: str) -> list[Decimal]:
    values = []
    for obs in graph.subjects(KG.indicator, iris.id("indicator", indicator)):
        refs = set(graph.objects(obs, SDMX_DIMENSION.refArea)) | set(
            graph.objects(obs, KG.refOrganisation)
        )
        if any(str(r).endswith("/" + subject) for r in refs):
            values.append(graph.value(obs, SDMX_MEASURE.obsValue).toPython())
    return sorted(values)


@pytest.mark.parametrize(
    ("subject", "indicator", "expected"),
    [
        ("dang-bo-xa-pom-lot", "party-members", [Decimal("209")]),
        ("dang-bo-xa-pom-lot", "party-members-full", [Decimal("200")]),
        ("dang-bo-xa-pom-lot", "party-members-probationary", [Decimal("9")]),
        ("2024-03356", "poor-household-rate", [Decimal("10.37")]),  # xã Pom Lót
        ("2024-03328", "planted-area", [Decimal("1400")]),  # xã Thanh Luông
        ("2024-03328", "new-rural-criteria-met", [Decimal("11")]),
        ("2024-100", "state-budget-revenue", [Decimal("716.383")]),  # huyện Điện Biên
        ("dang-bo-huyen-dien-bien", "grassroots-party-orgs", [Decimal("69")]),
        ("dang-bo-huyen-dien-bien", "party-members", [Decimal("5004")]),
        ("dang-bo-huyen-than-uyen", "party-members", [Decimal("2044")]),
        ("dang-bo-xa-na-tong", "party-members", [Decimal("112")]),
    ],
)
def test_values_from_the_articles(
    graph: Graph, iris: Iris, subject: str, indicator: str, expected: list[Decimal]
) -> None:
    assert _observations(graph, iris, subject, indicator) == expected


def test_ranges_denominators_and_qualifiers(graph: Graph, iris: Iris) -> None:
    growth = iris.id("observation", "000-07")  # "tốc độ tăng trưởng đạt từ 2,5 – 4,5%"
    assert graph.value(growth, SDMX_MEASURE.obsValue).toPython() == Decimal("2.5")
    assert graph.value(growth, KG.upperValue).toPython() == Decimal("4.5")
    assert graph.value(growth, KG.qualifier) == iris.id("qualifier", "range")
    criteria = iris.id("observation", "000-13")  # "đã đạt 11/19 tiêu chí"
    assert graph.value(criteria, KG.denominator).toPython() == Decimal("19")
    area = iris.id("observation", "000-05")  # "gần 1.400 ha"
    assert graph.value(area, KG.qualifier) == iris.id("qualifier", "approximate")
    assert graph.value(area, KG.valueText) == Literal("1.400")


def test_current_periods_use_the_publication_date_or_say_it_is_unknown(
    graph: Graph, iris: Iris
) -> None:
    dated = graph.value(iris.id("observation", "000-01"), SDMX_DIMENSION.refPeriod)
    assert dated == iris.id("period", "2016-08-02")  # published 02/08/2016
    undated = graph.value(iris.id("observation", "003-01"), SDMX_DIMENSION.refPeriod)
    assert graph.value(undated, KG.atPublicationOf) == iris.id("source", "003_6f7a36a2decf6463")
    assert graph.value(undated, KG.startDate) is None


def test_official_codes_carry_their_scheme(graph: Graph, iris: Iris) -> None:
    pom_lot = iris.unit("commune", "2024", "03356")
    assert pom_lot == URIRef("https://kgraph.example.org/id/commune/2024-03356")
    assert graph.value(pom_lot, SKOS.notation) == Literal("03356", datatype=KG.gso2024)
    assert Literal("vn-2024:03356") in set(
        graph.objects(pom_lot, URIRef("http://purl.org/dc/terms/identifier"))
    )
    district = iris.unit("district", "2024", "100")
    assert graph.value(pom_lot, KG.partOf) == district
    assert graph.value(district, KG.partOf) == iris.unit("province", "2024", "11")
    # the curated id is no IRI any more: the unit version is
    assert not set(graph.predicate_objects(iris.id("commune", "xa-pom-lot")))


def test_units_carry_the_facts_of_their_official_list(graph: Graph, iris: Iris) -> None:
    pom_lot = iris.unit("commune", "2024", "03356")
    assert Literal("Xã Pom Lót", lang="vi") in set(graph.objects(pom_lot, SKOS.altLabel))
    assert {Literal("pom lot"), Literal("xa pom lot"), Literal("03356")} <= set(
        graph.objects(pom_lot, KG.searchKey)
    )
    assert graph.value(pom_lot, KG.vintage) == KG.vintage2024
    assert graph.value(pom_lot, URIRef("https://schema.org/validThrough")) == Literal(
        "2025-06-30", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")
    )
    assert graph.value(pom_lot, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) == iris.id(
        "dataset", "gso-units-2024"
    )
    # the province no article names is there too, as the ancestor of huyện Điện Biên
    province = iris.unit("province", "2024", "11")
    assert Literal("Tỉnh Điện Biên", lang="vi") in set(graph.objects(province, SKOS.altLabel))
    assert graph.value(province, KG.vintage) == KG.vintage2024


def test_every_quote_is_in_its_source(graph: Graph, dataset: Dataset, iris: Iris) -> None:
    texts = {iris.id("source", sid): text for sid, text in dataset.texts.items()}
    selectors = 0
    for ev in graph.subjects(RDF.type, OA.SpecificResource):
        text = texts[graph.value(ev, OA.hasSource)]
        quote = graph.value(graph.value(ev, OA.hasSelector), OA.exact)
        assert str(quote) in text, f"{ev}: {quote!r}"
        selectors += 1
    assert selectors >= 200


def test_every_observation_has_its_parts(graph: Graph) -> None:
    observations = list(graph.subjects(RDF.type, QB.Observation))
    assert len(observations) >= 140
    for obs in observations:
        assert graph.value(obs, KG.indicator) is not None, obs
        assert graph.value(obs, SDMX_DIMENSION.refPeriod) is not None, obs
        assert graph.value(obs, SDMX_MEASURE.obsValue) is not None, obs
        assert graph.value(obs, KG.evidence) is not None, obs
        areas = list(graph.objects(obs, SDMX_DIMENSION.refArea)) + list(
            graph.objects(obs, KG.refOrganisation)
        )
        assert len(areas) == 1, obs


def test_referential_integrity(graph: Graph, iris: Iris) -> None:
    """Every instance IRI used as an object is described (has a type) in the graph."""
    typed = set(graph.subjects(RDF.type, None))
    dangling = {
        o
        for o in graph.objects()
        if isinstance(o, URIRef) and str(o).startswith(iris.prefix) and o not in typed
    }
    assert dangling == set()


def test_every_kg_term_used_is_declared_in_the_ontology(graph: Graph) -> None:
    ontology = Graph().parse(resources.ontology_file())
    declared = set(ontology.subjects(RDF.type, None))
    used = {p for p in graph.predicates() if str(p).startswith(VOCAB)}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(VOCAB)}
    used |= {o.datatype for o in graph.objects() if isinstance(o, Literal) and o.datatype}
    used = {t for t in used if str(t).startswith(VOCAB)}
    assert used - declared == set()


def test_namespace_module_matches_the_ontology() -> None:
    ontology = Graph().parse(resources.ontology_file())
    declared = {str(s) for s in ontology.subjects(RDF.type, None) if str(s).startswith(VOCAB)}
    in_module = {str(KG[name]) for name in KG.__annotations__}
    assert in_module - declared == set()
    for term in declared:
        labels = {lit.language for lit in ontology.objects(URIRef(term), RDFS.label)}
        if term.split("/")[-1].startswith("dataStructure-"):
            continue
        assert {"vi", "en"} <= labels, term
        definition = ontology.value(URIRef(term), SKOS.definition) or ontology.value(
            URIRef(term), URIRef("http://purl.org/dc/terms/description")
        )
        assert definition is not None, term
    assert PREFIXES["kg"] == VOCAB


def test_labels_in_vietnamese_and_english(graph: Graph, iris: Iris) -> None:
    for s in set(graph.subjects(RDFS.label, None)):
        if isinstance(s, URIRef) and str(s).startswith(iris.prefix):
            langs = {lit.language for lit in graph.objects(s, RDFS.label)}
            if graph.value(s, RDF.type) is not None and KG.Period not in set(
                graph.objects(s, RDF.type)
            ):
                assert {"vi", "en"} <= langs, s
    thanh_luong = iris.unit("commune", "2024", "03328")
    assert {Literal("Thanh Luông", lang="vi"), Literal("Thanh Luông Commune", lang="en")} <= set(
        graph.objects(thanh_luong, RDFS.label)
    )


def _owl_rl_errors(graph: Graph) -> list[str]:
    closure = Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return sorted(str(m) for m in closure.objects(None, ERRNS.error))


def test_ontology_and_data_are_consistent_under_owl_rl(graph: Graph) -> None:
    assert _owl_rl_errors(graph) == []


def test_owl_rl_check_catches_a_contradiction(graph: Graph, iris: Iris) -> None:
    """The consistency test can fail: a commune that is also an organisation is caught."""
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.add(
        (
            iris.unit("commune", "2024", "03356"),
            RDF.type,
            URIRef("http://www.w3.org/ns/org#Organization"),
        )
    )
    errors = _owl_rl_errors(broken)
    assert any("2024-03356" in e or "disjoint" in e.lower() for e in errors), errors


def _build(out: Path, seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run(
        [sys.executable, "-m", "kgraph", "build", "--quiet", "--no-validate", "--out", str(out)]
        if _has_no_validate()
        else [sys.executable, "-m", "kgraph", "build", "--quiet", "--out", str(out)],
        check=True,
        env=env,
    )
    return out.read_bytes()


def _has_no_validate() -> bool:
    from kgraph.cli.build import build

    return any(p.name == "no_validate" for p in build.params)


def test_build_is_byte_identical_across_runs(tmp_path: Path) -> None:
    assert _build(tmp_path / "a.ttl", "1") == _build(tmp_path / "b.ttl", "2")


def test_ontology_has_no_blank_nodes() -> None:
    from rdflib import BNode

    ontology = Graph().parse(resources.ontology_file())
    assert not any(isinstance(t, BNode) for triple in ontology for t in triple)
    assert (URIRef(VOCAB + "ontology"), RDF.type, OWL.Ontology) in ontology


def test_every_value_has_its_comparable_value_in_the_canonical_unit(
    graph: Graph, dataset: Dataset, iris: Iris
) -> None:
    conversions = {r["unit"]: r for r in dataset.table("unit-conversions")}
    checked = 0
    for row in dataset.table("observations"):
        node = iris.id("observation", row["id"])
        conversion = conversions[row["unit"]]
        comparable = graph.value(node, KG.comparableValue).toPython()
        assert comparable == row["value"] * conversion["factor"]
        assert graph.value(node, KG.comparableUnit) == iris.id("unit", conversion["canonical"])
        if row["value_max"] is not None:
            upper = graph.value(node, KG.comparableUpperValue).toPython()
            assert upper == row["value_max"] * conversion["factor"]
        checked += row["unit"] == "billion-vnd"
    assert checked  # the seeds print money in tỷ đồng: the factor 10^9 was exercised
    billion = iris.id("unit", "billion-vnd")
    assert graph.value(billion, KG.canonicalUnit) == iris.id("unit", "vnd")
    assert graph.value(billion, QUDT.conversionMultiplier).toPython() == Decimal(10**9)
    hectare = iris.id("unit", "hectare")
    assert (hectare, SKOS.exactMatch, URIRef("http://qudt.org/vocab/unit/HA")) in graph
    assert graph.value(hectare, KG.uneceCode) == Literal("HAR")
