"""Alternative property paths (``kg:refOrganisation|sdmx-dimension:refArea``) as one predicate.

Why: Oxigraph plans a join through an alternative path as a cross product
filtered by the path afterwards; at 10^5 triples the join at the heart of
RepeatedValuesAgree took 69 s with the path and 0.25 s with a plain predicate.
When a rule runs once on the throwaway store (:mod:`kgraph.check.rules`), each
alternative of plain IRIs is therefore written as one predicate of
:data:`~kgraph.graph.namespaces.CHECK` (:func:`rewrite`), and the store gets
one triple of that predicate for every pair an alternative links
(:func:`materialise`). The data graph and the shapes are not touched.

The two forms give the same solutions when no pair is linked by two of the
alternatives (the path would then give that pair twice, which an aggregate
can count): :func:`materialise` checks that and gives back only the
predicates for which it holds; a rule using any other keeps its own text.
A match is rewritten only where it is a whole path: a parenthesised group
(not negated, ``!(a|b)``), or a bare alternative that no ``/``, ``^``, ``!``
or path modifier binds more tightly.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from kgraph.graph.namespaces import CHECK

_TERM = r"(?:<[^<>\s\"{}|^`\\]*>|(?<![\w?$:])[A-Za-z][\w-]*(?:\.[\w-]+)*:[\w-]*(?:\.[\w-]+)*)"
_ALTERNATIVE = re.compile(rf"(\(\s*)?({_TERM}(?:\s*\|\s*{_TERM})+)(\s*\))?")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", re.I)


@dataclass(frozen=True)
class Rewritten:
    """A query with its alternatives as single predicates, and what each predicate stands for."""

    text: str
    predicates: Mapping[URIRef, tuple[URIRef, ...]]


def predicate(iris: Iterable[URIRef]) -> URIRef:
    """The one predicate standing for the alternative of ``iris`` (the same for the same IRIs)."""
    key = "|".join(iris)
    return CHECK[f"or-{hashlib.sha1(key.encode()).hexdigest()[:12]}"]


def _iri(term: str, prefixes: Mapping[str, str]) -> URIRef | None:
    if term.startswith("<"):
        return URIRef(term[1:-1])
    prefix, _, local = term.partition(":")
    namespace = prefixes.get(prefix)
    return None if namespace is None else URIRef(namespace + local)


def _whole_path(masked: str, match: re.Match[str]) -> bool:
    """Whether the match is a whole path, not part of a sequence, inverse or negated set."""
    before = masked[: match.start()].rstrip()[-1:]
    after = masked[match.end() :]
    if match.group(1) and match.group(3):  # a parenthesised group is a path primary
        return before != "!"
    if match.group(1) or match.group(3):  # one parenthesis: part of a larger path
        return False
    return before not in ("/", "^", "|", "!", "(") and not re.match(r"\s*[/|)]|[*+?]", after)


def rewrite(text: str) -> Rewritten:
    """``text`` with every whole alternative of plain IRIs as one :func:`predicate`.

    >>> r = rewrite("PREFIX ex: <urn:ex:> SELECT * { ?s ^(ex:a|ex:b) ?o ; ex:c/ex:a|ex:b ?x }")
    >>> ((name, iris),) = r.predicates.items()
    >>> r.text.replace(f"<{name}>", "OR"), [str(i) for i in iris]
    ('PREFIX ex: <urn:ex:> SELECT * { ?s ^OR ?o ; ex:c/ex:a|ex:b ?x }', ['urn:ex:a', 'urn:ex:b'])
    """
    masked = _STRING.sub(lambda m: "_" * len(m.group()), text)
    prefixes = {m.group(1): m.group(2) for m in _PREFIX.finditer(masked)}
    out, predicates, last = [], {}, 0
    for match in _ALTERNATIVE.finditer(masked):
        if not _whole_path(masked, match):
            continue
        terms = [t.strip() for t in match.group(2).split("|")]
        iris = [_iri(t, prefixes) for t in terms]
        if any(i is None for i in iris):
            continue
        resolved = tuple(i for i in iris if i is not None)
        name = predicate(resolved)
        predicates[name] = resolved
        out += [text[last : match.start()], f"<{name}>"]
        last = match.end()
    out.append(text[last:])
    return Rewritten("".join(out), predicates)


def materialise(store: ox.Store, predicates: Mapping[URIRef, tuple[URIRef, ...]]) -> set[URIRef]:
    """Add each predicate's triples to ``store``; the predicates whose pairs are all distinct."""
    exact = set()
    for name, iris in predicates.items():
        links = [ox.NamedNode(str(i)) for i in iris]
        quads, doubled = [], False
        for k, link in enumerate(links):
            for quad in store.quads_for_pattern(None, link, None):
                s, o = quad.subject, quad.object
                if any(next(store.quads_for_pattern(s, p, o), None) for p in links[k + 1 :]):
                    doubled = True
                    break
                quads.append(ox.Quad(s, ox.NamedNode(str(name)), o))
            if doubled:
                break
        if not doubled:
            store.extend(quads)
            exact.add(name)
    return exact
