"""The query library and `kgraph query`: every shipped query checked against the sources.

Expected values are either numbers quoted from the articles (Pom Lót's 209
members, Thanh Luông's 11/19 criteria...) or recomputed here straight from the
curated CSV tables with the csv module, independently of kgraph's loader.
"""

from __future__ import annotations

import csv
import doctest
import io
import json
import re
import socket
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

import kgraph.sparql.named as query_module
from kgraph import resources
from kgraph.cli import main
from kgraph.curate.vn import parse_number
from kgraph.errors import QueryError
from kgraph.graph import namespaces as ns
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import PREFIXES, Iris
from kgraph.sparql import (
    CLI_FORMATS,
    LimitExceeded,
    LocalGraph,
    NamedQuery,
    QueryResult,
    StoreEngine,
    bind_parameters,
    compile_query,
    evaluate,
    library,
    load_query,
    parse_header,
    render,
    results_from_json,
    run_query,
    term_n3,
    with_values,
    write_library_results,
)
from tests.sparql.regional import BACKBONE_QUERIES

IRIS = Iris()


# -- the curated tables, read directly ----------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class Tables:
    """The curated CSVs as plain dicts, and the IRIs their rows become.

    A province, district or commune is a unit version of an official list: its
    IRI ends in its vintage and GSO code (``2024-03356``), not in its curated id
    (``xa-pom-lot``); ``slug`` gives the end of the IRI of any curated id.
    """

    def __init__(self, data: Path) -> None:
        cur = data / "curated"
        #: (vintage, code) -> the row of the official list
        self.units = {
            (vintage, r["code"]): r
            for vintage in ("2024", "2025")
            for r in _rows(data / "admin-units" / f"units-{vintage}.csv")
        }
        #: the reform: every (old unit, new unit) pair, with the pairs the mapping rejected
        self.mapping = _rows(data / "admin-units" / "mapping-2025.csv")
        self.sources = {r["id"]: r for r in _rows(data / "sources.csv")}
        self.places = _rows(cur / "places.csv")
        self.orgs = _rows(cur / "organisations.csv")
        self.people = _rows(cur / "people.csv")
        self.posts = _rows(cur / "posts.csv")
        self.documents = _rows(cur / "documents.csv")
        self.mentions = _rows(cur / "mentions.csv")
        self.terms = _rows(cur / "terms.csv")
        self.changes = _rows(cur / "changes.csv")
        self.indicators = {r["id"]: r for r in _rows(cur / "indicators.csv")}
        self.codes = _rows(cur / "codes.csv")
        self.observations: dict[str, list[dict[str, str]]] = {
            p.stem: _rows(p) for p in sorted((cur / "observations").glob("*.csv"))
        }
        self.key = {
            r["id"]: f"{r['vintage']}-{r['gso_code']}" for r in self.places if r["gso_code"]
        }
        self.iri: dict[str, URIRef] = {}
        for r in self.places + self.orgs:
            self.iri[r["id"]] = IRIS.id(r["kind"], self.slug(r["id"]))
        for r in self.people:
            self.iri[r["id"]] = IRIS.id("person", r["id"])
        for r in self.documents:
            self.iri[r["id"]] = IRIS.id("document", r["id"])
        self.kind = {r["id"]: r["kind"] for r in self.places + self.orgs}

    def slug(self, curated_id: str) -> str:
        """The end of the IRI a curated id becomes (``""`` for an empty cell)."""
        return self.key.get(curated_id, curated_id)

    def parent_slug(self, slug: str) -> str:
        """The end of the IRI of the parent of a place (curated, or a unit of a list only)."""
        row = next((r for r in self.places if self.slug(r["id"]) == slug), None)
        if row is not None and (row["parent"] or not row["gso_code"]):
            return self.slug(row["parent"])
        vintage, code = slug.split("-")  # a unit: the official parent is its list's
        parent = self.units[(vintage, code)]["parent_code"]
        return f"{vintage}-{parent}" if parent else ""

    def all_observations(self) -> list[dict[str, str]]:
        return [dict(r, source=s) for s, rows in self.observations.items() for r in rows]

    def facts_of(self, source: str) -> set[URIRef]:
        """Every node the build gives evidence from ``source``."""
        facts = {self.iri[r["id"]] for r in self.places + self.orgs if r["source"] == source}
        facts |= {self.iri[r["id"]] for r in self.people + self.documents if r["source"] == source}
        for r in self.posts:
            if r["source"] == source:
                facts |= {IRIS.id("post", r["id"]), IRIS.id("post-holding", r["id"])}
        facts |= {self.iri[r["entity"]] for r in self.mentions if r["source"] == source}
        facts |= {IRIS.id("observation", r["id"]) for r in self.observations.get(source, [])}
        for r in self.terms:
            if r["source"] == source:
                facts.add(IRIS.id("term", r["id"]))
                if r["congress"] == "true":
                    facts.add(IRIS.id("congress", r["id"]))
        facts |= {IRIS.id("change", r["id"]) for r in self.changes if r["source"] == source}
        return facts


@pytest.fixture(scope="module")
def tables(data_dir: Path) -> Tables:
    return Tables(data_dir)


@pytest.fixture(scope="module")
def engine(graph: Graph) -> LocalGraph:
    return LocalGraph(graph)


Run = Callable[..., QueryResult]


@pytest.fixture(scope="module")
def run(engine: LocalGraph) -> Run:
    def _run(query_name: str, /, **params: str) -> QueryResult:
        return run_query(library()[query_name], params, engine, IRIS)

    return _run


@pytest.fixture(scope="module")
def national(national_store: GraphStore) -> Run:
    """Run a library query on the store `kgraph build` writes: with the national backbone."""
    engine = StoreEngine(national_store)

    def _run(query_name: str, /, **params: str) -> QueryResult:
        return run_query(library()[query_name], params, engine, IRIS)

    return _run


def num(term: object) -> Decimal:
    assert isinstance(term, Literal), term
    return Decimal(str(term))


def text(term: object) -> str:
    assert isinstance(term, Literal | URIRef), term
    return str(term)


def local(term: object) -> str:
    """The id at the end of an instance IRI."""
    return str(term).rsplit("/", 1)[-1]


def by(result: QueryResult, key: str) -> dict[str, dict[str, object]]:
    """Rows keyed by the id at the end of one IRI column (which must be unique)."""
    out = {local(d[key]): dict(d) for d in result.dicts()}
    assert len(out) == len(result.rows), f"{key} is not unique"
    return out


# -- the library itself --------------------------------------------------------------------


def test_library_has_at_least_twenty_documented_queries() -> None:
    queries = library()
    assert len(queries) >= 20
    for name, q in queries.items():
        assert q.title and q.question_en and q.question_vi, name
        assert q.columns, f"{name}: no '# columns:' header"
        assert re.fullmatch(r"[a-z0-9-]+", name), name
        for p in q.params:
            assert p.doc, f"{name}: parameter {p.name} has no description"
        for example in q.examples:
            for key in example:
                q.param(key)  # raises when an example names an unknown parameter


@pytest.mark.parametrize("name", sorted(library()))
def test_query_parses_declares_known_prefixes_and_returns_its_columns(
    name: str, run: Run, national: Run
) -> None:
    q = library()[name]
    compile_query(q.text, name)
    for prefix, iri in re.findall(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", q.text):
        assert str(PREFIXES[prefix]) == iri, f"{name}: PREFIX {prefix}: differs from namespaces.py"
    result = run(name)
    assert result.variables == q.columns
    if name in BACKBONE_QUERIES:  # it reads the backbone, which only the store holds
        result = national(name)
        assert result.variables == q.columns
    assert result.rows, f"{name} returns nothing on the shipped data"


def test_every_shipped_query_has_a_value_test_here() -> None:
    tested = {n[len("test_q_") :].replace("_", "-") for n in globals() if n.startswith("test_q_")}
    assert tested == set(library())


# -- one test per query, with values from the sources ------------------------------------------


def test_q_admin_hierarchy(run: Run, tables: Tables) -> None:
    rows = by(run("admin-hierarchy"), "unit")
    admin = {
        tables.slug(r["id"]): r
        for r in tables.places
        if r["kind"] in ("province", "district", "commune", "village")
    }
    # the places the articles talk about, and every unit above them
    places = {tables.slug(r["id"]) for r in tables.places}
    mentioned = {tables.slug(r["id"]) for r in tables.places if r["source"]}
    mentioned |= {tables.slug(r["entity"]) for r in tables.mentions} & places
    reached = set()
    for slug in mentioned:
        while slug and slug not in reached:
            reached.add(slug)
            slug = tables.parent_slug(slug)
    expected = {s for s in reached if s in admin or s not in places}  # no border gates
    assert set(rows) == expected
    assert {"2024-11", "2024-12", "2024-100", "2024-110"} <= set(rows)  # provinces and districts
    for slug in expected:
        row = rows[slug]
        assert local(row.get("parent", "")) == tables.parent_slug(slug), slug
        if slug in admin:
            r = admin[slug]
            name, code, vintage = r["name_vi"], r["gso_code"], r["vintage"]
        else:  # a unit above a curated one: as its official list gives it
            vintage, code = slug.split("-")
            name = tables.units[(vintage, code)]["name_vi"]
        assert text(row["name"]) == name, slug
        assert (str(row["gsoCode"]) if "gsoCode" in row else "") == code, slug
        assert (str(row["vintage"]) if "vintage" in row else "") == vintage, slug
    pom_lot = rows["2024-03356"]
    assert (text(pom_lot["name"]), text(pom_lot["parentName"])) == ("Pom Lót", "Điện Biên")
    assert pom_lot["gsoCode"] == Literal("03356", datatype=ns.KG.gso2024)
    assert text(pom_lot["level"]) == "commune"
    assert text(rows["2024-110"]["parentName"]) == "Lai Châu"
    assert local(rows["ban-pa-kin-1"]["parent"]) == "2024-03365"  # xã Na Tông
    assert "gsoCode" not in rows["ban-pa-kin-1"] and "vintage" not in rows["ban-pa-kin-1"]


def test_admin_hierarchy_leaves_the_national_lists_out(
    national_store: GraphStore, run: Run
) -> None:
    """With the backbone in the store, the hierarchy is still the articles' units."""
    national = run_query(library()["admin-hierarchy"], {}, StoreEngine(national_store), IRIS)
    assert national.comparable() == run("admin-hierarchy").comparable()


def test_q_party_hierarchy(run: Run, tables: Tables) -> None:
    rows = by(run("party-hierarchy"), "organisation")
    party = [r for r in tables.orgs if r["kind"] not in ("armed-forces-unit", "media-organisation")]
    assert set(rows) == {r["id"] for r in party}
    for r in party:
        assert local(rows[r["id"]].get("parent", "")) == r["parent"], r["id"]
        assert local(rows[r["id"]].get("area", "")) == tables.slug(r["leads"]), r["id"]
    assert text(rows["chi-bo-ban-pa-kin-1"]["parentName"]) == "Đảng bộ xã Na Tông"
    assert text(rows["dang-bo-xa-na-tong"]["areaName"]) == "Na Tông"


def test_q_organisation_subtree(run: Run, tables: Tables) -> None:
    children = defaultdict(set)
    for r in tables.orgs:
        children[r["parent"]].add(r["id"])

    def below(org: str) -> set[str]:
        return set().union(*({c} | below(c) for c in children[org])) if children[org] else set()

    default = by(run("organisation-subtree"), "unit")
    assert set(default) == below("dang-bo-huyen-dien-bien")
    assert len(default) == 10
    assert local(default["ban-thuong-vu-dang-uy-xa-na-tong"]["parent"]) == "dang-uy-xa-na-tong"
    than_uyen = by(run("organisation-subtree", organisation="dang-bo-huyen-than-uyen"), "unit")
    assert (
        set(than_uyen)
        == below("dang-bo-huyen-than-uyen")
        == {
            "huyen-uy-than-uyen",
            "ban-thuong-vu-huyen-uy-than-uyen",
            "dang-bo-xa-muong-cang",
            "dang-uy-xa-muong-cang",
        }
    )


def test_q_area_leadership(run: Run, tables: Tables) -> None:
    rows = by(run("area-leadership"), "area")
    leads = {tables.slug(r["leads"]): r["id"] for r in tables.orgs if r["leads"]}
    assert {a: local(r["organisation"]) for a, r in rows.items()} == leads
    assert local(rows["2024-03356"]["committee"]) == "dang-uy-xa-pom-lot"  # xã Pom Lót
    assert text(rows["2024-110"]["committeeName"]) == "Huyện ủy Than Uyên"
    assert "committee" not in rows["ban-pa-kin-1"]  # a cell has no committee of its own


def test_q_officials(run: Run, tables: Tables) -> None:
    rows = by(run("officials"), "person")
    assert set(rows) == {r["person"] for r in tables.posts}
    for post in tables.posts:
        row = rows[post["person"]]
        assert local(row["organisation"]) == post["organisation"]
        assert text(row["quote"]) == post["quote"]
        published = tables.sources[post["source"]]["published"]
        day, month, year = re.match(r"(\d+)/(\d+)/(\d{4})", published.split(", ")[-1]).groups()
        assert str(row["asOf"]) == f"{year}-{int(month):02d}-{int(day):02d}"
    dau = rows["nguyen-van-dau"]
    assert (text(dau["name"]), text(dau["roleVi"]), text(dau["organisationName"])) == (
        "Nguyễn Văn Đẩu",
        "bí thư",
        "Đảng ủy xã Pom Lót",
    )
    assert text(rows["tran-van-tuan"]["roleEn"]) == "standing deputy secretary"


def test_q_cells_and_members(run: Run) -> None:
    rows = by(run("cells-and-members"), "organisation")
    got = {
        k: (num(r["cells"]), num(r["members"]), num(r["membersPerCell"])) for k, r in rows.items()
    }
    assert got == {
        "dang-bo-xa-thanh-luong": (37, 309, Decimal("8.35")),
        "dang-bo-xa-pom-lot": (23, 209, Decimal("9.09")),
        "dang-bo-xa-na-tong": (16, 112, 7),
        "dang-bo-huyen-than-uyen": (256, 2044, Decimal("7.98")),
    }
    assert (
        text(rows["dang-bo-xa-pom-lot"]["period"]) == "2017-07-05"
    )  # "hiện", published 05/07/2017


def test_q_grassroots_organisations(run: Run) -> None:
    rows = by(run("grassroots-organisations"), "organisation")
    got = {
        k: tuple(num(r[c]) for c in ("total", "committees", "cells", "members"))
        for k, r in rows.items()
    }
    assert got == {
        "dang-bo-huyen-dien-bien": (69, 29, 40, 5004),
        "dang-bo-huyen-than-uyen": (45, 16, 29, 2044),
    }


def test_q_breakdown(run: Run, tables: Tables) -> None:
    cells = run("breakdown")
    assert [(local(d["part"]), num(d["value"]), num(d["total"])) for d in cells.dicts()] == [
        ("party-cells-village", 20, 23),
        ("party-cells-school", 3, 23),
        ("party-cells-agency", 1, 23),
        ("party-cells-health", 1, 23),
    ]
    ratings = run("breakdown", partition="member-rating")
    in_partition = [
        r
        for r in tables.all_observations()
        if tables.indicators[r["indicator"]]["partition"] == "member-rating"
    ]
    assert len(ratings.rows) == len(in_partition) == 8
    dien_bien_2013 = [
        num(d["value"]) for d in ratings.dicts() if local(d["subject"]) == "dang-bo-huyen-dien-bien"
    ]
    assert dien_bien_2013 == [Decimal("74.76"), Decimal("12.94"), Decimal("11.98"), Decimal("0.32")]
    assert sum(dien_bien_2013) == 100
    assert all("total" not in d for d in ratings.dicts())  # shares have no count total
    types = run("breakdown", partition="grassroots-org-type")
    assert {(local(d["subject"]), local(d["part"])): num(d["value"]) for d in types.dicts()} == {
        ("dang-bo-huyen-dien-bien", "grassroots-party-committees"): 29,
        ("dang-bo-huyen-dien-bien", "grassroots-party-cells"): 40,
        ("dang-bo-huyen-than-uyen", "grassroots-party-committees"): 16,
        ("dang-bo-huyen-than-uyen", "grassroots-party-cells"): 29,
    }


def test_q_commune_indicators(run: Run, tables: Tables) -> None:
    pom_lot = by(run("commune-indicators"), "observation")
    assert set(pom_lot) == {r["id"] for r in tables.observations["001_a26cdb5e4219828f"]}
    for r in tables.observations["001_a26cdb5e4219828f"]:
        row = pom_lot[r["id"]]
        assert text(row["valueText"]) == r["value"]
        assert text(row["quote"]) == r["quote"]
    rate = pom_lot["001-19"]
    assert (num(rate["value"]), text(rate["unit"]), text(rate["period"])) == (
        Decimal("10.37"),
        "per cent",
        "2017-07-05",
    )
    assert text(rate["quote"]) == "tỷ lệ hộ nghèo toàn xã hiện còn 144 hộ chiếm 10,37%"
    members = pom_lot["001-05"]
    assert (local(members["subject"]), num(members["value"])) == ("dang-bo-xa-pom-lot", 209)
    assert (num(pom_lot["001-22"]["value"]), num(pom_lot["001-22"]["denominator"])) == (15, 19)
    assert text(pom_lot["001-23"]["qualifier"]) == "target"
    thanh_luong = by(run("commune-indicators", commune="2024-03328"), "observation")
    assert len(thanh_luong) == len(tables.observations["000_ae26940861c8c0fd"]) == 13
    criteria = thanh_luong["000-13"]
    assert (num(criteria["value"]), num(criteria["denominator"])) == (11, 19)
    growth = thanh_luong["000-07"]
    assert (num(growth["value"]), num(growth["upperValue"]), text(growth["qualifier"])) == (
        Decimal("2.5"),
        Decimal("4.5"),
        "range",
    )


def test_q_indicator_comparison(run: Run) -> None:
    members = run("indicator-comparison")
    assert [(text(d["level"]), local(d["area"]), num(d["value"])) for d in members.dicts()] == [
        ("district", "2024-100", 5004),  # huyện Điện Biên
        ("district", "2024-110", 2044),  # huyện Than Uyên
        ("commune", "2024-03328", 309),  # xã Thanh Luông
        ("commune", "2024-03356", 209),  # xã Pom Lót
        ("commune", "2024-03365", 112),  # xã Na Tông
    ]
    rates = run("indicator-comparison", indicator="poor-household-rate")
    assert {local(d["area"]): num(d["value"]) for d in rates.dicts()} == {
        "2024-03356": Decimal("10.37"),
        "2024-03328": Decimal("4.5"),
    }
    area = run("indicator-comparison", indicator="planted-area")
    assert {local(d["area"]): (num(d["value"]), text(d["qualifier"])) for d in area.dicts()} == {
        "2024-100": (25420, "exact"),
        "2024-03356": (287, "exact"),
        "2024-03328": (1400, "approximately"),
    }


def test_q_time_series(run: Run) -> None:
    series = run("time-series")
    founded = [
        (text(d["period"]), num(d["value"]))
        for d in series.dicts()
        if local(d["indicator"]) == "party-cells-founded"
    ]
    assert founded == [
        ("2007", 11),
        ("2008", 43),
        ("2009", 20),
        ("2011", 4),
        ("2012-01/2012-06", 43),
    ]
    pairs = Counter((local(d["subject"]), local(d["indicator"])) for d in series.dicts())
    assert pairs == {
        ("dang-bo-huyen-than-uyen", "party-cells-founded"): 5,
        ("dang-bo-huyen-than-uyen", "party-members-admitted"): 2,
        ("dang-bo-huyen-than-uyen", "party-members-confirmed"): 2,
        ("2024-03356", "new-rural-criteria-met"): 2,  # xã Pom Lót
    }
    only = run("time-series", indicator="party-cells-founded")
    assert [num(v) for v in only.column("value")] == [11, 43, 20, 4, 43]


def test_q_facts_by_source(run: Run, tables: Tables) -> None:
    for source in ("001_a26cdb5e4219828f", "003_6f7a36a2decf6463"):
        result = run("facts-by-source", source=source)
        assert {URIRef(str(f)) for f in result.column("fact")} == tables.facts_of(source)
    pom_lot = {str(d["fact"]).split("/id/")[1]: d for d in run("facts-by-source").dicts()}
    assert len(pom_lot) == len(tables.facts_of("001_a26cdb5e4219828f"))
    assert text(pom_lot["observation/001-05"]["quote"]) == "trong tổng số 209 đảng viên"
    for fact in ("person/nguyen-van-dau", "post/nguyen-van-dau-secretary"):
        assert text(pom_lot[fact]["quote"]) == "Ông Nguyễn Văn Đẩu: Bí thư Đảng ủy xã Pom Lót"


def test_q_source_articles(run: Run, tables: Tables) -> None:
    rows = by(run("source-articles"), "source")
    assert set(rows) == set(tables.sources)
    for sid, r in tables.sources.items():
        assert text(rows[sid]["title"]) == r["title"]
        assert num(rows[sid]["facts"]) == len(tables.facts_of(sid))
    first = rows["000_ae26940861c8c0fd"]
    assert str(first["published"]) == "2016-08-02T14:07:59"
    assert text(first["publisher"]) == "Cổng thông tin điện tử huyện Điện Biên"
    assert text(first["author"]) == "Lưu Hồng Sinh"
    assert str(rows["002_d1c8e3284860da81"]["published"]) == "2017-03-29T09:12:00"
    undated = rows["003_6f7a36a2decf6463"]
    assert not {"published", "publisher", "author"} & set(undated)


def test_q_congresses(run: Run, tables: Tables) -> None:
    rows = {local(d["term"]): d for d in run("congresses").dicts()}
    assert set(rows) == {r["id"] for r in tables.terms}
    for r in tables.terms:
        row = rows[r["id"]]
        assert local(row["organisation"]) == r["organisation"]
        assert text(row["quote"]) == r["quote"]
        assert local(row["source"]) == r["source"]
        assert ("congress" in row) == (r["congress"] == "true")
        assert (str(row["start"]) if "start" in row else "") == r["start"]
    pom_lot = rows["dang-bo-xa-pom-lot-2015-2020"]
    assert (num(pom_lot["ordinal"]), str(pom_lot["start"]), str(pom_lot["end"])) == (
        21,
        "2015",
        "2020",
    )
    assert text(pom_lot["termLabel"]) == "Nhiệm kỳ XXI (2015–2020) – Đảng bộ xã Pom Lót"
    only = run("congresses", organisation="dang-bo-huyen-dien-bien").dicts()
    assert [local(d["congress"]) for d in only] == ["dang-bo-huyen-dien-bien-2010-2015"]


def test_q_stated_changes(run: Run, tables: Tables) -> None:
    rows = {local(d["change"]): d for d in run("stated-changes").dicts()}
    assert set(rows) == {r["id"] for r in tables.changes}
    for r in tables.changes:
        row = rows[r["id"]]
        assert (local(row["kind"]), str(row["date"])) == (r["kind"], r["date"])
        assert text(row["quote"]) == r["quote"]
        assert local(row["source"]) == r["source"]
        for column in ("original", "resulting"):
            assert (local(row[column]) if column in row else "") == tables.slug(r[column])


def test_q_timeline(run: Run, tables: Tables) -> None:
    """Every term and post of an organisation is on its timeline, with its quote."""
    for term in tables.terms:
        rows = run("timeline", focus=term["organisation"]).dicts()
        mine = [d for d in rows if d["role"] == Literal("self") and local(d["item"]) == term["id"]]
        kinds = ["congress", "term"] if term["congress"] == "true" else ["term"]
        assert sorted(text(d["kind"]) for d in mine) == kinds
        assert {text(d["quote"]) for d in mine} == {term["quote"]}
        assert all(local(d["focus"]) == term["organisation"] for d in rows)
    parents = {r["id"]: r["parent"] for r in tables.orgs}
    for post in tables.posts:
        org = post["organisation"]
        for focus in {org, parents[org]} - {""}:
            rows = run("timeline", focus=focus).dicts()
            posts = {local(d["item"]) for d in rows if d["kind"] == Literal("post")}
            assert post["id"] in posts, (focus, post["id"])
    for change in tables.changes:
        unit = tables.slug(change["resulting"] or change["original"])
        rows = run("timeline", focus=unit).dicts()
        assert change["id"] in {local(d["item"]) for d in rows if d["kind"] == Literal("change")}


def test_q_cited_documents(run: Run, tables: Tables) -> None:
    result = run("cited-documents")
    pairs = {(local(d["document"]), local(d["citedBy"])) for d in result.dicts()}
    expected = {(r["id"], r["source"]) for r in tables.documents}
    expected |= {
        (r["entity"], r["source"])
        for r in tables.mentions
        if r["entity"] in {d["id"] for d in tables.documents}
    }
    assert pairs == expected
    assert len(result.rows) == 7
    decision = next(d for d in result.dicts() if local(d["document"]) == "quyet-dinh-1255-qd-hu")
    assert (text(decision["number"]), str(decision["issued"]), text(decision["issuerName"])) == (
        "1255-QĐ/HU",
        "2012-05-03",
        "Ban Thường vụ Huyện ủy Than Uyên",
    )
    assert text(decision["type"]) == "decision"
    directive_sources = {
        local(d["citedBy"]) for d in result.dicts() if local(d["document"]) == "chi-thi-03-ct-tw"
    }
    assert directive_sources == {"003_6f7a36a2decf6463", "004_5a09e7dc1d2825e6"}


def test_q_search(run: Run, graph: Graph) -> None:
    expected = {
        "2024-03328",  # xã Thanh Luông
        "dang-bo-xa-thanh-luong",
        "dang-uy-xa-thanh-luong",
        "cum-tac-chien-bien-phong-so-4-thanh-luong",
        "tran-van-tuan-standing-deputy-secretary",
        "000_ae26940861c8c0fd",
    }
    first = run("search", name="Thanh Luong")
    for typed in ("Thanh Luong", "Thanh Luông", "THANH LUÔNG", "thanh   luong"):
        found = run("search", name=typed)
        assert found.comparable() == first.comparable(), typed
    assert expected <= {local(e) for e in first.column("entity")}
    for entity in first.column("entity"):  # each hit is a real match, whatever else is added
        keys = {str(k) for k in graph.objects(URIRef(str(entity)), ns.KG.searchKey)}
        assert any("thanh luong" in k for k in keys), entity
    labels = {text(x) for x in run("search").column("label")}
    assert {"Thanh Luông", "Đảng bộ xã Thanh Luông"} <= labels
    dien_bien = {local(e) for e in run("search", name="ĐIỆN biên").column("entity")}
    assert {"2024-100", "2024-11", "dang-bo-huyen-dien-bien"} <= dien_bien
    assert run("search", name="Pom Lót").rows == run("search", name="pom lot").rows
    assert run("search", name="không có tên này").rows == ()


def _fold(name: str) -> str:
    """Lower case, no diacritics, đ as d: how search keys are written (recomputed here)."""
    import unicodedata

    bare = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in bare if not unicodedata.combining(c)).lower()


def test_search_shows_the_list_and_code_of_a_unit(run: Run) -> None:
    found = {local(d["entity"]): d for d in run("search", name="Pom Lót").dicts()}
    pom_lot = found["2024-03356"]
    assert (text(pom_lot["label"]), str(pom_lot["vintage"]), str(pom_lot["code"])) == (
        "Pom Lót",
        "2024",
        "03356",
    )
    party = found["dang-bo-xa-pom-lot"]
    assert "vintage" not in party and "code" not in party  # not a unit of a list
    by_code = {local(e) for e in run("search", name="03356").column("entity")}
    assert by_code == {"2024-03356"}  # the curated graph has the 2024 version only


def test_search_reaches_every_unit_of_both_lists_in_the_store(
    national: Run, run: Run, tables: Tables
) -> None:
    curated = {local(e) for e in run("search").column("entity")}
    rows = {local(d["entity"]): d for d in national("search").dicts()}
    assert curated <= set(rows)  # the articles' entities are found as before
    others = {
        f"{vintage}-{code}"
        for (vintage, code), r in tables.units.items()
        if "thanh luong" in _fold(r["name_vi"])
    }
    assert len(others) > 1  # there are other communes named Thanh Lương in the country
    assert set(rows) - curated == others - curated
    for slug in others:
        vintage, code = slug.split("-")
        assert (str(rows[slug]["vintage"]), str(rows[slug]["code"])) == (vintage, code)
        assert text(rows[slug]["label"]) == tables.units[(vintage, code)]["name_vi"]
    sam_mun = {local(e) for e in national("search", name="Sam Mun").column("entity")}
    assert sam_mun == {
        f"{v}-{c}" for (v, c), r in tables.units.items() if _fold(r["name_vi"]) == "sam mun"
    }
    assert {"2025-03356"} <= sam_mun  # xã Sam Mứn of the 2025 list
    assert {local(e) for e in national("search", name="03356").column("entity")} == {
        "2024-03356",  # xã Pom Lót
        "2025-03356",  # xã Sam Mứn: the reform reused the code
    }


_WHERE_NOW = ("unit", "vintage", "label", "code", "relation", "date")
_WHERE_NOW += ("now", "nowLabel", "nowCode", "province")


def _where_now(result: QueryResult) -> list[tuple[str, ...]]:
    return [tuple(str(d[c]) if c in d else "" for c in _WHERE_NOW) for d in result.dicts()]


def test_q_where_now(national: Run, tables: Tables) -> None:
    pom_lot = str(IRIS.unit("commune", "2024", "03356"))
    sam_mun = str(IRIS.unit("commune", "2025", "03356"))
    went = (pom_lot, "2024", "Xã Pom Lót", "03356", "whole", "2025-07-01")
    now = (sam_mun, "Xã Sam Mứn", "03356", "Tỉnh Điện Biên")
    for name in (None, "Pom Lót", "xã Pom Lót", "POM LOT"):
        result = national("where-now", **({"name": name} if name else {}))
        assert _where_now(result) == [went + now], name
    # a code names a unit of each list: the 2024 one went into Sam Mứn, the 2025 one is current
    assert _where_now(national("where-now", name="03356")) == [
        went + now,
        (sam_mun, "2025", "Xã Sam Mứn", "03356", "current", "", *now),
    ]
    # a district has no successor: its communes say where each went, as the mapping gives it
    than_uyen = national("where-now", name="huyện Than Uyên").dicts()
    assert {(text(d["label"]), str(d["date"]), text(d["province"])) for d in than_uyen} == {
        ("Huyện Than Uyên", "2025-07-01", "Tỉnh Lai Châu")
    }
    got = {(local(d["via"]), local(d["now"]), text(d["relation"])) for d in than_uyen}
    relation = {"full": "whole", "partial": "part"}
    expected = {
        (f"2024-{r['old_commune_code']}", f"2025-{r['new_commune_code']}", relation[r["relation"]])
        for r in tables.mapping
        if r["old_district_code"] == "110" and r["old_level"] == "commune" and r["preferred"] == "1"
    }
    assert got == expected
    curated = {tables.slug(c) for c in ("xa-muong-cang", "xa-pha-mu", "xa-ta-mung")}
    assert curated <= {via for via, _, _ in got}
    assert national("where-now", name="không có tên này").rows == ()


def test_q_predecessors(national: Run, tables: Tables) -> None:
    sam_mun = ("Xã Sam Mứn", "03356", "Tỉnh Điện Biên")
    columns = ("label", "code", "province", "relation", "oldLabel", "oldCode", "oldParent", "date")
    for name in (None, "Sam Mứn", "xã sam mun"):
        result = national("predecessors", **({"name": name} if name else {}))
        assert [tuple(str(d[c]) for c in columns) for d in result.dicts()] == [
            (*sam_mun, "whole", "Xã Pom Lót", "03356", "Huyện Điện Biên", "2025-07-01"),
            (*sam_mun, "whole", "Xã Na Ư", "03361", "Huyện Điện Biên", "2025-07-01"),
        ], name
        assert set(result.column("unit")) == {IRIS.unit("commune", "2025", "03356")}
    ba_dinh = national("predecessors", name="phường Ba Đình").dicts()
    assert {(text(d["label"]), text(d["province"])) for d in ba_dinh} == {
        ("Phường Ba Đình", "Thành phố Hà Nội")
    }
    got = {(str(d["oldCode"]), text(d["relation"])) for d in ba_dinh}
    assert got == {
        (r["old_commune_code"], "whole" if r["relation"] == "full" else "part")
        for r in tables.mapping
        if r["new_commune_code"] == "00004" and r["preferred"] == "1"
    }
    assert {relation for _, relation in got} == {"whole", "part"}
    assert ("00004", "whole") in got  # phường Trúc Bạch: the code the reform reused
    # a unit of the 2024 list has no predecessors: the query is about the 2025 list
    assert national("predecessors", name="Pom Lót").rows == ()


def test_q_unit_at(national: Run) -> None:
    columns = ("unit", "vintage", "label", "type", "code", "parent")
    pom_lot = (str(IRIS.unit("commune", "2024", "03356")), "2024", "Xã Pom Lót", "xã", "03356")
    pom_lot += ("Huyện Điện Biên",)
    sam_mun = (str(IRIS.unit("commune", "2025", "03356")), "2025", "Xã Sam Mứn", "xã", "03356")
    sam_mun += ("Tỉnh Điện Biên",)
    q = library()["unit-at"]
    assert [set(example) for example in q.examples] == [{"name", "date"}] * len(q.examples)

    def at(**params: str) -> list[tuple[str, ...]]:
        return [tuple(str(d[c]) for c in columns) for d in national("unit-at", **params).dicts()]

    assert at() == [pom_lot]  # Pom Lot on 2016-08-02
    before = national("unit-at", name="Pom Lót", date="2017-07-05").dicts()
    assert [tuple(str(d[c]) for c in columns) for d in before] == [pom_lot]
    assert str(before[0]["validThrough"]) == "2025-06-30" and "validFrom" not in before[0]
    assert text(before[0]["note"]) == "the 2024 list does not say since when this unit existed"
    after = national("unit-at", name="03356", date="2025-08-15").dicts()
    assert [tuple(str(d[c]) for c in columns) for d in after] == [sam_mun]
    assert str(after[0]["validFrom"]) == "2025-07-01" and "validThrough" not in after[0]
    assert text(after[0]["note"]) == ""
    # the code changed hands at the reform: the last day of one list, the first of the next
    assert at(name="03356", date="30/6/2025") == [pom_lot]
    assert at(name="03356", date="2025-07-01") == [sam_mun]
    assert at(name="Sam Mứn", date="2025-07-01") == [sam_mun]  # the 2024 Sam Mứn had ended
    assert at(name="Pom Lót", date="2025-07-01") == []  # Pom Lót is no unit any more


def test_q_source_inconsistencies(run: Run) -> None:
    result = run("source-inconsistencies")
    rows = result.dicts()
    assert {text(d["rule"]) for d in rows} == {"parts add up to more than the total"}
    assert {local(d["subject"]) for d in rows} == {"dang-bo-xa-pom-lot"}
    assert {(num(d["totalValue"]), num(d["partsSum"])) for d in rows} == {(23, 25)}
    assert sorted(num(d["partValue"]) for d in rows) == [1, 1, 3, 20]
    assert {text(d["totalQuote"]) for d in rows} == {"Hiện toàn Đảng bộ có 23 chi bộ"}
    assert {text(d["partQuote"]) for d in rows} == {
        "20 chi bộ thôn, bản, đội",
        "03 chi bộ trường học",
        "01 chi bộ cơ quan",
        "01 chi bộ Y Tế",
    }


def test_source_inconsistencies_catches_more_kinds_of_contradiction(graph: Graph) -> None:
    """Mutate copies: a complete split that falls short, and shares over 100%."""
    q = library()["source-inconsistencies"]
    g = Graph()
    g += graph
    # Pom Lót: 200 full + 09 probationary members = 209; make the total 210
    obs = IRIS.id("observation", "001-05")
    g.set(
        (
            obs,
            URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue"),
            Literal(Decimal("210")),
        )
    )
    # Điện Biên 2013 member ratings add up to 100%; push one share up
    share = IRIS.id("observation", "004-37")
    g.set(
        (
            share,
            URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue"),
            Literal(Decimal("80")),
        )
    )
    rules = Counter(text(d["rule"]) for d in run_query(q, {}, LocalGraph(g)).dicts())
    assert rules == {
        "parts add up to more than the total": 4,
        "parts of a complete split do not add up to the total": 2,
        "shares of one split add up to more than 100%": 4,
    }


def test_q_coverage(run: Run, tables: Tables) -> None:
    def expected(kind: str) -> set[tuple[str, str]]:
        have = defaultdict(set)
        for r in tables.all_observations():
            if tables.kind.get(r["subject"]) == kind:
                have[tables.slug(r["subject"])].add(r["indicator"])
        union = set().union(*have.values())
        return {(s, i) for s, got in have.items() for i in union - got}

    communes = run("coverage")
    assert {(local(d["entity"]), local(d["indicator"])) for d in communes.dicts()} == expected(
        "commune"
    )
    assert len(communes.rows) == 19
    na_tong_missing = {
        local(d["indicator"]) for d in communes.dicts() if local(d["entity"]) == "2024-03365"
    }
    assert "new-rural-criteria-met" in na_tong_missing
    districts = run("coverage", type="kg:DistrictPartyOrganisation")
    assert {(local(d["entity"]), local(d["indicator"])) for d in districts.dicts()} == expected(
        "district-party-organisation"
    )
    assert ("dang-bo-huyen-dien-bien", "party-cells") in {
        (local(d["entity"]), local(d["indicator"])) for d in districts.dicts()
    }


def test_q_indicators(run: Run, tables: Tables) -> None:
    rows = by(run("indicators"), "indicator")
    assert set(rows) == set(tables.indicators)
    counts = Counter(r["indicator"] for r in tables.all_observations())
    for slug, r in tables.indicators.items():
        assert num(rows[slug]["observations"]) == counts[slug], slug
        assert text(rows[slug]["labelVi"]) == r["label_vi"]
    assert num(rows["party-members"]["observations"]) == 5
    assert text(rows["poor-household-rate"]["unit"]) == "per cent"
    assert text(rows["poor-household-rate"]["category"]) == "socio-economic"


def test_q_qualified_values(run: Run, tables: Tables) -> None:
    rows = by(run("qualified-values"), "observation")
    inexact = {r["id"]: r for r in tables.all_observations() if r["qualifier"] != "exact"}
    assert set(rows) == set(inexact)
    for oid, r in inexact.items():
        assert text(rows[oid]["qualifierCode"]) == r["qualifier"]
        assert text(rows[oid]["quote"]) == r["quote"]
    assert text(rows["000-05"]["quote"]) == "Năm 2015, tổng diện tích gieo trồng đạt gần 1.400 ha"
    assert (num(rows["004-28"]["value"]), num(rows["004-28"]["upperValue"])) == (
        Decimal("5.6"),
        Decimal("12.4"),
    )
    targets = run("qualified-values", qualifier="target")
    assert {local(o) for o in targets.column("observation")} == {"001-23", "004-48", "004-49"}


def test_q_comparable_values(run: Run) -> None:
    """Money printed in tỷ đồng compares in đồng; the printed value and unit stay."""
    money = run("comparable-values")
    assert [
        (local(d["observation"]), num(d["value"]), text(d["unit"]), num(d["comparableValue"]))
        for d in money.dicts()
    ] == [
        ("004-21", Decimal("716.383"), "billion Vietnamese dong", 716_383_000_000),
        ("004-31", Decimal("327.54"), "billion Vietnamese dong", 327_540_000_000),
        ("000-08", 127, "billion Vietnamese dong", 127_000_000_000),
        ("001-17", 30, "billion Vietnamese dong", 30_000_000_000),
    ]
    assert set(money.column("comparableUnit")) == {Literal("Vietnamese dong", lang="en")}
    area = by(run("comparable-values", dimension="area"), "observation")
    assert num(area["004-23"]["comparableValue"]) == 25420  # 25.420ha, huyện Điện Biên
    assert text(area["004-23"]["comparableUnit"]) == "hectare"


def test_comparable_values_puts_three_money_units_in_one_series() -> None:
    """On a small fixture: tỷ, triệu and nghìn đồng side by side in đồng; ha apart."""
    fixture = Graph().parse(Path(__file__).parent / "fixtures" / "comparable-values.ttl")
    q = library()["comparable-values"]
    rows = run_query(q, {}, LocalGraph(fixture), IRIS).dicts()
    assert [
        (
            local(d["observation"]),
            local(d["subject"]),
            num(d["value"]),
            text(d["unit"]),
            num(d["comparableValue"]),
            num(d["comparableUpperValue"]) if "comparableUpperValue" in d else None,
        )
        for d in rows
    ] == [
        ("t-01", "t-xa-a", 2, "billion Vietnamese dong", 2_000_000_000, None),
        ("t-02", "t-xa-b", 350, "million Vietnamese dong", 350_000_000, None),
        ("t-03", "t-dang-bo-xa-a", 1500, "thousand Vietnamese dong", 1_500_000, 2_000_000),
    ]
    area = run_query(q, {"dimension": "area"}, LocalGraph(fixture), IRIS)
    assert [local(o) for o in area.column("observation")] == ["t-04"]
    assert run_query(q, {"dimension": "mass"}, LocalGraph(fixture), IRIS).rows == ()


def test_q_rates_and_counts(run: Run) -> None:
    got = {
        (local(d["subject"]), local(d["countIndicator"])): (
            num(d["count"]),
            num(d["rate"]),
            num(d["impliedWhole"]),
        )
        for d in run("rates-and-counts").dicts()
    }
    assert got == {
        ("2024-03328", "poor-households"): (79, Decimal("4.5"), 1756),  # xã Thanh Luông
        ("2024-03328", "near-poor-households"): (154, Decimal("8.8"), 1750),
        ("2024-03356", "poor-households"): (144, Decimal("10.37"), 1389),  # xã Pom Lót
        ("2024-03356", "near-poor-households"): (253, Decimal("18.2"), 1390),
        ("dang-bo-huyen-than-uyen", "party-members-admitted-women"): (374, Decimal("33.7"), 1110),
        ("dang-bo-huyen-than-uyen", "party-members-admitted-minority"): (589, 53, 1111),
        ("dang-bo-huyen-than-uyen", "party-members-admitted-religious"): (6, Decimal("0.54"), 1111),
        ("dang-bo-huyen-than-uyen", "party-members-admitted-farmers"): (482, Decimal("43.4"), 1111),
    }


def test_q_admissions(run: Run) -> None:
    got = {
        (local(d["organisation"]), text(d["period"])): (
            num(d["admitted"]),
            num(d["confirmed"]) if "confirmed" in d else None,
        )
        for d in run("admissions").dicts()
    }
    assert got == {
        ("dang-bo-huyen-dien-bien", "2013"): (302, 264),
        ("dang-bo-huyen-than-uyen", "2006/2011-12"): (1111, 998),
        ("dang-bo-huyen-than-uyen", "2012-01/2012-06"): (77, 69),
        ("dang-bo-xa-na-tong", "2016"): (12, 13),
        ("dang-bo-xa-pom-lot", "2015/2017-07-05"): (26, None),
    }


def test_q_entity_mentions(run: Run, tables: Tables) -> None:
    def expected(entity: str) -> set[tuple[str, str]]:
        own = {
            (r["source"], r["quote"])
            for r in tables.places + tables.orgs + tables.people + tables.documents
            if r["id"] == entity and r["source"]
        }
        return own | {(r["source"], r["quote"]) for r in tables.mentions if r["entity"] == entity}

    for entity in ("huyen-dien-bien", "chi-thi-03-ct-tw", "dang-bo-xa-na-tong"):
        result = run("entity-mentions", entity=tables.slug(entity))  # huyện Điện Biên: 2024-100
        assert {(local(d["source"]), text(d["quote"])) for d in result.dicts()} == expected(entity)
    assert (
        run("entity-mentions").comparable()
        == run("entity-mentions", entity="2024-100").comparable()
    )
    sources = [local(s) for s in run("entity-mentions").column("source")]
    assert sources == [
        "000_ae26940861c8c0fd",
        "001_a26cdb5e4219828f",
        "002_d1c8e3284860da81",
        "004_5a09e7dc1d2825e6",
    ]


def test_q_undated_facts(run: Run, tables: Tables) -> None:
    undated_sources = {s for s, r in tables.sources.items() if not r["published"]}
    expected = {
        r["id"]
        for r in tables.all_observations()
        if r["period"] == "current" and r["source"] in undated_sources
    }
    rows = by(run("undated-facts"), "observation")
    assert set(rows) == expected
    assert {local(r["source"]) for r in rows.values()} == {
        "003_6f7a36a2decf6463",
        "004_5a09e7dc1d2825e6",
    }
    assert "69 tổ chức cơ sở đảng" in next(
        r["quote"] for r in tables.observations["004_5a09e7dc1d2825e6"] if r["id"] == "004-01"
    )
    assert "004-01" in rows


# -- headers, parameters and safe binding ---------------------------------------------------------


def test_header_parser_reads_every_field() -> None:
    q = parse_header(
        "t",
        "# title: A title\n#   continued\n# question-en: Q?\n# question-vi: Hỏi?\n"
        "# param: x iri:commune = xa-pom-lot -- the commune\n# param: n search -- text\n"
        "# example: x=xa-na-tong; n=a b\n# columns: a b, c\nSELECT * WHERE {}\n",
    )
    assert q.title == "A title continued"
    assert (q.question_en, q.question_vi, q.columns) == ("Q?", "Hỏi?", ("a", "b", "c"))
    assert [(p.name, p.type, p.kind, p.default) for p in q.params] == [
        ("x", "iri", "commune", "xa-pom-lot"),
        ("n", "search", None, None),
    ]
    assert q.examples == ({"x": "xa-na-tong", "n": "a b"},)


@pytest.mark.parametrize(
    "header",
    [
        "# colums: a\nSELECT * {}",
        "# param: x number = 1\nSELECT * {}",
        "# example: novalue\nSELECT * {}",
    ],
)
def test_header_parser_rejects_mistakes(header: str) -> None:
    with pytest.raises(QueryError):
        parse_header("bad", header)


def test_parameters_are_checked_and_typed() -> None:
    commune = library()["commune-indicators"]
    pom_lot = IRIS.unit("commune", "2024", "03356")
    assert bind_parameters(commune, {}, IRIS) == {"commune": (pom_lot,)}
    assert bind_parameters(commune, {"commune": "2024-03356"}, IRIS)["commune"] == (pom_lot,)
    full = "https://kgraph.example.org/id/commune/2024-03365"
    assert bind_parameters(commune, {"commune": full}, IRIS)["commune"] == (URIRef(full),)
    assert bind_parameters(commune, {"commune": f"<{full}>"}, IRIS)["commune"] == (URIRef(full),)
    coverage = library()["coverage"]
    assert bind_parameters(coverage, {}, IRIS)["type"] == (ns.KG.Commune,)
    subtree = library()["organisation-subtree"]
    candidates = bind_parameters(subtree, {}, IRIS)["organisation"]
    assert IRIS.id("district-party-organisation", "dang-bo-huyen-dien-bien") in candidates
    assert len(candidates) > 1  # one per organisation kind; the graph picks the real one
    search = library()["search"]
    assert bind_parameters(search, {"name": " Đảng  Bộ "}, IRIS)["name"] == (Literal("dang bo"),)
    with pytest.raises(QueryError, match="unknown parameter 'commune'"):
        bind_parameters(search, {"commune": "x"}, IRIS)
    unit_at = library()["unit-at"]
    day = (Literal("2016-08-02", datatype=ns.XSD.date),)
    assert bind_parameters(unit_at, {}, IRIS)["date"] == day
    assert bind_parameters(unit_at, {"date": "2/8/2016"}, IRIS)["date"] == day
    for bad, why in (
        ("2016", "not one day"),
        ("31/2/2016", "no such date"),
        ("hôm qua", "not a date"),
    ):
        with pytest.raises(QueryError, match=why):
            bind_parameters(unit_at, {"date": bad}, IRIS)
    for hostile in ("x> } ; DROP ALL ; #", "http://a.org/x y", 'a"b', "javascript:<x>"):
        with pytest.raises(QueryError, match="not an IRI"):
            bind_parameters(commune, {"commune": hostile}, IRIS)


def test_numeric_parameters() -> None:
    q = parse_header(
        "n", "# param: k integer = 3 -- k\n# param: d decimal -- d\nSELECT * WHERE { }"
    )
    assert bind_parameters(q, {"d": "10,37"}, IRIS) == {
        "k": (Literal(3, datatype=ns.XSD.integer),),
        "d": (Literal("10.37", datatype=ns.XSD.decimal),),
    }
    for bad in ({"k": "3.5"}, {"d": "ten"}):
        with pytest.raises(QueryError):
            bind_parameters(q, bad, IRIS)


def test_unknown_id_is_named_in_process(engine: LocalGraph) -> None:
    with pytest.raises(QueryError, match="no commune with id 'xa-khong-co'"):
        run_query(library()["commune-indicators"], {"commune": "xa-khong-co"}, engine, IRIS)
    with pytest.raises(QueryError, match="no organisation with id 'nobody'"):
        run_query(library()["organisation-subtree"], {"organisation": "nobody"}, engine, IRIS)


def test_string_parameters_cannot_break_out_of_the_query(graph: Graph) -> None:
    search = library()["search"]
    hostile = '" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #\n""" }'
    bound = bind_parameters(search, {"name": hostile}, IRIS)
    text_with_values = with_values(search.text, bound)
    compile_query(text_with_values)  # still one valid query
    assert evaluate(graph, text_with_values).rows == ()
    assert term_n3(Literal('a"b\\c\nd')) == '"a\\"b\\\\c\\nd"'
    with pytest.raises(QueryError):
        term_n3(URIRef("http://x.org/a> <http://x.org/b"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE {<V> ?s ?p ?o }"),
        ("select * { ?s ?p ?o }", "select * {<V> ?s ?p ?o }"),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } WHERE {<V> ?s ?p ?o }",
        ),
        ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } {<V> ?s ?p ?o }"),
        (
            '# WHERE { in a comment\nPREFIX o: <http://x.org/o#{>\nSELECT ("{" AS ?w) ?where\n'
            "WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }",
            '# WHERE { in a comment\nPREFIX o: <http://x.org/o#{>\nSELECT ("{" AS ?w) ?where\n'
            "WHERE {<V> { SELECT ?s WHERE { ?s ?p ?o } } }",
        ),
    ],
)
def test_values_block_goes_to_the_outermost_where_group(text: str, expected: str) -> None:
    out = with_values(text, {"s": [URIRef("http://x.org/a")]})
    assert out == expected.replace("<V>", "\n  VALUES ?s { <http://x.org/a> }\n")


def test_both_binding_routes_give_the_same_answers(
    engine: LocalGraph, graph: Graph, regional_graph: Graph
) -> None:
    """initBindings (in process) and the VALUES block (for endpoints) agree on every query.

    Queries that read the backbone run on the curated graph with part of it.
    """
    regional = LocalGraph(regional_graph)
    for q in library().values():
        on, target = (regional, regional_graph) if q.name in BACKBONE_QUERIES else (engine, graph)
        for example in ({}, *q.examples):
            bound = bind_parameters(q, example, IRIS)
            via_init = run_query(q, example, on, IRIS)
            via_values = evaluate(target, with_values(q.text, bound), where=q.name)
            assert via_init.comparable() == via_values.comparable(), (q.name, example)
            assert via_init.rows, (q.name, example)


# -- evaluation limits and refusals ------------------------------------------------------------


def test_time_limit_stops_a_runaway_query(graph: Graph) -> None:
    with pytest.raises(LimitExceeded, match=r"time limit of 0\.5 s"):
        evaluate(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", timeout=0.5)


def test_row_limit(graph: Graph) -> None:
    with pytest.raises(LimitExceeded, match="more than 10 rows"):
        evaluate(graph, "SELECT * WHERE { ?s ?p ?o }", max_rows=10)
    assert len(evaluate(graph, "SELECT * WHERE { ?s ?p ?o } LIMIT 10", max_rows=10).rows) == 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * WHERE { ?s ?p }", "SPARQL syntax error"),
        ("INSERT DATA { <http://x.org/a> <http://x.org/b> 1 }", "SPARQL Update is not allowed"),
        ("DROP ALL", "SPARQL Update is not allowed"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "FROM"),
    ],
)
def test_refused_queries(graph: Graph, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as info:
        evaluate(graph, text)
    assert "\n" not in str(info.value)


def test_construct_ask_and_describe(graph: Graph) -> None:
    construct = evaluate(
        graph,
        "PREFIX kg: <https://kgraph.example.org/def/> "
        "CONSTRUCT { ?c kg:partOf ?d } WHERE { ?c a kg:Commune ; kg:partOf ?d }",
    )
    assert construct.form == "CONSTRUCT" and len(construct) == 8
    ask = evaluate(graph, "ASK { ?s ?p 'Pom Lót'@vi }")
    assert ask.boolean is True
    describe = evaluate(graph, f"DESCRIBE <{IRIS.unit('commune', '2024', '03356')}>")
    assert (
        IRIS.unit("commune", "2024", "03356"),
        None,
        Literal("03356", datatype=ns.KG.gso2024),
    ) in describe.graph


# -- result formats ------------------------------------------------------------------------------


def _sample() -> QueryResult:
    return QueryResult(
        "SELECT",
        ("a", "b", "c"),
        (
            (
                URIRef("http://x.org/a"),
                Literal('say "hi", then\tgo\nnow', lang="vi"),
                Literal("10.37", datatype=ns.XSD.decimal),
            ),
            (None, Literal("plain"), None),
        ),
    )


def test_csv_is_w3c_sparql_csv() -> None:
    out = render(_sample(), "csv")
    assert out.startswith("a,b,c\r\n")
    assert out.split("\r\n")[1].startswith('http://x.org/a,"say ""hi"", then')
    assert out.endswith(",plain,\r\n")


def test_tsv_is_w3c_sparql_tsv_and_parses_back() -> None:
    out = render(_sample(), "tsv")
    first = out.splitlines()[1].split("\t")
    assert first == [
        "<http://x.org/a>",
        '"say \\"hi\\", then\\tgo\\nnow"@vi',
        '"10.37"^^<http://www.w3.org/2001/XMLSchema#decimal>',
    ]
    parsed = Result.parse(io.StringIO(out), format="tsv")
    assert [tuple(r) for r in parsed] == [tuple(r) for r in _sample().rows]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_json_and_xml_results_parse_back_to_the_same_rows(fmt: str) -> None:
    out = render(_sample(), fmt)
    parsed = Result.parse(
        io.StringIO(out) if fmt == "json" else io.BytesIO(out.encode()), format=fmt
    )
    assert [tuple(r) for r in parsed] == [tuple(r) for r in _sample().rows]
    if fmt == "json":
        assert results_from_json(json.loads(out)).rows == _sample().rows


def test_ask_and_graph_results_render() -> None:
    ask = QueryResult("ASK", boolean=True)
    assert json.loads(render(ask, "json")) == {"head": {}, "boolean": True}
    assert render(ask, "table") == "yes\n"
    g = Graph()
    g.add((URIRef("http://x.org/a"), URIRef("http://x.org/b"), Literal("c")))
    graph_result = QueryResult("CONSTRUCT", graph=g)
    assert len(Graph().parse(data=render(graph_result, "table"), format="turtle")) == 1
    with pytest.raises(QueryError, match="turtle or jsonld"):
        render(graph_result, "csv")


def test_table_shortens_iris_and_counts_rows(run: Run) -> None:
    out = render(run("cells-and-members"), "table")
    assert "id:grassroots-party-committee/dang-bo-xa-pom-lot" in out
    assert "Đảng bộ xã Pom Lót" in out
    assert out.rstrip().endswith("(4 rows)")


def test_library_results_are_written_as_csv(graph: Graph, tmp_path: Path) -> None:
    written = write_library_results(graph, tmp_path / "queries")
    assert {p.stem for p in written} == set(library())
    rows = list(
        csv.DictReader(
            io.StringIO((tmp_path / "queries" / "cells-and-members.csv").read_text("utf-8"))
        )
    )
    pom_lot = next(r for r in rows if r["name"] == "Đảng bộ xã Pom Lót")
    assert (Decimal(pom_lot["cells"]), Decimal(pom_lot["members"])) == (23, 209)


# -- the command line ------------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_list_shows_every_query_with_its_title() -> None:
    code, out, _ = _cli("query", "--list")
    assert code == 0
    for q in library().values():
        assert re.search(rf"^{re.escape(q.name)}\s+{re.escape(q.title)}$", out, re.M), q.name
    assert "--param commune=2024-03356" in out


def test_cli_runs_a_named_query(built_ttl: Path) -> None:
    code, out, _ = _cli("query", "cells-and-members", "--input", str(built_ttl), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["name"]: r["members"] for r in rows}["Đảng bộ xã Thanh Luông"] in ("309", "309.0")
    code, out, _ = _cli(
        "query", "search", "-p", "name=thanh luong", "--input", str(built_ttl), "--format", "json"
    )
    assert code == 0
    entities = {
        b["entity"]["value"].rsplit("/", 1)[-1] for b in json.loads(out)["results"]["bindings"]
    }
    assert "2024-03328" in entities  # xã Thanh Luông


def test_cli_runs_a_query_file_and_writes_atomically(built_ttl: Path, tmp_path: Path) -> None:
    rq = tmp_path / "communes.rq"
    rq.write_text(
        "# title: communes\n# param: d iri:district = 2024-110 -- district\n"
        "PREFIX kg: <https://kgraph.example.org/def/>\n"
        "SELECT ?c WHERE { ?c a kg:Commune ; kg:partOf ?d } ORDER BY STR(?c)\n",
        encoding="utf-8",
    )
    out = tmp_path / "out" / "communes.tsv"
    code, _, err = _cli(
        "query", str(rq), "--input", str(built_ttl), "--format", "tsv", "--out", str(out)
    )
    assert code == 0, err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "?c"
    assert [line.rsplit("/", 1)[-1] for line in lines[1:]] == [
        "2024-03628>",  # xã Pha Mu
        "2024-03631>",  # xã Mường Cang
        "2024-03638>",  # xã Tà Mung
    ]
    assert [p.name for p in out.parent.iterdir()] == ["communes.tsv"]  # no temporary left behind


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-query"], "unknown query 'no-such-query'"),
        (["search", "-p", "nme=x"], "unknown parameter 'nme'"),
        (["search", "-p", "name"], "write NAME=VALUE"),
        (["commune-indicators", "-p", "commune=x>}"], "not an IRI"),
        (["commune-indicators", "-p", "commune=xa-khong-co"], "no commune with id 'xa-khong-co'"),
    ],
)
def test_cli_errors_are_one_line_with_exit_2(
    built_ttl: Path, args: list[str], message: str
) -> None:
    code, out, err = _cli("query", *args, "--input", str(built_ttl))
    assert code == 2
    assert err.startswith("kgraph: error: ") and message in err
    assert err.count("\n") == 1 and out == ""


def test_cli_syntax_error_in_a_file(built_ttl: Path, tmp_path: Path) -> None:
    rq = tmp_path / "broken.rq"
    rq.write_text("SELECT * WHERE { ?s ?p }\n", encoding="utf-8")
    code, _, err = _cli("query", str(rq), "--input", str(built_ttl))
    assert code == 2 and "broken.rq: SPARQL syntax error" in err and err.count("\n") == 1


def test_cli_unreachable_endpoint() -> None:
    url = f"http://127.0.0.1:{_free_port()}/sparql"
    code, _, err = _cli("query", "search", "--endpoint", url, "--timeout", "5")
    assert code == 2
    assert err.startswith(f"kgraph: error: {url}: cannot reach the endpoint")
    assert err.count("\n") == 1


def test_cli_missing_graph_file(tmp_path: Path) -> None:
    code, _, err = _cli("query", "search", "--input", str(tmp_path / "none.ttl"))
    assert code == 2 and "run `kgraph build` first" in err


def test_cli_formats_come_from_the_registry() -> None:
    code, out, _ = _cli("query", "--help")
    assert code == 0
    assert "table|csv|tsv|json" in out.replace("\n", "").replace(" ", "")
    assert CLI_FORMATS == ("table", "csv", "tsv", "json")


def test_load_query_by_name_or_path(tmp_path: Path) -> None:
    assert load_query("search").path == resources.queries_dir() / "search.rq"
    assert isinstance(load_query(str(resources.queries_dir() / "search.rq")), NamedQuery)
    with pytest.raises(QueryError, match="query file not found"):
        load_query(str(tmp_path / "missing.rq"))


def test_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(query_module)
    assert tried >= 3 and failures == 0


def test_q_across_reform(national: Run, tables: Tables) -> None:
    """A 2025 unit's figures are its predecessors' (labelled so, one row per figure)."""
    sam_mun = str(IRIS.unit("commune", "2025", "03356"))
    olds = {
        f"2024-{r['old_commune_code']}": "whole" if r["relation"] == "full" else "part"
        for r in tables.mapping
        if r["new_commune_code"] == "03356" and r["preferred"] == "1"
    }
    # the curated rows about those old communes or the organisations that lead them
    leading = {r["id"]: r["leads"] for r in tables.orgs if r["leads"]}
    expected = sorted(
        (f"predecessor-{olds[tables.slug(place)]}", tables.slug(place), local(r["id"]))
        for r in tables.all_observations()
        for place in [leading.get(r["subject"], r["subject"])]
        if tables.slug(place) in olds
    )
    assert expected  # Pom Lót's figures: the query has something to show
    result = national("across-reform", name="Sam Mứn")
    rows = [d for d in result.dicts() if str(d["named"]) == sam_mun]
    got = sorted((text(d["relation"]), local(d["unit"]), local(d["source"])) for d in rows)
    assert [(rel, unit) for rel, unit, _ in got] == [(rel, unit) for rel, unit, _ in expected]
    assert len(rows) == len(expected)  # one row per figure: nothing summed, nothing lost
    assert {str(d["vintage"]) for d in rows} == {"2024"}
    # named by its 2024 name, Pom Lót's own figures are its own, and it went into Sam Mứn
    pom_lot = national("across-reform", name="Pom Lót", indicator="party-members").dicts()
    assert {(text(d["relation"]), local(d["unit"])) for d in pom_lot} == {("self", "2024-03356")}
    members = [
        r
        for r in tables.all_observations()
        if r["subject"] == "dang-bo-xa-pom-lot" and r["indicator"] == "party-members"
    ]
    assert sorted(num(d["value"]) for d in pom_lot) == sorted(
        parse_number(r["value"]) for r in members
    )


def test_q_chart_observations(run: Run, tables: Tables) -> None:
    """Every figure of one indicator, once, with its value as printed and its quote."""
    for indicator in ("party-members", "poor-household-rate"):
        expected = {
            r["id"]: (parse_number(r["value"]), r["qualifier"], r["quote"])
            for r in tables.all_observations()
            if r["indicator"] == indicator
        }
        assert expected
        rows = run("chart-observations", indicator=indicator).dicts()
        got = {
            local(d["observation"]): (num(d["value"]), text(d["qualifier"]), text(d["quote"]))
            for d in rows
        }
        assert got == expected
        assert len(rows) == len(expected)  # no organisation leading two units doubles a figure
    pom_lot = {local(d["observation"]): d for d in run("chart-observations").dicts()}["001-05"]
    # the organisation's figure is drawn at the unit it leads, with that unit's list and parents
    assert (local(pom_lot["area"]), text(pom_lot["vintage"])) == ("2024-03356", "2024")
    assert (text(pom_lot["districtName"]), text(pom_lot["provinceName"])) == (
        "Điện Biên",
        "Điện Biên",
    )
    assert text(pom_lot["valueText"]) == "209"


def test_q_reform_family(national: Run) -> None:
    """Pom Lót went whole into Sam Mứn in 2025; the organisation stands for the unit it leads."""
    rows = national("reform-family", entity="dang-bo-xa-pom-lot").dicts()
    got = {(text(d["relation"]), local(d["unit"]), text(d["vintage"])) for d in rows}
    assert ("self", "2024-03356", "2024") in got
    assert ("successor-whole", "2025-03356", "2025") in got
    assert {local(d["base"]) for d in rows} == {"2024-03356"}
    back = national("reform-family", entity="2025-03356").dicts()
    assert ("predecessor-whole", "2024-03356") in {
        (text(d["relation"]), local(d["unit"])) for d in back
    }
