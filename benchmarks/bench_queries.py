"""How long every shipped query takes with default parameters, on the store and on rdflib.

Run: ``.venv/bin/python benchmarks/bench_queries.py [--repeat N]``. The store is
the engine of ``kgraph query`` and ``kgraph serve`` (``StoreEngine`` over the
pyoxigraph store ``kgraph build`` writes); rdflib is ``LocalGraph`` over the same
graph in memory. Prints a Markdown table of the median time per query and the
total; ``--docs`` also writes it into docs/performance.md (its generated block).

``--input STORE`` (repeatable: built stores of growing size, e.g. from
``kgraph generate`` + ``kgraph build``) times the store alone on each, with the
rows each query returns, and extrapolates every query to 10^7 triples from the
last two sizes (time growing as a power of the size); ``--docs`` then writes
the block of ``bench_queries.py --input``.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from docs_blocks import provenance, write_block
from timing import timed

from kgraph import resources
from kgraph.curate.dataset import load_dataset
from kgraph.errors import QueryError
from kgraph.graph.build import build_graph
from kgraph.graph.engine import from_graph, open_input
from kgraph.graph.namespaces import Iris
from kgraph.sparql import LocalGraph, StoreEngine, bind_parameters, library


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--docs", action="store_true", help="write the table into the docs")
    parser.add_argument("--input", type=Path, action="append", help="a built store (repeat)")
    args = parser.parse_args()
    header = provenance()
    if args.input:
        table = _at_scale(args.input, args.repeat, header)
        print(table)
        if args.docs:
            write_block("performance.md", "bench_queries.py --input", table)
        return
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


#: the size every query should still answer within a second at (issue 10)
TARGET_TRIPLES = 10**7


def _at_scale(inputs: list[Path], repeat: int, header: str) -> str:
    """Every shipped query on each store, and its time extrapolated to 10^7 triples."""
    iris = Iris()
    stores = [open_input(path) for path in inputs]
    sizes = [len(store) for store in stores]
    engines = [StoreEngine(store) for store in stores]
    sizes_head = " | ".join(f"{n:,}: s (rows)" for n in sizes)
    lines = [
        f"{header}: median of {repeat} per query, default parameters, in process; the "
        "last column extrapolates the last two sizes to 10^7 triples (time as a power "
        "of size).",
        "",
        f"| query | {sizes_head} | growth exponent | at 10^7 (s) |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]
    totals = [0.0] * len(sizes)
    for name, query in sorted(library().items()):
        bindings = bind_parameters(query, {}, iris)
        cells, seconds = [], []
        for i, engine in enumerate(engines):
            try:
                t, _, result = timed(lambda e=engine, q=query, b=bindings: e.run(q, b), repeat)
            except QueryError as exc:  # a default (a seed source, say) not in generated data
                print(f"{name} on {sizes[i]:,}: {exc}")
                cells.append("-")
                seconds.append(float("nan"))
                continue
            seconds.append(t)
            totals[i] += t
            cells.append(f"{t:.3f} ({len(result.rows) if result.tabular else '-'})")
        lines.append(f"| {name} | {' | '.join(cells)} | {_projection(sizes, seconds)} |")
    total_cells = " | ".join(f"{t:.2f}" for t in totals)
    lines.append(f"| **all {len(library())}** | {total_cells} | | |")
    return "\n".join(lines)


def _projection(sizes: list[int], seconds: list[float]) -> str:
    """Growth exponent and time at 10^7 from the last two sizes (times under 5 ms: too noisy)."""
    if len(sizes) < 2 or sizes[-1] <= sizes[-2] or any(math.isnan(t) for t in seconds[-2:]):
        return " | "
    if seconds[-1] < 0.005:
        return "- | < 1"
    k = math.log(max(seconds[-1], 1e-4) / max(seconds[-2], 1e-4)) / math.log(sizes[-1] / sizes[-2])
    k = max(k, 0.0)
    return f"{k:.2f} | {seconds[-1] * (TARGET_TRIPLES / sizes[-1]) ** k:.2f}"


if __name__ == "__main__":
    main()
