"""The store every reading command opens: pyoxigraph, built once beside the Turtle.

``kgraph build`` writes ``build/kgraph.ttl`` and, beside it, the store
``build/kgraph.oxigraph/``; every command that reads the built graph opens the
store (milliseconds at any size) instead of parsing Turtle again. Why
pyoxigraph: embedded (nothing to run), SPARQL 1.1 in Rust, safe to query from
many threads, and an on-disk store that many processes can open read-only (the
endpoint's workers do). Measurements are in ``docs/performance.md``.

What a store holds:

- the **default graph** is the built graph (what ``kgraph.ttl`` holds) and
  the national backbone of both unit lists (:mod:`kgraph.graph.backbone`), so
  a query without ``GRAPH`` sees every statement once;
- the **named graphs** are those of the TriG/N-Quads exports
  (:mod:`kgraph.graph.layout`): one per source article (and per official list),
  plus ``ontology``, ``shapes`` and ``reference``, and ``backbone``; ``GRAPH
  ?g`` and ``FROM NAMED`` reach them. :meth:`GraphStore.graph` gives the
  curated graph back (without the backbone) for rdflib's stack.

A store knows the Turtle file it was built with (size and modification time,
in ``kgraph-store.json``): ``--input build/kgraph.ttl`` opens the store only
when it is current, and otherwise reads the file itself. Any RDF file can be an
input (Turtle, N-Triples, RDF/XML, JSON-LD, TriG, N-Quads); quads are read as a
dataset, whose default graph is then the union of its graphs. An input with no
triples is an error, never an empty success.

The store keeps values, not lexical forms: ``"209.0"^^xsd:decimal`` reads back
as ``"209"^^xsd:decimal`` (the same number). Invalid literals are kept as
written; SHACL validation is what catches them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kgraph import __version__, resources
from kgraph.errors import InputError, first_line
from kgraph.files import atomic_folder
from kgraph.graph.layout import GraphLayout
from kgraph.graph.namespaces import XSD, bind_prefixes
from kgraph.graph.store import FORMATS

#: suffix of the store folder beside the Turtle file (build/kgraph.ttl -> build/kgraph.oxigraph)
STORE_SUFFIX = ".oxigraph"
#: the stamp file inside a store folder
STAMP = "kgraph-store.json"
#: rdflib format name -> pyoxigraph format
_OX_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
#: file suffix -> pyoxigraph format, for every RDF file an input may be (the suffixes
#: :data:`kgraph.graph.store.FORMATS` knows)
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    suffix: _OX_FORMATS[name] for suffix, name in FORMATS.items()
}
_STRING = str(XSD.string)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass
class GraphStore:
    """An opened store: the pyoxigraph ``Store`` and where it came from.

    ``path`` is the store folder (``None`` for a store in memory, read from an
    RDF file); ``source`` is the file the data came from.
    """

    store: ox.Store
    path: Path | None
    source: Path
    triples: int
    #: named graphs that are not part of the curated graph (the backbone, the shapes);
    #: empty for a store read from a file
    not_curated: tuple[str, ...] = ()

    def __len__(self) -> int:
        """Triples in the default graph (the built graph)."""
        return self.triples

    def contains(self, term: Node) -> bool:
        """Whether ``term`` is a subject or an object of the default graph."""
        node = to_oxigraph(term)
        default = ox.DefaultGraph()
        for pattern in ((node, None, None, default), (None, None, node, default)):
            if next(iter(self.store.quads_for_pattern(*pattern)), None) is not None:
                return True
        return False

    def count(self, graph: str | None = None) -> int:
        """Triples in the default graph, or in the named graph ``graph``."""
        return _count_default(self.store, graph)

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph(self, name: str | None = None) -> Graph:
        """The curated graph (or the named graph ``name``) as an rdflib graph, for rdflib's stack.

        pySHACL, the network projection and the writers work on rdflib graphs;
        everything else queries the store directly. The curated graph is what
        ``kgraph.ttl`` holds: the default graph without the national backbone
        (the union of the other named graphs but the shapes).
        """
        if name is not None or not self.not_curated:
            targets: list[Any] = [ox.DefaultGraph() if name is None else ox.NamedNode(name)]
        else:
            targets = [g for g in self.store.named_graphs() if g.value not in self.not_curated]
        out = Graph()
        bind_prefixes(out)
        for target in targets:
            out.addN(
                (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), out)
                for q in self.store.quads_for_pattern(None, None, None, target)
            )
        return out


# -- terms ------------------------------------------------------------------------------------


def to_oxigraph(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


@lru_cache(maxsize=1 << 18)
def _uri(value: str) -> URIRef:
    """One URIRef per IRI text: checking and making a URIRef was half of reading a big result."""
    return URIRef(value)


def to_rdflib(term: Any) -> Node:
    """A pyoxigraph term as an rdflib term (``xsd:string`` literals plain, as rdflib has them)."""
    if isinstance(term, ox.NamedNode):
        return _uri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=_uri(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


def _quads(graph: Graph, layout: GraphLayout) -> Iterator[ox.Quad]:
    """``graph`` in the default graph and each graph of ``layout`` under its name.

    One bulk load of every quad; each term is converted once (a fact's IRI
    stands in several graphs). As fast as loading N-Quads text, without
    making an rdflib graph per named graph first.
    """
    converted: dict[Node, Any] = {}

    def term(node: Node) -> Any:
        found = converted.get(node)
        if found is None:
            found = converted[node] = to_oxigraph(node)
        return found

    default = ox.DefaultGraph()
    for s, p, o in graph:
        yield ox.Quad(term(s), term(p), term(o), default)
    for name, triples in layout.members():
        named = ox.NamedNode(str(name))
        for s, p, o in triples:
            yield ox.Quad(term(s), term(p), term(o), named)


# -- building and opening -----------------------------------------------------------------------


def store_path_for(turtle: Path) -> Path:
    """Where the store built with ``turtle`` lives: ``kgraph.ttl`` -> ``kgraph.oxigraph/``."""
    return Path(turtle).with_suffix(STORE_SUFFIX)


def _stamp_of(source: Path) -> dict[str, Any]:
    info = source.stat()
    return {"source": source.name, "size": info.st_size, "mtime_ns": info.st_mtime_ns}


def write_store(
    graph: Graph,
    layout: GraphLayout,
    turtle: Path,
    backbone: Path | None = None,
    backbone_graph: str | None = None,
) -> Path:
    """Build the store for ``graph`` beside ``turtle`` (already written) and return its folder.

    ``backbone`` is a store folder holding the national backbone (see
    :func:`kgraph.graph.backbone.backbone_store`, in its named graph
    ``backbone_graph`` and in the default graph): it is copied, and the
    curated graph added to it. The store is built in a temporary folder and
    renamed into place, so a failed build never leaves half a store, and an
    old store is replaced whole.
    """
    target = store_path_for(turtle)
    with atomic_folder(target) as scratch:
        if backbone is not None:
            shutil.copytree(backbone / "data", scratch / "data")
        store = ox.Store(str(scratch / "data"))
        store.bulk_extend(_quads(graph, layout))
        store.flush()
        triples = _count_default(store) if backbone is not None else len(graph)
        del store
        not_curated = [str(layout.shapes.identifier)]
        if backbone_graph is not None:
            not_curated.append(backbone_graph)
        _write_stamp(scratch, **_stamp_of(Path(turtle)), triples=triples, not_curated=not_curated)
    return target


def _write_stamp(folder: Path, **fields: Any) -> None:
    stamp = {**fields, "kgraph": __version__}
    (folder / STAMP).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")


def _read_stamp(folder: Path) -> dict[str, Any] | None:
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def is_store(path: Path) -> bool:
    """Whether ``path`` is a store folder kgraph built."""
    return path.is_dir() and (path / STAMP).is_file() and (path / "data").is_dir()


def current_store(turtle: Path) -> Path | None:
    """The store built with ``turtle`` if it is still current (same size and time), else None."""
    folder = store_path_for(turtle)
    stamp = _read_stamp(folder) if is_store(folder) else None
    if stamp is None or not turtle.is_file():
        return None
    now = _stamp_of(turtle)
    same = all(stamp.get(k) == now[k] for k in ("source", "size", "mtime_ns"))
    return folder if same else None


def open_store(folder: Path) -> GraphStore:
    """Open a store folder read-only (many processes may do so at once)."""
    stamp = _read_stamp(folder)
    if stamp is None or not (folder / "data").is_dir():
        raise InputError(
            "not a kgraph store (no kgraph-store.json); run `kgraph build`", path=folder
        )
    try:
        store = ox.Store.read_only(str(folder / "data"))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", path=folder) from exc
    return GraphStore(
        store,
        folder,
        folder.parent / str(stamp.get("source", "")),
        int(stamp["triples"]),
        tuple(stamp.get("not_curated", ())),
    )


def load_file(path: Path) -> GraphStore:
    """Read any RDF file into a store in memory; quads as a dataset (default graph = union)."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"unknown RDF file type {path.suffix!r} (use {', '.join(sorted(RDF_FORMATS))}, "
            "or a store folder)",
            path=path,
        )
    store = ox.Store()
    try:
        if fmt.supports_datasets:
            store.load(path=str(path), format=fmt)
            store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        else:
            store.bulk_load(path=str(path), format=fmt, to_graph=ox.DefaultGraph())
    except (SyntaxError, ValueError, OSError) as exc:
        first = first_line(exc)
        raise InputError(f"cannot parse as RDF: {first}", path=path) from None
    triples = _count_default(store)
    if triples == 0:
        raise InputError("the file holds no triples; nothing to work on", path=path)
    return GraphStore(store, None, path, triples)


def _count_default(store: ox.Store, graph: str | None = None) -> int:
    """Triples in the default graph (or in the named graph ``graph``), counted by the store."""
    query = (resources.queries_dir() / "engine" / "count-triples.rq").read_text(encoding="utf-8")
    dataset = {} if graph is None else {"default_graph": ox.NamedNode(graph)}
    (row,) = list(store.query(query, **dataset))  # type: ignore[arg-type]
    return int(row["n"].value)


def open_input(path: Path | None = None) -> GraphStore:
    """What ``--input PATH`` names, opened: a store folder, a Turtle file with its current
    store beside it, or any RDF file (read into memory). Default: ``build/kgraph.ttl``."""
    path = Path(path) if path is not None else resources.default_build_dir() / "kgraph.ttl"
    if path.is_dir():
        return open_store(path)
    if not path.is_file():
        raise InputError("file not found; run `kgraph build` first?", path=path)
    folder = current_store(path)
    if folder is not None:
        return open_store(folder)
    return load_file(path)


def from_graph(graph: Graph) -> GraphStore:
    """An rdflib graph as a store in memory (its default graph), for library users and tests."""
    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return GraphStore(store, None, Path("<rdflib graph>"), len(graph))


def copy_to_folder(source: GraphStore, folder: Path) -> GraphStore:
    """Copy every graph of ``source`` into a new store folder and open it read-only.

    The endpoint's workers open a folder; an input read into memory is copied
    into a scratch folder first.
    """
    folder.mkdir(parents=True)
    store = ox.Store(str(folder / "data"))
    store.bulk_extend(source.store.quads_for_pattern(None, None, None, None))
    store.flush()
    del store
    _write_stamp(
        folder,
        source=source.source.name,
        triples=source.triples,
        not_curated=list(source.not_curated),
    )
    return open_store(folder)
