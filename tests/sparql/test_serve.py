"""`kgraph serve`: the SPARQL 1.1 Protocol endpoint, exercised with SPARQLWrapper over real HTTP."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.sparql import Endpoint, LocalGraph, StoreEngine, library, run_query
from kgraph.sparql.serve import SparqlServer, make_server
from tests.sparql.regional import BACKBONE_QUERIES

IRIS = Iris()
PREFIX = "PREFIX kg: <https://kgraph.example.org/def/>\n"
COMMUNES = (
    PREFIX
    + "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    + 'SELECT ?c ?name WHERE { ?c a kg:Commune ; rdfs:label ?name FILTER(lang(?name) = "vi") } '
    + "ORDER BY STR(?c)"
)
POM_LOT = IRIS.unit("commune", "2024", "03356")


@pytest.fixture(scope="module")
def server(graph: Graph) -> Iterator[SparqlServer]:
    srv = make_server(graph, port=0, timeout=30.0, max_rows=500)
    srv.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def national_server(national_store: GraphStore) -> Iterator[SparqlServer]:
    """What `kgraph serve` serves after `kgraph build`: the store with the national backbone."""
    srv = make_server(national_store, port=0, timeout=30.0, max_rows=500)
    srv.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def client(srv: SparqlServer, query: str, fmt: str = JSON, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(srv.url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method == "POST":
        sw.setMethod(POST)
    return sw


def http(
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_as_json_with_sparqlwrapper(server: SparqlServer, method: str) -> None:
    answer = client(server, COMMUNES, JSON, method).query()
    assert answer.info()["content-type"].startswith("application/sparql-results+json")
    data = answer.convert()
    assert data["head"]["vars"] == ["c", "name"]
    names = {
        b["c"]["value"].rsplit("/", 1)[-1]: b["name"]["value"] for b in data["results"]["bindings"]
    }
    assert names["2024-03356"] == "Pom Lót"
    assert names["2024-03328"] == "Thanh Luông"
    assert len(names) == 8


def test_select_as_xml_csv_tsv(server: SparqlServer) -> None:
    xml = client(server, COMMUNES, XML).query()
    assert xml.info()["content-type"].startswith("application/sparql-results+xml")
    uris = [n.firstChild.data for n in xml.convert().getElementsByTagName("uri")]
    assert str(POM_LOT) in uris
    table = client(server, COMMUNES, CSV).query()
    assert table.info()["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.convert().decode("utf-8"))))
    assert {"c": str(POM_LOT), "name": "Pom Lót"} in rows
    tsv = client(server, COMMUNES, TSV).query()
    assert tsv.info()["content-type"].startswith("text/tab-separated-values")
    lines = tsv.convert().decode("utf-8").splitlines()
    assert lines[0] == "?c\t?name"
    assert f'<{POM_LOT}>\t"Pom Lót"@vi' in lines


def test_ask(server: SparqlServer) -> None:
    data = client(server, "ASK { ?s ?p 'Thanh Luông'@vi }").query().convert()
    assert data["boolean"] is True


@pytest.mark.parametrize(
    ("fmt", "media"), [(TURTLE, "text/turtle"), (JSONLD, "application/ld+json")]
)
def test_construct_and_describe_as_turtle_and_jsonld(
    server: SparqlServer, fmt: str, media: str
) -> None:
    construct = PREFIX + "CONSTRUCT { ?c kg:partOf ?d } WHERE { ?c a kg:Commune ; kg:partOf ?d }"
    answer = client(server, construct, fmt, "POST").query()
    assert answer.info()["content-type"].startswith(media)
    g = answer.convert()
    if not isinstance(g, Graph):
        g = Graph().parse(data=g, format="turtle")
    assert len(g) == 8
    assert (
        POM_LOT,
        URIRef("https://kgraph.example.org/def/partOf"),
        IRIS.unit("district", "2024", "100"),
    ) in g
    described = client(server, f"DESCRIBE <{POM_LOT}>", fmt).query().convert()
    if not isinstance(described, Graph):
        described = Graph().parse(data=described, format="turtle")
    assert (POM_LOT, None, Literal("Pom Lót", lang="vi")) in described


def test_raw_sparql_query_post_and_accept_negotiation(server: SparqlServer) -> None:
    status, headers, body = http(
        server.url,
        COMMUNES.encode("utf-8"),
        {
            "Content-Type": "application/sparql-query",
            "Accept": "text/csv;q=0.5, text/tab-separated-values",
        },
    )
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.splitlines()[0] == "?c\t?name"
    status, _, body = http(
        server.url + "?" + urllib.parse.urlencode({"query": COMMUNES}),
        headers={"Accept": "image/png"},
    )
    assert status == 406 and "offered" in body
    status, headers, body = http(
        server.url + "?" + urllib.parse.urlencode({"query": COMMUNES}),
        headers={"Accept": "text/html"},
    )
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<td>Pom Lót</td>" in body


def test_updates_are_refused(server: SparqlServer) -> None:
    sw = client(server, f"INSERT DATA {{ <{POM_LOT}> <http://x.org/p> 1 }}", JSON, "POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 403
    status, _, body = http(
        server.url, b"DELETE WHERE { ?s ?p ?o }", {"Content-Type": "application/sparql-update"}
    )
    assert status == 403 and "read-only" in body
    status, _, body = http(
        server.url + "?" + urllib.parse.urlencode({"query": "CLEAR ALL"}),
        headers={"Accept": "text/csv"},
    )
    assert status == 400 and "SPARQL Update is not allowed" in body
    still = client(server, f"ASK {{ <{POM_LOT}> ?p ?o }}").query().convert()
    assert still["boolean"] is True


def test_time_limit(graph: Graph) -> None:
    strict = make_server(graph, port=0, timeout=0.5)
    strict.start()
    try:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
        started = time.monotonic()
        status, _, body = http(strict.url + "?" + urllib.parse.urlencode({"query": query}))
        assert time.monotonic() - started < 10
        assert status == 503
        assert "stopped after the time limit of 0.5 s" in body
        ok = client(strict, "ASK { ?s ?p ?o }").query().convert()  # the server is still serving
        assert ok["boolean"] is True
    finally:
        strict.shutdown()
        strict.server_close()


def test_result_size_limit(server: SparqlServer) -> None:
    with pytest.raises(QueryBadFormed) as info:
        client(server, "SELECT * WHERE { ?s ?p ?o }").query()
    assert "more than 500 rows" in str(info.value)
    small = client(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 500").query().convert()
    assert len(small["results"]["bindings"]) == 500


def test_bad_queries_are_clear_400s(server: SparqlServer) -> None:
    for query, message in [
        ("SELECT * WHERE { ?s ?p }", "SPARQL syntax error"),
        (
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SERVICE is not allowed",
        ),
    ]:
        status, _, body = http(server.url + "?" + urllib.parse.urlencode({"query": query}))
        assert status == 400 and message in body and body.count("\n") == 1
    status, _, body = http(server.url, b"", {"Content-Type": "application/sparql-query"})
    assert status == 400 and "exactly one query" in body


def test_default_graph_uri(server: SparqlServer) -> None:
    ok = client(server, COMMUNES)
    ok.addDefaultGraph(str(IRIS.dataset))
    assert len(ok.query().convert()["results"]["bindings"]) == 8
    other = client(server, COMMUNES)
    other.addDefaultGraph("http://example.org/other")
    with pytest.raises(QueryBadFormed):
        other.query()


def test_cors_for_browser_clients(server: SparqlServer) -> None:
    status, headers, _ = http(
        server.url, method="OPTIONS", headers={"Origin": "http://yasgui.example"}
    )
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    _, headers, _ = http(server.url + "?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_index_page_lists_the_library(server: SparqlServer) -> None:
    status, headers, body = http(server.url.replace("/sparql", "/"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for name, q in library().items():
        assert f'href="/query/{name}"' in body
        assert q.title.replace("'", "&#x27;") in body
    assert library()["search"].question_vi.replace('"', "&quot;") in body


def test_library_queries_over_http(server: SparqlServer) -> None:
    base = server.url.replace("/sparql", "")
    status, _, body = http(f"{base}/query/cells-and-members", headers={"Accept": "text/csv"})
    assert status == 200
    rows = {r["name"]: (r["cells"], r["members"]) for r in csv.DictReader(io.StringIO(body))}
    assert rows["Đảng bộ xã Pom Lót"] in {("23", "209"), ("23.0", "209.0")}
    status, _, body = http(f"{base}/query/search?name=" + urllib.parse.quote("Thanh Luong"))
    entities = {
        b["entity"]["value"].rsplit("/", 1)[-1] for b in json.loads(body)["results"]["bindings"]
    }
    assert "2024-03328" in entities  # xã Thanh Luông
    status, headers, body = http(f"{base}/queries/search.rq")
    assert status == 200 and body == library()["search"].text
    assert headers["Content-Type"].startswith("application/sparql-query")
    status, _, body = http(f"{base}/query/search?nme=x")
    assert status == 400 and "unknown parameter 'nme'" in body
    status, _, _ = http(f"{base}/query/nope")
    assert status == 404


def test_html_output_escapes_data(server: SparqlServer) -> None:
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    status, _, body = http(
        server.url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "text/html"}
    )
    assert status == 200
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("name", sorted(library()))
def test_every_library_query_through_the_protocol(
    server: SparqlServer, graph: Graph, name: str
) -> None:
    """kgraph query --endpoint against kgraph serve: parameters go as a VALUES block."""
    q = library()[name]
    endpoint = Endpoint(server.url, str(IRIS.dataset), timeout=30)
    for example in ({}, *q.examples):
        remote = run_query(q, example, endpoint, IRIS)
        embedded = run_query(q, example, LocalGraph(graph), IRIS)
        if name not in BACKBONE_QUERIES:  # those answer on the backbone: see the test below
            assert remote.rows, example
        assert remote.comparable() == embedded.comparable(), example


@pytest.mark.parametrize("name", sorted(BACKBONE_QUERIES))
def test_every_backbone_query_through_the_protocol(
    national_server: SparqlServer, national_store: GraphStore, name: str
) -> None:
    """The same, served from the store `kgraph build` writes, where these queries answer."""
    q = library()[name]
    endpoint = Endpoint(national_server.url, str(IRIS.dataset), timeout=30)
    for example in ({}, *q.examples):
        remote = run_query(q, example, endpoint, IRIS)
        embedded = run_query(q, example, StoreEngine(national_store), IRIS)
        assert remote.rows and remote.comparable() == embedded.comparable(), example


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_cli_serve_starts_on_loopback_and_answers(built_ttl: Path) -> None:
    port = _free_port()
    kgraph = Path(sys.executable).with_name("kgraph")
    proc = subprocess.Popen(
        [str(kgraph), "serve", "--port", str(port), "--input", str(built_ttl)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        banner = proc.stdout.readline() if proc.stdout else ""
        assert f"http://127.0.0.1:{port}/sparql" in banner
        deadline = time.monotonic() + 20
        while True:
            try:
                data = client_url(f"http://127.0.0.1:{port}/sparql", COMMUNES)
                break
            except urllib.error.URLError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert len(data["results"]["bindings"]) == 8
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def client_url(url: str, query: str) -> dict[str, object]:
    sw = SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(JSON)
    result = sw.query().convert()
    assert isinstance(result, dict)
    return result


def test_cli_serve_reports_a_busy_port(built_ttl: Path) -> None:
    from click.testing import CliRunner

    from kgraph.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port), "--input", str(built_ttl)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kgraph: error: cannot listen on 127.0.0.1:{port}")
