"""``kgraph site``: the whole static site written into one folder, replaced whole or not at all.

An entity ``<base>/id/<kind>/<slug>`` is the file ``id/<kind>/<slug>.html``:
a static host that serves ``x.html`` for ``/x`` (GitHub Pages, Netlify, nginx
with ``try_files $uri $uri.html``) then answers at the IRI's own path, as
``kgraph serve`` does. Pages are written in IRI order with nothing that varies
between runs (no dates, no random ids), so two runs give the same bytes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from kgraph.charts.html import site_files
from kgraph.files import atomic_folder
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.pages.html import ASSETS, asset
from kgraph.pages.site import Site


@dataclass(frozen=True)
class SiteSummary:
    """What ``kgraph site`` wrote: where, how many pages of each sort, how long it took."""

    folder: Path
    entities: int
    pages: int
    kinds: int
    seconds: float


def write_site(
    store: GraphStore,
    out: Path,
    *,
    iris: Iris | None = None,
    data_dir: Path | None = None,
) -> SiteSummary:
    """Write every page of ``store`` into ``out`` (replaced whole; nothing half-written).

    ``data_dir`` is the curated data folder whose ``sources/`` hold the
    articles' texts (default: the project's ``data/``).
    """
    started = time.monotonic()
    site = Site(store, iris, data_dir=data_dir)
    written = 0
    with atomic_folder(Path(out)) as folder:

        def put(path: str, text: str) -> None:
            nonlocal written
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written += 1

        for name in ASSETS:
            (folder / "assets").mkdir(exist_ok=True)
            (folder / "assets" / name).write_bytes(asset(name))
        put("index.html", site.root_html())
        put("browse/index.html", site.home_html())
        put("browse/search.html", site.search_html())
        put("browse/not-found.html", site.not_found_html(""))
        for kind in site.kinds:
            for number in range(1, site.kind_pages(kind) + 1):
                put(site.kind_page(kind, number), site.kind_html(kind, number))
        for entry in site.entries:
            found = site.describe(entry.iri)
            for number in range(1, site.inbound_pages(found) + 1):
                put(site.paths.inbound_page(entry.iri, number), site.entity_html(found, number))
        if site.charted:  # once per site, linked by every page with a chart
            for name, text in site_files().items():
                (folder / "assets" / name).write_text(text, encoding="utf-8")
    return SiteSummary(
        folder=Path(out),
        entities=len(site.entries),
        pages=written,
        kinds=len(site.kinds),
        seconds=time.monotonic() - started,
    )


__all__ = ["SiteSummary", "write_site"]
