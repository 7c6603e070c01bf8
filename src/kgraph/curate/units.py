"""The official unit lists of both vintages and the 2025 reform mapping, loaded and checked.

``data/admin-units/`` holds Vietnam's administrative units as two official
lists (the 2024 list, in force until 30 June 2025, and the 2025 list, in force
from 1 July 2025) and the mapping of every old commune to the new unit(s) it
went into (see that folder's README for where each file comes from).

A unit is identified by its **vintage and code**, never by its code alone: the
reform reused 3,315 of the 3,321 new commune codes, 1,842 of them for another
unit (``00004`` was phường Trúc Bạch and is now phường Ba Đình). Everything here
is read exactly as the lists give it and checked against itself: every code is
unique in its list, every parent exists in the same list at the level above,
and every mapping row names units that exist, with the names and types the
lists give them. Rows the mapping marks ``preferred=0`` (pairs it rejected) are
read and checked but are not part of the reform.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from kgraph.curate.cells import read_enum, read_gso_code
from kgraph.curate.tables import Row, TableSpec, declare, load_table
from kgraph.errors import InputError

#: the day the 2025 reform took effect (Resolutions 1654–1687/NQ-UBTVQH15)
REFORM_DATE = date(2025, 7, 1)
LEVELS = ("province", "district", "commune")
#: unit types each level may have, per vintage (as the lists write them, lower case)
TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "2024": {
        "province": ("tỉnh", "thành phố"),
        "district": ("huyện", "quận", "thị xã", "thành phố"),
        "commune": ("xã", "phường", "thị trấn"),
    },
    "2025": {
        "province": ("tỉnh", "thành phố"),
        "commune": ("xã", "phường", "đặc khu"),
    },
}
#: the level above each level, per vintage (2025 has no districts)
PARENT_LEVEL: dict[str, dict[str, str | None]] = {
    "2024": {"province": None, "district": "province", "commune": "district"},
    "2025": {"province": None, "commune": "province"},
}
#: English for each unit type (the label ``<name> <Type>``, as the curated tables write it)
TYPE_EN: dict[tuple[str, str], str] = {
    ("province", "tỉnh"): "Province",
    ("province", "thành phố"): "City",
    ("district", "huyện"): "District",
    ("district", "quận"): "Urban District",
    ("district", "thị xã"): "Town",
    ("district", "thành phố"): "City",
    ("commune", "xã"): "Commune",
    ("commune", "phường"): "Ward",
    ("commune", "thị trấn"): "Township",
    ("commune", "đặc khu"): "Special Zone",
}


@dataclass(frozen=True)
class Vintage:
    """One official list: its name, file, and the days it is known to be valid."""

    name: str
    path: str
    title_vi: str
    title_en: str
    #: first day in force, where the list itself says (the 2024 list is the state from
    #: 1 March 2025, but its units existed long before: no start is claimed for them)
    valid_from: date | None
    valid_through: date | None
    source: str
    commit: str
    licence_file: str


VINTAGES: dict[str, Vintage] = {
    "2024": Vintage(
        "2024",
        "admin-units/units-2024.csv",
        "Danh mục đơn vị hành chính Việt Nam (GSO, trước 1/7/2025)",
        "Vietnam administrative units (GSO codes, before 1 July 2025)",
        None,
        date(2025, 6, 30),
        "https://github.com/thanglequoc/vietnamese-provinces-database",
        "fc33b7411ec4e3697817fab8118718a8d39ef090",
        "LICENSE-thanglequoc-vietnamese-provinces-database.txt",
    ),
    "2025": Vintage(
        "2025",
        "admin-units/units-2025.csv",
        "Danh mục đơn vị hành chính Việt Nam (GSO, từ 1/7/2025)",
        "Vietnam administrative units (GSO codes, from 1 July 2025)",
        REFORM_DATE,
        None,
        "https://github.com/thanglequoc/vietnamese-provinces-database",
        "78594ea643d5fdebd640ea3889ea91f84b9463ae",
        "LICENSE-thanglequoc-vietnamese-provinces-database.txt",
    ),
}
MAPPING = "admin-units/mapping-2025.csv"
#: where the mapping comes from (it reconciles two compilations; see the folder's README)
MAPPING_SOURCES = (
    ("https://github.com/dvhcvn/20250701", "LICENSE-dvhcvn-20250701.txt"),
    ("https://github.com/tranngocminhhieu/vietnamadminunits", "LICENSE-vietnamadminunits.txt"),
)

_UNIT_SPEC = TableSpec(
    "admin-units",
    "",
    (
        declare("code", read=read_gso_code),
        declare("name_vi"),
        declare("type_vi"),
        declare("level", read=read_enum(*LEVELS)),
        declare("parent_code", required=False, read=read_gso_code),
    ),
)
_MAPPING_SPEC = TableSpec(
    "admin-mapping",
    MAPPING,
    (
        declare("old_commune_code", required=False, read=read_gso_code),
        declare("new_commune_code", read=read_gso_code),
        declare("new_province_code", read=read_gso_code),
        declare("old_level", read=read_enum("commune", "district")),
        declare("old_name_vi"),
        declare("old_type_vi"),
        declare("old_district_code", read=read_gso_code),
        declare("old_province_code", read=read_gso_code),
        declare("new_name_vi"),
        declare("new_type_vi"),
        declare("relation", read=read_enum("full", "partial")),
        declare("preferred", read=read_enum("0", "1")),
        declare("source", read=read_enum("both", "dvhcvn_20250701", "vietnamadminunits")),
        declare("note", required=False),
    ),
)


@dataclass(frozen=True)
class UnitVersion:
    """One unit as one official list gives it."""

    vintage: str
    code: str
    name_vi: str
    type_vi: str
    level: str
    parent_code: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.vintage, self.code)

    @property
    def full_name(self) -> str:
        """The official full name: the type, capitalised, then the name (``Xã Pom Lót``)."""
        return f"{self.type_vi[:1].upper()}{self.type_vi[1:]} {self.name_vi}"

    @property
    def name_en(self) -> str:
        """``Pom Lót Commune``: the name and the type's usual English rendering."""
        return f"{self.name_vi} {TYPE_EN[(self.level, self.type_vi)]}"


@dataclass(frozen=True)
class Transfer:
    """One row of the reform: (part of) an old unit went into a new one on 1 July 2025."""

    old: tuple[str, str]
    new: tuple[str, str]
    #: ``whole`` (the whole old unit) or ``part`` (the old unit was split)
    relation: str
    #: which compilations assert the pair (``both``, or one of them)
    asserted_by: str
    note: str | None


@dataclass(frozen=True)
class AdminUnits:
    """Both official lists and the reform, checked."""

    units: Mapping[tuple[str, str], UnitVersion]
    transfers: tuple[Transfer, ...]

    def get(self, vintage: str, code: str) -> UnitVersion | None:
        return self.units.get((vintage, code))

    def parent(self, unit: UnitVersion) -> UnitVersion | None:
        if unit.parent_code is None:
            return None
        return self.units[(unit.vintage, unit.parent_code)]

    def ancestors(self, unit: UnitVersion) -> list[UnitVersion]:
        """The unit's parent, its parent's parent, … (same vintage)."""
        chain = []
        parent = self.parent(unit)
        while parent is not None:
            chain.append(parent)
            parent = self.parent(parent)
        return chain

    def of_vintage(self, vintage: str) -> list[UnitVersion]:
        return [u for u in self.units.values() if u.vintage == vintage]


def load_admin_units(data_dir: Path) -> AdminUnits:
    """Read and check ``data_dir/admin-units/`` (cached while the files are unchanged)."""
    files = [Path(data_dir) / v.path for v in VINTAGES.values()] + [Path(data_dir) / MAPPING]
    stamps = []
    for path in files:
        if not path.is_file():
            raise InputError("official unit list not found", path=path)
        info = path.stat()
        stamps.append((str(path.resolve()), info.st_size, info.st_mtime_ns))
    return _load(tuple(stamps))


@cache
def _load(stamps: tuple[tuple[str, int, int], ...]) -> AdminUnits:
    *lists, mapping = (Path(s[0]) for s in stamps)
    units: dict[tuple[str, str], UnitVersion] = {}
    for vintage, path in zip(VINTAGES, lists, strict=True):
        rows = load_table(_UNIT_SPEC, path)
        read = {r["code"]: r for r in rows}
        for row in rows:
            _check_unit(row, vintage, read)
            units[(vintage, row["code"])] = UnitVersion(
                vintage,
                row["code"],
                row["name_vi"],
                row["type_vi"],
                row["level"],
                row["parent_code"],
            )
    transfers = []
    for row in load_table(_MAPPING_SPEC, mapping):
        transfer = _transfer(row, units)
        if row["preferred"] == "1":
            transfers.append(transfer)
    _check_reform(transfers, units, mapping)
    return AdminUnits(units, tuple(transfers))


def _check_unit(row: Row, vintage: str, read: Mapping[str, Row]) -> None:
    level = row["level"]
    if level not in PARENT_LEVEL[vintage]:
        raise row.error(f"the {vintage} list has no {level} level", "level")
    if row["type_vi"] not in TYPES[vintage][level]:
        allowed = ", ".join(TYPES[vintage][level])
        raise row.error(f"{row['type_vi']!r} is not a {level} type (use {allowed})", "type_vi")
    digits = {"province": 2, "district": 3, "commune": 5}[level]
    if len(row["code"]) != digits:
        raise row.error(f"a {level} code has {digits} digits", "code")
    if read[row["code"]] is not row:
        raise row.error(f"code {row['code']} appears twice in the list", "code")
    want = PARENT_LEVEL[vintage][level]
    parent = row["parent_code"]
    if want is None:
        if parent is not None:
            raise row.error("a province has no parent", "parent_code")
        return
    if parent is None or parent not in read:
        raise row.error(f"parent {parent!r} is not a {want} of the {vintage} list", "parent_code")
    if read[parent]["level"] != want:
        raise row.error(
            f"parent {parent} is a {read[parent]['level']}, not a {want}", "parent_code"
        )


def _transfer(row: Row, units: Mapping[tuple[str, str], UnitVersion]) -> Transfer:
    if row["old_level"] == "commune":
        column, old_code = "old_commune_code", row["old_commune_code"]
        if old_code is None:
            raise row.error("a commune row needs its old code", column)
    else:
        column, old_code = "old_district_code", row["old_district_code"]
    old = units.get(("2024", old_code))
    new = units.get(("2025", row["new_commune_code"]))
    if old is None or old.level != row["old_level"]:
        raise row.error(f"{old_code} is not a {row['old_level']} of the 2024 list", column)
    if new is None or new.level != "commune":
        raise row.error(
            f"{row['new_commune_code']} is not a commune of the 2025 list", "new_commune_code"
        )
    expected = (
        ("old_name_vi", old.name_vi),
        ("old_type_vi", old.type_vi),
        ("new_name_vi", new.name_vi),
        ("new_type_vi", new.type_vi),
        ("new_province_code", new.parent_code),
    )
    for col, value in expected:
        if row[col] != value:
            raise row.error(f"{row[col]!r} does not match the list's {value!r}", col)
    relation = "whole" if row["relation"] == "full" else "part"
    return Transfer(old.key, new.key, relation, row["source"], row["note"])


def _check_reform(
    transfers: list[Transfer], units: Mapping[tuple[str, str], UnitVersion], path: Path
) -> None:
    """Every old commune and every new unit is in the reform; a whole unit goes one way."""
    targets: dict[tuple[str, str], list[Transfer]] = {}
    reached = set()
    for t in transfers:
        targets.setdefault(t.old, []).append(t)
        reached.add(t.new)
    for unit in units.values():
        if unit.vintage == "2024" and unit.level == "commune" and unit.key not in targets:
            raise InputError(f"2024 commune {unit.code} has no preferred row", path=path)
        if unit.vintage == "2025" and unit.level == "commune" and unit.key not in reached:
            raise InputError(f"2025 unit {unit.code} is reached by no preferred row", path=path)
    for old, rows in targets.items():
        relations = {t.relation for t in rows}
        if relations == {"whole"} and len(rows) > 1:
            raise InputError(f"2024 unit {old[1]} went whole into {len(rows)} units", path=path)
        if "whole" in relations and "part" in relations:
            raise InputError(f"2024 unit {old[1]} is both whole and split", path=path)


__all__ = [
    "LEVELS",
    "MAPPING",
    "REFORM_DATE",
    "VINTAGES",
    "AdminUnits",
    "Transfer",
    "UnitVersion",
    "Vintage",
    "load_admin_units",
]
