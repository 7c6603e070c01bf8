"""What the networks are made of, declared as data: node kinds, edge kinds, derived ratios, views.

Which RDF classes become which kind of node (colour, shape, tooltip facts),
which predicates or property paths become which kind of edge (label,
direction), which ratios are derived from pairs of observations, and which
kinds each view draws. :func:`kgraph.views.projection.project` applies these
tables; the CLI choices, the legends and the exports follow from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.paths import Path as RdfPath

from kgraph.graph.namespaces import (
    DCTERMS,
    KG,
    OA,
    ORG,
    QB,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDO,
    SKOS,
)

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
    entities; ``derived`` adds the derived figures.
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
    layout: str = "force"  # "tree" (levels from structural edges), "fixed" (placed by the view)
    draw: bool = True
    vintage_in_label: bool = False
    backbone: bool = False  # drawn from the national backbone in the store, not the graph

    @property
    def whole_graph(self) -> bool:  # drawn from the curated graph alone, as --all does
        return not self.needs_focus and not self.backbone


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
_VINTAGE = Fact(("danh mục", "unit list"), KG.vintage / SKOS.notation)
_PARENT = Fact(("thuộc", "part of"), KG.partOf / RDFS.label)
_PLACE_FACTS = (_GSO, _ADMIN, _VINTAGE, _PARENT, _NOTE)

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
        "provincial-party-organisation",
        (KG.ProvincialPartyOrganisation,),
        "#67000d",
        "diamond",
        facts=(_NOTE,),
    ),
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
    NodeType("party-commission", (KG.PartyCommission,), "#fdd0a2", "square", facts=(_NOTE,)),
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
    # drawn from the old unit to the new one, the way the reform went
    EdgeType(
        "went-into",
        DCTERMS.replaces,
        "#08519c",
        ("nhập vào", "went into"),
        reverse=True,
        structural=True,
    ),
    EdgeType(
        "went-partly-into",
        KG.partlyReplaces,
        "#6baed6",
        ("nhập một phần vào", "went partly into"),
        reverse=True,
        structural=True,
        dashes=True,
    ),
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
    "provincial-party-organisation",
    "district-party-organisation",
    "grassroots-party-committee",
    "grassroots-party-cell",
    "party-cell",
    "party-committee",
    "standing-committee",
    "party-commission",
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
            "reform",
            ("Cải cách đơn vị hành chính 2025", "The 2025 reform of administrative units"),
            (
                "Đơn vị này được hình thành từ những đơn vị nào, hay đã nhập vào đâu?",
                "Which units was this one formed from, or where did it go?",
            ),
            nodes=("province", "district", "commune"),
            edges=("went-into", "went-partly-into"),
            needs_focus=True,
            layout="tree",
            vintage_in_label=True,
            backbone=True,
        ),
        ViewSpec(
            "national",
            ("Cả nước: tỉnh, huyện, xã", "The whole country: provinces, districts, communes"),
            ("Mỗi tỉnh có những đơn vị nào?", "Which units does each province hold?"),
            nodes=_PLACES[:3],
            edges=("part-of",),
            layout="fixed",
            backbone=True,
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

#: node and edge kinds by key
NODE_BY_KEY = {t.key: t for t in NODE_TYPES}
EDGE_BY_KEY = {t.key: t for t in EDGE_TYPES}
