"""How long the network views take: projection, HTML, exports, stats, and settling in a browser.

Run: ``.venv/bin/python benchmarks/bench_views.py [--repeat N] [--browser]
[--screenshots docs/img]``. Prints Markdown tables for docs/analysts.md:
the median and best wall-clock time of each Python step over N runs (default
5), and with ``--browser`` the time each page takes in headless Chromium
(software rendering, network cut off) from navigation until its layout has
settled. ``--screenshots DIR`` also saves the documentation's screenshots.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rdflib import Graph
from timing import timed

from kgraph import resources
from kgraph.curate.dataset import load_dataset
from kgraph.graph.build import build_graph
from kgraph.graph.namespaces import Iris
from kgraph.views.analytics import compute_stats
from kgraph.views.kinds import DEFAULT_DEPTH
from kgraph.views.projection import VIEWS, project
from kgraph.views.render import write_all_views, write_view

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The ego views' focus: Pom Lót commune, by its id (vintage-code).
POM_LOT = "2024-03356"
#: (view, focus, file stem of the documentation screenshot)
PAGES = [
    ("hierarchy", None, "hierarchy"),
    ("people", None, "people"),
    ("indicators", None, "indicators"),
    ("sources", None, "sources"),
    ("ego", POM_LOT, "ego-pom-lot"),
    ("network", None, None),
]


def python_steps(graph: Graph, repeat: int) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name, spec in VIEWS.items():
            if spec.backbone:  # drawn from the backbone store, not from this graph
                continue
            focus = POM_LOT if spec.needs_focus else None
            what = f" (focus {focus}, depth {DEFAULT_DEPTH})" if focus else ""

            def projected(n: str = name, f: str | None = focus) -> Any:
                return project(graph, n, focus=f)

            def written(t: str, n: str = name, f: str | None = focus) -> Any:
                return write_view(graph, n, out / f"{n}.{t}", fmt=t, focus=f, max_nodes=1000)

            med, best, net = timed(projected, repeat)
            size = f"{net.number_of_nodes()} / {net.number_of_edges()}"
            rows.append((f"project `{name}`{what}", size, med, best))
            for fmt in ("html",) if spec.draw else ("graphml", "gexf"):
                med, best, _ = timed(lambda t=fmt: written(t), repeat)
                rows.append((f"write `{name}` ({fmt})", size, med, best))
        med, best, results = timed(lambda: write_all_views(graph, out / "all"), repeat)
        rows.append(("`kgraph view --all` (in-process)", f"{len(results)} files", med, best))
    med, best, _ = timed(lambda: compute_stats(graph), repeat)
    rows.append(("`kgraph stats` on `network` (in-process)", "", med, best))
    print("| step | nodes / edges | median (s) | best (s) |\n|---|---|---:|---:|")
    for step, size, m, b in rows:
        print(f"| {step} | {size} | {m:.3f} | {b:.3f} |")


def _hover(page: Any, node: str) -> None:
    """Zoom onto ``node``, hover it until its tooltip shows, and click it for the details."""
    x, y = page.evaluate(
        """(id) => {
            const net = window.kgraphView.network;
            net.focus(id, {scale: 2.2, animation: false});
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const r = document.getElementById('network').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        node,
    )
    page.mouse.click(x, y)
    page.mouse.move(x + 1, y + 1)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)


def browser_pages(graph: Graph, repeat: int, shots: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, focus, stem in PAGES:
            result = write_view(
                graph, name, Path(tmp) / f"{name}.html", focus=focus, max_nodes=1000
            )
            walls, settles = [], []
            for i in range(repeat):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.route(
                    "**/*",
                    lambda r: (
                        r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort()
                    ),
                )
                start = time.perf_counter()
                page.goto(result.path.as_uri())
                page.wait_for_selector(
                    "body[data-stabilized=true]", state="attached", timeout=120_000
                )
                walls.append(time.perf_counter() - start)
                settles.append(page.evaluate("() => window.kgraphView.stabilizedMs") / 1000)
                if shots is not None and stem is not None and i == 0:
                    shots.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(shots / f"view-{stem}.png"))
                    if stem == "indicators":
                        _hover(page, str(Iris().id("observation", "001-19")))
                        page.screenshot(path=str(shots / "view-indicators-tooltip.png"))
                page.close()
            label = name + (f" --focus {focus}" if focus else "")
            rows.append(
                (
                    label,
                    f"{result.nodes} / {result.edges}",
                    statistics.median(settles),
                    statistics.median(walls),
                )
            )
        browser.close()
    print("| page | nodes / edges | layout settles (s) | load to settled (s) |")
    print("|---|---|---:|---:|")
    for label, size, settle, wall in rows:
        print(f"| `{label}` | {size} | {settle:.2f} | {wall:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also time pages in Chromium")
    parser.add_argument("--screenshots", type=Path, default=None, help="save screenshots here")
    args = parser.parse_args()
    graph = build_graph(load_dataset(resources.data_dir()))
    print(f"graph: {len(graph)} triples\n")
    python_steps(graph, args.repeat)
    if args.browser or args.screenshots:
        print()
        browser_pages(graph, max(1, min(args.repeat, 3)), args.screenshots)


if __name__ == "__main__":
    main()
