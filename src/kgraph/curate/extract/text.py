"""Positions in an article: folding that keeps offsets, sentences, clauses and words.

Everything the extractor proposes points back into the NFC source text by
character offsets, so text is never rewritten: :func:`fold_same_length`
folds diacritics one character for one character, and sentences and clauses
are spans of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

#: a sentence ends at . ! ? (before a space or the end) or at a line break
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
#: inside a sentence, a clause ends at these (a comma between digits is a decimal mark)
_CLAUSE_MARK = re.compile(r"(?<![0-9]),|,(?![0-9])|[;:()“”\"…]|\.\.\.")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@cache
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    low = base.lower()
    return low if len(low) == 1 else ch


def fold_same_length(text: str) -> str:
    """Lower case without tone or vowel marks, one character per character (offsets survive).

    >>> fold_same_length("Đảng bộ xã Thanh Luông")
    'dang bo xa thanh luong'
    >>> len(fold_same_length("Pom Lótđã")) == len("Pom Lótđã")
    True
    """
    return "".join(_fold_char(c) for c in text)


def phrase_pattern(folded_phrase: str) -> re.Pattern[str]:
    """A folded phrase as a whole-word pattern over folded text (any run of spaces between words).

    >>> bool(phrase_pattern("chi bo").search("37 chi  bo voi"))
    True
    >>> bool(phrase_pattern("chi bo").search("chi bong"))
    False
    """
    words = [re.escape(w) for w in folded_phrase.split()]
    return re.compile(r"(?<![0-9a-z])" + r"\s+".join(words) + r"(?![0-9a-z])")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def soft_break(text: str, at: int) -> bool:
    """True when the line break at ``at`` wraps a sentence (``gieo\\ntrồng``) rather than ending it.

    Articles copied from the web break lines mid-phrase; the next line then
    starts in lower case after a word or a comma.

    >>> soft_break("diện tích gieo\\ntrồng", 14), soft_break("đạt 90%\\nMới", 7)
    (True, False)
    """
    before = text[:at].rstrip(" \t")[-1:]
    after = text[at + 1 :].lstrip(" \t")[:1]
    return (before.isalnum() or before == ",") and after.islower()


def paragraph_start(text: str, pos: int) -> int:
    """Where the paragraph holding ``pos`` starts: after the last line break that is not a wrap."""
    at = text.rfind("\n", 0, pos)
    while at >= 0 and soft_break(text, at):
        at = text.rfind("\n", 0, at)
    return at + 1


def sentences(text: str) -> list[Span]:
    """The sentences of ``text`` (a line break ends one unless it wraps it), spaces trimmed.

    >>> t = "Năm 2015, đạt 90%. Hiện có 37 chi bộ.\\nMới, gieo\\ntrồng"
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['Năm 2015, đạt 90%.', 'Hiện có 37 chi bộ.', 'Mới, gieo\\ntrồng']
    """
    spans: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group() == "\n" and soft_break(text, m.start()):
            continue
        end = m.end() if m.group() != "\n" else m.start()
        _add(spans, text, start, end)
        start = m.end()
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))


def clause_marks(text: str, sentence: Span) -> list[tuple[int, int]]:
    """The clause marks inside a sentence as (start, end) offsets."""
    found = _CLAUSE_MARK.finditer(text, sentence.start, sentence.end)
    return [(m.start(), m.end()) for m in found]


def words(text: str) -> list[str]:
    """The words (syllables) of ``text``, punctuation dropped.

    >>> words("tổng diện tích, gieo trồng (đạt)")
    ['tổng', 'diện', 'tích', 'gieo', 'trồng', 'đạt']
    """
    return _WORD.findall(text)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` moved inwards past spaces and stray punctuation at either edge."""
    while start < end and (text[start].isspace() or text[start] in ',;:.)”"-–'):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ',;:(“"-–.'):
        end -= 1
    return start, end
