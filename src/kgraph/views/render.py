"""Writing views: a network from :func:`kgraph.views.projection.project` as HTML, GraphML or GEXF.

``FORMATS`` is the registry the CLI's choices come from; the HTML page is made
by :mod:`kgraph.views.html`, the exchange formats by :mod:`kgraph.views.formats`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph

from kgraph import resources
from kgraph.curate.vn import fold
from kgraph.errors import ViewError
from kgraph.files import sibling_links
from kgraph.graph.store import write_bytes
from kgraph.views.formats import gexf, graphml
from kgraph.views.html import DEFAULT_MAX_NODES, UI, asset, env, html_page
from kgraph.views.kinds import DEFAULT_DEPTH, VIEWS
from kgraph.views.projection import project


#: Views drawn with more nodes than this stop with a message suggesting --focus.
@dataclass(frozen=True)
class ViewResult:
    """One written file: which view, where, and how many nodes and edges it holds."""

    name: str
    path: Path
    nodes: int
    edges: int
    title: str = ""


FORMATS: dict[str, Callable[[nx.MultiDiGraph, int], bytes]] = {
    "html": html_page,
    "graphml": graphml,
    "gexf": gexf,
}


def _file_name(g: nx.MultiDiGraph, fmt: str) -> str:
    focus = g.graph.get("focus")
    stem = g.graph["view"] + (f"-{g.nodes[focus]['key']}" if focus else "")
    return f"{stem}.{fmt}"


# -- public ----------------------------------------------------------------------------------------


def write_view(
    graph: Graph,
    name: str,
    out: Path | None = None,
    *,
    fmt: str = "html",
    lang: str = "vi",
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> ViewResult:
    """Draw view ``name`` of ``graph`` as ``fmt`` into ``out`` (default build/views/...).

    Raises :class:`ViewError` (nothing written) for an unknown view or format,
    an entity ``focus`` cannot find, or an HTML view over ``max_nodes``.

    >>> import tempfile
    >>> from kgraph.graph.build import build_graph
    >>> from kgraph.curate.dataset import load_dataset
    >>> graph = build_graph(load_dataset(resources.data_dir()))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     result = write_view(graph, "ego", Path(tmp) / "ego.html", focus="Pom Lót", depth=1)
    ...     result.path.read_bytes().startswith(b"<!DOCTYPE html>")
    True
    """
    if fmt not in FORMATS:
        raise ViewError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    g = project(graph, name, lang=lang, focus=focus, depth=depth)
    data = FORMATS[fmt](g, max_nodes)
    path = out or resources.default_build_dir() / "views" / _file_name(g, fmt)
    write_bytes(path, lambda: data)
    return ViewResult(name, path, g.number_of_nodes(), g.number_of_edges(), g.graph["title"])


def write_all_views(
    graph: Graph, out_dir: Path, *, lang: str = "vi", max_nodes: int = DEFAULT_MAX_NODES
) -> list[ViewResult]:
    """Every view, its GraphML and GEXF, an ego view per district and commune, and index.html.

    Everything is drawn in memory first and written only when all of it
    succeeded. A view over ``max_nodes`` is listed in the index as too large
    (its exports are still written) instead of failing the main job.
    """
    files: dict[str, bytes] = {}
    results: list[ViewResult] = []
    entries: list[dict[str, Any]] = []
    ui = UI[lang]
    for name, spec in VIEWS.items():
        if not spec.whole_graph:
            continue
        g = project(graph, name, lang=lang)
        entry = {
            "name": name,
            "title": g.graph["title"],
            "question": g.graph["question"],
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "html": None,
            "note": None,
            "exports": [],
        }
        for fmt in FORMATS:
            if fmt == "html" and not spec.draw:
                continue
            file = _file_name(g, fmt)
            try:
                files[file] = FORMATS[fmt](g, max_nodes)
            except ViewError:
                if fmt != "html":
                    raise
                entry["note"] = ui["too_large"].format(n=g.number_of_nodes(), limit=max_nodes)
                continue
            entry["html" if fmt == "html" else "exports"] = (
                file if fmt == "html" else [*entry["exports"], file]
            )
            results.append(
                ViewResult(
                    name, out_dir / file, g.number_of_nodes(), g.number_of_edges(), g.graph["title"]
                )
            )
        entries.append(entry)
    network = project(graph, "network", lang=lang)
    egos: list[dict[str, Any]] = []
    for kind in ("district", "commune"):
        units = sorted(
            (fold(d["title"]), d["title"], n)
            for n, d in network.nodes(data=True)
            if d["kind"] == kind
        )
        for _, title, node in units:
            g = project(graph, "ego", lang=lang, focus=node)
            file = _file_name(g, "html")
            try:
                files[file] = html_page(g, max_nodes)
            except ViewError:
                egos.append(
                    {
                        "title": title,
                        "kind": g.nodes[node]["kind_label"],
                        "html": None,
                        "nodes": g.number_of_nodes(),
                        "edges": g.number_of_edges(),
                        "note": ui["too_large"].format(n=g.number_of_nodes(), limit=max_nodes),
                    }
                )
                continue
            egos.append(
                {
                    "title": title,
                    "kind": g.nodes[node]["kind_label"],
                    "html": file,
                    "nodes": g.number_of_nodes(),
                    "edges": g.number_of_edges(),
                    "note": None,
                }
            )
            results.append(
                ViewResult(
                    "ego",
                    out_dir / file,
                    g.number_of_nodes(),
                    g.number_of_edges(),
                    f"{g.graph['title']}: {title}",
                )
            )
    files["index.html"] = (
        env()
        .get_template("index.html")
        .render(
            lang=lang,
            ui=ui,
            entries=entries,
            egos=egos,
            # the charts and the entity pages, when they were written beside the views
            see_also=[
                {"href": href, "title": ui[name]}
                for name, href in sibling_links(out_dir, ("charts", "site")).items()
            ],
            app_css=asset(resources.templates_dir() / "view.css", "</style"),
        )
        .encode("utf-8")
    )
    results.append(ViewResult("index", out_dir / "index.html", 0, 0, ui["index"]))
    for file, data in files.items():
        write_bytes(out_dir / file, lambda data=data: data)  # type: ignore[misc]
    return results


__all__ = ["DEFAULT_MAX_NODES", "FORMATS", "UI", "ViewResult", "write_all_views", "write_view"]
