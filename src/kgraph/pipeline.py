"""The main job's steps, chained: load -> build -> (validate) -> write.

Kept apart from the CLI so tests and other programs run exactly what
``kgraph build`` runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kgraph.check import RENDERERS, GraphViolations, ValidationReport, validate_graph
from kgraph.check.locate import locate
from kgraph.curate.dataset import load_dataset
from kgraph.files import atomic_writer
from kgraph.graph.backbone import backbone_store
from kgraph.graph.build import build_graph
from kgraph.graph.engine import open_store, write_store
from kgraph.graph.layout import GraphLayout, named_graphs, packaged_shapes
from kgraph.graph.namespaces import Iris
from kgraph.graph.store import write_graph
from kgraph.graph.summary import BuildSummary, summarise

#: report format -> file suffix of ``validation-report.<suffix>``
REPORT_SUFFIXES: dict[str, str] = {"text": "txt", "json": "json", "turtle": "ttl"}


@dataclass(frozen=True)
class BuildResult:
    """The built graph, where it was written, and what it holds."""

    graph: Graph
    path: Path
    summary: BuildSummary
    validation: ValidationReport | None = None
    store: Path | None = None
    #: the named-graph split the store was built with (the release reuses it)
    layout: GraphLayout | None = None
    #: the named graph of the national backbone in the store (None: built without it)
    backbone_graph: str | None = None

    def store_line(self) -> str:
        """What the store holds, in a few words (its default graph and the backbone)."""
        if self.store is None:
            return "no store"
        store = open_store(self.store)
        if self.backbone_graph is None:
            return f"{len(store)} triples"
        backbone = store.count(self.backbone_graph)
        return f"{len(store)} triples, {backbone} of them the national backbone"


def build_to_file(
    data_dir: Path,
    out: Path,
    iris: Iris | None = None,
    *,
    validate: bool = True,
    backbone: bool = True,
) -> BuildResult:
    """Load and check ``data_dir``, build the graph, validate it and write it to ``out`` atomically.

    Beside ``out`` goes the store every reading command opens
    (``kgraph.ttl`` -> ``kgraph.oxigraph/``, see :mod:`kgraph.graph.engine`):
    the curated graph and, unless ``backbone`` is false, the national backbone
    of both unit lists (:mod:`kgraph.graph.backbone`) in the default graph and
    in its own named graph. ``kgraph.ttl`` holds the curated graph alone.
    A graph with SHACL violations is not written (:class:`GraphViolations`,
    exit code 1) unless ``validate`` is false; warnings never stop the build.
    """
    iris = iris or Iris()
    dataset = load_dataset(data_dir)
    graph = build_graph(dataset, iris)
    report = None
    if validate:
        report = locate(validate_graph(graph), dataset, iris)
        if not report.conforms:
            raise GraphViolations(report, out)
    write_graph(graph, out)
    layout = named_graphs(graph, iris, packaged_shapes())
    folder = backbone_store(data_dir, dataset.admin_units, iris) if backbone else None
    backbone_graph = str(iris.graph("backbone")) if backbone else None
    store = write_store(graph, layout, out, folder, backbone_graph)
    return BuildResult(graph, out, summarise(graph, iris), report, store, layout, backbone_graph)


def write_validation_reports(report: ValidationReport, out_dir: Path) -> list[Path]:
    """Write ``validation-report.{txt,json,ttl}`` under ``out_dir``, each atomically."""
    written = []
    for fmt, suffix in REPORT_SUFFIXES.items():
        path = out_dir / f"validation-report.{suffix}"
        with atomic_writer(path) as fh:
            fh.write(RENDERERS[fmt](report).encode("utf-8"))
        written.append(path)
    return written


def run_all(data_dir: Path, out_dir: Path, iris: Iris | None = None) -> list[str]:
    """The main job: every artefact the project makes, under ``out_dir``.

    Returns one line per artefact written, for the CLI to print: the graph,
    its validation reports, the query library's results, the network views
    and the release (every export format with its description and checksums).
    """
    from kgraph.publish.release import make_release
    from kgraph.sparql import write_library_results
    from kgraph.views.render import write_all_views

    iris = iris or Iris()
    result = build_to_file(data_dir, out_dir / "kgraph.ttl", iris)
    lines = [
        f"graph: {result.path} ({result.summary.triples} triples)",
        f"store: {result.store} ({result.store_line()})",
    ]
    report = result.validation or validate_graph(result.graph)
    lines.append(f"validation: {RENDERERS['text'](report).splitlines()[0]}")
    lines += [f"validation report: {p}" for p in write_validation_reports(report, out_dir)]
    assert result.store is not None
    written = write_library_results(open_store(result.store), out_dir / "queries", iris)
    lines.append(f"query results: {out_dir / 'queries'} ({len(written)} CSV files)")
    views = write_all_views(result.graph, out_dir / "views")
    lines.append(f"views: {out_dir / 'views' / 'index.html'} ({len(views)} files)")
    release = make_release(
        result.graph,
        out_dir / "release",
        iris,
        layout=result.layout,
        backbone=open_store(result.store),
    )
    lines.append(release.render())
    return lines
