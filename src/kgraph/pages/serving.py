"""Entity pages on ``kgraph serve``: each IRI's path answers HTML or RDF, as the client asks.

``/id/<kind>/<slug>`` answers the entity page to a browser and Turtle,
N-Triples or JSON-LD to a client whose ``Accept`` header prefers one (the
``.ttl``, ``.nt``, ``.jsonld`` and ``.html`` suffixes ask without a header),
with ``Vary: Accept`` so caches keep them apart — what the W3C "Cool URIs for
the Semantic Web" and "Best Practices for Publishing Linked Data" describe. An
IRI the graph does not know gets a 404 page. ``/browse/…`` serves the indexes
and the search page, ``/assets/site.css`` the style sheet and
``/assets/vega.js``, ``charts.js``, ``charts.css`` what the charts need. The endpoint's own
routes (``/sparql``, ``/query/…``) never reach this handler.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import URIRef

from kgraph.charts.html import site_files
from kgraph.errors import QueryError
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.pages.describe import page_query
from kgraph.pages.html import ASSETS, asset
from kgraph.pages.site import Site
from kgraph.sparql.answer import SENT_AS, Answer, negotiate
from kgraph.sparql.embedded import StoreEngine
from kgraph.sparql.results import render

#: media type a client may ask for -> the format the entity is sent in
OFFERED: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
}
#: suffix of an entity's address -> the format it names
SUFFIXES: dict[str, str] = {"html": "html", "ttl": "turtle", "nt": "ntriples", "jsonld": "jsonld"}
#: the charts' shared files (kgraph.charts.html.site_files) -> their media types
CHART_FILES = {
    "vega.js": "text/javascript",
    "charts.js": "text/javascript",
    "charts.css": "text/css",
}
_KIND_PAGE = re.compile(r"/browse/([a-z0-9-]+?)(?:-([0-9]+))?\.html")


class PageHandler:
    """Answers the pages' paths of ``kgraph serve`` (None for a path that is not one)."""

    def __init__(
        self,
        store: GraphStore,
        iris: Iris | None = None,
        data_dir: Path | None = None,
        chart_files: Mapping[str, str] | None = None,
    ):
        """``chart_files`` is :func:`~kgraph.charts.html.site_files`, made by the caller.

        The endpoint's workers run under a memory cap that the JavaScript engine
        behind ``site_files`` (vl-convert) cannot start in, so ``kgraph serve``
        makes the files once in the server and hands them to every worker.
        """
        self.site = Site(store, iris, data_dir=data_dir, served=True)
        self.iris = self.site.iris
        self.chart_files = dict(chart_files) if chart_files is not None else site_files()

    def __call__(self, path: str, environ: Mapping[str, Any]) -> Answer | None:
        """The answer for ``path``, or None when the path is not the pages' to answer."""
        if path.startswith("/id/"):
            return self.entity(path, environ)
        if path.startswith("/assets/") and path[len("/assets/") :] in ASSETS:
            return Answer(200, "text/css", asset(path[len("/assets/") :]))
        if path.startswith("/assets/") and path[len("/assets/") :] in CHART_FILES:
            name = path[len("/assets/") :]
            return Answer(200, CHART_FILES[name], self.chart_files[name].encode("utf-8"))
        if path == "/browse/index.html":
            return _html(200, self.site.home_html())
        if path == "/browse/search.html":
            return _html(200, self.site.search_html())
        match = _KIND_PAGE.fullmatch(path)
        if match and match.group(1) in self.site.kinds:
            number = int(match.group(2) or 1)
            if 1 <= number <= self.site.kind_pages(match.group(1)):
                return _html(200, self.site.kind_html(match.group(1), number))
        if path.startswith("/browse/"):
            return _html(404, self.site.not_found_html(path))
        return None

    def entity(self, path: str, environ: Mapping[str, Any]) -> Answer:
        """An entity's page or its RDF, as the suffix or the Accept header asks."""
        rest = urllib.parse.unquote(path[len("/id/") :])
        stem, dot, suffix = rest.rpartition(".")
        fmt = SUFFIXES.get(suffix) if dot else None
        if fmt is not None:
            rest = stem
        iri = URIRef(self.iris.prefix + rest)
        if self.site.paths.rest(iri) is None or not self.site.reader.known(iri):
            return _html(404, self.site.not_found_html(path))
        if fmt is None:
            media = negotiate(environ.get("HTTP_ACCEPT", "*/*"), OFFERED, "text/html")
            if media is None:
                offered = ", ".join(OFFERED)
                return Answer(406, "text/plain", f"{path} is offered as {offered}\n".encode())
            fmt = OFFERED[media]
            location = f"/id/{rest}.{_suffix(fmt)}"
        else:
            location = ""
        headers = (("Content-Location", location),) if location else ()
        if fmt == "html":
            query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
            number = _number(query.get("inbound", ["1"])[-1])
            found = self.site.describe(iri)
            if not 1 <= number <= self.site.inbound_pages(found):
                return _html(404, self.site.not_found_html(path))
            body = self.site.entity_html(found, number).encode("utf-8")
            return Answer(200, "text/html", body, headers=headers)
        result = StoreEngine(self.site.store).run(page_query("rdf"), {"entity": (iri,)})
        return Answer(200, SENT_AS[fmt], render(result, fmt).encode("utf-8"), headers=headers)


def _suffix(fmt: str) -> str:
    return next(s for s, f in SUFFIXES.items() if f == fmt)


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise QueryError(f"inbound={text!r}: give a page number") from None


def _html(status: int, text: str) -> Answer:
    return Answer(status, "text/html", text.encode("utf-8"))


__all__ = ["OFFERED", "SUFFIXES", "PageHandler"]
