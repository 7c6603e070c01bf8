"""The RDF graph seen as networks, declared as data: the one bridge from rdflib to networkx.

Which RDF classes become which kind of node (colour, shape, tooltip facts),
which predicates or property paths become which kind of edge (label,
direction), and which kinds each view draws are all tables below; ``project``
applies them. Views, analytics and the GraphML/GEXF exports all read the
networks it returns, never the curated tables, so they show what the graph
says. Derived figures (members per cell...) are declared here too, so a
ratio is computed once and cited with both of the observations it comes from.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.paths import Path as RdfPath
from rdflib.term import Node

from kgraph import resources
from kgraph.errors import ViewError
from kgraph.graph.namespaces import (
    DCTERMS,
    KG,
    OA,
    ORG,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SDO,
    SKOS,
)
from kgraph.curate.vn import fold

#: The label languages every view can be drawn in.
LANGS: tuple[str, ...] = ("vi", "en")

#: How far ``--focus`` reaches when no ``--depth`` is given.
DEFAULT_DEPTH = 2

Texts = tuple[str, str]  # (Vietnamese, English)
Predicate = URIRef | RdfPath


@dataclass(frozen=True)
class Fact:
    """A line of a tooltip: a label and the predicate (or path) whose values it shows."""

    label: Texts
    path: Predicate


@dataclass(frozen=True)
class NodeType:
    """A kind of node: the RDF classes it stands for and how it is drawn.

    ``label`` is only given where the ontology has no label for the (single)
    class; ``expand`` is False for hubs (articles, indicators) that a focused
    view shows but does not walk through, or every article would pull in all
    of its facts.
    """

    key: str
    classes: tuple[URIRef, ...]
    color: str
    shape: str
    label: Texts | None = None
    facts: tuple[Fact, ...] = ()
    expand: bool = True


@dataclass(frozen=True)
class EdgeType:
    """A kind of edge: the predicate or path it comes from, its label and direction.

    ``reverse`` draws the edge from the RDF object to the subject (an article
    *is the source of* a fact, where RDF says the fact has evidence from the
    article). ``subjects``/``objects`` restrict it to node kinds where one
    predicate means different things (dcterms:creator is an article's author
    but a document's issuer). ``path=None`` marks edges the projection makes
    itself (derived figures). ``structural`` edges form the hierarchy trees.
    """

    key: str
    path: Predicate | None
    color: str
    label: Texts | None = None
    reverse: bool = False
    subjects: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()
    structural: bool = False
    dashes: bool = False


@dataclass(frozen=True)
class ViewSpec:
    """A view: the node and edge kinds it draws, and the question it answers.

    ``context`` edges are followed one step out of the nodes the core edges
    reach (so the people view shows the party organisation a committee
    belongs to); ``comparable`` keeps only indicators observed on at least two
    entities; ``derived`` adds the derived figures; ``layout`` is ``tree``
    (levels from the structural edges) or ``force``.
    """

    key: str
    title: Texts
    question: Texts
    nodes: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    comparable: bool = False
    derived: bool = False
    needs_focus: bool = False
    layout: str = "force"
    draw: bool = True


@dataclass(frozen=True)
class Ratio:
    """A derived figure: one indicator divided by another, same entity and period."""

    key: str
    numerator: str
    denominator: str
    label: Texts


@dataclass(frozen=True)
class Citation:
    """The article and exact quote a node or edge rests on."""

    article: str
    title: str
    published: str
    quote: str

    def text(self) -> str:
        """``Title (date): “quote”`` for exports and plain-text reports."""
        when = f" ({self.published})" if self.published else ""
        return f"{self.title}{when}: “{self.quote}”"


_NOTE = Fact(("ghi chú", "note"), SKOS.note)
_GSO = Fact(("mã GSO", "GSO code"), SKOS.notation)
_ADMIN = Fact(("loại đơn vị", "unit type"), KG.adminType)
_PLACE_FACTS = (_GSO, _ADMIN, _NOTE)

#: Node kinds, most specific first: a node takes the first kind one of its classes matches.
NODE_TYPES: tuple[NodeType, ...] = (
    NodeType("province", (KG.Province,), "#00441b", "hexagon", facts=_PLACE_FACTS),
    NodeType("district", (KG.District,), "#238b45", "hexagon", facts=_PLACE_FACTS),
    NodeType("commune", (KG.Commune,), "#74c476", "dot", facts=_PLACE_FACTS),
    NodeType("village", (KG.Village,), "#b8e3a8", "dot", facts=(_NOTE,)),
    NodeType("border-gate", (KG.BorderGate,), "#41ab5d", "triangle", facts=(_NOTE,)),
    NodeType("hydropower", (KG.HydropowerProject,), "#2171b5", "triangleDown", facts=(_NOTE,)),
    NodeType("country", (SDO.Country,), "#969696", "hexagon", ("quốc gia", "country")),
    NodeType(
        "district-party-organisation",
        (KG.DistrictPartyOrganisation,),
        "#a50f15",
        "diamond",
        facts=(_NOTE,),
    ),
    NodeType(
        "grassroots-party-committee",
        (KG.GrassrootsPartyCommittee,),
        "#de2d26",
        "diamond",
        facts=(_NOTE,),
    ),
    NodeType(
        "grassroots-party-cell", (KG.GrassrootsPartyCell,), "#fb6a4a", "diamond", facts=(_NOTE,)
    ),
    NodeType(
        "party-cell",
        (KG.PartyCell,),
        "#fc9272",
        "dot",
        facts=(Fact(("loại hình", "kind"), KG.cellKind), _NOTE),
    ),
    NodeType("party-committee", (KG.PartyCommittee,), "#e6550d", "square", facts=(_NOTE,)),
    NodeType("standing-committee", (KG.StandingCommittee,), "#fdae6b", "square", facts=(_NOTE,)),
    NodeType("central-party-body", (KG.CentralPartyBody,), "#67000d", "star", facts=(_NOTE,)),
    NodeType("armed-forces-unit", (KG.ArmedForcesUnit,), "#525252", "triangle", facts=(_NOTE,)),
    NodeType("media-organisation", (KG.MediaOrganisation,), "#9e9ac8", "square", facts=(_NOTE,)),
    NodeType(
        "person",
        (SDO.Person,),
        "#2166ac",
        "dot",
        ("người", "person"),
        facts=(Fact(("danh xưng", "honorific"), SDO.honorificPrefix), _NOTE),
    ),
    NodeType(
        "post-holding",
        (KG.PostHolding,),
        "#67a9cf",
        "square",
        ("chức vụ", "post held"),
        facts=(Fact(("chức vụ", "role"), ORG.role), Fact(("tính đến", "as of"), KG.asOf), _NOTE),
    ),
    NodeType(
        "document",
        (KG.Decision, KG.Directive, KG.Resolution, KG.Law, KG.Charter),
        "#bf812d",
        "triangleDown",
        ("văn bản", "document"),
        facts=(
            Fact(("số hiệu", "number"), KG.documentNumber),
            Fact(("ngày ban hành", "issued"), DCTERMS.issued),
            _NOTE,
        ),
    ),
    NodeType(
        "article",
        (KG.SourceArticle,),
        "#542788",
        "box",
        expand=False,
        facts=(
            Fact(("ngày đăng", "published"), DCTERMS.issued),
            Fact(("tệp", "file"), KG.sourceFile),
            _NOTE,
        ),
    ),
    NodeType(
        "observation",
        (QB.Observation,),
        "#fdb863",
        "dot",
        ("số liệu", "figure"),
        facts=(
            Fact(("chỉ tiêu", "indicator"), KG.indicator),
            Fact(("giá trị nguyên văn", "value as written"), KG.valueText),
            Fact(("giá trị cận trên", "upper value"), KG.upperValue),
            Fact(("mẫu số", "out of"), KG.denominator),
            Fact(("đơn vị", "unit"), SDMX_ATTRIBUTE.unitMeasure),
            Fact(("cách nêu", "stated as"), KG.qualifier),
            Fact(("thời kỳ", "period"), SDMX_DIMENSION.refPeriod),
            _NOTE,
        ),
    ),
    NodeType(
        "indicator",
        (KG.Indicator,),
        "#b35806",
        "star",
        expand=False,
        facts=(
            Fact(("định nghĩa", "definition"), SKOS.definition),
            Fact(("nhóm", "category"), KG.category),
            Fact(("đơn vị", "unit"), KG.defaultUnit),
        ),
    ),
    NodeType("derived", (), "#8073ac", "triangle", ("số liệu suy ra", "derived figure")),
    NodeType(
        "derived-indicator",
        (),
        "#5e3c99",
        "star",
        ("chỉ tiêu suy ra", "derived indicator"),
        expand=False,
    ),
)

_SOURCE_OF = KG.evidence / OA.hasSource  # fact -> article

#: Edge kinds, each from one predicate or property path.
EDGE_TYPES: tuple[EdgeType, ...] = (
    EdgeType("part-of", KG.partOf, "#74c476", structural=True),
    EdgeType(
        "sub-organisation-of",
        ORG.subOrganizationOf,
        "#de2d26",
        ("trực thuộc", "sub-organisation of"),
        structural=True,
    ),
    EdgeType("unit-of", ORG.unitOf, "#fc9272", ("là bộ phận của", "unit of"), structural=True),
    EdgeType("leads-area", KG.leadsArea, "#6a51a3", dashes=True),
    EdgeType("holds", ORG.member, "#2166ac", ("giữ chức vụ", "holds"), reverse=True),
    EdgeType("post-in", ORG.organization, "#67a9cf", ("tại", "in")),
    EdgeType(
        "figure-of-place",
        SDMX_DIMENSION.refArea,
        "#fdb863",
        ("có số liệu (địa bàn)", "has figure (place)"),
        reverse=True,
    ),
    EdgeType(
        "figure-of-organisation",
        KG.refOrganisation,
        "#f1a340",
        ("có số liệu (tổ chức)", "has figure (organisation)"),
        reverse=True,
    ),
    EdgeType("of-indicator", KG.indicator, "#b35806"),
    EdgeType("component-of", KG.componentOf, "#fdb863"),
    EdgeType("source-of", _SOURCE_OF, "#9e9ac8", ("là nguồn của", "source of"), reverse=True),
    EdgeType("published-by", DCTERMS.publisher, "#bcbddc", ("xuất bản bởi", "published by")),
    EdgeType("author", DCTERMS.creator, "#807dba", ("tác giả", "author"), subjects=("article",)),
    EdgeType(
        "issued-by",
        DCTERMS.creator,
        "#bf812d",
        ("ban hành bởi", "issued by"),
        subjects=("document",),
    ),
    EdgeType("derived-figure", None, "#8073ac", ("có số liệu suy ra", "has derived figure")),
    EdgeType("of-derived-indicator", None, "#5e3c99", ("chỉ tiêu suy ra", "derived indicator")),
    EdgeType("computed-from", None, "#bdbdbd", ("tính từ", "computed from"), dashes=True),
)

#: Derived figures: ratios of two indicators observed on the same entity for the same period.
RATIOS: tuple[Ratio, ...] = (
    Ratio(
        "members-per-cell",
        "party-members",
        "party-cells",
        ("đảng viên bình quân mỗi chi bộ", "party members per cell"),
    ),
    Ratio(
        "members-per-grassroots-org",
        "party-members",
        "grassroots-party-orgs",
        ("đảng viên bình quân mỗi tổ chức cơ sở đảng", "party members per grassroots organisation"),
    ),
    Ratio(
        "cells-per-grassroots-org",
        "party-cells",
        "grassroots-party-orgs",
        ("chi bộ bình quân mỗi tổ chức cơ sở đảng", "party cells per grassroots organisation"),
    ),
)

_PLACES = ("province", "district", "commune", "village", "border-gate")
_PARTY = (
    "district-party-organisation",
    "grassroots-party-committee",
    "grassroots-party-cell",
    "party-cell",
    "party-committee",
    "standing-committee",
)
_STRUCTURE = ("part-of", "sub-organisation-of", "unit-of", "leads-area")

#: The views, by name. ``network`` is everything (for analytics and exports);
#: ``ego`` is everything around one entity.
VIEWS: dict[str, ViewSpec] = {
    spec.key: spec
    for spec in (
        ViewSpec(
            "hierarchy",
            ("Hệ thống hành chính và tổ chức đảng", "Administrative and party hierarchy"),
            (
                "Đơn vị nào thuộc đơn vị nào, tổ chức đảng nào lãnh đạo địa bàn nào?",
                "What is part of what, and which party organisation leads which place?",
            ),
            nodes=_PLACES + _PARTY,
            edges=_STRUCTURE,
            layout="tree",
        ),
        ViewSpec(
            "people",
            ("Cán bộ và chức vụ", "Officials and their posts"),
            (
                "Ai giữ chức vụ gì, ở tổ chức nào, theo bài báo vào thời điểm nào?",
                "Who holds which post in which organisation, as of which date?",
            ),
            nodes=("person", "post-holding", *_PARTY),
            edges=("holds", "post-in"),
            context=("sub-organisation-of", "unit-of", "leads-area"),
        ),
        ViewSpec(
            "indicators",
            ("So sánh chỉ tiêu", "Indicators compared"),
            (
                "Các xã, đảng bộ so với nhau ra sao theo cùng một chỉ tiêu?",
                "How do communes and party organisations compare on the same indicator?",
            ),
            nodes=_PLACES + _PARTY + ("observation", "indicator", "derived", "derived-indicator"),
            edges=(
                "figure-of-place",
                "figure-of-organisation",
                "of-indicator",
                "derived-figure",
                "of-derived-indicator",
                "computed-from",
            ),
            comparable=True,
            derived=True,
        ),
        ViewSpec(
            "sources",
            ("Nguồn và bằng chứng", "Sources and evidence"),
            (
                "Mỗi bài báo là nguồn của những số liệu và thực thể nào?",
                "Which facts and entities does each article support?",
            ),
            nodes=_PLACES
            + _PARTY
            + (
                "hydropower",
                "country",
                "central-party-body",
                "armed-forces-unit",
                "media-organisation",
                "person",
                "post-holding",
                "document",
                "article",
                "observation",
            ),
            edges=(
                "source-of",
                "figure-of-place",
                "figure-of-organisation",
                "holds",
                "post-in",
                "published-by",
                "author",
                "issued-by",
            ),
        ),
        ViewSpec(
            "ego",
            ("Xung quanh một thực thể", "Around one entity"),
            ("Thực thể này liên quan đến những gì?", "What is this entity connected to?"),
            needs_focus=True,
            derived=True,
        ),
        ViewSpec(
            "network",
            ("Toàn bộ mạng", "The whole network"),
            (
                "Toàn bộ đồ thị dưới dạng mạng, để phân tích hoặc mở bằng Gephi.",
                "The whole graph as one network, for analysis or for Gephi.",
            ),
            derived=True,
            draw=False,
        ),
    )
}

_NODE_BY_KEY = {t.key: t for t in NODE_TYPES}
_EDGE_BY_KEY = {t.key: t for t in EDGE_TYPES}
_QUALIFIER_SIGNS = {"approximate": "≈", "more-than": ">", "target": "→"}
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


def _label(graph: Graph, node: Node | None, lang: str) -> str | None:
    return None if node is None else _pick(graph.objects(node, RDFS.label), lang)


def _term_label(graph: Graph, term: URIRef, lang: str) -> str | None:
    """A vocabulary term's label from the graph, else from the ontology file."""
    return _label(graph, term, lang) or _label(_ontology(), term, lang)


def _texts(graph: Graph, given: Texts | None, term: Predicate | None) -> Texts:
    if given is not None:
        return given
    if isinstance(term, URIRef):
        vi, en = _term_label(graph, term, "vi"), _term_label(graph, term, "en")
        if vi and en:
            return (vi, en)
    raise ViewError(f"projection: no Vietnamese and English label for {term}")


def _kind_labels(graph: Graph) -> tuple[dict[str, Texts], dict[str, Texts]]:
    """(vi, en) labels of every node kind and every edge kind, for legends."""
    nodes = {
        n.key: _texts(graph, n.label, n.classes[0] if len(n.classes) == 1 else None)
        for n in NODE_TYPES
    }
    return nodes, {e.key: _texts(graph, e.label, e.path) for e in EDGE_TYPES}


def _pick_lang(texts: Texts, lang: str) -> str:
    return texts[0] if lang == "vi" else texts[1]


def _short(text: str) -> str:
    if len(text) <= _MAX_LABEL:
        return text
    cut = text[: _MAX_LABEL - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def _number(value: Decimal | float, lang: str, digits: int | None = None) -> str:
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
            return _number(py, lang)
        return str(value)
    return _label(graph, value, lang) or _local(value)


def _local(node: Node | str) -> str:
    return re.split(r"[/#]", str(node).rstrip("/"))[-1]


# -- typing and edges -------------------------------------------------------------------------


def _node_kinds(graph: Graph) -> dict[URIRef, NodeType]:
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


def _edges(
    graph: Graph, kinds: dict[URIRef, NodeType], keys: Iterable[str], allowed: set[str] | None
) -> Iterator[tuple[URIRef, URIRef, EdgeType, URIRef]]:
    """(from, to, kind, RDF subject) for the edge kinds ``keys`` between nodes of allowed kinds."""
    for key in keys:
        edge = _EDGE_BY_KEY[key]
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


def _citations(graph: Graph, node: Node, lang: str, article: Node | None = None) -> list[Citation]:
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
                title=_label(graph, source, lang) or _local(source),
                published=_value_text(graph, issued, lang) if issued is not None else "",
                quote=str(quote or ""),
            )
        )
    return sorted(out, key=lambda c: (c.article, c.quote))


def _facts(graph: Graph, node: URIRef, kind: NodeType, lang: str) -> list[tuple[str, str]]:
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
        facts.append((_pick_lang(fact.label, lang), text))
    return facts


def _unit_text(graph: Graph, unit: Node | None, lang: str) -> str:
    if unit is None or str(graph.value(unit, SKOS.notation)) == "number":
        return ""
    symbol = _pick(graph.objects(unit, SKOS.altLabel), "vi")
    if lang == "vi" or (symbol and symbol.isascii() and " " not in symbol):
        return symbol or _label(graph, unit, lang) or ""
    return _label(graph, unit, lang) or ""


def _observation_caption(graph: Graph, obs: URIRef, lang: str) -> str:
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


# -- derived figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    node: URIRef
    subject: URIRef
    period: Node | None
    value: Decimal


def _figures(graph: Graph) -> dict[str, list[_Figure]]:
    """Observations by indicator notation (targets left out: they are not results)."""
    out: dict[str, list[_Figure]] = {}
    for obs in graph.subjects(RDF.type, QB.Observation):
        qualifier = graph.value(obs, KG.qualifier)
        if str(graph.value(qualifier, SKOS.notation)) == "target":
            continue
        indicator = graph.value(obs, KG.indicator)
        subject = graph.value(obs, SDMX_DIMENSION.refArea) or graph.value(obs, KG.refOrganisation)
        value = graph.value(obs, SDMX_MEASURE.obsValue)
        if not (isinstance(obs, URIRef) and isinstance(subject, URIRef)):
            continue
        if indicator is None or not isinstance(value, Literal):
            continue
        notation = str(graph.value(indicator, SKOS.notation))
        out.setdefault(notation, []).append(
            _Figure(obs, subject, graph.value(obs, SDMX_DIMENSION.refPeriod), value.toPython())
        )
    return out


def _add_derived(g: nx.MultiDiGraph, graph: Graph, kinds: dict[URIRef, NodeType]) -> None:
    figures = _figures(graph)
    for ratio in RATIOS:
        dens = {(f.subject, f.period): f for f in figures.get(ratio.denominator, [])}
        for num in sorted(figures.get(ratio.numerator, []), key=lambda f: str(f.node)):
            den = dens.get((num.subject, num.period))
            if den is None or den.value == 0 or num.subject not in kinds:
                continue
            indicator = f"derived/{ratio.key}"
            node = f"{indicator}/{_local(num.subject)}/{_local(num.period or '')}"
            value = num.value / den.value
            g.add_node(indicator, kind="derived-indicator", ratio=ratio)
            g.add_node(
                node,
                kind="derived",
                ratio=ratio,
                value=float(value),
                indicator=indicator,
                parts=(num.node, den.node),
                subject=str(num.subject),
                period=num.period,
            )
            g.add_node(str(num.subject), kind=kinds[num.subject].key)
            g.add_edge(
                str(num.subject),
                node,
                key="derived-figure",
                kind="derived-figure",
                rdf_subject=None,
            )
            g.add_edge(
                node,
                indicator,
                key="of-derived-indicator",
                kind="of-derived-indicator",
                rdf_subject=None,
            )
            for part in (num.node, den.node):
                if str(part) in g:
                    g.add_edge(
                        node, str(part), key="computed-from", kind="computed-from", rdf_subject=None
                    )


# -- focus -------------------------------------------------------------------------------------


def _resolve(g: nx.MultiDiGraph, text: str) -> str:
    """The node ``text`` names: an IRI, an id (last IRI segment) or a name, diacritics ignored."""
    wanted = text.strip()
    if wanted in g:
        return wanted
    by_id: list[str] = sorted(n for n, d in g.nodes(data=True) if d.get("key") == wanted)
    if len(by_id) == 1:
        return by_id[0]
    key = fold(wanted)
    if not key:
        raise ViewError("--focus is empty: give an id such as xa-pom-lot, an IRI or a name")
    exact: list[str] = sorted(n for n, d in g.nodes(data=True) if key in d.get("search_keys", ()))
    if len(exact) == 1:
        return exact[0]
    found = exact or sorted(
        n for n, d in g.nodes(data=True) if any(key in k for k in d.get("search_keys", ()))
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise ViewError(
            f"no entity matches {text!r}: give an id such as xa-pom-lot, an IRI or a name"
        )
    shown = ", ".join(f"{g.nodes[n]['key']} ({g.nodes[n]['kind']})" for n in found[:8])
    more = f" and {len(found) - 8} more" if len(found) > 8 else ""
    raise ViewError(f"{text!r} matches {len(found)} entities: {shown}{more}; give an id")


def _neighbourhood(g: nx.MultiDiGraph, focus: str, depth: int) -> set[str]:
    """Nodes within ``depth`` steps of ``focus`` (either direction), not walking through hubs."""
    seen = {focus: 0}
    queue = deque([focus])
    while queue:
        node = queue.popleft()
        if seen[node] >= depth:
            continue
        if node != focus and not _NODE_BY_KEY[g.nodes[node]["kind"]].expand:
            continue
        for nxt in list(g.successors(node)) + list(g.predecessors(node)):
            if nxt not in seen:
                seen[nxt] = seen[node] + 1
                queue.append(nxt)
    return set(seen)


# -- the bridge --------------------------------------------------------------------------------


def _structure(graph: Graph, spec: ViewSpec, kinds: dict[URIRef, NodeType]) -> nx.MultiDiGraph:
    """Nodes and edges of ``spec`` (no presentation attributes yet)."""
    allowed = set(spec.nodes) if spec.nodes else None
    edge_keys = spec.edges or tuple(e.key for e in EDGE_TYPES)
    g = nx.MultiDiGraph()
    for a, b, edge, subject in _edges(graph, kinds, edge_keys, allowed):
        g.add_edge(str(a), str(b), key=edge.key, kind=edge.key, rdf_subject=subject)
    core = set(g.nodes)
    for a, b, edge, subject in _edges(graph, kinds, spec.context, None):
        if str(a) in core or str(b) in core:
            g.add_edge(str(a), str(b), key=edge.key, kind=edge.key, rdf_subject=subject)
    for node in g.nodes:
        g.nodes[node]["kind"] = kinds[URIRef(node)].key
    if spec.comparable:
        _keep_comparable(g)
    if spec.derived:
        _add_derived(g, graph, kinds)
    return g


def _keep_comparable(g: nx.MultiDiGraph) -> None:
    """Drop figures of indicators observed on fewer than two entities, then what is left alone."""
    subjects: dict[str, set[str]] = {}
    for obs, ind, kind in g.edges(keys=True):
        if kind == "of-indicator":
            owners = {p for p in g.predecessors(obs) if g.nodes[p]["kind"] != "observation"}
            subjects.setdefault(ind, set()).update(owners)
    lonely = {i for i, owners in subjects.items() if len(owners) < 2}
    g.remove_nodes_from(
        [o for o, i, k in list(g.edges(keys=True)) if k == "of-indicator" and i in lonely]
    )
    g.remove_nodes_from(lonely)
    g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])


def _decorate(g: nx.MultiDiGraph, graph: Graph, lang: str) -> None:
    """Labels, facts and citations on every node and edge (in ``lang``)."""
    node_labels, edge_labels = _kind_labels(graph)
    for node, data in g.nodes(data=True):
        kind = _NODE_BY_KEY[data["kind"]]
        data["kind_label"] = _pick_lang(node_labels[kind.key], lang)
        if kind.key in ("derived", "derived-indicator"):
            _decorate_derived(g, graph, node, data, lang)
            continue
        iri = URIRef(node)
        vi, en = _label(graph, iri, "vi") or _local(iri), _label(graph, iri, "en") or _local(iri)
        title = vi if lang == "vi" else en
        caption = title
        if kind.key == "observation":
            caption = _observation_caption(graph, iri, lang)
            indicator = graph.value(iri, KG.indicator)
            data["indicator"] = str(indicator)
            value = graph.value(iri, SDMX_MEASURE.obsValue)
            data["value"] = float(value.toPython()) if isinstance(value, Literal) else None
            if str(indicator) not in g:  # name the indicator when its node is not drawn
                caption = f"{_label(graph, indicator, lang)}: {caption}"
        elif kind.key == "post-holding":
            role, when = graph.value(iri, ORG.role), graph.value(iri, KG.asOf)
            caption = f"{_label(graph, role, lang)} ({_label(graph, when, lang)})"
        data.update(
            iri=node,
            key=_local(iri),
            label=_short(caption),
            title=title,
            label_vi=vi,
            label_en=en,
            facts=tuple(_facts(graph, iri, kind, lang)),
            citations=tuple(_citations(graph, iri, lang)),
        )
        keys = {str(k) for k in graph.objects(iri, KG.searchKey)}
        data["search_keys"] = tuple(sorted(keys | {fold(vi), fold(en), fold(data["key"])}))
    for a, b, key, data in g.edges(keys=True, data=True):
        edge = _EDGE_BY_KEY[key]
        texts = edge_labels[key]
        data.update(label=_pick_lang(texts, lang), label_vi=texts[0], label_en=texts[1])
        data["predicate"] = edge.path.n3(graph.namespace_manager) if edge.path is not None else ""
        subject = data.pop("rdf_subject", None)
        other = URIRef(a if edge.reverse else b)
        if subject is None:
            data["citations"] = ()
        else:
            only = other if g.nodes[str(other)]["kind"] == "article" else None
            data["citations"] = tuple(_citations(graph, subject, lang, only))


def _decorate_derived(
    g: nx.MultiDiGraph, graph: Graph, node: str, data: dict[str, Any], lang: str
) -> None:
    ratio: Ratio = data.pop("ratio")
    name = _pick_lang(ratio.label, lang)
    if data["kind"] == "derived-indicator":
        data.update(
            iri="",
            key=node,
            label=_short(name),
            title=name,
            label_vi=ratio.label[0],
            label_en=ratio.label[1],
            citations=(),
            facts=(
                (
                    _pick_lang(("định nghĩa", "definition"), lang),
                    f"{ratio.numerator} / {ratio.denominator}",
                ),
            ),
        )
    else:
        num, den = data.pop("parts")
        period = data.pop("period")
        subject = URIRef(data["subject"])
        where = _label(graph, subject, lang) or _local(subject)
        when = _label(graph, period, lang) if period is not None else ""
        title = f"{name} – {where} – {when}"
        parts = [graph.value(p, SDMX_MEASURE.obsValue).toPython() for p in (num, den)]
        facts = [
            (
                _pick_lang(("cách tính", "computed as"), lang),
                f"{_number(parts[0], lang)} / {_number(parts[1], lang)}",
            ),
            (_pick_lang(("thời kỳ", "period"), lang), when or ""),
        ]
        data.update(
            numerator=float(parts[0]), denominator=float(parts[1]), period_label=when, figure=name
        )
        data.update(
            iri="",
            key=node,
            label=_number(data["value"], lang, 2),
            title=title,
            label_vi=f"{ratio.label[0]} – {_label(graph, subject, 'vi')}",
            label_en=f"{ratio.label[1]} – {_label(graph, subject, 'en')}",
            facts=tuple(facts),
            citations=tuple(c for p in (num, den) for c in _citations(graph, p, lang)),
        )
    data["search_keys"] = (fold(name), fold(node))


def project(
    graph: Graph,
    view: str = "network",
    *,
    lang: str = "vi",
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
) -> nx.MultiDiGraph:
    """The network ``view`` draws from ``graph``, optionally around ``focus`` to ``depth``.

    Nodes are keyed by IRI and carry ``kind``, ``label`` (in ``lang``),
    ``label_vi``/``label_en``, ``facts`` and ``citations``; edges are keyed by
    their kind. Raises :class:`ViewError` for an unknown view, a focus that
    names no node or several, or a focus outside the view.

    >>> from kgraph.graph.build import build_graph
    >>> from kgraph.curate.dataset import load_dataset
    >>> g = project(build_graph(load_dataset(resources.data_dir())), "hierarchy")
    >>> g.nodes["https://kgraph.example.org/id/commune/xa-pom-lot"]["label"]
    'Pom Lót'
    """
    spec = VIEWS.get(view)
    if spec is None:
        raise ViewError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")
    if lang not in LANGS:
        raise ViewError(f"unknown language {lang!r} (choose from {', '.join(LANGS)})")
    if depth < 0:
        raise ViewError(f"--depth must be 0 or more, not {depth}")
    if spec.needs_focus and not focus:
        raise ViewError(
            f"view {view!r} needs --focus ENTITY (an id such as xa-pom-lot, an IRI or a name)"
        )
    kinds = _node_kinds(graph)
    g = _structure(graph, spec, kinds)
    focus_node = None
    if focus:
        focus_node = _focus(graph, kinds, g, spec, focus, lang)
        g = g.subgraph(_neighbourhood(g, focus_node, depth)).copy()
    _decorate(g, graph, lang)
    node_labels, edge_labels = _kind_labels(graph)
    node_kinds = {d["kind"] for _, d in g.nodes(data=True)}
    edge_kinds = {k for _, _, k in g.edges(keys=True)}
    g.graph.update(
        view=spec.key,
        lang=lang,
        focus=focus_node,
        depth=depth if focus else None,
        title=_pick_lang(spec.title, lang),
        question=_pick_lang(spec.question, lang),
        node_kinds={
            t.key: _pick_lang(node_labels[t.key], lang) for t in NODE_TYPES if t.key in node_kinds
        },
        edge_kinds={
            t.key: _pick_lang(edge_labels[t.key], lang) for t in EDGE_TYPES if t.key in edge_kinds
        },
    )
    return _sorted(g)


def _focus(
    graph: Graph,
    kinds: dict[URIRef, NodeType],
    g: nx.MultiDiGraph,
    spec: ViewSpec,
    text: str,
    lang: str,
) -> str:
    """Resolve ``text`` against every node, so a node outside the view gets a precise message."""
    everything = _structure(graph, VIEWS["network"], kinds)
    for entity, entity_kind in kinds.items():
        everything.add_node(str(entity), kind=entity_kind.key)
    for node, data in everything.nodes(data=True):
        if data["kind"] in ("derived", "derived-indicator"):
            data["key"], data["search_keys"] = node, (fold(node),)
            continue
        iri = URIRef(node)
        data["key"] = _local(iri)
        keys = {str(k) for k in graph.objects(iri, KG.searchKey)}
        keys |= {fold(x) for x in (_label(graph, iri, "vi"), _label(graph, iri, "en")) if x}
        data["search_keys"] = tuple(sorted(keys))
    node = _resolve(everything, text)
    kind = everything.nodes[node]["kind"]
    if node not in g and (not spec.nodes or kind in spec.nodes):
        g.add_node(node, kind=kind)  # an entity with no edges in this view: shown on its own
    if node not in g:
        if spec.key != "ego" and everything.degree(node) > 0:
            hint = f"; try `kgraph view ego --focus {everything.nodes[node]['key']}`"
        else:
            hint = ""
        raise ViewError(
            f"{text!r} ({everything.nodes[node]['key']}) is not in view {spec.key!r}{hint}"
        )
    return node


def _sorted(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same network with nodes and edges in a stable order (deterministic output)."""
    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    for node in sorted(g.nodes):
        out.add_node(node, **g.nodes[node])
    for a, b, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        out.add_edge(a, b, key=key, **data)
    return out


__all__ = [
    "DEFAULT_DEPTH",
    "EDGE_TYPES",
    "LANGS",
    "NODE_TYPES",
    "RATIOS",
    "VIEWS",
    "Citation",
    "EdgeType",
    "Fact",
    "NodeType",
    "Ratio",
    "ViewSpec",
    "project",
]
