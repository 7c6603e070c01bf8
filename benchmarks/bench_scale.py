"""The build at scale, stage by stage, on data from ``kgraph generate``.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--triples 10000,100000] [--validate-up-to N]``.

For each size it generates curated tables (``generate_data``, seed 0, 2 %
contradictions), then times, in one run on the same data:

- loading and checking the tables, building the rdflib graph;
- writing Turtle with kgraph's writer and with rdflib's own (the alternative;
  only up to ``--rdflib-turtle-up-to`` triples, it is quadratic);
- the named-graph split and the store (one N-Quads bulk load);
- pyoxigraph bulk-loading the same graph's N-Triples on its own (the reference
  the build is measured against);
- SHACL validation (up to ``--validate-up-to`` triples): per focus node with
  planned queries (the default) and with each SPARQL rule run once over a store
  (``once=True``, :mod:`kgraph.check.rules`), side by side.

Peak memory is the process's maximum resident set. Prints Markdown tables for
docs/performance.md (``--docs`` writes it there).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
from pathlib import Path

import pyoxigraph as ox
from docs_blocks import provenance, write_block
from timing import timed

from kgraph.check import validate_graph
from kgraph.curate.dataset import load_dataset
from kgraph.curate.generate import generate_data
from kgraph.graph.build import build_graph
from kgraph.graph.engine import write_store
from kgraph.graph.layout import named_graphs, packaged_shapes
from kgraph.graph.namespaces import Iris
from kgraph.graph.store import serialize


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", default="10000,100000")
    parser.add_argument("--rdflib-turtle-up-to", type=int, default=120_000)
    parser.add_argument("--validate-up-to", type=int, default=120_000)
    parser.add_argument("--docs", action="store_true", help="write the table into the docs")
    args = parser.parse_args()
    header = provenance()
    iris = Iris()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for target in (int(t) for t in args.triples.split(",")):
            data = Path(tmp) / f"data-{target}"
            generate_data(data, triples=target, seed=0)
            load_s, _, dataset = timed(lambda d=data: load_dataset(d))
            build_s, _, graph = timed(lambda ds=dataset: build_graph(ds, iris))
            n = len(graph)
            turtle_s, _, turtle = timed(lambda g=graph: serialize(g, "turtle"))
            ttl = Path(tmp) / f"kgraph-{target}.ttl"
            ttl.write_bytes(turtle)
            rdflib_s = float("nan")
            if n <= args.rdflib_turtle_up_to:
                rdflib_s = timed(lambda g=graph: g.serialize(format="turtle", encoding="utf-8"))[0]
            layout_s, _, layout = timed(lambda g=graph: named_graphs(g, iris, packaged_shapes()))
            store_s = timed(lambda g=graph, lay=layout, t=ttl: write_store(g, lay, t))[0]
            nt = graph.serialize(format="nt", encoding="utf-8")

            def bulk(data: bytes = nt) -> None:
                ox.Store().bulk_load(data, format=ox.RdfFormat.N_TRIPLES)

            reference_s = timed(bulk)[0]
            validate_s = once_s = float("nan")
            if n <= args.validate_up_to:
                validate_s = timed(lambda g=graph: validate_graph(g))[0]
                once_s = timed(lambda g=graph: validate_graph(g, once=True))[0]
            rows.append(
                (
                    n,
                    load_s,
                    build_s,
                    turtle_s,
                    rdflib_s,
                    layout_s,
                    store_s,
                    reference_s,
                    validate_s,
                    once_s,
                    _peak_mib(),
                )
            )
            print(f"done: {n} triples", flush=True)
    lines = [
        f"{header}: curated tables from `kgraph generate` (seed 0, 2 % contradictions), "
        "one run per size; `nan`: not run at that size.",
        "",
        "| triples | load + check (s) | build (s) | Turtle, kgraph (s) | Turtle, rdflib (s) "
        "| named graphs (s) | store (s) | pyoxigraph bulk load alone (s) | SHACL (s) "
        "| SHACL, rules once (s) | peak RSS (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        n, *times, peak = row
        cells = " | ".join(f"{t:.2f}" for t in times)
        lines.append(f"| {n:,} | {cells} | {peak:.0f} |")
    table = "\n".join(lines)
    print("\n" + table)
    if args.docs:
        write_block("performance.md", "bench_scale.py", table)


if __name__ == "__main__":
    main()
