"""Framed JSON-LD: round trip to the graph's triples, the JSON contract, the JavaScript example.

The round trip: each framed file is expanded and turned into RDF by pyld, and
the triples it states must be exactly the triples this test computes from the
built graph for the entities the file covers (walked here with rdflib, not
with the frames): all statements of each entity the file embeds whole, the
listed statements (type, label, notation) of the code-list entries and names it
embeds in part, and nothing else. Equality, not inclusion: nothing is invented
or changed, nothing about a covered entity is lost. Decimals are compared as
numbers, since a JSON number keeps the value of an ``xsd:decimal`` but not its
lexical form (``209.0`` becomes ``209``, ``10.37`` the processor's ``1.037E1``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kgraph import resources
from kgraph.errors import InputError, OutputError
from kgraph.graph.kinds import ORG_CLASSES, PLACE_CLASSES
from kgraph.graph.namespaces import (
    DCTERMS,
    KG,
    OA,
    ORG,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SDO,
    SH,
    SKOS,
    TIME,
    XSD,
)
from kgraph.publish.framed import FRAMED_KINDS, FramedDocument, framed_jsonld

Triple = tuple[Node, Node, Any]
NUMERIC = {XSD.decimal, XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger}
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "framed.mjs"


@pytest.fixture(scope="module")
def framed(graph: Graph) -> dict[str, FramedDocument]:
    return {kind: framed_jsonld(graph, kind) for kind in FRAMED_KINDS}


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    doc = json.loads((resources.jsonld_dir() / "context.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict)
    return doc["@context"]


# -- what each file covers, walked in the built graph ----------------------------------------


def _objects(g: Graph, nodes: Iterable[Node], *props: URIRef) -> set[Node]:
    return {o for n in nodes for p in props for o in g.objects(n, p)}


def _subjects(g: Graph, prop: URIRef, nodes: Iterable[Node]) -> set[Node]:
    return {s for n in nodes for s in g.subjects(prop, n)}


def _typed(g: Graph, classes: Iterable[URIRef]) -> set[Node]:
    return {s for c in classes for s in g.subjects(RDF.type, c)}


def _quotes(g: Graph, nodes: set[Node]) -> set[Node]:
    evidence = _objects(g, nodes, KG.evidence)
    return evidence | _objects(g, evidence, OA.hasSelector)


def _whole(g: Graph, nodes: Iterable[Node]) -> set[Triple]:
    return {t for n in nodes for t in g.triples((n, None, None))}


def _part(g: Graph, nodes: Iterable[Node], *props: URIRef) -> set[Triple]:
    return {t for n in nodes for p in (RDF.type, *props) for t in g.triples((n, p, None))}


def _facts(g: Graph, facts: set[Node]) -> tuple[set[Node], set[Node]]:
    """A set of observations: (what is embedded whole with them, their code-list entries)."""
    periods = _objects(g, facts, SDMX_DIMENSION.refPeriod)
    codes = _objects(
        g, facts, KG.indicator, SDMX_ATTRIBUTE.unitMeasure, KG.comparableUnit, KG.qualifier
    )
    return facts | periods | _quotes(g, facts), codes


def _covered(g: Graph, kind: str) -> set[Triple]:
    if kind == "places":
        roots = _typed(g, (classes[0] for classes in PLACE_CLASSES.values()))
        leaders = _subjects(g, KG.leadsArea, roots)
        facts = _subjects(g, SDMX_DIMENSION.refArea, roots)
        facts |= _subjects(g, KG.refOrganisation, leaders)
        whole, codes = _facts(g, facts)
        whole |= roots | leaders | _quotes(g, roots | leaders)
        codes |= _objects(g, leaders, KG.cellKind)
        return _whole(g, whole) | _part(g, codes, RDFS.label, SKOS.notation)
    if kind == "organisations":
        roots = _typed(g, (classes[0] for classes in ORG_CLASSES.values()))
        whole, codes = _facts(g, _subjects(g, KG.refOrganisation, roots))
        posts = _subjects(g, ORG.postIn, roots)
        holdings = _subjects(g, ORG.organization, roots)
        terms = _subjects(g, KG.termOf, roots)
        congresses = _subjects(g, KG.congressOf, roots)
        instants = _objects(g, terms, TIME.hasBeginning, TIME.hasEnd)
        own = roots | posts | holdings | terms | congresses
        whole |= own | instants | _quotes(g, own) | _objects(g, holdings, KG.asOf)
        codes |= _objects(g, roots, KG.cellKind) | _objects(g, posts | holdings, ORG.role)
        names = _objects(g, roots, KG.leadsArea) | _objects(g, posts, ORG.heldBy)
        names |= _objects(g, holdings, ORG.member)
        return (
            _whole(g, whole)
            | _part(g, codes, RDFS.label, SKOS.notation)
            | _part(g, names, RDFS.label)
        )
    if kind == "people":
        roots = _typed(g, [SDO.Person])
        posts = _subjects(g, ORG.heldBy, roots)
        holdings = _subjects(g, ORG.member, roots)
        own = roots | posts | holdings
        whole = own | _quotes(g, own) | _objects(g, holdings, KG.asOf)
        codes = _objects(g, posts | holdings, ORG.role)
        names = _objects(g, posts, ORG.postIn) | _objects(g, holdings, ORG.organization)
        return (
            _whole(g, whole)
            | _part(g, codes, RDFS.label, SKOS.notation)
            | _part(g, names, RDFS.label)
        )
    assert kind == "sources"
    roots = _typed(g, [KG.SourceArticle])
    quotes = _subjects(g, OA.hasSource, roots)
    supported = {(n, KG.evidence, q) for q in quotes for n in g.subjects(KG.evidence, q)}
    names = _objects(g, roots, DCTERMS.creator, DCTERMS.publisher) | {n for n, _, _ in supported}
    whole = roots | quotes | _objects(g, quotes, OA.hasSelector)
    return _whole(g, whole) | _part(g, names, RDFS.label) | supported


def _comparable(triples: Iterable[Triple]) -> set[Triple]:
    """Decimals by value to 15 significant digits, all else as it is.

    ``209`` is ``209.0``; pyld writes 87.32 as ``8.731999999999999E1`` (a double
    printed with 16 digits), which is 87.32 to the 15 digits every double keeps,
    and framing refuses any decimal with more.
    """
    return {
        (s, p, ("decimal", Decimal(f"{Decimal(str(o)):.15g}")))
        if isinstance(o, Literal) and o.datatype == XSD.decimal
        else (s, p, o)
        for s, p, o in triples
    }


def _round_trip(doc: dict[str, Any]) -> Graph:
    from pyld import jsonld

    nquads = jsonld.to_rdf(jsonld.expand(doc), {"format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nquads")


@pytest.mark.parametrize("kind", FRAMED_KINDS)
def test_framed_file_round_trips_to_exactly_the_triples_it_covers(
    graph: Graph, release_dir: Path, kind: str
) -> None:
    doc = json.loads((release_dir / f"{kind}.jsonld").read_text(encoding="utf-8"))
    back = _comparable(_round_trip(doc))
    expected = _comparable(_covered(graph, kind))
    assert len(expected) > 100
    assert back <= _comparable(graph), sorted(map(str, back - _comparable(graph)))[:5]
    assert not expected - back, sorted(map(str, expected - back))[:5]
    assert not back - expected, sorted(map(str, back - expected))[:5]


def test_every_place_and_organisation_is_a_root_of_its_file(
    graph: Graph, framed: dict[str, FramedDocument]
) -> None:
    for kind, classes in (("places", PLACE_CLASSES), ("organisations", ORG_CLASSES)):
        ids = {n["id"] for n in framed[kind].doc["@graph"]}
        assert ids == {str(n) for n in _typed(graph, (c[0] for c in classes.values()))}, kind


# -- the JSON contract ---------------------------------------------------------------------


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "id" in value:
            yield value
        for key, item in value.items():
            if key != "@context":
                yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)


def _values(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)
    yield value


def test_types_are_short_names_and_no_value_objects_or_prefixed_names_remain(
    framed: dict[str, FramedDocument], context: dict[str, Any]
) -> None:
    for kind, doc in framed.items():
        body = doc.doc["@graph"]
        for node in _nodes(body):
            assert all(":" not in t and "/" not in t for t in node.get("type", [])), node["id"]
            for key in node:
                assert key in context or key in ("id", "type"), (kind, node["id"], key)
        for value in _values(body):
            assert not (isinstance(value, dict) and "@value" in value), (kind, value)


def test_a_key_is_always_an_array_or_never_and_arrays_are_the_keys_that_repeat(
    framed: dict[str, FramedDocument],
) -> None:
    shapes: dict[str, set[bool]] = {}
    repeats: set[str] = set()
    for doc in framed.values():
        for node in _nodes(doc.doc["@graph"]):
            for key, value in node.items():
                if key == "id" or (isinstance(value, dict) and "id" not in value):
                    continue  # the id, and language maps (checked with the labels below)
                shapes.setdefault(key, set()).add(isinstance(value, list))
                if isinstance(value, list) and len(value) > 1:
                    repeats.add(key)
    assert all(len(kinds) == 1 for kinds in shapes.values()), shapes
    assert {"type", "evidence", "searchKey", "orgFacts", "areaFacts"} <= repeats
    assert repeats <= {key for key, kinds in shapes.items() if kinds == {True}}


def test_numbers_booleans_and_labels_are_native_json_with_the_graph_values(
    graph: Graph, framed: dict[str, FramedDocument], context: dict[str, Any]
) -> None:
    by_property = {
        (d["@id"], d.get("@type")): term
        for term, d in context.items()
        if isinstance(d, dict) and "@id" in d
    }
    numbers = 0
    for doc in framed.values():
        for node in _nodes(doc.doc["@graph"]):
            for _, p, o in graph.triples((URIRef(node["id"]), None, None)):
                if not isinstance(o, Literal):
                    continue
                term = by_property.get((str(p), str(o.datatype) if o.datatype else None))
                if o.datatype in NUMERIC and term in node:
                    value = node[term]
                    assert isinstance(value, int | float) and not isinstance(value, bool)
                    assert Decimal(repr(value)) == Decimal(str(o)), (node["id"], term)
                    numbers += 1
                elif o.datatype == XSD.boolean and term in node:
                    assert node[term] is o.toPython()
                elif p == RDFS.label and o.language and "label" in node:
                    assert node["label"][o.language] == str(o), node["id"]
    assert numbers >= 142  # at least every observation's value, once


def _shape_limits() -> tuple[set[str], set[str]]:
    """Properties some shape allows at most once, and those it allows once per language."""
    shapes = Graph().parse(resources.shapes_file(), format="turtle")
    once, per_language = set(), set()
    for shape in set(shapes.subjects(SH.path, None)):
        path = shapes.value(shape, SH.path)
        assert path is not None
        alternatives = shapes.value(path, SH.alternativePath)
        paths = list(Collection(shapes, alternatives)) if alternatives is not None else [path]
        most = shapes.value(shape, SH.maxCount)
        for p in paths:
            if most is not None and int(most) <= 1:
                once.add(str(p))
            if shapes.value(shape, SH.uniqueLang) == Literal(True):
                per_language.add(str(p))
    return once, per_language


def test_single_valued_keys_are_those_the_shapes_allow_once(context: dict[str, Any]) -> None:
    once, per_language = _shape_limits()
    single = 0
    for term, d in context.items():
        if not isinstance(d, dict) or "@id" not in d or d["@id"].startswith("@"):
            continue
        container = d.get("@container", [])
        container = container if isinstance(container, list) else [container]
        if "@set" not in container:
            single += 1
            allowed = once | (per_language if "@language" in container else set())
            assert d["@id"] in allowed, f"{term} is single-valued but the shapes allow several"
    assert single > 20


# -- the JavaScript example -----------------------------------------------------------------


def _party_members(graph: Graph) -> list[tuple[str, Decimal, str, list[str]]]:
    """Each commune's party-member figures with their quotes, read from the graph."""
    rows = []
    indicator = next(graph.subjects(SKOS.notation, Literal("party-members")))
    for commune in graph.subjects(RDF.type, KG.Commune):
        label = next(o for o in graph.objects(commune, RDFS.label) if o.language == "vi")
        for org in graph.subjects(KG.leadsArea, commune):
            for fact in graph.subjects(KG.refOrganisation, org):
                if (fact, KG.indicator, indicator) not in graph:
                    continue
                period = graph.value(fact, SDMX_DIMENSION.refPeriod)
                quotes = [
                    str(graph.value(graph.value(e, OA.hasSelector), OA.exact))
                    for e in graph.objects(fact, KG.evidence)
                ]
                value = Decimal(str(graph.value(fact, SDMX_MEASURE.obsValue)))
                rows.append(
                    (str(label), value, str(graph.value(period, RDFS.label)), sorted(quotes))
                )
    return sorted(rows)


def test_javascript_example_prints_each_communes_party_members_with_quotes(
    graph: Graph, release_dir: Path
) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (apt-get install nodejs; .ci/system-deps does)")
    result = subprocess.run(
        [node, str(EXAMPLE), str(release_dir / "places.jsonld")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = []
    for line in result.stdout.splitlines():
        label, value, period, quotes = line.split("\t")
        texts = sorted(q.strip().removeprefix("«") for q in quotes.split("»") if q.strip())
        printed.append((label, Decimal(value), period, texts))
    expected = _party_members(graph)
    assert len(expected) >= 3
    assert sorted(printed) == expected
    doc = (EXAMPLE.parents[1] / "integrators.md").read_text(encoding="utf-8")
    documented = doc.split("node docs/examples/framed.mjs\n```\n\nOutput on the shipped data:")
    assert len(documented) == 2, "docs/integrators.md shows the example's output"
    block = documented[1].split("```\n", 2)[1]
    assert block == result.stdout, "docs/integrators.md shows another output than the example's"


def test_example_is_about_ten_lines_of_plain_node() -> None:
    code = [ln for ln in EXAMPLE.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert len([ln for ln in code if not ln.lstrip().startswith("//")]) <= 12
    assert all("require(" not in ln for ln in code)
    assert [ln for ln in code if ln.startswith("import")] == [
        'import { readFileSync } from "node:fs";'
    ]


# -- the release ----------------------------------------------------------------------------


def test_release_lists_each_framed_file_with_its_checksum_and_statements(
    release_dir: Path, framed: dict[str, FramedDocument]
) -> None:
    manifest = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    entries = {f["path"]: f for f in manifest["files"]}
    sums = {
        name: digest
        for digest, name in (
            line.split("  ", 1)
            for line in (release_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
        )
    }
    for kind, doc in framed.items():
        name = f"{kind}.jsonld"
        assert (release_dir / name).read_bytes() == doc.render(), name  # and the same on every run
        assert entries[name]["media_type"] == "application/ld+json"
        assert entries[name]["statements"] == len(_round_trip(doc.doc))
        assert name in sums
    description = Graph().parse(release_dir / "void.ttl", format="turtle")
    titles = {str(t) for t in description.objects(None, DCTERMS.title)}
    assert {f"{kind}.jsonld" for kind in FRAMED_KINDS} <= titles


# -- the contract, broken on purpose ---------------------------------------------------------


def _commune(extra: Iterable[tuple[URIRef, Node]] = ()) -> Graph:
    g = Graph()
    place = URIRef("https://kgraph.example.org/id/commune/2024-00001")
    g.add((place, RDF.type, KG.Commune))
    g.add((place, RDFS.label, Literal("Xã Thử", lang="vi")))
    g.add((place, RDFS.label, Literal("Test Commune", lang="en")))
    for p, o in extra:
        g.add((place, p, o))
    return g


def test_a_small_graph_frames_to_the_contract() -> None:
    doc = framed_jsonld(_commune(), "places").doc
    (node,) = doc["@graph"]
    assert node["type"] == ["Commune"]
    assert node["label"] == {"vi": "Xã Thử", "en": "Test Commune"}
    assert node["areaFacts"] == [] and node["ledBy"] == [] and node["evidence"] == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([(RDFS.comment, Literal("no term for this"))], "is not a term of the context"),
        (
            [
                (KG.partOf, URIRef("https://kgraph.example.org/id/district/2024-1")),
                (KG.partOf, URIRef("https://kgraph.example.org/id/district/2024-2")),
            ],
            "partOf is not a single value",
        ),
        ([(RDFS.label, Literal("Xã Thử Hai", lang="vi"))], "two values in a language"),
        ([(RDF.type, QB.DataSet)], "a type has no short name"),
    ],
)
def test_a_graph_that_would_break_the_contract_is_refused(
    extra: list[tuple[URIRef, Node]], message: str
) -> None:
    with pytest.raises(OutputError, match=message):
        framed_jsonld(_commune(extra), "places")


def test_a_decimal_no_json_number_holds_is_refused() -> None:
    g = _commune()
    fact = URIRef("https://kgraph.example.org/id/observation/999-01")
    g.add(
        (fact, SDMX_DIMENSION.refArea, URIRef("https://kgraph.example.org/id/commune/2024-00001"))
    )
    g.add((fact, SDMX_MEASURE.obsValue, Literal("0.1000000000000001", datatype=XSD.decimal)))
    with pytest.raises(OutputError, match="no exact JSON number"):
        framed_jsonld(g, "places")


def test_an_unknown_kind_is_refused(graph: Graph) -> None:
    with pytest.raises(InputError, match="unknown framed JSON-LD kind"):
        framed_jsonld(graph, "villages")


def test_docstring_example_runs() -> None:
    import doctest

    from kgraph.publish import framed as module

    result = doctest.testmod(module)
    assert result.failed == 0
    assert result.attempted > 0


# -- the shortened JSON shown in docs/integrators.md ------------------------------------------

ELIDED = "…"


def _documented_fact() -> dict[str, Any]:
    doc = (EXAMPLE.parents[1] / "integrators.md").read_text(encoding="utf-8")
    block = doc.split("(`ledBy[0].orgFacts`), shortened:\n\n```json\n", 1)[1].split("```", 1)[0]
    fact = json.loads(block)
    assert isinstance(fact, dict)
    return fact


def _find(node: Any, node_id: str) -> Iterator[dict[str, Any]]:
    """Every embedded object of ``node`` whose ``id`` is ``node_id``."""
    if isinstance(node, dict):
        if node.get("id") == node_id:
            yield node
        for value in node.values():
            yield from _find(value, node_id)
    elif isinstance(node, list):
        for item in node:
            yield from _find(item, node_id)


def _shown_as(shown: Any, real: Any, where: str) -> None:
    """``shown`` is ``real`` with parts elided: keys ``"…"``, and ``…`` inside strings."""
    if isinstance(shown, dict):
        assert isinstance(real, dict), f"{where}: the file has {real!r}"
        keys = set(shown) - {ELIDED}
        assert keys <= set(real), f"{where}: the file has no {sorted(keys - set(real))}"
        if ELIDED not in shown:
            assert keys == set(real), f"{where}: the file also has {sorted(set(real) - keys)}"
        for key in keys:
            _shown_as(shown[key], real[key], f"{where}.{key}")
    elif isinstance(shown, list):
        assert isinstance(real, list) and len(real) == len(shown), f"{where}: the file has {real!r}"
        for i, (s, r) in enumerate(zip(shown, real, strict=True)):
            _shown_as(s, r, f"{where}[{i}]")
    elif isinstance(shown, str) and ELIDED in shown:
        pattern = ".*".join(re.escape(part) for part in shown.split(ELIDED))
        assert isinstance(real, str) and re.fullmatch(pattern, real), f"{where}: {real!r}"
    else:
        assert shown == real and type(shown) is type(real), f"{where}: the file has {real!r}"


def test_shortened_json_in_the_docs_is_a_real_entry_of_places(release_dir: Path) -> None:
    """The docs' example fact, keys elided with "…", is what places.jsonld holds for it."""
    shown = _documented_fact()
    places = json.loads((release_dir / "places.jsonld").read_text(encoding="utf-8"))
    found = list(_find(places["@graph"], shown["id"]))
    assert found, f"places.jsonld has no entry {shown['id']}"
    _shown_as(shown, found[0], shown["id"])
    assert ELIDED in shown, "the docs say the example is shortened"
