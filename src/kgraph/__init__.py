"""kgraph: a knowledge graph of Vietnamese party organisations and local development.

The pipeline runs one way, one subpackage per stage (``docs/architecture.md``):
curated tables (:mod:`kgraph.curate`) -> graph (:mod:`kgraph.graph`) ->
{check (:mod:`kgraph.check`), SPARQL (:mod:`kgraph.sparql`), views
(:mod:`kgraph.views`)} -> publish (:mod:`kgraph.publish`); :mod:`kgraph.pipeline`
chains them and :mod:`kgraph.cli` is a thin shell over them.

Each stage's public function is importable from here as well; they are loaded
on first use, so ``import kgraph`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("kgraph")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"

#: public name -> the module that defines it
_API: dict[str, str] = {
    "load_dataset": "kgraph.curate.dataset",
    "build_graph": "kgraph.graph.build",
    "read_graph": "kgraph.graph.store",
    "write_graph": "kgraph.graph.store",
    "Iris": "kgraph.graph.namespaces",
    "validate_graph": "kgraph.check.validate",
    "library": "kgraph.sparql.named",
    "run_query": "kgraph.sparql.engines",
    "render": "kgraph.sparql.results",
    "project": "kgraph.views.projection",
    "write_view": "kgraph.views.render",
    "compute_stats": "kgraph.views.analytics",
    "export": "kgraph.publish.writers",
    "make_release": "kgraph.publish.release",
    "write_site": "kgraph.pages.static",
    "write_chart": "kgraph.charts.render",
    "build_to_file": "kgraph.pipeline",
    "run_all": "kgraph.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")


__all__ = ["__version__", *_API]
