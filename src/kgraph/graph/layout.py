"""The named graphs of the dataset: one per source, plus ontology, shapes and reference.

The store (:mod:`kgraph.graph.engine`), the TriG and N-Quads exports and the
dataset description all use this one split, so a named graph means the same
everywhere: ``<base>/graph/source/<id>`` holds the facts one article (or one
official list) supports, with their evidence and quotes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from kgraph import resources
from kgraph.graph.namespaces import DCTERMS, KG, OA, PROV, SDO, Iris, bind_prefixes

#: Statements a source makes that are facts it supports (not part of its description):
#: they go to that source's graph.
SOURCE_CLAIMS = frozenset({SDO.mentions, DCTERMS.references})
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class GraphLayout:
    """The named graphs of a TriG/N-Quads export, by role.

    ``ontology``, ``shapes`` and ``reference`` (code lists, indicators, periods,
    the articles' own descriptions: anything no source supports) are single
    graphs; ``sources`` maps each source (an article, or the official unit
    list) to the graph of the facts it supports. Each graph's identifier is its
    name in the export. The split itself is lists of triples per graph name
    (:meth:`members`, all the store needs); the rdflib graphs are made from
    them only when an export asks, since making them was most of the split's
    cost at scale.
    """

    shapes: Graph
    ontology_name: URIRef
    reference_name: URIRef
    #: source -> the name of its graph
    source_names: dict[URIRef, URIRef]
    #: graph name -> its triples (every graph but the shapes)
    triples: dict[URIRef, list[Triple]] = field(default_factory=dict)

    @cached_property
    def ontology(self) -> Graph:
        return self._graph(self.ontology_name)

    @cached_property
    def reference(self) -> Graph:
        return self._graph(self.reference_name)

    @cached_property
    def sources(self) -> dict[URIRef, Graph]:
        return {source: self._graph(name) for source, name in self.source_names.items()}

    def _graph(self, name: URIRef) -> Graph:
        graph = _named(name)
        graph.addN((s, p, o, graph) for s, p, o in self.triples.get(name, ()))
        return graph

    def members(self) -> list[tuple[URIRef, list[Triple]]]:
        """(name, triples) of every non-empty named graph, ordered by name."""
        every = [(URIRef(str(self.shapes.identifier)), list(self.shapes))]
        every += [(name, triples) for name, triples in self.triples.items() if triples]
        return sorted((m for m in every if m[1]), key=lambda m: str(m[0]))

    def graphs(self) -> list[Graph]:
        """Every non-empty named graph, ordered by name."""
        every = [self.ontology, self.shapes, self.reference, *self.sources.values()]
        return sorted((g for g in every if len(g)), key=lambda g: str(g.identifier))

    def dataset(self) -> Dataset:
        """The layout as one rdflib Dataset (for TriG and N-Quads)."""
        ds = Dataset()
        bind_prefixes(ds)
        for graph in self.graphs():
            for prefix, namespace in graph.namespaces():
                ds.bind(prefix, namespace, override=False)
            target = ds.graph(graph.identifier)
            target.addN((s, p, o, target) for s, p, o in graph)
        return ds


def named_graphs(
    graph: Graph, iris: Iris | None = None, shapes: Graph | None = None
) -> GraphLayout:
    """Split ``graph`` into the named graphs of the export (see ``docs/integrators.md``).

    A node belongs to every source it has ``prov:wasDerivedFrom``; all its
    statements go to each of those sources' graphs, except the links to one
    source (``prov:wasDerivedFrom`` it, ``kg:evidence`` quoting it), which stay
    in that source's graph alone. Evidence nodes and their quote selectors go
    with the source they quote. The union of ontology, reference and source
    graphs is exactly ``graph``.
    """
    iris = iris or Iris()
    ontology_terms = _ontology_terms()
    sources_of = _sources_of(graph)
    sources = sorted(set().union(*sources_of.values()))
    layout = GraphLayout(
        shapes=_named(iris.graph("shapes")),
        ontology_name=iris.graph("ontology"),
        reference_name=iris.graph("reference"),
        source_names={source: iris.graph(_graph_name(source)) for source in sources},
    )
    if shapes is not None:
        for prefix, namespace in shapes.namespaces():
            layout.shapes.bind(prefix, namespace, override=False)
        layout.shapes.addN((s, p, o, layout.shapes) for s, p, o in stable_blank_nodes(shapes))
    ontology: list[Triple] = []
    reference: list[Triple] = []
    by_source: dict[URIRef, list[Triple]] = {source: [] for source in sources}
    for triple in graph:
        if triple in ontology_terms:
            ontology.append(triple)
            continue
        targets = _sources_for(triple, sources_of, by_source)
        for source in targets:
            by_source[source].append(triple)
        if not targets:
            reference.append(triple)
    layout.triples[layout.ontology_name] = ontology
    layout.triples[layout.reference_name] = reference
    for source, triples in by_source.items():
        layout.triples[layout.source_names[source]] = triples
    return layout


@cache
def _ontology_terms() -> frozenset[Triple]:
    """The ontology's statements, as a set: membership is tested for every triple built."""
    return frozenset(Graph().parse(resources.ontology_file(), format="turtle"))


#: graphs whose blank nodes are already stable (the cached packaged shapes)
_STABLE: set[int] = set()


@cache
def packaged_shapes() -> Graph:
    """The shipped SHACL shapes with stable blank nodes, parsed and canonicalised once."""
    parsed = Graph()
    bind_prefixes(parsed)
    parsed.parse(resources.shapes_file(), format="turtle")
    shapes = stable_blank_nodes(parsed)
    for prefix, namespace in parsed.namespaces():
        shapes.bind(prefix, namespace, override=False)
    _STABLE.add(id(shapes))
    return shapes


def stable_blank_nodes(graph: Graph) -> Graph:
    """``graph`` with blank nodes renamed after their content (SHACL lists, property shapes).

    Blank node labels are random per parse; N-Quads prints them and Turtle
    sorts by them, so without this two exports of the same shapes would differ.
    """
    if id(graph) in _STABLE or not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    stable = Graph()
    stable += to_canonical_graph(graph)
    return stable


def _named(name: URIRef) -> Graph:
    graph = Graph(identifier=name)
    bind_prefixes(graph)
    return graph


def _graph_name(source: URIRef) -> str:
    """``<base>/id/source/001_x`` -> ``source/001_x`` (the last two path segments)."""
    return "/".join(str(source).rstrip("/").split("/")[-2:])


def _sources_of(graph: Graph) -> dict[Node, set[URIRef]]:
    """Every node with a source: facts (``prov:wasDerivedFrom``), evidence, quote selectors."""
    sources: dict[Node, set[URIRef]] = {}
    for node, source in graph.subject_objects(PROV.wasDerivedFrom):
        if isinstance(source, URIRef):
            sources.setdefault(node, set()).add(source)
    for evidence, source in graph.subject_objects(OA.hasSource):
        if isinstance(source, URIRef):
            sources.setdefault(evidence, set()).add(source)
    for evidence, selector in graph.subject_objects(OA.hasSelector):
        sources.setdefault(selector, set()).update(sources.get(evidence, set()))
    return sources


def _sources_for(
    triple: Triple, sources_of: Mapping[Node, set[URIRef]], known: Mapping[URIRef, object]
) -> set[URIRef]:
    """The sources whose graphs hold ``triple`` (empty: the reference graph)."""
    s, p, o = triple
    if p == PROV.wasDerivedFrom and isinstance(o, URIRef):
        return {o}
    if p == KG.evidence:
        return set(sources_of.get(o, set()))
    if s in sources_of:
        return set(sources_of[s])
    if p in SOURCE_CLAIMS and isinstance(s, URIRef) and s in known:
        return {s}
    return set()


# -- deterministic serialisers ---------------------------------------------------------
