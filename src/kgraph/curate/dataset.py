"""Stage 1: load the curated tables and check them against each other and the sources.

``load_dataset`` is the stage's one public function. It returns a
:class:`Dataset` only when every id is unique, every reference resolves, every
quote is found in its article, every value is written in its quote, and every
official code agrees with the GSO list; otherwise it raises an InputError that
names the file, row and column.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kgraph.curate.encoding import read_text
from kgraph.curate.quotes import locate, nearest
from kgraph.curate.tables import Row, load_tables
from kgraph.curate.units import VINTAGES, AdminUnits, load_admin_units
from kgraph.curate.vn import parse_period
from kgraph.errors import InputError

#: Tables whose ids share one namespace (a reference never needs a table name).
ENTITY_TABLES = (
    "sources",
    "indicators",
    "places",
    "organisations",
    "people",
    "posts",
    "terms",
    "changes",
    "documents",
    "observations",
)
ADMIN_KINDS = {"province": "province", "district": "district", "commune": "commune"}


@dataclass(frozen=True)
class Dataset:
    """The checked curated data: rows by table, entities by id, codes by scheme, source texts."""

    data_dir: Path
    tables: Mapping[str, list[Row]]
    entities: Mapping[str, Row]
    codes: Mapping[str, Mapping[str, Row]]
    texts: Mapping[str, str]
    #: both official unit lists and the 2025 reform
    admin_units: AdminUnits

    def table(self, name: str) -> list[Row]:
        return list(self.tables[name])

    def kind_of(self, entity_id: str) -> str:
        """The table an entity id belongs to."""
        return self.entities[entity_id].table


# (table, column, target tables or "codes:<scheme>")
REFERENCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("sources", "publisher", ("organisations",)),
    ("sources", "author", ("people",)),
    ("indicators", "category", ("codes:category",)),
    ("indicators", "unit", ("codes:unit",)),
    ("unit-conversions", "unit", ("codes:unit",)),
    ("unit-conversions", "canonical", ("codes:unit",)),
    ("indicators", "component_of", ("indicators",)),
    ("indicators", "rate_of", ("indicators",)),
    ("indicators", "partition", ("codes:partition",)),
    ("places", "parent", ("places",)),
    ("places", "source", ("sources",)),
    ("organisations", "parent", ("organisations",)),
    ("organisations", "leads", ("places",)),
    ("organisations", "cell_kind", ("codes:cell-kind",)),
    ("organisations", "source", ("sources",)),
    ("people", "source", ("sources",)),
    ("posts", "person", ("people",)),
    ("posts", "role", ("codes:role",)),
    ("posts", "organisation", ("organisations",)),
    ("posts", "source", ("sources",)),
    ("terms", "organisation", ("organisations",)),
    ("terms", "source", ("sources",)),
    ("changes", "original", ("places", "organisations")),
    ("changes", "resulting", ("places", "organisations")),
    ("changes", "source", ("sources",)),
    ("documents", "issuer", ("organisations",)),
    ("documents", "source", ("sources",)),
    ("mentions", "entity", ENTITY_TABLES),
    ("mentions", "source", ("sources",)),
    ("observations", "subject", ("places", "organisations")),
    ("observations", "indicator", ("indicators",)),
    ("observations", "qualifier", ("codes:qualifier",)),
    ("observations", "unit", ("codes:unit",)),
)


def load_dataset(data_dir: Path) -> Dataset:
    """Load and check everything under ``data_dir``; raise InputError on the first problem."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError("data folder not found", path=data_dir)
    tables = load_tables(data_dir)
    _check_source_numbers(tables["sources"])
    entities = _index_entities(tables)
    codes = _index_codes(tables["codes"])
    for table, column, targets in REFERENCES:
        for row in tables[table]:
            _check_reference(row, column, targets, entities, codes)
    texts = _load_texts(data_dir, tables["sources"])
    _check_observation_files(tables["observations"], entities)
    for table in (
        "places",
        "organisations",
        "people",
        "posts",
        "terms",
        "changes",
        "documents",
        "mentions",
    ):
        for row in tables[table]:
            _check_quote(row, row["source"], texts)
    for row in tables["observations"]:
        _check_quote(row, _source_of(row), texts)
        _check_observation(row)
    for row in tables["sources"]:
        if row["title"] is not None and locate(row["title"], texts[row["id"]]) is None:
            raise row.error(
                "title not found in the article's text (copy it as printed, "
                "or leave it empty when the text prints none)",
                "title",
            )
    for row in tables["terms"]:
        _check_term(row)
    for row in tables["posts"]:
        _check_post_dates(row, entities)
    for row in tables["changes"]:
        _check_change(row, entities)
    _check_conversions(tables["unit-conversions"], codes["unit"])
    _check_acyclic(tables["places"], "parent")
    _check_acyclic(tables["organisations"], "parent")
    admin = load_admin_units(data_dir)
    _check_official_codes(tables["places"], entities, admin)
    return Dataset(data_dir, tables, entities, codes, texts, admin)


def load_changed(data_dir: Path, changes: Mapping[Path, str | bytes]) -> Dataset:
    """``load_dataset`` on a copy of ``data_dir`` with ``changes`` (real path -> new content).

    How a command checks what it is about to write, as ``kgraph build`` would,
    before anything is written. An error names the real file it concerns (the
    row and column are the copy's, which are the changed file's).
    """
    data_dir = Path(data_dir)
    with tempfile.TemporaryDirectory(prefix="kgraph-check.") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns("admin-units"))
        try:  # the official lists are large and never changed here: link, not copy
            (copy / "admin-units").symlink_to((data_dir / "admin-units").resolve())
        except OSError:  # pragma: no cover - file systems without symlinks
            shutil.copytree(data_dir / "admin-units", copy / "admin-units")
        for path, content in changes.items():
            target = copy / Path(path).relative_to(data_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        try:
            return load_dataset(copy)
        except InputError as exc:
            real = exc.path
            if real is not None and real.is_relative_to(copy):
                real = data_dir / real.relative_to(copy)
            raise InputError(exc.detail, path=real, row=exc.row, column=exc.column) from None


def _index_entities(tables: Mapping[str, list[Row]]) -> dict[str, Row]:
    seen: dict[str, Row] = {}
    for table in ENTITY_TABLES:
        for row in tables[table]:
            key = row["id"]
            if key in seen:
                first = seen[key]
                raise row.error(
                    f"duplicate id {key!r} (first used in {first.path.name} row {first.line})", "id"
                )
            seen[key] = row
    return seen


def _check_conversions(rows: list[Row], units: Mapping[str, Row]) -> None:
    """Every unit has one conversion, to a canonical unit of its dimension that is its own."""
    by_unit: dict[str, Row] = {}
    for row in rows:
        if row["unit"] in by_unit:
            raise row.error(f"a second conversion of unit {row['unit']!r}", "unit")
        by_unit[row["unit"]] = row
    for row in rows:
        canonical = by_unit.get(row["canonical"])
        if canonical is None:
            raise row.error(
                f"canonical unit {row['canonical']!r} has no row of its own", "canonical"
            )
        if canonical["canonical"] != canonical["unit"] or canonical["factor"] != 1:
            raise row.error(
                f"canonical unit {row['canonical']!r} must convert to itself with factor 1",
                "canonical",
            )
        if canonical["dimension"] != row["dimension"]:
            raise row.error(
                f"dimension {row['dimension']!r} differs from its canonical unit's "
                f"({canonical['dimension']!r})",
                "dimension",
            )
    missing = sorted(set(units) - set(by_unit))
    if missing:
        first = units[missing[0]]
        raise first.error(
            f"unit {missing[0]!r} has no row in curated/unit-conversions.csv "
            "(its dimension, canonical unit and factor)",
            "id",
        )


def _index_codes(rows: Iterable[Row]) -> dict[str, dict[str, Row]]:
    codes: dict[str, dict[str, Row]] = {}
    for row in rows:
        scheme = codes.setdefault(row["scheme"], {})
        if row["id"] in scheme:
            raise row.error(f"duplicate id {row['id']!r} in scheme {row['scheme']!r}", "id")
        scheme[row["id"]] = row
    return codes


def _check_reference(
    row: Row,
    column: str,
    targets: tuple[str, ...],
    entities: Mapping[str, Row],
    codes: Mapping[str, Mapping[str, Row]],
) -> None:
    ref = row[column]
    if ref is None:
        return
    for target in targets:
        if target.startswith("codes:"):
            if ref in codes.get(target[6:], {}):
                return
        elif ref in entities and entities[ref].table == target:
            return
    wanted = " or ".join(t.replace("codes:", "code list ") for t in targets)
    hint = ""
    if ref in entities:
        hint = f" (it is a row of {entities[ref].table})"
    raise row.error(f"unknown reference {ref!r}: no such id in {wanted}{hint}", column)


def _load_texts(data_dir: Path, sources: Iterable[Row]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for row in sources:
        path = data_dir / "sources" / row["file"]
        if not path.is_file():
            raise row.error(f"source file data/sources/{row['file']} not found", "file")
        texts[row["id"]] = read_text(path)
    return texts


def _source_of(row: Row) -> str:
    return row.path.stem


def _check_source_numbers(rows: Iterable[Row]) -> None:
    """Source numbers are unique: observation ids are made from them."""
    seen: dict[str, str] = {}
    for row in rows:
        number = source_number(row["id"])
        if number in seen:
            raise row.error(
                f"source number {number} is already taken by {seen[number]} "
                "(kgraph source add gives the next free number)",
                "id",
            )
        seen[number] = row["id"]


def source_number(source_id: str) -> str:
    """The number part of a source id, as written (``000`` of ``000_ae26940861c8c0fd``)."""
    return source_id.partition("_")[0]


def _check_observation_files(rows: Iterable[Row], entities: Mapping[str, Row]) -> None:
    for row in rows:
        stem = _source_of(row)
        if stem not in entities or entities[stem].table != "sources":
            raise InputError(
                f"observation file must be named after a source id; no source {stem!r}",
                path=row.path,
            )
        number = source_number(stem)
        if not row["id"].startswith(f"{number}-"):
            raise row.error(
                f"observation id {row['id']!r} does not start with its source's number "
                f"({number}-01, {number}-02, …)",
                "id",
            )


def _check_quote(row: Row, source: str | None, texts: Mapping[str, str]) -> None:
    quote = row["quote"]
    if quote is None and source is None:
        return
    if quote is None or source is None:
        missing = "quote" if quote is None else "source"
        raise row.error("a quote needs its source and a source needs its quote", missing)
    text = texts[source]
    span = locate(quote, text)
    if span is None:
        passage, score = nearest(quote, text)
        raise row.error(
            f"quote not found in source {source}: {_short(quote)!r}; "
            f"nearest passage ({score}% alike): {_short(passage)!r}",
            "quote",
        )
    # The graph keeps the article's own span (its line breaks and spaces), not the retyping.
    row.settle("quote", span.exact)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _occurs_as_number(token: str, quote: str) -> bool:
    """True when ``token`` occurs in ``quote`` as a whole number, not inside a longer one.

    A numeral word counts only as a whole word used as a number: ``hai`` is not
    in ``triển khai``, ``chín`` not in ``chính trị``, ``Năm 2007`` is a year and
    ``một số`` means "some".
    """
    if any(c.isalpha() for c in token):
        pattern = (
            r"(?<!\w)" + re.escape(token) + r"(?!\w)"
            r"(?!\s+[0-9])"  # năm 2007, tháng 7: a word before a number is not a numeral
            r"(?!\s+số\b)"  # một số, hai số: "some", not a count
        )
        return re.search(pattern, quote, flags=re.IGNORECASE) is not None
    pattern = r"(?<![0-9.,])" + re.escape(token) + r"(?![0-9]|[.,][0-9])"
    return re.search(pattern, quote, flags=re.IGNORECASE) is not None


def _check_observation(row: Row) -> None:
    quote = row["quote"]
    for column in ("value", "value_max", "denominator"):
        token = row.raw[column]
        if token and not _occurs_as_number(token, quote):
            raise row.error(f"value {token!r} is not written in the quote", column)
    is_range = row["qualifier"] == "range"
    if is_range != (row["value_max"] is not None):
        raise row.error("qualifier 'range' and value_max go together", "value_max")
    if is_range and row["value_max"] < row["value"]:
        raise row.error("value_max is smaller than value", "value_max")


def _check_term(row: Row) -> None:
    start, end = row["start"], row["end"]
    if (start is None) != (end is None):
        raise row.error("give both years of a term, or neither", "end" if end is None else "start")
    if start is not None and end <= start:
        raise row.error(f"the term ends ({end}) before it starts ({start})", "end")
    if row["ordinal"] is None and start is None:
        raise row.error("a term needs its number or its years", "ordinal")


def _check_post_dates(row: Row, entities: Mapping[str, Row]) -> None:
    """A post's start comes before its end, and the date it is attested at lies between them."""
    start, end, as_of = row["start"], row["end"], row["as_of"]
    if as_of is None and start is None and end is None:
        raise row.error(
            "a post needs as_of (current: the article's date), or its start or end", "as_of"
        )
    if start is not None and end is not None and start.start > end.end:
        raise row.error(f"the post ends ({end.label}) before it starts ({start.label})", "end")
    if as_of == "current":
        published = entities[row["source"]]["published"]
        as_of = None if published is None else parse_period(str(published)[:10])
    if as_of is None:
        return
    if start is not None and as_of.end < start.start:
        raise row.error(
            f"as_of ({as_of.label}) is before the post's start ({start.label}): they contradict",
            "as_of",
        )
    if end is not None and as_of.start > end.end:
        raise row.error(
            f"as_of ({as_of.label}) is after the post's end ({end.label}): they contradict", "as_of"
        )


def _check_change(row: Row, entities: Mapping[str, Row]) -> None:
    """A change names what it ended or made, of one kind of entity (a unit or an organisation)."""
    original, resulting, kind = row["original"], row["resulting"], row["kind"]
    if kind == "establishment" and resulting is None:
        raise row.error("an establishment names the unit or organisation it made", "resulting")
    if kind == "abolition" and (original is None or resulting is not None):
        column = "original" if original is None else "resulting"
        raise row.error("an abolition names the one it ended, and nothing resulting", column)
    if original is None and resulting is None:
        raise row.error("a change names its original or its resulting entity (or both)", "original")
    for column in ("original", "resulting"):
        ref = row[column]
        if ref is None:
            continue
        target = entities[ref]
        if target.table == "places" and ADMIN_KINDS.get(target["kind"]) is None:
            raise row.error(
                f"{ref!r} is a {target['kind']}: a change of a place is one of a province, "
                "district or commune",
                column,
            )
    both = original is not None and resulting is not None
    if both and entities[original].table != entities[resulting].table:
        raise row.error(
            "original and resulting are not both places or both organisations", "resulting"
        )


def _check_acyclic(rows: list[Row], column: str) -> None:
    parent = {r["id"]: r[column] for r in rows}
    by_id = {r["id"]: r for r in rows}
    for start in parent:
        seen = {start}
        node = parent[start]
        while node is not None:
            if node in seen:
                raise by_id[start].error(f"{column} chain loops back to {node!r}", column)
            seen.add(node)
            node = parent.get(node)


def _check_official_codes(
    places: Iterable[Row], entities: Mapping[str, Row], admin: AdminUnits
) -> None:
    """A province, district or commune is one unit version: its code in its vintage's list."""
    for row in places:
        level = ADMIN_KINDS.get(row["kind"])
        code, vintage = row["gso_code"], row["vintage"]
        if level is None:
            for column in ("gso_code", "vintage"):
                if row[column] is not None:
                    raise row.error(f"a {row['kind']} has no {column}", column)
            continue
        if code is None:
            raise row.error(
                f"a {row['kind']} needs its GSO code from {VINTAGES['2024'].path} "
                f"or {VINTAGES['2025'].path}",
                "gso_code",
            )
        if vintage is None:
            raise row.error(
                "a GSO code needs its vintage (2024: the list until 30 June 2025, "
                "2025: the list from 1 July 2025; the reform reused codes)",
                "vintage",
            )
        listed = VINTAGES[vintage].path
        unit = admin.get(vintage, code)
        if unit is None:
            raise row.error(f"GSO code {code} is not in {listed}", "gso_code")
        if unit.level != level:
            raise row.error(
                f"GSO code {code} is a {unit.level} in {listed}, not a {level}", "gso_code"
            )
        if unit.name_vi != row["name_vi"]:
            raise row.error(
                f"name {row['name_vi']!r} does not match the official {unit.name_vi!r} "
                f"for code {code} in {listed}",
                "name_vi",
            )
        if unit.name_en != row["name_en"]:
            raise row.error(
                f"English name {row['name_en']!r}: a unit's English name is its name and type, "
                f"{unit.name_en!r}",
                "name_en",
            )
        parent_id = row["parent"]
        if parent_id is None:
            continue  # the official parent comes from the list
        parent = entities[parent_id]
        if parent["gso_code"] != unit.parent_code or parent["vintage"] != vintage:
            raise row.error(
                f"parent {parent_id!r} is {parent['gso_code'] or 'no unit'} "
                f"({parent['vintage'] or 'no vintage'}), but the official parent of {code} "
                f"in {listed} is {unit.parent_code or 'none'} ({vintage}); "
                "or leave parent empty to take the official one",
                "parent",
            )
