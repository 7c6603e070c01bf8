"""Quantities that compare: a unit's conversion, and a value in its canonical unit.

The value and unit as printed stay as they are; these triples sit beside them so
figures printed in tỷ đồng and triệu đồng sort in one column (docs/model.md).
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.term import Node

from kgraph.curate.tables import Row
from kgraph.graph.namespaces import KG, QUDT, SKOS, XSD

Triple = tuple[Node, Node, Node]


def decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal literal in canonical form (no exponent, no trailing zeros).

    >>> str(decimal_literal(Decimal("716.383") * 10**9))
    '716383000000.0'
    """
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def conversion_triples(unit: URIRef, canonical: URIRef, row: Row) -> list[Triple]:
    """What a unit measures, the unit it converts to and by which factor; QUDT and Rec 20 ids."""
    triples: list[Triple] = [
        (unit, KG.dimension, Literal(row["dimension"])),
        (unit, KG.canonicalUnit, canonical),
        (unit, QUDT.conversionMultiplier, decimal_literal(row["factor"])),
    ]
    if row["qudt"]:
        triples.append((unit, SKOS.exactMatch, URIRef(row["qudt"])))
    if row["unece"]:
        triples.append((unit, KG.uneceCode, Literal(row["unece"])))
    return triples


def comparable_triples(
    observation: URIRef, observed: Row, conversion: Row, canonical: URIRef
) -> list[Triple]:
    """The observation's value (and upper value) times its unit's factor, in the canonical unit."""
    factor: Decimal = conversion["factor"]
    triples: list[Triple] = [
        (observation, KG.comparableValue, decimal_literal(observed["value"] * factor)),
        (observation, KG.comparableUnit, canonical),
    ]
    if observed["value_max"] is not None:
        upper = decimal_literal(observed["value_max"] * factor)
        triples.append((observation, KG.comparableUpperValue, upper))
    return triples
