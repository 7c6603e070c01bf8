"""Stage: a release folder integrators can download, verify and load.

``make_release`` writes every export format, the ontology, the SHACL shapes,
the JSON-LD context and the VoID/DCAT description into one folder, with a
``manifest.json`` and ``SHA256SUMS``. The folder is assembled beside its target
and swapped in only when complete, so a failed release never leaves half a
folder, and releasing the same graph twice gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
import zlib
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
from rdflib import Graph

from kgraph import __version__, resources
from kgraph.errors import InputError, OutputError, first_line
from kgraph.files import atomic_folder
from kgraph.graph.engine import GraphStore
from kgraph.graph.layout import GraphLayout, named_graphs, packaged_shapes
from kgraph.graph.namespaces import DCAT, DCTERMS, PREFIXES, RDF, Iris
from kgraph.graph.store import read_graph, serialize, write_bytes
from kgraph.publish.description import Distribution, describe_dataset
from kgraph.publish.framed import FRAMED_KINDS, framed_jsonld
from kgraph.publish.writers import FORMATS, export_formats

DESCRIPTION_FILE = "void.ttl"
BACKBONE_FILE = "backbone.ttl"
MANIFEST_FILE = "manifest.json"
CHECKSUMS_FILE = "SHA256SUMS"


@dataclass(frozen=True)
class ReleaseFile:
    """One file of the release: where, what, how big, its checksum and (RDF) statement count."""

    path: str
    media_type: str
    bytes: int
    sha256: str
    statements: int | None = None


@dataclass(frozen=True)
class Release:
    """What ``make_release`` wrote."""

    out_dir: Path
    version: str
    issued: str | None
    triples: int
    files: tuple[ReleaseFile, ...]

    def render(self) -> str:
        """One line for the terminal."""
        return f"release: {self.out_dir} ({len(self.files)} files, {self.triples} triples)"


def make_release(
    graph: Graph,
    out_dir: Path,
    iris: Iris | None = None,
    *,
    issued: date | None = None,
    endpoint: str | None = None,
    download_base: str | None = None,
    layout: GraphLayout | None = None,
    backbone: GraphStore | None = None,
) -> Release:
    """Write the release of ``graph`` into ``out_dir`` (replacing what was there).

    ``issued``, ``endpoint`` and ``download_base`` go into the dataset
    description (see :func:`kgraph.publish.description.describe_dataset`);
    ``download_base`` defaults to ``<base>/release/<version>``, so that every
    distribution has the ``dcat:accessURL`` DCAT-AP requires; ``layout``
    reuses a named-graph split already made of ``graph``. With
    ``backbone`` (the store ``kgraph build`` wrote), the national backbone of
    both unit lists is published beside the graph as ``backbone.ttl``: its own
    file, as it is its own named graph, for integrators to take or leave.
    """
    iris = iris or Iris()
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("exists and is not a folder", path=out_dir)
    shapes = packaged_shapes()
    if layout is None:
        layout = named_graphs(graph, iris, shapes)
    quads = sum(len(g) for g in layout.graphs())
    with atomic_folder(out_dir) as stage:
        files: list[ReleaseFile] = []
        exported = export_formats(graph, list(FORMATS), stage, iris, shapes, layout)
        for name, spec in FORMATS.items():
            count = (quads if spec.quads else len(graph)) if spec.rdf else None
            for path in exported[name]:
                files.append(_entry(stage, path, spec.media_type, count))
        if backbone is not None:
            written = _write_backbone(backbone, stage / BACKBONE_FILE, iris)
            if written is not None:
                files.append(_entry(stage, stage / BACKBONE_FILE, "text/turtle", written))
        dumps = {f.path for f in files if f.statements is not None}
        for kind in FRAMED_KINDS:  # framed JSON-LD per entity kind: not dumps of the whole graph
            framed = framed_jsonld(graph, kind)
            path = write_bytes(stage / framed.file_name, framed.render)
            files.append(_entry(stage, path, "application/ld+json", framed.statements))
        for name, (source, media_type) in _shipped().items():
            if source.is_file():
                shutil.copyfile(source, stage / name)
                statements = len(read_graph(source)) if name.endswith(".ttl") else None
                files.append(_entry(stage, stage / name, media_type, statements))
        description = describe_dataset(
            graph,
            iris,
            layout=layout,
            issued=issued,
            endpoint=endpoint,
            distributions=[
                Distribution(f.path, f.media_type, f.bytes, rdf=f.path in dumps) for f in files
            ],
            download_base=download_base or iris.release(__version__),
        )
        path = write_bytes(stage / DESCRIPTION_FILE, lambda: serialize(description, "turtle"))
        files.append(_entry(stage, path, "text/turtle", len(description)))
        files.sort(key=lambda f: f.path)
        release = Release(
            out_dir=out_dir,
            version=__version__,
            issued=_issued(description),
            triples=len(graph),
            files=tuple(files),
        )
        manifest = _manifest(release, iris)
        write_bytes(stage / MANIFEST_FILE, lambda: manifest)
        sums = [*files, _entry(stage, stage / MANIFEST_FILE, "application/json", None)]
        write_bytes(
            stage / CHECKSUMS_FILE,
            lambda: "".join(f"{f.sha256}  {f.path}\n" for f in sums).encode("utf-8"),
        )
        for path in stage.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        stage.chmod(0o755)
        _verify(stage, sums)
    return release


def _write_backbone(store: GraphStore, path: Path, iris: Iris) -> int | None:
    """The store's backbone graph as Turtle, written by pyoxigraph straight from the store."""
    name = ox.NamedNode(str(iris.graph("backbone")))
    if name.value not in store.named_graphs():
        return None
    write_bytes(
        path,
        lambda: (
            store.store.dump(format=ox.RdfFormat.TURTLE, from_graph=name, prefixes=PREFIXES) or b""
        ),
    )
    return store.count(name.value)


def _shipped() -> dict[str, tuple[Path, str]]:
    """Files copied into every release as shipped: name in the release -> (file, media type)."""
    return {
        "ontology.ttl": (resources.ontology_file(), "text/turtle"),
        "shapes.ttl": (resources.shapes_file(), "text/turtle"),
        "context.jsonld": (resources.ontology_dir() / "context.jsonld", "application/ld+json"),
    }


def _entry(root: Path, path: Path, media_type: str, statements: int | None) -> ReleaseFile:
    data = path.read_bytes()
    return ReleaseFile(
        path=path.relative_to(root).as_posix(),
        media_type=media_type,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        statements=statements,
    )


def _issued(description: Graph) -> str | None:
    """The issue date the description gives the dataset (the one ``dcat:Dataset`` in it)."""
    dataset = description.value(predicate=RDF.type, object=DCAT.Dataset)
    issued = description.value(dataset, DCTERMS.issued) if dataset is not None else None
    return None if issued is None else str(issued)


def _manifest(release: Release, iris: Iris) -> bytes:
    doc = {
        "name": "kgraph",
        "version": release.version,
        "issued": release.issued,
        "base": iris.base,
        "triples": release.triples,
        "description": DESCRIPTION_FILE,
        "files": [{k: v for k, v in asdict(f).items() if v is not None} for f in release.files],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


#: media type -> pyoxigraph format, for re-reading the RDF files of a release
_READ_BACK = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


def _verify(stage: Path, files: list[ReleaseFile]) -> None:
    """Read back every file before the release is published; refuse it if one does not hold.

    Each file must match the checksum written for it; RDF files must parse (with
    another parser than the one that wrote them) and hold the statements the
    manifest counts; XML must be well-formed; JSON must load.
    """
    sums = {
        line.split("  ", 1)[1]: line.split("  ", 1)[0]
        for line in (stage / CHECKSUMS_FILE).read_text(encoding="utf-8").splitlines()
    }
    for entry in files:
        path = stage / entry.path
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sums.get(entry.path):
            raise OutputError("does not match its checksum in SHA256SUMS", path=path)
        try:
            if entry.media_type.endswith("xml"):
                ElementTree.fromstring(data)
            if entry.media_type.endswith("json") and not entry.path.endswith(".jsonld"):
                json.loads(data)
            if entry.path.endswith(".xlsx"):  # a workbook is a zip: every entry's CRC must hold
                with zipfile.ZipFile(path) as archive:
                    damaged = archive.testzip()
                if damaged is not None:
                    raise ValueError(f"damaged entry {damaged}")
            fmt = _READ_BACK.get(entry.media_type)
            if fmt is not None and entry.statements is not None:
                parsed = ox.parse(data, format=fmt)
                # JSON-LD may state a triple twice (a framed file embeds a shared period under
                # each fact that has it): count distinct statements there
                found = len(set(parsed)) if fmt == ox.RdfFormat.JSON_LD else sum(1 for _ in parsed)
                if found != entry.statements:
                    raise OutputError(
                        f"reads back as {found} statements, not the {entry.statements} written",
                        path=path,
                    )
        except (
            SyntaxError,
            ValueError,
            ElementTree.ParseError,
            zipfile.BadZipFile,
            zlib.error,
        ) as exc:
            raise OutputError(
                f"the file written does not read back: {first_line(exc)}", path=path
            ) from None


__all__ = ["Release", "ReleaseFile", "make_release"]
