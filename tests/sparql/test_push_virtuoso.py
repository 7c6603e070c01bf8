"""`kgraph push` into Virtuoso Open Source, then every shipped query gives the embedded answers.

The suite starts its own Virtuoso on loopback (free ports, a private database
in a temporary folder) and stops it at the end. Without Virtuoso the tests skip,
except under CI (CI=true), where .ci/system-deps installs it and a missing
server is a failure.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kgraph.cli import main
from kgraph.graph import namespaces as ns
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.sparql import Endpoint, LocalGraph, StoreEngine, library, parse_header, run_query
from kgraph.sparql.push import PushError, push_graph
from tests.sparql.regional import BACKBONE_QUERIES

pytestmark = pytest.mark.virtuoso

IRIS = Iris()
DATASET = str(IRIS.dataset)
PASSWORD = "kgraph-test-secret"
CASES = [
    pytest.param(name, example, id=f"{name}{'-' if example else ''}{'-'.join(example.values())}")
    for name, q in sorted(library().items())
    for example in ({}, *q.examples)
]


def _need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        reason = f"{program} not found: install the Debian package virtuoso-opensource"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (under CI, .ci/system-deps must have installed it)")
        pytest.skip(reason)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Virtuoso:
    """A running test server: its HTTP base URL and an isql runner."""

    http: str
    sql_port: int
    isql_path: str

    @property
    def sparql(self) -> str:
        return f"{self.http}/sparql"

    @property
    def crud_auth(self) -> str:
        return f"{self.http}/sparql-graph-crud-auth"

    def isql(self, sql: str, password: str = PASSWORD) -> str:
        """Run SQL; isql-vt exits 0 even on errors, so read its output."""
        out = subprocess.run(
            [self.isql_path, f"127.0.0.1:{self.sql_port}", "dba", password, f"exec={sql}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        text = out.stdout + out.stderr
        if "*** Error" in text or out.returncode != 0:
            raise RuntimeError(f"isql failed: {sql}: {text.strip()}")
        return text


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    server = _need("virtuoso-t")
    isql = _need("isql-vt")
    folder = tmp_path_factory.mktemp("virtuoso")
    (folder / "vsp").mkdir()
    sql_port, http_port = _free_port(), _free_port()
    (folder / "virtuoso.ini").write_text(
        f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/vsp
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
""",
        encoding="utf-8",
    )
    log = (folder / "server.out").open("w")
    proc = subprocess.Popen(
        [server, "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    db = Virtuoso(f"http://127.0.0.1:{http_port}", sql_port, isql)
    try:
        deadline = time.monotonic() + 90
        while "Server online" not in (folder / "server.out").read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"Virtuoso did not start: {(folder / 'server.out').read_text()[-2000:]}"
                )
            time.sleep(0.3)
        db.isql(f"USER_SET_PASSWORD('dba', '{PASSWORD}');", password="dba")
        yield db
    finally:
        with contextlib.suppress(RuntimeError, subprocess.SubprocessError):
            db.isql("shutdown;")
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=30)
        log.close()


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _count(db: Virtuoso, graph_iri: str) -> int:
    q = parse_header("count", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    result = run_query(q, {}, Endpoint(db.sparql, graph_iri), IRIS)
    return int(str(result.rows[0][0]))


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, built_ttl: Path, graph: Graph) -> Virtuoso:
    """The shipped graph pushed with `kgraph push`, as a user would."""
    code, out, err = _cli(
        "push",
        "--endpoint",
        virtuoso.crud_auth,
        "--user",
        "dba",
        "--password",
        PASSWORD,
        "--input",
        str(built_ttl),
    )
    assert code == 0, err
    assert f"pushed {len(graph)} triples to <{DATASET}>" in out
    assert _count(virtuoso, DATASET) == len(graph)
    return virtuoso


@pytest.mark.parametrize(("name", "example"), CASES)
def test_every_query_gives_the_embedded_answers(
    pushed: Virtuoso, graph: Graph, name: str, example: dict[str, str]
) -> None:
    q = library()[name]
    embedded = run_query(q, example, LocalGraph(graph), IRIS)
    on_virtuoso = run_query(q, example, Endpoint(pushed.sparql, DATASET, timeout=60), IRIS)
    assert on_virtuoso.variables == embedded.variables
    if name not in BACKBONE_QUERIES:  # those answer on the backbone: see the test below
        assert embedded.rows
    assert on_virtuoso.comparable() == embedded.comparable()


REGIONAL = str(IRIS.id("dataset", "kgraph-regional-test"))


@pytest.fixture(scope="module")
def pushed_regional(virtuoso: Virtuoso, regional_graph: Graph) -> Virtuoso:
    """The curated graph with part of the backbone (tests/sparql/regional.py), in its own graph.

    Pushed through the authenticated endpoint: a graph this big used to be cut
    off by the server's first (401) answer before the credentials were sent.
    """
    push_graph(regional_graph, virtuoso.crud_auth, REGIONAL, user="dba", password=PASSWORD)
    assert _count(virtuoso, REGIONAL) == len(regional_graph)
    return virtuoso


@pytest.mark.parametrize(("name", "example"), [c for c in CASES if c.values[0] in BACKBONE_QUERIES])
def test_every_backbone_query_gives_the_embedded_answers(
    pushed_regional: Virtuoso, regional_store: GraphStore, name: str, example: dict[str, str]
) -> None:
    q = library()[name]
    embedded = run_query(q, example, StoreEngine(regional_store), IRIS)
    endpoint = Endpoint(pushed_regional.sparql, REGIONAL, timeout=60)
    on_virtuoso = run_query(q, example, endpoint, IRIS)
    assert on_virtuoso.variables == embedded.variables
    assert embedded.rows
    assert on_virtuoso.comparable() == embedded.comparable()


def test_push_replaces_the_named_graph(virtuoso: Virtuoso, graph: Graph) -> None:
    target = str(IRIS.id("dataset", "kgraph-replace-test"))
    push_graph(graph, virtuoso.crud_auth, target, user="dba", password=PASSWORD)
    push_graph(graph, virtuoso.crud_auth, target, user="dba", password=PASSWORD)
    assert _count(virtuoso, target) == len(graph)  # twice pushed, never duplicated
    smaller = Graph()
    for triple in list(graph)[:100]:
        smaller.add(triple)
    result = push_graph(smaller, virtuoso.crud_auth, target, user="dba", password=PASSWORD)
    assert result.triples == 100 and result.status in (200, 201, 204)
    assert _count(virtuoso, target) == 100  # replaced, not merged


def test_other_graphs_do_not_leak_into_answers(pushed: Virtuoso, graph: Graph) -> None:
    decoy = Graph()
    fake = URIRef("http://example.org/decoy/xa-thanh-luong-gia")
    decoy.add((fake, ns.RDF.type, ns.KG.Commune))
    decoy.add((fake, ns.RDFS.label, Literal("Thanh Luông giả", lang="vi")))
    decoy.add((fake, ns.KG.searchKey, Literal("thanh luong gia")))
    push_graph(decoy, pushed.crud_auth, "http://example.org/decoy", user="dba", password=PASSWORD)
    search = library()["search"]
    scoped = run_query(search, {}, Endpoint(pushed.sparql, DATASET), IRIS)
    assert fake not in scoped.column("entity")
    assert scoped.comparable() == run_query(search, {}, LocalGraph(graph), IRIS).comparable()
    unscoped = run_query(search, {}, Endpoint(pushed.sparql), IRIS)
    assert fake in unscoped.column("entity")  # the store's union would have leaked it


def test_cli_query_on_the_pushed_graph(pushed: Virtuoso) -> None:
    code, out, err = _cli(
        "query",
        "cells-and-members",
        "--endpoint",
        pushed.sparql,
        "--graph",
        DATASET,
        "--format",
        "csv",
    )
    assert code == 0, err
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(out))}
    pom_lot = rows["Đảng bộ xã Pom Lót"]
    assert (float(pom_lot["cells"]), float(pom_lot["members"])) == (23, 209)
    thanh_luong = rows["Đảng bộ xã Thanh Luông"]
    assert (float(thanh_luong["cells"]), float(thanh_luong["members"])) == (37, 309)


def test_cli_query_error_from_the_store_is_one_line(pushed: Virtuoso, tmp_path: Path) -> None:
    rq = tmp_path / "unknown-function.rq"
    rq.write_text(
        "SELECT ?x WHERE { BIND(<http://example.org/nofn>(1) AS ?x) }\n", encoding="utf-8"
    )
    code, _, err = _cli("query", str(rq), "--endpoint", pushed.sparql, "--graph", DATASET)
    assert code == 2
    assert err.startswith(f"kgraph: error: {pushed.sparql}: ") and err.count("\n") == 1


def test_push_with_a_wrong_password(virtuoso: Virtuoso, built_ttl: Path) -> None:
    code, _, err = _cli(
        "push",
        "--endpoint",
        virtuoso.crud_auth,
        "--user",
        "dba",
        "--password",
        "wrong",
        "--input",
        str(built_ttl),
        "--graph",
        str(IRIS.id("dataset", "never-written")),
    )
    assert code == 2
    *warnings, error = err.splitlines()
    assert "not authorised (HTTP 401)" in error and error.startswith("kgraph: error: ")
    assert all(w.startswith("kgraph: warning: ") for w in warnings)  # password on the command line
    assert "wrong" not in err


def test_push_without_the_right_to_write(virtuoso: Virtuoso, graph: Graph) -> None:
    """Virtuoso's anonymous endpoint refuses writes until SPARQL_UPDATE is granted."""
    with pytest.raises(PushError, match=r"refused the graph \(HTTP 403\)"):
        push_graph(graph, f"{virtuoso.http}/sparql-graph-crud", str(IRIS.id("dataset", "anon")))
