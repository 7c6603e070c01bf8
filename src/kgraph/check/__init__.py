"""Checking the graph against the SHACL shapes: validation and its report.

``validate`` runs pySHACL, ``planner`` makes its SPARQL rules fast, ``report``
types and renders the results. The names below are the public API.
"""

from kgraph.check.report import (
    RENDERERS,
    GraphViolations,
    Quote,
    Severity,
    ValidationReport,
    ValidationResult,
)
from kgraph.check.validate import validate_graph

__all__ = [
    "RENDERERS",
    "GraphViolations",
    "Quote",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "validate_graph",
]
