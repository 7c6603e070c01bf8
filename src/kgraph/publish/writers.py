"""Stage: write the built graph in the formats integrators load.

``export`` is the stage's entry point; ``FORMATS`` is the registry the CLI offers.
TriG and N-Quads follow the named-graph layout of :mod:`kgraph.graph.layout`;
the CSV tables and the .xlsx workbook come from :mod:`kgraph.publish.tables`.
Every writer renders bytes in a fixed order, so exporting the same graph twice
gives byte-identical files and a changed fact shows up as a small diff.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node

from kgraph import resources
from kgraph.errors import InputError
from kgraph.graph.layout import GraphLayout, named_graphs, packaged_shapes, stable_blank_nodes
from kgraph.graph.namespaces import Iris, bind_prefixes
from kgraph.graph.store import serialize, write_bytes
from kgraph.publish.tables import (
    CSV_TABLES,
    XLSX_MEDIA_TYPE,
    Table,
    csv_files,
    read_tables,
    spreadsheet_safe,
    xlsx_file,
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


# -- what one export reads ---------------------------------------------------------------


class _Source:
    """The graph being exported, with what the writers derive from it, computed once."""

    def __init__(
        self,
        graph: Graph,
        iris: Iris,
        shapes: Graph | None,
        layout: GraphLayout | None,
        bom: bool = False,
    ) -> None:
        self.iris = iris
        self.bom = bom
        self._shapes = shapes
        self._layout = layout
        self.graph = _OrderedGraph()
        bind_prefixes(self.graph)
        self.graph += stable_blank_nodes(graph)

    @cached_property
    def tables(self) -> tuple[Table, ...]:
        """The export queries' tables, shared by the CSV files and the workbook."""
        return read_tables(self.graph)

    @cached_property
    def layout(self) -> GraphLayout:
        if self._layout is not None:
            return self._layout
        shapes = self._shapes
        if shapes is None:
            shapes = packaged_shapes()
        return named_graphs(self.graph, self.iris, shapes)


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
    return csv_files(src.tables, src.iris, bom=src.bom)


def _xlsx(src: _Source) -> dict[str, bytes]:
    return {"kgraph.xlsx": xlsx_file(src.tables, src.iris)}


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
        ExportFormat(
            "xlsx", XLSX_MEDIA_TYPE, "the CSV tables as one workbook, typed", _xlsx, rdf=False
        ),
    )
}


def export(
    graph: Graph,
    fmt: str,
    out_dir: Path,
    iris: Iris | None = None,
    shapes: Graph | None = None,
    layout: GraphLayout | None = None,
    *,
    bom: bool = False,
) -> list[Path]:
    """Write ``graph`` as ``fmt`` into ``out_dir``; returns the files written.

    ``shapes`` (the SHACL shapes for the TriG/N-Quads ``shapes`` graph)
    defaults to ``ontology/shapes.ttl`` when that file exists; ``layout``
    reuses a :func:`named_graphs` split already made (it replaces ``shapes``).
    ``bom`` (csv only) starts every table with a UTF-8 byte-order mark, for Excel.
    Every file is rendered before any is written, each atomically.

    >>> import tempfile
    >>> from kgraph.curate.dataset import load_dataset
    >>> from kgraph.graph.build import build_graph
    >>> g = build_graph(load_dataset(resources.data_dir()))
    >>> [p.name for p in export(g, "ntriples", Path(tempfile.mkdtemp()))]
    ['kgraph.nt']
    """
    return export_formats(graph, [fmt], out_dir, iris, shapes, layout, bom=bom)[fmt]


def export_formats(
    graph: Graph,
    formats: Sequence[str],
    out_dir: Path,
    iris: Iris | None = None,
    shapes: Graph | None = None,
    layout: GraphLayout | None = None,
    *,
    bom: bool = False,
) -> dict[str, list[Path]]:
    """:func:`export` of several formats at once, sharing what they derive (the tables).

    Every format is rendered before any file is written.
    """
    for fmt in formats:
        if fmt not in FORMATS:
            raise InputError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
        if bom and fmt != "csv":
            raise InputError(f"a byte-order mark is for the csv format only, not {fmt!r}")
    src = _Source(graph, iris or Iris(), shapes, layout, bom)
    rendered = {fmt: FORMATS[fmt].write(src) for fmt in formats}
    return {
        fmt: [_write(Path(out_dir) / rel, data) for rel, data in sorted(files.items())]
        for fmt, files in rendered.items()
    }


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
    "export_formats",
    "named_graphs",
    "spreadsheet_safe",
]
