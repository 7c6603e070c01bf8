"""Accepted entity candidates -> rows of places, organisations, people, posts and indicators.

Every cell comes from the candidate (as the reviewer left it) or from the
official unit lists and the tables, never from a guess: a commune, district or
province is the list's unit (``gso_code`` + ``vintage``), named exactly as the
list names it, ``name_en`` its name and type in English; an organisation's
``kind`` is its ``type`` cell or follows from its type words (``Đảng bộ xã`` ->
``grassroots-party-committee``), its ``name_en`` the English name of the place
it leads (``link``) + ``Party Organisation`` (``Chiềng Lao Commune Party
Organisation``; a province's: ``Sơn La Provincial Party Organisation``), and its
``parent``, when the candidate gives none, the organisation leading the list's
parent unit. A row that cannot be filled honestly is an error naming the
reviewed file, its row and the column to fill.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kgraph.curate.tables import ORG_KINDS, PLACE_KINDS, SPECS
from kgraph.curate.units import AdminUnits, UnitVersion
from kgraph.curate.vn import fold
from kgraph.errors import InputError

#: the table each candidate kind is a row of
TABLE_OF = {
    "place": "places",
    "organisation": "organisations",
    "person": "people",
    "post": "posts",
    "indicator": "indicators",
}
#: table column -> the entities file's column it comes from (for naming a bad cell)
CELL_OF: dict[str, dict[str, str]] = {
    "places": {"kind": "type", "name_vi": "name"},
    "organisations": {"kind": "type", "name_vi": "name", "leads": "link"},
    "people": {"honorific": "type"},
    "posts": {"person": "parent", "role": "type", "organisation": "link"},
    "indicators": {"label_vi": "name", "unit": "type"},
}
#: an organisation's kind from the words its name starts with (folded), longest first
KIND_WORDS = (
    ("ban thuong vu", "standing-committee"),
    ("dang bo tinh", "provincial-party-organisation"),
    ("dang bo thanh pho", "provincial-party-organisation"),
    ("dang bo huyen", "district-party-organisation"),
    ("dang bo quan", "district-party-organisation"),
    ("dang bo thi xa", "district-party-organisation"),
    ("dang bo xa", "grassroots-party-committee"),
    ("dang bo phuong", "grassroots-party-committee"),
    ("dang bo thi tran", "grassroots-party-committee"),
    ("dang uy", "party-committee"),
    ("huyen uy", "party-committee"),
    ("tinh uy", "party-committee"),
    ("chi bo ban", "party-cell"),
    ("chi bo thon", "party-cell"),
    ("chi bo", "grassroots-party-cell"),
)
#: the cells a proposed indicator needs from the reviewer (label_vi is its ``name``)
INDICATOR_CELLS = ("name", "label_en", "definition", "category", "integral")
#: kinds whose English name is the place they lead + a suffix
_LEADER_EN = {
    "grassroots-party-committee": "Party Organisation",
    "district-party-organisation": "Party Organisation",
    "provincial-party-organisation": "Party Organisation",
}


def org_kind(name: str) -> str | None:
    """The organisation kind a name's type words say, if they say one.

    >>> org_kind("Đảng bộ xã Chiềng Lao"), org_kind("Chi bộ bản Nà Pát 2"), org_kind("Hội")
    ('grassroots-party-committee', 'party-cell', None)
    """
    folded = " ".join(fold(name).split())
    for words, kind in KIND_WORDS:
        if folded == words or folded.startswith(words + " "):
            return kind
    return None


def leader_name_en(kind: str, place_en: str) -> str | None:
    """The English name of the party organisation of ``kind`` leading a place so named.

    >>> leader_name_en("grassroots-party-committee", "Chiềng Lao Commune")
    'Chiềng Lao Commune Party Organisation'
    >>> leader_name_en("provincial-party-organisation", "Sơn La Province")
    'Sơn La Provincial Party Organisation'
    >>> leader_name_en("party-cell", "Nà Pát 2 village")
    'Nà Pát 2 village party cell'
    """
    if kind == "provincial-party-organisation" and place_en.endswith(" Province"):
        return place_en.removesuffix(" Province") + " Provincial Party Organisation"
    if kind in _LEADER_EN:
        return f"{place_en} {_LEADER_EN[kind]}"
    if kind == "party-cell" and place_en.endswith(" village"):
        return f"{place_en} party cell"
    return None


@dataclass(frozen=True)
class EntityRow:
    """One accepted entity as a row of its table, and where it came from."""

    table: str
    cells: dict[str, str]
    line: int


@dataclass
class Known:
    """The curated rows an entity may refer to: the tables' and those accepted before it."""

    places: dict[str, Mapping[str, str]]
    orgs: dict[str, Mapping[str, str]]
    ids: dict[str, str]  # id -> table
    roles: set[str]
    admin: AdminUnits

    def unit(self, place_id: str) -> UnitVersion | None:
        row = self.places.get(place_id)
        if row is None or not row.get("gso_code") or not row.get("vintage"):
            return None
        return self.admin.get(row["vintage"], row["gso_code"])

    def place_of(self, unit: UnitVersion) -> str | None:
        for pid, row in self.places.items():
            if row.get("gso_code") == unit.code and row.get("vintage") == unit.vintage:
                return pid
        return None

    def leader_of(self, place_id: str) -> str | None:
        for oid, row in self.orgs.items():
            if row.get("leads") == place_id and row.get("kind") != "party-committee":
                return oid
        return None


def build_rows(
    rows: list[tuple[int, dict[str, str]]], source: str, known: Known, path: Path
) -> list[EntityRow]:
    """The accepted candidates as table rows (places first, so others can refer to them)."""
    order = ("place", "organisation", "person", "post", "indicator")
    accepted = [(line, r) for line, r in rows if r["decision"].strip().lower() == "accept"]
    levels = ("country", "province", "district", "commune")

    def rank(item: tuple[int, dict[str, str]]) -> tuple[int, int]:
        kind, level = item[1]["kind"], item[1]["type"]
        return (
            order.index(kind) if kind in order else len(order),
            levels.index(level) if level in levels else len(levels),
        )

    accepted.sort(key=rank)  # parents first, so a row can refer to the one above it
    built: list[EntityRow] = []
    aliases: dict[str, str] = {}  # candidate id -> the curated row it was accepted as
    for line, row in accepted:

        def fail(column: str, detail: str, line: int = line) -> InputError:
            return InputError(detail, path=path, row=line, column=column)

        kind = row["kind"].strip()
        if kind not in TABLE_OF:
            raise fail("kind", f"kind {kind!r} is not one of {', '.join(TABLE_OF)}")
        table = TABLE_OF[kind]
        eid = row["id"].strip()
        existing = (row.get("existing") or "").strip()
        if existing:  # the entity is already curated: nothing to write, later rows refer to it
            if known.ids.get(existing) != table:
                raise fail("existing", f"{existing!r} is not an id of {table}.csv")
            if eid:  # an empty id is no name to redirect (and must not catch empty cells)
                aliases[eid] = existing
            continue
        if not eid:
            raise fail("id", "write the new row's id")
        if eid in known.ids:
            raise fail(
                "id",
                f"id {eid!r} is already used in {known.ids[eid]}.csv "
                "(write it in existing if this is that row)",
            )
        row = {**row, **{c: aliases.get(row[c].strip(), row[c]) for c in ("parent", "link")}}
        cells = _BUILDERS[kind](row, known, fail)
        cells = {"id": eid, **cells}
        if table != "indicators":  # the code list cites no article
            cells |= {"source": source, "quote": row["quote"]}
        known.ids[eid] = table
        if table == "places":
            known.places[eid] = cells
        elif table == "organisations":
            known.orgs[eid] = cells
        built.append(EntityRow(table, cells, line))
    return built


Fail = Callable[[str, str], InputError]


def _place(row: dict[str, str], known: Known, fail: Fail) -> dict[str, str]:
    kind, name = row["type"].strip(), row["name"].strip()
    if kind not in PLACE_KINDS:
        raise fail("type", f"place kind {kind!r} is not one of {', '.join(PLACE_KINDS)}")
    parent = row["parent"].strip()
    code, vintage = row["gso_code"].strip(), row["vintage"].strip()
    if kind in ("province", "district", "commune"):
        unit = known.admin.get(vintage, code)
        if unit is None or unit.level != kind:
            raise fail("gso_code", f"no {kind} {code!r} in the {vintage or '?'} list")
        if name != unit.name_vi:
            raise fail(
                "name",
                f"name {name!r} is not the {vintage} list's name of unit {code}: {unit.name_vi!r}",
            )
        if not parent and (up := known.admin.parent(unit)) is not None:
            parent = known.place_of(up) or ""  # the list's parent, when it is curated
        name_en = unit.name_en
    elif kind == "village":
        name_en = row.get("name_en", "").strip() or f"{name} village"
    else:
        name_en = row.get("name_en", "").strip()
        if not name_en:
            raise fail("name_en", f"write the English name of this {kind} (a name_en column)")
    return {
        "kind": kind,
        "name_vi": name,
        "name_en": name_en,
        "parent": parent,
        "gso_code": code,
        "vintage": vintage,
        "note": "",
    }


def _organisation(row: dict[str, str], known: Known, fail: Fail) -> dict[str, str]:
    name = row["name"].strip()
    kind = row["type"].strip() or org_kind(name) or ""
    if kind not in ORG_KINDS:
        raise fail("type", f"organisation kind {kind!r} is not one of {', '.join(ORG_KINDS)}")
    leads, parent = row["link"].strip(), row["parent"].strip()
    if not parent and leads:
        unit = known.unit(leads)
        up = known.admin.parent(unit) if unit is not None else None
        place = known.place_of(up) if up is not None else None
        parent = (known.leader_of(place) or "") if place else ""
    name_en = row.get("name_en", "").strip()
    if not name_en:
        place_en = known.places[leads]["name_en"] if leads in known.places else ""
        if kind == "party-committee" and parent in known.orgs:
            owner = known.orgs[parent]
            lead = owner.get("leads", "")
            place_en = known.places[lead]["name_en"] if lead in known.places else ""
            name_en = f"{place_en} Party Committee" if place_en else ""
        else:
            name_en = (leader_name_en(kind, place_en) or "") if place_en else ""
        if not name_en:
            raise fail(
                "name_en" if leads else "link",
                f"cannot name this {kind} in English from the place it leads; "
                "write the place (link) or a name_en column",
            )
    cell_kind = "village" if kind == "party-cell" and org_kind(name) == "party-cell" else ""
    return {
        "kind": kind,
        "name_vi": name,
        "name_en": name_en,
        "parent": parent,
        "leads": leads,
        "cell_kind": cell_kind,
        "note": "",
    }


def _person(row: dict[str, str], known: Known, fail: Fail) -> dict[str, str]:
    if not row["name"].strip():
        raise fail("name", "write the person's name")
    return {"name": row["name"].strip(), "honorific": row["type"].strip(), "note": ""}


def _post(row: dict[str, str], known: Known, fail: Fail) -> dict[str, str]:
    role = row["type"].strip()
    if not role:
        raise fail("type", "no role: write a role id of codes.csv (scheme role)")
    if role not in known.roles:
        raise fail("type", f"role {role!r} is not a role id of codes.csv")
    for column, what in (("parent", "person"), ("link", "organisation")):
        if not row[column].strip():
            raise fail(column, f"write the post's {what} (an id)")
    return {
        "person": row["parent"].strip(),
        "role": role,
        "organisation": row["link"].strip(),
        "as_of": row["as_of"].strip() or "current",
        "note": "",
    }


def _indicator(row: dict[str, str], known: Known, fail: Fail) -> dict[str, str]:
    for column in INDICATOR_CELLS:
        if not row.get(column, "").strip():
            raise fail(column, f"a new indicator needs its {column} (add a {column} column)")
    if row["name"].strip() == row["id"].strip().replace("-", " "):
        raise fail("name", "write the indicator's Vietnamese label (label_vi) in name")
    columns = [c.name for c in SPECS["indicators"].columns]
    cells = {c: row.get(c, "").strip() for c in columns if c not in ("id", "source", "quote")}
    cells.update(label_vi=row["name"].strip(), unit=row["type"].strip())
    return cells


_BUILDERS: dict[str, Callable[[dict[str, str], Known, Fail], dict[str, str]]] = {
    "place": _place,
    "organisation": _organisation,
    "person": _person,
    "post": _post,
    "indicator": _indicator,
}
