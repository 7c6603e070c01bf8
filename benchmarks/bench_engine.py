"""The store against rdflib at growing sizes: opening the graph, and every shipped query.

Run: ``.venv/bin/python benchmarks/bench_engine.py [--copies 1,15,150] [--rdflib-up-to N]``.

The workload is the seed graph replicated ``k`` times under distinct IRIs
(the first copy as it is; in copy ``k`` every instance IRI
``…/id/<kind>/<slug>`` becomes ``…/id/<kind>/<slug>-x<k>``; the ontology is
shared), so the queries keep their shape while the data grows:
1 copy ≈ 6.7 k triples, 15 ≈ 10^5, 150 ≈ 10^6. For each size it times, in one
run and on the same data:

- rdflib parsing the N-Triples, against pyoxigraph bulk-loading them and
  against opening the on-disk store that ``kgraph build`` leaves (what every
  command does);
- every shipped query with its defaults on the store (``StoreEngine``) and on
  rdflib (``LocalGraph``; only up to ``--rdflib-up-to`` triples, as rdflib
  takes minutes beyond).

Prints Markdown tables for docs/performance.md.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from rdflib import Graph
from timing import timed

from kgraph import resources
from kgraph.curate.dataset import load_dataset
from kgraph.graph.build import build_graph
from kgraph.graph.engine import copy_to_folder, load_file, open_store
from kgraph.graph.namespaces import Iris
from kgraph.sparql import LocalGraph, StoreEngine, library, run_query

_INSTANCE = re.compile(rb"(<https://kgraph\.example\.org/id/[a-z0-9-]+/)([^>/]+)")


def replicate(seed_nt: bytes, copies: int, out: Path) -> int:
    """Write ``copies`` renamed copies of the seed N-Triples to ``out``; return the line count."""
    ontology = [line for line in seed_nt.splitlines() if b"/id/" not in line]
    instances = [line for line in seed_nt.splitlines() if b"/id/" in line]
    lines = 0
    with out.open("wb") as fh:
        for line in ontology:
            fh.write(line + b"\n")
            lines += 1
        for k in range(copies):
            suffix = f"-x{k}".encode()
            for line in instances:
                if k:  # copy 0 keeps the seed's IRIs, so the queries' default parameters resolve
                    line = _INSTANCE.sub(lambda m, s=suffix: m.group(1) + m.group(2) + s, line)
                fh.write(line + b"\n")
                lines += 1
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", default="1,15,150")
    parser.add_argument("--rdflib-up-to", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    iris = Iris()
    seed = build_graph(load_dataset(resources.data_dir()), iris)
    seed_nt = seed.serialize(format="nt", encoding="utf-8")
    queries = sorted(library().items())
    load_rows, query_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for copies in (int(c) for c in args.copies.split(",")):
            nt = Path(tmp) / f"graph-{copies}.nt"
            replicate(seed_nt, copies, nt)
            store_seconds, _, memory_store = timed(lambda p=nt: load_file(p), 1)
            triples = len(memory_store)
            folder = Path(tmp) / f"store-{copies}"
            copy_to_folder(memory_store, folder)
            open_seconds = timed(lambda f=folder: open_store(f), args.repeat)[0]
            with_rdflib = triples <= args.rdflib_up_to
            graph: Graph | None = None
            parse_seconds = float("nan")
            if with_rdflib:
                parse_seconds, _, graph = timed(lambda p=nt: Graph().parse(p, format="nt"), 1)
            load_rows.append((triples, parse_seconds, store_seconds, open_seconds))
            engine = StoreEngine(open_store(folder))
            for name, query in queries:
                on_store = timed(lambda q=query, e=engine: run_query(q, {}, e, iris), args.repeat)[
                    0
                ]
                on_rdflib = float("nan")
                if graph is not None:
                    local = LocalGraph(graph)
                    on_rdflib = timed(lambda q=query, e=local: run_query(q, {}, e, iris), 1)[0]
                query_rows.append((triples, name, on_store, on_rdflib))
            print(f"done: {triples} triples", flush=True)
    print("\n| triples | rdflib parse (s) | store bulk load (s) | open built store (s) |")
    print("|---:|---:|---:|---:|")
    for triples, parse, load, opened in load_rows:
        print(f"| {triples:,} | {parse:.2f} | {load:.2f} | {opened:.3f} |")
    sizes = sorted({row[0] for row in query_rows})
    head = " | ".join(f"{s:,}: store / rdflib (s)" for s in sizes)
    print(f"\n| query | {head} |\n|---|" + "---:|" * len(sizes))
    by = {(t, n): (s, r) for t, n, s, r in query_rows}
    for name, _ in queries:
        cells = " | ".join(f"{by[(s, name)][0]:.3f} / {by[(s, name)][1]:.2f}" for s in sizes)
        print(f"| {name} | {cells} |")
    sums = [
        (sum(by[(s, n)][0] for n, _ in queries), sum(by[(s, n)][1] for n, _ in queries))
        for s in sizes
    ]
    totals = " | ".join(f"{on_store:.2f} / {on_rdflib:.1f}" for on_store, on_rdflib in sums)
    print(f"| **all {len(queries)}** | {totals} |")


if __name__ == "__main__":
    main()
