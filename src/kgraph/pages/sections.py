"""What a page shows, declared as data: the sections drawn from links, the kinds' names.

A section is a set of predicates read in one direction: "Parts" are the
subjects pointing here with ``kg:partOf`` (or an organisation's units), "After
the 2025 reform" the objects of ``dcterms:isReplacedBy``… A page shows the
sections its entity has rows for, so a place gets its parent, parts and reform
links, an organisation its parent, units, posts, congresses and terms, with no
per-kind code. A new section is a row here.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kgraph.graph.namespaces import DCTERMS, KG, ORG, PROV, RDF, RDFS, SDO


@dataclass(frozen=True)
class Section:
    """Links shown together: ``direction`` "out" (objects) or "in" (subjects) of ``predicates``."""

    key: str
    vi: str
    en: str
    direction: str
    predicates: tuple[URIRef, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "parent", "Trực thuộc", "Part of", "out", (KG.partOf, ORG.subOrganizationOf, ORG.unitOf)
    ),
    Section(
        "parts",
        "Đơn vị trực thuộc",
        "Parts and units",
        "in",
        (KG.partOf, ORG.subOrganizationOf, ORG.unitOf),
    ),
    Section("area", "Địa bàn lãnh đạo", "Area it leads", "out", (KG.leadsArea,)),
    Section(
        "leaders", "Tổ chức đảng lãnh đạo", "Party organisations leading it", "in", (KG.leadsArea,)
    ),
    Section(
        "successors",
        "Sau sắp xếp 1/7/2025",
        "After the reform of 1 July 2025",
        "out",
        (DCTERMS.isReplacedBy, KG.partlyReplacedBy, KG.changedBy),
    ),
    Section(
        "predecessors",
        "Trước sắp xếp 1/7/2025",
        "Before the reform of 1 July 2025",
        "out",
        (DCTERMS.replaces, KG.partlyReplaces),
    ),
    Section(
        "made-by", "Thay đổi tạo nên đơn vị", "Changes that made it", "in", (KG.resultingUnit,)
    ),
    Section(
        "changed", "Đơn vị trước thay đổi", "Unit before the change", "out", (KG.originalUnit,)
    ),
    Section(
        "resulting", "Đơn vị sau thay đổi", "Unit after the change", "out", (KG.resultingUnit,)
    ),
    Section("posts", "Chức vụ", "Posts", "in", (ORG.postIn,)),
    Section("members", "Người giữ chức vụ", "Post holdings", "in", (ORG.organization,)),
    Section("congresses", "Đại hội", "Congresses", "in", (KG.congressOf,)),
    Section("terms", "Nhiệm kỳ", "Terms", "in", (KG.termOf,)),
)

#: statements every page shows elsewhere (the heading, the identifiers, the quotes)
SHOWN_ABOVE: frozenset[URIRef] = frozenset({RDFS.label, KG.searchKey, KG.evidence})
#: the predicate a source's facts use to say where they come from
DERIVED_FROM = PROV.wasDerivedFrom
TYPE = RDF.type

#: kinds of the national backbone: an entity of these with no quote, value or post gets the
#: light page of the static site (name, kind, code, these sections, LIGHT_FACTS)
LIGHT_KINDS: frozenset[str] = frozenset({"province", "district", "commune", "change"})
#: the statements a light page shows besides its sections
LIGHT_FACTS: tuple[URIRef, ...] = (
    KG.adminType,
    KG.changeKind,
    DCTERMS.date,
    SDO.validFrom,
    SDO.validThrough,
)

#: the kind in an instance IRI (``<base>/id/<kind>/…``) -> its name in Vietnamese and English
KINDS: dict[str, tuple[str, str]] = {
    "country": ("quốc gia", "country"),
    "province": ("tỉnh", "province"),
    "district": ("huyện", "district"),
    "commune": ("xã", "commune"),
    "village": ("thôn, bản", "village"),
    "border-gate": ("cửa khẩu", "border gate"),
    "hydropower": ("thủy điện", "hydropower project"),
    "change": ("thay đổi đơn vị hành chính", "administrative change"),
    "provincial-party-organisation": ("đảng bộ tỉnh", "provincial party organisation"),
    "district-party-organisation": ("đảng bộ huyện", "district party organisation"),
    "grassroots-party-committee": ("đảng bộ cơ sở", "grassroots party organisation"),
    "grassroots-party-cell": ("chi bộ cơ sở", "grassroots party cell"),
    "party-cell": ("chi bộ", "party cell"),
    "party-committee": ("cấp ủy", "party committee"),
    "standing-committee": ("ban thường vụ", "standing committee"),
    "party-commission": ("ban của cấp ủy", "party commission"),
    "central-party-body": ("cơ quan Trung ương", "central party body"),
    "armed-forces-unit": ("đơn vị lực lượng vũ trang", "armed forces unit"),
    "media-organisation": ("cơ quan báo chí", "media organisation"),
    "person": ("người", "person"),
    "post": ("chức vụ", "post"),
    "post-holding": ("giữ chức vụ", "post holding"),
    "term": ("nhiệm kỳ", "term"),
    "congress": ("đại hội", "congress"),
    "document": ("văn bản", "document"),
    "source": ("bài báo nguồn", "source article"),
    "indicator": ("chỉ tiêu", "indicator"),
    "observation": ("số liệu", "observation"),
    "period": ("kỳ", "period"),
    "instant": ("thời điểm", "instant"),
    "unit": ("đơn vị đo", "unit of measure"),
    "qualifier": ("cách nêu giá trị", "value qualifier"),
    "cell-kind": ("loại chi bộ", "kind of party cell"),
    "role": ("vai trò", "role"),
    "category": ("nhóm chỉ tiêu", "indicator category"),
    "partition": ("phân chia tỷ lệ", "share partition"),
    "dataset": ("bộ dữ liệu", "dataset"),
}

#: typed codes (``skos:notation "03356"^^kg:gso2024``) -> the official list they belong to
CODE_LISTS: dict[str, str] = {str(KG.gso2024): "2024", str(KG.gso2025): "2025"}


__all__ = [
    "CODE_LISTS",
    "DERIVED_FROM",
    "KINDS",
    "LIGHT_FACTS",
    "LIGHT_KINDS",
    "SECTIONS",
    "SHOWN_ABOVE",
    "TYPE",
    "Section",
]
