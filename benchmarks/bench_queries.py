"""How long every shipped query takes with default parameters, on the store and on rdflib.

Run: ``.venv/bin/python benchmarks/bench_queries.py [--repeat N]``. The store is
the engine of ``kgraph query`` and ``kgraph serve`` (``StoreEngine`` over the
pyoxigraph store ``kgraph build`` writes); rdflib is ``LocalGraph`` over the same
graph in memory. Prints a Markdown table of the median time per query and the
total; ``--docs`` also writes it into docs/performance.md (its generated block).
"""

from __future__ import annotations

import argparse

from docs_blocks import provenance, write_block
from timing import timed

from kgraph import resources
from kgraph.curate.dataset import load_dataset
from kgraph.graph.build import build_graph
from kgraph.graph.engine import from_graph
from kgraph.graph.namespaces import Iris
from kgraph.sparql import LocalGraph, StoreEngine, bind_parameters, library


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--docs", action="store_true", help="write the table into the docs")
    args = parser.parse_args()
    header = provenance()
    iris = Iris()
    graph = build_graph(load_dataset(resources.data_dir()), iris)
    local = LocalGraph(graph)
    store = StoreEngine(from_graph(graph))
    lines = [
        f"{header}: the shipped graph, {len(graph):,} triples; median of {args.repeat} "
        "per query, default parameters, in process.",
        "",
        "| query | store (ms) | rdflib (ms) |",
        "|---|---:|---:|",
    ]
    totals = [0.0, 0.0]
    for name, query in sorted(library().items()):
        bindings = bind_parameters(query, {}, iris)
        ox = timed(lambda q=query, b=bindings: store.run(q, b), args.repeat)[0]
        rd = timed(lambda q=query, b=bindings: local.run(q, b), args.repeat)[0]
        totals[0] += ox
        totals[1] += rd
        lines.append(f"| {name} | {ox * 1000:.1f} | {rd * 1000:.0f} |")
    lines.append(
        f"| **all {len(library())} queries** | {totals[0] * 1000:.1f} | {totals[1] * 1000:.0f} |"
    )
    table = "\n".join(lines)
    print(table)
    if args.docs:
        write_block("performance.md", "bench_queries.py", table)


if __name__ == "__main__":
    main()
