"""Exports, the named-graph layout, the dataset description and the release.

Every RDF export is parsed back and compared with the built graph as a graph
(named graphs one by one); the CSV tables and the description are checked
against values read from the articles and the curated tables.
"""

from __future__ import annotations

import csv
import doctest
import hashlib
import importlib
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from kgraph import __version__, resources
from kgraph.cli import main
from kgraph.curate.dataset import load_dataset
from kgraph.errors import InputError
from kgraph.graph.build import build_graph
from kgraph.graph.engine import GraphStore
from kgraph.graph.layout import GraphLayout, named_graphs
from kgraph.graph.namespaces import (
    DCAT,
    DCTERMS,
    KG,
    LICENSE_MIT,
    OA,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SDO,
    SKOS,
    VOID,
    XSD,
    Iris,
)
from kgraph.publish.description import Distribution, describe_dataset
from kgraph.publish.release import make_release
from kgraph.publish.writers import CSV_TABLES, FORMATS, export

POM_LOT_ARTICLE = "001_a26cdb5e4219828f"
THAN_UYEN_ARTICLE = "003_6f7a36a2decf6463"
DIEN_BIEN_ARTICLE = "004_5a09e7dc1d2825e6"
RDF_FORMATS = {  # export format -> (file, rdflib parser)
    "turtle": ("kgraph.ttl", "turtle"),
    "ntriples": ("kgraph.nt", "nt"),
    "rdfxml": ("kgraph.rdf", "xml"),
    "jsonld": ("kgraph.jsonld", "json-ld"),
}
QUAD_FORMATS = {"trig": ("kgraph.trig", "trig"), "nquads": ("kgraph.nq", "nquads")}


def _assert_same(expected: Graph, actual: Graph, what: str) -> None:
    """Isomorphism, with the first differing triples in the message when it fails."""
    if isomorphic(expected, actual):
        return
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    missing = sorted(t[0].n3() + " " + t[1].n3() + " " + t[2].n3() for t in only_expected)[:3]
    extra = sorted(t[0].n3() + " " + t[1].n3() + " " + t[2].n3() for t in only_actual)[:3]
    pytest.fail(
        f"{what}: {len(only_expected)} missing, e.g. {missing}; "
        f"{len(only_actual)} extra, e.g. {extra}"
    )


def _literal(graph: Graph, node: Node, prop: URIRef) -> Any:
    """The Python value of the one literal ``node`` has for ``prop``."""
    value = graph.value(node, prop)
    assert isinstance(value, Literal), (node, prop, value)
    return value.toPython()


def _table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _curated(data_dir: Path, name: str) -> list[dict[str, str]]:
    return _table(data_dir / "curated" / name)


def _place_key(row: dict[str, str]) -> str:
    """A curated place's key in the exports: a unit's vintage and code, else its id."""
    return f"{row['vintage']}-{row['gso_code']}" if row["gso_code"] else row["id"]


def _shapes() -> Graph:
    path = resources.shapes_file()
    return Graph().parse(path, format="turtle") if path.is_file() else Graph()


@pytest.fixture(scope="module")
def exports(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every export format of the shipped graph, in one folder."""
    out = tmp_path_factory.mktemp("exports")
    for fmt in FORMATS:
        export(graph, fmt, out)
    return out


@pytest.fixture(scope="module")
def layout(graph: Graph, iris: Iris) -> GraphLayout:
    return named_graphs(graph, iris, _shapes())


@pytest.fixture(scope="module")
def observations(exports: Path) -> dict[tuple[str, str], dict[str, str]]:
    """observations.csv keyed by (entity, indicator) for the single-period facts tested here."""
    return {(r["entity"], r["indicator"]): r for r in _table(exports / "csv" / "observations.csv")}


# -- round trips ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_single_graph_export_parses_back_to_the_built_graph(
    graph: Graph, exports: Path, fmt: str
) -> None:
    name, parser = RDF_FORMATS[fmt]
    back = Graph().parse(exports / name, format=parser)
    assert len(back) == len(graph)
    _assert_same(graph, back, fmt)


@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
def test_quad_export_parses_back_graph_by_graph(
    graph: Graph, exports: Path, layout: GraphLayout, fmt: str
) -> None:
    name, parser = QUAD_FORMATS[fmt]
    back = Dataset()
    back.parse(exports / name, format=parser)
    expected = {g.identifier: g for g in layout.graphs()}
    found = {g.identifier: g for g in back.graphs() if len(g)}
    assert set(found) == set(expected)
    for name_iri, part in expected.items():
        _assert_same(part, found[name_iri], f"{fmt} graph {name_iri}")
    union = Graph()
    for name_iri, part in found.items():
        if name_iri != layout.shapes.identifier:
            union += part
    _assert_same(graph, union, f"{fmt}: union of the data graphs")


# -- the named-graph layout -------------------------------------------------------------


def test_layout_names_one_graph_per_source_plus_ontology_and_reference(
    layout: GraphLayout, iris: Iris, data_dir: Path
) -> None:
    articles = {row["id"] for row in _table(data_dir / "sources.csv")}
    names = {str(g.identifier) for g in layout.graphs()}
    for article in articles:
        assert f"{iris.base}/graph/source/{article}" in names
    assert f"{iris.base}/graph/ontology" in names
    assert f"{iris.base}/graph/reference" in names
    # places taken from the official unit list form that source's graph
    assert f"{iris.base}/graph/dataset/gso-units-2024" in names
    assert (f"{iris.base}/graph/shapes" in names) == resources.shapes_file().is_file()


def test_ontology_graph_is_the_shipped_ontology(layout: GraphLayout) -> None:
    _assert_same(
        Graph().parse(resources.ontology_file(), format="turtle"), layout.ontology, "ontology"
    )
    assert (KG.Commune, RDFS.label, Literal("xã", lang="vi")) in layout.ontology


def test_shapes_graph_holds_the_given_shapes(graph: Graph, iris: Iris) -> None:
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://kgraph.example.org/def/shapes#CommuneShape> a sh:NodeShape ;\n"
        "    sh:targetClass <https://kgraph.example.org/def/Commune> .\n",
        format="turtle",
    )
    part = named_graphs(graph, iris, shapes).shapes
    assert part.identifier == iris.graph("shapes")
    _assert_same(shapes, part, "shapes")


def test_an_article_graph_holds_its_facts_with_their_quotes(
    layout: GraphLayout, iris: Iris
) -> None:
    pom_lot = layout.sources[iris.id("source", POM_LOT_ARTICLE)]
    members = [
        obs
        for obs in pom_lot.subjects(KG.indicator, iris.id("indicator", "party-members"))
        if (obs, KG.refOrganisation, iris.id("grassroots-party-committee", "dang-bo-xa-pom-lot"))
        in pom_lot
    ]
    assert len(members) == 1
    (obs,) = members
    assert _literal(pom_lot, obs, SDMX_MEASURE.obsValue) == Decimal("209")
    evidence = pom_lot.value(obs, KG.evidence)
    quote = pom_lot.value(pom_lot.value(evidence, OA.hasSelector), OA.exact)
    assert "209 đảng viên" in str(quote)
    # the observation lives in that article's graph only
    for source, part in layout.sources.items():
        if source != iris.id("source", POM_LOT_ARTICLE):
            assert (obs, None, None) not in part


def test_provenance_links_stay_in_their_own_source_graph(layout: GraphLayout) -> None:
    for source, part in layout.sources.items():
        assert set(part.objects(None, PROV.wasDerivedFrom)) == {source}
        assert set(part.objects(None, OA.hasSource)) <= {source}
        for evidence in part.objects(None, KG.evidence):
            assert part.value(evidence, OA.hasSource) == source
    assert (None, KG.evidence, None) not in layout.reference
    assert (None, PROV.wasDerivedFrom, None) not in layout.reference


def test_dropping_one_article_keeps_what_other_sources_support(
    layout: GraphLayout, iris: Iris, data_dir: Path
) -> None:
    dropped = iris.id("source", THAN_UYEN_ARTICLE)
    kept = Graph()
    for part in layout.graphs():
        if part.identifier != layout.sources[dropped].identifier:
            kept += part
    than_uyen = iris.id("district-party-organisation", "dang-bo-huyen-than-uyen")
    dien_bien = iris.id("district-party-organisation", "dang-bo-huyen-dien-bien")
    assert not list(kept.subjects(KG.refOrganisation, than_uyen))  # its 45 TCCSĐ are gone
    assert {
        _literal(kept, o, SDMX_MEASURE.obsValue)
        for o in kept.subjects(KG.indicator, iris.id("indicator", "grassroots-party-orgs"))
    } == {Decimal("69")}
    assert set(kept.subjects(KG.refOrganisation, dien_bien))
    # Directive 03-CT/TW is cited by both articles: it stays, with the other article's quote only.
    cited_by = {
        r["source"] for r in _curated(data_dir, "mentions.csv") if r["entity"] == "chi-thi-03-ct-tw"
    }
    cited_by |= {
        r["source"] for r in _curated(data_dir, "documents.csv") if r["id"] == "chi-thi-03-ct-tw"
    }
    assert cited_by == {THAN_UYEN_ARTICLE, DIEN_BIEN_ARTICLE}
    directive = iris.id("document", "chi-thi-03-ct-tw")
    assert (directive, RDFS.label, None) in kept
    assert set(kept.objects(directive, PROV.wasDerivedFrom)) == {
        iris.id("source", DIEN_BIEN_ARTICLE)
    }


def test_reference_graph_holds_shared_nodes(layout: GraphLayout, iris: Iris) -> None:
    ref = layout.reference
    assert (
        iris.id("indicator", "party-members"),
        SKOS.prefLabel,
        Literal("đảng viên", lang="vi"),
    ) in ref
    assert (iris.id("unit", "percent"), RDF.type, KG.UnitOfMeasure) in ref
    assert (iris.id("period", "2015"), RDF.type, KG.Period) in ref
    article = iris.id("source", POM_LOT_ARTICLE)
    assert (article, RDF.type, KG.SourceArticle) in ref
    # what the article mentions is a fact it supports: in its own graph
    assert (article, None, None) in layout.sources[article]
    assert set(layout.sources[article].predicates(article, None)) <= {
        SDO.mentions,
        DCTERMS.references,
    }


# -- JSON-LD ------------------------------------------------------------------------------


def test_jsonld_uses_the_published_context_with_short_keys(exports: Path) -> None:
    doc = json.loads((exports / "kgraph.jsonld").read_text(encoding="utf-8"))
    shipped = json.loads((resources.ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))
    context = shipped["@context"]
    assert doc["@context"] == context
    assert {k: v for k, v in context.items() if isinstance(v, str) and k in PREFIXES} == PREFIXES
    # JSON-LD 1.0 processors (Jena 4's jsonld-java) reject "@version": 1.1
    assert "@version" not in context
    keys = {key for node in doc["@graph"] for key in node}
    assert keys - {"@id", "@type"} <= set(context)


def test_jsonld_labels_are_language_maps_and_values_typed(exports: Path, data_dir: Path) -> None:
    doc = json.loads((exports / "kgraph.jsonld").read_text(encoding="utf-8"))
    nodes = {node["@id"].split("/id/")[-1]: node for node in doc["@graph"]}
    place = next(r for r in _curated(data_dir, "places.csv") if r["id"] == "xa-pom-lot")
    assert nodes["commune/2024-03356"]["label"] == {"vi": place["name_vi"], "en": place["name_en"]}
    assert nodes["commune/2024-03356"]["gsoCode"] == "03356"
    rate = next(
        n
        for n in doc["@graph"]
        if n.get("indicator", "").endswith("/poor-household-rate")
        and n.get("refArea", "").endswith("/commune/2024-03356")
    )
    assert rate["obsValue"] == "10.37"  # xsd:decimal, typed by the context
    assert rate["valueText"] == "10,37"


# -- CSV ---------------------------------------------------------------------------------


def test_csv_writes_every_table(exports: Path) -> None:
    assert sorted(p.stem for p in (exports / "csv").glob("*.csv")) == sorted(CSV_TABLES)


@pytest.mark.parametrize("table", CSV_TABLES)
def test_export_queries_parse_and_declare_their_columns(exports: Path, table: str) -> None:
    path = resources.queries_dir() / "export" / f"{table}.rq"
    text = path.read_text(encoding="utf-8")
    query = prepareQuery(text)
    header = next(line for line in text.splitlines() if line.startswith("# columns:"))
    declared = [c.strip() for c in header.split(":", 1)[1].split(",")]
    assert [str(v) for v in query.algebra["PV"]] == declared
    with (exports / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == declared


@pytest.mark.parametrize("module", ["kgraph.publish.writers", "kgraph.publish.description"])
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
    assert result.attempted > 0


def test_observations_table_has_one_row_per_observation(
    graph: Graph, exports: Path, data_dir: Path
) -> None:
    rows = _table(exports / "csv" / "observations.csv")
    curated = [
        row["id"]
        for path in sorted((data_dir / "curated" / "observations").glob("*.csv"))
        for row in _table(path)
    ]
    assert sorted(r["observation"] for r in rows) == sorted(curated)
    assert len(rows) == len(set(graph.subjects(RDF.type, QB.Observation)))
    required = {"entity", "indicator", "period", "value", "unit", "qualifier", "source", "quote"}
    assert required <= set(rows[0])


@pytest.mark.parametrize(
    ("entity", "indicator", "value", "denominator", "unit", "source"),
    [
        ("dang-bo-xa-pom-lot", "party-members", "209", None, "number", POM_LOT_ARTICLE),
        ("2024-03356", "poor-household-rate", "10.37", None, "percent", POM_LOT_ARTICLE),
        ("2024-03328", "new-rural-criteria-met", "11", "19", "number", "000_ae26940861c8c0fd"),
        (
            "dang-bo-huyen-dien-bien",
            "grassroots-party-orgs",
            "69",
            None,
            "number",
            DIEN_BIEN_ARTICLE,
        ),
        (
            "dang-bo-huyen-dien-bien",
            "grassroots-party-committees",
            "29",
            None,
            "number",
            DIEN_BIEN_ARTICLE,
        ),
        (
            "dang-bo-huyen-dien-bien",
            "grassroots-party-cells",
            "40",
            None,
            "number",
            DIEN_BIEN_ARTICLE,
        ),
        ("dang-bo-huyen-dien-bien", "party-members", "5004", None, "number", DIEN_BIEN_ARTICLE),
        (
            "dang-bo-huyen-than-uyen",
            "grassroots-party-orgs",
            "45",
            None,
            "number",
            THAN_UYEN_ARTICLE,
        ),
        ("dang-bo-huyen-than-uyen", "party-members", "2044", None, "number", THAN_UYEN_ARTICLE),
    ],
)
def test_observations_table_values_from_the_articles(
    observations: dict[tuple[str, str], dict[str, str]],
    data_dir: Path,
    entity: str,
    indicator: str,
    value: str,
    denominator: str | None,
    unit: str,
    source: str,
) -> None:
    row = observations[(entity, indicator)]
    assert Decimal(row["value"]) == Decimal(value)
    assert (Decimal(row["denominator"]) if row["denominator"] else None) == (
        Decimal(denominator) if denominator else None
    )
    assert row["unit"] == unit
    assert row["qualifier"] == "exact"
    assert row["source"] == source
    assert row["value_text"] in row["quote"]
    article = (data_dir / "sources" / f"{source}.txt").read_text(encoding="utf-8")
    assert row["quote"] in article


def test_entity_tables(exports: Path, data_dir: Path) -> None:
    places = {r["place"]: r for r in _table(exports / "csv" / "places.csv")}
    assert places["2024-03356"]["gso_code"] == "03356"  # xã Pom Lót
    assert places["2024-03356"]["part_of"] == "2024-100"  # huyện Điện Biên
    assert places["2024-03356"]["class"] == "kg:Commune"
    assert places["2024-100"]["part_of"] == "2024-11"  # tỉnh Điện Biên
    assert places["ban-pa-kin-1"]["part_of"] == "2024-03365"  # a village keeps its id
    assert set(places) == {_place_key(r) for r in _curated(data_dir, "places.csv")}
    orgs = {r["organisation"]: r for r in _table(exports / "csv" / "organisations.csv")}
    assert set(orgs) == {r["id"] for r in _curated(data_dir, "organisations.csv")}
    assert orgs["dang-bo-xa-pom-lot"]["parent"] == "dang-bo-huyen-dien-bien"
    assert orgs["dang-bo-xa-pom-lot"]["leads_area"] == "2024-03356"
    posts = {r["post_holding"]: r for r in _table(exports / "csv" / "posts.csv")}
    assert posts["nguyen-van-dau-secretary"]["organisation"] == "dang-uy-xa-pom-lot"
    assert posts["nguyen-van-dau-secretary"]["as_of"] == "2017-07-05"  # "hiện", article 001's date
    people = {r["person"]: r["name"] for r in _table(exports / "csv" / "people.csv")}
    assert people == {r["id"]: r["name"] for r in _curated(data_dir, "people.csv")}
    sources = _table(exports / "csv" / "sources.csv")
    assert [r["source"] for r in sources] == sorted(
        r["id"] for r in _table(data_dir / "sources.csv")
    )
    indicators = {r["indicator"]: r for r in _table(exports / "csv" / "indicators.csv")}
    assert indicators["poor-household-rate"]["unit"] == "percent"
    documents = {r["document"]: r for r in _table(exports / "csv" / "documents.csv")}
    assert documents["quyet-dinh-1255-qd-hu"]["issued"] == "2012-05-03"


def test_csv_text_is_nfc_with_diacritics(exports: Path) -> None:
    for path in (exports / "csv").glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, path.name
    assert "Đảng bộ xã Pom Lót" in (exports / "csv" / "organisations.csv").read_text(
        encoding="utf-8"
    )


# -- stable output -------------------------------------------------------------------------

_RELEASE_SCRIPT = """
import sys
from pathlib import Path
from kgraph import resources
from kgraph.graph.build import build_graph
from kgraph.curate.dataset import load_dataset
from kgraph.publish.release import make_release
make_release(build_graph(load_dataset(resources.data_dir())), Path(sys.argv[1]))
"""


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_two_builds_in_fresh_processes_release_byte_identical_files(tmp_path: Path) -> None:
    outs = []
    for seed in ("1", "2"):  # different hash seeds: set and dict order may not leak into files
        out = tmp_path / f"release-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", _RELEASE_SCRIPT, str(out)], check=True, env=env)
        outs.append(_files(out))
    assert outs[0].keys() == outs[1].keys()
    assert "kgraph.nt" in outs[0]
    for name in outs[0]:
        assert outs[0][name] == outs[1][name], name


def _change_qualifier(data: Path, observation: str, new: str) -> str:
    path = data / "curated" / "observations" / f"{observation[:3]}{POM_LOT_ARTICLE[3:]}.csv"
    rows = _table(path)
    (row,) = [r for r in rows if r["id"] == observation]
    old = row["qualifier"]
    row["qualifier"] = new
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return old


def _diff(before: bytes, after: bytes) -> tuple[set[bytes], set[bytes]]:
    old, new = set(before.splitlines()), set(after.splitlines())
    return old - new, new - old


def test_a_changed_fact_is_a_minimal_diff(
    graph: Graph, iris: Iris, data_copy: Path, tmp_path: Path
) -> None:
    rate = iris.id("indicator", "poor-household-rate")
    (obs,) = [
        o
        for o in graph.subjects(KG.indicator, rate)
        if (o, SDMX_DIMENSION.refArea, iris.unit("commune", "2024", "03356")) in graph
    ]
    observation = str(obs).rsplit("/", 1)[-1]
    assert _change_qualifier(data_copy, observation, "approximate") == "exact"
    changed = build_graph(load_dataset(data_copy), iris)
    no_shapes = Graph()
    before, after = (
        {
            fmt: export(g, fmt, tmp_path / tag, iris, no_shapes)[0].read_bytes()
            for fmt in ("ntriples", "nquads")
        }
        for g, tag in ((graph, "before"), (changed, "after"))
    )
    qualifier = KG.qualifier.n3().encode()
    removed, added = _diff(before["ntriples"], after["ntriples"])
    assert removed == {
        b"%s %s %s ." % (obs.n3().encode(), qualifier, iris.id("qualifier", "exact").n3().encode())
    }
    assert added == {
        b"%s %s %s ."
        % (obs.n3().encode(), qualifier, iris.id("qualifier", "approximate").n3().encode())
    }
    removed, added = _diff(before["nquads"], after["nquads"])
    assert len(removed) == len(added) == 1
    graph_name = iris.graph(f"source/{POM_LOT_ARTICLE}").n3().encode()
    assert all(line.endswith(b" " + graph_name + b" .") for line in removed | added)


# -- dataset description ------------------------------------------------------------------


@pytest.fixture(scope="module")
def description(graph: Graph, iris: Iris, layout: GraphLayout) -> Graph:
    described: Graph = describe_dataset(graph, iris, layout=layout)
    return described


@pytest.fixture(scope="module")
def dataset_iri(iris: Iris) -> URIRef:
    node: URIRef = iris.dataset
    return node


def _by_language(graph: Graph, node: URIRef, prop: URIRef) -> dict[str | None, str]:
    return {t.language: str(t) for t in graph.objects(node, prop) if isinstance(t, Literal)}


def _count(description: Graph, node: Node, prop: URIRef) -> int:
    value = description.value(node, prop)
    assert isinstance(value, Literal), (node, prop)
    return int(value.toPython())


def _partition(
    description: Graph, dataset: URIRef, kind: URIRef, key: URIRef, term: URIRef
) -> URIRef:
    (part,) = [p for p in description.objects(dataset, kind) if (p, key, term) in description]
    assert isinstance(part, URIRef)
    return part


def test_description_counts_come_from_the_graph(
    graph: Graph, description: Graph, dataset_iri: URIRef, data_dir: Path
) -> None:
    assert _count(description, dataset_iri, VOID.triples) == len(graph)
    observations = sum(
        len(_table(p)) for p in (data_dir / "curated" / "observations").glob("*.csv")
    )
    part = _partition(description, dataset_iri, VOID.classPartition, VOID["class"], QB.Observation)
    assert _count(description, part, VOID.entities) == observations
    part = _partition(
        description, dataset_iri, VOID.propertyPartition, VOID.property, SDMX_MEASURE.obsValue
    )
    assert _count(description, part, VOID.triples) == observations
    communes = sum(1 for r in _curated(data_dir, "places.csv") if r["kind"] == "commune")
    part = _partition(description, dataset_iri, VOID.classPartition, VOID["class"], KG.Commune)
    assert _count(description, part, VOID.entities) == communes
    assert _count(description, dataset_iri, VOID.properties) == len(set(graph.predicates()))
    assert _count(description, dataset_iri, VOID.classes) == len(set(graph.objects(None, RDF.type)))


def test_description_says_what_who_which_licence_and_sources(
    description: Graph, dataset_iri: URIRef, iris: Iris, data_dir: Path
) -> None:
    d = description
    assert (dataset_iri, RDF.type, VOID.Dataset) in d
    assert (dataset_iri, RDF.type, DCAT.Dataset) in d
    assert set(_by_language(d, dataset_iri, DCTERMS.title)) == {"vi", "en"}
    descriptions = _by_language(d, dataset_iri, DCTERMS.description)
    articles = _table(data_dir / "sources.csv")
    assert set(descriptions) == {"vi", "en"}
    assert f"from {len(articles)} Vietnamese news articles" in descriptions["en"]
    assert str(d.value(dataset_iri, OWL.versionInfo)) == __version__
    assert d.value(dataset_iri, DCTERMS.license) == LICENSE_MIT
    rights = _by_language(d, dataset_iri, DCTERMS.rights)
    assert "copyright stays with their publishers" in rights["en"]
    assert d.value(dataset_iri, DCTERMS.creator) is not None
    # the articles are prov:wasDerivedFrom: DCAT-AP keeps dcterms:source for datasets
    sources = set(d.objects(dataset_iri, PROV.wasDerivedFrom))
    assert {iris.id("source", r["id"]) for r in articles} <= sources
    assert (dataset_iri, DCTERMS.source, None) not in d
    vocabularies = {str(v) for v in d.objects(dataset_iri, VOID.vocabulary)}
    assert {str(QB), str(ORG), str(SKOS), str(OA), str(PROV)} <= vocabularies
    assert (None, VOID.sparqlEndpoint, None) not in d


def test_description_issued_is_the_latest_publication_unless_given(
    graph: Graph, description: Graph, dataset_iri: URIRef
) -> None:
    # sources.csv: article 001 was published "05/07/2017 08:57:14 AM", the latest of the five
    assert _literal(description, dataset_iri, DCTERMS.issued) == date(2017, 7, 5)
    given = describe_dataset(graph, issued=date(2026, 1, 2))
    assert _literal(given, dataset_iri, DCTERMS.issued) == date(2026, 1, 2)


def test_description_example_resources_are_instances(
    graph: Graph, description: Graph, dataset_iri: URIRef
) -> None:
    examples = set(description.objects(dataset_iri, VOID.exampleResource))
    assert len(examples) >= 4
    for example in examples:
        assert (example, RDF.type, None) in graph


def test_description_lists_each_named_graph_with_its_size(
    description: Graph, dataset_iri: URIRef, layout: GraphLayout
) -> None:
    subsets = set(description.objects(dataset_iri, VOID.subset))
    assert subsets == {g.identifier for g in layout.graphs()}
    for part in layout.graphs():
        assert _count(description, part.identifier, VOID.triples) == len(part)
    for source, part in layout.sources.items():
        assert description.value(part.identifier, DCTERMS.source) == source


def test_description_names_the_endpoint_only_when_given(graph: Graph, dataset_iri: URIRef) -> None:
    url = "http://127.0.0.1:8321/sparql"
    d = describe_dataset(graph, endpoint=url)
    assert d.value(dataset_iri, VOID.sparqlEndpoint) == URIRef(url)
    service = d.value(dataset_iri, DCAT.accessService)
    assert d.value(service, DCAT.endpointURL) == URIRef(url)


def test_description_links_downloads_only_when_published(graph: Graph, dataset_iri: URIRef) -> None:
    files = [
        Distribution("kgraph.nt", "application/n-triples", 10, rdf=True),
        Distribution("csv/places.csv", "text/csv", 5),
    ]
    d = describe_dataset(graph, distributions=files)
    assert len(set(d.subjects(RDF.type, DCAT.Distribution))) == 2
    assert (None, DCAT.downloadURL, None) not in d
    d = describe_dataset(graph, distributions=files, download_base="https://example.org/r/0.1.0/")
    urls = {str(u) for u in d.objects(None, DCAT.downloadURL)}
    assert urls == {
        "https://example.org/r/0.1.0/kgraph.nt",
        "https://example.org/r/0.1.0/csv/places.csv",
    }
    assert {str(u) for u in d.objects(dataset_iri, VOID.dataDump)} == {
        "https://example.org/r/0.1.0/kgraph.nt"
    }
    with pytest.raises(InputError, match="not an absolute http"):
        describe_dataset(graph, endpoint="localhost:8000/sparql")


def test_description_is_deterministic(graph: Graph, layout: GraphLayout) -> None:
    first = describe_dataset(graph, layout=layout).serialize(format="nt")
    second = describe_dataset(graph, layout=layout).serialize(format="nt")
    assert sorted(first.splitlines()) == sorted(second.splitlines())


# -- the release ----------------------------------------------------------------------------


def test_release_holds_every_format_ontology_context_and_description(
    release_dir: Path, exports: Path
) -> None:
    files = _files(release_dir)
    names = set(files)
    # every export format, byte for byte as `kgraph export` writes it
    exported = _files(exports)
    assert {
        "kgraph.ttl",
        "kgraph.nt",
        "kgraph.rdf",
        "kgraph.jsonld",
        "kgraph.trig",
        "kgraph.nq",
    } <= set(exported)
    assert {f"csv/{t}.csv" for t in CSV_TABLES} <= set(exported)
    for name, data in exported.items():
        assert files.get(name) == data, name
    assert {"ontology.ttl", "context.jsonld", "void.ttl", "manifest.json", "SHA256SUMS"} <= names
    assert ("shapes.ttl" in names) == resources.shapes_file().is_file()
    assert (release_dir / "ontology.ttl").read_bytes() == resources.ontology_file().read_bytes()


def test_release_checksums_cover_every_file(release_dir: Path) -> None:
    sums = {}
    for line in (release_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    files = _files(release_dir)
    assert set(sums) == set(files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name


def test_release_manifest_counts_what_the_files_hold(graph: Graph, release_dir: Path) -> None:
    manifest = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == __version__
    assert manifest["triples"] == len(graph)
    assert manifest["issued"] == "2017-07-05"
    entries = {f["path"]: f for f in manifest["files"]}
    assert set(entries) == set(_files(release_dir)) - {"manifest.json", "SHA256SUMS"}
    parsers = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".jsonld": "json-ld"}
    for path, entry in entries.items():
        data = (release_dir / path).read_bytes()
        assert entry["bytes"] == len(data)
        suffix = Path(path).suffix
        if suffix in parsers and path != "context.jsonld":
            assert entry["statements"] == len(Graph().parse(data=data, format=parsers[suffix])), (
                path
            )
        elif suffix in (".trig", ".nq"):
            ds = Dataset()
            ds.parse(data=data, format="trig" if suffix == ".trig" else "nquads")
            assert entry["statements"] == sum(len(g) for g in ds.graphs()), path


def test_release_description_lists_the_files(release_dir: Path) -> None:
    d = Graph().parse(release_dir / "void.ttl", format="turtle")
    titles = {str(d.value(dist, DCTERMS.title)) for dist in d.subjects(RDF.type, DCAT.Distribution)}
    assert {"kgraph.nt", "kgraph.trig", "csv/observations.csv", "ontology.ttl"} <= titles
    for dist in d.subjects(RDF.type, DCAT.Distribution):
        size = _literal(d, dist, DCAT.byteSize)
        assert (release_dir / str(d.value(dist, DCTERMS.title))).stat().st_size == size


def test_release_files_are_readable_by_everyone(release_dir: Path) -> None:
    for path in release_dir.rglob("*"):
        assert path.stat().st_mode & 0o004, path


def test_a_failed_release_leaves_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = Graph().parse(resources.ontology_file(), format="turtle")  # quick to release
    out = tmp_path / "release"
    make_release(small, out)
    before = _files(out)

    def broken(*args: object, **kwargs: object) -> Graph:
        raise RuntimeError("disk full")

    monkeypatch.setattr("kgraph.publish.release.describe_dataset", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        make_release(small, out)
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


# -- the commands ---------------------------------------------------------------------------


@pytest.fixture()
def runner() -> Iterator[CliRunner]:
    yield CliRunner()


def test_cli_export_writes_each_format(runner: CliRunner, built_ttl: Path, tmp_path: Path) -> None:
    for fmt, (name, _) in {**RDF_FORMATS, **QUAD_FORMATS}.items():
        result = runner.invoke(
            main, ["export", "--format", fmt, "--input", str(built_ttl), "--out", str(tmp_path)]
        )
        assert result.exit_code == 0, result.output
        assert f"wrote {tmp_path / name}" in result.output
    result = runner.invoke(
        main, ["export", "--format", "csv", "--input", str(built_ttl), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "observations.csv").is_file()


def test_cli_export_choices_come_from_the_registry(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    for fmt in FORMATS:
        assert fmt in result.output
    result = runner.invoke(main, ["export", "--format", "yaml"])
    assert result.exit_code == 2


def test_cli_export_of_a_missing_graph_is_a_one_line_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    missing = tmp_path / "nothing.ttl"
    result = runner.invoke(
        main,
        ["export", "--format", "turtle", "--input", str(missing), "--out", str(tmp_path / "x")],
    )
    assert result.exit_code == 2
    assert result.output.startswith("kgraph: error: ")
    assert "nothing.ttl" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_cli_export_of_a_broken_graph_names_the_file(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    result = runner.invoke(
        main, ["export", "--format", "nquads", "--input", str(broken), "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert "broken.ttl" in result.output and "cannot parse" in result.output
    assert not (tmp_path / "x").exists()


def test_cli_release(runner: CliRunner, built_ttl: Path, tmp_path: Path) -> None:
    out = tmp_path / "release"
    args = ["release", "--input", str(built_ttl), "--out", str(out), "--issued", "2026-01-02"]
    args += ["--endpoint", "http://127.0.0.1:8321/sparql"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"release: {out} (")
    d = Graph().parse(out / "void.ttl", format="turtle")
    assert (
        None,
        DCTERMS.issued,
        Literal("2026-01-02", datatype=XSD.date),
    ) in d
    assert (None, VOID.sparqlEndpoint, URIRef("http://127.0.0.1:8321/sparql")) in d
    result = runner.invoke(
        main, ["release", "--input", str(built_ttl), "--out", str(out), "--issued", "2.1.2026"]
    )
    assert result.exit_code == 2
    bad = tmp_path / "bad-release"
    result = runner.invoke(
        main, ["release", "--input", str(built_ttl), "--out", str(bad), "--endpoint", "not a url"]
    )
    assert result.exit_code == 2
    assert result.output.startswith("kgraph: error: endpoint 'not a url'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


@pytest.mark.parametrize(
    ("hostile", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+1+1", "'+1+1"),
    ],
)
def test_csv_cells_never_run_as_formulas(
    graph: Graph, tmp_path: Path, hostile: str, written: str
) -> None:
    g = Graph()
    g += graph
    pom_lot = URIRef("https://kgraph.example.org/id/commune/2024-03356")
    for label in list(g.objects(pom_lot, RDFS.label)):
        if label.language == "en":
            g.remove((pom_lot, RDFS.label, label))
    g.add((pom_lot, RDFS.label, Literal(hostile, lang="en")))
    export(g, "csv", tmp_path)
    with (tmp_path / "csv" / "places.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["place"]: r for r in csv.DictReader(fh)}
    assert rows["2024-03356"]["label_en"] == written
    assert rows["2024-03356"]["label_vi"] == "Pom Lót"


def test_a_release_that_does_not_read_back_is_not_published(
    graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kgraph.publish.release as release_module
    from kgraph.errors import OutputError
    from kgraph.publish.release import make_release

    out = tmp_path / "release"
    make_release(graph, out)
    before = (out / "SHA256SUMS").read_bytes()
    real_export = release_module.export_formats

    def cut_rdfxml(*args: Any, **kwargs: Any) -> dict[str, list[Path]]:
        written = real_export(*args, **kwargs)
        for path in written["rdfxml"]:
            path.write_bytes(path.read_bytes()[:-200])  # cut short, as a full disk would
        return written

    monkeypatch.setattr(release_module, "export_formats", cut_rdfxml)
    with pytest.raises(OutputError, match="does not read back") as err:
        make_release(graph, out)
    assert err.value.path is not None and err.value.path.name == "kgraph.rdf"
    assert (out / "SHA256SUMS").read_bytes() == before, "the published release is untouched"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"], "no stage left behind"


def test_a_release_cleans_up_what_a_killed_run_left(graph: Graph, tmp_path: Path) -> None:
    from kgraph.publish.release import make_release

    for leftover in (".release.k1ll3d", ".release.old.k1ll3d"):
        (tmp_path / leftover / "release").mkdir(parents=True)
    make_release(graph, tmp_path / "release")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_the_release_publishes_the_backbone_as_its_own_file(
    graph: Graph, national_store: GraphStore, tmp_path: Path
) -> None:
    """With the built store, ``backbone.ttl`` is the store's backbone graph, read back whole."""
    import pyoxigraph as ox

    out = tmp_path / "release"
    make_release(graph, out, backbone=national_store)
    backbone = str(Iris().graph("backbone"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [f for f in manifest["files"] if f["path"] == "backbone.ttl"]
    assert entry["statements"] == national_store.count(backbone) > 300_000
    parsed = ox.Store()
    parsed.bulk_load(path=str(out / "backbone.ttl"), format=ox.RdfFormat.TURTLE)
    pom_lot = ox.NamedNode(str(Iris().unit("commune", "2024", "03356")))
    replaced = ox.NamedNode("http://purl.org/dc/terms/isReplacedBy")
    (quad,) = parsed.quads_for_pattern(pom_lot, replaced, None)
    assert quad.object.value == str(Iris().unit("commune", "2025", "03356"))
    # the curated dumps stay the curated graph
    assert manifest["triples"] == len(graph)
