"""Entity pages on `kgraph serve`: content negotiation at the IRIs' paths, over real HTTP.

The RDF an entity answers is compared as a graph with the triples the test
reads from the built graph itself: the entity's statements, the labels of what
they point to, its evidence nodes and their quote selectors.
"""

from __future__ import annotations

import functools
import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from rdflib import RDFS, Graph
from rdflib.compare import to_isomorphic

from kgraph.charts.html import site_files
from kgraph.graph.engine import from_graph
from kgraph.graph.namespaces import KG, OA, Iris
from kgraph.pages import PageHandler
from kgraph.sparql.serve import SparqlServer, make_server

IRIS = Iris()
POM_LOT = IRIS.unit("commune", "2024", "03356")
PATH = "/id/commune/2024-03356"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def server(graph: Graph) -> Iterator[SparqlServer]:
    store = from_graph(graph)
    pages = functools.partial(PageHandler, iris=IRIS, chart_files=site_files())
    srv = make_server(store, port=0, workers=2, pages=pages)
    srv.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def get(
    srv: SparqlServer, path: str, accept: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    root = srv.url[: -len("/sparql")]
    headers = {"Accept": accept} if accept else {}
    request = urllib.request.Request(root + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def expected(graph: Graph) -> Graph:
    """What dereferencing Pom Lót should give, read from the graph with rdflib."""
    out = Graph()
    for p, o in graph.predicate_objects(POM_LOT):
        out.add((POM_LOT, p, o))
        for label in graph.objects(o, RDFS.label):
            out.add((o, RDFS.label, label))
    for evidence in graph.objects(POM_LOT, KG.evidence):
        for p, o in graph.predicate_objects(evidence):
            out.add((evidence, p, o))
        for selector in graph.objects(evidence, OA.hasSelector):
            for p, o in graph.predicate_objects(selector):
                out.add((selector, p, o))
    return out


def _media(headers: dict[str, str]) -> str:
    return headers["Content-Type"].split(";")[0]


def test_a_browser_gets_the_page(server: SparqlServer) -> None:
    status, headers, body = get(server, PATH, BROWSER)
    assert status == 200 and _media(headers) == "text/html"
    assert "Accept" in headers["Vary"]
    text = body.decode("utf-8")
    assert '<h1 lang="vi">Pom Lót</h1>' in text
    assert 'href="/id/grassroots-party-committee/dang-bo-xa-pom-lot"' in text  # served links
    assert 'href="/id/commune/2024-03356.ttl"' in text  # the formats, named on the page
    assert '<script src="/assets/vega.js"></script>' in text  # its chart's files, served


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("text/turtle;q=0.9, text/html;q=0.5", "text/turtle", "turtle"),
    ],
)
def test_a_client_asking_for_rdf_gets_the_entity_triples(
    server: SparqlServer, graph: Graph, accept: str, media: str, fmt: str
) -> None:
    status, headers, body = get(server, PATH, accept)
    assert status == 200 and _media(headers) == media
    assert "Accept" in headers["Vary"]
    assert headers["Content-Location"].startswith(PATH + ".")
    got = Graph().parse(data=body.decode("utf-8"), format=fmt)
    want = expected(graph)
    assert len(want) > 20
    assert to_isomorphic(got) == to_isomorphic(want)


@pytest.mark.parametrize(
    ("suffix", "media"),
    [("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json")],
)
def test_a_suffix_asks_without_a_header(server: SparqlServer, suffix: str, media: str) -> None:
    status, headers, body = get(server, f"{PATH}.{suffix}", BROWSER)
    assert status == 200 and _media(headers) == media
    if suffix == "jsonld":
        assert any(node.get("@id") == str(POM_LOT) for node in json.loads(body))


def test_an_unknown_iri_is_a_404_page(server: SparqlServer) -> None:
    for path in ("/id/commune/no-such-commune", "/id/commune/no-such-commune.ttl", "/id/../etc"):
        status, headers, body = get(server, path, BROWSER)
        assert status == 404 and _media(headers) == "text/html", path
        assert "Không có trang này" in body.decode("utf-8")


def test_an_unoffered_type_is_refused(server: SparqlServer) -> None:
    status, _, body = get(server, PATH, "image/png")
    assert status == 406 and b"text/turtle" in body


def test_indexes_search_and_style_are_served(server: SparqlServer) -> None:
    for path, media in [
        ("/browse/index.html", "text/html"),
        ("/browse/commune.html", "text/html"),
        ("/browse/search.html", "text/html"),
        ("/assets/site.css", "text/css"),
        ("/assets/vega.js", "text/javascript"),
        ("/assets/charts.js", "text/javascript"),
        ("/assets/charts.css", "text/css"),
    ]:
        status, headers, _ = get(server, path)
        assert status == 200 and _media(headers) == media, path


def test_the_sparql_endpoint_is_unchanged(server: SparqlServer) -> None:
    status, _, body = get(
        server, "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "application/sparql-results+json"
    )
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, _ = get(server, "/no-such-page")
    assert status == 404
