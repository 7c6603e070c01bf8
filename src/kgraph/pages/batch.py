"""Every statement of the store read once and grouped by node: the static site's links.

``kgraph site`` at national scale writes ~25,000 pages; one ``links`` query
per entity made it take minutes. :class:`Statements` runs ``statements.rq``
once and answers, for any node, what ``links.rq`` answers bound to it: its own
statements, the IRIs that point to it, and the labels of every node they touch
(``tests/pages`` checks that both give the same descriptions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

from kgraph.graph.namespaces import RDFS, SKOS

#: label languages ``links.rq`` reads for a neighbour ('' is a label without a language)
NEIGHBOUR_LANGS = ("vi", "en", "")

Out = list[tuple[URIRef, Node]]
In = list[tuple[URIRef, URIRef]]
LabelSets = dict[Node, dict[str, set[str]]]


class Statements:
    """The store's statements by subject and by object, and every node's labels.

    ``rows`` are ``statements.rq``'s (subject, predicate, object).
    """

    def __init__(self, rows: Iterable[tuple[Node | None, ...]]) -> None:
        self.out: dict[Node, Out] = defaultdict(list)
        self.into: dict[Node, In] = defaultdict(list)
        self.labels: dict[Node, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        label = RDFS.label
        for subject, predicate, obj in rows:
            assert isinstance(predicate, URIRef) and subject is not None and obj is not None
            self.out[subject].append((predicate, obj))
            if isinstance(subject, URIRef):
                self.into[obj].append((subject, predicate))
            if predicate == label and isinstance(obj, Literal):
                self.labels[subject][obj.language or ""].add(str(obj))

    def links(self, iri: URIRef) -> tuple[set[tuple[URIRef, Node]], set[tuple[URIRef, URIRef]]]:
        """``iri``'s statements (predicate, object) and the links to it (subject, predicate)."""
        return set(self.out.get(iri, ())), set(self.into.get(iri, ()))

    def neighbour_labels(self, node: Node, into: LabelSets) -> None:
        """Add ``node``'s labels in the languages ``links.rq`` reads to ``into``."""
        found = self.labels.get(node)
        if not found:
            return
        for lang in NEIGHBOUR_LANGS:
            if lang in found:
                into[node][lang].update(found[lang])

    def entities(self, prefix: str) -> list[dict[str, str]]:
        """``entities.rq``'s rows: every IRI under ``prefix`` that has statements, sorted."""
        found = []
        for subject in sorted((s for s in self.out if isinstance(s, URIRef)), key=str):
            if not str(subject).startswith(prefix):
                continue
            labels = self.labels.get(subject, {})
            alts = [str(o) for p, o in self.out[subject] if p == SKOS.altLabel]
            codes = [o for p, o in self.out[subject] if p == SKOS.notation]
            found.append(
                {
                    "entity": subject,
                    "label_vi": min(labels.get("vi", ()), default=""),
                    "label_en": min(labels.get("en", ()), default=""),
                    "alt_label": min(alts, default=""),
                    "notation": min((str(c) for c in codes), default=""),
                    "code_type": min((_datatype(c) for c in codes), default=""),
                }
            )
        return found


def _datatype(node: Node) -> str:
    if isinstance(node, Literal):
        return str(node.datatype or "")
    return ""


__all__ = ["Statements"]
