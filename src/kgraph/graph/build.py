"""Stage 2: turn the checked curated data into the RDF knowledge graph.

``build_graph`` is the stage's one public function. It emits no blank nodes
and mints every IRI through :class:`kgraph.graph.namespaces.Iris`, so the same data
always gives the same graph, triple for triple.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph import __version__, resources
from kgraph.curate.dataset import Dataset
from kgraph.curate.tables import Row
from kgraph.curate.vn import Period, fold
from kgraph.graph import history
from kgraph.graph.backbone import list_triples, unit_triples, vintage_triples
from kgraph.graph.engine import to_rdflib
from kgraph.graph.kinds import DOCUMENT_CLASSES, ORG_CLASSES, PLACE_CLASSES, SCHEMES
from kgraph.graph.namespaces import (
    DCTERMS,
    KG,
    OA,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SDO,
    SKOS,
    TIME,
    XSD,
    Iris,
    bind_prefixes,
)
from kgraph.graph.quantities import comparable_triples, conversion_triples
from kgraph.graph.quantities import decimal_literal as _decimal


@dataclass
class _Builder:
    data: Dataset
    iris: Iris
    graph: Graph = field(default_factory=Graph)

    @cached_property
    def conversions(self) -> dict[str, Row]:
        """unit-conversions rows by unit id."""
        return {r["unit"]: r for r in self.data.table("unit-conversions")}

    # -- small helpers -------------------------------------------------------
    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.graph.add((s, p, o))

    def triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        for triple in triples:
            self.graph.add(triple)

    def labels(self, node: URIRef, vi: str, en: str) -> None:
        self.add(node, RDFS.label, Literal(vi, lang="vi"))
        self.add(node, RDFS.label, Literal(en, lang="en"))
        self.add(node, KG.searchKey, Literal(fold(vi)))
        if fold(en) != fold(vi):
            self.add(node, KG.searchKey, Literal(fold(en)))

    def note(self, node: URIRef, row: Row) -> None:
        if row["note"]:
            self.add(node, SKOS.note, Literal(row["note"], lang="en"))

    def entity(self, entity_id: str) -> URIRef:
        """The IRI of any row with an id, whatever its table.

        A province, district or commune is a unit version of the backbone:
        its IRI comes from its vintage and code, not from its curated id.
        """
        row = self.data.entities[entity_id]
        if row.table == "places" and row["gso_code"] is not None:
            return self.iris.unit(row["kind"], row["vintage"], row["gso_code"])
        return self.iris.id(self._kind(row), entity_id)

    def _kind(self, row: Row) -> str:
        table = row.table
        if table in ("places", "organisations"):
            return str(row["kind"])
        return {
            "sources": "source",
            "indicators": "indicator",
            "people": "person",
            "posts": "post",
            "terms": "term",
            "changes": "change",
            "documents": "document",
            "observations": "observation",
        }[table]

    def code(self, scheme: str, code_id: str | None) -> URIRef | None:
        return None if code_id is None else self.iris.id(scheme, code_id)

    def source(self, source_id: str) -> URIRef:
        return self.iris.id("source", source_id)

    def evidence(self, fact: URIRef, source_id: str, quote: str) -> None:
        """Link a fact to the exact passage of its article (Web Annotation)."""
        article = self.source(source_id)
        ev = self.iris.sub(fact, f"evidence/{source_id}")
        selector = self.iris.sub(ev, "quote")
        self.add(fact, KG.evidence, ev)
        self.add(fact, PROV.wasDerivedFrom, article)
        self.add(ev, RDF.type, OA.SpecificResource)
        self.add(ev, OA.hasSource, article)
        self.add(ev, OA.hasSelector, selector)
        self.add(selector, RDF.type, OA.TextQuoteSelector)
        self.add(selector, OA.exact, Literal(quote))

    def period(self, value: Period | str, source_id: str) -> URIRef:
        """The period node for a parsed period, or for 'current' in ``source_id``."""
        if value == "current":
            published = self.data.entities[source_id]["published"]
            if published is None:
                node = self.iris.id("period", f"at-publication-of-{source_id}")
                self.add(node, RDF.type, KG.Period)
                self.add(node, KG.atPublicationOf, self.source(source_id))
                self.add(node, RDFS.label, Literal(f"khi đăng bài {source_id}", lang="vi"))
                self.add(node, RDFS.label, Literal(f"at publication of {source_id}", lang="en"))
                return node
            day = published.date() if isinstance(published, datetime) else published
            value = Period(day, day, day.isoformat())
        assert isinstance(value, Period)
        node = self.iris.id("period", value.slug)
        self.add(node, RDF.type, KG.Period)
        self.add(node, RDF.type, TIME.ProperInterval)
        self.add(node, RDFS.label, Literal(value.label))
        self.add(node, KG.startDate, Literal(value.start, datatype=XSD.date))
        self.add(node, KG.endDate, Literal(value.end, datatype=XSD.date))
        for prop, day in ((TIME.hasBeginning, value.start), (TIME.hasEnd, value.end)):
            instant = self.iris.id("instant", day.isoformat())
            self.add(node, prop, instant)
            self.add(instant, RDF.type, TIME.Instant)
            self.add(instant, TIME.inXSDDate, Literal(day, datatype=XSD.date))
        return node

    # -- tables --------------------------------------------------------------
    def codes(self) -> None:
        for scheme, members in sorted(self.data.codes.items()):
            scheme_iri, cls = SCHEMES[scheme]
            for row in members.values():
                node = self.code(scheme, row["id"])
                assert node is not None
                self.add(node, RDF.type, SKOS.Concept)
                self.add(node, RDF.type, cls)
                self.add(node, SKOS.inScheme, scheme_iri)
                self.add(node, SKOS.notation, Literal(row["id"]))
                self.add(node, SKOS.prefLabel, Literal(row["label_vi"], lang="vi"))
                self.add(node, SKOS.prefLabel, Literal(row["label_en"], lang="en"))
                self.labels(node, row["label_vi"], row["label_en"])
                self.add(node, SKOS.definition, Literal(row["definition"], lang="en"))
                if row["symbol"]:
                    self.add(node, SKOS.altLabel, Literal(row["symbol"], lang="vi"))
                if row["exhaustive"] is not None:
                    self.add(node, KG.exhaustive, Literal(row["exhaustive"]))
        for row in self.data.table("unit-conversions"):
            canonical = self.iris.id("unit", row["canonical"])
            for triple in conversion_triples(self.iris.id("unit", row["unit"]), canonical, row):
                self.graph.add(triple)

    def indicators(self) -> None:
        for row in self.data.table("indicators"):
            node = self.entity(row["id"])
            self.add(node, RDF.type, KG.Indicator)
            self.add(node, RDF.type, SKOS.Concept)
            self.add(node, SKOS.inScheme, KG.indicators)
            self.add(node, SKOS.notation, Literal(row["id"]))
            self.add(node, SKOS.prefLabel, Literal(row["label_vi"], lang="vi"))
            self.add(node, SKOS.prefLabel, Literal(row["label_en"], lang="en"))
            self.labels(node, row["label_vi"], row["label_en"])
            self.add(node, SKOS.definition, Literal(row["definition"], lang="en"))
            self.add(node, KG.category, self.code("category", row["category"]))
            self.add(node, KG.defaultUnit, self.code("unit", row["unit"]))
            for prop, col in ((KG.minValue, "min"), (KG.maxValue, "max")):
                if row[col] is not None:
                    self.add(node, prop, _decimal(row[col]))
            self.add(node, KG.integral, Literal(row["integral"]))
            for prop, col in ((KG.componentOf, "component_of"), (KG.rateOf, "rate_of")):
                if row[col]:
                    self.add(node, prop, self.entity(row[col]))
            self.add(node, KG.sharePartition, self.code("partition", row["partition"]))
            self.note(node, row)

    def sources(self) -> None:
        for row in self.data.table("sources"):
            node = self.source(row["id"])
            self.add(node, RDF.type, KG.SourceArticle)
            self.add(node, RDF.type, SDO.NewsArticle)
            self.add(node, RDF.type, PROV.Entity)
            if row["title"]:
                self.add(node, DCTERMS.title, Literal(row["title"], lang=row["language"]))
            if row["title_en"]:
                self.add(node, DCTERMS.title, Literal(row["title_en"], lang="en"))
            # An excerpt that prints no title is labelled by its id, never by a made-up title.
            self.labels(
                node, row["title"] or f"bài {row['id']}", row["title_en"] or f"article {row['id']}"
            )
            self.add(node, DCTERMS.language, Literal(row["language"]))
            self.add(node, KG.sourceFile, Literal(row["file"]))
            self.add(node, DCTERMS.identifier, Literal(row["id"]))
            if row["publisher"]:
                self.add(node, DCTERMS.publisher, self.entity(row["publisher"]))
            if row["author"]:
                self.add(node, DCTERMS.creator, self.entity(row["author"]))
            published = row["published"]
            if published is not None:
                dtype = XSD.dateTime if isinstance(published, datetime) else XSD.date
                self.add(node, DCTERMS.issued, Literal(published, datatype=dtype))
            if row["url"]:
                self.add(node, SDO.url, URIRef(row["url"]))
            self.note(node, row)

    def official(self, triples: list[ox.Triple]) -> None:
        """Statements of the official lists (the backbone's own, term for term)."""
        for t in triples:
            self.graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))

    def places(self) -> None:
        admin = self.data.admin_units
        vintages: set[str] = set()
        for row in self.data.table("places"):
            node = self.entity(row["id"])
            code = row["gso_code"]
            if code is not None:
                unit = admin.get(row["vintage"], code)
                assert unit is not None
                for version in (unit, *admin.ancestors(unit)):
                    self.official(unit_triples(version, self.iris))
                vintages.add(unit.vintage)
            else:
                for cls in PLACE_CLASSES[row["kind"]]:
                    self.add(node, RDF.type, cls)
                self.add(node, SDO.name, Literal(row["name_vi"], lang="vi"))
                self.labels(node, row["name_vi"], row["name_en"])
                if row["parent"]:
                    self.add(node, KG.partOf, self.entity(row["parent"]))
            if row["source"]:
                self.evidence(node, row["source"], row["quote"])
                self.add(self.source(row["source"]), SDO.mentions, node)
            self.note(node, row)
        for vintage in sorted(vintages):
            self.official(list_triples(vintage, self.iris))
            self.official(vintage_triples(vintage, self.iris))

    def organisations(self) -> None:
        for row in self.data.table("organisations"):
            node = self.entity(row["id"])
            cls, standard, parent_prop = ORG_CLASSES[row["kind"]]
            self.add(node, RDF.type, cls)
            self.add(node, RDF.type, standard)
            self.add(node, SKOS.prefLabel, Literal(row["name_vi"], lang="vi"))
            self.labels(node, row["name_vi"], row["name_en"])
            if row["parent"]:
                self.add(node, parent_prop, self.entity(row["parent"]))
            if row["leads"]:
                self.add(node, KG.leadsArea, self.entity(row["leads"]))
            self.add(node, KG.cellKind, self.code("cell-kind", row["cell_kind"]))
            self.evidence(node, row["source"], row["quote"])
            self.add(self.source(row["source"]), SDO.mentions, node)
            self.note(node, row)

    def people(self) -> None:
        for row in self.data.table("people"):
            node = self.entity(row["id"])
            self.add(node, RDF.type, SDO.Person)
            self.add(node, RDF.type, PROV.Agent)
            self.add(node, SDO.name, Literal(row["name"], lang="vi"))
            self.labels(node, row["name"], row["name"])
            if row["honorific"]:
                self.add(node, SDO.honorificPrefix, Literal(row["honorific"], lang="vi"))
            self.evidence(node, row["source"], row["quote"])
            self.add(self.source(row["source"]), SDO.mentions, node)
            self.note(node, row)

    def posts(self) -> None:
        roles = self.data.codes["role"]
        for row in self.data.table("posts"):
            post = self.entity(row["id"])
            holding = self.iris.id("post-holding", row["id"])
            person, org = self.entity(row["person"]), self.entity(row["organisation"])
            role = self.code("role", row["role"])
            org_row = self.data.entities[row["organisation"]]
            person_row = self.data.entities[row["person"]]
            role_row = roles[row["role"]]
            self.add(post, RDF.type, ORG.Post)
            self.add(post, ORG.postIn, org)
            self.add(post, ORG.role, role)
            self.add(post, ORG.heldBy, person)
            self.labels(
                post,
                f"{role_row['label_vi']} – {org_row['name_vi']}",
                f"{role_row['label_en']}, {org_row['name_en']}",
            )
            self.add(holding, RDF.type, KG.PostHolding)
            self.add(holding, RDF.type, ORG.Membership)
            self.add(holding, ORG.member, person)
            self.add(holding, ORG.organization, org)
            self.add(holding, ORG.role, role)
            if row["as_of"] is not None:
                self.add(holding, KG.asOf, self.period(row["as_of"], row["source"]))
            if row["start"] is not None or row["end"] is not None:
                during = self.iris.sub(holding, "during")
                self.add(holding, ORG.memberDuring, during)
                self.triples(history.interval_triples(self.iris, during, row["start"], row["end"]))
            self.labels(
                holding,
                f"{person_row['name']}: {role_row['label_vi']} – {org_row['name_vi']}",
                f"{person_row['name']}: {role_row['label_en']}, {org_row['name_en']}",
            )
            self.evidence(post, row["source"], row["quote"])
            self.evidence(holding, row["source"], row["quote"])
            self.note(holding, row)

    def terms(self) -> None:
        """Terms (nhiệm kỳ) of organisations, and the congresses that opened them."""
        for row in self.data.table("terms"):
            term = self.entity(row["id"])
            org = self.entity(row["organisation"])
            org_row = self.data.entities[row["organisation"]]
            number, years = row["ordinal"], history.years(row)
            vi, en = history.term_names(row.raw["ordinal"], number, years)
            self.add(term, RDF.type, KG.Term)
            self.add(term, KG.termOf, org)
            self.labels(
                term,
                f"Nhiệm kỳ {vi} – {org_row['name_vi']}",
                f"{en}, {org_row['name_en']}",
            )
            if number is not None:
                self.add(term, KG.ordinal, Literal(number, datatype=XSD.positiveInteger))
            start, end = (history.year(row[c]) for c in ("start", "end"))
            self.triples(history.interval_triples(self.iris, term, start, end))
            self.evidence(term, row["source"], row["quote"])
            self.add(self.source(row["source"]), SDO.mentions, term)
            self.note(term, row)
            if row["congress"]:
                congress = self.iris.id("congress", row["id"])
                self.add(congress, RDF.type, KG.Congress)
                self.add(congress, RDF.type, SDO.Event)
                self.add(congress, KG.congressOf, org)
                self.add(congress, KG.opensTerm, term)
                if number is not None:
                    self.add(congress, KG.ordinal, Literal(number, datatype=XSD.positiveInteger))
                self.labels(
                    congress,
                    f"Đại hội {org_row['name_vi']} nhiệm kỳ {vi}",
                    f"Congress of the {org_row['name_en']}, {en}",
                )
                self.evidence(congress, row["source"], row["quote"])
                self.add(self.source(row["source"]), SDO.mentions, congress)

    def changes(self) -> None:
        """Founding, merger, split or abolition of a unit or organisation, as a source dates it."""
        for row in self.data.table("changes"):
            node = self.entity(row["id"])
            original, resulting = (
                self.entity(row[c]) if row[c] else None for c in ("original", "resulting")
            )
            subject = self.data.entities[row["resulting"] or row["original"]]
            on_place = subject.table == "places"
            self.triples(history.change_triples(node, row, original, resulting, on_place))
            self.labels(node, *history.change_names(row["kind"], *_name(subject), row["date"]))
            self.evidence(node, row["source"], row["quote"])
            self.add(self.source(row["source"]), SDO.mentions, node)
            self.note(node, row)

    def documents(self) -> None:
        for row in self.data.table("documents"):
            node = self.entity(row["id"])
            self.add(node, RDF.type, DOCUMENT_CLASSES[row["kind"]])
            self.add(node, RDF.type, SDO.CreativeWork)
            self.add(node, DCTERMS.title, Literal(row["title_vi"], lang="vi"))
            self.labels(node, _document_label(row), row["title_en"])
            if row["number"]:
                self.add(node, KG.documentNumber, Literal(row["number"]))
            if row["issued"] is not None:
                self.add(node, DCTERMS.issued, Literal(row["issued"].start, datatype=XSD.date))
            if row["issuer"]:
                self.add(node, DCTERMS.creator, self.entity(row["issuer"]))
            self.evidence(node, row["source"], row["quote"])
            self.add(self.source(row["source"]), DCTERMS.references, node)
            self.add(self.source(row["source"]), SDO.mentions, node)
            self.note(node, row)

    def mentions(self) -> None:
        for row in self.data.table("mentions"):
            node = self.entity(row["entity"])
            self.evidence(node, row["source"], row["quote"])
            self.add(self.source(row["source"]), SDO.mentions, node)
            if self.data.kind_of(row["entity"]) == "documents":
                self.add(self.source(row["source"]), DCTERMS.references, node)

    def observations(self) -> None:
        dataset = self.iris.id("dataset", "indicators")
        self.add(dataset, RDF.type, QB.DataSet)
        self.add(dataset, QB.structure, KG.dataStructure)
        self.labels(dataset, "Các chỉ tiêu từ bài báo nguồn", "Indicators from the source articles")
        for row in self.data.table("observations"):
            source_id = row.path.stem
            node = self.entity(row["id"])
            subject = self.entity(row["subject"])
            indicator = self.data.entities[row["indicator"]]
            subject_row = self.data.entities[row["subject"]]
            self.add(node, RDF.type, QB.Observation)
            self.add(node, QB.dataSet, dataset)
            self.add(node, KG.indicator, self.entity(row["indicator"]))
            on_place = subject_row.table == "places"
            self.add(node, SDMX_DIMENSION.refArea if on_place else KG.refOrganisation, subject)
            period = self.period(row["period"], source_id)
            self.add(node, SDMX_DIMENSION.refPeriod, period)
            self.add(node, SDMX_MEASURE.obsValue, _decimal(row["value"]))
            self.add(node, KG.valueText, Literal(row.raw["value"]))
            if row["value_max"] is not None:
                self.add(node, KG.upperValue, _decimal(row["value_max"]))
            conversion = self.conversions[row["unit"]]
            canonical = self.iris.id("unit", conversion["canonical"])
            for triple in comparable_triples(node, row, conversion, canonical):
                self.graph.add(triple)
            if row["denominator"] is not None:
                self.add(node, KG.denominator, _decimal(row["denominator"]))
            self.add(node, SDMX_ATTRIBUTE.unitMeasure, self.code("unit", row["unit"]))
            self.add(node, KG.qualifier, self.code("qualifier", row["qualifier"]))
            name = _name(subject_row)
            when = self.graph.value(period, RDFS.label, any=True)
            when_vi = "khi đăng bài" if self.graph.value(period, KG.atPublicationOf) else when
            when_en = "at publication" if self.graph.value(period, KG.atPublicationOf) else when
            self.labels(
                node,
                f"{indicator['label_vi']} – {name[0]} – {when_vi}",
                f"{indicator['label_en']} – {name[1]} – {when_en}",
            )
            self.evidence(node, source_id, row["quote"])
            self.note(node, row)


def _name(row: Row) -> tuple[str, str]:
    return (row["name_vi"], row["name_en"])


def _document_label(row: Row) -> str:
    kind_vi = {"decision": "Quyết định", "directive": "Chỉ thị", "resolution": "Nghị quyết"}
    number = row["number"]
    if number and row["kind"] in kind_vi:
        return f"{kind_vi[row['kind']]} số {number}"
    return str(row["title_vi"])


def build_graph(data: Dataset, iris: Iris | None = None, *, with_ontology: bool = True) -> Graph:
    """Build the knowledge graph of ``data`` (plus the ontology unless told otherwise).

    >>> from kgraph.curate.dataset import load_dataset
    >>> from kgraph import resources
    >>> g = build_graph(load_dataset(resources.data_dir()))
    >>> len(g) > 1000
    True
    """
    builder = _Builder(data, iris or Iris())
    bind_prefixes(builder.graph)
    if with_ontology:
        builder.graph.parse(resources.ontology_file(), format="turtle")
        # The package version is defined once, in pyproject.toml.
        builder.graph.add((KG.ontology, OWL.versionInfo, Literal(__version__)))
    for step in (
        builder.codes,
        builder.indicators,
        builder.sources,
        builder.places,
        builder.organisations,
        builder.people,
        builder.posts,
        builder.terms,
        builder.changes,
        builder.documents,
        builder.mentions,
        builder.observations,
    ):
        step()
    return builder.graph


__all__ = ["build_graph"]
