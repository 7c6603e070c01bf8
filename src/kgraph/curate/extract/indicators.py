"""Rank the curated indicators for one number, from the words around it.

Each indicator is known by its label (``label_vi``) and the lexicon's phrases
for it: *heads*, what the number counts (``đảng viên`` in ``309 đảng viên``),
and *cues*, words of the clause (``kết nạp``). A phrase scores more the longer
it is and the closer it stands to the number, most right after it (what it
counts), less before it in the clause, least earlier in the sentence. Only
indicators whose unit is the number's unit compete (a percentage is a percent
indicator), so the unit is a hard constraint, the words a ranking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kgraph.curate.extract.lexicon import IndicatorPhrase
from kgraph.curate.extract.text import fold_same_length, phrase_pattern
from kgraph.curate.tables import Row

#: (kind, window) -> (weight, words of distance that halve it)
WEIGHTS: Mapping[tuple[str, str], tuple[float, float]] = {
    ("head", "after"): (3.0, 3.0),
    ("head", "before"): (2.4, 6.0),
    ("cue", "after"): (2.5, 6.0),
    ("cue", "before"): (2.0, 6.0),
    ("head", "sentence"): (0.8, 8.0),
    ("cue", "sentence"): (0.8, 8.0),
}
#: an indicator's own label wins a tie against the same words listed for another indicator
LABEL_BONUS = 0.25
_WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class _Phrase:
    indicator: str
    kind: str
    pattern: re.Pattern[str]
    size: int


@dataclass(frozen=True)
class Ranked:
    indicator: str
    score: float
    #: whether a phrase of it stands after the number (what a count counts)
    after: bool = False


@dataclass(frozen=True)
class Windows:
    """The three stretches of folded text around a number, with the number's offsets."""

    folded: str
    sentence_start: int
    clause_start: int
    value_start: int
    end: int
    after_end: int
    #: where the previous number of the clause starts and ends (the words between it and
    #: this number say what *it* counts): None when this is the clause's first number
    previous: tuple[int, int] | None = None


class IndicatorRanker:
    """All indicators' phrases, compiled once; :meth:`rank` scores them for one number."""

    def __init__(self, indicators: Iterable[Row], phrases: Iterable[IndicatorPhrase]) -> None:
        rows = list(indicators)
        self.units = {r["id"]: r["unit"] for r in rows}
        self.category = {r["id"]: r["category"] for r in rows}
        found: dict[tuple[str, str], _Phrase] = {}
        for r in rows:
            self._add(found, r["id"], r["label_vi"], "label")
        for p in phrases:
            self._add(found, p.indicator, p.phrase, p.kind)
        self.phrases = list(found.values())

    @staticmethod
    def _add(found: dict[tuple[str, str], _Phrase], ind: str, phrase: str, kind: str) -> None:
        folded = " ".join(_WORD.findall(fold_same_length(phrase)))
        if folded and (ind, folded) not in found:
            size = len(folded.split())
            found[(ind, folded)] = _Phrase(ind, kind, phrase_pattern(folded), size)

    def rank(self, w: Windows, unit: str) -> list[Ranked]:
        """Indicators of ``unit`` with a positive score, best first (ties by id)."""
        hits: dict[str, list[tuple[float, int, int]]] = {}
        after: set[str] = set()
        if w.previous is None:
            stretches = [
                ("after", w.end, w.after_end),
                ("before", w.clause_start, w.value_start),
                ("sentence", w.sentence_start, w.clause_start),
            ]
        else:
            stretches = [
                ("after", w.end, w.after_end),
                ("between", w.previous[1], w.value_start),
                ("sentence", w.sentence_start, w.previous[0]),
            ]
        for p in self.phrases:
            if self.units.get(p.indicator) != unit:
                continue
            for window, start, end in stretches:
                if window == "between":
                    if p.kind != "cue":
                        continue
                    window = "before"
                kind = "head" if p.kind == "label" else p.kind
                weight, halve = WEIGHTS[(kind, window)]
                best = 0.0
                span = (0, 0)
                for m in p.pattern.finditer(w.folded, start, end):
                    if window == "after":
                        gap = w.folded[w.end : m.start()]
                    else:
                        gap = w.folded[m.end() : w.value_start]
                    distance = len(_WORD.findall(gap))
                    score = weight * (1 + 0.5 * (p.size - 1)) / (1 + distance / halve)
                    if p.kind == "label":
                        score += LABEL_BONUS
                    if score > best:
                        best, span = score, (m.start(), m.end())
                if best:
                    hits.setdefault(p.indicator, []).append((best, *span))
                    if window == "after":
                        after.add(p.indicator)
        ranked = [Ranked(ind, _non_overlapping(found), ind in after) for ind, found in hits.items()]
        return sorted(ranked, key=lambda r: (-r.score, r.indicator))


def _non_overlapping(found: list[tuple[float, int, int]]) -> float:
    """The sum of the best phrase matches that do not overlap (a phrase inside a longer one
    counts once)."""
    total = 0.0
    taken: list[tuple[int, int]] = []
    for score, start, end in sorted(found, reverse=True):
        if any(start < e and end > s for s, e in taken):
            continue
        taken.append((start, end))
        total += score
    return round(total, 4)
