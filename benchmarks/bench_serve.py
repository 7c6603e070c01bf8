"""The endpoint under load and abuse: latency of the library's queries, and bombs beside them.

Run: ``.venv/bin/python benchmarks/bench_serve.py [--input build/kgraph.ttl] [--clients 20]
[--requests 50]``. Starts ``kgraph serve``'s server on loopback from cold, then:

- ``clients`` keep-alive clients each send ``requests`` requests, cycling
  through every shipped query with its defaults (``/query/NAME``): errors,
  throughput, p50/p90/p99 latency;
- each pathological query (a cartesian product, a string doubled into
  gigabytes, nested ``REPLACE``) runs while a second client asks a simple
  ``ASK``: how long the bomb took to be stopped, with what status, and how
  long the simple query took meanwhile.

Prints Markdown tables for docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kgraph.graph.engine import open_input
from kgraph.sparql import library
from kgraph.sparql.serve import make_server

#: the pathological queries the endpoint tests use (tests/sparql/bombs/*.rq)
BOMBS = {
    p.stem.replace("-", " "): p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parents[1] / "tests" / "sparql" / "bombs").glob("*.rq"))
}


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", type=Path, default=Path("build/kgraph.ttl"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args()
    store = open_input(args.input)
    started = time.perf_counter()
    server = make_server(store, port=0, timeout=args.timeout, memory=2**30)
    server.start()
    cold = time.perf_counter() - started
    parts = urllib.parse.urlsplit(server.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    paths = [f"/query/{name}" for name in sorted(library())]

    def client(n: int) -> list[tuple[int, float]]:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        out = []
        for i in range(args.requests):
            begin = time.perf_counter()
            conn.request("GET", paths[(n + i) % len(paths)], headers={"Accept": "text/csv"})
            response = conn.getresponse()
            response.read()
            out.append((response.status, time.perf_counter() - begin))
        conn.close()
        return out

    begin = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        results = [r for rs in pool.map(client, range(args.clients)) for r in rs]
    wall = time.perf_counter() - begin
    latencies = [seconds * 1000 for _, seconds in results]
    errors = sum(1 for status, _ in results if status != 200)
    print(
        f"store: {len(store)} triples; {server.settings.workers} workers; ready in {cold:.2f} s\n"
    )
    print("| clients x requests | errors | requests/s | p50 (ms) | p90 (ms) | p99 (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| {args.clients} x {args.requests} | {errors} | {len(results) / wall:.0f} | "
        f"{statistics.median(latencies):.1f} | {_percentile(latencies, 90):.1f} | "
        f"{_percentile(latencies, 99):.1f} |"
    )
    print(f"\nlimit: {args.timeout:g} s per query, 1 GiB per worker\n")
    print("| bomb | status | stopped after (s) | simple query meanwhile (s) |")
    print("|---|---:|---:|---:|")
    for name, text in BOMBS.items():
        outcome: dict[str, float] = {}

        def bomb(query: str = text, record: dict[str, float] = outcome) -> None:
            conn = http.client.HTTPConnection(host, port, timeout=60)
            begin = time.perf_counter()
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
            response = conn.getresponse()
            response.read()
            record["status"] = response.status
            record["seconds"] = time.perf_counter() - begin

        thread = threading.Thread(target=bomb)
        thread.start()
        time.sleep(0.2)
        conn = http.client.HTTPConnection(host, port, timeout=60)
        begin = time.perf_counter()
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
        conn.getresponse().read()
        simple = time.perf_counter() - begin
        thread.join()
        print(f"| {name} | {outcome['status']:.0f} | {outcome['seconds']:.2f} | {simple:.3f} |")
    server.shutdown()
    server.server_close()


if __name__ == "__main__":
    main()
