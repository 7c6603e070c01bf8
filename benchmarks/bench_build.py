"""How long the build takes, stage by stage, on the shipped data.

Run: ``.venv/bin/python benchmarks/bench_build.py [--repeat N]``. Prints the
median and best wall-clock time of each stage over N runs (default 7), and
the graph size, as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from timing import timed

from kgraph import resources
from kgraph.curate.dataset import load_dataset
from kgraph.graph.build import build_graph
from kgraph.graph.store import serialize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    data_dir = resources.data_dir()
    rows = []
    med, best, dataset = timed(lambda: load_dataset(data_dir), args.repeat)
    rows.append(("load + check tables and quotes", med, best))
    med, best, graph = timed(lambda: build_graph(dataset), args.repeat)
    rows.append(("build graph (incl. ontology)", med, best))
    med, best, _ = timed(lambda: serialize(graph, "turtle"), args.repeat)
    rows.append(("serialise Turtle", med, best))
    med, best, _ = timed(lambda: serialize(graph, "nt"), args.repeat)
    rows.append(("serialise sorted N-Triples", med, best))
    with tempfile.TemporaryDirectory() as tmp:
        from kgraph.pipeline import build_to_file

        med, best, _ = timed(lambda: build_to_file(data_dir, Path(tmp) / "kg.ttl"), args.repeat)
    rows.append(("`kgraph build` end to end (in-process)", med, best))
    print(f"graph: {len(graph)} triples, {len(dataset.table('observations'))} observations\n")
    print("| stage | median (s) | best (s) |\n|---|---:|---:|")
    for name, m, b in rows:
        print(f"| {name} | {m:.3f} | {b:.3f} |")


if __name__ == "__main__":
    main()
