"""The one place that knows where the packaged folders and files live.

In a source checkout (or an editable install) the data folders are the
top-level ``ontology/``, ``queries/`` and ``data/``; in a wheel they are shipped
as ``kgraph.share.*``. The view templates live inside the package
(``kgraph/views/templates``) and vis-network comes from pyvis. Nothing else in
kgraph builds paths to any of them.
"""

from __future__ import annotations

from functools import cache
from importlib import resources as _res
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]
_FOLDERS = ("ontology", "queries", "data")


@cache
def _folder(name: str) -> Path:
    if name not in _FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}")
    local = _CHECKOUT / name
    if (_CHECKOUT / "pyproject.toml").is_file() and local.is_dir():
        return local
    return Path(str(_res.files(f"kgraph.share.{name}")))


def ontology_dir() -> Path:
    """Folder holding the ontology and SHACL shapes (Turtle)."""
    return _folder("ontology")


def queries_dir() -> Path:
    """Folder holding the named SPARQL queries (``*.rq``)."""
    return _folder("queries")


def data_dir() -> Path:
    """The project's shipped data folder (sources, curated tables, admin units)."""
    return _folder("data")


def ontology_file() -> Path:
    """The OWL ontology."""
    return ontology_dir() / "kgraph.ttl"


def shapes_file() -> Path:
    """The SHACL shapes graph."""
    return ontology_dir() / "shapes.ttl"


def jsonld_dir() -> Path:
    """Folder holding the framed JSON-LD context and one frame per entity kind."""
    return ontology_dir() / "jsonld"


def default_build_dir() -> Path:
    """Where the main job writes by default: ``build/`` under the working directory."""
    return Path("build")


def templates_dir() -> Path:
    """Folder holding the view templates (Jinja HTML, CSS and JavaScript)."""
    return Path(str(_res.files("kgraph.views") / "templates"))


def pages_templates_dir() -> Path:
    """Folder holding the entity pages' templates, style sheet and search script."""
    return Path(str(_res.files("kgraph.pages") / "templates"))


def review_template() -> Path:
    """The review page's template (HTML with its CSS and JavaScript inlined)."""
    return Path(str(_res.files("kgraph.curate.review") / "templates" / "review.html"))


def vis_network_dir() -> Path:
    """Folder holding the vis-network JavaScript and CSS that pyvis ships (inlined into views)."""
    return Path(str(_res.files("pyvis") / "templates" / "lib" / "vis-9.1.2"))


def cache_dir() -> Path:
    """Where kgraph keeps what it can rebuild from its inputs (the backbone store).

    ``KGRAPH_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/kgraph``, else
    ``~/.cache/kgraph``. Deleting it is always safe.
    """
    import os

    explicit = os.environ.get("KGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "kgraph"
