"""The review page as one HTML document: the article with its spans marked, one card per candidate
and one per proposed entity row.

Every piece of data reaches the page through :func:`html.escape`, as text or
as a quoted attribute value, never as markup or script; the page's own script
and style carry a per-response nonce, and the Content-Security-Policy the
server sends runs nothing else. The article keeps its line breaks through CSS
(``white-space: pre-wrap``), so the page's text is the source text character
for character and a candidate's offsets are its span's offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html import escape
from itertools import pairwise
from pathlib import Path

from kgraph import resources
from kgraph.curate.review.choices import Choices, CodeChoice
from kgraph.curate.review.rows import ENTITY_EDITABLE, Candidate, EntityTable

_SLOT = re.compile(r"\{\{ ([a-z_]+) \}\}")
#: fields of a card in the order Tab visits them (after the accept and reject buttons)
_TEXT_FIELDS = (
    ("value", "Value"),
    ("value_max", "Value max (ranges)"),
    ("denominator", "Denominator"),
    ("period", "Period"),
)
#: an entity row's editable cells, in the order Tab visits them
_ENTITY_FIELDS = (
    ("id", "Id"),
    ("name", "Name"),
    ("type", "Type"),
    ("parent", "Parent"),
    ("link", "Link"),
    ("gso_code", "GSO code"),
    ("vintage", "Vintage"),
    ("as_of", "As of"),
    ("existing", "Already curated as"),
    ("note", "Note"),
)


@dataclass(frozen=True)
class PageData:
    """What one rendering of the page shows."""

    text: str
    source_id: str
    rows: list[Candidate]
    choices: Choices
    token: str
    nonce: str
    loaded_from: Path
    reviewed: Path
    can_accept: bool
    entities: EntityTable | None = None
    entities_reviewed: Path | None = None
    notes: list[str] = field(default_factory=list)


def e(value: object) -> str:
    """Text escaped for HTML content and quoted attributes alike.

    >>> e('<script>alert("x")</script> & co')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co'
    """
    return escape(str(value), quote=True)


@cache
def _template(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def render_page(data: PageData) -> str:
    """The whole page for ``data``."""
    decided = [r.cells.get("decision", "") for r in data.rows]
    parts = {
        "nonce": e(data.nonce),
        "token": e(data.token),
        "source": e(data.source_id),
        "loaded": e(data.loaded_from),
        "reviewed": e(data.reviewed),
        "count": str(len(data.rows)),
        "accepted": str(decided.count("accept")),
        "rejected": str(decided.count("reject")),
        "article": article_html(data.text, data.rows),
        "cards": "".join(_card(i, r, data.choices) for i, r in enumerate(data.rows))
        or '<p class="empty">No candidates in this file.</p>',
        "datalists": _datalists(data.choices),
        "entities": _entities(data),
        "notes": "".join(f"<p class='note'>{e(n)}</p>" for n in data.notes),
        "accept_button": (
            '<button type="button" id="accept">Accept into the tables</button>'
            if data.can_accept
            else '<span class="off">Accepting is off (--no-accept): save, then run '
            "<code>kgraph extract --accept</code>.</span>"
        ),
    }
    return _SLOT.sub(lambda m: parts[m.group(1)], _template(resources.review_template()))


def article_html(text: str, rows: list[Candidate]) -> str:
    """``text`` escaped, each stretch inside candidates' spans a ``<mark>`` naming them.

    Spans may overlap: the text is cut at every span's ends and each piece
    lists, in ``data-rows``, every candidate whose span covers it.

    >>> row = Candidate({}, (3, 5))
    >>> article_html("có 5 hộ <b>", [row])
    'có <mark id="seg-0" data-rows="0">5 </mark>hộ &lt;b&gt;'
    """
    spans = [(i, r.span) for i, r in enumerate(rows) if r.span is not None]
    cuts = sorted({0, len(text)} | {p for _, s in spans for p in s})
    out: list[str] = []
    segment = 0
    for a, b in pairwise(cuts):
        covering = [str(i) for i, (start, end) in spans if start <= a and b <= end]
        piece = e(text[a:b])
        if covering:
            rows_attr = " ".join(covering)
            out.append(f'<mark id="seg-{segment}" data-rows="{rows_attr}">{piece}</mark>')
            segment += 1
        else:
            out.append(piece)
    return "".join(out)


def _card(i: int, row: Candidate, choices: Choices) -> str:
    c = row.cells
    n = i + 1
    decision = c.get("decision", "")
    names = {"accept": "accepted", "reject": "rejected"}
    fields = [
        _input(i, "indicator", "Indicator", c["indicator"], f"indicators-{i}"),
        f'<p class="hint" id="c{i}-indicator-label">{e(_indicator_label(c["indicator"], choices))}'
        "</p>",
        _input(i, "subject", "Subject", c["subject"], "subjects"),
        *(_input(i, name, label, c[name]) for name, label in _TEXT_FIELDS),
        _select(i, "unit", "Unit", c["unit"], choices.units),
        _select(i, "qualifier", "Qualifier", c["qualifier"], choices.qualifiers),
        f'<label for="c{i}-note">Note</label>'
        f'<textarea id="c{i}-note" name="note" rows="2">{e(c["note"])}</textarea>',
    ]
    problem = f'<p class="problem">This candidate: {e(row.problem)}.</p>' if row.problem else ""
    where = f"characters {row.span[0]}–{row.span[1]}" if row.span else "not found in the text"
    return (
        f'<article class="card" id="card-{i}" data-row="{i}" data-decision="{e(decision)}" '
        f'tabindex="-1" aria-labelledby="card-{i}-title">'
        f'<h3 id="card-{i}-title">Candidate {n} '
        f'<span class="confidence">confidence {e(c["confidence"] or "–")}</span></h3>'
        f'<blockquote lang="vi" class="quote">{e(c["quote"])}</blockquote>'
        f'<p class="meta">In the text: {e(where)}. As the text names the subject: '
        f'<span lang="vi">{e(c["subject_name"] or "–")}</span>.</p>'
        f"{problem}"
        f'<div class="decision" role="group" aria-label="Decision on candidate {n}">'
        f'<button type="button" class="accept" data-decision="accept" '
        f'aria-pressed="{str(decision == "accept").lower()}">Accept</button>'
        f'<button type="button" class="reject" data-decision="reject" '
        f'aria-pressed="{str(decision == "reject").lower()}">Reject</button>'
        f'<span class="decided">{names.get(decision, "undecided")}</span></div>'
        f'<div class="fields">{"".join(fields)}</div>'
        f'<datalist id="indicators-{i}">{_indicator_options(row, choices)}</datalist>'
        "</article>"
    )


def _input(i: int, name: str, label: str, value: str, datalist: str = "") -> str:
    listed = f' list="{e(datalist)}"' if datalist else ""
    return (
        f'<label for="c{i}-{name}">{e(label)}</label>'
        f'<input id="c{i}-{name}" name="{name}" value="{e(value)}"{listed} '
        'autocomplete="off" spellcheck="false">'
    )


def _select(i: int, name: str, label: str, value: str, codes: tuple[CodeChoice, ...]) -> str:
    options = ['<option value="">–</option>']
    known = {code.id for code in codes}
    if value and value not in known:
        options.append(f'<option value="{e(value)}">{e(value)} (not in codes.csv)</option>')
    for code in codes:
        chosen = " selected" if code.id == value else ""
        options.append(
            f'<option value="{e(code.id)}"{chosen}>{e(code.id)}: {e(code.label_en)} / '
            f"{e(code.label_vi)}</option>"
        )
    return (
        f'<label for="c{i}-{name}">{e(label)}</label>'
        f'<select id="c{i}-{name}" name="{name}">{"".join(options)}</select>'
    )


def _indicator_label(value: str, choices: Choices) -> str:
    for ind in choices.indicators:
        if ind.id == value:
            return f"{ind.label_vi} / {ind.label_en} ({ind.unit})"
    return "not in indicators.csv" if value else "no indicator chosen"


def _indicator_options(row: Candidate, choices: Choices) -> str:
    """The candidate's alternatives first, then every other indicator."""
    by_id = {ind.id: ind for ind in choices.indicators}
    first = [a for a in row.alternatives if a != row.cells["indicator"]]
    out = []
    for alt in first:
        ind = by_id.get(alt)
        label = f"{ind.label_vi} / {ind.label_en} ({ind.unit})" if ind else "not in indicators.csv"
        out.append(f'<option value="{e(alt)}">alternative: {e(label)}</option>')
    for ind in choices.indicators:
        if ind.id not in first:
            out.append(
                f'<option value="{e(ind.id)}">{e(ind.label_vi)} / {e(ind.label_en)} '
                f"({e(ind.unit)})</option>"
            )
    return "".join(out)


def _datalists(choices: Choices) -> str:
    options = "".join(
        f'<option value="{e(s.id)}">{e(s.name)} ({e(s.kind)})</option>' for s in choices.subjects
    )
    return f'<datalist id="subjects">{options}</datalist>'


def _entities(data: PageData) -> str:
    if data.entities is None:
        return ""
    table = data.entities
    cards = "".join(_entity(i, row, table.header) for i, row in enumerate(table.rows))
    cards = cards or '<p class="empty">No entity rows in this file.</p>'
    return (
        '<section class="entities" aria-labelledby="entities-title">'
        '<h2 id="entities-title">Proposed people, posts, organisations, places and indicators '
        f"({len(table.rows)})</h2>"
        f'<p class="meta">Read from <code>{e(table.path)}</code>; saving writes '
        f"<code>{e(data.entities_reviewed or '')}</code>. Accepted rows are added to their "
        "tables on accept; undecided rows are not.</p>"
        f"{cards}</section>"
    )


def _entity(i: int, row: dict[str, str], header: tuple[str, ...]) -> str:
    n = i + 1
    decision = row.get("decision", "")
    names = {"accept": "accepted", "reject": "rejected"}
    shown = [c for c in header if c not in ENTITY_EDITABLE and c not in ("kind", "quote")]
    meta = "; ".join(f"{e(c)}: {e(row[c])}" for c in shown if row[c]) or "–"
    fields = "".join(
        f'<label for="e{i}-{name}">{e(label)}</label>'
        f'<input id="e{i}-{name}" name="{name}" value="{e(row[name])}" '
        'autocomplete="off" spellcheck="false">'
        for name, label in _ENTITY_FIELDS
    )
    return (
        f'<article class="entity" id="entity-{i}" data-row="{i}" data-decision="{e(decision)}" '
        f'aria-labelledby="entity-{i}-title">'
        f'<h3 id="entity-{i}-title">Entity {n}: {e(row["kind"] or "–")}</h3>'
        f'<blockquote lang="vi" class="quote">{e(row["quote"])}</blockquote>'
        f'<p class="meta">{meta}</p>'
        f'<div class="decision" role="group" aria-label="Decision on entity {n}">'
        f'<button type="button" class="accept" data-decision="accept" '
        f'aria-pressed="{str(decision == "accept").lower()}">Accept</button>'
        f'<button type="button" class="reject" data-decision="reject" '
        f'aria-pressed="{str(decision == "reject").lower()}">Reject</button>'
        f'<span class="decided">{names.get(decision, "undecided")}</span></div>'
        f'<div class="fields">{fields}</div>'
        "</article>"
    )
