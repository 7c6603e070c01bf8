"""Every IRI and namespace kgraph uses, and nothing else.

The vocabulary (``KG``) is fixed; instance IRIs hang off one configurable base
as ``<base>/id/<kind>/<slug>``. A test checks ``KG`` against ``ontology/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)

#: The default base for instance IRIs. A placeholder domain until a persistent one is
#: registered; ``kgraph build --base`` (or ``KGRAPH_BASE``) changes it.
DEFAULT_BASE = "https://kgraph.example.org"

VOCAB = DEFAULT_BASE + "/def/"


class KG(DefinedNamespace):
    """kgraph's own terms: only where no standard vocabulary says the same."""

    _NS = Namespace(VOCAB)
    _fail = True

    # the ontology itself
    ontology: URIRef
    # classes: places
    AdministrativeUnit: URIRef
    Province: URIRef
    District: URIRef
    Commune: URIRef
    Village: URIRef
    BorderGate: URIRef
    HydropowerProject: URIRef
    # classes: organisations
    PartyOrganisation: URIRef
    ProvincialPartyOrganisation: URIRef
    DistrictPartyOrganisation: URIRef
    GrassrootsPartyOrganisation: URIRef
    GrassrootsPartyCommittee: URIRef
    GrassrootsPartyCell: URIRef
    CentralPartyBody: URIRef
    PartyCell: URIRef
    PartyCommittee: URIRef
    StandingCommittee: URIRef
    PartyCommission: URIRef
    ArmedForcesUnit: URIRef
    MediaOrganisation: URIRef
    PostHolding: URIRef
    Term: URIRef
    Congress: URIRef
    # classes: documents, sources, evidence
    PolicyDocument: URIRef
    Decision: URIRef
    Directive: URIRef
    Resolution: URIRef
    Law: URIRef
    Charter: URIRef
    SourceArticle: URIRef
    # classes: code lists
    Indicator: URIRef
    UnitOfMeasure: URIRef
    ValueQualifier: URIRef
    CellKind: URIRef
    IndicatorCategory: URIRef
    SharePartition: URIRef
    Period: URIRef
    # classes and individuals: time and change
    Vintage: URIRef
    vintage2024: URIRef
    vintage2025: URIRef
    AdministrativeChange: URIRef
    ChangeKind: URIRef
    continuation: URIRef
    merger: URIRef
    split: URIRef
    abolition: URIRef
    establishment: URIRef
    # datatypes
    gso2024: URIRef
    gso2025: URIRef
    # properties: places and organisations
    partOf: URIRef
    adminType: URIRef
    leadsArea: URIRef
    cellKind: URIRef
    searchKey: URIRef
    vintage: URIRef
    # properties: change
    changeKind: URIRef
    originalUnit: URIRef
    resultingUnit: URIRef
    changedBy: URIRef
    partlyReplacedBy: URIRef
    partlyReplaces: URIRef
    # properties: posts, terms and congresses
    asOf: URIRef
    termOf: URIRef
    congressOf: URIRef
    opensTerm: URIRef
    ordinal: URIRef
    # properties: observations
    indicator: URIRef
    refOrganisation: URIRef
    qualifier: URIRef
    upperValue: URIRef
    comparableValue: URIRef
    comparableUpperValue: URIRef
    comparableUnit: URIRef
    canonicalUnit: URIRef
    dimension: URIRef
    uneceCode: URIRef
    denominator: URIRef
    valueText: URIRef
    # properties: indicator metadata
    category: URIRef
    defaultUnit: URIRef
    componentOf: URIRef
    rateOf: URIRef
    sharePartition: URIRef
    minValue: URIRef
    maxValue: URIRef
    integral: URIRef
    exhaustive: URIRef
    # properties: periods
    startDate: URIRef
    endDate: URIRef
    atPublicationOf: URIRef
    # properties: provenance
    evidence: URIRef
    sourceFile: URIRef
    documentNumber: URIRef
    # code-list schemes
    indicators: URIRef
    units: URIRef
    qualifiers: URIRef
    cellKinds: URIRef
    roles: URIRef
    categories: URIRef
    partitions: URIRef
    dataStructure: URIRef
    changeKinds: URIRef


ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
#: QUDT: a unit's conversion multiplier (``qudt:conversionMultiplier``) and its QUDT unit.
QUDT = Namespace("http://qudt.org/schema/qudt/")
#: SPARQL 1.1 Service Description (what ``GET /sparql`` answers) and W3C format IRIs.
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: kgraph's SHACL shapes (``ontology/shapes.ttl``): one IRI per shape and rule, so a
#: validation result names the rule it breaks.
SHAPES = Namespace(VOCAB + "shapes#")
#: Predicates that exist only in validation's throwaway store (one per alternative path a
#: rule is run once with: ``kgraph.check.alternatives``); never in a built graph.
CHECK = Namespace(VOCAB + "check#")
#: IANA media types, as DCAT wants them (``dcat:mediaType <.../text/turtle>``).
MEDIA_TYPES = Namespace("https://www.iana.org/assignments/media-types/")
#: The licence of kgraph's code and curated tables.
LICENSE_MIT = URIRef("https://opensource.org/licenses/MIT")
#: DCAT 3's ``dcat:version`` (DCAT-AP 3.0), which rdflib's closed ``DCAT`` does not list yet.
DCAT_VERSION = URIRef(str(DCAT) + "version")
#: vCard, for the dataset's contact point (``dcat:contactPoint`` is a ``vcard:Kind``).
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
#: The EU Publications Office language authority, which DCAT-AP wants for ``dct:language``.
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")

#: Prefixes written into every serialisation, in this order.
PREFIXES: dict[str, str] = {
    "kg": VOCAB,
    "org": str(ORG),
    "qb": str(QB),
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "oa": str(OA),
    "schema": str(SDO),
    "time": str(TIME),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "void": str(VOID),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "qudt": str(QUDT),
}


@dataclass(frozen=True)
class Iris:
    """Mints instance IRIs under one base: ``<base>/id/<kind>/<slug>``."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    def id(self, kind: str, slug: str) -> URIRef:
        """The IRI of instance ``slug`` of ``kind``.

        >>> Iris("https://x.org").id("commune", "thanh-luong")
        rdflib.term.URIRef('https://x.org/id/commune/thanh-luong')
        """
        return URIRef(f"{self.base}/id/{kind}/{slug}")

    def unit(self, level: str, vintage: str, code: str) -> URIRef:
        """The IRI of one unit version: its level, the list it is in and its code.

        >>> Iris("https://x.org").unit("commune", "2024", "03356")
        rdflib.term.URIRef('https://x.org/id/commune/2024-03356')
        """
        return self.id(level, f"{vintage}-{code}")

    def sub(self, parent: URIRef, part: str) -> URIRef:
        """An IRI for a node that only exists as part of ``parent`` (evidence, selector)."""
        return URIRef(f"{parent}/{part}")

    def graph(self, name: str) -> URIRef:
        """The IRI of named graph ``name`` in TriG/N-Quads exports: ``<base>/graph/<name>``.

        >>> Iris("https://x.org").graph("source/001_a26cdb5e4219828f")
        rdflib.term.URIRef('https://x.org/graph/source/001_a26cdb5e4219828f')
        """
        return URIRef(f"{self.base}/graph/{name}")

    @property
    def dataset(self) -> URIRef:
        """The whole knowledge graph as a dataset: ``<base>/id/dataset/kgraph``.

        Also the named graph ``kgraph push`` writes to by default.

        >>> Iris("https://x.org").dataset
        rdflib.term.URIRef('https://x.org/id/dataset/kgraph')
        """
        return self.id("dataset", "kgraph")

    def release(self, version: str) -> str:
        """Where release ``version`` is published unless told otherwise: ``<base>/release/<v>``.

        >>> Iris("https://x.org").release("0.1.0")
        'https://x.org/release/0.1.0'
        """
        return f"{self.base}/release/{version}"

    @property
    def prefix(self) -> str:
        """Namespace under which every instance IRI lives."""
        return f"{self.base}/id/"


def bind_prefixes(graph: object) -> None:
    """Bind kgraph's standard prefixes on an rdflib graph (replacing rdflib's defaults)."""
    from rdflib import Graph

    assert isinstance(graph, Graph)
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


__all__ = [
    "ADMS",
    "DCAT",
    "DCAT_VERSION",
    "DCTERMS",
    "DEFAULT_BASE",
    "EU_LANGUAGE",
    "FOAF",
    "KG",
    "LICENSE_MIT",
    "MEDIA_TYPES",
    "OA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "QUDT",
    "RDF",
    "RDFS",
    "SD",
    "SDMX_ATTRIBUTE",
    "SDMX_DIMENSION",
    "SDMX_MEASURE",
    "SDO",
    "SH",
    "SHAPES",
    "SKOS",
    "TIME",
    "VCARD",
    "VOCAB",
    "VOID",
    "W3C_FORMATS",
    "XSD",
    "Iris",
    "bind_prefixes",
]
