"""The named SPARQL queries: the library of `.rq` files, their headers and their parameters.

Queries live as ``.rq`` files in ``queries/`` (found through
:mod:`kgraph.resources`), each opened by a comment header that says what it
answers and which parameters it takes::

    # title: Every indicator for one commune
    # question-en: What does the graph know in numbers about one commune ...?
    # question-vi: Đồ thị có những số liệu nào về một xã ...?
    # param: commune iri:commune = 2024-03356 -- the commune (vintage-code, or a full IRI)
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

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from kgraph import resources
from kgraph.curate.vn import fold, nfc, parse_period
from kgraph.errors import ParseError, QueryError
from kgraph.graph.kinds import ORG_CLASSES, PLACE_CLASSES
from kgraph.graph.namespaces import PREFIXES, XSD, Iris

# -- the library -----------------------------------------------------------------------

#: header key -> NamedQuery field
_HEADER_KEYS = ("title", "question-en", "question-vi", "param", "example", "columns", "note")
_HEADER_LINE = re.compile(r"#\s*([a-z-]+):\s?(.*)")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)(?::(?P<kind>[a-z-]+))?"
    r"(?:\s*=\s*(?P<default>.*?))?(?:\s+--\s+(?P<doc>.*))?"
)

#: parameter type -> how a value given as text becomes candidate RDF terms
PARAM_TYPES = ("iri", "string", "search", "integer", "decimal", "date")

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


def pick_candidate(
    query: NamedQuery, name: str, terms: tuple[Node, ...], known: Callable[[Node], bool]
) -> Node:
    """The one candidate term an engine's data ``known``; say which id is missing otherwise.

    An id parameter can stand for several IRIs (one per kind its query accepts);
    exactly one of them must be in the data. An IRI it does not know is a typo.
    """
    if not isinstance(terms[0], URIRef):
        return terms[0]
    present = [t for t in terms if known(t)]
    if len(present) == 1:
        return present[0]
    param = query.param(name)
    if len(terms) == 1 and not param.kind:
        raise QueryError(
            f"query {query.name!r}: parameter {name}: <{terms[0]}> is not in the graph"
        )
    slug = str(terms[0]).rsplit("/", 1)[-1]
    raise QueryError(f"query {query.name!r}: no {param.kind} with id {slug!r} in the graph")


def query_label(query: NamedQuery) -> str:
    """How errors name the query: the file for ad-hoc queries, the name for shipped ones."""
    shipped = query.path is None or query.path.parent == resources.queries_dir()
    return query.name if shipped else str(query.path)


# -- parameters ----------------------------------------------------------------------------

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f]*")
#: a prefixed name (CURIE) such as ``kg:Commune``
PREFIXED_NAME = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*):([A-Za-z0-9_][A-Za-z0-9_.-]*)")
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
        pname = PREFIXED_NAME.fullmatch(value)
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
    if p.type == "date":
        try:
            day = parse_period(value)
        except ParseError as exc:
            raise bad(str(exc)) from None
        if day.start != day.end:
            raise bad("not one day: give a date such as 2016-08-02 or 2/8/2016")
        return (Literal(day.start.isoformat(), datatype=XSD.date),)
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


#: words that start a SPARQL Update operation, or leave the store (SERVICE)
_REFUSED = re.compile(
    r"(?<![\w:?$])(SERVICE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)(?![\w:])",
    re.IGNORECASE,
)


def refused_keyword(text: str) -> str | None:
    """The first keyword of ``text`` (outside strings, IRIs and comments) that kgraph refuses.

    ``SERVICE`` would send part of the query to another server and the update
    keywords would change the store; both are refused before any engine sees
    the text. A prefixed name or variable spelt like a keyword (``ex:Service``,
    ``?add``) is not a keyword.

    >>> refused_keyword('SELECT * { ?s ?p "SERVICE" } # DROP')
    >>> refused_keyword("SELECT * { SERVICE <http://x.org/sparql> { ?s ?p ?o } }")
    'SERVICE'
    """
    code = _TOKENS.sub(
        lambda m: m.group(0) if m.lastgroup in ("open", "close", "where", "construct") else " ",
        text,
    )
    found = _REFUSED.search(code)
    return found.group(1).upper() if found else None


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
