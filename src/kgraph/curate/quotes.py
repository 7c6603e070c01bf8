"""Quotes found in their article: exactly, or across the article's own line breaks.

Articles break lines mid-phrase (``Cà\\nphê đạt 1.542ha``) and repeat spaces, so a
quote copied from a rendered page may differ from the text in whitespace only.
:func:`locate` finds the span the quote stands for and the build stores that
span, exactly as the article has it; :func:`nearest` names the closest passage
when a quote is not there at all, so the curator sees what to copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz


@dataclass(frozen=True)
class Span:
    """Where a quote stands in its article: ``text[start:end]`` is ``exact``."""

    start: int
    end: int
    exact: str


def locate(quote: str, text: str) -> Span | None:
    """The first span of ``text`` the quote stands for, or None.

    Whitespace inside the quote matches any run of whitespace in the text
    (line breaks included); everything else must be identical.

    >>> locate("Cà phê đạt 1.542ha", "cây Cà\\nphê đạt 1.542ha.")
    Span(start=4, end=22, exact='Cà\\nphê đạt 1.542ha')
    >>> locate("Cà phê đạt 1.542 ha", "cây Cà\\nphê đạt 1.542ha.") is None
    True
    """
    at = text.find(quote)
    if at >= 0:
        return Span(at, at + len(quote), quote)
    words = quote.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return Span(m.start(), m.end(), m[0]) if m else None


def nearest(quote: str, text: str) -> tuple[str, int]:
    """The passage of ``text`` most like ``quote`` and how alike they are (per cent).

    >>> nearest("đạt gần 90 %", "tỷ lệ đạt gần 90% năm 2015")
    ('đạt gần 90%', 92)
    """
    found = fuzz.partial_ratio_alignment(quote, text)
    if found is None:  # pragma: no cover - only for empty inputs
        return "", 0
    return text[found.dest_start : found.dest_end].strip(), round(found.score)
