"""One entity's page: what the template is given, from its description.

The page shows the labels in both languages, the kinds, the identifiers (a
GSO code with the list it belongs to), the sections of :mod:`sections`, every
statement, the quotes they rest on (each a link into its article, at the
quote), the indicator values (a chart slot for each indicator with several),
the posts a person held, what points here (paged), a small ego view and, for a
source, the article with every quote marked.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from kgraph.graph.namespaces import DCTERMS, KG, PREFIXES, SKOS, XSD
from kgraph.pages.article import mark_quotes
from kgraph.pages.describe import Description, Labels, Quote, Value
from kgraph.pages.ego import EgoView, ego_view
from kgraph.pages.html import render
from kgraph.pages.paths import Paths, anchor
from kgraph.pages.sections import (
    CODE_LISTS,
    DERIVED_FROM,
    KINDS,
    LIGHT_FACTS,
    LIGHT_KINDS,
    SECTIONS,
    SHOWN_ABOVE,
    TYPE,
)

#: rows of "what points here" per page
INBOUND_PAGE = 100
#: links a section lists before sending the reader to "what points here"
SECTION_LIMIT = 200
#: the formats of an entity's RDF on ``kgraph serve``: suffix -> name shown
RDF_SUFFIXES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples"}

#: a chart for one indicator's values: (description, indicator, values) -> HTML or None
ChartMaker = Any
#: the files of the site a page with charts links (kgraph.charts.html.site_files)
CHART_SCRIPTS = ("assets/vega.js", "assets/charts.js")
CHART_STYLE = "assets/charts.css"


def curie(iri: str) -> str:
    """A prefixed name for ``iri`` when a kgraph prefix covers it, else the IRI.

    >>> curie("https://kgraph.example.org/def/partOf"), curie("http://x.org/a")
    ('kg:partOf', 'http://x.org/a')
    """
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def inbound_pages(found: Description) -> int:
    """How many pages "what points here" takes (at least one)."""
    return max(1, math.ceil(len(found.inbound) / INBOUND_PAGE))


def is_light(found: Description, paths: Paths) -> bool:
    """Whether ``found`` is a backbone unit version or change with nothing curated about it.

    Those ~25,000 entities get the static site's light page: what the national
    unit lists say, without the statements table, ego view and inbound list.
    """
    return paths.kind(found.iri) in LIGHT_KINDS and not (
        found.quotes or found.values or found.holdings or found.cited
    )


def light_page(found: Description, paths: Paths, vocabulary: Mapping[str, Labels]) -> str:
    """The light page of ``found``: name, kind, code with its list, parent, parts, the reform."""
    here = paths.inbound_page(found.iri, 1)
    view = _Builder(found, paths, vocabulary, here)
    kind = paths.kind(found.iri)
    facts = [(p, o) for p, o in found.outbound if p in LIGHT_FACTS]
    return render(
        "light.html",
        here=here,
        iri=str(found.iri),
        root=paths.link(here, "browse/index.html"),
        css=paths.link(here, "assets/site.css"),
        search=paths.link(here, "browse/search.html"),
        label_vi=found.labels.get(found.iri, {}).get("vi") or found.label(found.iri),
        label_en=found.labels.get(found.iri, {}).get("en", ""),
        fallback=paths.rest(found.iri) or str(found.iri),
        kind=KINDS.get(kind, (kind, kind)),
        kind_href=paths.link(here, f"browse/{kind}.html"),
        types=[view.term(t) for t in found.objects(TYPE)],
        identifiers=view.identifiers(),
        sections=view.sections(),
        facts=[{"predicate": view.predicate(p), "value": view.term(o)} for p, o in facts],
        derived=[view.term(s) for s in found.objects(DERIVED_FROM)],
    )


def entity_page(
    found: Description,
    paths: Paths,
    vocabulary: Mapping[str, Labels],
    *,
    article: str | None = None,
    inbound: int = 1,
    chart: ChartMaker | None = None,
) -> str:
    """The HTML of page ``inbound`` of ``found`` (page 1 is the entity page itself).

    ``article`` is the text of a source article (its quotes are marked);
    ``chart`` makes the chart of one indicator's values (the values are shown
    as a table when it is None or gives None). Later pages hold the heading and
    their slice of "what points here" only: a dataset pointed at by 14,000 units
    has 140 of them, and each repeating the whole page made the site quadratic.
    """
    here = paths.inbound_page(found.iri, inbound)
    view = _Builder(found, paths, vocabulary, here)
    pages = inbound_pages(found)
    number = min(max(inbound, 1), pages)
    rows = found.inbound[(number - 1) * INBOUND_PAGE : number * INBOUND_PAGE]
    first = number == 1
    indicators = view.indicators(chart) if first else []
    charted = any(ind["chart"] for ind in indicators)
    context: dict[str, Any] = {
        "here": here,
        "iri": str(found.iri),
        "root": paths.link(here, "browse/index.html"),
        "css": paths.link(here, "assets/site.css"),
        "search": paths.link(here, "browse/search.html"),
        "label_vi": found.labels.get(found.iri, {}).get("vi") or found.label(found.iri),
        "label_en": found.labels.get(found.iri, {}).get("en", ""),
        "fallback": paths.rest(found.iri) or str(found.iri),
        "kind": KINDS.get(paths.kind(found.iri), (paths.kind(found.iri),) * 2),
        "kind_href": paths.link(here, f"browse/{paths.kind(found.iri)}.html"),
        "types": [view.term(t) for t in found.objects(TYPE)],
        "identifiers": view.identifiers() if first else [],
        "sections": view.sections() if first else [],
        "statements": view.statements() if first else [],
        "quotes": [view.quote(q) for q in found.quotes] if first else [],
        "derived": [
            view.term(s)
            for s in (found.objects(DERIVED_FROM) if first else ())
            if paths.kind(s) != "source"
        ],
        "indicators": indicators,
        "chart_scripts": [paths.link(here, s) for s in CHART_SCRIPTS] if charted else [],
        "chart_css": paths.link(here, CHART_STYLE) if charted else "",
        "script_src": "'self'" if charted else "'none'",
        "holdings": view.holdings() if first else [],
        "inbound": [{"node": view.term(s), "predicate": view.predicate(p)} for s, p in rows],
        "inbound_total": len(found.inbound),
        "inbound_page": number,
        "inbound_pages": pages,
        "inbound_links": {
            k: paths.link(here, paths.inbound_page(found.iri, k))
            for k in (1, number - 1, number + 1, pages)
            if 1 <= k <= pages
        },
        "ego": ego_view(found, paths, here, {k: v["curie"] for k, v in view.predicates.items()})
        if first
        else EgoView(0, 0, "", (), 0),
        "formats": _formats(paths, found.iri),
        "article": view.article(article) if first and paths.kind(found.iri) == "source" else None,
    }
    return render("entity.html", **context)


def _formats(paths: Paths, iri: URIRef) -> list[dict[str, str]]:
    rest = paths.rest(iri)
    if not paths.served or rest is None:
        return []
    return [
        {"href": f"/id/{rest}.{suffix}", "name": name, "suffix": suffix}
        for suffix, name in RDF_SUFFIXES.items()
    ]


class _Builder:
    """Turns the description's nodes into what the template shows: text, language, link."""

    def __init__(
        self, found: Description, paths: Paths, vocabulary: Mapping[str, Labels], here: str
    ):
        self.found = found
        self.paths = paths
        self.vocabulary = vocabulary
        self.here = here
        self.predicates: dict[str, dict[str, str]] = {}

    def term(self, node: Node) -> dict[str, str | None]:
        """A node as shown: its text and language, a link when it has a page."""
        if isinstance(node, Literal):
            datatype = node.datatype if node.datatype not in (None, XSD.string) else None
            return {
                "text": str(node),
                "lang": node.language,
                "en": None,
                "href": None,
                "note": curie(str(datatype)) if datatype else None,
            }
        text = str(node)
        labels = self.found.labels.get(node) or self.vocabulary.get(text) or {}
        shown = labels.get("vi") or labels.get("") or labels.get("en")
        # only pages of this site are links: the pages load and point to nothing elsewhere
        href = self.paths.entity(self.here, node)
        return {
            "text": shown or (self.paths.rest(node) or curie(text)),
            "lang": "vi" if labels.get("vi") and shown == labels.get("vi") else None,
            "en": labels.get("en") if labels.get("en") != shown else None,
            "href": href,
            "note": None if self.paths.rest(node) is not None or not shown else curie(text),
        }

    def predicate(self, predicate: Node) -> dict[str, str]:
        """A predicate as shown: its prefixed name and its ontology labels."""
        key = str(predicate)
        if key not in self.predicates:
            labels = self.vocabulary.get(key, {})
            self.predicates[key] = {
                "curie": curie(key),
                "vi": labels.get("vi", ""),
                "en": labels.get("en", ""),
            }
        return self.predicates[key]

    def identifiers(self) -> list[dict[str, str]]:
        found = []
        for code in self.found.objects(SKOS.notation):
            assert isinstance(code, Literal)
            vintage = CODE_LISTS.get(str(code.datatype), "")
            found.append({"code": str(code), "list": vintage, "vintage": ""})
        for ident in self.found.objects(DCTERMS.identifier):
            found.append({"code": str(ident), "list": "", "vintage": ""})
        for unit_list in self.found.objects(KG.vintage):
            found.append({"code": "", "list": "", "vintage": str(self.term(unit_list)["text"])})
        return found

    def sections(self) -> list[dict[str, Any]]:
        # one pass over the links, in the description's order (a dataset has 14,000 inbound)
        wanted: dict[tuple[str, URIRef], list[int]] = defaultdict(list)
        for number, section in enumerate(SECTIONS):
            for p in section.predicates:
                wanted[section.direction, p].append(number)
        found: list[list[tuple[Node, URIRef]]] = [[] for _ in SECTIONS]
        for p, o in self.found.outbound:
            for number in wanted.get(("out", p), ()):
                found[number].append((o, p))
        for s, p in self.found.inbound:
            for number in wanted.get(("in", p), ()):
                found[number].append((s, p))
        shown = []
        for section, nodes in zip(SECTIONS, found, strict=True):
            if not nodes:
                continue
            shown.append(
                {
                    "key": section.key,
                    "vi": section.vi,
                    "en": section.en,
                    "items": [
                        {"node": self.term(n), "predicate": self.predicate(p)}
                        for n, p in nodes[:SECTION_LIMIT]
                    ],
                    "more": max(0, len(nodes) - SECTION_LIMIT),
                }
            )
        return shown

    def statements(self) -> list[dict[str, Any]]:
        grouped: dict[URIRef, list[Node]] = defaultdict(list)
        for predicate, value in self.found.outbound:
            if predicate not in SHOWN_ABOVE:
                grouped[predicate].append(value)
        return [
            {"predicate": self.predicate(p), "values": [self.term(v) for v in values]}
            for p, values in grouped.items()
        ]

    def quote(self, quote: Quote) -> dict[str, Any]:
        source_page = self.paths.page(quote.source)
        return {
            "source": self.term(quote.source),
            "exact": quote.exact,
            "href": None
            if source_page is None
            else self.paths.link(self.here, f"{source_page}#{anchor(quote.evidence)}"),
            "fact": self.term(quote.fact),
        }

    def indicators(self, chart: ChartMaker | None) -> list[dict[str, Any]]:
        by_indicator: dict[URIRef, list[Value]] = defaultdict(list)
        for value in self.found.values:
            by_indicator[value.indicator].append(value)
        shown = []
        for indicator, values in by_indicator.items():
            several = len(values) > 1
            fragment = chart(self.found, indicator, values) if chart and several else None
            shown.append(
                {
                    "indicator": self.term(indicator),
                    "several": several,
                    "chart": fragment,
                    "key": self.paths.rest(indicator) or str(indicator),
                    "rows": [self._value(v) for v in values],
                }
            )
        return shown

    def _value(self, value: Value) -> dict[str, Any]:
        number = value.text or (str(value.value) if value.value is not None else "")
        if value.upper is not None:
            number += f"–{value.upper}"
        if value.denominator is not None:
            number += f"/{value.denominator}"
        return {
            "observation": self.term(value.observation),
            "period": self.term(value.period) if value.period else None,
            "value": number,
            "number": None if value.value is None else str(value.value),
            "unit": self.term(value.unit) if value.unit else None,
            "qualifier": self.term(value.qualifier) if value.qualifier else None,
            "quotes": [self.quote(q) for q in value.quotes],
        }

    def holdings(self) -> list[dict[str, Any]]:
        return [
            {
                "holding": self.term(h.holding),
                "role": self.term(h.role) if h.role else None,
                "organisation": self.term(h.organisation) if h.organisation else None,
                "period": self.term(h.period) if h.period else None,
                "start": h.start,
                "end": h.end,
            }
            for h in self.found.holdings
        ]

    def article(self, text: str | None) -> dict[str, Any]:
        if text is None:
            return {"text": False, "notes": [self._note_of(q) for q in self.found.cited]}
        marked = mark_quotes(text, self.found.cited)
        return {
            "text": True,
            "pieces": marked.pieces,
            "notes": [
                {
                    "number": note.number,
                    "exact": note.exact,
                    "anchor": note.anchors[0],
                    "facts": [self.term(f) for f in note.facts],
                }
                for note in marked.notes
            ],
            "missing": [self._note_of(q) for q in marked.missing],
        }

    def _note_of(self, quote: Quote) -> dict[str, Any]:
        return {"exact": quote.exact, "facts": [self.term(quote.fact)]}


__all__ = [
    "CHART_SCRIPTS",
    "CHART_STYLE",
    "INBOUND_PAGE",
    "RDF_SUFFIXES",
    "curie",
    "entity_page",
    "inbound_pages",
    "is_light",
    "light_page",
]
