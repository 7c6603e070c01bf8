"""How long each export format and the whole release take, and how big they are.

Run: ``.venv/bin/python benchmarks/bench_export.py [--repeat N] [--copies K]``.
Prints the median and best wall-clock time of each export over N runs
(default 5), the file sizes, and the release end to end, as a Markdown table
for docs/integrators.md. ``--copies K`` exports K copies of the shipped data
under fresh IRIs (K times the triples) to see how the times grow.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from timing import timed

from kgraph import resources
from kgraph.curate.dataset import load_dataset
from kgraph.graph.build import build_graph
from kgraph.graph.layout import named_graphs
from kgraph.graph.namespaces import Iris
from kgraph.graph.store import read_graph
from kgraph.publish.release import make_release
from kgraph.publish.writers import FORMATS, export


def _copies(graph: Graph, iris: Iris, k: int) -> Graph:
    """``k`` copies of the instance data under fresh IRIs (the ontology once)."""
    if k == 1:
        return graph
    out = Graph()
    prefix = iris.prefix
    for n in range(k):
        tag = f"{prefix}copy{n}/"

        def move(term: Any, tag: str = tag) -> Any:
            text = str(term)
            return (
                URIRef(tag + text[len(prefix) :])
                if isinstance(term, URIRef) and text.startswith(prefix)
                else term
            )

        out.addN((move(s), move(p), move(o), out) for s, p, o in graph)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    iris = Iris()
    graph = _copies(build_graph(load_dataset(resources.data_dir()), iris), iris, args.copies)
    shapes_path = resources.shapes_file()
    shapes = read_graph(shapes_path) if shapes_path.is_file() else Graph()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        med, best, layout = timed(lambda: named_graphs(graph, iris, shapes), args.repeat)
        rows.append(("split into named graphs (incl. shapes)", med, best, ""))
        for name in FORMATS:
            med, best, paths = timed(
                lambda name=name: export(graph, name, out, iris, shapes, layout), args.repeat
            )
            size = sum(p.stat().st_size for p in paths)
            rows.append((f"export `{name}`", med, best, f"{size / 1e6:.2f} MB"))
        med, best, release = timed(lambda: make_release(graph, out / "release", iris), args.repeat)
        size = sum(f.bytes for f in release.files)
        rows.append(
            ("`make_release` (every format + description)", med, best, f"{size / 1e6:.2f} MB")
        )
    print(f"graph: {len(graph)} triples ({args.copies} cop{'y' if args.copies == 1 else 'ies'})\n")
    print("| step | median (s) | best (s) | size |\n|---|---:|---:|---:|")
    for name, m, b, s in rows:
        print(f"| {name} | {m:.3f} | {b:.3f} | {s} |")


if __name__ == "__main__":
    main()
