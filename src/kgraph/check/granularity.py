"""Granularity in the spirit of the GRIM test (Brown & Heathers, 2016), where SPARQL cannot loop.

A share printed to a precision (``43,7 %``: one decimal) can only be some whole
count out of some whole total. ``kgsh:ShareFitsTotal`` finds a share that no
whole count out of its stated total gives; this module adds what a reader
needs next, the smallest total the printed share does fit (a loop over totals,
which a SHACL-SPARQL constraint cannot write: SHACL forbids VALUES there).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from rdflib import Graph, Literal
from rdflib.namespace import SH

from kgraph.curate.vn import parse_number
from kgraph.graph.namespaces import KG, SHAPES

#: the totals tried, 1 to this
LIMIT = 10_000


def smallest_total(printed: str, limit: int = LIMIT) -> tuple[int, int] | None:
    """The smallest total n (and count k) such that k out of n rounds to the printed share.

    The precision is the printed one: ``50,0`` is 49,95 to under 50,05.

    >>> smallest_total("50,0"), smallest_total("43,7"), smallest_total("33")
    ((2, 1), (71, 31), (3, 1))
    >>> smallest_total("0,01", limit=100) is None
    True
    """
    rate = Fraction(parse_number(printed))
    decimals = len(printed.partition(",")[2])
    half = Fraction(1, 2 * 10**decimals)
    for n in range(1, limit + 1):
        k = int((Decimal(rate.numerator) * n / rate.denominator / 100).quantize(0, ROUND_HALF_UP))
        if rate - half <= Fraction(100 * k, n) < rate + half:
            return n, k
    return None


def add_smallest_totals(report: Graph, data: Graph) -> None:
    """Extend each ``kgsh:ShareFitsTotal`` message in ``report`` with the smallest fitting total."""
    for result in list(report.subjects(SH.sourceShape, SHAPES.ShareFitsTotal)):
        printed = data.value(report.value(result, SH.focusNode), KG.valueText)
        message = report.value(result, SH.resultMessage)
        if printed is None or not isinstance(message, Literal):
            continue
        found = smallest_total(str(printed))
        extra = (
            f"the smallest total that fits {printed} % is {found[0]} ({found[1]} of {found[0]})"
            if found
            else f"no total up to {LIMIT} fits {printed} %"
        )
        report.remove((result, SH.resultMessage, message))
        report.add(
            (result, SH.resultMessage, Literal(f"{message}; {extra}", lang=message.language))
        )
