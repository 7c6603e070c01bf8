"""People with their posts, and the places, organisations and indicators not yet curated.

Vietnamese articles introduce officials in a few fixed shapes: ``Ông Trần Văn
Tuân. Phó bí thư thường trực đảng ủy xã``, ``đồng chí X, Bí thư …``, ``bà X``;
a name is two to four capitalised syllables after the honorific, the post the
title that follows (the lexicon's ``roles.csv``), and its organisation the
name after the title (a bare ``Đảng ủy`` is the committee of the article's
own organisation). Rules of our own read these reliably; a tagger is not
needed for them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from kgraph.curate.extract.gazetteer import ORG_KIND, Gazetteer, Mention, Resolver, Subject
from kgraph.curate.extract.lexicon import Lexicon, RolePhrase
from kgraph.curate.extract.text import fold_same_length, phrase_pattern
from kgraph.curate.tables import Row
from kgraph.curate.units import TYPE_EN, UnitVersion
from kgraph.curate.vn import fold, slugify

ENTITY_COLUMNS = (
    "kind",
    "id",
    "name",
    "type",
    "parent",
    "link",
    "gso_code",
    "vintage",
    "as_of",
    "existing",
    "quote",
    "start",
    "end",
    "confidence",
    "decision",
    "note",
)
_HONORIFIC = re.compile(r"(?<!\w)(ông|bà|đồng chí|anh|chị)\s+(?=[A-ZĐÀ-ỸẠ-Ỹ])", re.IGNORECASE)
_BYLINE = re.compile(r"(?:Tác giả|Bài(?:,| và) ảnh|Bài)\s*:\s*")
_SYLLABLE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class EntityCandidate:
    """One proposed row of an entity table (``kind``: person, post, organisation, place,
    indicator), with its quote and offsets."""

    kind: str
    id: str
    name: str
    quote: str
    start: int
    end: int
    confidence: float
    type: str = ""
    parent: str = ""
    link: str = ""
    gso_code: str = ""
    vintage: str = ""
    as_of: str = ""
    existing: str = ""
    note: str = ""

    def row(self) -> dict[str, str]:
        """The candidate as a CSV row of :data:`ENTITY_COLUMNS` (decision left empty)."""
        values = {k: str(getattr(self, k, "")) for k in ENTITY_COLUMNS if k != "decision"}
        values["confidence"] = f"{self.confidence:.2f}"
        return {**values, "decision": ""}


def _name_after(text: str, pos: int) -> tuple[int, int] | None:
    """Two to four capitalised syllables from ``pos`` (a person's name)."""
    end = pos
    count = 0
    for m in _SYLLABLE.finditer(text, pos):
        gap = text[end : m.start()]
        if (count and gap.strip(" ")) or not m.group()[0].isupper() or count == 4:
            break
        end, count = m.end(), count + 1
    return (pos, end) if count >= 2 else None


def find_people(
    text: str,
    source: str,
    tables: Mapping[str, list[Row]],
    lexicon: Lexicon,
    gazetteer: Gazetteer,
    resolver: Resolver,
) -> list[EntityCandidate]:
    """People named with an honorific (and their posts), and the article's bylines."""
    known = {fold(r["name"]): r["id"] for r in tables["people"]}
    roles = sorted(lexicon.roles, key=lambda r: -len(r.phrase))
    found: list[EntityCandidate] = []
    seen: set[str] = set()
    for m in [*_HONORIFIC.finditer(text), *_BYLINE.finditer(text)]:
        span = _name_after(text, m.end())
        if span is None:
            continue
        name = text[span[0] : span[1]]
        pid = known.get(fold(name), slugify(name))
        honorific = m.group(1).capitalize() if m.re is _HONORIFIC else ""
        post = _post(text, span[1], roles, gazetteer, resolver)
        end = post[3] if post else span[1]
        quote = text[m.start() : end]
        if pid not in seen:
            seen.add(pid)
            found.append(
                EntityCandidate(
                    "person",
                    pid,
                    name,
                    quote,
                    m.start(),
                    end,
                    0.8 if honorific else 0.6,
                    type=honorific,
                    existing=pid if fold(name) in known else "",
                )
            )
        if post is not None:
            role, org, title, _ = post
            found.append(
                EntityCandidate(
                    "post",
                    f"{pid}-{role or slugify(title)}",
                    title,
                    quote,
                    m.start(),
                    end,
                    0.7 if role and org else 0.4,
                    type=role or "",
                    parent=pid,
                    link=org or "",
                    as_of="current",
                    existing=_existing_post(tables, pid, role, org),
                    note="" if role else f"no role code for {title!r} in codes.csv",
                )
            )
    return found


def _post(
    text: str, pos: int, roles: Sequence[RolePhrase], g: Gazetteer, resolver: Resolver
) -> tuple[str | None, str | None, str, int] | None:
    """(role code, organisation id, title as written, end) of the post right after a name."""
    m = re.compile(r"\s*[.,:–-]?\s*").match(text, pos)
    start = m.end() if m else pos
    folded = fold_same_length(text)
    for r in roles:
        pattern = phrase_pattern(fold_same_length(r.phrase))
        hit = pattern.match(folded, start)
        if hit is None:
            continue
        stop = re.compile(r"[,.:;(\n”\"]|\scho biết").search(text, hit.end())
        end = stop.start() if stop else len(text)
        org = None
        for mention in g.find(text[hit.start() : end]):  # the title may hold it: Bí thư Đảng ủy
            subject = resolver.resolve(mention, "org")
            if subject is not None:
                generic = any(t.kind == "main-org" for t in mention.targets)
                org = _committee_of(g, subject.id) if generic else subject.id
                break
        if org is None and resolver.main_org is not None:
            org = _committee_of(g, resolver.main_org.id)  # Bí thư xã: the article's own
        title = text[hit.start() : hit.end()]
        return r.role, org, title, end
    return None


def _committee_of(g: Gazetteer, org: str | None) -> str | None:
    """The party committee (Đảng ủy, Huyện ủy) of a party organisation, or the organisation."""
    for row in g.orgs.values():
        if row["parent"] == org and row["kind"] == "party-committee":
            return str(row["id"])
    return org


def _existing_post(
    tables: Mapping[str, list[Row]], person: str, role: str | None, org: str | None
) -> str:
    for row in tables["posts"]:
        if row["person"] == person and row["role"] == role and row["organisation"] == org:
            return str(row["id"])
    return ""


class _Proposable(Protocol):
    """What :func:`proposals` reads of a candidate observation."""

    @property
    def new_subject(self) -> Subject | None: ...
    @property
    def indicator(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def quote(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def proposals(
    candidates: Iterable[_Proposable],
    indicators: Collection[str],
    text: str = "",
    mentions: Sequence[Mention] = (),
    gazetteer: Gazetteer | None = None,
) -> list[EntityCandidate]:
    """New places and organisations the candidates' subjects would be, and new indicators.

    With the article's ``text``, ``mentions`` and ``gazetteer``, a new party
    organisation's ``parent`` is the one leading the list's parent unit: the
    curated one, or (when the article names it) a proposed one, with the
    parent unit's place if that is new too.
    """
    found: list[EntityCandidate] = []
    seen: set[str] = set()
    for c in candidates:
        s = c.new_subject
        if s is not None and s.unit is not None and s.id not in seen:
            seen.add(s.id)
            unit = s.unit
            if s.id.startswith("dang-bo-"):
                parent = ""
                if gazetteer is not None:
                    parent, more = _parent_org(unit, text, mentions, gazetteer, seen)
                    found += more
                found.append(
                    EntityCandidate(
                        "organisation",
                        s.id,
                        s.name,
                        c.quote,
                        c.start,
                        c.end,
                        0.5,
                        type=ORG_KIND[unit.level],
                        parent=parent,
                        link=slugify(f"{unit.type_vi} {unit.name_vi}"),
                        note=f"leads {unit.full_name} ({unit.vintage} list, code {unit.code})",
                    )
                )
            else:
                found.append(
                    EntityCandidate(
                        "place",
                        s.id,
                        unit.name_vi,
                        c.quote,
                        c.start,
                        c.end,
                        0.6,
                        type=unit.level,
                        gso_code=unit.code,
                        vintage=unit.vintage,
                        note=f"{unit.name_vi} {TYPE_EN[(unit.level, unit.type_vi)]}",
                    )
                )
        if c.indicator not in indicators and c.indicator not in seen:
            seen.add(c.indicator)
            found.append(
                EntityCandidate(
                    "indicator",
                    c.indicator,
                    c.indicator.replace("-", " "),
                    c.quote,
                    c.start,
                    c.end,
                    0.3,
                    type=c.unit,
                    note="no curated indicator fits: write its label_vi, label_en, definition",
                )
            )
    return found


def _parent_org(
    unit: UnitVersion, text: str, mentions: Sequence[Mention], g: Gazetteer, seen: set[str]
) -> tuple[str, list[EntityCandidate]]:
    """The id of the organisation leading ``unit``'s parent unit, and what must be proposed
    for it (nothing when it is curated; ("", []) when neither curated nor named)."""
    up = g.admin.parent(unit)
    if up is None:
        return "", []
    place = g.place_for_unit(up)
    leader = g.org_leading(place) if place else None
    if leader is not None:
        return leader, []
    for m in mentions:
        named = any(
            t.role == "org" and (t.unit == up or (place is not None and t.id == place))
            for t in m.targets
        )
        if not named or not fold(text[m.start : m.end]).startswith("dang bo"):
            continue
        name = f"Đảng bộ {up.type_vi} {up.name_vi}"
        oid, pid = slugify(name), place or slugify(f"{up.type_vi} {up.name_vi}")
        quote, more = text[m.start : m.end], []
        if place is None and pid not in seen:
            seen.add(pid)
            more.append(
                EntityCandidate(
                    "place", pid, up.name_vi, quote, m.start, m.end, 0.6, type=up.level,
                    gso_code=up.code, vintage=up.vintage, note=up.name_en,
                )
            )  # fmt: skip
        if oid not in seen:
            seen.add(oid)
            more.append(
                EntityCandidate(
                    "organisation", oid, name, quote, m.start, m.end, 0.5,
                    type=ORG_KIND[up.level], link=pid,
                    note=f"leads {up.full_name} ({up.vintage} list, code {up.code})",
                )
            )  # fmt: skip
        return oid, more
    return "", []
