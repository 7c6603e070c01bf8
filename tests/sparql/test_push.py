"""`kgraph push` against a small Graph Store Protocol server on loopback (no triple store needed).

The fake store records every PUT and answers as it is told: 201, 202, 204, an
HTML login page, or an error with a message of its own.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kgraph.cli import main
from kgraph.graph.engine import GraphStore
from kgraph.sparql.push import PushError, push_dataset, push_graph
from tests.test_progress import Recorder


class FakeStore(HTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.puts: list[tuple[str, int]] = []
        self.answer: tuple[int, str, bytes] = (201, "text/plain", b"")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/data"


class _Handler(BaseHTTPRequestHandler):
    server: FakeStore

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        self.server.puts.append((graph, len(Graph().parse(data=body, format="turtle"))))
        status, media, text = self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def fake() -> Iterator[FakeStore]:
    srv = FakeStore()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_the_whole_dataset_goes_graph_by_graph(fake: FakeStore, built_store: GraphStore) -> None:
    results = push_dataset(built_store, fake.url, "https://example.org/g/kgraph")
    names = [name for name, _ in fake.puts]
    assert names == ["https://example.org/g/kgraph", *built_store.named_graphs()]
    assert fake.puts[0][1] == len(built_store)
    for name, triples in fake.puts[1:]:
        assert triples == len(built_store.graph(name)) > 0
    assert [r.status for r in results] == [201] * len(names)


def test_each_graph_pushed_is_a_step_of_progress(fake: FakeStore, built_store: GraphStore) -> None:
    recorder = Recorder()
    push_dataset(built_store, fake.url, "https://example.org/g/kgraph", progress=recorder)
    graphs = 1 + len(built_store.named_graphs())
    assert (
        recorder.tasks
        == [("pushing graphs", graphs, graphs)]
        == [("pushing graphs", len(fake.puts), len(fake.puts))]
    )


def test_default_only(fake: FakeStore, built_store: GraphStore) -> None:
    push_dataset(built_store, fake.url, "https://example.org/g/kgraph", named_graphs=False)
    assert [name for name, _ in fake.puts] == ["https://example.org/g/kgraph"]


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_success_answers(fake: FakeStore, graph: Graph, status: int) -> None:
    fake.answer = (status, "text/plain", b"" if status == 204 else b"ok")
    assert push_graph(graph, fake.url, "https://example.org/g").status == status


def test_an_html_login_page_is_a_failure(fake: FakeStore, graph: Graph) -> None:
    fake.answer = (200, "text/html", b"<html><form action='/login'><input name=u></form></html>")
    with pytest.raises(PushError, match="HTML form \\(a login page\\?\\)"):
        push_graph(graph, fake.url, "https://example.org/g")


def test_the_store_s_own_error_text_is_shown(fake: FakeStore, graph: Graph) -> None:
    fake.answer = (400, "text/plain", b"SP031: graph name not allowed here\n")
    with pytest.raises(PushError, match="HTTP 400\\): SP031: graph name not allowed here"):
        push_graph(graph, fake.url, "https://example.org/g")


def test_credentials_in_the_url_are_refused_and_never_echoed(graph: Graph) -> None:
    with pytest.raises(PushError) as err:
        push_graph(graph, "http://dba:s3cret@127.0.0.1:1/data", "https://example.org/g")
    assert "s3cret" not in str(err.value) and "KGRAPH_PASSWORD" in str(err.value)


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://127.0.0.1:abc/", "not a valid URL"),
        ("http://[::1/x", "not a valid URL"),
        ("ftp://example.org/", r"not an http\(s\) URL"),
    ],
)
def test_bad_endpoints_are_one_line_errors(graph: Graph, endpoint: str, message: str) -> None:
    with pytest.raises(PushError, match=message):
        push_graph(graph, endpoint, "https://example.org/g")


def test_cli_push_refuses_an_empty_input(fake: FakeStore, tmp_path: Path) -> None:
    empty = tmp_path / "empty.nq"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["push", "--endpoint", fake.url, "--input", str(empty)])
    assert result.exit_code == 2
    assert "holds no triples" in result.stderr
    assert fake.puts == []


def test_cli_push_prints_one_line_per_graph(fake: FakeStore, built_ttl: Path) -> None:
    result = CliRunner().invoke(main, ["push", "--endpoint", fake.url, "--input", str(built_ttl)])
    assert result.exit_code == 0, result.output
    assert result.output.count("pushed ") == len(fake.puts) > 1


def test_credentials_warnings_never_show_the_password(fake: FakeStore, built_ttl: Path) -> None:
    on_the_command_line = CliRunner().invoke(
        main,
        [
            "push",
            "--endpoint",
            fake.url,
            "--input",
            str(built_ttl),
            "--default-only",
            "--user",
            "dba",
            "--password",
            "s3cret",
        ],
    )
    assert on_the_command_line.exit_code == 0, on_the_command_line.output
    assert "shows in the process list; set KGRAPH_PASSWORD" in on_the_command_line.stderr
    assert "over plain http" in on_the_command_line.stderr
    assert "s3cret" not in on_the_command_line.output + on_the_command_line.stderr
    from_the_environment = CliRunner().invoke(
        main,
        [
            "push",
            "--endpoint",
            fake.url,
            "--input",
            str(built_ttl),
            "--default-only",
            "--user",
            "dba",
        ],
        env={"KGRAPH_PASSWORD": "s3cret"},
    )
    assert "process list" not in from_the_environment.stderr
    assert "over plain http" in from_the_environment.stderr


# -- a store that wants credentials and answers 401 before reading the body ------------------

REALM, NONCE, USER, SECRET = "kgraph-test", "c2VjcmV0LW5vbmNl", "dba", "s3cret"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # HTTP Digest is MD5


class GuardedStore(HTTPServer):
    """Refuses an unsigned PUT at once, the way Virtuoso's ``sparql-graph-crud-auth`` does."""

    def __init__(self, scheme: str) -> None:
        super().__init__(("127.0.0.1", 0), _GuardedHandler)
        self.scheme = scheme
        self.received: list[int] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql-graph-crud-auth"


class _GuardedHandler(BaseHTTPRequestHandler):
    server: GuardedStore

    def _challenge(self) -> None:
        self.send_response(401)
        if self.server.scheme == "digest":
            offer = f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm=MD5'
        else:
            offer = f'Basic realm="{REALM}"'
        self.send_header("WWW-Authenticate", offer)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _signed(self) -> bool:
        given = self.headers.get("Authorization", "")
        if self.server.scheme == "basic":
            return given == "Basic " + base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
        if not given.startswith("Digest "):
            return False
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(given[7:]))
        ha1 = _md5(f"{USER}:{REALM}:{SECRET}")
        ha2 = _md5(f"{self.command}:{fields['uri']}")
        expected = _md5(f"{ha1}:{NONCE}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
        return fields.get("response") == expected and fields["uri"] == self.path

    def do_HEAD(self) -> None:
        if not self._signed():
            self._challenge()
            return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self) -> None:
        if not self._signed():
            self._challenge()  # before reading a byte of the body
            return
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(len(body))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(params=["digest", "basic"])
def guarded(request: pytest.FixtureRequest) -> Iterator[GuardedStore]:
    srv = GuardedStore(request.param)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_a_large_graph_reaches_a_store_that_refuses_unsigned_bodies(
    guarded: GuardedStore,
) -> None:
    """The PUT goes out signed; unsigned, the store would close mid-body (connection reset)."""
    big = Graph()
    for i in range(30_000):
        big.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(i)))
    result = push_graph(big, guarded.url, "http://example.org/g", user=USER, password=SECRET)
    assert result.status == 201 and result.triples == 30_000
    assert guarded.received and guarded.received[0] > 500_000


def test_wrong_credentials_are_still_refused_as_401(guarded: GuardedStore, graph: Graph) -> None:
    with pytest.raises(PushError, match=r"not authorised \(HTTP 401\): check --user/--password"):
        push_graph(graph, guarded.url, "http://example.org/g", user=USER, password="wrong")
    assert guarded.received == []
