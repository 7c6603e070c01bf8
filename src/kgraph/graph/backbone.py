"""The national backbone: every unit version of both official lists and the 2025 reform.

One IRI per *unit version*, not per code (the reform reused codes for other
units): ``<base>/id/commune/2024-03356`` is xã Pom Lót as the 2024 list gives
it, ``<base>/id/commune/2025-03356`` is xã Sam Mứn of the 2025 list. This is the
model of France's historical commune register (a version is a code and the
list it belongs to) with Wikidata's short links: ``dcterms:isReplacedBy`` /
``dcterms:replaces`` where a whole unit went into a new one,
``kg:partlyReplacedBy`` / ``kg:partlyReplaces`` where it was split, and one
dated ``kg:AdministrativeChange`` per old unit (W3C ORG's change event, for
places) listing the units it came from and went into. Nothing is added that the
lists do not give: no resolution numbers, no populations, no start dates for
units the 2024 list does not date. Province changes are derived from where
their communes went (each says so in a note); districts were abolished.

The backbone is built straight into pyoxigraph terms (it is ~3·10^5 triples);
:func:`unit_triples` gives one unit's statements, which the curated graph
reuses for the places articles talk about, so both say exactly the same.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgraph import resources
from kgraph.curate import units as units_module
from kgraph.curate.units import (
    LEVELS,
    MAPPING,
    MAPPING_SOURCES,
    PARENT_LEVEL,
    REFORM_DATE,
    VINTAGES,
    AdminUnits,
    UnitVersion,
)
from kgraph.curate.vn import fold
from kgraph.graph.kinds import PLACE_CLASSES
from kgraph.graph.namespaces import (
    DCAT,
    DCTERMS,
    KG,
    LICENSE_MIT,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    Iris,
)

#: unit level -> its classes (the curated places of these kinds have the same)
LEVEL_CLASSES = {level: PLACE_CLASSES[level] for level in LEVELS}
#: vintage -> the ontology's individual for it
VINTAGE_TERMS = {"2024": KG.vintage2024, "2025": KG.vintage2025}
DATATYPES = {"2024": KG.gso2024, "2025": KG.gso2025}


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


_TYPE, _LABEL, _KEY = _n(RDF.type), _n(RDFS.label), _n(KG.searchKey)
_DATE = _n(XSD.date)


def _vi(text: str) -> ox.Literal:
    return ox.Literal(text, language="vi")


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _day(day: object) -> ox.Literal:
    return ox.Literal(str(day), datatype=_DATE)


@dataclass(frozen=True)
class BackboneIris:
    """The backbone's IRIs under one base."""

    iris: Iris

    def unit(self, unit: UnitVersion) -> ox.NamedNode:
        return _n(self.iris.unit(unit.level, unit.vintage, unit.code))

    def unit_list(self, vintage: str) -> ox.NamedNode:
        return _n(self.iris.id("dataset", f"gso-units-{vintage}"))

    @property
    def mapping(self) -> ox.NamedNode:
        return _n(self.iris.id("dataset", "gso-reform-2025"))

    def change(self, unit: UnitVersion) -> ox.NamedNode:
        return _n(self.iris.id("change", f"{unit.level}-{unit.vintage}-{unit.code}"))


def _labels(node: ox.NamedNode, vi: str, en: str, *, keys: bool = True) -> Iterator[ox.Triple]:
    yield ox.Triple(node, _LABEL, _vi(vi))
    yield ox.Triple(node, _LABEL, _en(en))
    if not keys:
        return
    yield ox.Triple(node, _KEY, ox.Literal(fold(vi)))
    if fold(en) != fold(vi):
        yield ox.Triple(node, _KEY, ox.Literal(fold(en)))


def unit_triples(unit: UnitVersion, iris: Iris) -> list[ox.Triple]:
    """What the official list says of one unit version (the same in backbone and curated graph)."""
    names = BackboneIris(iris)
    node = names.unit(unit)
    out = [ox.Triple(node, _TYPE, _n(cls)) for cls in LEVEL_CLASSES[unit.level]]
    out.append(ox.Triple(node, _n(SDO.name), _vi(unit.name_vi)))
    out.extend(_labels(node, unit.name_vi, unit.name_en))
    out.append(ox.Triple(node, _n(SKOS.altLabel), _vi(unit.full_name)))
    out.append(ox.Triple(node, _KEY, ox.Literal(fold(unit.full_name))))
    out.append(ox.Triple(node, _KEY, ox.Literal(unit.code)))  # found by its code too
    out.append(
        ox.Triple(
            node, _n(SKOS.notation), ox.Literal(unit.code, datatype=_n(DATATYPES[unit.vintage]))
        )
    )
    out.append(
        ox.Triple(node, _n(DCTERMS.identifier), ox.Literal(f"vn-{unit.vintage}:{unit.code}"))
    )
    out.append(ox.Triple(node, _n(KG.adminType), _vi(unit.type_vi)))
    parent_level = PARENT_LEVEL[unit.vintage][unit.level]
    if unit.parent_code is not None and parent_level is not None:
        parent = iris.unit(parent_level, unit.vintage, unit.parent_code)
        out.append(ox.Triple(node, _n(KG.partOf), _n(parent)))
    vintage = VINTAGES[unit.vintage]
    out.append(ox.Triple(node, _n(KG.vintage), _n(VINTAGE_TERMS[unit.vintage])))
    if vintage.valid_from is not None:
        out.append(ox.Triple(node, _n(SDO.validFrom), _day(vintage.valid_from)))
    if vintage.valid_through is not None:
        out.append(ox.Triple(node, _n(SDO.validThrough), _day(vintage.valid_through)))
    out.append(ox.Triple(node, _n(PROV.wasDerivedFrom), names.unit_list(unit.vintage)))
    return out


def list_triples(vintage: str, iris: Iris) -> list[ox.Triple]:
    """The description of one official list: a licensed dataset from its repository."""
    v = VINTAGES[vintage]
    return _dataset(BackboneIris(iris).unit_list(vintage), v.title_vi, v.title_en, [v.source])


def mapping_triples(iris: Iris) -> list[ox.Triple]:
    """The description of the reform mapping, compiled from two sources."""
    return _dataset(
        BackboneIris(iris).mapping,
        "Bảng chuyển đổi đơn vị hành chính cấp xã (1/7/2025)",
        "Mapping of commune-level units across the 1 July 2025 reform",
        [repo for repo, _ in MAPPING_SOURCES],
    )


def _dataset(node: ox.NamedNode, vi: str, en: str, sources: list[str]) -> list[ox.Triple]:
    out = [
        ox.Triple(node, _TYPE, _n(DCAT.Dataset)),
        ox.Triple(node, _TYPE, _n(PROV.Entity)),
        *_labels(node, vi, en),
        ox.Triple(node, _n(DCTERMS.license), _n(LICENSE_MIT)),
    ]
    out.extend(ox.Triple(node, _n(DCTERMS.source), ox.NamedNode(s)) for s in sources)
    return out


def vintage_triples(vintage: str, iris: Iris) -> list[ox.Triple]:
    """The vintage individual's link to its list (its labels and dates are in the ontology)."""
    node = _n(VINTAGE_TERMS[vintage])
    return [ox.Triple(node, _n(PROV.wasDerivedFrom), BackboneIris(iris).unit_list(vintage))]


def backbone_triples(units: AdminUnits, iris: Iris) -> Iterator[ox.Triple]:
    """Every unit version of both lists, the lists themselves, and the reform's changes."""
    for vintage in VINTAGES:
        yield from list_triples(vintage, iris)
        yield from vintage_triples(vintage, iris)
    yield from mapping_triples(iris)
    for unit in units.units.values():
        yield from unit_triples(unit, iris)
    yield from _reform(units, iris)


_ORIGINAL, _RESULTING = _n(KG.originalUnit), _n(KG.resultingUnit)
_KIND = _n(KG.changeKind)
#: change kind -> (its term, the verb in the change's Vietnamese and English labels)
_KINDS = {
    "continuation": (KG.continuation, "tiếp tục", "continued"),
    "merger": (KG.merger, "sáp nhập", "merged"),
    "split": (KG.split, "chia tách", "split"),
    "abolition": (KG.abolition, "bãi bỏ", "abolished"),
}
_PROVINCE_NOTE = (
    "Derived from the commune mapping: the 2025 province(s) this province's communes went into."
)
_DISTRICT_NOTE = (
    "The 2025 list has no district level: districts ended on 30 June 2025; "
    "their communes' changes say where each went."
)


@dataclass(frozen=True)
class _Pair:
    new: tuple[str, str]
    relation: str
    note: str | None = None


def reform_pairs(units: AdminUnits) -> dict[tuple[str, str], list[_Pair]]:
    """Every 2024 unit -> where it went: the mapping's rows, and provinces derived from them."""
    pairs: dict[tuple[str, str], list[_Pair]] = {u.key: [] for u in units.of_vintage("2024")}
    provinces: dict[str, set[str]] = {}
    for t in units.transfers:
        note = None
        if t.asserted_by != "both":
            note = f"only one compilation ({t.asserted_by}) gives it: {t.note or 'no note'}"
        pairs[t.old].append(_Pair(t.new, t.relation, note))
        old = units.units[t.old]
        province = old if old.level == "province" else units.ancestors(old)[-1]
        provinces.setdefault(province.code, set()).add(units.units[t.new].parent_code or "")
    for code, targets in provinces.items():
        relation = "part" if len(targets) > 1 else "whole"
        pairs[("2024", code)] = [_Pair(("2025", t), relation) for t in sorted(targets)]
    return pairs


def _kind(pairs: list[_Pair], predecessors: dict[tuple[str, str], int]) -> str:
    if not pairs:
        return "abolition"
    if len(pairs) > 1 or pairs[0].relation == "part":
        return "split"
    return "merger" if predecessors[pairs[0].new] > 1 else "continuation"


def _reform(units: AdminUnits, iris: Iris) -> Iterator[ox.Triple]:
    """One dated change per 2024 unit, and short links per (old, new) pair."""
    names = BackboneIris(iris)
    pairs = reform_pairs(units)
    predecessors: dict[tuple[str, str], int] = {}
    for went in pairs.values():
        for pair in went:
            predecessors[pair.new] = predecessors.get(pair.new, 0) + 1
    for old in units.of_vintage("2024"):
        event, old_node = names.change(old), names.unit(old)
        kind = _kind(pairs[old.key], predecessors)
        term, verb_vi, verb_en = _KINDS[kind]
        yield ox.Triple(event, _TYPE, _n(KG.AdministrativeChange))
        yield ox.Triple(event, _TYPE, _n(PROV.Activity))
        yield ox.Triple(event, _n(DCTERMS.date), _day(REFORM_DATE))
        yield ox.Triple(event, _KIND, _n(term))
        yield ox.Triple(event, _ORIGINAL, old_node)
        yield ox.Triple(old_node, _n(KG.changedBy), event)
        source = names.unit_list("2025") if kind == "abolition" else names.mapping
        yield ox.Triple(event, _n(PROV.wasDerivedFrom), source)
        if old.level == "province":
            yield ox.Triple(event, _n(SKOS.note), _en(_PROVINCE_NOTE))
        elif kind == "abolition":
            yield ox.Triple(event, _n(SKOS.note), _en(_DISTRICT_NOTE))
        for pair in pairs[old.key]:
            new_node = names.unit(units.units[pair.new])
            yield ox.Triple(event, _RESULTING, new_node)
            forward, back = (
                (KG.partlyReplacedBy, KG.partlyReplaces)
                if pair.relation == "part"
                else (DCTERMS.isReplacedBy, DCTERMS.replaces)
            )
            yield ox.Triple(old_node, _n(forward), new_node)
            yield ox.Triple(new_node, _n(back), old_node)
            if pair.note:
                target = units.units[pair.new].name_en
                yield ox.Triple(event, _n(SKOS.note), _en(f"The pair with {target}: {pair.note}."))
        yield from _labels(
            event,
            f"{old.full_name} ({verb_vi}, {REFORM_DATE:%d/%m/%Y})",
            f"{old.name_en} ({verb_en}, {REFORM_DATE.isoformat()})",
            keys=False,
        )


def to_quads(
    triples: Iterable[ox.Triple], graph: ox.NamedNode | ox.DefaultGraph
) -> Iterator[ox.Quad]:
    """The triples as quads of one graph."""
    for t in triples:
        yield ox.Quad(t.subject, t.predicate, t.object, graph)


__all__ = [
    "DATATYPES",
    "LEVEL_CLASSES",
    "VINTAGE_TERMS",
    "BackboneIris",
    "backbone_key",
    "backbone_store",
    "backbone_triples",
    "list_triples",
    "mapping_triples",
    "prune_backbone_cache",
    "reform_pairs",
    "to_quads",
    "unit_triples",
    "vintage_triples",
]


# -- the backbone store, built once per input --------------------------------------------------

#: the files whose bytes decide the backbone (with the base and these modules' code)
_INPUTS = (*(v.path for v in VINTAGES.values()), MAPPING)


def backbone_key(data_dir: Path, iris: Iris) -> str:
    """A digest of everything the backbone is made from: the lists, the base and this code."""
    digest = hashlib.sha256()
    for name in _INPUTS:
        digest.update((Path(data_dir) / name).read_bytes())
    for module in (__file__, units_module.__file__):
        digest.update(Path(module).read_bytes())
    digest.update(iris.base.encode())
    return digest.hexdigest()[:24]


def backbone_store(data_dir: Path, units: AdminUnits, iris: Iris) -> Path:
    """A store folder holding the backbone in the default graph and in its named graph.

    Built once per input (:func:`backbone_key`) under :func:`kgraph.resources.cache_dir`
    and reused: ``kgraph build`` copies it and adds the curated graph, so an
    unchanged backbone costs a file copy instead of ~10 s of building and
    loading. Where the cache cannot be written, it is built in a scratch folder.
    """
    key = backbone_key(data_dir, iris)
    root = resources.cache_dir()
    target = root / f"backbone-{key}.oxigraph"
    if (target / "data").is_dir() and (target / "ready").is_file():
        return target
    try:
        root.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=root))
    except OSError:
        scratch = Path(tempfile.mkdtemp(prefix="kgraph-backbone."))
        target = scratch
    triples = list(backbone_triples(units, iris))
    store = ox.Store(str(scratch / "data"))
    name = ox.NamedNode(str(iris.graph("backbone")))
    store.bulk_extend(to_quads(triples, name))
    store.bulk_extend(to_quads(triples, ox.DefaultGraph()))
    store.flush()
    del store
    (scratch / "ready").write_text(f"{len(set(triples))}\n", encoding="utf-8")
    if scratch != target:
        try:
            os.replace(scratch, target)
        except OSError:  # another build got there first: use its copy
            shutil.rmtree(scratch, ignore_errors=True)
        prune_backbone_cache(root, keep=target)
    return target


#: cached backbones older than this are removed once a newer one is built
CACHE_MAX_AGE_S = 7 * 24 * 3600


def prune_backbone_cache(root: Path, keep: Path, *, now: float | None = None) -> list[Path]:
    """Remove backbones of older inputs (and abandoned scratch folders) from the cache.

    Each change to the lists or to this code leaves a ~90 MB store behind. A
    store is removed only when it is older than :data:`CACHE_MAX_AGE_S`, so a
    build that another checkout started on it recently is never pulled out
    from under it. Returns what was removed.
    """
    now = time.time() if now is None else now
    removed = []
    for entry in sorted(root.glob("*backbone-*.oxigraph*")):
        if entry == keep or not entry.is_dir():
            continue
        try:
            age = now - entry.stat().st_mtime
        except OSError:
            continue
        if age > CACHE_MAX_AGE_S:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
