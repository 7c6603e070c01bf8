"""Entity pages render in the endpoint's workers: a page that overruns is stopped like a query.

The handler is :class:`tests.pages.slow_pages.SlowPages`, so the test decides
how long a page takes; the server, its workers and its limits are the real ones.
"""

from __future__ import annotations

import functools
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from rdflib import Graph

from kgraph.graph.engine import from_graph
from kgraph.sparql.serve import SparqlServer, make_server
from tests.pages.slow_pages import SlowPages

LIMIT = 1.5


@pytest.fixture(scope="module")
def server(graph: Graph) -> Iterator[SparqlServer]:
    store = from_graph(graph)
    srv = make_server(
        store,
        port=0,
        timeout=LIMIT,
        workers=2,
        memory=1 * 2**30,
        pages=functools.partial(SlowPages, seconds=60.0),
    )
    srv.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _get(srv: SparqlServer, path: str) -> tuple[int, bytes]:
    root = srv.url[: -len("/sparql")]
    request = urllib.request.Request(root + path, headers={"Accept": "text/plain"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_a_page_is_answered_by_a_worker_over_its_own_store(
    server: SparqlServer, graph: Graph
) -> None:
    status, body = _get(server, "/fast")
    assert (status, body) == (200, f"{len(graph)} text/plain\n".encode())
    assert _get(server, "/no-such-page")[0] == 404


def test_a_page_past_the_time_limit_is_stopped_while_others_are_served(
    server: SparqlServer,
) -> None:
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["status"], outcome["body"] = _get(server, "/slow")
        outcome["seconds"] = time.monotonic() - started

    before = server.pool.restarts
    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)  # the slow page holds one worker now
    started = time.monotonic()
    status, _ = _get(server, "/fast")
    waited = time.monotonic() - started
    thread.join(30)
    assert status == 200 and waited < LIMIT / 2, f"the quick page waited {waited:.2f} s"
    assert outcome["status"] == 503
    assert b"/slow: stopped after the time limit of 1.5 s" in outcome["body"]  # type: ignore[operator]
    assert outcome["seconds"] < LIMIT + 1.5  # type: ignore[operator]
    assert server.pool.restarts == before + 1
    assert _get(server, "/fast")[0] == 200, "the server survives"


def test_a_page_past_the_memory_cap_is_refused_and_the_worker_lives_on(
    server: SparqlServer,
) -> None:
    status, body = _get(server, "/greedy")
    assert status == 503 and b"/greedy: ran out of memory" in body
    assert _get(server, "/fast")[0] == 200
