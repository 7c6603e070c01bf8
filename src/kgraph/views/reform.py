"""The reform view's data: one unit's story in the 2025 reform, read from the national backbone.

The other views draw the curated graph (the units articles name); the
backbone's 14,000 unit versions and their change links live only in the
store ``kgraph build`` writes. :func:`reform_graph` finds the unit a
``--focus`` names in either list (query ``views/reform-units``) and walks the
store's change links from it to the small graph of its story (the 2025 units
it is or went into, every 2024 unit that went into them, and where a split
unit also went), which :func:`kgraph.views.projection.project` then draws
like any other graph. :func:`with_backbone` does the same for an ego view of a
unit no article names: the curated graph plus the backbone units within
``--depth`` steps of it (parent, parts, predecessors and successors).
"""

from __future__ import annotations

import re
from functools import cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef

from kgraph import resources
from kgraph.curate.vn import fold
from kgraph.errors import UnknownFocus, ViewError
from kgraph.graph.engine import GraphStore, to_rdflib
from kgraph.graph.namespaces import DCTERMS, KG, SKOS, bind_prefixes

_FOCUS = "a unit's name in either list, its GSO code, its id (vintage-code: 2024-03356) or IRI"
_ID = re.compile(r"(20[0-9]{2})-([0-9]+)")


@cache
def _query(name: str) -> str:
    return (resources.queries_dir() / "views" / f"{name}.rq").read_text(encoding="utf-8")


def _units(store: GraphStore, **bound: ox.NamedNode | ox.Literal) -> list[tuple[str, str, str]]:
    """(IRI, Vietnamese label, vintage) of the unit versions the bound ?key or ?unit names."""
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(name): term for name, term in bound.items()
    }
    rows = store.store.query(_query("reform-units"), substitutions=substitutions)
    assert isinstance(rows, ox.QuerySolutions)
    found = {(_text(r["unit"]), _text(r["label"]), _text(r["vintage"])) for r in rows}
    return sorted(found, key=lambda u: (u[2], u[0]))


def _text(term: object) -> str:
    """The lexical value of an IRI or literal the query bound."""
    assert isinstance(term, ox.NamedNode | ox.Literal), term
    return term.value


def find_units(store: GraphStore, text: str) -> list[tuple[str, str, str]]:
    """Every unit version ``text`` names: (IRI, Vietnamese label, vintage), oldest list first.

    A name matches without diacritics and with or without its type (``xa Sam
    Mun``); a GSO code matches in both lists; ``2024-03356`` (vintage-code, an
    IRI's last segment) and a full IRI name one version.
    """
    wanted = text.strip()
    if not wanted:
        raise ViewError(f"--focus is empty: give {_FOCUS}")
    if wanted.startswith(("http://", "https://")):
        return _units(store, unit=ox.NamedNode(wanted))
    if m := _ID.fullmatch(wanted):
        return [u for u in _units(store, key=ox.Literal(m[2])) if u[0].endswith("/" + wanted)]
    return _units(store, key=ox.Literal(fold(wanted)))


#: what a unit's node needs from the backbone: kind, labels, code, type, list, parent, search
_DESCRIBE = (RDF.type, RDFS.label, SKOS.notation, KG.adminType, KG.vintage, KG.partOf, KG.searchKey)
_WHOLE, _PART = DCTERMS.replaces, KG.partlyReplaces
_WENT = (DCTERMS.isReplacedBy, KG.partlyReplacedBy)


def _objects(store: ox.Store, subject: str, predicates: tuple[URIRef, ...]) -> list[str]:
    return sorted(
        q.object.value
        for p in predicates
        for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(str(p)), None)
        if isinstance(q.object, ox.NamedNode)
    )


def _family(store: ox.Store, focus: str) -> list[str]:
    """The 2025 units ``focus`` is or went into, the 2024 units that went into them, and the
    other 2025 units a split 2024 unit also went into."""
    vintage = _objects(store, focus, (KG.vintage,))
    new = [focus] if str(KG.vintage2025) in vintage else _objects(store, focus, _WENT)
    old = sorted({o for n in new for o in _objects(store, n, (_WHOLE, _PART))})
    also = {n for o in old for n in _objects(store, o, _WENT)}
    return sorted({focus, *new, *old, *also})


def reform_graph(store: GraphStore, focus: str) -> tuple[Graph, str]:
    """The graph of the unit ``focus`` names and its reform story, and that unit's IRI.

    Raises :class:`ViewError` when ``focus`` names no unit version or several
    (a name both lists use for different units, a code reused by the reform);
    the message lists them by id so the user can pick one.
    """
    iri = _one_unit(store, focus)
    return _described(store.store, _family(store.store, iri)), iri


def _one_unit(store: GraphStore, focus: str) -> str:
    """The IRI of the one unit version ``focus`` names, or :class:`ViewError` saying why not."""
    units = find_units(store, focus)
    if not units:
        raise UnknownFocus(
            f"no unit of either list matches {focus!r}: give {_FOCUS} "
            "(the backbone is in the store `kgraph build` writes, not in a Turtle file)"
        )
    if len(units) > 1:
        shown = ", ".join(
            f"{iri.rsplit('/', 1)[-1]} ({label}, {vintage})" for iri, label, vintage in units[:8]
        )
        more = f" and {len(units) - 8} more" if len(units) > 8 else ""
        raise ViewError(f"{focus!r} names {len(units)} unit versions: {shown}{more}; give an id")
    return units[0][0]


#: the links an ego view of a backbone unit walks: parent, and the reform's changes
_STEPS = (KG.partOf, _WHOLE, _PART, *_WENT)


def with_backbone(graph: Graph, store: GraphStore, focus: str, depth: int) -> tuple[Graph, str]:
    """``graph`` plus the backbone units within ``depth`` steps of the unit ``focus`` names.

    A step is a parent, a part, a predecessor or a successor across the 2025
    reform; each unit comes with what its node shows. Returns the merged graph
    and the unit's IRI, for an ego view of any of the 14,000 unit versions.
    """
    iri = _one_unit(store, focus)
    ox_store = store.store
    seen, frontier = {iri}, [iri]
    for _ in range(depth):
        found: set[str] = set()
        for unit in frontier:
            found.update(_objects(ox_store, unit, _STEPS))
            node = ox.NamedNode(unit)
            for q in ox_store.quads_for_pattern(None, ox.NamedNode(str(KG.partOf)), node):
                found.add(_text(q.subject))
        frontier = sorted(found - seen)
        seen.update(frontier)
    merged = Graph()
    bind_prefixes(merged)
    for triple in graph:
        merged.add(triple)
    for triple in _described(ox_store, sorted(seen)):
        merged.add(triple)
    return merged, iri


def _described(store: ox.Store, members: list[str]) -> Graph:
    """What the nodes of ``members`` show, and the change links among them."""
    keep = set(members)
    out = Graph()
    bind_prefixes(out)
    wanted = {ox.NamedNode(str(p)) for p in _DESCRIBE}
    links = {ox.NamedNode(str(_WHOLE)), ox.NamedNode(str(_PART))}
    describe: set[str] = set()
    for unit in members:
        for q in store.quads_for_pattern(ox.NamedNode(unit), None, None):
            linked = q.predicate in links and _text(q.object) in keep
            if q.predicate in wanted or linked:
                out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
                if q.predicate.value in (str(KG.vintage), str(KG.partOf)):
                    describe.add(_text(q.object))
    # the lists' codes (2024, 2025) and the parents' names, for the tooltips
    for node in sorted(describe):
        for p in (SKOS.notation, RDFS.label):
            for q in store.quads_for_pattern(ox.NamedNode(node), ox.NamedNode(str(p)), None):
                out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return out
