"""One entity as a page needs it: its statements, links to it, quotes, values, posts.

Everything is read from the store through the named queries in
``queries/pages/`` with the entity bound as a parameter (never pasted into the
text). The small whole-graph tables (quotes, indicator values, post holdings)
and the links themselves (:mod:`kgraph.pages.batch`) can be read once
unbound and grouped, which is how the static site reads ~25,000 entities
without five queries each; both ways give the same :class:`Description`
(``tests/pages`` checks it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from kgraph import resources
from kgraph.errors import QueryError
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import Iris
from kgraph.pages.batch import Statements
from kgraph.sparql.embedded import StoreEngine
from kgraph.sparql.named import Bindings, NamedQuery, load_query
from kgraph.sparql.results import QueryResult

#: language -> label
Labels = dict[str, str]


@dataclass(frozen=True)
class Quote:
    """An exact quote of a source backing a fact (an ``oa:TextQuoteSelector``)."""

    fact: URIRef
    evidence: URIRef
    source: URIRef
    exact: str


@dataclass(frozen=True)
class Value:
    """One observation about an entity, as the source states it."""

    observation: URIRef
    indicator: URIRef
    period: URIRef | None
    start: str
    value: Literal | None
    upper: Literal | None
    denominator: Literal | None
    text: str
    unit: URIRef | None
    qualifier: URIRef | None
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Holding:
    """A post a person held (``kg:PostHolding``), with its dates as the source gives them."""

    holding: URIRef
    role: URIRef | None
    organisation: URIRef | None
    period: URIRef | None
    start: str
    end: str


@dataclass
class Description:
    """What the graph says about one entity, with the labels of every node it touches."""

    iri: URIRef
    #: (predicate, object), sorted
    outbound: list[tuple[URIRef, Node]] = field(default_factory=list)
    #: (subject, predicate), sorted by predicate then subject
    inbound: list[tuple[URIRef, URIRef]] = field(default_factory=list)
    #: node -> {language: label}: the entity, its neighbours, indicators, units...
    labels: dict[Node, Labels] = field(default_factory=dict)
    #: the quotes behind this entity
    quotes: list[Quote] = field(default_factory=list)
    #: for a place or organisation: the values about it
    values: list[Value] = field(default_factory=list)
    #: for a person: the posts held
    holdings: list[Holding] = field(default_factory=list)
    #: for a source: every quote of it, whatever fact it backs
    cited: list[Quote] = field(default_factory=list)

    def label(self, node: Node, lang: str = "vi") -> str:
        """The node's label in ``lang`` (else in the other language, else '')."""
        found = self.labels.get(node, {})
        return found.get(lang) or found.get("vi" if lang == "en" else "en") or found.get("", "")

    def objects(self, *predicates: URIRef) -> list[Node]:
        """The objects of the entity's statements with these predicates, in order."""
        return [o for p, o in self.outbound if p in predicates]

    def subjects(self, *predicates: URIRef) -> list[URIRef]:
        """The subjects linking to the entity with these predicates, in order."""
        return [s for s, p in self.inbound if p in predicates]


@cache
def page_query(name: str) -> NamedQuery:
    """The page query ``queries/pages/<name>.rq``, parsed once."""
    return load_query(str(resources.queries_dir() / "pages" / f"{name}.rq"))


def run_page_query(store: GraphStore, name: str, **params: Node) -> QueryResult:
    """Run page query ``name`` on ``store`` with ``params`` bound (values, never text)."""
    bindings: Bindings = {key: (value,) for key, value in params.items()}
    return StoreEngine(store).run(page_query(name), bindings)


class Reader:
    """Reads descriptions from a store; ``whole=True`` reads the small tables once, unbound."""

    def __init__(self, store: GraphStore, iris: Iris | None = None, *, whole: bool = False):
        self.store = store
        self.iris = iris or Iris()
        self._whole = whole
        self._tables: dict[str, dict[Node, list[dict[str, Node]]]] = {}
        self._statements: Statements | None = None

    def known(self, iri: URIRef) -> bool:
        """Whether the store says anything about ``iri`` (as subject or object)."""
        return self.store.contains(iri)

    def describe(self, iri: URIRef) -> Description:
        """The description of ``iri``; a QueryError when the store does not know it."""
        if not self.known(iri):
            raise QueryError(f"<{iri}> is not in the graph")
        found = Description(iri)
        labels: dict[Node, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        out, into = self._links(iri, labels)
        found.outbound = sorted(out, key=lambda pair: (str(pair[0]), _order(pair[1])))
        found.inbound = sorted(into, key=lambda pair: (str(pair[1]), str(pair[0])))
        for predicate, value in found.outbound:  # the entity's own labels
            if str(predicate) == _RDFS_LABEL and isinstance(value, Literal):
                labels[iri][value.language or ""].add(str(value))
        rows = self._rows("evidence", "fact", iri)
        found.quotes = _quotes(rows)
        for row in rows:
            _add_labels(labels, row["source"], row, "source")
        cited = self._rows("evidence", "source", iri)
        found.cited = _quotes(cited)
        for row in cited:
            _add_labels(labels, row["fact"], row, "fact")
        found.values = _values(self._rows("values", "subject", iri), labels)
        found.holdings = _holdings(self._rows("holdings", "person", iri), labels)
        found.labels = {
            node: {lang: min(texts) for lang, texts in by_lang.items()}
            for node, by_lang in labels.items()
        }
        return found

    @property
    def statements(self) -> Statements:
        """Every statement of the store, read once (``whole`` readers only)."""
        if self._statements is None:
            self._statements = Statements(run_page_query(self.store, "statements").rows)
        return self._statements

    def _links(
        self, iri: URIRef, labels: dict[Node, dict[str, set[str]]]
    ) -> tuple[set[tuple[URIRef, Node]], set[tuple[URIRef, URIRef]]]:
        """``iri``'s statements and the links to it; their other ends' labels go to ``labels``."""
        if self._whole:
            out, into = self.statements.links(iri)
            for node in {n for _, n in out} | {s for s, _ in into}:
                self.statements.neighbour_labels(node, labels)
            return out, into
        out, into = set(), set()
        for row in run_page_query(self.store, "links", entity=iri).dicts():
            predicate, node = row["predicate"], row["node"]
            assert isinstance(predicate, URIRef)
            if row["direction"] == Literal("out"):
                out.add((predicate, node))
            elif isinstance(node, URIRef):
                into.add((node, predicate))
            _add_labels(labels, node, row, "node")
        return out, into

    def _rows(self, query: str, key: str, iri: URIRef) -> list[dict[str, Node]]:
        """The rows of ``query`` whose ``key`` is ``iri``: bound, or from the whole table."""
        if not self._whole:  # iri is known (describe checked): the binding cannot miss
            return run_page_query(self.store, query, **{key: iri}).dicts()
        name = f"{query}:{key}"
        if name not in self._tables:
            table: dict[Node, list[dict[str, Node]]] = defaultdict(list)
            for row in run_page_query(self.store, query).dicts():
                table[row[key]].append(row)
            self._tables[name] = table
        return self._tables[name].get(iri, [])


_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _order(node: Node) -> tuple[int, str, str]:
    """IRIs before literals; literals by language then text."""
    if isinstance(node, Literal):
        return (1, node.language or "", str(node))
    return (0, "", str(node))


def _add_labels(
    labels: dict[Node, dict[str, set[str]]], node: Node | None, row: Mapping[str, Node], name: str
) -> None:
    if node is None:
        return
    for lang in ("vi", "en"):
        text = row.get(f"{name}_{lang}")
        if text is not None:
            labels[node][lang].add(str(text))
    plain = row.get(f"{name}_label")
    if plain is not None:
        labels[node][getattr(plain, "language", None) or ""].add(str(plain))


def _quotes(rows: Iterable[Mapping[str, Node]]) -> list[Quote]:
    found = {
        Quote(_iri(row["fact"]), _iri(row["evidence"]), _iri(row["source"]), str(row["exact"]))
        for row in rows
    }
    return sorted(found, key=lambda q: (str(q.source), str(q.fact), str(q.evidence), q.exact))


def _values(
    rows: Iterable[Mapping[str, Node]], labels: dict[Node, dict[str, set[str]]]
) -> list[Value]:
    by_observation: dict[URIRef, list[Mapping[str, Node]]] = defaultdict(list)
    for row in rows:
        by_observation[_iri(row["observation"])].append(row)
        for name in ("indicator", "unit", "qualifier"):
            _add_labels(labels, row.get(name), row, name)
        _add_labels(labels, row.get("period"), row, "period")
    values = []
    for observation, group in by_observation.items():
        first = group[0]
        quotes = {
            Quote(observation, _iri(r["evidence"]), _iri(r["source"]), str(r["exact"]))
            for r in group
            if r.get("evidence") is not None
        }
        values.append(
            Value(
                observation=observation,
                indicator=_iri(first["indicator"]),
                period=_opt_iri(first.get("period")),
                start=str(first.get("start") or ""),
                value=_opt_literal(first.get("value")),
                upper=_opt_literal(first.get("upper")),
                denominator=_opt_literal(first.get("denominator")),
                text=str(first.get("text") or ""),
                unit=_opt_iri(first.get("unit")),
                qualifier=_opt_iri(first.get("qualifier")),
                quotes=tuple(sorted(quotes, key=lambda q: (str(q.source), str(q.evidence)))),
            )
        )
    return sorted(values, key=lambda v: (str(v.indicator), v.start, str(v.observation)))


def _holdings(
    rows: Iterable[Mapping[str, Node]], labels: dict[Node, dict[str, set[str]]]
) -> list[Holding]:
    found = set()
    for row in rows:
        for name in ("role", "organisation", "period"):
            _add_labels(labels, row.get(name), row, name)
        found.add(
            Holding(
                holding=_iri(row["holding"]),
                role=_opt_iri(row.get("role")),
                organisation=_opt_iri(row.get("organisation")),
                period=_opt_iri(row.get("period")),
                start=str(row.get("start") or ""),
                end=str(row.get("end") or ""),
            )
        )
    return sorted(found, key=lambda h: (h.start, str(h.holding)))


def _iri(node: Node | None) -> URIRef:
    if not isinstance(node, URIRef):
        raise QueryError(f"a page query returned {node!r} where an IRI belongs")
    return node


def _opt_iri(node: Node | None) -> URIRef | None:
    return node if isinstance(node, URIRef) else None


def _opt_literal(node: Node | None) -> Literal | None:
    return node if isinstance(node, Literal) else None


__all__ = ["Description", "Holding", "Quote", "Reader", "Value", "page_query", "run_page_query"]
