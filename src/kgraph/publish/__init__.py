"""Publishing: RDF exports in every format, the dataset description (VoID, DCAT), the release."""

from kgraph.graph.layout import named_graphs
from kgraph.publish.description import Distribution, describe_dataset
from kgraph.publish.release import Release, make_release
from kgraph.publish.writers import FORMATS, export

__all__ = [
    "FORMATS",
    "Distribution",
    "Release",
    "describe_dataset",
    "export",
    "make_release",
    "named_graphs",
]
