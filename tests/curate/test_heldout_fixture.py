"""The held-out extractor test articles (tests/fixtures/extract_heldout*) are valid curated data.

The fixtures are not real articles (see their READMEs); their observations are
the gold curation the extractor benchmark scores against. ``extract_heldout`` is
set in xã Chiềng Lao, huyện Mường La, tỉnh Sơn La (2024 list);
``extract_heldout2`` in xã Nghĩa Đô, tỉnh Lào Cai (2025 list, after the
reform). These tests add each to a copy of ``data/`` and check it loads and
builds with no SHACL violation, and that the consistency rules do reach it.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from kgraph.curate import load_dataset
from kgraph.curate.quotes import locate
from kgraph.graph.namespaces import KG, ORG, QB, SDMX_DIMENSION, Iris
from kgraph.pipeline import build_to_file
from tests.fixture_articles import FIXTURES, add_article

#: the fixture tables whose rows cite the article with a quote
_TABLES = ("observations", "places", "organisations", "people", "posts", "documents")


@dataclass(frozen=True)
class HeldOut:
    """One held-out article and what its README says it is."""

    folder: str
    #: the source number (the ``901`` of ``901_…``), the prefix of its observation ids
    number: str
    #: gold rows the README states
    rows: int
    #: (id in places.csv, id in organisations.csv) of the commune and its party organisation
    commune: str
    organisation: str
    #: the kind of the organisation the commune's one sits directly under
    parent_kind: str
    #: a count that is one part of a stated total (full members), and a wrong value for it
    tamper: tuple[str, str]

    @property
    def path(self) -> Path:
        return FIXTURES / self.folder


CASES = [
    pytest.param(
        HeldOut(
            "extract_heldout",
            "901",
            30,
            "xa-chieng-lao",
            "dang-bo-xa-chieng-lao",
            "district-party-organisation",
            ("341", "331"),
        ),
        id="2019-chieng-lao",
    ),
    pytest.param(
        HeldOut(
            "extract_heldout2",
            "902",
            39,
            "xa-nghia-do",
            "dang-bo-xa-nghia-do",
            "provincial-party-organisation",
            ("1.089", "1.079"),
        ),
        id="2025-nghia-do",
    ),
]


def _rows(case: HeldOut, table: str) -> list[dict[str, str]]:
    path = case.path / f"{table}.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _text(case: HeldOut) -> Path:
    (text,) = case.path.glob("*.txt")
    return text


def _unit_iri(iris: Iris, row: dict[str, str]) -> URIRef:
    unit: URIRef = iris.unit(row["kind"], row["vintage"], row["gso_code"])
    return unit


@pytest.mark.parametrize("case", CASES)
def test_the_text_is_marked_as_a_test_and_named_by_its_hash(case: HeldOut) -> None:
    text = _text(case)
    raw = text.read_bytes()
    assert text.stem == f"{case.number}_" + hashlib.sha256(raw).hexdigest()[:16]
    content = raw.decode("utf-8")
    assert unicodedata.normalize("NFC", content) == content
    assert "(Bài viết mẫu dùng cho kiểm thử kgraph, không phải tin thật." in content.splitlines()[1]


@pytest.mark.parametrize("case", CASES)
def test_every_quote_is_in_the_text_and_every_value_in_its_quote(case: HeldOut) -> None:
    text = _text(case)
    content = text.read_text(encoding="utf-8")
    for table in _TABLES:
        for row in _rows(case, table):
            # an observation cites the article its table is named after
            if row.get("source", text.stem):
                assert row.get("source", text.stem) == text.stem, (table, row)
                assert locate(row["quote"], content) is not None, (table, row["quote"])
    gold = _rows(case, "observations")
    assert [row["id"] for row in gold] == [
        f"{case.number}-{n:02d}" for n in range(1, len(gold) + 1)
    ]
    for row in gold:
        for column in ("value", "value_max", "denominator"):
            if row[column]:
                whole = rf"(?<![\w.,]){re.escape(row[column])}(?!\w|[.,]\d)"
                assert re.search(whole, row["quote"]), (row["id"], column, row["quote"])


@pytest.mark.parametrize("case", CASES)
def test_the_fixture_loads_and_builds_with_no_violation(
    case: HeldOut, data_copy: Path, tmp_path: Path
) -> None:
    source = add_article(data_copy, case.folder)
    gold = _rows(case, "observations")

    dataset = load_dataset(data_copy)
    loaded = [r for r in dataset.table("observations") if r.path.stem == source]
    assert [r["id"] for r in loaded] == [row["id"] for row in gold]
    assert len(gold) == case.rows

    result = build_to_file(data_copy, tmp_path / "kgraph.ttl", backbone=False)
    assert result.validation is not None
    assert result.validation.violations == ()
    assert result.validation.conforms
    # the shipped data has warnings of its own; none involves the fixture's facts
    assert not [
        w
        for w in result.validation.warnings
        if any(q.source == source for q in (*w.quotes, *w.value_quotes))
    ]

    graph, iris = result.graph, Iris()
    places = {row["id"]: row for row in _rows(case, "places")}
    organisations = {row["id"]: row for row in _rows(case, "organisations")}
    commune_row = places[case.commune]
    commune = _unit_iri(iris, commune_row)
    assert graph.value(commune, KG.vintage) == KG[f"vintage{commune_row['vintage']}"]
    parent = places[commune_row["parent"]]
    assert graph.value(commune, KG.partOf) == _unit_iri(iris, parent)
    assert parent["vintage"] == commune_row["vintage"]

    org_row = organisations[case.organisation]
    org = iris.id(org_row["kind"], org_row["id"])
    assert graph.value(org, KG.leadsArea) == commune
    parent_org = organisations[org_row["parent"]]
    assert parent_org["kind"] == case.parent_kind
    assert graph.value(org, ORG.subOrganizationOf) == iris.id(parent_org["kind"], parent_org["id"])

    # every gold row is one observation, about the subject its row names
    observations = {
        str(node).rsplit("/", 1)[-1]: node
        for node in graph.subjects(RDF.type, QB.Observation)
        if str(node).rsplit("/", 1)[-1].startswith(f"{case.number}-")
    }
    assert sorted(observations) == sorted(row["id"] for row in gold)
    for row in gold:
        node = observations[row["id"]]
        if row["subject"] in places:
            expected = _unit_iri(iris, places[row["subject"]])
            assert graph.value(node, SDMX_DIMENSION.refArea) == expected, row["id"]
        else:
            org_of = organisations[row["subject"]]
            expected = iris.id(org_of["kind"], org_of["id"])
            assert graph.value(node, KG.refOrganisation) == expected, row["id"]


@pytest.mark.parametrize("case", CASES)
def test_the_consistency_rules_reach_the_fixture(
    case: HeldOut, data_copy: Path, tmp_path: Path
) -> None:
    """The fixture's facts are checked against each other: its clean report is earned.

    One count is changed in both the article and its row (as if the article
    had printed it so); its parts then no longer make their total.
    """
    old, new = case.tamper
    source = add_article(data_copy, case.folder)
    text = data_copy / "sources" / f"{source}.txt"
    assert text.read_text(encoding="utf-8").count(old) == 1
    table = data_copy / "curated" / "observations" / f"{source}.csv"
    (changed,) = [row["id"] for row in _rows(case, "observations") if row["value"] == old]
    for path in (text, table):
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    result = build_to_file(data_copy, tmp_path / "kgraph.ttl", backbone=False)
    assert result.validation is not None
    assert result.validation.violations == ()
    flagged = {
        w.focus.rsplit("/", 1)[-1]
        for w in result.validation.warnings
        if w.shape == "kgsh:PartsMakeTotal"
    }
    assert changed in flagged
