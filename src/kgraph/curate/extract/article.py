"""One article -> candidate observations (and entity proposals) for a person to review.

:class:`Extractor` reads what extraction may read once per data folder: the
entity tables, indicators, codes, the lexicon and both official unit lists.
It never reads an article's curated observations (the benchmark scores the
extractor against them). Each quantity the text states becomes one
:class:`Candidate` with its exact quote and offsets, so ``text[start:end] ==
quote`` always holds.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from kgraph import resources
from kgraph.curate.dataset import load_dataset
from kgraph.curate.extract.context import Clause, Qualifiers, clause_of, period_of
from kgraph.curate.extract.gazetteer import Gazetteer, Mention, Resolver, Subject, article_vintage
from kgraph.curate.extract.indicators import IndicatorRanker, Ranked, Windows
from kgraph.curate.extract.lexicon import Lexicon, load_lexicon
from kgraph.curate.extract.numbers import Quantity, find_quantities
from kgraph.curate.extract.people import EntityCandidate, find_people, proposals
from kgraph.curate.extract.text import Span, fold_same_length, sentences
from kgraph.curate.extract.text import words as words_of
from kgraph.curate.vn import slugify
from kgraph.errors import InputError

#: below this score no curated indicator is taken to fit
MIN_SCORE = 0.5


@dataclass(frozen=True)
class Candidate:
    """One proposed observation row, with what a reviewer needs to judge it."""

    subject: str
    indicator: str
    period: str
    value: str
    value_max: str
    denominator: str
    qualifier: str
    unit: str
    quote: str
    note: str
    confidence: float
    subject_name: str
    alternatives: tuple[str, ...]
    start: int
    end: int
    #: the new place or organisation the subject would be (None: a curated row)
    new_subject: Subject | None = None


@dataclass(frozen=True)
class Extraction:
    source: str
    text: str
    candidates: list[Candidate]
    entities: list[EntityCandidate] = field(default_factory=list)


class Extractor:
    """What extraction reads, loaded once: the checked tables (minus observations), the lexicon."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else resources.data_dir()
        dataset = load_dataset(self.data_dir)
        # never dataset.tables["observations"]: the extractor must not see the answers
        self.tables = {k: v for k, v in dataset.tables.items() if k != "observations"}
        self.texts = dataset.texts
        self.codes = dataset.codes
        indicators = {r["id"]: r for r in self.tables["indicators"]}
        self.lexicon: Lexicon = load_lexicon(self.data_dir, dataset.codes, indicators)
        self.gazetteer = Gazetteer(self.tables, dataset.admin_units)
        self.ranker = IndicatorRanker(self.tables["indicators"], self.lexicon.indicators)
        self.qualifiers = Qualifiers(self.lexicon.qualifiers)
        heads = {fold_same_length(p.phrase).lower() for p in self.lexicon.indicators}
        heads |= {fold_same_length(r["label_vi"]) for r in self.tables["indicators"]}
        self.counters = sorted(heads, key=len, reverse=True)

    def source_id(self, source: str) -> str:
        """A source id of ``sources.csv``, or the path of one of the sources' ``.txt`` files."""
        ids = {r["id"]: r for r in self.tables["sources"]}
        if source in ids:
            return source
        path = Path(source)
        for row in ids.values():
            if path.name == row["file"] or path.stem == row["id"]:
                return str(row["id"])
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for sid, known in self.texts.items():
                if known == text:
                    return sid
        raise InputError(
            "not a source id of sources.csv nor one of the sources' text files "
            "(add the article first: see docs/curation.md)",
            path=path if path.suffix else None,
        )

    def extract(self, source: str) -> Extraction:
        """Every quantity of the article as a candidate, and its entity proposals."""
        sid = self.source_id(source)
        text = self.texts[sid]
        row = next(r for r in self.tables["sources"] if r["id"] == sid)
        published = row["published"]
        day = published.date() if isinstance(published, datetime) else published
        resolver = Resolver(self.gazetteer, article_vintage(published))
        mentions = self.gazetteer.find(text)
        resolver.set_main(_main_mention(self.gazetteer, row["title"], mentions))
        spans = sentences(text)
        quantities = find_quantities(text, self.lexicon.units, self.counters)
        candidates = [
            self._candidate(text, q, quantities, spans, mentions, resolver, day) for q in quantities
        ]
        entities = find_people(text, sid, self.tables, self.lexicon, self.gazetteer, resolver)
        entities += proposals(candidates, self.ranker.units, text, mentions, self.gazetteer)
        return Extraction(sid, text, candidates, entities)

    def _candidate(
        self,
        text: str,
        q: Quantity,
        quantities: list[Quantity],
        spans: list[Span],
        mentions: list[Mention],
        resolver: Resolver,
        published: date | None,
    ) -> Candidate:
        sentence = _sentence_of(spans, q.start)
        later = [o.start for o in quantities if o.start >= q.end and o.start < sentence.end]
        clause = clause_of(text, q, sentence, min(later) if later else None)
        unit = q.unit or "number"
        folded = fold_same_length(text)
        earlier = [o for o in quantities if clause.start <= o.start and o.end <= q.start]
        previous = (earlier[-1].start, earlier[-1].end) if earlier else None
        windows = Windows(
            folded, sentence.start, clause.start, q.value_start, q.end, clause.after_end, previous
        )
        ranked = self.ranker.rank(windows, unit)
        notes = [q.note] if q.note else []
        if _fits(ranked, unit):
            indicator = ranked[0].indicator
            category = self.ranker.category[indicator]
        else:
            indicator = _new_indicator_id(text, q, clause)
            category = "party-building" if "dang" in folded[clause.start : clause.end] else ""
            notes.append(f"no indicator of unit {unit} fits: {indicator} proposed (entities file)")
        want = "org" if category == "party-building" else "place"
        subject, name = _subject(text, q, clause, spans, mentions, resolver, want)
        quote = text[clause.start : clause.end]
        return Candidate(
            subject=subject.id if subject else "",
            indicator=indicator,
            period=period_of(text, q, clause, spans, published),
            value=q.value_text,
            value_max=q.value_max_text or "",
            denominator=q.denominator_text or "",
            qualifier=self.qualifiers.of(text, q, clause),
            unit=unit,
            quote=quote,
            note="; ".join(notes),
            confidence=_confidence(q, ranked, _fits(ranked, unit)),
            subject_name=name,
            alternatives=tuple(r.indicator for r in ranked if r.indicator != indicator)[:3],
            start=clause.start,
            end=clause.end,
            new_subject=subject if subject is not None and subject.new else None,
        )


def _sentence_of(spans: list[Span], pos: int) -> Span:
    i = bisect.bisect_right([s.start for s in spans], pos) - 1
    return spans[max(i, 0)]


def _main_mention(g: Gazetteer, title: str, mentions: list[Mention]) -> Mention | None:
    """The first place or party organisation the title names, else the one the text names most."""
    for m in g.find(title):
        if any(t.kind in ("place", "org", "unit") for t in m.targets):
            return m
    counts: dict[tuple[object, ...], list[Mention]] = {}
    for m in mentions:
        if not m.parenthetical and any(t.kind in ("place", "org", "unit") for t in m.targets):
            counts.setdefault(m.targets, []).append(m)
    if not counts:
        return None
    return max(counts.values(), key=len)[0]


def _subject(
    text: str,
    q: Quantity,
    clause: Clause,
    spans: list[Span],
    mentions: list[Mention],
    resolver: Resolver,
    want: str,
) -> tuple[Subject | None, str]:
    """The nearest name before the number in its sentence, then its paragraph; else the
    article's own organisation (party building) or place."""
    sentence = clause.sentence
    here = [m for m in mentions if sentence.start <= m.start and m.end <= q.value_start]
    earlier = [m for m in mentions if clause.paragraph_start <= m.start < sentence.start]
    for m in [*reversed(here), *reversed(earlier)]:
        if m.parenthetical:
            continue
        subject = resolver.resolve(m, want)
        if subject is not None:
            return subject, text[m.start : m.end]
    main = resolver.main_org if want == "org" else resolver.main_place
    return main, main.name if main else ""


def _new_indicator_id(text: str, q: Quantity, clause: Clause) -> str:
    after = words_of(text[q.end : clause.after_end])[:4]
    before = words_of(text[clause.start : q.value_start])[-4:]
    label = " ".join(after or before) or "quantity"
    return slugify(label) or "quantity"


def _fits(ranked: list[Ranked], unit: str) -> bool:
    """Whether the best indicator fits: a plain count needs a word of it after the number
    (``35 cây xoài`` is not a count of communes because ``xã`` comes before it)."""
    if not ranked or ranked[0].score < MIN_SCORE:
        return False
    return ranked[0].after or unit != "number"


def _confidence(q: Quantity, ranked: list[Ranked], fits: bool) -> float:
    if not fits:
        return round(q.confidence * 0.3, 2)
    top = ranked[0].score
    second = ranked[1].score if len(ranked) > 1 else 0.0
    margin = (top - second) / top if top else 0.0
    strength = min(top / 4.0, 1.0)
    return round(q.confidence * (0.4 + 0.3 * margin + 0.3 * strength), 2)
