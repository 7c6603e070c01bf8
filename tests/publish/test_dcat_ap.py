"""The release description against SEMIC's DCAT-AP SHACL shapes (issue 14).

The shapes are vendored in ``tests/publish/dcat_ap/`` (see its NOTICE.md for
where they come from and their licence). A release of the shipped graph must
conform; descriptions broken on purpose must not, naming the node and the
property, so these tests can fail.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef

from kgraph import __version__
from kgraph.graph.namespaces import (
    DCAT,
    DCTERMS,
    EU_LANGUAGE,
    FOAF,
    RDF,
    SH,
    VCARD,
    VOID,
    XSD,
    Iris,
)
from kgraph.publish.description import Distribution, describe_dataset
from kgraph.publish.release import make_release
from tests import jena

SHAPES_DIR = Path(__file__).parent / "dcat_ap"
#: DCAT-AP version -> vendored shapes file. 2.1.1 could not be vendored (NOTICE.md says why).
SHAPES = {"3.0.0": "dcat-ap-3.0.0-SHACL.jsonld"}
ENDPOINT = "http://127.0.0.1:8321/sparql"


def _load_shapes(version: str) -> Graph:
    return Graph().parse(SHAPES_DIR / SHAPES[version], format="json-ld")


@pytest.fixture(scope="module")
def shapes() -> dict[str, Graph]:
    return {version: _load_shapes(version) for version in SHAPES}


@pytest.fixture(scope="module")
def release(graph: Graph, iris: Iris, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release as ``kgraph release --endpoint URL`` makes it (default download base)."""
    out = tmp_path_factory.mktemp("dcat-ap") / "release"
    make_release(graph, out, iris, endpoint=ENDPOINT)
    return out


@pytest.fixture(scope="module")
def described(release: Path) -> Graph:
    return Graph().parse(release / "void.ttl", format="turtle")


def _violations(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none")
    assert isinstance(report, Graph)
    return bool(conforms), report


def _results(report: Graph) -> list[tuple[str, str, str]]:
    """(focus node, path, message) of every result, for assertion messages and checks."""
    return sorted(
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultMessage)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


def _copy(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        out.add(triple)
    return out


def _a_file_distribution(d: Graph) -> URIRef:
    """The first distribution that is a file of the release (it has a size)."""
    node = min(str(x) for x in d.subjects(RDF.type, DCAT.Distribution) if d.value(x, DCAT.byteSize))
    return URIRef(node)


def test_vendored_shapes_are_the_file_the_notice_describes() -> None:
    notice = (SHAPES_DIR / "NOTICE.md").read_text(encoding="utf-8")
    for version, name in SHAPES.items():
        assert f"`{name}`" in notice, name
        section = notice.split(f"`{name}`", 1)[1]
        stated = re.search(r"sha256\s+`([0-9a-f]{64})`", section)
        assert stated, f"NOTICE.md states no sha256 for {name}"
        assert hashlib.sha256((SHAPES_DIR / name).read_bytes()).hexdigest() == stated.group(1)
        shapes = _load_shapes(version)
        shape_iris = {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}
        assert shape_iris and all(f"/releases/{version}/" in s for s in shape_iris)
        assert (None, SH.targetClass, DCAT.Distribution) in shapes


@pytest.mark.parametrize("version", sorted(SHAPES))
def test_release_description_conforms_to_dcat_ap(
    version: str, shapes: dict[str, Graph], described: Graph
) -> None:
    conforms, report = _violations(described, shapes[version])
    results = _results(report)
    assert conforms, f"DCAT-AP {version}: {len(results)} violations:\n" + "\n".join(
        f"  {focus} {path}: {message}" for focus, path, message in results[:30]
    )


Mutation = Callable[[Graph, URIRef], URIRef]


def _drop_access_url(d: Graph, dist: URIRef) -> URIRef:
    d.remove((dist, DCAT.accessURL, None))
    return URIRef(DCAT.accessURL)


def _byte_size_as_decimal(d: Graph, dist: URIRef) -> URIRef:
    size = d.value(dist, DCAT.byteSize)
    assert isinstance(size, Literal)
    d.remove((dist, DCAT.byteSize, None))
    d.add((dist, DCAT.byteSize, Literal(str(size.toPython()), datatype=XSD.decimal)))
    return URIRef(DCAT.byteSize)


def _untyped_media_type(d: Graph, dist: URIRef) -> URIRef:
    media = d.value(dist, DCAT.mediaType)
    d.remove((media, RDF.type, None))
    return URIRef(DCAT.mediaType)


@pytest.mark.parametrize(
    "break_it",
    [_drop_access_url, _byte_size_as_decimal, _untyped_media_type],
    ids=lambda f: f.__name__,
)
def test_shapes_catch_a_broken_distribution(
    break_it: Mutation, shapes: dict[str, Graph], described: Graph
) -> None:
    broken = _copy(described)
    dist = _a_file_distribution(broken)
    path = break_it(broken, dist)
    for version, shape_graph in shapes.items():
        conforms, report = _violations(broken, shape_graph)
        results = _results(report)
        assert not conforms, version
        assert (str(dist), str(path)) in {(f, p) for f, p, _ in results}, results


def test_shapes_catch_languages_given_as_literals(
    shapes: dict[str, Graph], described: Graph, iris: Iris
) -> None:
    broken = _copy(described)
    broken.remove((iris.dataset, DCTERMS.language, None))
    broken.add((iris.dataset, DCTERMS.language, Literal("vi")))
    for shape_graph in shapes.values():
        conforms, report = _violations(broken, shape_graph)
        assert not conforms
        assert (str(iris.dataset), str(DCTERMS.language)) in {
            (f, p) for f, p, _ in _results(report)
        }


def test_every_file_is_reached_from_one_base(
    graph: Graph, described: Graph, release: Path, iris: Iris
) -> None:
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    base = iris.release(__version__)
    listed = {f["path"] for f in manifest["files"]} - {"void.ttl"}
    seen = set()
    for dist in described.subjects(RDF.type, DCAT.Distribution):
        size = described.value(dist, DCAT.byteSize)
        if size is None:  # the SPARQL endpoint, not a file
            assert described.value(dist, DCAT.accessURL) == URIRef(ENDPOINT)
            continue
        title = str(described.value(dist, DCTERMS.title))
        seen.add(title)
        url = URIRef(f"{base}/{title}")
        assert set(described.objects(dist, DCAT.accessURL)) == {url}
        assert set(described.objects(dist, DCAT.downloadURL)) == {url}
        assert described.value(dist, DCTERMS.license) == described.value(
            iris.dataset, DCTERMS.license
        )
        assert described.value(dist, DCTERMS.format) == described.value(dist, DCAT.mediaType)
    assert seen == listed
    # a dump holds the whole graph (the ontology and shapes files hold only a part)
    dumps = {
        f"{base}/{f['path']}" for f in manifest["files"] if f.get("statements", 0) >= len(graph)
    }
    assert {str(u) for u in described.objects(iris.dataset, VOID.dataDump)} == dumps


def test_a_given_download_base_is_used_for_both_urls(graph: Graph, iris: Iris) -> None:
    d = describe_dataset(
        graph,
        iris,
        distributions=[Distribution("kgraph.nt", "application/n-triples", 10, rdf=True)],
        download_base="https://data.example.net/kgraph/0.1.0/",
    )
    (dist,) = set(d.subjects(RDF.type, DCAT.Distribution))
    url = URIRef("https://data.example.net/kgraph/0.1.0/kgraph.nt")
    assert d.value(dist, DCAT.accessURL) == d.value(dist, DCAT.downloadURL) == url


def test_languages_contact_and_void_are_stated(graph: Graph, described: Graph, iris: Iris) -> None:
    ds = iris.dataset
    title_languages = {
        t.language for t in described.objects(ds, DCTERMS.title) if isinstance(t, Literal)
    }
    languages = set(described.objects(ds, DCTERMS.language))
    assert all(str(lang).startswith(str(EU_LANGUAGE)) for lang in languages)
    # ISO 639-2/B codes of the title languages
    assert {str(lang).rsplit("/", 1)[1] for lang in languages} == {
        {"vi": "VIE", "en": "ENG"}[str(code)] for code in title_languages
    }
    (contact,) = set(described.objects(ds, DCAT.contactPoint))
    assert (contact, RDF.type, VCARD.Kind) in described
    creator = described.value(ds, DCTERMS.creator)
    assert described.value(contact, VCARD.fn) == described.value(creator, FOAF.name)
    assert (None, VCARD.hasEmail, None) not in described
    assert described.value(ds, VOID.triples) == Literal(len(graph), datatype=XSD.integer)
    assert described.value(ds, VOID.sparqlEndpoint) == URIRef(ENDPOINT)


@pytest.mark.external
def test_jena_shacl_agrees(described: Graph, tmp_path: Path) -> None:
    why = jena.missing()
    if why is not None:
        pytest.skip(f"Jena SHACL not available: {why}")
    good = tmp_path / "void.ttl"
    described.serialize(good, format="turtle")
    broken = _copy(described)
    dist = _a_file_distribution(broken)
    _drop_access_url(broken, dist)
    bad = tmp_path / "broken.ttl"
    broken.serialize(bad, format="turtle")
    for version in SHAPES:
        # Jena 4.5's JSON-LD 1.1 reader cannot load SEMIC's file; hand it the same triples
        shapes = tmp_path / f"dcat-ap-{version}.nt"
        _load_shapes(version).serialize(shapes, format="nt", encoding="utf-8")
        verdicts = {}
        for name, data in (("good", good), ("broken", bad)):
            # shacl validate exits 0 whether or not the data conforms: read sh:conforms
            result = jena.run(
                tmp_path, "shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(data)
            )
            assert result.returncode == 0, result.stderr[-2000:]
            report = Graph().parse(data=result.stdout, format="turtle")
            verdicts[name] = set(report.objects(None, SH.conforms))
            if name == "broken":
                assert (None, SH.focusNode, dist) in report, result.stdout[:2000]
        assert verdicts == {"good": {Literal(True)}, "broken": {Literal(False)}}, version
