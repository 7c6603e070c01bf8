"""How long ``kgraph site`` takes on the national build, step by step, in CPU and wall time.

Run: ``.venv/bin/python benchmarks/bench_site.py [--input build/kgraph.ttl]``
after ``kgraph build`` (the national backbone comes from the warm cache under
~/.cache/kgraph). Prints a Markdown table for docs/integrators.md: for each
step the wall-clock and the process CPU seconds (CPU is what the code costs;
on a shared 2-core machine the wall clock also holds the other jobs' share),
then the pages written and the site's size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kgraph import resources
from kgraph.graph.engine import open_input
from kgraph.pages import Site, write_site


def _step(rows: list[tuple[str, float, float]], name: str, fn: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    rows.append((name, time.perf_counter() - wall, time.process_time() - cpu))
    return result


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", type=Path, default=resources.default_build_dir() / "kgraph.ttl")
    args = parser.parse_args()
    store = open_input(args.input)
    rows: list[tuple[str, float, float]] = []
    site = Site(store)
    _step(
        rows, "read every statement once (statements.rq), grouped", lambda: site.reader.statements
    )
    _step(rows, "the entities with a page (from the statements)", lambda: site.entries)
    sample = site.entries[:: max(1, len(site.entries) // 2000)]
    found = _step(
        rows, f"describe {len(sample)} entities", lambda: [site.describe(e.iri) for e in sample]
    )
    _step(rows, f"render their {len(found)} pages", lambda: [site.entity_html(d) for d in found])
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"
        summary = _step(
            rows, "`kgraph site` end to end (write_site)", lambda: write_site(store, out)
        )
        files, size = _size(out)
    print(f"{len(store):,} triples in the default graph\n")
    print("| step | wall (s) | CPU (s) |\n|---|---:|---:|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.1f} | {cpu:.1f} |")
    print(
        f"\n{summary.pages:,} pages for {summary.entities:,} entities of {summary.kinds} kinds, "
        f"{files:,} files, {size / 1e6:.0f} MB"
    )


if __name__ == "__main__":
    main()
