"""The dataset's own description, in VoID and DCAT, computed from the graph.

Integrators read it before loading anything: what the dataset is, who made
it, under which licence, from which articles, how big it is and which
vocabularies it uses. Every number is counted from the graph it describes,
never typed by hand, and the issue date is given or taken from the sources
(never "now"), so describing the same graph twice gives the same triples.

The DCAT part conforms to DCAT-AP 3.0.0 (SEMIC's SHACL shapes, run in the
tests): every value the profile constrains to a class carries that class
(``dct:LicenseDocument``, ``dct:MediaType``, ``dct:LinguisticSystem``,
``skos:Concept``, ``dct:Location``, ``vcard:Kind``, ``rdfs:Resource`` for URLs),
because validators check ``rdf:type`` without inference. The VoID part is kept
for SPARQL tooling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, metadata
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph import __version__
from kgraph.curate.vn import fold
from kgraph.errors import InputError
from kgraph.graph.layout import GraphLayout
from kgraph.graph.namespaces import (
    DCAT,
    DCAT_VERSION,
    DCTERMS,
    EU_LANGUAGE,
    FOAF,
    KG,
    LICENSE_MIT,
    MEDIA_TYPES,
    OWL,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SDO,
    SKOS,
    VCARD,
    VOID,
    XSD,
    Iris,
    bind_prefixes,
)

TITLE = {
    "vi": "kgraph: đồ thị tri thức về tổ chức Đảng Cộng sản Việt Nam và phát triển địa phương",
    "en": "kgraph: a knowledge graph of Vietnamese Communist Party organisations and local"
    " development",
}
DESCRIPTION = {
    "vi": "Tổ chức đảng, cấp ủy, chi bộ, cán bộ, đơn vị hành chính và {observations} số liệu"
    " chỉ tiêu, lấy từ {articles} bài báo tiếng Việt; mỗi dữ kiện dẫn bài báo nguồn và câu"
    " trích nguyên văn.",
    "en": "Party organisations, committees, cells, officials, administrative units and"
    " {observations} indicator values, taken from {articles} Vietnamese news articles; every"
    " fact cites its article and the exact quote.",
}
RIGHTS = {
    "vi": "Mã nguồn và các bảng dữ liệu đã biên soạn: giấy phép MIT. Các đoạn trích (oa:exact)"
    " được dẫn nguyên văn từ các bài báo đã đăng; bản quyền các bài báo thuộc về cơ quan đăng"
    " tải. Danh mục đơn vị hành chính: giấy phép MIT (xem data/admin-units/).",
    "en": "Code and curated tables: MIT licence. The quotes (oa:exact) are cited verbatim from"
    " published news articles, whose copyright stays with their publishers. Administrative"
    " unit lists: MIT licence (see data/admin-units/).",
}
KEYWORDS = {
    "vi": ("tổ chức cơ sở đảng", "chi bộ", "đảng viên", "phát triển kinh tế - xã hội"),
    "en": ("grassroots party organisation", "party cell", "party members", "local development"),
}
#: The description's languages, as DCAT-AP wants them: EU language authority IRIs.
LANGUAGES = {"vi": EU_LANGUAGE.VIE, "en": EU_LANGUAGE.ENG}
#: Classes whose best-connected instance is named as a ``void:exampleResource``.
EXAMPLE_CLASSES = (
    KG.Commune,
    KG.DistrictPartyOrganisation,
    KG.GrassrootsPartyCommittee,
    QB.Observation,
    SDO.Person,
    KG.SourceArticle,
)
#: Subset titles for the fixed named graphs, by the graph's name.
GRAPH_TITLES = {
    "ontology": ("Ontology kgraph", "The kgraph ontology"),
    "shapes": ("Ràng buộc SHACL", "SHACL shapes"),
    "reference": (
        "Dữ liệu tham chiếu: danh mục mã, chỉ tiêu, kỳ, mô tả bài báo",
        "Reference data: code lists, indicators, periods, source descriptions",
    ),
}


@dataclass(frozen=True)
class Distribution:
    """One file of a release, as the description lists it (path relative to the release).

    ``rdf`` marks a dump of the whole dataset (listed as ``void:dataDump``).
    """

    path: str
    media_type: str
    size: int | None = None
    rdf: bool = False


def describe_dataset(
    graph: Graph,
    iris: Iris | None = None,
    *,
    layout: GraphLayout | None = None,
    issued: date | None = None,
    endpoint: str | None = None,
    distributions: Sequence[Distribution] = (),
    download_base: str | None = None,
) -> Graph:
    """A VoID + DCAT description of ``graph`` (the built graph, ontology included).

    ``layout`` adds one ``void:subset`` per named graph of the TriG/N-Quads
    export; ``issued`` defaults to the latest publication date of the source
    articles; ``endpoint`` (a running ``kgraph serve``) and ``download_base``
    (where the release files are published) are stated only when given. Each
    distribution's ``dcat:accessURL`` and ``dcat:downloadURL`` are both
    ``<download_base>/<path>``: one base for both, so they never disagree.

    >>> from kgraph.curate.dataset import load_dataset
    >>> from kgraph.graph.build import build_graph
    >>> from kgraph import resources
    >>> g = build_graph(load_dataset(resources.data_dir()))
    >>> d = describe_dataset(g)
    >>> d.value(Iris().dataset, VOID.triples).toPython() == len(g)
    True
    """
    iris = iris or Iris()
    for what, url in (("endpoint", endpoint), ("download URL", download_base)):
        if url is not None:
            _check_url(what, url)
    out = Graph()
    bind_prefixes(out)
    out.bind("vcard", VCARD)
    ds = iris.dataset
    _Describer(graph, out, iris, ds).run(
        layout,
        issued,
        endpoint,
        distributions,
        download_base.rstrip("/") if download_base else None,
    )
    return out


@dataclass
class _Describer:
    graph: Graph
    out: Graph
    iris: Iris
    ds: URIRef

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.out.add((s, p, o))

    def run(
        self,
        layout: GraphLayout | None,
        issued: date | None,
        endpoint: str | None,
        distributions: Sequence[Distribution],
        download_base: str | None,
    ) -> None:
        self.about(issued or _latest_publication(self.graph))
        self.counts()
        self.coverage()
        self.sources()
        if layout is not None:
            self.subsets(layout)
        for dist in distributions:
            self.distribution(dist, download_base)
        if endpoint:
            self.service(URIRef(endpoint))

    def about(self, issued: date | None) -> None:
        g, ds = self.graph, self.ds
        for cls in (VOID.Dataset, DCAT.Dataset, PROV.Entity):
            self.add(ds, RDF.type, cls)
        counts = {
            "observations": len(set(g.subjects(RDF.type, QB.Observation))),
            "articles": len(set(g.subjects(RDF.type, KG.SourceArticle))),
        }
        for lang in ("vi", "en"):
            self.add(ds, DCTERMS.title, Literal(TITLE[lang], lang=lang))
            self.add(ds, RDFS.label, Literal(TITLE[lang], lang=lang))
            self.add(
                ds, DCTERMS.description, Literal(DESCRIPTION[lang].format(**counts), lang=lang)
            )
            self.add(ds, DCTERMS.rights, Literal(RIGHTS[lang], lang=lang))
            for word in KEYWORDS[lang]:
                self.add(ds, DCAT.keyword, Literal(word, lang=lang))
        for language in LANGUAGES.values():
            self.add(ds, DCTERMS.language, language)
            self.add(language, RDF.type, DCTERMS.LinguisticSystem)
        self.add(ds, OWL.versionInfo, Literal(__version__))
        self.add(ds, DCAT_VERSION, Literal(__version__))
        self.add(ds, DCTERMS.license, LICENSE_MIT)
        self.add(LICENSE_MIT, RDF.type, DCTERMS.LicenseDocument)
        name = _author()
        creator = self.iris.id("agent", re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-"))
        self.add(ds, DCTERMS.creator, creator)
        self.add(ds, DCTERMS.publisher, creator)
        for cls in (FOAF.Agent, PROV.Agent):
            self.add(creator, RDF.type, cls)
        self.add(creator, FOAF.name, Literal(name))
        self.contact(name)
        year = ""
        if issued is not None:
            self.add(ds, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date))
            year = f" ({issued.year})"
        citation = f"{name}{year}. {TITLE['en']}. Version {__version__}. {ds}"
        self.add(ds, DCTERMS.bibliographicCitation, Literal(citation))

    def contact(self, name: str) -> None:
        """Who answers for the data: the package's author (no e-mail address is made up)."""
        node = self.iris.sub(self.ds, "contact")
        self.add(self.ds, DCAT.contactPoint, node)
        for cls in (VCARD.Kind, VCARD.Organization):
            self.add(node, RDF.type, cls)
        self.add(node, VCARD.fn, Literal(name))

    def counts(self) -> None:
        g, ds = self.graph, self.ds
        subjects = set(g.subjects())
        classes = Counter(c for _, c in set(g.subject_objects(RDF.type)))
        properties = Counter(p for _, p, _ in g)
        self.add(ds, VOID.triples, _int(len(g)))
        self.add(ds, VOID.entities, _int(sum(1 for s in subjects if self._instance(s))))
        self.add(ds, VOID.distinctSubjects, _int(len(subjects)))
        self.add(ds, VOID.distinctObjects, _int(len(set(g.objects()))))
        self.add(ds, VOID.classes, _int(len(classes)))
        self.add(ds, VOID.properties, _int(len(properties)))
        self.add(ds, VOID.uriSpace, Literal(self.iris.prefix))
        for cls, n in sorted(classes.items()):
            part = self.iris.sub(self.ds, f"class/{_slug(cls)}")
            self.add(ds, VOID.classPartition, part)
            self.add(part, VOID["class"], cls)
            self.add(part, VOID.entities, _int(n))
        for prop, n in sorted(properties.items()):
            part = self.iris.sub(self.ds, f"property/{_slug(prop)}")
            self.add(ds, VOID.propertyPartition, part)
            self.add(part, VOID.property, prop)
            self.add(part, VOID.triples, _int(n))
        used = {str(t) for t in [*classes, *properties]}
        for namespace in sorted(set(PREFIXES.values())):
            if any(term.startswith(namespace) for term in used):
                self.add(ds, VOID.vocabulary, URIRef(namespace))
        for cls in EXAMPLE_CLASSES:
            instances = [s for s in g.subjects(RDF.type, cls) if self._instance(s)]
            if instances:
                best = min(instances, key=lambda s: (-len(list(g.predicate_objects(s))), str(s)))
                self.add(ds, VOID.exampleResource, best)

    def coverage(self) -> None:
        g, ds = self.graph, self.ds
        for province in sorted(set(g.subjects(RDF.type, KG.Province)), key=str):
            self.add(ds, DCTERMS.spatial, province)
            self.add(province, RDF.type, DCTERMS.Location)
            for label in g.objects(province, RDFS.label):
                self.add(province, RDFS.label, label)
        starts = [o.toPython() for o in g.objects(None, KG.startDate) if isinstance(o, Literal)]
        ends = [o.toPython() for o in g.objects(None, KG.endDate) if isinstance(o, Literal)]
        if starts and ends:
            period = self.iris.sub(ds, "temporal")
            self.add(ds, DCTERMS.temporal, period)
            self.add(period, RDF.type, DCTERMS.PeriodOfTime)
            self.add(period, DCAT.startDate, Literal(min(starts), datatype=XSD.date))
            self.add(period, DCAT.endDate, Literal(max(ends), datatype=XSD.date))
        themes = {g.value(i, KG.category) for i in g.objects(None, KG.indicator)}
        for theme in sorted(t for t in themes if isinstance(t, URIRef)):
            self.add(ds, DCAT.theme, theme)
            self.add(theme, RDF.type, SKOS.Concept)
            self.add(theme, SKOS.inScheme, KG.categories)
            for label in g.objects(theme, SKOS.prefLabel):
                self.add(theme, SKOS.prefLabel, label)
        if themes - {None}:
            self.add(ds, DCAT.themeTaxonomy, KG.categories)
            self.add(KG.categories, RDF.type, SKOS.ConceptScheme)
            for label in g.objects(KG.categories, RDFS.label):
                self.add(KG.categories, DCTERMS.title, label)

    def sources(self) -> None:
        """The articles, as ``prov:wasDerivedFrom``: DCAT-AP keeps ``dct:source`` for datasets."""
        g = self.graph
        for source in sorted(set(g.objects(None, PROV.wasDerivedFrom)), key=str):
            self.add(self.ds, PROV.wasDerivedFrom, source)
            for prop in (DCTERMS.title, RDFS.label, DCTERMS.issued):
                for value in g.objects(source, prop):
                    self.add(source, prop, value)

    def subsets(self, layout: GraphLayout) -> None:
        by_source = {graph.identifier: source for source, graph in layout.sources.items()}
        for part in layout.graphs():
            name = part.identifier
            assert isinstance(name, URIRef)
            self.add(self.ds, VOID.subset, name)
            self.add(name, RDF.type, VOID.Dataset)
            self.add(name, VOID.triples, _int(len(part)))
            source = by_source.get(name)
            if source is not None:
                self.add(name, DCTERMS.source, source)
                for label in self.graph.objects(source, RDFS.label):
                    assert isinstance(label, Literal)
                    prefix = "Dữ kiện từ " if label.language == "vi" else "Facts from "
                    self.add(name, DCTERMS.title, Literal(prefix + label, lang=label.language))
            else:
                vi, en = GRAPH_TITLES.get(str(name).rsplit("/", 1)[-1], (str(name), str(name)))
                self.add(name, DCTERMS.title, Literal(vi, lang="vi"))
                self.add(name, DCTERMS.title, Literal(en, lang="en"))

    def distribution(self, dist: Distribution, download_base: str | None) -> None:
        node = self.iris.sub(self.ds, f"distribution/{dist.path}")
        self.add(self.ds, DCAT.distribution, node)
        self.add(node, RDF.type, DCAT.Distribution)
        self.add(node, DCTERMS.title, Literal(dist.path))
        media_type = MEDIA_TYPES[dist.media_type]
        self.add(node, DCAT.mediaType, media_type)
        self.add(node, DCTERMS.format, media_type)
        for cls in (DCTERMS.MediaType, DCTERMS.MediaTypeOrExtent):
            self.add(media_type, RDF.type, cls)
        self.add(node, DCTERMS.license, LICENSE_MIT)
        if dist.size is not None:
            # DCAT 3 and DCAT-AP 3.0 range; DCAT-AP 2.1.1 wanted xsd:decimal
            self.add(node, DCAT.byteSize, Literal(dist.size, datatype=XSD.nonNegativeInteger))
        if download_base:
            url = URIRef(f"{download_base}/{dist.path}")
            for prop in (DCAT.accessURL, DCAT.downloadURL):
                self.add(node, prop, url)
            self.add(url, RDF.type, RDFS.Resource)
            if dist.rdf:
                self.add(self.ds, VOID.dataDump, url)

    def service(self, endpoint: URIRef) -> None:
        self.add(self.ds, VOID.sparqlEndpoint, endpoint)
        node = self.iris.sub(self.ds, "sparql")
        self.add(self.ds, DCAT.accessService, node)
        self.add(node, RDF.type, DCAT.DataService)
        self.add(node, DCAT.endpointURL, endpoint)
        self.add(endpoint, RDF.type, RDFS.Resource)
        self.add(node, DCAT.servesDataset, self.ds)
        self.add(node, DCTERMS.title, Literal("kgraph serve", lang="en"))
        self.add(node, DCTERMS.license, LICENSE_MIT)
        # DCAT-AP reaches a service through a distribution whose accessURL is the endpoint
        dist = self.iris.sub(self.ds, "distribution/sparql")
        self.add(self.ds, DCAT.distribution, dist)
        self.add(dist, RDF.type, DCAT.Distribution)
        self.add(dist, DCTERMS.title, Literal("SPARQL endpoint", lang="en"))
        self.add(dist, DCAT.accessURL, endpoint)
        self.add(dist, DCAT.accessService, node)
        self.add(dist, DCTERMS.license, LICENSE_MIT)

    def _instance(self, node: Node) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(self.iris.prefix)


def _check_url(what: str, url: str) -> None:
    """An IRI the description states must be an absolute http(s) URL, or the Turtle is invalid."""
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or re.search(r'[\s<>"{}|\\^`]', url)
    ):
        raise InputError(f"{what} {url!r} is not an absolute http(s) URL")


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _slug(term: Node) -> str:
    """``kg:Commune`` -> ``kg-Commune``: a readable, IRI-safe name for a partition node."""
    text = str(term)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(namespace):
            return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]+', '-', text[len(namespace) :])}"
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def _latest_publication(graph: Graph) -> date | None:
    """The latest date a source article was published (the data cannot be older)."""
    days = []
    for article in graph.subjects(RDF.type, KG.SourceArticle):
        for value in graph.objects(article, DCTERMS.issued):
            stamp = value.toPython() if isinstance(value, Literal) else None
            if isinstance(stamp, datetime):
                days.append(stamp.date())
            elif isinstance(stamp, date):
                days.append(stamp)
    return max(days, default=None)


def _author() -> str:
    """The package's author, as declared once in pyproject.toml."""
    try:
        return str(metadata("kgraph")["Author"] or "kgraph developers")
    except PackageNotFoundError:  # a checkout that was never installed
        return "kgraph developers"


__all__ = ["Distribution", "describe_dataset"]
