"""The held-out extractor test article (tests/fixtures/extract_heldout) is valid curated data.

The fixture is not a real article (see its README): it is set in xã Chiềng Lao,
huyện Mường La, tỉnh Sơn La (2024 list), and its observations are the gold
curation the extractor benchmark scores against. These tests add it to a copy of
``data/`` and check it loads and builds with no SHACL violation.
"""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from pathlib import Path

from rdflib import RDF

from kgraph.curate import load_dataset
from kgraph.graph.namespaces import KG, ORG, QB, SDMX_DIMENSION, Iris
from kgraph.pipeline import build_to_file
from tests.fixture_articles import FIXTURES, add_article

FOLDER = FIXTURES / "extract_heldout"


def _gold_rows() -> list[dict[str, str]]:
    with (FOLDER / "observations.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_text_is_marked_as_a_test_and_named_by_its_hash() -> None:
    (text,) = FOLDER.glob("*.txt")
    raw = text.read_bytes()
    assert text.stem == "901_" + hashlib.sha256(raw).hexdigest()[:16]
    content = raw.decode("utf-8")
    assert unicodedata.normalize("NFC", content) == content
    assert "(Bài viết mẫu dùng cho kiểm thử kgraph, không phải tin thật." in content.splitlines()[1]


def test_the_fixture_loads_and_builds_with_no_violation(data_copy: Path, tmp_path: Path) -> None:
    source = add_article(data_copy, "extract_heldout")
    gold = _gold_rows()

    dataset = load_dataset(data_copy)
    loaded = [r for r in dataset.table("observations") if r.path.stem == source]
    assert [r["id"] for r in loaded] == [row["id"] for row in gold]
    assert len(gold) == 30

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
    commune = iris.unit("commune", "2024", "03814")
    district = iris.unit("district", "2024", "120")
    assert graph.value(commune, KG.partOf) == district
    assert graph.value(district, KG.partOf) == iris.unit("province", "2024", "14")
    assert graph.value(commune, KG.vintage) == KG.vintage2024

    org = iris.id("grassroots-party-committee", "dang-bo-xa-chieng-lao")
    assert graph.value(org, KG.leadsArea) == commune
    assert graph.value(org, ORG.subOrganizationOf) == iris.id(
        "district-party-organisation", "dang-bo-huyen-muong-la"
    )

    observations = {
        node
        for node in graph.subjects(RDF.type, QB.Observation)
        if str(node).rsplit("/", 1)[-1].startswith("901-")
    }
    assert len(observations) == len(gold)
    on_commune = {n for n in observations if graph.value(n, SDMX_DIMENSION.refArea) == commune}
    assert len(on_commune) == sum(row["subject"] == "xa-chieng-lao" for row in gold)
