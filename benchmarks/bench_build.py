"""How long the build takes, stage by stage, on the shipped data.

Run: ``.venv/bin/python benchmarks/bench_build.py [--repeat N]``. Prints the
median and best wall-clock time of each stage over N runs (default 7), and
the graph size, as a Markdown table; ``--docs`` writes it into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from docs_blocks import provenance, write_block
from timing import timed

from kgraph import resources
from kgraph.curate.dataset import load_dataset
from kgraph.graph.build import build_graph
from kgraph.graph.store import serialize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--docs", action="store_true", help="write the table into the docs")
    args = parser.parse_args()
    header = provenance()
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
    lines = [
        f"{header}: the shipped data, {len(graph):,} triples, "
        f"{len(dataset.table('observations'))} observations.",
        "",
        "| stage | median (s) | best (s) |",
        "|---|---:|---:|",
        *(f"| {name} | {m:.3f} | {b:.3f} |" for name, m, b in rows),
    ]
    table = "\n".join(lines)
    print(table)
    if args.docs:
        write_block("benchmarks.md", "bench_build.py", table)


if __name__ == "__main__":
    main()
