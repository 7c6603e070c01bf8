"""`kgraph serve` under load and abuse, on loopback: limits hold and other clients are served.

Bounded in count and time: 20 clients x 50 requests on the seed graph, and one
of each kind of pathological query (a cartesian product, a string that doubles
until it is gigabytes long, a huge regex input), each while a second client asks
something simple.
"""

from __future__ import annotations

import gzip
import http.client
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.sparql.serve import SparqlServer, make_server

IRIS = Iris()
LIMIT = 2.0
SIMPLE = "ASK { ?s ?p ?o }"
#: pathological queries, one per file: name -> text
BOMBS = {
    p.stem.replace("-", " "): p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parent / "bombs").glob("*.rq"))
}


@pytest.fixture(scope="module")
def server(built_store: GraphStore) -> Iterator[SparqlServer]:
    srv = make_server(
        built_store,
        port=0,
        timeout=LIMIT,
        max_rows=2_000,
        workers=2,
        memory=1 * 2**30,
        idle_timeout=2,
    )
    srv.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _address(srv: SparqlServer) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(srv.url)
    assert parts.hostname and parts.port
    return parts.hostname, parts.port


def _get(
    conn: http.client.HTTPConnection,
    query: str,
    accept: str = "application/sparql-results+json",
    extra: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn.request(
        "GET",
        "/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": accept, **(extra or {})},
    )
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def test_twenty_clients_fifty_requests_from_cold(built_store: GraphStore) -> None:
    """1,000 requests from 20 keep-alive clients on a fresh server: every one answered."""
    srv = make_server(built_store, port=0, timeout=10, workers=2)
    srv.start()
    host, port = _address(srv)
    queries = [
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "PREFIX kg: <https://kgraph.example.org/def/> SELECT ?c WHERE { ?c a kg:Commune }",
        SIMPLE,
    ]

    def client(n: int) -> list[int]:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        statuses = []
        for i in range(50):
            status, _, body = _get(conn, queries[(n + i) % len(queries)])
            statuses.append(status if body else 0)
        conn.close()
        return statuses

    try:
        with ThreadPoolExecutor(20) as pool:
            every = [s for statuses in pool.map(client, range(20)) for s in statuses]
    finally:
        srv.shutdown()
        srv.server_close()
    assert len(every) == 1000
    assert every.count(200) == 1000, f"errors: {sorted(set(every) - {200})}"


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_bomb_is_stopped_while_others_are_served(server: SparqlServer, name: str) -> None:
    host, port = _address(server)
    outcome: dict[str, object] = {}

    def bomb() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        started = time.monotonic()
        outcome["status"], _, outcome["body"] = _get(conn, BOMBS[name])
        outcome["seconds"] = time.monotonic() - started
        outcome["done_at"] = time.monotonic()

    thread = threading.Thread(target=bomb)
    thread.start()
    time.sleep(0.3)  # the bomb is running in one worker now
    conn = http.client.HTTPConnection(host, port, timeout=30)
    sent_at = time.monotonic()
    status, _, body = _get(conn, SIMPLE)
    answered_at = time.monotonic()
    thread.join(60)
    assert status == 200 and b"true" in body
    assert outcome["status"] in (400, 503), outcome
    # Answered before the bomb ended; or, for a bomb that dies fast (out of memory in
    # under a second, on a loaded 2-core machine), at least not after half the time limit:
    # a query queued behind the cartesian product (stopped at the limit) fails both.
    waited = answered_at - sent_at
    assert answered_at < outcome["done_at"] or waited < LIMIT / 2, (  # type: ignore[operator]
        f"the simple query waited for the bomb ({waited:.2f} s)"
    )
    assert outcome["seconds"] < LIMIT + 3  # type: ignore[operator]
    again = _get(http.client.HTTPConnection(host, port, timeout=30), SIMPLE)
    assert again[0] == 200, "the server survives"


def test_killed_workers_are_replaced(server: SparqlServer) -> None:
    host, port = _address(server)
    before = server.pool.restarts
    status, _, body = _get(
        http.client.HTTPConnection(host, port, timeout=30), BOMBS["cartesian product"]
    )
    assert status == 503 and b"stopped after the time limit of 2 s" in body
    assert server.pool.restarts == before + 1
    deadline = time.monotonic() + 30
    while server.pool._idle.qsize() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.pool._idle.qsize() == 2


def test_row_and_byte_caps(server: SparqlServer) -> None:
    conn = http.client.HTTPConnection(*_address(server), timeout=30)
    status, _, body = _get(conn, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 400 and b"more than 2000 rows" in body


def test_keep_alive_and_http_1_1(server: SparqlServer) -> None:
    conn = http.client.HTTPConnection(*_address(server), timeout=30)
    for _ in range(3):
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": SIMPLE}))
        response = conn.getresponse()
        assert response.version == 11 and response.status == 200
        response.read()
    conn.close()


def test_gzip_when_asked(server: SparqlServer) -> None:
    conn = http.client.HTTPConnection(*_address(server), timeout=30)
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 500"
    status, headers, body = _get(conn, query, extra={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    plain = _get(conn, query)[2]
    assert gzip.decompress(body) == plain


def test_negative_content_length_is_refused(server: SparqlServer) -> None:
    with socket.create_connection(_address(server), timeout=10) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: -1\r\n\r\nASK {}"
        )
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 400")


def test_idle_connections_are_closed(server: SparqlServer) -> None:
    with socket.create_connection(_address(server), timeout=20) as sock:
        sock.sendall(b"GET /sparql HTTP/1.1\r\n")  # and then nothing more
        started = time.monotonic()
        data = sock.recv(4096)
        while data:
            data = sock.recv(4096)
        assert time.monotonic() - started < 15


@pytest.mark.parametrize(("method", "status"), [("PUT", 405), ("DELETE", 405), ("PATCH", 405)])
def test_other_methods(server: SparqlServer, method: str, status: int) -> None:
    conn = http.client.HTTPConnection(*_address(server), timeout=30)
    conn.request(method, "/sparql", body=b"<a:b> <a:b> <a:b> .")
    response = conn.getresponse()
    assert response.status == status
    assert response.getheader("Allow") == "GET, HEAD, POST, OPTIONS"
    response.read()


@pytest.mark.parametrize(
    ("content_type", "body", "status", "message"),
    [
        ("application/sparql-query", "ASK { ?s ?p 'é' }".encode("latin-1"), 400, b"not UTF-8"),
        ("application/sparql-query; charset=latin-1", b"ASK {}", 415, b"UTF-8"),
        ("text/plain", b"ASK {}", 415, b"application/sparql-query"),
    ],
)
def test_bodies_that_are_not_utf8_queries(
    server: SparqlServer, content_type: str, body: bytes, status: int, message: bytes
) -> None:
    conn = http.client.HTTPConnection(*_address(server), timeout=30)
    conn.request("POST", "/sparql", body=body, headers={"Content-Type": content_type})
    response = conn.getresponse()
    assert response.status == status and message in response.read()


def test_service_description_at_the_endpoint(server: SparqlServer, built_store: GraphStore) -> None:
    conn = http.client.HTTPConnection(*_address(server), timeout=30)
    conn.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    response = conn.getresponse()
    assert response.status == 200
    sd = Graph().parse(data=response.read(), format="turtle")
    SD = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(server.url), URIRef(SD + "endpoint"), URIRef(server.url)) in sd
    names = {str(o) for o in sd.objects(None, URIRef(SD + "name"))}
    assert names == set(built_store.named_graphs())


def test_void_at_the_well_known_path(server: SparqlServer, built_store: GraphStore) -> None:
    conn = http.client.HTTPConnection(*_address(server), timeout=30)
    conn.request("GET", "/.well-known/void")
    response = conn.getresponse()
    void = Graph().parse(data=response.read(), format="turtle")
    triples = void.value(URIRef(str(IRIS.dataset)), URIRef("http://rdfs.org/ns/void#triples"))
    assert triples == Literal(len(built_store))


def test_graph_and_named_graph_uri_over_the_store(
    server: SparqlServer, built_store: GraphStore
) -> None:
    conn = http.client.HTTPConnection(*_address(server), timeout=30)
    status, _, body = _get(
        conn, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g", "text/csv"
    )
    assert status == 200
    assert body.decode().split("\r\n")[1:-1] == built_store.named_graphs()
    source = built_store.named_graphs()[0]
    params = urllib.parse.urlencode(
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": source}
    )
    conn.request("GET", f"/sparql?{params}", headers={"Accept": "text/csv"})
    response = conn.getresponse()
    count = int(response.read().decode().split("\r\n")[1])
    assert response.status == 200 and 0 < count < len(built_store)
    status, _, body = _get(
        conn, "SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }", "text/csv"
    )
    assert status == 200 and body.decode().split("\r\n")[1:-1] == [], "nothing is fetched"
