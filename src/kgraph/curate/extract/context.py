"""The words around a number: its clause and quote, its period, its qualifier.

A quote is the clause that holds the number and what it counts, an exact
span of the source that never crosses a sentence end. The period is the
nearest time the text names before the number (``năm 2016``, ``6 tháng đầu
năm 2012``, ``hiện nay``), else the nearest in the paragraph, else
``current``; the qualifier comes from cue words of the lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from kgraph.curate.extract.lexicon import QualifierCue
from kgraph.curate.extract.numbers import Quantity
from kgraph.curate.extract.text import (
    Span,
    clause_marks,
    fold_same_length,
    paragraph_start,
    phrase_pattern,
    trim,
)
from kgraph.curate.extract.text import words as words_of


@dataclass(frozen=True)
class Clause:
    """Where a number stands: its sentence, its clause (the quote) and the paragraph start."""

    sentence: Span
    start: int
    end: int
    #: where the text about what the number counts stops (the clause end or the next number)
    after_end: int
    paragraph_start: int


def clause_of(text: str, q: Quantity, sentence: Span, next_start: int | None) -> Clause:
    """The clause around ``q``: from the mark before it to the mark after it (widened if bare).

    A clause with fewer than two words on both sides of the number takes in
    the clause before it (``(chiếm 66%)`` -> ``tỷ lệ … còn cao (chiếm 66%)``).
    """
    marks = [m for m in clause_marks(text, sentence) if m[1] <= q.start or m[0] >= q.end]
    before = [m for m in marks if m[1] <= q.start]
    after = [m for m in marks if m[0] >= q.end]
    start = before[-1][1] if before else sentence.start
    end = after[0][0] if after else sentence.end
    n_after = len(words_of(text[q.end : end]))
    if n_after == 1 and after and text[after[0][0]] == "," and not _numbers_in(text, q.end, after):
        # ``100% chi, đảng bộ cơ sở đều …``: what is counted goes on past the comma
        end = after[1][0] if len(after) > 1 else sentence.end
    stop = min(end, next_start) if next_start is not None and next_start > q.end else end
    n_after = len(words_of(text[q.end : stop]))
    if len(words_of(text[start : q.start])) < 2 and n_after < 2 and before:
        mark = before[-1]
        if text[mark[0] : mark[1]] not in (";", ":"):
            start = before[-2][1] if len(before) > 1 else sentence.start
    start, end = trim(text, start, end)
    quote = text[start:end]
    if quote.count("(") > quote.count(")"):
        close = text.find(")", end, sentence.end)
        if close != -1:
            end = close + 1
    if quote.count(")") > quote.count("("):
        opening = text.rfind("(", sentence.start, start)
        if opening != -1:
            start = opening
    paragraph = paragraph_start(text, sentence.start)
    return Clause(sentence, start, end, stop, paragraph)


def _numbers_in(text: str, pos: int, after: list[tuple[int, int]]) -> bool:
    """True when a digit stands between the first and the second mark after ``pos``."""
    stop = after[1][0] if len(after) > 1 else len(text)
    return any(c.isdigit() for c in text[after[0][1] : stop])


_Y = r"((?:19|20)[0-9]{2})"
_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("months", re.compile(r"([0-9]{1,2})\s+tháng\s+đầu\s+năm\s+" + _Y, re.I)),
    ("months-this-year", re.compile(r"([0-9]{1,2})\s+tháng\s+đầu\s+năm(?!\s+[0-9])", re.I)),
    ("quarter", re.compile(r"(?<!\w)quý\s+(IV|I{1,3}|[1-4])(?:\s*/\s*|\s+năm\s+)" + _Y, re.I)),
    (
        "from",
        re.compile(
            r"từ\s+(?:năm\s+)?" + _Y + r"\s+(?:đến|tới)\s+"
            r"(?:(nay)|(?:hết\s+)?tháng\s+([0-9]{1,2})[-/]" + _Y + r"|(?:năm\s+)?" + _Y + ")",
            re.I,
        ),
    ),
    (
        "term-now",
        re.compile(r"nhiệm kỳ[^.;]{0,12}?" + _Y + r"\s*[-–]\s*" + _Y + r"\)?\s+đến nay", re.I),
    ),
    (
        "day",
        re.compile(r"(?:tính\s+)?đến\s+(?:hết\s+)?ngày\s+([0-9]{1,2}/[0-9]{1,2}/[0-9]{4})", re.I),
    ),
    ("month", re.compile(r"(?:tính\s+)?đến\s+(?:hết\s+)?tháng\s+([0-9]{1,2})[-/]" + _Y, re.I)),
    ("past-year", re.compile(r"(?<!\w)(?:trong\s+)?năm\s+qua(?!\w)", re.I)),
    ("year", re.compile(r"(?<!\w)năm\s+" + _Y + r"(?![0-9])", re.I)),
    (
        "current",
        re.compile(
            r"(?<!thực )(?<!thể )(?<!xuất )(?<!phát )(?<!biểu )(?<!\w)"
            r"(?:hiện|đến nay|hằng năm|hàng năm|thời điểm hiện tại)(?!\w)(?! đại)(?! thực)",
            re.I,
        ),
    ),
)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    period: str


def _periods(text: str, start: int, end: int, published: date | None) -> list[_Found]:
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PERIODS:
        for m in pattern.finditer(text, start, end):
            if any(m.start() < e and m.end() > s for s, e in taken):
                continue
            if kind == "year" and re.search(
                r"so\s+với\s*$", text[max(0, m.start() - 8) : m.start()]
            ):
                continue
            label = _label(kind, m, published)
            if label is not None:
                found.append(_Found(m.start(), m.end(), label))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.end)


def _label(kind: str, m: re.Match[str], published: date | None) -> str | None:
    pub = published.date() if isinstance(published, datetime) else published
    if kind == "months":
        n, y = int(m[1]), m[2]
        return f"{y}-01/{y}-{n:02d}" if 1 <= n <= 12 else None
    if kind == "months-this-year":
        n = int(m[1])
        return f"{pub.year}-01/{pub.year}-{n:02d}" if pub and 1 <= n <= 12 else None
    if kind == "quarter":
        q = {"I": 1, "II": 2, "III": 3, "IV": 4}.get(m[1].upper()) or int(m[1])
        return f"{m[2]}-{3 * q - 2:02d}/{m[2]}-{3 * q:02d}"
    if kind == "from":
        if m[2]:
            return f"{m[1]}/{pub.isoformat()}" if pub else "current"
        if m[3]:
            return f"{m[1]}/{m[4]}-{int(m[3]):02d}"
        return f"{m[1]}/{m[5]}" if m[5] > m[1] else None
    if kind == "term-now":
        return f"{m[1]}/{pub.isoformat()}" if pub else "current"
    if kind == "day":
        return m[1]
    if kind == "month":
        return f"{m[2]}-{int(m[1]):02d}"
    if kind == "past-year":
        if pub is None:
            return None
        return str(pub.year - 1 if pub.month <= 6 else pub.year)
    if kind == "year":
        return m[1]
    return "current"


def period_of(
    text: str, q: Quantity, clause: Clause, sentences: list[Span], published: date | None
) -> str:
    """The period of ``q``: the nearest time named before it in its sentence, then its paragraph.

    A duration (``5 năm liền``) or a figure with no time named holds at the
    time of writing (``current``).
    """
    here = _periods(text, clause.sentence.start, q.value_start, published)
    if here:
        named = [f for f in here if f.period != "current" and f.start >= clause.start]
        if here[-1].period == "current" and named:
            return named[-1].period  # ``tính đến ngày 30/6/2017 hiện nay``: the date says more
        return here[-1].period
    if q.unit == "year":
        return "current"
    for s in reversed(
        [s for s in sentences if clause.paragraph_start <= s.start < clause.sentence.start]
    ):
        found = _periods(text, s.start, s.end, published)
        if found:
            return found[-1].period
    return "current"


class Qualifiers:
    """Qualifier cue words, matched just before a number or earlier in its clause."""

    def __init__(self, cues: Iterable[QualifierCue]) -> None:
        ordered = sorted(cues, key=lambda c: -len(c.phrase))
        self.cues = [(c, phrase_pattern(fold_same_length(c.phrase))) for c in ordered]

    def of(self, text: str, q: Quantity, clause: Clause) -> str:
        """``range`` for a range; else a target cue in the clause, a cue just before, or ``exact``.

        >>> from kgraph.curate.extract.lexicon import QualifierCue as C
        >>> from kgraph.curate.extract.numbers import find_quantities
        >>> cues = [C("gần", "approximate", "before"), C("phấn đấu", "target", "clause")]
        >>> quals = Qualifiers(cues)
        >>> def first(t):
        ...     q = find_quantities(t, [])[0]
        ...     return quals.of(t, q, Clause(Span(0, len(t)), 0, len(t), len(t), 0))
        >>> first("Phấn đấu năm 2017 đạt 19 tiêu chí"), first("diện tích đạt gần 1.400")
        ('target', 'approximate')
        >>> first("những năm gần đây có 37 chi bộ")
        'exact'
        >>> first("đạt 90%")
        'exact'
        """
        if q.kind == "range":
            return "range"
        folded = fold_same_length(text[clause.start : q.value_start])
        for cue, pattern in self.cues:
            if cue.position != "clause":
                continue
            if pattern.search(folded):
                return cue.qualifier
        tail = folded.rstrip(" (")
        for cue, pattern in self.cues:
            if cue.position == "before":
                ends = [m.end() for m in pattern.finditer(tail)]
                if ends and ends[-1] == len(tail):
                    return cue.qualifier
        return "exact"
