"""The RDF graph seen as networks: the one bridge from rdflib to networkx.

``project`` applies the tables of :mod:`kgraph.views.kinds` (node kinds, edge
kinds, ratios, views) to a graph. Views, analytics and the GraphML/GEXF exports
all read the networks it returns, never the curated tables, so they show what
the graph says. Derived figures (members per cell...) are computed here once
and cited with both of the observations they come from.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.curate.vn import fold
from kgraph.errors import UnknownFocus, ViewError
from kgraph.graph.namespaces import (
    KG,
    ORG,
    QB,
    RDF,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SKOS,
)
from kgraph.views import reading
from kgraph.views.kinds import (
    DEFAULT_DEPTH,
    EDGE_BY_KEY,
    EDGE_TYPES,
    LANGS,
    NODE_BY_KEY,
    NODE_TYPES,
    RATIOS,
    VIEWS,
    Citation,
    EdgeType,
    Fact,
    NodeType,
    Ratio,
    ViewSpec,
)

# -- derived figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    node: URIRef
    subject: URIRef
    period: Node | None
    value: Decimal


def _figures(graph: Graph) -> dict[str, list[_Figure]]:
    """Observations by indicator notation (targets left out: they are not results)."""
    out: dict[str, list[_Figure]] = {}
    for obs in graph.subjects(RDF.type, QB.Observation):
        qualifier = graph.value(obs, KG.qualifier)
        if str(graph.value(qualifier, SKOS.notation)) == "target":
            continue
        indicator = graph.value(obs, KG.indicator)
        subject = graph.value(obs, SDMX_DIMENSION.refArea) or graph.value(obs, KG.refOrganisation)
        value = graph.value(obs, SDMX_MEASURE.obsValue)
        if not (isinstance(obs, URIRef) and isinstance(subject, URIRef)):
            continue
        if indicator is None or not isinstance(value, Literal):
            continue
        notation = str(graph.value(indicator, SKOS.notation))
        out.setdefault(notation, []).append(
            _Figure(obs, subject, graph.value(obs, SDMX_DIMENSION.refPeriod), value.toPython())
        )
    return out


def _add_derived(g: nx.MultiDiGraph, graph: Graph, kinds: dict[URIRef, NodeType]) -> None:
    figures = _figures(graph)
    for ratio in RATIOS:
        dens = {(f.subject, f.period): f for f in figures.get(ratio.denominator, [])}
        for num in sorted(figures.get(ratio.numerator, []), key=lambda f: str(f.node)):
            den = dens.get((num.subject, num.period))
            if den is None or den.value == 0 or num.subject not in kinds:
                continue
            indicator = f"derived/{ratio.key}"
            node = f"{indicator}/{reading.local(num.subject)}/{reading.local(num.period or '')}"
            value = num.value / den.value
            g.add_node(indicator, kind="derived-indicator", ratio=ratio)
            g.add_node(
                node,
                kind="derived",
                ratio=ratio,
                value=float(value),
                indicator=indicator,
                parts=(num.node, den.node),
                subject=str(num.subject),
                period=num.period,
            )
            g.add_node(str(num.subject), kind=kinds[num.subject].key)
            g.add_edge(
                str(num.subject),
                node,
                key="derived-figure",
                kind="derived-figure",
                rdf_subject=None,
            )
            g.add_edge(
                node,
                indicator,
                key="of-derived-indicator",
                kind="of-derived-indicator",
                rdf_subject=None,
            )
            for part in (num.node, den.node):
                if str(part) in g:
                    g.add_edge(
                        node, str(part), key="computed-from", kind="computed-from", rdf_subject=None
                    )


# -- focus -------------------------------------------------------------------------------------


#: what --focus accepts, as the errors say it
_FOCUS = "an id such as dang-bo-xa-pom-lot or 2024-03356 (a unit: vintage-code), an IRI or a name"


def _resolve(g: nx.MultiDiGraph, text: str) -> str:
    """The node ``text`` names: an IRI, an id (last IRI segment) or a name, diacritics ignored."""
    wanted = text.strip()
    if wanted in g:
        return wanted
    by_id: list[str] = sorted(n for n, d in g.nodes(data=True) if d.get("key") == wanted)
    if len(by_id) == 1:
        return by_id[0]
    key = fold(wanted)
    if not key:
        raise ViewError(f"--focus is empty: give {_FOCUS}")
    exact: list[str] = sorted(n for n, d in g.nodes(data=True) if key in d.get("search_keys", ()))
    if len(exact) == 1:
        return exact[0]
    # a part of a name finds entities, not derived figures (whose keys hold every id they use)
    found = exact or sorted(
        n
        for n, d in g.nodes(data=True)
        if not str(d.get("kind", "")).startswith("derived")
        and any(key in k for k in d.get("search_keys", ()))
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnknownFocus(f"no entity matches {text!r}: give {_FOCUS}")
    shown = ", ".join(f"{g.nodes[n]['key']} ({g.nodes[n]['kind']})" for n in found[:8])
    more = f" and {len(found) - 8} more" if len(found) > 8 else ""
    raise ViewError(f"{text!r} matches {len(found)} entities: {shown}{more}; give an id")


def _neighbourhood(g: nx.MultiDiGraph, focus: str, depth: int) -> set[str]:
    """Nodes within ``depth`` steps of ``focus`` (either direction), not walking through hubs."""
    seen = {focus: 0}
    queue = deque([focus])
    while queue:
        node = queue.popleft()
        if seen[node] >= depth:
            continue
        if node != focus and not NODE_BY_KEY[g.nodes[node]["kind"]].expand:
            continue
        for nxt in list(g.successors(node)) + list(g.predecessors(node)):
            if nxt not in seen:
                seen[nxt] = seen[node] + 1
                queue.append(nxt)
    return set(seen)


# -- the bridge --------------------------------------------------------------------------------


def _structure(graph: Graph, spec: ViewSpec, kinds: dict[URIRef, NodeType]) -> nx.MultiDiGraph:
    """Nodes and edges of ``spec`` (no presentation attributes yet)."""
    allowed = set(spec.nodes) if spec.nodes else None
    edge_keys = spec.edges or tuple(e.key for e in EDGE_TYPES)
    g = nx.MultiDiGraph()
    for a, b, edge, subject in reading.edges(graph, kinds, edge_keys, allowed):
        g.add_edge(str(a), str(b), key=edge.key, kind=edge.key, rdf_subject=subject)
    core = set(g.nodes)
    for a, b, edge, subject in reading.edges(graph, kinds, spec.context, None):
        if str(a) in core or str(b) in core:
            g.add_edge(str(a), str(b), key=edge.key, kind=edge.key, rdf_subject=subject)
    for node in g.nodes:
        g.nodes[node]["kind"] = kinds[URIRef(node)].key
    if spec.comparable:
        _keep_comparable(g)
    if spec.derived:
        _add_derived(g, graph, kinds)
    return g


def _keep_comparable(g: nx.MultiDiGraph) -> None:
    """Drop figures of indicators observed on fewer than two entities, then what is left alone."""
    subjects: dict[str, set[str]] = {}
    for obs, ind, kind in g.edges(keys=True):
        if kind == "of-indicator":
            owners = {p for p in g.predecessors(obs) if g.nodes[p]["kind"] != "observation"}
            subjects.setdefault(ind, set()).update(owners)
    lonely = {i for i, owners in subjects.items() if len(owners) < 2}
    g.remove_nodes_from(
        [o for o, i, k in list(g.edges(keys=True)) if k == "of-indicator" and i in lonely]
    )
    g.remove_nodes_from(lonely)
    g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])


def _decorate(g: nx.MultiDiGraph, graph: Graph, lang: str) -> None:
    """Labels, facts and citations on every node and edge (in ``lang``)."""
    node_labels, edge_labels = reading.kind_labels(graph)
    for node, data in g.nodes(data=True):
        kind = NODE_BY_KEY[data["kind"]]
        data["kind_label"] = reading.pick_lang(node_labels[kind.key], lang)
        if kind.key in ("derived", "derived-indicator"):
            _decorate_derived(g, graph, node, data, lang)
            continue
        iri = URIRef(node)
        vi, en = (
            reading.label(graph, iri, "vi") or reading.local(iri),
            reading.label(graph, iri, "en") or reading.local(iri),
        )
        title = vi if lang == "vi" else en
        caption = title
        if kind.key == "observation":
            caption = reading.observation_caption(graph, iri, lang)
            indicator = graph.value(iri, KG.indicator)
            data["indicator"] = str(indicator)
            value = graph.value(iri, SDMX_MEASURE.obsValue)
            data["value"] = float(value.toPython()) if isinstance(value, Literal) else None
            if str(indicator) not in g:  # name the indicator when its node is not drawn
                caption = f"{reading.label(graph, indicator, lang)}: {caption}"
        elif kind.key == "post-holding":
            role, when = graph.value(iri, ORG.role), graph.value(iri, KG.asOf)
            caption = f"{reading.label(graph, role, lang)} ({reading.label(graph, when, lang)})"
        data.update(
            iri=node,
            key=reading.local(iri),
            label=reading.short(caption),
            title=title,
            label_vi=vi,
            label_en=en,
            facts=tuple(reading.facts(graph, iri, kind, lang)),
            citations=tuple(reading.citations(graph, iri, lang)),
            codes=reading.codes(graph, iri),
        )
        data["source_ids"] = reading.source_ids(data["citations"])
        keys = {str(k) for k in graph.objects(iri, KG.searchKey)}
        data["search_keys"] = tuple(sorted(keys | {fold(vi), fold(en), fold(data["key"])}))
    for a, b, key, data in g.edges(keys=True, data=True):
        edge = EDGE_BY_KEY[key]
        texts = edge_labels[key]
        data.update(label=reading.pick_lang(texts, lang), label_vi=texts[0], label_en=texts[1])
        data["predicate"] = edge.path.n3(graph.namespace_manager) if edge.path is not None else ""
        subject = data.pop("rdf_subject", None)
        other = URIRef(a if edge.reverse else b)
        if subject is None:
            data["citations"] = ()
        else:
            only = other if g.nodes[str(other)]["kind"] == "article" else None
            data["citations"] = tuple(reading.citations(graph, subject, lang, only))
        data["source_ids"] = reading.source_ids(data["citations"])


def _decorate_derived(
    g: nx.MultiDiGraph, graph: Graph, node: str, data: dict[str, Any], lang: str
) -> None:
    ratio: Ratio = data.pop("ratio")
    name = reading.pick_lang(ratio.label, lang)
    if data["kind"] == "derived-indicator":
        data.update(
            iri="",
            key=node,
            label=reading.short(name),
            title=name,
            label_vi=ratio.label[0],
            label_en=ratio.label[1],
            citations=(),
            codes={},
            facts=(
                (
                    reading.pick_lang(("định nghĩa", "definition"), lang),
                    f"{ratio.numerator} / {ratio.denominator}",
                ),
            ),
        )
    else:
        num, den = data.pop("parts")
        period = data.pop("period")
        subject = URIRef(data["subject"])
        where = reading.label(graph, subject, lang) or reading.local(subject)
        when = reading.label(graph, period, lang) if period is not None else ""
        title = f"{name} – {where} – {when}"
        parts = [graph.value(p, SDMX_MEASURE.obsValue).toPython() for p in (num, den)]
        facts = [
            (
                reading.pick_lang(("cách tính", "computed as"), lang),
                f"{reading.number(parts[0], lang)} / {reading.number(parts[1], lang)}",
            ),
            (reading.pick_lang(("thời kỳ", "period"), lang), when or ""),
        ]
        data.update(
            numerator=float(parts[0]), denominator=float(parts[1]), period_label=when, figure=name
        )
        data.update(
            iri="",
            key=node,
            label=reading.number(data["value"], lang, 2),
            title=title,
            label_vi=f"{ratio.label[0]} – {reading.label(graph, subject, 'vi')}",
            label_en=f"{ratio.label[1]} – {reading.label(graph, subject, 'en')}",
            facts=tuple(facts),
            citations=tuple(c for p in (num, den) for c in reading.citations(graph, p, lang)),
            codes={"indicator": data["indicator"]}  # the derived indicator's key
            | ({"period": reading.local(period)} if period is not None else {}),
        )
    data["source_ids"] = reading.source_ids(data["citations"])
    data["search_keys"] = (fold(name), fold(node))


def project(
    graph: Graph,
    view: str = "network",
    *,
    lang: str = "vi",
    focus: str | None = None,
    depth: int = DEFAULT_DEPTH,
) -> nx.MultiDiGraph:
    """The network ``view`` draws from ``graph``, optionally around ``focus`` to ``depth``.

    Nodes are keyed by IRI and carry ``kind``, ``label`` (in ``lang``),
    ``label_vi``/``label_en``, ``facts``, ``citations``, ``source_ids`` and
    ``codes`` (:func:`reading.codes`: GSO code, vintage, indicator, unit,
    period, qualifier); edges are keyed by their kind. Raises :class:`ViewError`
    for an unknown view, a focus that names no node or several, or a focus
    outside the view.

    >>> from kgraph import resources
    >>> from kgraph.graph.build import build_graph
    >>> from kgraph.curate.dataset import load_dataset
    >>> g = project(build_graph(load_dataset(resources.data_dir())), "hierarchy")
    >>> g.nodes["https://kgraph.example.org/id/commune/2024-03356"]["label"]
    'Pom Lót'
    """
    spec = VIEWS.get(view)
    if spec is None:
        raise ViewError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")
    if lang not in LANGS:
        raise ViewError(f"unknown language {lang!r} (choose from {', '.join(LANGS)})")
    if depth < 0:
        raise ViewError(f"--depth must be 0 or more, not {depth}")
    if spec.needs_focus and not focus:
        raise ViewError(f"view {view!r} needs --focus ENTITY ({_FOCUS})")
    kinds = reading.node_kinds(graph)
    g = _structure(graph, spec, kinds)
    focus_node = None
    if focus:
        focus_node = _focus(graph, kinds, g, spec, focus, lang)
        g = g.subgraph(_neighbourhood(g, focus_node, depth)).copy()
    _decorate(g, graph, lang)
    if spec.vintage_in_label:
        for _, data in g.nodes(data=True):
            if vintage := data.get("codes", {}).get("vintage"):
                data["label"] = f"{data['label']} ({vintage})"
    node_labels, edge_labels = reading.kind_labels(graph)
    node_kinds = {d["kind"] for _, d in g.nodes(data=True)}
    edge_kinds = {k for _, _, k in g.edges(keys=True)}
    g.graph.update(
        view=spec.key,
        lang=lang,
        focus=focus_node,
        depth=depth if focus else None,
        title=reading.pick_lang(spec.title, lang),
        question=reading.pick_lang(spec.question, lang),
        node_kinds={
            t.key: reading.pick_lang(node_labels[t.key], lang)
            for t in NODE_TYPES
            if t.key in node_kinds
        },
        edge_kinds={
            t.key: reading.pick_lang(edge_labels[t.key], lang)
            for t in EDGE_TYPES
            if t.key in edge_kinds
        },
    )
    return _sorted(g)


def _focus(
    graph: Graph,
    kinds: dict[URIRef, NodeType],
    g: nx.MultiDiGraph,
    spec: ViewSpec,
    text: str,
    lang: str,
) -> str:
    """Resolve ``text`` against every node, so a node outside the view gets a precise message."""
    everything = _structure(graph, VIEWS["network"], kinds)
    for entity, entity_kind in kinds.items():
        everything.add_node(str(entity), kind=entity_kind.key)
    for node, data in everything.nodes(data=True):
        if data["kind"] in ("derived", "derived-indicator"):
            data["key"], data["search_keys"] = node, (fold(node),)
            continue
        iri = URIRef(node)
        data["key"] = reading.local(iri)
        keys = {str(k) for k in graph.objects(iri, KG.searchKey)}
        keys |= {
            fold(x) for x in (reading.label(graph, iri, "vi"), reading.label(graph, iri, "en")) if x
        }
        data["search_keys"] = tuple(sorted(keys))
    node = _resolve(everything, text)
    kind = everything.nodes[node]["kind"]
    if node not in g and (not spec.nodes or kind in spec.nodes):
        g.add_node(node, kind=kind)  # an entity with no edges in this view: shown on its own
    if node not in g:
        if spec.key != "ego" and everything.degree(node) > 0:
            hint = f"; try `kgraph view ego --focus {everything.nodes[node]['key']}`"
        else:
            hint = ""
        raise ViewError(
            f"{text!r} ({everything.nodes[node]['key']}) is not in view {spec.key!r}{hint}"
        )
    return node


def _sorted(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same network with nodes and edges in a stable order (deterministic output)."""
    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    for node in sorted(g.nodes):
        out.add_node(node, **g.nodes[node])
    for a, b, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        out.add_edge(a, b, key=key, **data)
    return out


__all__ = [
    "DEFAULT_DEPTH",
    "EDGE_TYPES",
    "LANGS",
    "NODE_TYPES",
    "RATIOS",
    "VIEWS",
    "Citation",
    "EdgeType",
    "Fact",
    "NodeType",
    "Ratio",
    "ViewSpec",
    "project",
]
