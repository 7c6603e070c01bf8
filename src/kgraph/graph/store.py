"""Reading and writing graphs: the one place that touches RDF files.

Every stage reads through :func:`read_graph` and writes through
:func:`write_graph` / :func:`write_bytes`, so a faster backend (pyoxigraph, a
remote store) is a change here, not in the stages. Writes are atomic: a file
is written next to its target and renamed into place, so a failure never
leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from rdflib import Dataset, Graph

from kgraph.errors import InputError
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
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot parse as RDF: {first}", path=path) from exc
    if len(graph) == 0:
        raise InputError("the file holds no triples; nothing to work on", path=path)
    return graph


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Open a temporary binary file beside ``path``; rename it over ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path, produce: Callable[[], bytes]) -> Path:
    """Write what ``produce`` returns to ``path`` atomically."""
    data = produce()
    with atomic_writer(path) as fh:
        fh.write(data)
    return path


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise deterministically: Turtle as rdflib writes it, N-Triples sorted line by line."""
    if fmt == "nt":
        lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(set(line for line in lines if line.strip())))
    data = graph.serialize(format=fmt, encoding="utf-8")
    assert isinstance(data, bytes)
    return data


def write_graph(graph: Graph, path: Path, fmt: str | None = None) -> Path:
    """Serialise ``graph`` to ``path`` (format from the suffix) atomically."""
    path = Path(path)
    rdf_format = format_for(path, fmt)
    return write_bytes(path, lambda: serialize(graph, rdf_format))
