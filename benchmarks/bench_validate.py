"""How long SHACL validation takes, how it grows with the graph, and where the time goes.

Run: ``.venv/bin/python benchmarks/bench_validate.py [--sizes 1e4,1e5,1e6] [--repeat N]
[--profile-size 1e5] [--plain]``. Prints Markdown tables for docs/benchmarks.md:

1. the shipped graph: a cold run in a fresh process (shapes parsed, every
   SHACL-SPARQL query parsed and planned), warm runs in this process, the
   ``kgraph validate`` command end to end, and, with ``--plain``, pySHACL on
   the plain rdflib graph (no query planning) for comparison;
2. graphs of 10^4 to 10^6 triples, made by replicating the shipped instance
   data under fresh IRIs (code lists, indicators and periods stay shared, as
   in a real, bigger graph), each validated with all shapes and with the core
   shapes only (no SHACL-SPARQL), with the number of results as a check that
   each copy raises the same single warning;
3. a cProfile of one run, its own time grouped by where it is spent.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from timing import timed

from kgraph import resources
from kgraph.check import validate_graph
from kgraph.curate.dataset import load_dataset
from kgraph.graph.build import build_graph
from kgraph.graph.namespaces import Iris
from kgraph.graph.store import write_graph

#: instance kinds that a bigger graph shares instead of copying (code lists, calendar)
SHARED_KINDS = {
    "indicator",
    "unit",
    "qualifier",
    "cell-kind",
    "role",
    "category",
    "partition",
    "period",
    "instant",
    "dataset",
}

COLD = """
import time
from kgraph import resources
from kgraph.graph.build import build_graph
from kgraph.curate.dataset import load_dataset
graph = build_graph(load_dataset(resources.data_dir()))
start = time.perf_counter()
from kgraph.check import validate_graph
report = validate_graph(graph)
print(time.perf_counter() - start, len(report.results))
"""


def replicate(graph: Graph, copies: int, iris: Iris) -> Graph:
    """``graph`` with its instance data repeated ``copies`` times under fresh IRIs."""
    prefix = iris.prefix

    def rename(node: object, k: int) -> object:
        if not (isinstance(node, URIRef) and str(node).startswith(prefix)):
            return node
        kind, _, tail = str(node)[len(prefix) :].partition("/")
        if kind in SHARED_KINDS and not tail.startswith("at-publication-of-"):
            return node
        slug, sep, rest = tail.partition("/")
        return URIRef(f"{prefix}{kind}/{slug}-r{k}{sep}{rest}")

    out = Graph()
    for triple in graph:
        out.add(triple)
    copied = [t for t in graph if rename(t[0], 1) != t[0]]
    for k in range(1, copies):
        for s, p, o in copied:
            out.add((rename(s, k), p, rename(o, k)))  # type: ignore[arg-type]
    return out


def core_shapes() -> Graph:
    """The shapes without their SHACL-SPARQL constraints (SPARQL targets kept)."""
    shapes = Graph().parse(resources.shapes_file())
    for s, o in list(shapes.subject_objects(SH.sparql)):
        shapes.remove((s, SH.sparql, o))
    return shapes


#: (label, file suffix, function) of the phases to report, by cumulative time
PHASES = [
    ("SHACL-SPARQL rules", "pyshacl/constraints/sparql/sparql_based_constraints.py", "evaluate"),
    (
        "- of which parsing and planning the queries (cached: 0 once warm)",
        "kgraph/validate.py",
        "_plan",
    ),
    (
        "- of which pySHACL's query-text checks per focus node",
        "helper/sparql_query_helper.py",
        "pre_bind_variables",
    ),
    ("- of which rdflib evaluating the queries", "rdflib/query.py", "bindings"),
    ("finding focus nodes (class and SPARQL targets)", "pyshacl/shape.py", "focus_nodes"),
    ("reading the shapes into pySHACL", "pyshacl/shapes_graph.py", "shapes"),
    ("turning results into the typed report", "kgraph/validate.py", "_results"),
]


def profile(graph: Graph) -> list[tuple[str, float, float]]:
    """Cumulative time of the phases of one validation: (phase, seconds, share)."""
    profiler = cProfile.Profile()
    profiler.enable()
    validate_graph(graph)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = next(v[3] for (f, _l, fn), v in stats.items() if fn == "validate_graph")
    rows = []
    for label, suffix, func in PHASES:
        seconds = sum(v[3] for (f, _l, fn), v in stats.items() if f.endswith(suffix) and fn == func)
        rows.append((label, seconds, seconds / total))
    accounted = sum(s for label, s, _ in rows if not label.startswith("-"))
    rows.append(
        ("core shapes and the rest (by difference)", total - accounted, 1 - accounted / total)
    )
    rows.append(("whole validation (under the profiler)", total, 1.0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1e4,3e4,1e5,3e5,1e6")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile-size", type=float, default=1e5)
    parser.add_argument("--plain", action="store_true", help="also time pySHACL without planning")
    args = parser.parse_args()

    iris = Iris()
    graph = build_graph(load_dataset(resources.data_dir()), iris)
    print(f"shipped graph: {len(graph)} triples\n")

    rows = []
    cold = subprocess.run(
        [sys.executable, "-c", COLD], capture_output=True, text=True, check=True
    ).stdout.split()
    rows.append(("cold: first validation in a fresh process", float(cold[0]), float(cold[0])))
    med, best, report = timed(lambda: validate_graph(graph), args.repeat)
    rows.append((f"warm: validation, queries already planned (median of {args.repeat})", med, best))
    with tempfile.TemporaryDirectory() as tmp:
        path = write_graph(graph, Path(tmp) / "kgraph.ttl")
        kgraph = Path(sys.executable).with_name("kgraph")
        med, best, _ = timed(
            lambda: subprocess.run([str(kgraph), "validate", str(path)], capture_output=True),
            max(1, args.repeat // 2),
        )
        rows.append(("`kgraph validate build/kgraph.ttl` end to end", med, best))
    if args.plain:
        med, best, plain = timed(lambda: validate_graph(graph, planned=False))
        assert plain.results == report.results
        rows.append(("pySHACL on the plain graph (no planning), one run", med, best))
    print("| shipped graph | median (s) | best (s) |\n|---|---:|---:|")
    for name, m, b in rows:
        print(f"| {name} | {m:.2f} | {b:.2f} |")

    template = Graph()
    for triple in graph:
        template.add(triple)
    per_copy = len(replicate(graph, 2, iris)) - len(graph)
    core = core_shapes()
    print(
        "\n| triples | copies | build copy (s) | all shapes (s) | core shapes only (s) "
        "| results (warnings) | µs per triple |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    profiled: Graph | None = None
    for size in (float(s) for s in args.sizes.split(",")):
        copies = max(1, math.ceil((size - len(graph)) / per_copy) + 1)
        start = time.perf_counter()
        big = replicate(template, copies, iris)
        made = time.perf_counter() - start
        _m, full, result = timed(lambda big=big: validate_graph(big))
        _m, only_core, _r = timed(lambda big=big: validate_graph(big, shapes=core))
        print(
            f"| {len(big):,} | {copies} | {made:.1f} | {full:.2f} | {only_core:.2f} "
            f"| {len(result.results)} ({len(result.warnings)}) | {full / len(big) * 1e6:.0f} |"
        )
        if abs(math.log10(size) - math.log10(args.profile_size)) < 0.01:
            profiled = big
        del big
    if profiled is not None:
        print(f"\nwhere the time goes ({len(profiled):,} triples, cProfile, cumulative):\n")
        print("| phase | seconds | share |\n|---|---:|---:|")
        for name, seconds, share in profile(profiled):
            print(f"| {name} | {seconds:.2f} | {share:.0%} |")


if __name__ == "__main__":
    main()
