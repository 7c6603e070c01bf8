"""How long the views of the national backbone take from the command line, start-up included.

Run after ``kgraph build``: ``.venv/bin/python benchmarks/bench_backbone_views.py
[--sample 20] [--seed 0] [--docs]``. Times ``kgraph view ego --focus ID`` for a
random sample of unit versions of both official lists (most of them named by
no article, so the view walks the backbone in the store) and ``kgraph view
national`` for each list, each as a fresh process, the way an analyst runs
them. ``--docs`` writes the table into docs/analysts.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docs_blocks import provenance, write_block

from kgraph import resources
from kgraph.curate.units import load_admin_units

KGRAPH = Path(sys.executable).with_name("kgraph")
ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(KGRAPH), *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"kgraph {' '.join(args)}: {done.stderr.strip()}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--docs", action="store_true", help="write the table into the docs")
    args = parser.parse_args()
    header = provenance()
    units = load_admin_units(resources.data_dir())
    ids = sorted(f"{vintage}-{code}" for vintage, code in units.units)
    sample = random.Random(args.seed).sample(ids, args.sample)
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "view.html")
        ego = [_run("view", "ego", "--focus", unit, "--out", out) for unit in sample]
        national = {
            v: _run("view", "national", "--vintage", v, "--out", out) for v in ("2024", "2025")
        }
    lines = [
        f"{header}: {len(ids):,} unit versions; a fresh `kgraph` process per view.",
        "",
        "| view | runs | median (s) | slowest (s) |",
        "|---|---:|---:|---:|",
        f"| `view ego --focus UNIT` (depth 2), a random sample of unit versions "
        f"| {len(ego)} | {statistics.median(ego):.2f} | {max(ego):.2f} |",
        *(
            f"| `view national --vintage {v}` | 1 | {s:.2f} | {s:.2f} |"
            for v, s in national.items()
        ),
    ]
    table = "\n".join(lines)
    print(table)
    if args.docs:
        write_block("analysts.md", "bench_backbone_views.py", table)


if __name__ == "__main__":
    main()
