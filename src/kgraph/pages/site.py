"""The pages of one graph: entity pages, indexes per kind, the search page; read once, shared.

:class:`Site` is what ``kgraph site`` writes to files and what ``kgraph
serve`` answers from: the same templates, the same description of each
entity, only the links differ (relative in files, root-relative when served;
see :mod:`kgraph.pages.paths`). Article texts come from the curated data
folder (``kg:sourceFile`` names the file in ``<data>/sources/``); a source
whose file is missing still gets its page, with its quotes listed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup
from rdflib import Literal, URIRef

from kgraph import resources
from kgraph.charts.fragment import chart_fragment
from kgraph.curate.vn import fold
from kgraph.errors import ChartError
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import KG, Iris
from kgraph.pages.describe import Description, Labels, Reader, run_page_query
from kgraph.pages.entity import entity_page, inbound_pages, is_light, light_page
from kgraph.pages.html import asset, render
from kgraph.pages.paths import Paths
from kgraph.pages.sections import CODE_LISTS, KINDS

#: rows of a kind's index page
KIND_PAGE = 500


@dataclass(frozen=True)
class Entry:
    """One entity as the indexes and the search list it."""

    iri: URIRef
    rest: str
    kind: str
    vi: str
    en: str
    alt: str
    code: str
    vintage: str


def has_page(rest: str) -> bool:
    """Whether ``<kind>/<slug>`` gets a page of its own in the static site.

    Nodes below an entity (``…/evidence/<source>`` and its ``/quote``) are
    shown on their entity's page, not on pages of their own.

    >>> has_page("commune/2024-03356"), has_page("commune/x/evidence/001_a")
    (True, False)
    """
    return rest.count("/") == 1


class Site:
    """The pages of ``store``: ``served`` for ``kgraph serve``, else for static files."""

    def __init__(
        self,
        store: GraphStore,
        iris: Iris | None = None,
        *,
        data_dir: Path | None = None,
        served: bool = False,
    ) -> None:
        self.store = store
        self.iris = iris or Iris()
        self.data_dir = data_dir or resources.data_dir()
        self.served = served
        self.reader = Reader(store, self.iris, whole=not served)
        self._charts: dict[tuple[URIRef, URIRef], Markup | None] = {}

    @cached_property
    def entries(self) -> list[Entry]:
        """Every entity with a page, sorted by IRI (static: from the statements read once)."""
        probe = Paths(self.iris)
        found = []
        if self.served:
            prefix = Literal(self.iris.prefix)
            rows: list[dict[str, Any]] = run_page_query(
                self.store, "entities", prefix=prefix
            ).dicts()
        else:
            rows = self.reader.statements.entities(self.iris.prefix)
        for row in rows:
            iri = row["entity"]
            rest = probe.rest(iri)
            if not isinstance(iri, URIRef) or rest is None or not has_page(rest):
                continue
            found.append(
                Entry(
                    iri=iri,
                    rest=rest,
                    kind=rest.split("/", 1)[0],
                    vi=_text(row.get("label_vi")),
                    en=_text(row.get("label_en")),
                    alt=_text(row.get("alt_label")),
                    code=_text(row.get("notation")),
                    vintage=CODE_LISTS.get(_text(row.get("code_type")), ""),
                )
            )
        return found

    @cached_property
    def paths(self) -> Paths:
        """Links for this way of publishing; the static site links only to pages it has."""
        if self.served:
            return Paths(self.iris, served=True)
        return Paths(self.iris, pages=frozenset(str(e.iri) for e in self.entries))

    @cached_property
    def vocabulary(self) -> dict[str, Labels]:
        """Labels of classes, properties and code values (the ontology's), by IRI."""
        found: dict[str, Labels] = {}
        rows = run_page_query(self.store, "vocabulary", prefix=Literal(self.iris.prefix))
        for row in rows.dicts():
            labels = {lang: _text(row.get(f"term_{lang}")) for lang in ("vi", "en")}
            found[str(row["term"])] = {k: v for k, v in labels.items() if v}
        return found

    @cached_property
    def kinds(self) -> dict[str, list[Entry]]:
        """Entries by kind, kinds sorted."""
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            grouped[entry.kind].append(entry)
        return dict(sorted(grouped.items()))

    # -- pages ------------------------------------------------------------------------------
    def describe(self, iri: URIRef) -> Description:
        """What the graph says about ``iri`` (a QueryError when it says nothing)."""
        return self.reader.describe(iri)

    def entity_html(self, found: Description, inbound: int = 1) -> str:
        """Page ``inbound`` of an entity (1: the entity page; later: more of what points here).

        In the static site a backbone unit version or change with nothing
        curated about it gets the light page (one page, no "what points here").
        """
        if self.light(found):
            return light_page(found, self.paths, self.vocabulary)
        return entity_page(
            found,
            self.paths,
            self.vocabulary,
            article=self._article(found),
            inbound=inbound,
            chart=self.chart,
        )

    def chart(self, found: Description, indicator: URIRef, values: object) -> Markup | None:
        """The time-series chart of ``indicator`` on ``found``'s page (None: nothing dated to draw).

        The chart is drawn by the site's ``assets/vega.js`` and ``charts.js``
        (see :attr:`charted`), so the page allows scripts from its own site only.
        """
        key = (found.iri, indicator)
        if key not in self._charts:
            try:
                made = chart_fragment(
                    self.store, str(found.iri), str(indicator), iris=self.iris, strict=True
                )
            except ChartError:  # no dated figure: the table below shows the values
                self._charts[key] = None
            else:
                self._charts[key] = Markup(made.html)
        return self._charts[key]

    @property
    def charted(self) -> bool:
        """Whether a page made so far holds a chart (the site then needs the chart files)."""
        return any(self._charts.values())

    def home_html(self) -> str:
        here = "browse/index.html"
        kinds = [
            {
                "href": self.paths.link(here, self.kind_page(kind, 1)),
                "vi": KINDS.get(kind, (kind, kind))[0],
                "en": KINDS.get(kind, (kind, kind))[1],
                "count": len(entries),
            }
            for kind, entries in self.kinds.items()
        ]
        return render("home.html", kinds=kinds, total=len(self.entries), **self._chrome(here))

    def kind_pages(self, kind: str) -> int:
        """How many index pages ``kind`` takes (0 for a kind with no entities)."""
        return math.ceil(len(self.kinds.get(kind, [])) / KIND_PAGE)

    def kind_html(self, kind: str, number: int = 1) -> str:
        """Index page ``number`` of ``kind``: its entities with their names and codes."""
        here = self.kind_page(kind, number)
        entries = self.kinds.get(kind, [])
        pages = self.kind_pages(kind)
        rows = entries[(number - 1) * KIND_PAGE : number * KIND_PAGE]
        return render(
            "kind.html",
            kind=KINDS.get(kind, (kind, kind)),
            total=len(entries),
            page=number,
            pages=pages,
            page_links=[
                {"number": k, "href": self.paths.link(here, self.kind_page(kind, k))}
                for k in range(1, pages + 1)
            ],
            entries=[
                {
                    "href": self.paths.entity(here, e.iri),
                    "vi": e.vi or e.alt,
                    "en": e.en,
                    "rest": e.rest,
                    "code": e.code,
                    "list": e.vintage,
                }
                for e in rows
            ],
            **self._chrome(here),
        )

    def search_html(self) -> str:
        """The search page: the index and the script inline, allowed by their hash."""
        here = "browse/search.html"
        index = [
            [
                self.paths.entity(here, e.iri) or "",
                e.vi or e.alt or e.rest,
                e.en,
                KINDS.get(e.kind, (e.kind, e.kind))[0],
                e.code,
                fold(" ".join((e.vi, e.en, e.alt, e.code, e.rest))),
            ]
            for e in self.entries
        ]
        script = asset("search.js").decode("utf-8")
        digest = hashlib.sha256(script.encode("utf-8")).digest()
        return render(
            "search.html",
            index=_json_in_html(index),
            script=Markup(script),
            script_src=f"'sha256-{_b64(digest)}'",
            **self._chrome(here),
        )

    def not_found_html(self, path: str) -> str:
        """The page for an address with no page behind it."""
        return render("not-found.html", path=path, **self._chrome("browse/not-found.html"))

    def root_html(self) -> str:
        """``index.html`` at the site's top: a pointer to the indexes and the search."""
        return render("root.html")

    # -- helpers ----------------------------------------------------------------------------
    def kind_page(self, kind: str, number: int) -> str:
        """The site path of index page ``number`` of ``kind``."""
        return f"browse/{kind}.html" if number <= 1 else f"browse/{kind}-{number}.html"

    def _chrome(self, here: str) -> dict[str, str]:
        return {
            "here": here,
            "root": self.paths.link(here, "browse/index.html"),
            "css": self.paths.link(here, "assets/site.css"),
            "search": self.paths.link(here, "browse/search.html"),
        }

    def _article(self, found: Description) -> str | None:
        """The text of a source article, when ``found`` is one and its file is there."""
        if self.paths.kind(found.iri) != "source":
            return None
        for name in found.objects(KG.sourceFile):
            path = self.data_dir / "sources" / str(name)
            if path.is_file():
                return path.read_text(encoding="utf-8")
        return None

    def light(self, found: Description) -> bool:
        """Whether ``found`` gets the light page (static site only: served pages are whole)."""
        return not self.served and is_light(found, self.paths)

    def inbound_pages(self, found: Description) -> int:
        """How many pages of "what points here" ``found`` has (a light page has one)."""
        return 1 if self.light(found) else inbound_pages(found)


def _text(node: object) -> str:
    return "" if node is None else str(node)


def _json_in_html(data: object) -> Markup:
    """JSON that is safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


__all__ = ["KIND_PAGE", "Entry", "Site", "has_page"]
