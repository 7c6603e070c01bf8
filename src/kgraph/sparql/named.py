"""The named SPARQL queries, and running them on the embedded graph or on any endpoint.

Queries live as ``.rq`` files in ``queries/`` (found through
:mod:`kgraph.resources`), each opened by a comment header that says what it
answers and which parameters it takes::

    # title: Every indicator for one commune
    # question-en: What does the graph know in numbers about one commune ...?
    # question-vi: Đồ thị có những số liệu nào về một xã ...?
    # param: commune iri:commune = xa-pom-lot -- the commune (an id or a full IRI)
    # example: commune=xa-thanh-luong
    # columns: observation subject indicator ...
    # note: anything a reader must know (optional)

``example`` lines (``name=value; name=value``) are further parameter sets the
tests run on every engine, and documentation for readers.

A parameter is a variable of the query's outermost ``WHERE`` group (subqueries
may only use it as a grouped, projected variable). Values are never pasted into
the text: in process they are bound with rdflib's ``initBindings``; for a remote
endpoint they become a ``VALUES`` block of checked, escaped RDF terms placed at
the top of that group, which means the same thing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import urllib.error
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any, cast
from xml.etree import ElementTree

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

from kgraph import resources
from kgraph.graph.build import ORG_CLASSES, PLACE_CLASSES
from kgraph.errors import QueryError
from kgraph.graph.namespaces import PREFIXES, XSD, Iris, bind_prefixes
from kgraph.graph.store import serialize, write_bytes
from kgraph.curate.vn import fold, nfc

# -- the library -----------------------------------------------------------------------

#: header key -> NamedQuery field
_HEADER_KEYS = ("title", "question-en", "question-vi", "param", "example", "columns", "note")
_HEADER_LINE = re.compile(r"#\s*([a-z-]+):\s?(.*)")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)(?::(?P<kind>[a-z-]+))?"
    r"(?:\s*=\s*(?P<default>.*?))?(?:\s+--\s+(?P<doc>.*))?"
)

#: parameter type -> how a value given as text becomes candidate RDF terms
PARAM_TYPES = ("iri", "string", "search", "integer", "decimal")

#: kind groups an ``iri:<kind>`` parameter may name, besides single instance kinds
KIND_GROUPS: Mapping[str, tuple[str, ...]] = {
    "place": tuple(PLACE_CLASSES),
    "organisation": tuple(ORG_CLASSES),
    "entity": (
        *PLACE_CLASSES,
        *ORG_CLASSES,
        "person",
        "post",
        "document",
        "indicator",
        "source",
        "observation",
    ),
}


@dataclass(frozen=True)
class Param:
    """One declared parameter: ``name type[:kind] [= default] [-- description]``."""

    name: str
    type: str
    kind: str | None = None
    default: str | None = None
    doc: str = ""

    def describe(self) -> str:
        """``name=default`` (or ``name=(any)``) for listings."""
        return f"{self.name}={self.default if self.default is not None else '(any)'}"


@dataclass(frozen=True)
class NamedQuery:
    """A query with what its header says about it."""

    name: str
    text: str
    title: str = ""
    question_en: str = ""
    question_vi: str = ""
    params: tuple[Param, ...] = ()
    columns: tuple[str, ...] = ()
    note: str = ""
    examples: tuple[dict[str, str], ...] = ()
    path: Path | None = None

    def param(self, name: str) -> Param:
        """The declared parameter ``name``, or a QueryError listing the known ones."""
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r}: unknown parameter {name!r} (it takes: {known})")


def parse_header(name: str, text: str, path: Path | None = None) -> NamedQuery:
    """Read the comment header at the top of a query.

    >>> q = parse_header("x", "# title: T\\n# param: n search = a b -- the name\\nSELECT * {}")
    >>> q.title, q.params[0].type, q.params[0].default, q.params[0].doc
    ('T', 'search', 'a b', 'the name')
    """
    fields: dict[str, list[str]] = {key: [] for key in _HEADER_KEYS}
    last: str | None = None
    where = str(path) if path else name
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            last = None
            continue
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.fullmatch(line)
        if match and match[1] in _HEADER_KEYS:
            last = match[1]
            fields[last].append(match[2].strip())
        elif last in ("title", "question-en", "question-vi", "note") and line.strip("# "):
            fields[last][-1] += " " + line.lstrip("#").strip()
        elif match:
            raise QueryError(f"{where}: line {number}: unknown header key {match[1]!r}")
    params = []
    for spec in fields["param"]:
        m = _PARAM.fullmatch(spec)
        if not m or m["type"] not in PARAM_TYPES:
            raise QueryError(
                f"{where}: bad parameter declaration {spec!r} "
                f"(write: name {'|'.join(PARAM_TYPES)}[:kind] [= default] [-- description])"
            )
        params.append(Param(m["name"], m["type"], m["kind"], m["default"] or None, m["doc"] or ""))
    examples = []
    for spec in fields["example"]:
        example = {}
        for item in spec.split(";"):
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise QueryError(f"{where}: bad example {spec!r} (write: name=value; name=value)")
            example[key.strip()] = value.strip()
        examples.append(example)
    return NamedQuery(
        name=name,
        text=text,
        title=" ".join(fields["title"]),
        question_en=" ".join(fields["question-en"]),
        question_vi=" ".join(fields["question-vi"]),
        params=tuple(params),
        columns=tuple(" ".join(fields["columns"]).replace(",", " ").split()),
        note=" ".join(fields["note"]),
        examples=tuple(examples),
        path=path,
    )


def library() -> dict[str, NamedQuery]:
    """Every shipped query by name (file stem), sorted by name."""
    folder = resources.queries_dir()
    return {
        p.stem: parse_header(p.stem, nfc(p.read_text(encoding="utf-8")), p)
        for p in sorted(folder.glob("*.rq"))
    }


def load_query(name_or_path: str) -> NamedQuery:
    """A shipped query by name, or a query file by path."""
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError(f"{path}: query file not found")
        try:
            text = nfc(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read query file: {exc}") from exc
        return parse_header(path.stem, text, path)
    queries = library()
    if name_or_path not in queries:
        raise QueryError(
            f"unknown query {name_or_path!r}; `kgraph query --list` shows the library "
            "(or give the path of a .rq file)"
        )
    return queries[name_or_path]


# -- parsing and checking ------------------------------------------------------------------

_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def compile_query(text: str, where: str = "query") -> Query:
    """Parse SPARQL 1.1 text; refuse updates, SERVICE and FROM (the graph is fixed)."""
    try:
        parsed = prepareQuery(text)
    except Exception as exc:  # pyparsing and rdflib raise many types for bad text
        if _is_update(text):
            raise QueryError(f"{where}: SPARQL Update is not allowed, only queries") from None
        raise QueryError(f"{where}: SPARQL syntax error: {_one_line(exc)}") from None
    if parsed.algebra.get("datasetClause"):
        raise QueryError(f"{where}: FROM / FROM NAMED are not supported; query the graph as it is")
    if _uses_service(parsed.algebra):
        raise QueryError(f"{where}: SERVICE is not allowed (queries never leave this graph)")
    return parsed


def query_form(parsed: Query) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE."""
    return _FORMS[parsed.algebra.name]


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _uses_service(node: object) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_uses_service(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_service(v) for v in node)
    return False


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:300] + "…") if len(text) > 300 else text or type(exc).__name__


# -- parameters ----------------------------------------------------------------------------

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f]*")
_PNAME = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*):([A-Za-z0-9_][A-Za-z0-9_.-]*)")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

#: a parameter's candidate values: one term, or several IRIs for an id whose kind is open
Bindings = dict[str, tuple[Node, ...]]


def bind_parameters(query: NamedQuery, given: Mapping[str, str], iris: Iris) -> Bindings:
    """Turn ``--param name=value`` texts into checked RDF terms, defaults filled in.

    Unknown names and malformed values are QueryErrors. An ``iri:<kind>``
    parameter takes a full IRI, a prefixed name (``kg:Commune``) or an id; an
    id whose kind is a group (``organisation``) yields one candidate IRI per kind.
    """
    for name in given:
        query.param(name)
    bound: Bindings = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is None:
            continue
        bound[p.name] = _terms(query, p, nfc(value.strip()), iris)
    return bound


def _terms(query: NamedQuery, p: Param, value: str, iris: Iris) -> tuple[Node, ...]:
    def bad(why: str) -> QueryError:
        return QueryError(f"query {query.name!r}: parameter {p.name}={value!r}: {why}")

    if p.type == "iri":
        if value.startswith("<") and value.endswith(">"):
            value = value[1:-1]
        pname = _PNAME.fullmatch(value)
        if pname and pname[1] in PREFIXES:
            return (URIRef(str(PREFIXES[pname[1]]) + pname[2]),)
        if _ID.fullmatch(value) and p.kind:
            kinds = KIND_GROUPS.get(p.kind, (p.kind,))
            return tuple(iris.id(kind, value) for kind in kinds)
        if _IRI.fullmatch(value) and "://" in value:
            return (URIRef(value),)
        want = f"an id (such as {p.default})" if p.kind and p.default else "an id"
        raise bad(f"not an IRI: give a full IRI, a prefixed name such as kg:Commune or {want}")
    if p.type == "string":
        return (Literal(value),)
    if p.type == "search":
        key = fold(value)
        if not key:
            raise bad("empty search text")
        return (Literal(key),)
    if p.type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise bad("not a whole number")
        return (Literal(int(value), datatype=XSD.integer),)
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise bad("not a number") from None
    return (Literal(format(number, "f"), datatype=XSD.decimal),)


def with_values(text: str, bindings: Mapping[str, Sequence[Node]]) -> str:
    """The query with one ``VALUES`` block per binding at the top of its outermost WHERE group.

    This is how parameters reach an endpoint: terms are written by
    :func:`term_n3`, which only accepts checked IRIs and escapes literals.

    >>> with_values("SELECT * WHERE { ?s ?p ?o }", {"s": [URIRef("http://x.org/a")]})
    'SELECT * WHERE {\\n  VALUES ?s { <http://x.org/a> }\\n ?s ?p ?o }'
    """
    if not bindings:
        return text
    at = _where_brace(text)
    block = "".join(
        f"\n  VALUES ?{name} {{ {' '.join(term_n3(t) for t in terms)} }}"
        for name, terms in bindings.items()
    )
    return text[: at + 1] + block + "\n" + text[at + 1 :]


def term_n3(term: Node) -> str:
    """A term in SPARQL syntax, refusing anything that could break out of it."""
    if isinstance(term, URIRef):
        if not _IRI.fullmatch(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        body = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise QueryError(f"not a language tag: {term.language!r}")
            return f'"{body}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{body}"^^{term_n3(URIRef(term.datatype))}'
        return f'"{body}"'
    raise QueryError(f"cannot bind {term!r} as a parameter")


_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


_TOKENS = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_]+)
      | (?P<where>(?<![\w:])WHERE(?![\w:]))
      | (?P<construct>(?<![\w:])CONSTRUCT(?![\w:]))
      | (?P<open>\{)
      | (?P<close>\})""",
    re.IGNORECASE | re.VERBOSE,
)


def _where_brace(text: str) -> int:
    """Index of the ``{`` that opens the outermost WHERE group."""
    depth = 0
    seen_where = construct = False
    top_braces: list[int] = []
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup
        if kind == "where" and depth == 0:
            seen_where = True
        elif kind == "construct" and depth == 0:
            construct = True
        elif kind == "open":
            if depth == 0:
                if seen_where:
                    return m.start()
                top_braces.append(m.start())
            depth += 1
        elif kind == "close":
            depth -= 1
    # no WHERE keyword: the first group, or the second after a CONSTRUCT template
    index = 1 if construct else 0
    if len(top_braces) > index:
        return top_braces[index]
    raise QueryError("the query has no WHERE group to bind parameters in")


# -- results --------------------------------------------------------------------------------


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


class LimitExceeded(QueryError):
    """A query ran longer, or returned more, than allowed."""


class _Deadline(Exception):
    """Raised from inside rdflib's evaluation when the time is up."""


class _TimedGraph(Graph):
    """The same triples, but every pattern lookup checks the clock."""

    def __init__(self, graph: Graph, deadline: float) -> None:
        super().__init__(
            store=graph.store,
            identifier=graph.identifier,
            namespace_manager=graph.namespace_manager,
        )
        self._deadline = deadline

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]
        if time.monotonic() > self._deadline:
            raise _Deadline
        for n, t in enumerate(super().triples(triple)):
            if n % 256 == 255 and time.monotonic() > self._deadline:
                raise _Deadline
            yield t


def evaluate(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    where: str = "query",
) -> QueryResult:
    """Run SPARQL on an rdflib graph in process, within an optional time and size limit."""
    parsed = compile_query(text, where)
    form = query_form(parsed)
    target: Graph = graph
    if timeout is not None:
        target = _TimedGraph(graph, time.monotonic() + timeout)
    init = {k: cast(Identifier, v) for k, v in (bindings or {}).items()}
    try:
        res = evalQuery(target, parsed, init)
        if form == "ASK":
            return QueryResult(form, boolean=bool(res["askAnswer"]))
        if form in ("CONSTRUCT", "DESCRIBE"):
            out = Graph()
            bind_prefixes(out)
            out += res["graph"]
            if max_rows is not None and len(out) > max_rows:
                raise LimitExceeded(
                    f"{where}: the result has more than {max_rows} triples; narrow the query"
                )
            return QueryResult(form, graph=out)
        variables = tuple(str(v) for v in res["vars_"])
        rows: list[tuple[Node | None, ...]] = []
        for solution in res["bindings"]:
            if max_rows is not None and len(rows) >= max_rows:
                raise LimitExceeded(
                    f"{where}: the result has more than {max_rows} rows; add LIMIT or narrow it"
                )
            rows.append(tuple(solution.get(Variable(v)) for v in variables))
        return QueryResult(form, variables, tuple(rows))
    except _Deadline:
        raise LimitExceeded(f"{where}: stopped after the time limit of {timeout:g} s") from None
    except QueryError:
        raise
    except Exception as exc:  # rdflib's evaluation errors have no common base
        raise QueryError(f"{where}: query failed: {_one_line(exc)}") from exc


# -- where a query runs ---------------------------------------------------------------------


@dataclass(frozen=True)
class LocalGraph:
    """The embedded engine: rdflib over a graph in memory; parameters via initBindings."""

    graph: Graph
    timeout: float | None = None
    max_rows: int | None = None

    def run(self, query: NamedQuery, bindings: Bindings) -> QueryResult:
        single: dict[str, Node] = {}
        for name, terms in bindings.items():
            single[name] = self._pick(query, name, terms)
        return evaluate(
            self.graph,
            query.text,
            single,
            timeout=self.timeout,
            max_rows=self.max_rows,
            where=_where(query),
        )

    def _pick(self, query: NamedQuery, name: str, terms: tuple[Node, ...]) -> Node:
        """The one candidate the graph knows; an IRI it does not know is a typo, said so."""
        if not isinstance(terms[0], URIRef):
            return terms[0]
        present = [
            t for t in terms if (t, None, None) in self.graph or (None, None, t) in self.graph
        ]
        if len(present) == 1:
            return present[0]
        param = query.param(name)
        if len(terms) == 1 and not param.kind:
            raise QueryError(
                f"query {query.name!r}: parameter {name}: <{terms[0]}> is not in the graph"
            )
        slug = str(terms[0]).rsplit("/", 1)[-1]
        raise QueryError(f"query {query.name!r}: no {param.kind} with id {slug!r} in the graph")


@dataclass(frozen=True)
class Endpoint:
    """Any SPARQL 1.1 endpoint through SPARQLWrapper; parameters as a VALUES block."""

    url: str
    graph_iri: str | None = None
    timeout: float = 60.0
    user: str | None = None
    password: str | None = None
    auth: str = "basic"

    def run(self, query: NamedQuery, bindings: Bindings) -> QueryResult:
        where = _where(query)
        parsed = compile_query(query.text, where)
        form = query_form(parsed)
        text = with_values(query.text, bindings)
        compile_query(text, where)
        return self.send(text, form, where)

    def send(self, text: str, form: str, where: str = "query") -> QueryResult:
        """Send checked query text and read the answer into a QueryResult."""
        from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.url)
        client.setOnlyConneg(True)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setTimeout(max(1, round(self.timeout)))
        client.setQuery(text)
        # SPARQLWrapper guesses the form by keyword search, and takes "add" in a string for
        # SPARQL Update's ADD; the form is known from parsing, so say it
        client.queryType = form
        if self.graph_iri:
            client.addDefaultGraph(self.graph_iri)
        if self.user:
            client.setHTTPAuth(BASIC if self.auth == "basic" else DIGEST)
            client.setCredentials(self.user, self.password or "")
        client.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
        try:
            response = client.query()
            payload = response.response.read()
        except SPARQLWrapperException as exc:
            raise QueryError(f"{self.url}: endpoint refused the query: {_answer(exc)}") from None
        except urllib.error.HTTPError as exc:
            raise QueryError(
                f"{self.url}: endpoint answered HTTP {exc.code}: {_answer(exc)}"
            ) from None
        except urllib.error.URLError as exc:
            raise QueryError(f"{self.url}: cannot reach the endpoint ({exc.reason})") from None
        except TimeoutError:
            raise QueryError(f"{self.url}: no answer within {self.timeout:g} s") from None
        except OSError as exc:
            raise QueryError(f"{self.url}: cannot reach the endpoint ({exc})") from None
        if form in ("CONSTRUCT", "DESCRIBE"):
            out = Graph()
            bind_prefixes(out)
            try:
                out.parse(data=payload, format="turtle")
            except Exception as exc:
                raise QueryError(
                    f"{self.url}: the answer is not Turtle: {_one_line(exc)}"
                ) from None
            return QueryResult(form, graph=out)
        try:
            return results_from_json(json.loads(payload))
        except (ValueError, KeyError, TypeError) as exc:
            raise QueryError(
                f"{self.url}: the answer is not SPARQL JSON results: {_one_line(exc)}"
            ) from None


def _answer(exc: BaseException) -> str:
    body = getattr(exc, "response", None)
    if body is None and isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read()
        except OSError:
            body = None
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    for line in str(body or exc).splitlines():
        if line.strip():
            return _one_line(Exception(line.strip()))
    return type(exc).__name__


def _where(query: NamedQuery) -> str:
    """How errors name the query: the file for ad-hoc queries, the name for shipped ones."""
    shipped = query.path is None or query.path.parent == resources.queries_dir()
    return query.name if shipped else str(query.path)


def results_from_json(data: Mapping[str, Any]) -> QueryResult:
    """Read W3C SPARQL 1.1 JSON results (also Virtuoso's ``typed-literal``)."""
    if "boolean" in data:
        return QueryResult("ASK", boolean=bool(data["boolean"]))
    variables = tuple(data["head"]["vars"])
    rows = tuple(
        tuple(_term_from_json(b[v]) if v in b else None for v in variables)
        for b in data["results"]["bindings"]
    )
    return QueryResult("SELECT", variables, rows)


def _term_from_json(value: Mapping[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    if "datatype" in value:
        return Literal(value["value"], datatype=URIRef(value["datatype"]))
    return Literal(value["value"])


def run_query(
    query: NamedQuery,
    given: Mapping[str, str],
    engine: LocalGraph | Endpoint,
    iris: Iris | None = None,
) -> QueryResult:
    """Bind ``given`` parameters (defaults filled in) and run ``query`` on ``engine``."""
    return engine.run(query, bind_parameters(query, given, iris or Iris()))


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
            if iri.startswith(str(ns)) and _PNAME.fullmatch(f"{prefix}:{iri[len(str(ns)) :]}"):
                return f"{prefix}:{iri[len(str(ns)) :]}"
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


def write_library_results(graph: Graph, out_dir: Path, iris: Iris | None = None) -> list[Path]:
    """Run every shipped query with its defaults and write ``<name>.csv`` into ``out_dir``.

    Researchers get the answers without running SPARQL; each file is written atomically.
    """
    engine = LocalGraph(graph)
    written = []
    for name, query in library().items():
        result = run_query(query, {}, engine, iris)
        data = render(result, "csv").encode("utf-8")
        written.append(write_bytes(out_dir / f"{name}.csv", partial(bytes, data)))
    return written


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
    "bind_parameters",
    "comparable_value",
    "compile_query",
    "evaluate",
    "library",
    "load_query",
    "parse_header",
    "query_form",
    "render",
    "results_from_json",
    "run_query",
    "term_n3",
    "with_values",
    "write_library_results",
]
