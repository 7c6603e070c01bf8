"""kgraph: a knowledge graph of Vietnamese party organisations and local development.

The pipeline runs one way: curated tables -> build -> graph -> {validate, query,
analyse, view, export, serve}. Each stage is a module with one public function;
``kgraph.cli`` is a thin shell over them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kgraph")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
