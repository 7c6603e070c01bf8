"""Time in the curated graph: instants at a source's precision, terms' names, stated changes.

A term (*nhiệm kỳ 2015–2020*) and a post held from one date to another are
both OWL-Time intervals whose beginning and end are ``time:Instant`` nodes
named by what the source prints: ``id/instant/2015`` (``time:inXSDgYear``),
``id/instant/2013-07`` (``time:inXSDgYearMonth``) or ``id/instant/2013-07-15``
(``time:inXSDDate``), so a month is never widened into a made-up day. A change
a source states (*được chia tách thành lập tháng 7/2013*) uses the backbone's
vocabulary: ``kg:AdministrativeChange`` for a unit, W3C ORG's
``org:ChangeEvent`` for an organisation.
"""

from __future__ import annotations

from datetime import date

from rdflib import Literal, URIRef

from kgraph.curate.tables import Row
from kgraph.curate.vn import Period
from kgraph.graph.namespaces import DCTERMS, KG, ORG, PROV, RDF, TIME, XSD, Iris

Triple = tuple[URIRef, URIRef, URIRef | Literal]

#: label length -> (the instant's OWL-Time property, its datatype)
_PRECISION = {
    4: (TIME.inXSDgYear, XSD.gYear),
    7: (TIME.inXSDgYearMonth, XSD.gYearMonth),
    10: (TIME.inXSDDate, XSD.date),
}

#: a stated change's kind -> (its term, the noun of its Vietnamese and English labels)
CHANGE_KINDS = {
    "establishment": (KG.establishment, "Thành lập", "Establishment of"),
    "merger": (KG.merger, "Sáp nhập", "Merger of"),
    "split": (KG.split, "Chia tách", "Split of"),
    "abolition": (KG.abolition, "Giải thể", "Abolition of"),
}


def when_literal(when: Period) -> Literal:
    """``"2013-07"^^xsd:gYearMonth``: a stated date at its own precision."""
    return Literal(when.label, datatype=_PRECISION[len(when.label)][1])


def year(number: int | None) -> Period | None:
    """A year as a period (a term's years are printed as years)."""
    return None if number is None else Period(date(number, 1, 1), date(number, 12, 31), str(number))


def instant_triples(iris: Iris, when: Period) -> tuple[URIRef, list[Triple]]:
    """The instant a year, month or day names, and its triples."""
    node = iris.id("instant", when.label)
    prop, _ = _PRECISION[len(when.label)]
    return node, [(node, RDF.type, TIME.Instant), (node, prop, when_literal(when))]


def interval_triples(
    iris: Iris, interval: URIRef, start: Period | None, end: Period | None
) -> list[Triple]:
    """``interval`` as a ``time:ProperInterval`` from ``start`` to ``end`` (either may be open)."""
    out: list[Triple] = [(interval, RDF.type, TIME.ProperInterval)]
    for prop, when in ((TIME.hasBeginning, start), (TIME.hasEnd, end)):
        if when is not None:
            node, triples = instant_triples(iris, when)
            out += [(interval, prop, node), *triples]
    return out


def change_triples(
    node: URIRef, row: Row, original: URIRef | None, resulting: URIRef | None, on_place: bool
) -> list[Triple]:
    """A stated change of a unit (``kg:AdministrativeChange``) or an organisation (ORG)."""
    term, _, _ = CHANGE_KINDS[row["kind"]]
    cls, before, after = (
        (KG.AdministrativeChange, KG.originalUnit, KG.resultingUnit)
        if on_place
        else (ORG.ChangeEvent, ORG.originalOrganization, ORG.resultingOrganization)
    )
    out: list[Triple] = [
        (node, RDF.type, cls),
        (node, RDF.type, PROV.Activity),
        (node, KG.changeKind, term),
        (node, DCTERMS.date, when_literal(row["date"])),
    ]
    if original is not None:
        out.append((node, before, original))
        if on_place:
            out.append((original, KG.changedBy, node))
    if resulting is not None:
        out.append((node, after, resulting))
    return out


def change_names(kind: str, name_vi: str, name_en: str, when: Period) -> tuple[str, str]:
    """(``Thành lập Xã Na Tông (2013-07)``, ``Establishment of Na Tông Commune (2013-07)``)."""
    _, vi, en = CHANGE_KINDS[kind]
    return f"{vi} {name_vi} ({when.label})", f"{en} {name_en} ({when.label})"


def years(row: Row) -> str:
    """``2015–2020`` (en dash), or empty when the source gives no years."""
    return f"{row['start']}–{row['end']}" if row["start"] is not None else ""


def term_names(printed: str, number: int | None, years: str) -> tuple[str, str]:
    """(``XXI (2015–2020)``, ``21st term (2015–2020)``): a term as printed, and in English."""
    if number is not None and years:
        return f"{printed} ({years})", f"{ordinal_en(number)} term ({years})"
    if number is not None:
        return printed, f"{ordinal_en(number)} term"
    return years, f"{years} term"


def ordinal_en(number: int | None) -> str:
    """``21st``: English ordinal of a term's number (empty when none is printed)."""
    if number is None:
        return ""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"
