"""Stage: write the built graph in the formats integrators load.

``export`` is the stage's entry point; ``FORMATS`` is the registry the CLI offers
and ``named_graphs`` the named-graph layout of TriG and N-Quads, which the
dataset description and the release share. Every writer renders bytes in a
fixed order, so exporting the same graph twice gives byte-identical files and a
changed fact shows up as a small diff.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node

from kgraph import resources
from kgraph.errors import InputError
from kgraph.graph.namespaces import DCTERMS, KG, OA, PREFIXES, PROV, SDO, Iris, bind_prefixes
from kgraph.graph.store import read_graph, serialize, write_bytes

#: Statements a source makes that are facts it supports (not part of its description):
#: they go to that source's graph.
SOURCE_CLAIMS = frozenset({SDO.mentions, DCTERMS.references})

#: CSV tables, in the order they are written; each is the result of ``queries/export/<name>.rq``.
CSV_TABLES = (
    "observations",
    "places",
    "organisations",
    "people",
    "posts",
    "indicators",
    "sources",
    "documents",
)

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class GraphLayout:
    """The named graphs of a TriG/N-Quads export, by role.

    ``ontology``, ``shapes`` and ``reference`` (code lists, indicators, periods,
    the articles' own descriptions: anything no source supports) are single
    graphs; ``sources`` maps each source (an article, or the official unit
    list) to the graph of the facts it supports. Each graph's identifier is its
    name in the export.
    """

    ontology: Graph
    shapes: Graph
    reference: Graph
    sources: dict[URIRef, Graph]

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
    ontology_terms = Graph().parse(resources.ontology_file(), format="turtle")
    layout = GraphLayout(
        ontology=_named(iris.graph("ontology")),
        shapes=_named(iris.graph("shapes")),
        reference=_named(iris.graph("reference")),
        sources={},
    )
    if shapes is not None:
        for prefix, namespace in shapes.namespaces():
            layout.shapes.bind(prefix, namespace, override=False)
        layout.shapes.addN((s, p, o, layout.shapes) for s, p, o in _stable_blank_nodes(shapes))
    sources_of = _sources_of(graph)
    for source in sorted(set().union(*sources_of.values())):
        layout.sources[source] = _named(iris.graph(_graph_name(source)))
    for triple in graph:
        if triple in ontology_terms:
            layout.ontology.add(triple)
            continue
        targets = _sources_for(triple, sources_of, layout.sources)
        for source in targets:
            layout.sources[source].add(triple)
        if not targets:
            layout.reference.add(triple)
    return layout


def _stable_blank_nodes(graph: Graph) -> Graph:
    """``graph`` with blank nodes renamed after their content (SHACL lists, property shapes).

    Blank node labels are random per parse; N-Quads prints them and Turtle
    sorts by them, so without this two exports of the same shapes would differ.
    """
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
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
    triple: Triple, sources_of: Mapping[Node, set[URIRef]], known: Mapping[URIRef, Graph]
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


class _OrderedGraph(Graph):
    """A view of a graph that lists subjects, predicates and objects in sorted order.

    rdflib's RDF/XML writer walks ``subjects()`` and ``predicate_objects()``,
    which follow hash order; sorting them makes the file the same on every run.
    """

    def subjects(self, *args: Any, **kwargs: Any) -> Generator[Any, None, None]:
        yield from sorted(set(super().subjects(*args, **kwargs)), key=_n3)

    def predicates(self, *args: Any, **kwargs: Any) -> Generator[Any, None, None]:
        yield from sorted(set(super().predicates(*args, **kwargs)), key=_n3)

    def predicate_objects(self, *args: Any, **kwargs: Any) -> Generator[Any, None, None]:
        yield from sorted(set(super().predicate_objects(*args, **kwargs)), key=_n3)


def _n3(item: Node | tuple[Node, ...]) -> str:
    terms = item if isinstance(item, tuple) else (item,)
    return " ".join(term.n3() for term in terms)


class _OrderedTrig(TrigSerializer):
    """rdflib's TriG writer with the named graphs in order of their names."""

    def __init__(self, store: Graph) -> None:
        super().__init__(store)
        self.contexts.sort(key=lambda g: str(g.identifier))


def _sorted_lines(data: bytes) -> bytes:
    return b"".join(sorted({line for line in data.splitlines(keepends=True) if line.strip()}))


def _canonical_json(value: Any) -> Any:
    """Node objects by ``@id``, repeated values sorted: JSON-LD in a fixed order."""
    if isinstance(value, dict):
        return {k: _canonical_json(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context (``ontology/context.jsonld``), as a dict."""
    path = resources.ontology_dir() / "context.jsonld"
    try:
        context = json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read the JSON-LD context: {exc}", path=path) from exc
    assert isinstance(context, dict)
    return context


# -- what one export reads ---------------------------------------------------------------


class _Source:
    """The graph being exported, with what the writers derive from it, computed once."""

    def __init__(
        self, graph: Graph, iris: Iris, shapes: Graph | None, layout: GraphLayout | None
    ) -> None:
        self.iris = iris
        self._shapes = shapes
        self._layout = layout
        self.graph = _OrderedGraph()
        bind_prefixes(self.graph)
        self.graph += _stable_blank_nodes(graph)

    @cached_property
    def layout(self) -> GraphLayout:
        if self._layout is not None:
            return self._layout
        shapes = self._shapes
        if shapes is None:
            path = resources.shapes_file()
            shapes = read_graph(path) if path.is_file() else Graph()
        return named_graphs(self.graph, self.iris, shapes)

    def cell(self, term: Node | None) -> str:
        """A CSV cell: instance IRIs as ids, vocabulary as prefixed names, literals as written."""
        if term is None:
            return ""
        if isinstance(term, Literal):
            return str(term)
        text = str(term)
        if text.startswith(self.iris.prefix):
            return text.rsplit("/", 1)[-1]
        for prefix, namespace in PREFIXES.items():
            if text.startswith(namespace) and "/" not in text[len(namespace) :]:
                return f"{prefix}:{text[len(namespace) :]}"
        return text


# -- writers: each returns {relative path: bytes} ----------------------------------------


def _turtle(src: _Source) -> dict[str, bytes]:
    return {"kgraph.ttl": serialize(src.graph, "turtle")}


def _ntriples(src: _Source) -> dict[str, bytes]:
    return {"kgraph.nt": serialize(src.graph, "nt")}


def _rdfxml(src: _Source) -> dict[str, bytes]:
    return {"kgraph.rdf": serialize(src.graph, "xml")}


def _jsonld(src: _Source) -> dict[str, bytes]:
    raw = src.graph.serialize(format="json-ld", context=_jsonld_context(), auto_compact=True)
    doc = _canonical_json(json.loads(raw))
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return {"kgraph.jsonld": text.encode("utf-8")}


def _trig(src: _Source) -> dict[str, bytes]:
    out = io.BytesIO()
    _OrderedTrig(src.layout.dataset()).serialize(out, encoding="utf-8")
    return {"kgraph.trig": out.getvalue()}


def _nquads(src: _Source) -> dict[str, bytes]:
    data = src.layout.dataset().serialize(format="nquads", encoding="utf-8")
    return {"kgraph.nq": _sorted_lines(data)}


def _csv(src: _Source) -> dict[str, bytes]:
    files = {}
    for table in CSV_TABLES:
        path = resources.queries_dir() / "export" / f"{table}.rq"
        try:
            query = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read the export query: {exc}", path=path) from exc
        result = src.graph.query(query)
        columns = [str(v) for v in result.vars or []]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in result:
            assert isinstance(row, tuple)
            writer.writerow([src.cell(term) for term in row])
        files[f"csv/{table}.csv"] = out.getvalue().encode("utf-8")
    return files


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its CLI name, media type, what it is for, and its writer.

    ``rdf`` formats hold the whole graph; ``quads`` ones hold it as named graphs.
    """

    name: str
    media_type: str
    description: str
    write: Callable[[_Source], dict[str, bytes]]
    rdf: bool = True
    quads: bool = False


#: Export formats by CLI name (the CLI's ``--format`` choices come from here).
FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("turtle", "text/turtle", "Turtle with prefixes", _turtle),
        ExportFormat("ntriples", "application/n-triples", "N-Triples, sorted for diffs", _ntriples),
        ExportFormat("rdfxml", "application/rdf+xml", "RDF/XML", _rdfxml),
        ExportFormat("jsonld", "application/ld+json", "JSON-LD with kgraph's context", _jsonld),
        ExportFormat(
            "trig", "application/trig", "TriG, one named graph per source", _trig, quads=True
        ),
        ExportFormat(
            "nquads", "application/n-quads", "N-Quads, sorted, named graphs", _nquads, quads=True
        ),
        ExportFormat("csv", "text/csv", "CSV tables: observations and entities", _csv, rdf=False),
    )
}


def _render(
    graph: Graph, fmt: str, iris: Iris, shapes: Graph | None, layout: GraphLayout | None
) -> dict[str, bytes]:
    """The files of ``graph`` in format ``fmt``, as {relative path: bytes}, written nowhere."""
    try:
        spec = FORMATS[fmt]
    except KeyError:
        raise InputError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})") from None
    return spec.write(_Source(graph, iris, shapes, layout))


def export(
    graph: Graph,
    fmt: str,
    out_dir: Path,
    iris: Iris | None = None,
    shapes: Graph | None = None,
    layout: GraphLayout | None = None,
) -> list[Path]:
    """Write ``graph`` as ``fmt`` into ``out_dir``; returns the files written.

    ``shapes`` (the SHACL shapes for the TriG/N-Quads ``shapes`` graph)
    defaults to ``ontology/shapes.ttl`` when that file exists; ``layout``
    reuses a :func:`named_graphs` split already made (it replaces ``shapes``).
    Every file is rendered before any is written, each atomically.

    >>> import tempfile
    >>> from kgraph.curate.dataset import load_dataset
    >>> from kgraph.graph.build import build_graph
    >>> g = build_graph(load_dataset(resources.data_dir()))
    >>> [p.name for p in export(g, "ntriples", Path(tempfile.mkdtemp()))]
    ['kgraph.nt']
    """
    files = _render(graph, fmt, iris or Iris(), shapes, layout)
    return [_write(Path(out_dir) / rel, data) for rel, data in sorted(files.items())]


def _write(path: Path, data: bytes) -> Path:
    write_bytes(path, lambda: data)
    path.chmod(0o644)  # a temporary file's private mode would make exports unreadable to others
    return path


__all__ = [
    "CSV_TABLES",
    "FORMATS",
    "SOURCE_CLAIMS",
    "ExportFormat",
    "GraphLayout",
    "export",
    "named_graphs",
]
