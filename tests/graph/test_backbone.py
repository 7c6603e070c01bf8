"""The national backbone: unit versions of both lists and the reform, in the store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kgraph.curate.dataset import Dataset
from kgraph.curate.units import load_admin_units
from kgraph.graph.backbone import (
    CACHE_MAX_AGE_S,
    backbone_key,
    backbone_triples,
    prune_backbone_cache,
    unit_triples,
)
from kgraph.graph.engine import GraphStore, to_rdflib
from kgraph.graph.namespaces import DCTERMS, KG, Iris
from tests.curate.test_units import _write


def _ask(store: GraphStore, query: str) -> list[dict[str, str]]:
    rows = store.store.query(
        "PREFIX kg: <https://kgraph.example.org/def/> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> " + query
    )
    return [
        {v.value: row[v].value for v in rows.variables if row[v] is not None}  # type: ignore[union-attr]
        for row in rows
    ]  # type: ignore[union-attr]


def test_one_iri_per_unit_version_and_the_reform_as_short_links(tmp_path: Path) -> None:
    units = load_admin_units(_write(tmp_path))
    iris = Iris("https://x.org")
    graph = Graph()
    for t in backbone_triples(units, iris):
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    pom_lot, sam_mun = iris.unit("commune", "2024", "03356"), iris.unit("commune", "2025", "03356")
    na_tong, muong_phang = (
        iris.unit("commune", "2024", "03365"),
        iris.unit("commune", "2025", "03370"),
    )
    assert graph.value(pom_lot, DCTERMS.isReplacedBy) == sam_mun
    assert set(graph.objects(sam_mun, DCTERMS.replaces)) == {
        pom_lot,
        iris.unit("commune", "2024", "03361"),
    }
    assert (na_tong, KG.partlyReplacedBy, muong_phang) in graph
    kinds = {
        str(graph.value(change, KG.changeKind)).rsplit("/", 1)[-1]
        for change in graph.subjects(KG.originalUnit, pom_lot)
    }
    assert kinds == {"merger"}
    split = graph.value(na_tong, KG.changedBy)
    assert graph.value(split, KG.changeKind) == KG.split
    district = iris.unit("district", "2024", "100")
    assert graph.value(graph.value(district, KG.changedBy), KG.changeKind) == KG.abolition
    province = graph.value(iris.unit("province", "2024", "11"), KG.changedBy)
    assert graph.value(province, KG.changeKind) == KG.continuation
    # every 2024 version ends with exactly one change; 2025 versions are not changed
    for unit in units.units.values():
        node = iris.unit(unit.level, unit.vintage, unit.code)
        assert len(list(graph.objects(node, KG.changedBy))) == (unit.vintage == "2024")


def test_the_key_changes_with_the_lists_and_the_base(tmp_path: Path) -> None:
    folder = _write(tmp_path)
    first = backbone_key(folder, Iris())
    assert backbone_key(folder, Iris("https://x.org")) != first
    (folder / "admin-units" / "units-2025.csv").write_text(
        (folder / "admin-units" / "units-2025.csv").read_text() + "03371,Nà Tấu,xã,commune,11\n"
    )
    assert backbone_key(folder, Iris()) != first


def test_curated_units_say_what_the_backbone_says(dataset: Dataset, graph: Graph) -> None:
    """A place an article talks about is the backbone's unit version, statement for statement."""
    iris = Iris()
    for row in dataset.table("places"):
        if row["gso_code"] is None:
            continue
        unit = dataset.admin_units.get(row["vintage"], row["gso_code"])
        assert unit is not None
        for t in unit_triples(unit, iris):
            triple = (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
            assert triple in graph, triple


def test_the_built_store_holds_every_unit_version_and_change(national_store: GraphStore) -> None:
    (count,) = _ask(
        national_store,
        """
        SELECT (COUNT(DISTINCT ?u) AS ?units) (COUNT(DISTINCT ?c) AS ?changes) WHERE {
          { ?u kg:vintage ?v }
          UNION { ?c a kg:AdministrativeChange FILTER NOT EXISTS { ?c kg:evidence ?e } } }""",
    )
    assert (int(count["units"]), int(count["changes"])) == (14149, 10794)
    assert national_store.named_graphs().count("https://kgraph.example.org/graph/backbone") == 1


def test_the_curated_graph_of_the_store_leaves_the_backbone_out(
    national_store: GraphStore, graph: Graph
) -> None:
    curated = national_store.graph()
    assert len(curated) == len(graph)
    # the only changes in it are those an article states (with its quote), none of the reform's
    assert all(curated.value(c, KG.evidence) for c in curated.subjects(KG.changeKind, None))


@pytest.mark.parametrize("name", ["Pom Lot", "xã Pom Lót", "03356"])
def test_where_now_answers_sam_mun_for_pom_lot(national_store: GraphStore, name: str) -> None:
    from kgraph.sparql.embedded import StoreEngine
    from kgraph.sparql.engines import run_query
    from kgraph.sparql.named import load_query

    result = run_query(load_query("where-now"), {"name": name}, StoreEngine(national_store))
    rows = [
        {k: str(c) for k, c in zip(result.variables, r, strict=True) if c is not None}
        for r in result.rows
    ]
    pom = [r for r in rows if r["vintage"] == "2024"]
    assert [(r["label"], r["relation"], r["date"], r["nowLabel"], r["province"]) for r in pom] == [
        ("Xã Pom Lót", "whole", "2025-07-01", "Xã Sam Mứn", "Tỉnh Điện Biên")
    ]
    assert pom[0]["now"] == str(URIRef(Iris().unit("commune", "2025", "03356")))


def test_the_cache_drops_old_backbones_but_never_the_current_or_a_recent_one(
    tmp_path: Path,
) -> None:
    now = 1_900_000_000.0
    week = CACHE_MAX_AGE_S
    current = tmp_path / "backbone-aaaa.oxigraph"
    recent = tmp_path / "backbone-bbbb.oxigraph"  # another checkout may be building on it
    old = tmp_path / "backbone-cccc.oxigraph"
    abandoned = tmp_path / ".backbone-dddd.oxigraph.x1y2"  # a scratch folder of a crashed build
    other = tmp_path / "not-a-backbone"
    for folder, age in (
        (current, 2 * week),
        (recent, week / 2),
        (old, 2 * week),
        (abandoned, 3 * week),
        (other, 9 * week),
    ):
        (folder / "data").mkdir(parents=True)
        os.utime(folder, (now - age, now - age))
    removed = prune_backbone_cache(tmp_path, keep=current, now=now)
    assert sorted(removed) == sorted([old, abandoned])
    assert current.is_dir() and recent.is_dir() and other.is_dir()
    assert not old.exists() and not abandoned.exists()
