"""Reading the graph for the projection: labels, node kinds, edges, citations, facts.

Everything here is read from the built graph (and the ontology for term labels),
never from the curated tables, so the networks show what the graph says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph import resources
from kgraph.errors import ViewError
from kgraph.graph.namespaces import (
    DCTERMS,
    KG,
    OA,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SKOS,
)
from kgraph.views.kinds import (
    EDGE_BY_KEY,
    EDGE_TYPES,
    NODE_TYPES,
    Citation,
    EdgeType,
    NodeType,
    Predicate,
    Texts,
)

_QUALIFIER_SIGNS = {"approximate": "≈", "estimate": "≈", "more-than": ">", "target": "→"}
_MAX_LABEL = 48


# -- labels -------------------------------------------------------------------------------


@cache
def _ontology() -> Graph:
    return Graph().parse(resources.ontology_file(), format="turtle")


def _pick(values: Iterable[Node], lang: str) -> str | None:
    """The value in ``lang``; else an untagged one; else any (Vietnamese before English)."""
    found: dict[str | None, str] = {}
    for value in values:
        if isinstance(value, Literal):
            found.setdefault(value.language, str(value))
    for choice in (lang, None, "vi", "en"):
        if choice in found:
            return found[choice]
    return next(iter(found.values()), None)


def label(graph: Graph, node: Node | None, lang: str) -> str | None:
    return None if node is None else _pick(graph.objects(node, RDFS.label), lang)


def _term_label(graph: Graph, term: URIRef, lang: str) -> str | None:
    """A vocabulary term's label from the graph, else from the ontology file."""
    return label(graph, term, lang) or label(_ontology(), term, lang)


def _texts(graph: Graph, given: Texts | None, term: Predicate | None) -> Texts:
    if given is not None:
        return given
    if isinstance(term, URIRef):
        vi, en = _term_label(graph, term, "vi"), _term_label(graph, term, "en")
        if vi and en:
            return (vi, en)
    raise ViewError(f"projection: no Vietnamese and English label for {term}")


def kind_labels(graph: Graph) -> tuple[dict[str, Texts], dict[str, Texts]]:
    """(vi, en) labels of every node kind and every edge kind, for legends."""
    nodes = {
        n.key: _texts(graph, n.label, n.classes[0] if len(n.classes) == 1 else None)
        for n in NODE_TYPES
    }
    return nodes, {e.key: _texts(graph, e.label, e.path) for e in EDGE_TYPES}


def pick_lang(texts: Texts, lang: str) -> str:
    return texts[0] if lang == "vi" else texts[1]


def short(text: str) -> str:
    if len(text) <= _MAX_LABEL:
        return text
    cut = text[: _MAX_LABEL - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def number(value: Decimal | float, lang: str, digits: int | None = None) -> str:
    """A number as a reader of ``lang`` writes it (1.400,5 in Vietnamese, 1,400.5 in English)."""
    if digits is not None:
        text = f"{float(value):,.{digits}f}"
    else:
        text = f"{Decimal(str(value)).normalize():,f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _value_text(graph: Graph, value: Node, lang: str) -> str:
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, datetime):
            return py.date().isoformat()
        if isinstance(py, date):
            return py.isoformat()
        if isinstance(py, Decimal):
            return number(py, lang)
        return str(value)
    return label(graph, value, lang) or local(value)


def local(node: Node | str) -> str:
    return re.split(r"[/#]", str(node).rstrip("/"))[-1]


def _code(graph: Graph, node: Node) -> str:
    notation = graph.value(node, SKOS.notation)
    return str(notation) if notation is not None else local(node)


#: (code name, predicate): the code lists a node points at, named as the exports' columns.
_CODED = (
    ("indicator", KG.indicator),
    ("unit", SDMX_ATTRIBUTE.unitMeasure),
    ("unit", KG.defaultUnit),
    ("qualifier", KG.qualifier),
)


def codes(graph: Graph, node: URIRef) -> dict[str, str]:
    """The codes analysts filter and join on, as strings (a GSO code keeps its leading zeros).

    A unit of an official list has ``gso_code`` and ``vintage`` (the list's year);
    an observation its ``indicator``, ``unit``, ``qualifier`` (code-list notations)
    and ``period`` (the period's id, ``2013`` or ``2006--2011-12``); an indicator
    its default ``unit``. What a node does not have is left out.
    """
    out: dict[str, str] = {}
    vintage = graph.value(node, KG.vintage)
    notation = graph.value(node, SKOS.notation)
    if vintage is not None and notation is not None:
        out.update(gso_code=str(notation), vintage=_code(graph, vintage))
    for name, predicate in _CODED:
        value = graph.value(node, predicate)
        if value is not None and name not in out:
            out[name] = _code(graph, value)
    period = graph.value(node, SDMX_DIMENSION.refPeriod)
    if period is not None:
        out["period"] = local(period)
    return out


def source_ids(found: Iterable[Citation]) -> tuple[str, ...]:
    """The ids of the source articles ``found`` cites (``001_a26cdb5e4219828f``), sorted."""
    return tuple(sorted({local(c.article) for c in found}))


# -- typing and edges -------------------------------------------------------------------------


def node_kinds(graph: Graph) -> dict[URIRef, NodeType]:
    order = {cls: (i, t) for i, t in enumerate(NODE_TYPES) for cls in t.classes}
    kinds: dict[URIRef, tuple[int, NodeType]] = {}
    for s, cls in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and cls in order:
            rank = order[cls]  # type: ignore[index]
            if s not in kinds or rank[0] < kinds[s][0]:
                kinds[s] = rank
    return {s: t for s, (_, t) in kinds.items()}


def _pairs(graph: Graph, edge: EdgeType) -> Iterator[tuple[URIRef, URIRef]]:
    """(RDF subject, RDF object) of every statement an edge kind stands for."""
    if edge.path is None:
        return
    for s, o in graph.subject_objects(edge.path):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            yield s, o


def edges(
    graph: Graph, kinds: dict[URIRef, NodeType], keys: Iterable[str], allowed: set[str] | None
) -> Iterator[tuple[URIRef, URIRef, EdgeType, URIRef]]:
    """(from, to, kind, RDF subject) for the edge kinds ``keys`` between nodes of allowed kinds."""
    for key in keys:
        edge = EDGE_BY_KEY[key]
        for s, o in _pairs(graph, edge):
            ks, ko = kinds.get(s), kinds.get(o)
            if ks is None or ko is None:
                continue
            if edge.subjects and ks.key not in edge.subjects:
                continue
            if edge.objects and ko.key not in edge.objects:
                continue
            if allowed is not None and not (ks.key in allowed and ko.key in allowed):
                continue
            yield (o, s, edge, s) if edge.reverse else (s, o, edge, s)


# -- citations and facts ----------------------------------------------------------------------


def citations(graph: Graph, node: Node, lang: str, article: Node | None = None) -> list[Citation]:
    out = []
    for ev in graph.objects(node, KG.evidence):
        source = graph.value(ev, OA.hasSource)
        if source is None or (article is not None and source != article):
            continue
        selector = graph.value(ev, OA.hasSelector)
        quote = graph.value(selector, OA.exact) if selector is not None else None
        issued = graph.value(source, DCTERMS.issued)
        out.append(
            Citation(
                article=str(source),
                title=label(graph, source, lang) or local(source),
                published=_value_text(graph, issued, lang) if issued is not None else "",
                quote=str(quote or ""),
            )
        )
    return sorted(out, key=lambda c: (c.article, c.quote))


def facts(graph: Graph, node: URIRef, kind: NodeType, lang: str) -> list[tuple[str, str]]:
    facts = []
    for fact in kind.facts:
        values = list(graph.objects(node, fact.path))
        if not values:
            continue
        tagged = [v for v in values if isinstance(v, Literal) and v.language]
        if tagged:
            text = _pick(tagged, lang) or ""
        else:
            text = "; ".join(sorted(_value_text(graph, v, lang) for v in values))
        facts.append((pick_lang(fact.label, lang), text))
    return facts


def _unit_text(graph: Graph, unit: Node | None, lang: str) -> str:
    if unit is None or str(graph.value(unit, SKOS.notation)) == "number":
        return ""
    symbol = _pick(graph.objects(unit, SKOS.altLabel), "vi")
    if lang == "vi" or (symbol and symbol.isascii() and " " not in symbol):
        return symbol or label(graph, unit, lang) or ""
    return label(graph, unit, lang) or ""


def observation_caption(graph: Graph, obs: URIRef, lang: str) -> str:
    value = graph.value(obs, SDMX_MEASURE.obsValue)
    written = graph.value(obs, KG.valueText)
    if lang == "vi" and written is not None:
        text = str(written)
    else:
        text = _value_text(graph, value, lang) if value is not None else str(written or "")
    upper = graph.value(obs, KG.upperValue)
    if upper is not None:
        text += "–" + _value_text(graph, upper, lang)
    denominator = graph.value(obs, KG.denominator)
    if denominator is not None:
        text += "/" + _value_text(graph, denominator, lang)
    qualifier = graph.value(obs, KG.qualifier)
    sign = _QUALIFIER_SIGNS.get(str(graph.value(qualifier, SKOS.notation)), "")
    unit = _unit_text(graph, graph.value(obs, SDMX_ATTRIBUTE.unitMeasure), lang)
    return f"{sign}{text}" + (f" {unit}" if unit else "")
