"""Names in an article -> curated places and organisations, or units of the official lists.

Every curated place and organisation and every unit of both official lists
is a key, folded (``xã Pom Lót`` = ``xa pom lot``), so spelling without
diacritics still resolves. A unit only in the official lists is proposed as a
new place, of the vintage in force when the article was written (before
1 July 2025: the 2024 list). Bare words (``toàn Đảng bộ``, ``Huyện ủy``,
``toàn xã``) stand for the organisation or place the article is about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kgraph.curate.extract.text import fold_same_length
from kgraph.curate.tables import Row
from kgraph.curate.units import REFORM_DATE, AdminUnits, UnitVersion
from kgraph.curate.vn import fold, slugify

#: organisation kinds that can be the subject of a party-building figure
PARTY_KINDS = (
    "provincial-party-organisation",
    "district-party-organisation",
    "grassroots-party-committee",
    "grassroots-party-cell",
    "party-cell",
    "party-committee",
)
#: place kinds that can be the subject of a figure (not a country, border gate or dam)
SUBJECT_PLACES = ("province", "district", "commune", "village")
#: the party organisation that leads a unit of each level, as articles name it
ORG_WORDS = {"province": ("đảng bộ tỉnh", "tỉnh ủy"), "district": ("đảng bộ huyện", "huyện ủy")}
ORG_KIND = {
    "province": "provincial-party-organisation",
    "district": "district-party-organisation",
    "commune": "grassroots-party-committee",
}
#: words that stand for the article's own organisation or place
GENERIC_ORG = ("toàn đảng bộ", "đảng bộ", "đảng ủy", "đảng uỷ", "huyện ủy", "huyện uỷ", "tỉnh ủy")
GENERIC_PLACE = ("toàn huyện", "toàn xã", "toàn tỉnh", "của xã", "của huyện", "địa bàn huyện")
_MAX_WORDS = 9
_TOKEN = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class Target:
    """What a name can mean: a curated row, an official unit, or the article's own subject."""

    kind: str  # place | org | unit | main-org | main-place | other
    id: str | None = None
    unit: UnitVersion | None = None
    #: for a unit: "place" (xã X) or "org" (Đảng bộ xã X)
    role: str = "place"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    targets: tuple[Target, ...]
    parenthetical: bool


def article_vintage(published: object) -> str:
    """The official list in force when the article was written (undated: the 2024 list).

    >>> article_vintage(date(2025, 8, 15)), article_vintage(None)
    ('2025', '2024')
    """
    if isinstance(published, date):
        day = published if type(published) is date else published.date()  # type: ignore[attr-defined]
        return "2025" if day >= REFORM_DATE else "2024"
    return "2024"


class Gazetteer:
    """Folded keys -> targets, built once per data folder."""

    def __init__(self, tables: Mapping[str, list[Row]], admin: AdminUnits) -> None:
        self.keys: dict[str, list[Target]] = {}
        self.places = {r["id"]: r for r in tables["places"]}
        self.orgs = {r["id"]: r for r in tables["organisations"]}
        self.admin = admin
        for r in tables["organisations"]:
            kind = "org" if r["kind"] in PARTY_KINDS else "other"
            self._add(r["name_vi"], Target(kind, r["id"]))
        for r in tables["places"]:
            kind = "place" if r["kind"] in SUBJECT_PLACES else "other"
            self._add(r["name_vi"], Target(kind, r["id"]))
            unit = self.unit_of(r["id"])
            if unit is not None:
                self._add(f"{unit.type_vi} {unit.name_vi}", Target("place", r["id"]))
                self._add(f"đảng bộ {unit.name_vi}", Target("place", r["id"], role="org"))
                for words in ORG_WORDS.get(unit.level, ("đảng bộ xã", "đảng ủy xã")):
                    self._add(f"{words} {unit.name_vi}", Target("place", r["id"], role="org"))
        for unit in admin.units.values():
            typed = f"{unit.type_vi} {unit.name_vi}"
            self._add(typed, Target("unit", unit=unit), curated_first=True)
            self._add(f"đảng bộ {typed}", Target("unit", unit=unit, role="org"), True)
            self._add(f"đảng ủy {typed}", Target("unit", unit=unit, role="org"), True)
        for word in GENERIC_ORG:
            self._add(word, Target("main-org"))
        for word in GENERIC_PLACE:
            self._add(word, Target("main-place"))

    def _add(self, name: str, target: Target, curated_first: bool = False) -> None:
        key = " ".join(_TOKEN.findall(fold(name)))
        if not key:
            return
        found = self.keys.setdefault(key, [])
        if curated_first and any(t.kind in ("place", "org") for t in found):
            return  # a curated row with this name wins over the bare list entry
        if target not in found:
            found.append(target)

    def unit_of(self, place_id: str) -> UnitVersion | None:
        row = self.places.get(place_id)
        if row is None or row["gso_code"] is None:
            return None
        return self.admin.get(row["vintage"], row["gso_code"])

    def place_for_unit(self, unit: UnitVersion) -> str | None:
        """The curated place that is this unit version, if any."""
        for pid, row in self.places.items():
            if row["gso_code"] == unit.code and row["vintage"] == unit.vintage:
                return str(pid)
        return None

    def org_leading(self, place_id: str) -> str | None:
        """The curated party organisation (not its committee) that leads a place."""
        leaders = [r for r in self.orgs.values() if r["leads"] == place_id]
        leaders.sort(key=lambda r: (r["kind"] == "party-committee", r["id"]))
        return str(leaders[0]["id"]) if leaders else None

    def find(self, text: str) -> list[Mention]:
        """Every name in ``text``, longest match first, left to right."""
        folded = fold_same_length(text)
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            hit = None
            for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
                key = " ".join(t[2] for t in tokens[i : i + n])
                targets = self.keys.get(key)
                if targets and _named_properly(text, tokens[i : i + n], targets):
                    hit = (n, targets)
                    break
            if hit is None:
                i += 1
                continue
            n, targets = hit
            start, end = tokens[i][0], tokens[i + n - 1][1]
            before = text[:start].rstrip(" ")
            mentions.append(Mention(start, end, tuple(targets), before.endswith("(")))
            i += n
        return mentions


def _named_properly(text: str, toks: list[tuple[int, int, str]], targets: list[Target]) -> bool:
    """A proper name is capitalised: its last word starts with a capital (not generic words)."""
    if all(t.kind in ("main-org", "main-place") for t in targets):
        return True
    last = text[toks[-1][0]]
    return last.isupper() or last.isdigit()


@dataclass(frozen=True)
class Subject:
    """A resolved subject: a curated id, or a unit proposed as a new place (or organisation)."""

    id: str
    name: str
    unit: UnitVersion | None = None
    new: bool = False


class Resolver:
    """Turns mentions into subjects for one article: its own subject and its vintage."""

    def __init__(self, gazetteer: Gazetteer, vintage: str) -> None:
        self.g = gazetteer
        self.vintage = vintage
        self.main_place: Subject | None = None
        self.main_org: Subject | None = None

    def pick_unit(self, targets: tuple[Target, ...]) -> Target | None:
        units = [t for t in targets if t.kind == "unit" and t.unit is not None]
        if not units:
            return None
        home = self.main_place.unit if self.main_place else None
        province = self._province(home) if home else None

        def score(t: Target) -> tuple[int, int, str]:
            assert t.unit is not None
            near = int(province is not None and self._province(t.unit) == province)
            return (-int(t.unit.vintage == self.vintage), -near, t.unit.code)

        return sorted(units, key=score)[0]

    def _province(self, unit: UnitVersion) -> str:
        chain = [unit, *self.g.admin.ancestors(unit)]
        return chain[-1].name_vi

    def resolve(self, mention: Mention, want: str) -> Subject | None:
        """The mention as a place (``want="place"``) or a party organisation (``"org"``)."""
        targets = mention.targets
        if any(t.kind == "other" for t in targets):
            return None
        curated = [t for t in targets if t.kind in ("place", "org")]
        if any(t.kind == "main-org" for t in targets):
            return self.main_org if want == "org" else self.main_place
        if any(t.kind == "main-place" for t in targets):
            return self.main_place if want == "place" else self.main_org
        if curated:
            t = self._nearest_curated(curated)
            if t.kind == "org":
                if want == "org":
                    return self._org(t.id)
                leads = self.g.orgs[t.id]["leads"] if t.id else None
                return self._place(leads) if leads else self.main_place
            if want == "place" or t.id is None:
                return self._place(t.id) if t.id else None
            org = self.g.org_leading(t.id)
            return self._org(org) if org else (self.main_org if self._is_main(t.id) else None)
        unit = self.pick_unit(targets)
        if unit is None or unit.unit is None:
            return None
        return self.unit_subject(unit.unit, want)

    def _nearest_curated(self, curated: list[Target]) -> Target:
        main = {self.main_place.id if self.main_place else None}
        main |= {self.main_org.id if self.main_org else None}
        for t in curated:
            if t.id in main:
                return t
        return curated[-1]

    def _is_main(self, place_id: str | None) -> bool:
        return self.main_place is not None and self.main_place.id == place_id

    def _place(self, place_id: str | None) -> Subject | None:
        if place_id is None:
            return None
        return Subject(place_id, self.g.places[place_id]["name_vi"], self.g.unit_of(place_id))

    def _org(self, org_id: str | None) -> Subject | None:
        if org_id is None:
            return None
        return Subject(org_id, self.g.orgs[org_id]["name_vi"])

    def unit_subject(self, unit: UnitVersion, want: str) -> Subject:
        """A unit as a subject: its curated place (or organisation), else a proposed new row."""
        place = self.g.place_for_unit(unit)
        if place is not None:
            if want == "place":
                return Subject(place, unit.name_vi, unit)
            org = self.g.org_leading(place)
            if org is not None:
                return Subject(org, self.g.orgs[org]["name_vi"])
        pid = slugify(f"{unit.type_vi} {unit.name_vi}")
        if pid in self.g.places and self.g.places[pid]["vintage"] != unit.vintage:
            pid = f"{pid}-{unit.vintage}"
        if want == "place":
            return Subject(pid, unit.name_vi, unit, new=True)
        org_name = f"Đảng bộ {unit.type_vi} {unit.name_vi}"
        return Subject(slugify(org_name), org_name, unit, new=True)

    def set_main(self, mention: Mention | None) -> None:
        """The article's own subject, from the first name in its title (or its most named one)."""
        if mention is None:
            return
        targets = mention.targets
        curated = [t for t in targets if t.kind in ("place", "org")]
        if curated:
            t = curated[0]
            if t.kind == "org":
                self.main_org = self._org(t.id)
                leads = self.g.orgs[t.id]["leads"] if t.id else None
                self.main_place = self._place(leads)
            else:
                self.main_place = self._place(t.id)
                org = self.g.org_leading(t.id) if t.id else None
                self.main_org = self._org(org)
            return
        unit = self.pick_unit(targets)
        if unit is not None and unit.unit is not None:
            self.main_place = self.unit_subject(unit.unit, "place")
            self.main_org = self.unit_subject(unit.unit, "org")
