"""SPARQL over the graph: the named-query library, evaluation, the endpoint and push.

``named`` reads the library of ``.rq`` files and binds their parameters,
``results`` holds and writes answers, ``embedded`` runs a query on the store
(the engine every command uses), ``engines`` on an rdflib graph or on any SPARQL
1.1 endpoint, ``serve`` is the read-only endpoint (``kgraph serve``) and ``push``
sends the graph to a store. The names below are the public API.
"""

from kgraph.sparql.embedded import StoreEngine, query_store
from kgraph.sparql.engines import (
    Endpoint,
    LocalGraph,
    compile_query,
    evaluate,
    query_form,
    results_from_json,
    run_query,
    write_library_results,
)
from kgraph.sparql.named import (
    KIND_GROUPS,
    PARAM_TYPES,
    Bindings,
    NamedQuery,
    Param,
    bind_parameters,
    library,
    load_query,
    parse_header,
    term_n3,
    with_values,
)
from kgraph.sparql.results import (
    CLI_FORMATS,
    RESULT_FORMATS,
    LimitExceeded,
    QueryResult,
    comparable_value,
    render,
)

__all__ = [
    "CLI_FORMATS",
    "KIND_GROUPS",
    "PARAM_TYPES",
    "RESULT_FORMATS",
    "Bindings",
    "Endpoint",
    "LimitExceeded",
    "LocalGraph",
    "NamedQuery",
    "Param",
    "QueryResult",
    "StoreEngine",
    "bind_parameters",
    "comparable_value",
    "compile_query",
    "evaluate",
    "library",
    "load_query",
    "parse_header",
    "query_form",
    "query_store",
    "render",
    "results_from_json",
    "run_query",
    "term_n3",
    "with_values",
    "write_library_results",
]
