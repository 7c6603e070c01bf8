"""The national overview: one list's provinces with their counts, expanding on click.

14,000 unit versions cannot be drawn at once and stay readable, so the page
first draws only the provinces of one list (sized and labelled by how many
districts and communes they hold), and carries the whole hierarchy as JSON:
clicking a province adds its districts (2024) or communes (2025) to the
drawing, clicking a district adds its communes, clicking again removes them
(``templates/national.js``). Nothing is fetched.

The hierarchy is read from the store ``kgraph build`` writes with one pass per
predicate over the backbone (``kg:vintage``, ``kg:partOf``, labels, codes,
types), not a query per unit: a few ``quads_for_pattern`` scans take well
under a second, where a CONSTRUCT over the backbone took many.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kgraph import resources
from kgraph.errors import ViewError
from kgraph.graph.engine import GraphStore
from kgraph.graph.namespaces import KG, RDF, RDFS, SKOS
from kgraph.graph.store import write_bytes
from kgraph.views import labels
from kgraph.views.html import html_page, mix
from kgraph.views.kinds import EDGE_BY_KEY, NODE_BY_KEY
from kgraph.views.render import ViewResult

#: The lists a national view can draw, and the default (the one in force).
VINTAGES = ("2024", "2025")
DEFAULT_VINTAGE = "2025"
LEVELS = ("province", "district", "commune")
_CLASSES = {"province": KG.Province, "district": KG.District, "commune": KG.Commune}
_VINTAGE_TERMS = {"2024": KG.vintage2024, "2025": KG.vintage2025}

#: How counts read on a label: level -> (Vietnamese, English singular, English plural)
_COUNT_WORDS = {
    "district": ("quận/huyện", "district", "districts"),
    "commune": ("xã/phường", "commune", "communes"),
}
_TEXT = {
    "vi": {
        "code": "mã GSO",
        "type": "loại đơn vị",
        "list": "danh mục",
        "parent": "thuộc",
        "outline": "Tỉnh, thành phố (Enter: mở / đóng)",
        "hint": "Bấm vào một tỉnh để mở các đơn vị trực thuộc, bấm lần nữa để đóng lại.",
        "title": "Cả nước: đơn vị hành chính theo danh mục {v}",
        "question": "Mỗi tỉnh có bao nhiêu đơn vị, và đó là những đơn vị nào?",
    },
    "en": {
        "code": "GSO code",
        "type": "unit type",
        "list": "unit list",
        "parent": "part of",
        "outline": "Provinces (Enter: open / close)",
        "hint": "Click a province to show its units, click it again to hide them.",
        "title": "The whole country: administrative units of the {v} list",
        "question": "How many units does each province hold, and which?",
    },
}
#: Canvas units between neighbouring children placed around their parent.
CHILD_SPACING = 70.0
_GOLDEN = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class Unit:
    """One unit version of the list, as the backbone gives it."""

    iri: str
    level: str
    label_vi: str
    label_en: str
    code: str
    type_vi: str
    parent: str | None


@dataclass(frozen=True)
class NationalTree:
    """One list's units by IRI (in code order) and each unit's children."""

    vintage: str
    units: dict[str, Unit]
    children: dict[str, list[str]] = field(default_factory=dict)

    def provinces(self) -> list[Unit]:
        return [u for u in self.units.values() if u.level == "province"]

    def counts(self, iri: str) -> dict[str, int]:
        """How many units of each level lie under ``iri`` (at any depth)."""
        out: dict[str, int] = defaultdict(int)
        stack = list(self.children.get(iri, ()))
        while stack:
            unit = self.units[stack.pop()]
            out[unit.level] += 1
            stack.extend(self.children.get(unit.iri, ()))
        return dict(out)


def _scan(
    store: ox.Store, predicate: object, obj: ox.NamedNode | None = None
) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
    out = []
    for q in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), obj, ox.DefaultGraph()):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode | ox.Literal):
            out.append((q.subject.value, q.object))
    return out


def national_tree(store: GraphStore, vintage: str = DEFAULT_VINTAGE) -> NationalTree:
    """The units of list ``vintage`` and their partOf hierarchy, from the backbone in ``store``.

    Raises :class:`ViewError` for an unknown list, or a store with no unit of it
    (a Turtle file rather than the store `kgraph build` writes).
    """
    if vintage not in VINTAGES:
        raise ViewError(f"unknown --vintage {vintage!r} (choose from {', '.join(VINTAGES)})")
    s = store.store
    members = {u for u, _ in _scan(s, KG.vintage, ox.NamedNode(str(_VINTAGE_TERMS[vintage])))}
    level = {
        u: name
        for name, cls in _CLASSES.items()
        for u, _ in _scan(s, RDF.type, ox.NamedNode(str(cls)))
        if u in members
    }
    if not level:
        raise ViewError(
            f"no unit of the {vintage} list in the store: the national view reads the backbone "
            "from the store `kgraph build` writes (give it with --input)"
        )
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for pred, slot in ((KG.partOf, "parent"), (SKOS.notation, "code"), (KG.adminType, "type")):
        for u, o in _scan(s, pred):
            if u in level:
                found[u][slot] = min(found[u].get(slot, o.value), o.value)
    for u, o in _scan(s, RDFS.label):
        if u in level and isinstance(o, ox.Literal) and o.language in ("vi", "en"):
            slot = "label_" + o.language
            found[u][slot] = min(found[u].get(slot, o.value), o.value)
    units: dict[str, Unit] = {}
    for iri in sorted(level, key=lambda u: (LEVELS.index(level[u]), found[u].get("code", ""), u)):
        f = found[iri]
        parent = f.get("parent")
        units[iri] = Unit(
            iri,
            level[iri],
            f.get("label_vi", ""),
            f.get("label_en", f.get("label_vi", "")),
            f.get("code", ""),
            f.get("type", ""),
            parent if parent in level else None,
        )
    children: dict[str, list[str]] = defaultdict(list)
    for unit in units.values():
        if unit.parent is not None:
            children[unit.parent].append(unit.iri)
    return NationalTree(vintage, units, dict(children))


def count_text(counts: dict[str, int], lang: str) -> str:
    """``45 xã/phường``, ``10 quận/huyện, 129 xã/phường``, ``1 district, 9 communes``.

    >>> count_text({"district": 1, "commune": 9}, "en")
    '1 district, 9 communes'
    """
    parts = []
    for level in ("district", "commune"):
        if n := counts.get(level, 0):
            vi, one, many = _COUNT_WORDS[level]
            parts.append(f"{n} {vi if lang == 'vi' else (one if n == 1 else many)}")
    return ", ".join(parts)


def _label(unit: Unit, lang: str) -> str:
    return unit.label_vi if lang == "vi" else unit.label_en


def _kind_labels(store: GraphStore, lang: str) -> dict[str, str]:
    """Each level's name from the ontology in the store (its key where the store has none)."""
    out = {}
    for level, cls in _CLASSES.items():
        texts = [
            q.object.value
            for q in store.store.quads_for_pattern(
                ox.NamedNode(str(cls)), ox.NamedNode(str(RDFS.label)), None, ox.DefaultGraph()
            )
            if isinstance(q.object, ox.Literal) and q.object.language == lang
        ]
        out[level] = min(texts) if texts else level
    return out


def _id_prefix(tree: NationalTree) -> str:
    """``<base>/id/``: every unit's IRI is this, its level and its vintage-code key."""
    first = next(iter(tree.units.values()))
    prefix = first.iri.rsplit("/", 2)[0] + "/"
    for unit in tree.units.values():
        if not unit.iri.startswith(f"{prefix}{unit.level}/"):
            raise ViewError(f"unit {unit.iri} is not under {prefix}{unit.level}/")
    return prefix


def _payload(
    tree: NationalTree, lang: str, kinds: dict[str, str], edge_label: str
) -> dict[str, Any]:
    """The whole hierarchy for the page: one row per unit, children found through ``parent``."""
    prefix = _id_prefix(tree)
    index = {iri: i for i, iri in enumerate(tree.units)}
    text = _TEXT[lang]
    styles = {}
    for level in LEVELS:
        kind = NODE_BY_KEY[level]
        styles[level] = {
            "shape": kind.shape,
            "color": _colour(kind.color),
            "label": kinds[level],
        }
    rows = []
    for unit in tree.units.values():
        counts = tree.counts(unit.iri) if unit.level != "commune" else {}
        rows.append(
            [
                unit.iri[len(prefix) :],
                unit.label_vi,
                unit.label_en,
                unit.code,
                unit.type_vi,
                index[unit.parent] if unit.parent is not None else -1,
                count_text(counts, lang),
            ]
        )
    return {
        "vintage": tree.vintage,
        "prefix": prefix,
        "columns": ["key", "label_vi", "label_en", "code", "type", "parent", "counts"],
        "units": rows,
        "lang": lang,
        "styles": styles,
        "facts": [text["code"], text["type"], text["list"], text["parent"]],
        "outline": text["outline"],
        "spacing": CHILD_SPACING,
        "edge": {"color": EDGE_BY_KEY["part-of"].color, "label": edge_label},
        "font": labels.FONT_LEAF,
    }


def _colour(colour: str) -> dict[str, Any]:
    border = mix(colour, "#000000", 0.35)
    return {
        "background": colour,
        "border": border,
        "highlight": {"background": colour, "border": "#000000"},
        "hover": {"background": colour, "border": "#000000"},
    }


def _reach(tree: NationalTree, iri: str, memo: dict[str, float]) -> float:
    """How far ``iri``'s descendants reach from it when all are open (national.js's ``reach``).

    Children sit on a sunflower (golden-angle spiral) around their parent, spaced so
    each child's own children fit between them.
    """
    if iri not in memo:
        kids = tree.children.get(iri, [])
        inner = max((_reach(tree, k, memo) for k in kids), default=0.0)
        spacing = CHILD_SPACING + 2 * inner
        memo[iri] = spacing * 0.6 * math.sqrt(len(kids) + 2) + inner if kids else 0.0
    return memo[iri]


def national_network(
    store: GraphStore, vintage: str = DEFAULT_VINTAGE, lang: str = "vi"
) -> nx.MultiDiGraph:
    """The first drawing: the provinces of list ``vintage`` on a grid, the hierarchy attached.

    Provinces are in code order (the GSO numbers them roughly north to south),
    spaced so the largest one's children fit around it without reaching a
    neighbour; a province's node and label grow with its count of communes.
    """
    tree = national_tree(store, vintage)
    kinds = _kind_labels(store, lang)
    text = _TEXT[lang]
    provinces = tree.provinces()
    counts = {p.iri: tree.counts(p.iri) for p in provinces}
    most = max((c.get("commune", 0) for c in counts.values()), default=1) or 1
    totals = Counter(u.level for u in tree.units.values())
    memo: dict[str, float] = {}
    cell = 2 * max((_reach(tree, p.iri, memo) for p in provinces), default=0.0) + 260
    columns = max(1, math.ceil(math.sqrt(len(provinces))))
    g = nx.MultiDiGraph()
    for i, unit in enumerate(provinces):
        t = math.sqrt(counts[unit.iri].get("commune", 0) / most)
        name = _label(unit, lang)
        summary = count_text(counts[unit.iri], lang)
        g.add_node(
            unit.iri,
            kind="province",
            label=f"{name}\n{summary}",
            title=f"{name} — {summary}",
            kind_label=kinds["province"],
            facts=(
                (text["code"], unit.code),
                (text["type"], unit.type_vi),
                (text["list"], vintage),
            ),
            citations=(),
            key=unit.iri.rsplit("/", 1)[-1],
            search_keys=(),
            # in proportion to the grid, so the fitted grid names every province
            size=round(cell * (0.02 + 0.04 * t), 1),
            font_size=round(cell * 0.12, 1),
            x=round((i % columns) * cell, 1),
            y=round((i // columns) * cell, 1),
        )
    g.graph.update(
        view="national",
        lang=lang,
        focus=None,
        depth=None,
        title=text["title"].format(v=vintage),
        question=text["question"],
        node_kinds={level: kinds[level] for level in LEVELS if level in totals},
        edge_kinds={"part-of": text["parent"]},
        # the legend counts the whole list, not only what is drawn at first
        kind_totals={**totals, "part-of": len(tree.units) - len(provinces)},
        expand=_payload(tree, lang, kinds, text["parent"]),
        hint=text["hint"],
    )
    return g


def write_national(
    store: GraphStore,
    out: Path | None = None,
    *,
    vintage: str = DEFAULT_VINTAGE,
    lang: str = "vi",
) -> ViewResult:
    """Write the national overview of list ``vintage`` as one HTML page (default build/views/).

    Raises :class:`ViewError` (nothing written) for an unknown list or a store
    without the backbone.
    """
    g = national_network(store, vintage, lang)
    data = html_page(g, max(len(g), 1))
    path = out or resources.default_build_dir() / "views" / f"national-{vintage}.html"
    write_bytes(path, lambda: data)
    return ViewResult("national", path, g.number_of_nodes(), 0, g.graph["title"])


__all__ = [
    "DEFAULT_VINTAGE",
    "VINTAGES",
    "NationalTree",
    "Unit",
    "count_text",
    "national_network",
    "national_tree",
    "write_national",
]
