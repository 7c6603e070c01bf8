"""The one place that knows where the packaged folders live.

In a source checkout (or an editable install) they are the top-level
``ontology/``, ``queries/`` and ``data/``; in a wheel they are shipped as
``kgraph.share.*``. Nothing else in kgraph builds paths to them.
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


def default_build_dir() -> Path:
    """Where the main job writes by default: ``build/`` under the working directory."""
    return Path("build")
