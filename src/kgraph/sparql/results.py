"""What a query returns, and the formats it is written in.

:class:`QueryResult` holds rows, a boolean or a graph; renderers write it as the
W3C SPARQL results formats (CSV, TSV, JSON, XML), as RDF for graph forms, or as
a plain-text table for the terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.errors import QueryError
from kgraph.graph.namespaces import PREFIXES, XSD
from kgraph.graph.store import serialize
from kgraph.sparql.named import PREFIXED_NAME

# -- results --------------------------------------------------------------------------------


class LimitExceeded(QueryError):
    """A query ran longer, or returned more, than allowed."""


@dataclass(frozen=True)
class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT/DESCRIBE)."""

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None

    @property
    def tabular(self) -> bool:
        """True for SELECT and ASK results (the SPARQL results formats)."""
        return self.form in ("SELECT", "ASK")

    def __len__(self) -> int:
        if self.graph is not None:
            return len(self.graph)
        return len(self.rows) if self.form == "SELECT" else 1

    def column(self, name: str) -> list[Node | None]:
        """Every value of one variable, in row order."""
        i = self.variables.index(name)
        return [row[i] for row in self.rows]

    def comparable(self) -> tuple[tuple[object, ...], ...] | bool | None:
        """Rows as values, not lexical forms, to compare answers of different stores.

        Numbers become Decimals (``"23"^^xsd:integer`` equals ``23.0``), literals
        (text, language, datatype) with ``xsd:string`` as plain; ASK gives its boolean.
        """
        if self.form == "ASK":
            return self.boolean
        return tuple(tuple(comparable_value(t) for t in row) for row in self.rows)

    def dicts(self) -> list[dict[str, Node]]:
        """Rows as {variable: term}, unbound variables left out."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]


_NUMERIC = frozenset(
    XSD[t]
    for t in [
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
    ]
)


def comparable_value(term: Node | None) -> object:
    """A term as a value that compares equal across stores (see QueryResult.comparable)."""
    if term is None or isinstance(term, BNode):
        return None if term is None else ("bnode",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    assert isinstance(term, Literal)
    if term.datatype in _NUMERIC:
        try:
            return ("number", Decimal(str(term)).normalize())
        except InvalidOperation:
            pass
    if term.datatype == XSD.boolean:
        return ("boolean", str(term).strip().lower() in ("true", "1"))
    datatype = None if term.datatype in (None, XSD.string) else str(term.datatype)
    return ("literal", str(term), (term.language or "").lower(), datatype)


# -- writing results --------------------------------------------------------------------------

Renderer = Callable[[QueryResult], str]


def _need_table(result: QueryResult, fmt: str) -> None:
    if not result.tabular:
        raise QueryError(
            f"{result.form} returns a graph, which {fmt} cannot hold: use turtle or jsonld"
        )


def _csv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 CSV: plain values, CRLF line ends."""
    _need_table(result, "csv")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
        return out.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else _csv_value(t) for t in row])
    return out.getvalue()


def _csv_value(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _tsv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 TSV: terms in SPARQL/Turtle syntax."""
    _need_table(result, "tsv")
    if result.form == "ASK":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _tsv_term(t) for t in row))
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = (
        str(term)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def _json(result: QueryResult) -> str:
    """W3C SPARQL 1.1 JSON results (JSON-LD for graphs)."""
    if not result.tabular:
        return _graph_as(result, "json-ld")
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


_SR = "http://www.w3.org/2005/sparql-results#"


def _xml(result: QueryResult) -> str:
    """W3C SPARQL Query Results XML (RDF/XML for graphs)."""
    if not result.tabular:
        return _graph_as(result, "xml")
    ElementTree.register_namespace("", _SR)
    root = ElementTree.Element(f"{{{_SR}}}sparql")
    head = ElementTree.SubElement(root, f"{{{_SR}}}head")
    if result.form == "ASK":
        ElementTree.SubElement(root, f"{{{_SR}}}boolean").text = str(bool(result.boolean)).lower()
    else:
        for v in result.variables:
            ElementTree.SubElement(head, f"{{{_SR}}}variable", name=v)
        results = ElementTree.SubElement(root, f"{{{_SR}}}results")
        for row in result.rows:
            r = ElementTree.SubElement(results, f"{{{_SR}}}result")
            for v, t in zip(result.variables, row, strict=True):
                if t is None:
                    continue
                b = ElementTree.SubElement(r, f"{{{_SR}}}binding", name=v)
                term = _json_term(t)
                tag = {"uri": "uri", "bnode": "bnode", "literal": "literal"}[term["type"]]
                e = ElementTree.SubElement(b, f"{{{_SR}}}{tag}")
                e.text = term["value"]
                if "xml:lang" in term:
                    e.set("{http://www.w3.org/XML/1998/namespace}lang", term["xml:lang"])
                if "datatype" in term:
                    e.set("datatype", term["datatype"])
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _graph_as(result: QueryResult, rdf_format: str) -> str:
    if result.graph is None:
        raise QueryError(f"{result.form} results are not a graph: use table, csv, tsv or json")
    return serialize(result.graph, rdf_format).decode("utf-8")


def _turtle(result: QueryResult) -> str:
    return _graph_as(result, "turtle")


def _jsonld(result: QueryResult) -> str:
    return _graph_as(result, "json-ld")


def _ntriples(result: QueryResult) -> str:
    return _graph_as(result, "nt")


_WIDTH = 60
_ID_PATH = re.compile(r"^https?://.+?/id/")


def _short(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, ns in PREFIXES.items():
            curie = f"{prefix}:{iri[len(str(ns)) :]}"
            if iri.startswith(str(ns)) and PREFIXED_NAME.fullmatch(curie):
                return curie
        return _ID_PATH.sub("id:", iri)
    text = " ".join(str(term).split())
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def _table(result: QueryResult) -> str:
    """Aligned columns for reading in a terminal (long values cut, ``id:`` = ``<base>/id/``)."""
    if result.form == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    if not result.tabular:
        return _turtle(result)
    cells = [[_short(t) for t in row] for row in result.rows]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


#: format name -> renderer; the CLI's --format choices are the first four
RESULT_FORMATS: dict[str, Renderer] = {
    "table": _table,
    "csv": _csv,
    "tsv": _tsv,
    "json": _json,
    "xml": _xml,
    "turtle": _turtle,
    "jsonld": _jsonld,
    "ntriples": _ntriples,
}

#: the formats `kgraph query --format` offers (SPARQL results formats and a table)
CLI_FORMATS = ("table", "csv", "tsv", "json")


def render(result: QueryResult, fmt: str) -> str:
    """The result written in ``fmt`` (a key of RESULT_FORMATS)."""
    try:
        renderer = RESULT_FORMATS[fmt]
    except KeyError:
        raise QueryError(f"unknown result format {fmt!r} ({', '.join(RESULT_FORMATS)})") from None
    return renderer(result)
