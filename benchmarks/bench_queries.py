"""How long every shipped query takes with default parameters, on rdflib and pyoxigraph.

Run: ``.venv/bin/python benchmarks/bench_queries.py [--repeat N]`` (pyoxigraph comes
with the test extras). Prints a Markdown table of the median time per query and
the total, for docs/benchmarks.md and docs/researchers.md.
"""

from __future__ import annotations

import argparse

from timing import timed

from kgraph import resources
from kgraph.curate.dataset import load_dataset
from kgraph.graph.build import build_graph
from kgraph.graph.namespaces import Iris
from kgraph.sparql import LocalGraph, bind_parameters, library, with_values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    iris = Iris()
    graph = build_graph(load_dataset(resources.data_dir()), iris)
    local = LocalGraph(graph)
    try:
        import pyoxigraph

        store = pyoxigraph.Store()
        store.load(
            graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
        )
    except ImportError:
        store = None
    print(f"graph: {len(graph)} triples\n")
    print("| query | rdflib (ms) | pyoxigraph (ms) |\n|---|---:|---:|")
    totals = [0.0, 0.0]
    for name, query in sorted(library().items()):
        bindings = bind_parameters(query, {}, iris)
        rd = timed(lambda q=query, b=bindings: local.run(q, b), args.repeat)[0]
        text = with_values(query.text, bindings)
        ox = timed(lambda t=text: list(store.query(t)), args.repeat)[0] if store else float("nan")
        totals[0] += rd
        totals[1] += ox
        print(f"| {name} | {rd * 1000:.0f} | {ox * 1000:.1f} |")
    print(f"| **all {len(library())} queries** | {totals[0] * 1000:.0f} | {totals[1] * 1000:.1f} |")


if __name__ == "__main__":
    main()
