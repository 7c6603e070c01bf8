"""A source article cut into pieces so that every quoted span can be marked and linked.

Quotes overlap and repeat (one sentence can back a commune, its party
organisation and a number), so the text is cut at every quote's start and end;
each piece knows which quotes cover it, which quotes start on it (their
anchors, the targets of the entity pages' links) and which end after it
(their note marks). A quote is found as the build found it
(:func:`kgraph.curate.quotes.locate`: exactly, or across the article's line
breaks); one that is not in the text is listed apart, never dropped.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import URIRef

from kgraph.curate.quotes import locate
from kgraph.pages.describe import Quote
from kgraph.pages.paths import anchor


@dataclass
class Note:
    """One quoted span of the article and every fact it backs."""

    number: int
    start: int
    end: int
    exact: str
    quotes: list[Quote] = field(default_factory=list)

    @property
    def facts(self) -> list[URIRef]:
        """The facts this span backs, each once, in order."""
        return list(dict.fromkeys(q.fact for q in self.quotes))

    @property
    def anchors(self) -> list[str]:
        """The anchors of this span: one per evidence node quoting it."""
        return list(dict.fromkeys(anchor(q.evidence) for q in self.quotes))


@dataclass(frozen=True)
class Piece:
    """A run of the article's text: the notes covering it, starting on it, ending after it."""

    text: str
    covered: tuple[int, ...] = ()
    starts: tuple[Note, ...] = ()
    ends: tuple[int, ...] = ()


@dataclass(frozen=True)
class MarkedArticle:
    """The article as pieces, its notes in reading order, and the quotes not found in it."""

    pieces: tuple[Piece, ...]
    notes: tuple[Note, ...]
    missing: tuple[Quote, ...]


def mark_quotes(text: str, quotes: Sequence[Quote]) -> MarkedArticle:
    """Cut ``text`` at every quote of ``quotes`` (see the module docstring).

    >>> q = Quote(URIRef("x:f"), URIRef("x:e"), URIRef("x:s"), "b c")
    >>> marked = mark_quotes("a b\\nc d", [q])
    >>> [(p.text, p.covered) for p in marked.pieces]
    [('a ', ()), ('b\\nc', (1,)), (' d', ())]
    """
    spans: dict[tuple[int, int], list[Quote]] = defaultdict(list)
    missing = []
    for quote in quotes:
        span = locate(quote.exact, text)
        if span is None:
            missing.append(quote)
        else:
            spans[(span.start, span.end)].append(quote)
    notes = [
        Note(number, start, end, text[start:end], spans[(start, end)])
        for number, (start, end) in enumerate(sorted(spans), start=1)
    ]
    cuts = sorted({0, len(text)} | {n.start for n in notes} | {n.end for n in notes})
    pieces = []
    for a, b in itertools.pairwise(cuts):
        pieces.append(
            Piece(
                text[a:b],
                tuple(n.number for n in notes if n.start <= a and b <= n.end),
                tuple(n for n in notes if n.start == a),
                tuple(n.number for n in notes if n.end == b),
            )
        )
    return MarkedArticle(tuple(pieces), tuple(notes), tuple(missing))


__all__ = ["MarkedArticle", "Note", "Piece", "mark_quotes"]
