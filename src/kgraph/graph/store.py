"""Reading and writing graphs: the one place that touches RDF files.

Every stage reads through :func:`read_graph` and writes through
:func:`write_graph` / :func:`write_bytes`, so a faster backend (pyoxigraph, a
remote store) is a change here, not in the stages. Writes are atomic: a file
is written next to its target and renamed into place, so a failure never
leaves half a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import NamespaceManager, split_uri
from rdflib.term import _is_valid_uri

from kgraph.errors import InputError, first_line
from kgraph.files import atomic_writer
from kgraph.graph.namespaces import bind_prefixes

#: file suffix -> rdflib format name
FORMATS: Mapping[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".trig": "trig",
    ".nq": "nquads",
}


def format_for(path: Path, fmt: str | None = None) -> str:
    """The rdflib format for ``path`` (from its suffix unless ``fmt`` is given)."""
    if fmt:
        return fmt
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(
            f"unknown RDF file type {path.suffix!r} (use {', '.join(sorted(FORMATS))})", path=path
        ) from None


#: rdflib formats that hold several graphs: read as a dataset, used as the union of its graphs
QUAD_FORMATS = frozenset({"trig", "nquads"})


def read_graph(path: Path, fmt: str | None = None) -> Graph:
    """Parse an RDF file; any failure is an InputError naming the file.

    TriG and N-Quads are read as a dataset and give the union of its graphs
    (what the release's ``kgraph.trig`` and ``kgraph.nq`` hold). A file with
    no triples is an error: no command has anything to do with it.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found; run `kgraph build` first?", path=path)
    rdf_format = format_for(path, fmt)
    graph = Graph()
    bind_prefixes(graph)
    try:
        if rdf_format in QUAD_FORMATS:
            dataset = Dataset()
            dataset.parse(path, format=rdf_format)
            for prefix, namespace in dataset.namespaces():
                graph.bind(prefix, namespace, override=False)
            for s, p, o, _g in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(path, format=rdf_format)
    except InputError:
        raise
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        first = first_line(exc)
        raise InputError(f"cannot parse as RDF: {first}", path=path) from exc
    if len(graph) == 0:
        raise InputError("the file holds no triples; nothing to work on", path=path)
    return graph


def write_bytes(path: Path, produce: Callable[[], bytes]) -> Path:
    """Write what ``produce`` returns to ``path`` atomically."""
    data = produce()
    with atomic_writer(path) as fh:
        fh.write(data)
    return path


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise deterministically: Turtle as rdflib writes it, N-Triples sorted line by line.

    Turtle and TriG go through :class:`_QuickNames`, which finds the same prefixed
    names as rdflib in time linear in the graph (see there).
    """
    if fmt == "nt":
        lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(set(line for line in lines if line.strip())))
    if fmt in ("turtle", "trig"):
        saved = graph.namespace_manager
        graph.namespace_manager = _QuickNames(graph)
        try:
            data = graph.serialize(format=fmt, encoding="utf-8")
        finally:
            graph.namespace_manager = saved
    else:
        data = graph.serialize(format=fmt, encoding="utf-8")
    assert isinstance(data, bytes)
    return data


class _QuickNames(NamespaceManager):
    """rdflib's prefixed-name lookup without its trie of every namespace ever seen.

    rdflib's ``compute_qname`` records the namespace part of every IRI it meets
    in a trie and scans it for a longer bound namespace on every lookup; our IRIs
    mint a new namespace per fact (``…/evidence/<source>/quote``), so writing
    Turtle grew quadratically (8.6 s for 52 k triples, 91-98 % of a build at
    10^5). A bound namespace that ends in ``/`` or ``#`` cannot hide inside a
    local name, so for IRIs under no other kind of namespace the answer is simply:
    split the IRI as rdflib does and look the namespace up. Same names, same
    bytes (tested); IRIs under an unusual namespace go to rdflib's own lookup.
    """

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph, bind_namespaces="none")  # bindings live in the store
        self._names: dict[str, tuple[str, URIRef, str]] = {}
        self._unusual = tuple(
            str(ns) for _, ns in graph.namespaces() if not str(ns).endswith(("/", "#"))
        )

    def compute_qname(self, uri: str, generate: bool = True) -> tuple[str, URIRef, str]:
        found = self._names.get(uri)
        if found is not None:
            return found
        if self._unusual and uri.startswith(self._unusual):
            return super().compute_qname(uri, generate)
        if not _is_valid_uri(uri):
            raise ValueError(f"{uri!r} is not a valid IRI")
        try:
            namespace, name = split_uri(uri)
        except ValueError:
            return super().compute_qname(uri, generate)  # rare: an IRI that is a namespace
        prefix = self.store.prefix(URIRef(namespace))
        if prefix is None:
            if generate:  # rdflib invents ns1, ns2 … (never for our graphs' predicates)
                return super().compute_qname(uri, generate)
            raise KeyError(f"no prefix for {namespace}")
        found = (prefix, URIRef(namespace), name)
        self._names[uri] = found
        return found


def write_graph(graph: Graph, path: Path, fmt: str | None = None) -> Path:
    """Serialise ``graph`` to ``path`` (format from the suffix) atomically."""
    path = Path(path)
    rdf_format = format_for(path, fmt)
    return write_bytes(path, lambda: serialize(graph, rdf_format))
