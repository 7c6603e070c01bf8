"""Stage: write the built graph in the formats integrators load.

``export`` is the stage's entry point; ``FORMATS`` is the registry the CLI offers.
TriG and N-Quads follow the named-graph layout of :mod:`kgraph.graph.layout`.
Every writer renders bytes in a fixed order, so exporting the same graph twice
gives byte-identical files and a changed fact shows up as a small diff.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node

from kgraph import resources
from kgraph.errors import InputError
from kgraph.graph.layout import GraphLayout, named_graphs, packaged_shapes, stable_blank_nodes
from kgraph.graph.namespaces import PREFIXES, Iris, bind_prefixes
from kgraph.graph.store import serialize, write_bytes

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


#: what makes a spreadsheet read a cell as a formula (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula.

    Cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``) are prefixed with an apostrophe,
    as spreadsheet-safe exporters do; numbers such as ``-2.5`` are left alone.

    >>> spreadsheet_safe("=1+2"), spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("-2.5")
    ("'=1+2", "'@SUM(A1)", '-2.5')
    >>> spreadsheet_safe("Pom Lót")
    'Pom Lót'
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


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
        self.graph += stable_blank_nodes(graph)

    @cached_property
    def layout(self) -> GraphLayout:
        if self._layout is not None:
            return self._layout
        shapes = self._shapes
        if shapes is None:
            shapes = packaged_shapes()
        return named_graphs(self.graph, self.iris, shapes)

    def cell(self, term: Node | None) -> str:
        """A CSV cell: instance IRIs as ids, vocabulary as prefixed names, literals as written."""
        if term is None:
            return ""
        if isinstance(term, Literal):
            return spreadsheet_safe(str(term))
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
    "ExportFormat",
    "GraphLayout",
    "export",
    "named_graphs",
]
