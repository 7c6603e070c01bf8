"""The national backbone: what it costs to build, and what the cache saves.

Run: ``.venv/bin/python benchmarks/bench_backbone.py``.

On the shipped data, in one run and with a fresh cache folder, it times:

- reading and checking both official lists and the mapping (``load_admin_units``);
- generating the backbone's triples (``backbone_triples``) and loading them
  into a store (what a cache miss costs, ``backbone_store``);
- ``kgraph build`` (library call, validation on) with the cache cold and warm;
- ``kgraph all`` with the cache warm;
- every shipped query with its defaults on the store with the backbone, the
  slowest first.

Prints Markdown tables for docs/performance.md.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from timing import timed

from kgraph import resources
from kgraph.curate import units as units_module
from kgraph.graph.backbone import backbone_triples
from kgraph.graph.engine import open_store
from kgraph.graph.namespaces import Iris
from kgraph.pipeline import build_to_file, run_all
from kgraph.sparql import StoreEngine, library, run_query


def main() -> None:
    data = resources.data_dir()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["KGRAPH_CACHE_DIR"] = str(Path(scratch) / "cache")
        units_module._load.cache_clear()
        load_s, _, units = timed(lambda: units_module.load_admin_units(data))
        triples_s, _, triples = timed(lambda: list(backbone_triples(units, Iris())))
        out = Path(scratch) / "build" / "kgraph.ttl"
        cold_s, _, result = timed(lambda: build_to_file(data, out))
        warm_s, _, result = timed(lambda: build_to_file(data, out))
        all_s, _, _ = timed(lambda: run_all(data, Path(scratch) / "all"))
        print("| step | seconds |\n|---|---:|")
        print(f"| read and check both lists and the mapping | {load_s:.2f} |")
        print(f"| generate the backbone ({len(triples):,} triples) | {triples_s:.2f} |")
        print(f"| `kgraph build`, backbone cache cold | {cold_s:.2f} |")
        print(f"| `kgraph build`, backbone cache warm | {warm_s:.2f} |")
        print(f"| `kgraph all`, backbone cache warm | {all_s:.2f} |")
        store = open_store(result.store)
        engine = StoreEngine(store)
        times = []
        for name, query in sorted(library().items()):
            seconds, _, answer = timed(lambda q=query: run_query(q, {}, engine), repeat=3)
            times.append((seconds, name, len(answer)))
        print(f"\nstore: {len(store):,} triples\n")
        print("| query (defaults) | rows | median of 3 (s) |\n|---|---:|---:|")
        for seconds, name, rows in sorted(times, reverse=True):
            print(f"| `{name}` | {rows} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
