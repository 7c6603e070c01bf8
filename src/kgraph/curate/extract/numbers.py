"""Find every quantity an article states, as Vietnamese prints it.

``.`` groups thousands and ``,`` is the decimal mark (``1.400``, ``10,37``);
percentages (``90%``, ``90 %``), fractions (``11/19``), ranges
(``2,5 – 4,5%``, ``(3 - 8)%``, ``từ 2 đến 4``), scale words (``81,5 ngàn``)
and numeral words (``hai xã``) are read; dates, clock times, document numbers
(``1255-QĐ/HU``), term years (``2015-2020``), years after ``năm`` and
ordinals in names (``Pá Kín 1``, ``số 4``) are not quantities and are skipped.
underthesea tags ``1.250`` as a noun and gives no units, so these are rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kgraph.curate.extract.lexicon import UnitPhrase
from kgraph.curate.extract.text import fold_same_length
from kgraph.curate.vn import NUMERALS, SCALES

#: scale word -> factor (``81,5 ngàn`` is 81500), from the one table ``vn`` reads values by
SCALE_FACTORS = {word: 10**exponent for word, exponent in SCALES.items()}

#: words after which a four-digit number is a year, not a quantity
YEAR_WORDS = frozenset(
    [
        "năm",
        "tháng",
        "từ",
        "đến",
        "tới",
        "đoạn",
        "kỳ",
        "khóa",
        "khoá",
        "hết",
        "cuối",
        "đầu",
        "trước",
        "sau",
        "trong",
        "niên",
    ]
)
#: words after which a number is part of a name or a numbering (số 4, bản 3, lần thứ 2)
ORDINAL_WORDS = frozenset(
    [
        "số",
        "thứ",
        "bản",
        "thôn",
        "đội",
        "tổ",
        "khu",
        "xóm",
        "ấp",
        "khối",
        "lô",
        "phòng",
        "điều",
        "khoản",
        "chương",
        "mục",
        "ương",
        "kỳ",
        "khóa",
    ]
)
#: nouns a numeral word counts, besides the lexicon's heads and units (``hai xã``)
GENERAL_COUNTERS = (
    "xa",
    "huyen",
    "tinh",
    "ban",
    "thon",
    "nguoi",
    "ho",
    "dong chi",
    "dang vien",
    "chi bo",
    "lop",
    "truong",
    "vu",
    "doi tuong",
    "lan",
    "thang",
    "ngay",
    "nam",
    "con",
    "chiec",
    "cai",
    "to chuc",
)
#: after a numeral word these mean it is not a count (một số = some, một trong = one of)
NOT_COUNTS = ("so", "trong", "cach", "bo phan", "phan", "mat", "khi", "nua", "vai")

_N = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?"
_DASH = r"\s*[-–—]\s*"
_SKIP = re.compile(
    r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\s*[AaPp][Mm])?"  # clock
    r"|[0-9]{1,2}[/-][0-9]{1,2}[/-][0-9]{4}"  # day
    r"|(?<![0-9])[0-9]{1,2}[/-](?:19|20)[0-9]{2}(?![0-9])"  # month
    r"|(?<![0-9.,])[0-9]{1,2}\s+tháng\s+(?:đầu|cuối)\s+năm"  # 6 tháng đầu năm: a period
    r"|[0-9]+[-/][A-ZĐ][A-ZĐ0-9]*(?:[-/][A-ZĐ0-9]+)*"  # document number
    r"|(?:19|20)[0-9]{2}" + _DASH + r"(?:19|20)[0-9]{2}(?![0-9])"  # term years
)
_RANGE = re.compile(
    r"\(\s*(?P<a>" + _N + r")" + _DASH + r"(?P<b>" + _N + r")\s*\)(?=\s*%)"
    r"|(?<![\w.,/])(?P<c>" + _N + r")" + _DASH + r"(?P<d>" + _N + r")(?![0-9]|[.,][0-9])"
    r"|(?<!\w)[Tt]ừ\s+(?P<e>" + _N + r")\s+(?:đến|tới)\s+(?P<f>" + _N + r")(?![0-9]|[.,][0-9])"
)
_FRACTION = re.compile(r"(?<![\w.,/])(?P<a>" + _N + r")/(?P<b>[0-9]{1,3})(?![0-9]|[.,][0-9]|/)")
_NUMBER = re.compile(r"(?<![\w.,/])(?:" + _N + r")(?![0-9]|[.,][0-9])")
_WORDNUM = re.compile(r"(?<!\w)(" + "|".join(NUMERALS) + r")(?!\w)", re.IGNORECASE)
_SCALE = re.compile(r"\s*(" + "|".join(SCALE_FACTORS) + r")(?!\w)", re.IGNORECASE)
_PREV_WORD = re.compile(r"([^\W\d_]+)(\s*)$")


@dataclass(frozen=True)
class Quantity:
    """One number the text states: where, as written, its unit, and how sure the reading is."""

    #: span of the whole expression (number, range or fraction, and its unit phrase)
    start: int
    end: int
    #: span of the value text (where qualifier words are looked for)
    value_start: int
    value_text: str
    value: Decimal
    value_max_text: str | None = None
    denominator_text: str | None = None
    #: unit code (None: a plain count, or a unit phrase without a code)
    unit: str | None = None
    unit_phrase: str | None = None
    kind: str = "number"
    confidence: float = 0.9
    note: str | None = None


def read_number(token: str) -> Decimal:
    """A number as the text writes it, scale words included.

    >>> read_number("1.400"), read_number("10,37"), read_number("81,5 ngàn"), read_number("hai")
    (Decimal('1400'), Decimal('10.37'), Decimal('81500.0'), Decimal('2'))
    """
    parts = token.split()
    scale = 1
    if len(parts) == 2 and parts[1].lower() in SCALE_FACTORS:
        scale = SCALE_FACTORS[parts[1].lower()]
        token = parts[0]
    if token.lower() in NUMERALS:
        return Decimal(NUMERALS[token.lower()]) * scale
    return Decimal(token.replace(".", "").replace(",", ".")) * scale


class _Units:
    """Unit phrases, longest first, matched just after a number.

    A general counted noun (``GENERAL_COUNTERS``) longer than the phrase wins
    over it: ``13 đồng chí`` counts comrades, it is not 13 đồng (``đồng`` →
    ``vnd``). The lexicon's indicator heads do not: ``5 năm liền`` stays years.
    """

    def __init__(self, phrases: Iterable[UnitPhrase], counters: Iterable[str] = ()) -> None:
        self.counters = sorted(set(counters), key=len, reverse=True)
        self.phrases = sorted(phrases, key=lambda p: -len(p.phrase))
        # words of a phrase may be split by a line break too (``tỷ\nđồng``)
        self.patterns = [
            re.compile(r"\s+".join(re.escape(w) for w in p.phrase.split()), re.I)
            for p in self.phrases
        ]

    def at(self, text: str, pos: int, scale: str | None) -> tuple[UnitPhrase, int] | None:
        start = pos
        while start < len(text) and text[start] == " ":
            start += 1
        for p, pattern in zip(self.phrases, self.patterns, strict=True):
            if (p.scale or None) != scale:
                continue
            if start - pos > 1 and p.phrase != "%":
                continue
            m = pattern.match(text, start)
            if m is None:
                continue
            end = m.end()
            if p.phrase[-1].isalnum() and end < len(text) and text[end].isalnum():
                continue
            if self._counted(text, start, end - start):
                return None
            return p, end
        return None

    def _counted(self, text: str, start: int, length: int) -> bool:
        """Whether a counted noun longer than ``length`` characters starts at ``start``."""
        ahead = fold_same_length(text[start : start + 40])
        return any(
            len(c) > length
            and ahead.startswith(c)
            and (len(ahead) == len(c) or not ahead[len(c)].isalnum())
            for c in self.counters
        )


def find_quantities(
    text: str, units: Iterable[UnitPhrase], counters: Iterable[str] = ()
) -> list[Quantity]:
    """Every quantity in ``text``, in order (``counters``: folded nouns a numeral word may count).

    >>> from kgraph.curate.extract.lexicon import UnitPhrase as U
    >>> us = [U("%", "percent", None), U("ha", "hectare", None), U("tỷ đồng", "billion-vnd", "tỷ")]
    >>> found = find_quantities("đạt gần 1.400 ha, 90 % và 716,383 tỷ đồng", us)
    >>> [(q.value_text, q.unit) for q in found]
    [('1.400', 'hectare'), ('90', 'percent'), ('716,383', 'billion-vnd')]
    >>> [q.value_text for q in find_quantities("Năm 2007 triển khai một số việc ở hai xã", us)]
    ['hai']
    """
    table = _Units(units, GENERAL_COUNTERS)
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _SKIP.finditer(text)]
    found: list[Quantity] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _RANGE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        a, b = next((m.group(x), m.group(y)) for x, y in ("ab", "cd", "ef") if m.group(x))
        lo, hi = read_number(a), read_number(b)
        if hi <= lo:
            continue
        unit, end = _unit_after(text, table, m.end(), None)
        start = m.start(next(x for x in "ace" if m.group(x)))
        found.append(
            Quantity(
                m.start() if m.group("a") else start,
                end,
                start,
                a,
                lo,
                value_max_text=b,
                unit=unit[0],
                unit_phrase=unit[1],
                kind="range",
                confidence=0.8 if unit[0] else 0.5,
            )
        )
        taken.append((m.start(), m.end()))
    for m in _FRACTION.finditer(text):
        if not free(m.start(), m.end()):
            continue
        unit, end = _unit_after(text, table, m.end(), None)
        found.append(
            Quantity(
                m.start(),
                end,
                m.start(),
                m["a"],
                read_number(m["a"]),
                denominator_text=m["b"],
                unit=unit[0] or "number",
                unit_phrase=unit[1],
                kind="fraction",
                confidence=0.8,
            )
        )
        taken.append((m.start(), m.end()))
    for m in _NUMBER.finditer(text):
        if not free(m.start(), m.end()):
            continue
        q = _plain(text, table, m)
        if q is not None:
            found.append(q)
            taken.append((q.start, q.end))
    folded = fold_same_length(text)
    counted = sorted(set(counters) | set(GENERAL_COUNTERS), key=len, reverse=True)
    for m in _WORDNUM.finditer(text):
        if free(m.start(), m.end()):
            q = _word(text, folded, table, m, counted)
            if q is not None:
                found.append(q)
    return sorted(found, key=lambda q: (q.start, q.end))


def _unit_after(
    text: str, table: _Units, pos: int, scale: str | None
) -> tuple[tuple[str | None, str | None], int]:
    hit = table.at(text, pos, scale)
    if hit is None:
        return (None, None), pos
    phrase, end = hit
    return (phrase.unit, text[pos:end].strip()), end


def _prev_word(text: str, pos: int) -> tuple[str, bool]:
    """The word just before ``pos`` (lower case) and whether only spaces separate it."""
    m = _PREV_WORD.search(text[max(0, pos - 40) : pos])
    if m is None:
        return "", False
    return m.group(1), "\n" not in m.group(2)


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].rstrip(" ")
    return before == "" or before[-1] in ".!?\n•:"


def _plain(text: str, table: _Units, m: re.Match[str]) -> Quantity | None:
    token = m.group()
    end = m.end()
    scale_word = None
    sm = _SCALE.match(text, end)
    if sm:
        hit = table.at(text, end, sm.group(1).lower())
        if hit is not None and hit[0].unit is not None:
            phrase, uend = hit
            return Quantity(
                m.start(),
                uend,
                m.start(),
                token,
                read_number(token),
                unit=phrase.unit,
                unit_phrase=text[end:uend].strip(),
                confidence=0.9,
            )
        scale_word = sm.group(1)
        end = sm.end()
        if hit is not None:  # triệu đồng: a unit without a code; the scale stays in the value
            return _with(
                Quantity(
                    m.start(),
                    hit[1],
                    m.start(),
                    text[m.start() : end],
                    read_number(f"{token} {scale_word}"),
                    unit_phrase=text[m.end() : hit[1]].strip(),
                ),
                0.5,
                f"no unit code for {text[m.end() : hit[1]].strip()!r}",
            )
    value_text = text[m.start() : end]
    value = read_number(f"{token} {scale_word}") if scale_word else read_number(token)
    unit, uend = _unit_after(text, table, end, None)
    prev, adjacent = _prev_word(text, m.start())
    q = Quantity(
        m.start(),
        uend,
        m.start(),
        value_text,
        value,
        unit=unit[0],
        unit_phrase=unit[1],
        kind="percent" if unit[0] in ("percent", "percent-of-plan") else "number",
    )
    year_like = re.fullmatch(r"(?:19|20)[0-9]{2}", token) is not None
    if year_like and unit[0] is None:
        if adjacent and prev.lower() in YEAR_WORDS:
            return None
        return _with(q, 0.3, "looks like a year")
    if unit[0] is None and unit[1] is None and adjacent:
        if prev.lower() in ORDINAL_WORDS and not _total(text, m.start(), prev):
            return None
        if prev[:1].isupper() and not _sentence_initial(text, m.start() - len(prev) - 1):
            return _with(q, 0.2, "a number in a name?")
    if unit[1] is not None and unit[0] is None:
        return _with(q, 0.5, f"no unit code for {unit[1]!r}")
    return q


def _total(text: str, pos: int, prev: str) -> bool:
    """``tổng số 209``: a total, not a numbering."""
    before, _ = _prev_word(text, pos - len(prev) - 1)
    return prev.lower() == "số" and before.lower() in ("tổng", "có")


def _with(q: Quantity, confidence: float, note: str) -> Quantity:
    return Quantity(
        q.start,
        q.end,
        q.value_start,
        q.value_text,
        q.value,
        q.value_max_text,
        q.denominator_text,
        q.unit,
        q.unit_phrase,
        q.kind,
        confidence,
        note,
    )


def _word(
    text: str, folded: str, table: _Units, m: re.Match[str], counters: list[str]
) -> Quantity | None:
    word = m.group(1)
    after = folded[m.end() :].lstrip(" ")
    if after[:1].isdigit() or _starts(after, NOT_COUNTS):
        return None
    prev, _ = _prev_word(text, m.start())
    if word.lower() == "năm" and prev.lower() in ("hằng", "hàng", "mỗi", "các", "những", "từng"):
        return None
    if word.lower() == "không":
        if not _starts(after, ("co", "con")):
            return None
        after = after.split(" ", 1)[1].lstrip(" ") if " " in after else ""
    unit, end = _unit_after(text, table, m.end(), None)
    if unit[0] is None and not _starts(after, counters):
        return None
    return Quantity(
        m.start(),
        end,
        m.start(),
        word,
        read_number(word),
        unit=unit[0],
        unit_phrase=unit[1],
        kind="word",
        confidence=0.6,
    )


def _starts(folded_after: str, phrases: Iterable[str]) -> bool:
    for p in phrases:
        if folded_after.startswith(p) and (
            len(folded_after) == len(p) or not folded_after[len(p)].isalnum()
        ):
            return True
    return False
