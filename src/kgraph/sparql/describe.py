"""What the endpoint says about itself: the SPARQL 1.1 Service Description and VoID.

Both are built as RDF graphs (never as spliced text) and written as Turtle:
the Service Description answers ``GET /sparql`` without a query, VoID answers
``/.well-known/void``.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef

from kgraph.graph.namespaces import RDF, SD, VOID, W3C_FORMATS

#: W3C format names of the results the endpoint can send
RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "JSON-LD",
    "N-Triples",
    "RDF_XML",
)


def service_description(url: str, dataset: str, graphs: list[str]) -> str:
    """The SPARQL 1.1 Service Description of this endpoint, in Turtle."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service = URIRef(url)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in RESULT_FORMAT_IRIS:
        g.add((service, SD.resultFormat, W3C_FORMATS[fmt]))
    default_dataset, default_graph = BNode("dataset"), BNode("default")
    g.add((service, SD.defaultDataset, default_dataset))
    g.add((default_dataset, RDF.type, SD.Dataset))
    g.add((default_dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.inDataset, URIRef(dataset)))
    for name in graphs:
        named = BNode(f"g{len(g)}")
        g.add((default_dataset, SD.namedGraph, named))
        g.add((named, SD.name, URIRef(name)))
    return str(g.serialize(format="turtle"))


def void_description(url: str, dataset: str, triples: int, graphs: list[str]) -> str:
    """A VoID description of what this endpoint serves, in Turtle."""
    g = Graph()
    g.bind("void", VOID)
    g.bind("sd", SD)
    node = URIRef(dataset)
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, VOID.sparqlEndpoint, URIRef(url)))
    g.add((node, VOID.triples, Literal(triples)))
    for name in graphs:
        subset = BNode(f"g{len(g)}")
        g.add((node, VOID.subset, subset))
        g.add((subset, SD.name, URIRef(name)))
    return str(g.serialize(format="turtle"))
