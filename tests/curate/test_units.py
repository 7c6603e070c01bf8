"""The official unit lists of both vintages and the reform mapping: read exactly, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.curate.units import REFORM_DATE, load_admin_units
from kgraph.errors import InputError

UNITS_2024 = """code,name_vi,type_vi,level,parent_code
11,Điện Biên,tỉnh,province,
100,Điện Biên,huyện,district,11
03356,Pom Lót,xã,commune,100
03361,Na Ư,xã,commune,100
03365,Na Tông,xã,commune,100
"""
UNITS_2025 = """code,name_vi,type_vi,level,parent_code
11,Điện Biên,tỉnh,province,
03356,Sam Mứn,xã,commune,11
03365,Na Tông,xã,commune,11
03370,Mường Phăng,xã,commune,11
"""
HEADER = (
    "old_commune_code,new_commune_code,new_province_code,old_level,old_name_vi,old_type_vi,"
    "old_district_code,old_province_code,new_name_vi,new_type_vi,relation,preferred,source,note\n"
)
MAPPING = HEADER + (
    "03356,03356,11,commune,Pom Lót,xã,100,11,Sam Mứn,xã,full,1,both,\n"
    "03361,03356,11,commune,Na Ư,xã,100,11,Sam Mứn,xã,full,1,both,\n"
    "03365,03365,11,commune,Na Tông,xã,100,11,Na Tông,xã,partial,1,both,\n"
    "03365,03370,11,commune,Na Tông,xã,100,11,Mường Phăng,xã,partial,1,both,\n"
)


def _write(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "admin-units"
    folder.mkdir(exist_ok=True)
    texts = {
        "units-2024.csv": UNITS_2024,
        "units-2025.csv": UNITS_2025,
        "mapping-2025.csv": MAPPING,
    }
    texts.update({name.replace("_", "-") + ".csv": text for name, text in files.items()})
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_units_are_keyed_by_vintage_and_code(tmp_path: Path) -> None:
    units = load_admin_units(_write(tmp_path))
    old, new = units.get("2024", "03356"), units.get("2025", "03356")
    assert old is not None and new is not None
    assert (old.name_vi, old.parent_code, old.full_name) == ("Pom Lót", "100", "Xã Pom Lót")
    assert (new.name_vi, new.parent_code, new.name_en) == ("Sam Mứn", "11", "Sam Mứn Commune")
    assert [u.code for u in units.ancestors(old)] == ["100", "11"]
    assert units.get("2025", "100") is None  # the 2025 list has no districts


def test_the_reform_keeps_whole_and_part_and_drops_rejected_pairs(tmp_path: Path) -> None:
    rejected = "03361,03365,11,commune,Na Ư,xã,100,11,Na Tông,xã,partial,0,vietnamadminunits,no\n"
    units = load_admin_units(_write(tmp_path, mapping_2025=MAPPING + rejected))
    pairs = {(t.old[1], t.new[1], t.relation) for t in units.transfers}
    assert pairs == {
        ("03356", "03356", "whole"),
        ("03361", "03356", "whole"),
        ("03365", "03365", "part"),
        ("03365", "03370", "part"),
    }
    assert REFORM_DATE.isoformat() == "2025-07-01"


@pytest.mark.parametrize(
    ("files", "where", "what"),
    [
        (
            {"units_2024": UNITS_2024 + "03356,Pom Lót,xã,commune,100\n"},
            "units-2024.csv, row 4, column 'code'",
            "appears twice",
        ),
        (
            {
                "units_2024": UNITS_2024.replace(
                    "03361,Na Ư,xã,commune,100", "03361,Na Ư,xã,commune,101"
                )
            },
            "units-2024.csv, row 5, column 'parent_code'",
            "not a district",
        ),
        (
            {"units_2025": UNITS_2025 + "101,Mường Ảng,huyện,district,11\n"},
            "units-2025.csv, row 6, column 'level'",
            "no district level",
        ),
        (
            {"units_2024": UNITS_2024.replace("Na Ư,xã", "Na Ư,bản")},
            "units-2024.csv, row 5, column 'type_vi'",
            "not a commune type",
        ),
        (
            {"mapping_2025": MAPPING.replace("Pom Lót,xã,100", "Pom Lọt,xã,100")},
            "mapping-2025.csv, row 2, column 'old_name_vi'",
            "does not match the list's 'Pom Lót'",
        ),
        (
            {"mapping_2025": MAPPING.replace("03361,03356", "03399,03356")},
            "mapping-2025.csv, row 3, column 'old_commune_code'",
            "not a commune of the 2024 list",
        ),
        (
            {"mapping_2025": HEADER + MAPPING.splitlines(keepends=True)[1]},
            "mapping-2025.csv",
            "2024 commune 03361 has no preferred row",
        ),
    ],
)
def test_bad_official_lists_are_refused_by_file_row_and_column(
    tmp_path: Path, files: dict[str, str], where: str, what: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_admin_units(_write(tmp_path, **files))
    message = str(caught.value)
    assert where in message and what in message, message
    assert "\n" not in message


def test_shipped_lists_hold_both_vintages_as_the_readme_counts_them(data_dir: Path) -> None:
    """The official lists are fixed data: their sizes are the published ones."""
    units = load_admin_units(data_dir)
    levels: dict[tuple[str, str], int] = {}
    for unit in units.units.values():
        levels[(unit.vintage, unit.level)] = levels.get((unit.vintage, unit.level), 0) + 1
    assert levels == {
        ("2024", "province"): 63,
        ("2024", "district"): 696,
        ("2024", "commune"): 10035,
        ("2025", "province"): 34,
        ("2025", "commune"): 3321,
    }
    assert len(units.transfers) == 10573
    old_codes = {u.code for u in units.of_vintage("2024") if u.level == "commune"}
    new = [u for u in units.of_vintage("2025") if u.level == "commune"]
    reused = [u for u in new if u.code in old_codes]
    renamed = [u for u in reused if units.get("2024", u.code).name_vi != u.name_vi]  # type: ignore[union-attr]
    assert (len(reused), len(renamed)) == (3315, 1842)
