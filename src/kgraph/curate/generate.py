"""Synthetic data at any size, in the exact schema of ``data/``, to measure kgraph at scale.

``generate_data`` writes a data folder that ``kgraph build --data DIR`` reads like
the shipped one: the real 2024 unit list (provinces, districts and communes with
their GSO codes and official parents), a party organisation for each district
and commune, and one generated article per commune whose sentences state the
figures that the observation tables quote. Every generated article says in its
title that it is generated; nothing of it belongs in ``data/``.

The figures are plausible (members, cells, village cells, the poor-household
rate), drawn from a seeded generator: the same ``seed`` and size give the same
bytes. A share ``inconsistency`` of the commune-years states more village cells
than cells in all, the kind of contradiction validation reports as a warning.

Sizes: about 19 triples per observation plus a fixed part per commune; the
generator adds communes (in a seeded order over the whole country) and then
years until the estimate reaches ``triples``.

>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as tmp:
...     summary = generate_data(Path(tmp) / "data", triples=5_000, seed=1)
...     summary.communes, summary.years, summary.observations
(18, 1, 72)
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from kgraph import resources
from kgraph.curate.units import load_admin_units
from kgraph.curate.vn import fold
from kgraph.errors import InputError
from kgraph.files import atomic_folder
from kgraph.progress import SILENT, Progress

#: indicator -> how its sentence reads; {name} is the party organisation, {v} the value
_SENTENCES = {
    "party-members": "Năm {year}, {org} có {v} đảng viên.",
    "party-cells": "Cũng năm {year}, {org} có {v} chi bộ trực thuộc.",
    "party-cells-village": "Trong năm {year} có {v} chi bộ thôn, bản.",
    "poor-household-rate": "Đến cuối năm {year}, tỷ lệ hộ nghèo của xã còn {v}%.",
}
_UNITS = {"poor-household-rate": "percent"}
#: estimated triples: per observation, per commune (place, organisation, article), fixed
_PER_OBSERVATION = 19
_PER_COMMUNE = 71
_FIXED = 2_500
_FIRST_YEAR = 2000
_LAST_YEAR = 2019
_HEADERS = {
    "people.csv": "id,name,honorific,source,quote,note",
    "posts.csv": "id,person,role,organisation,as_of,start,end,source,quote,note",
    "changes.csv": "id,kind,original,resulting,date,source,quote,note",
    "terms.csv": "id,organisation,ordinal,start,end,congress,source,quote,note",
    "documents.csv": "id,kind,number,title_vi,title_en,issued,issuer,source,quote,note",
    "mentions.csv": "entity,source,quote,note",
}


@dataclass(frozen=True)
class GeneratedData:
    """What was written: the folder and how much it holds."""

    folder: Path
    communes: int
    years: int
    observations: int
    inconsistent: int
    estimated_triples: int

    def render(self) -> str:
        """One line for the CLI."""
        return (
            f"generated {self.folder}: {self.communes} communes x {self.years} years, "
            f"{self.observations} observations ({self.inconsistent} commune-years "
            f"inconsistent), about {self.estimated_triples} triples"
        )


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str
    level: str
    parent: str
    name_en: str


def _units() -> dict[str, _Unit]:
    """The 2024 list: generated articles are about the communes before the reform."""
    units = load_admin_units(resources.data_dir()).of_vintage("2024")
    return {
        u.code: _Unit(u.code, u.name_vi, u.level, u.parent_code or "", u.name_en) for u in units
    }


def _slug(unit: _Unit) -> str:
    words = "-".join(re.findall(r"[a-z0-9]+", fold(unit.name)))
    return f"{unit.level[:1]}{unit.code}-{words}"


def _vn_number(value: int) -> str:
    """1234 -> '1.234', as the articles print counts."""
    return f"{value:,}".replace(",", ".")


def _plan(triples: int, communes_available: int) -> tuple[int, int]:
    """(communes, years) whose estimated size reaches ``triples``."""
    budget = max(0, triples - _FIXED)
    per_year = _PER_OBSERVATION * len(_SENTENCES)
    years_all = _LAST_YEAR - _FIRST_YEAR + 1
    one_year = _PER_COMMUNE + per_year
    communes = min(communes_available, max(1, -(-budget // one_year)))
    if communes < communes_available:
        return communes, 1
    years = min(years_all, max(1, -(-(budget - communes * _PER_COMMUNE) // (communes * per_year))))
    return communes, years


def generate_data(
    out: Path,
    *,
    triples: int = 100_000,
    seed: int = 0,
    inconsistency: float = 0.02,
    progress: Progress = SILENT,
) -> GeneratedData:
    """Write a data folder of about ``triples`` triples into ``out`` (which must not exist).

    The folder is filled beside ``out`` and renamed into place when complete,
    so an interrupted run leaves no half-written data folder to build from.
    """
    if out.exists():
        raise InputError("the output folder exists already; choose a new one", path=out)
    if not 0 <= inconsistency <= 1:
        raise InputError(f"inconsistency must be between 0 and 1, not {inconsistency}")
    with atomic_folder(out) as scratch:
        made = _fill(scratch, triples, seed, inconsistency, progress)
    return GeneratedData(out, *made)


def _fill(
    out: Path, triples: int, seed: int, inconsistency: float, progress: Progress
) -> tuple[int, int, int, int, int]:
    """Write the folder's files into ``out``.

    Returns (communes, years, observations, inconsistent, estimated triples).
    """
    units = _units()
    communes_all = [u for u in units.values() if u.level == "commune"]
    rng = random.Random(seed)
    order = sorted(communes_all, key=lambda u: u.code)
    rng.shuffle(order)
    n_communes, n_years = _plan(triples, len(order))
    chosen = sorted(order[:n_communes], key=lambda u: u.code)
    years = list(range(_LAST_YEAR - n_years + 1, _LAST_YEAR + 1))
    shipped = resources.data_dir()
    curated = out / "curated"
    (curated / "observations").mkdir(parents=True)
    (out / "sources").mkdir()
    shutil.copytree(shipped / "admin-units", out / "admin-units")
    for name in ("codes.csv", "unit-conversions.csv", "indicators.csv"):
        shutil.copyfile(shipped / "curated" / name, curated / name)
    for name, header in _HEADERS.items():
        (curated / name).write_text(header + "\n", encoding="utf-8")

    places: dict[str, list[str]] = {}
    organisations: dict[str, list[str]] = {}
    sources: list[list[str]] = []
    observations = inconsistent = 0
    with progress.task("generating articles", total=len(chosen)) as advance:
        for number, commune in enumerate(chosen, start=1):
            district = units[commune.parent]
            province = units[district.parent]
            for unit in (province, district, commune):
                parent = _slug(units[unit.parent]) if unit.parent else ""
                places.setdefault(
                    _slug(unit),
                    [
                        _slug(unit),
                        unit.level,
                        unit.name,
                        unit.name_en,
                        parent,
                        unit.code,
                        "2024",
                        "",
                        "",
                        "",
                    ],
                )
            org_name = f"Đảng bộ xã {commune.name}"
            district_org = f"dang-bo-{_slug(district)}"
            belongs = f"{org_name} trực thuộc Đảng bộ huyện {district.name}."
            lines = [
                f"{org_name}: số liệu qua các năm (bài viết sinh tự động để đo hiệu năng)",
                "",
                belongs,
            ]
            rows: list[list[str]] = []
            for year in years:
                members = rng.randint(40, 900)
                cells = rng.randint(4, max(5, members // 12))
                broken = rng.random() < inconsistency
                village = cells + rng.randint(1, 5) if broken else rng.randint(1, cells)
                inconsistent += broken
                rate_tenths = rng.randint(5, 650)
                rate = f"{rate_tenths // 10},{rate_tenths % 10}"
                values = {
                    "party-members": _vn_number(members),
                    "party-cells": _vn_number(cells),
                    "party-cells-village": _vn_number(village),
                    "poor-household-rate": rate,
                }
                for indicator, template in _SENTENCES.items():
                    sentence = template.format(year=year, org=org_name, v=values[indicator])
                    lines.append(sentence)
                    rows.append(
                        [
                            f"{number:05d}-{len(rows) + 1:02d}",
                            f"dang-bo-{_slug(commune)}",
                            indicator,
                            str(year),
                            values[indicator],
                            "",
                            "",
                            "exact",
                            _UNITS.get(indicator, "number"),
                            sentence,
                            "",
                        ]
                    )
            text = "\n".join(lines) + "\n"
            data = text.encode("utf-8")
            source_id = f"{number:05d}_{hashlib.sha256(data).hexdigest()[:16]}"
            (out / "sources" / f"{source_id}.txt").write_bytes(data)
            sources.append(
                [
                    source_id,
                    f"{source_id}.txt",
                    lines[0],
                    f"Generated figures for {commune.name}",
                    "",
                    "",
                    f"01/06/{_LAST_YEAR + 1} 08:00:00 AM",
                    "",
                    "vi",
                    "generated for benchmarks",
                ]
            )
            organisations.setdefault(
                district_org,
                [
                    district_org,
                    "district-party-organisation",
                    f"Đảng bộ huyện {district.name}",
                    f"{district.name} District Party Organisation",
                    "",
                    _slug(district),
                    "",
                    source_id,
                    belongs,
                    "",
                ],
            )
            organisations[f"dang-bo-{_slug(commune)}"] = [
                f"dang-bo-{_slug(commune)}",
                "grassroots-party-committee",
                org_name,
                f"{commune.name} Commune Party Organisation",
                district_org,
                _slug(commune),
                "",
                source_id,
                org_name,
                "",
            ]
            _write_csv(
                curated / "observations" / f"{source_id}.csv",
                "id,subject,indicator,period,value,value_max,denominator,qualifier,unit,quote,note",
                rows,
            )
            observations += len(rows)
            advance(1)
    _write_csv(
        out / "sources.csv",
        "id,file,title,title_en,publisher,author,published,url,language,note",
        sources,
    )
    _write_csv(
        curated / "places.csv",
        "id,kind,name_vi,name_en,parent,gso_code,vintage,source,quote,note",
        list(places.values()),
    )
    _write_csv(
        curated / "organisations.csv",
        "id,kind,name_vi,name_en,parent,leads,cell_kind,source,quote,note",
        list(organisations.values()),
    )
    estimate = _FIXED + len(chosen) * _PER_COMMUNE + observations * _PER_OBSERVATION
    return len(chosen), len(years), observations, inconsistent, estimate


def _write_csv(path: Path, header: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


__all__ = ["GeneratedData", "generate_data"]
