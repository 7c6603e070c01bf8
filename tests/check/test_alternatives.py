"""Alternative paths as one predicate (``kgraph.check.alternatives``): same answers, planned well.

The rewrite is checked on query texts (what is and is not a whole path), the
store's extra triples on a small graph (and refused when a pair is linked
twice), and every shipped rule's suspects with and without the rewrite on a
generated graph with contradictions.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kgraph import resources
from kgraph.check import rules
from kgraph.check.alternatives import materialise, predicate, rewrite
from kgraph.check.validate import _load_shapes, _with_ontology
from kgraph.curate.dataset import load_dataset
from kgraph.curate.generate import generate_data
from kgraph.graph.build import build_graph

HEAD = "PREFIX ex: <urn:ex:>\nSELECT * WHERE { "
AB = f"<{predicate([URIRef('urn:ex:a'), URIRef('urn:ex:b')])}>"


@pytest.mark.parametrize(
    "body,expected",
    [
        ("?s ex:a|ex:b ?o }", f"?s {AB} ?o }}"),
        ("?s ^(ex:a|ex:b) ?o }", f"?s ^{AB} ?o }}"),
        ("?s ex:c/(ex:a | ex:b)* ?o }", f"?s ex:c/{AB}* ?o }}"),
        ("?s ex:x ?y ; <urn:ex:a>|ex:b ?o }", f"?s ex:x ?y ; {AB} ?o }}"),
        # not whole paths: a sequence, an inverse or a modifier binds more tightly
        ("?s ex:c/ex:a|ex:b ?o }", None),
        ("?s ex:a|ex:b/ex:c ?o }", None),
        ("?s ^ex:a|ex:b ?o }", None),
        ("?s ex:a|ex:b* ?o }", None),
        ("?s (ex:c/ex:a|ex:b) ?o }", None),
        # a negated property set, an unknown prefix, a string
        ("?s !(ex:a|ex:b) ?o }", None),
        ("?s zz:a|ex:b ?o }", None),
        ('?s ex:x "ex:a|ex:b" }', None),
        ("FILTER (?a || ?b) }", None),
    ],
)
def test_rewrite_only_whole_alternatives(body: str, expected: str | None) -> None:
    rewritten = rewrite(HEAD + body)
    assert rewritten.text == HEAD + (body if expected is None else expected)
    assert bool(rewritten.predicates) is (expected is not None)


def test_materialise_adds_each_pair_once() -> None:
    store = ox.Store()
    ex = "urn:ex:"
    for s, p, o in [("x", "a", "1"), ("y", "b", "1"), ("z", "c", "1")]:
        store.add(ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(ex + p), ox.NamedNode(ex + o)))
    name = predicate([URIRef(ex + "a"), URIRef(ex + "b")])
    assert materialise(store, {name: (URIRef(ex + "a"), URIRef(ex + "b"))}) == {name}
    linked = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(name), None)}
    assert linked == {ex + "x", ex + "y"}


def test_materialise_refuses_a_pair_linked_twice() -> None:
    """The path would give that pair twice (an aggregate sees it), the predicate once."""
    store = ox.Store()
    ex = "urn:ex:"
    for p in ("a", "b"):
        store.add(ox.Quad(ox.NamedNode(ex + "x"), ox.NamedNode(ex + p), ox.NamedNode(ex + "1")))
    name = predicate([URIRef(ex + "a"), URIRef(ex + "b")])
    assert materialise(store, {name: (URIRef(ex + "a"), URIRef(ex + "b"))}) == set()
    assert next(store.quads_for_pattern(None, ox.NamedNode(name), None), None) is None


def test_every_shipped_alternative_is_rewritten() -> None:
    shapes = _load_shapes(resources.shapes_file())
    found = rules.find_rules(shapes)
    rewritten = {str(r.shape).rsplit("#")[-1] for r in found if r.plain.predicates}
    assert {"RepeatedValuesAgree", "PartsMakeTotal", "PartNotAboveTotal"} <= rewritten
    for rule in found:
        assert "refOrganisation|" not in rule.plain.text
        assert "refPeriod|" not in rule.plain.text


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    folder: Path = tmp_path_factory.mktemp("generated") / "data"
    generate_data(folder, triples=10_000, seed=3, inconsistency=0.3)
    return _with_ontology(build_graph(load_dataset(folder)))


def test_shipped_rules_find_the_same_suspects_rewritten(generated: Graph) -> None:
    shapes = _load_shapes(resources.shapes_file())
    found = rules.find_rules(shapes)
    store = rules.load(generated)
    usable = rules.with_predicates(store, found)
    assert usable == {p for r in found for p in r.plain.predicates}
    total = 0
    for rule in found:
        if rule.plain.predicates:
            plain = rules.suspects(store, rule, usable)
            assert plain == rules.suspects(store, rule), rule.shape
            total += len(plain or ())
    assert total > 0  # the contradictions are found, not just agreed on
