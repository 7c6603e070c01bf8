"""Stage: framed JSON-LD, one file per entity kind, shaped for JavaScript developers.

``kgraph.jsonld`` is the faithful dump: a flat ``@graph`` where reaching a
fact's quote takes several lookups by ``@id``. The framed files hold the same
statements about fewer entities, nested the way an application reads them: a
place with its facts, each fact with its indicator, period and quote; an
organisation with its facts, posts and terms. They are made with JSON-LD 1.1
framing (pyld), from the context and frames in ``ontology/jsonld/``, and keep
a contract a program can rely on, checked before a file is returned:

- ``id`` and ``type`` stand for ``@id`` and ``@type``; every type is a short name;
- a key the SHACL shapes allow once is a single value, every other key is
  always an array (``@set``), even when it holds one value or none;
- labels are language maps (``"label": {"vi": "…", "en": "…"}``);
- numbers are JSON numbers and booleans JSON booleans; the context gives each
  numeric key its datatype (``xsd:decimal``…), so expanding the file restores it;
- no ``@value`` objects and no prefixed names anywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph

from kgraph import resources
from kgraph.errors import InputError, OutputError, first_line
from kgraph.graph.namespaces import XSD

#: the entity kinds with a framed file (``<kind>.jsonld`` in a release), in release order
FRAMED_KINDS = ("places", "organisations", "people", "sources")

CONTEXT_FILE = "context.jsonld"

_DECIMAL = str(XSD.decimal)
_INTEGERS = frozenset(
    str(t) for t in (XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger, XSD.int, XSD.long)
)
_BOOLEAN = str(XSD.boolean)
#: the largest integer a JavaScript number holds exactly (Number.MAX_SAFE_INTEGER)
_SAFE_INTEGER = 2**53 - 1
#: significant digits any decimal keeps through a double and back (DBL_DIG): a JSON-LD
#: processor may print the double with 16 (``8.731999999999999E1`` for 87.32), and
#: rounding that to 15 digits gives the decimal back
_DIGITS = 15


@dataclass(frozen=True)
class FramedDocument:
    """One framed file: its kind, the JSON document, and the distinct triples it states."""

    kind: str
    doc: dict[str, Any] = field(repr=False)
    statements: int

    @property
    def file_name(self) -> str:
        return f"{self.kind}.jsonld"

    def render(self) -> bytes:
        """The file's bytes: UTF-8, two-space indents, keys and arrays in a fixed order."""
        return (json.dumps(self.doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def framed_jsonld(graph: Graph, kind: str) -> FramedDocument:
    """The entities of ``kind`` in ``graph``, framed with ``ontology/jsonld/<kind>.frame.jsonld``.

    Raises :class:`~kgraph.errors.OutputError` naming the node and key when the
    result would break the contract above (a key without a term in the
    context, a second value for a single-valued key, a decimal no JSON number
    holds exactly), and :class:`~kgraph.errors.InputError` for an unknown kind
    or an unreadable context or frame.

    >>> from kgraph.curate.dataset import load_dataset
    >>> from kgraph.graph.build import build_graph
    >>> g = build_graph(load_dataset(resources.data_dir()))
    >>> places = framed_jsonld(g, "places").doc["@graph"]
    >>> pom_lot = next(p for p in places if p["id"].endswith("/commune/2024-03356"))
    >>> pom_lot["type"], pom_lot["label"]["vi"]
    (['AdministrativeArea', 'Commune'], 'Pom Lót')
    """
    if kind not in FRAMED_KINDS:
        raise InputError(f"unknown framed JSON-LD kind {kind!r} (use {', '.join(FRAMED_KINDS)})")
    from pyld import jsonld  # imported here: framing is the only use, and pyld loads slowly

    context = _read(resources.jsonld_dir() / CONTEXT_FILE)["@context"]
    frame = _read(resources.jsonld_dir() / f"{kind}.frame.jsonld")
    frame["@context"] = context
    expanded = json.loads(graph.serialize(format="json-ld"))
    for node in expanded:
        _native_values(node)
    options = {
        "embed": "@never",  # only what a frame names is embedded; every other link is an id
        "omitGraph": False,
        "omitDefault": True,
        "processingMode": "json-ld-1.1",
        "documentLoader": _no_loading,
    }
    try:
        framed = jsonld.frame(expanded, frame, options)
        triples = jsonld.to_rdf(framed, {"format": "application/n-quads", **options})
    except jsonld.JsonLdError as exc:
        raise OutputError(f"cannot frame the graph: {first_line(exc)}", path=kind) from None
    terms = _Terms(context)
    nodes = framed["@graph"]
    for node in nodes:
        _fill_sets(node, frame, terms)
    doc = {"@context": context, "@graph": sorted((_ordered(n) for n in nodes), key=_sort_key)}
    for node in doc["@graph"]:
        terms.check(node, kind)
    statements = len({line for line in triples.splitlines() if line.strip()})
    return FramedDocument(kind=kind, doc=doc, statements=statements)


def _read(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the JSON-LD file: {first_line(exc)}", path=path) from None
    if not isinstance(value, dict) or not isinstance(value.get("@context"), dict | str):
        raise InputError("is not a JSON-LD object with an @context", path=path)
    return value


def _no_loading(url: str, options: dict[str, Any]) -> dict[str, Any]:
    """Framing never fetches anything: the context and frames are packaged files."""
    raise OutputError(f"would fetch {url}; the framed context must be inline")


# -- native values --------------------------------------------------------------------------


def _native_values(node: dict[str, Any]) -> None:
    """Typed numbers and booleans of an expanded node as JSON numbers and booleans, in place.

    The value object keeps its ``@type``, so compaction with a context that types
    the key the same way writes the bare number and expansion restores the type.
    """
    for prop, values in node.items():
        if prop.startswith("@"):
            continue
        for value in values:
            if "@value" in value and "@type" in value:
                value["@value"] = _native(value["@value"], value["@type"], node["@id"], prop)


def _native(lexical: Any, datatype: str, node: str, prop: str) -> Any:
    if not isinstance(lexical, str):
        return lexical
    if datatype == _BOOLEAN:
        if lexical in ("true", "1", "false", "0"):
            return lexical in ("true", "1")
        raise OutputError(f"{prop} {lexical!r} is not an xsd:boolean", path=node)
    if datatype != _DECIMAL and datatype not in _INTEGERS:
        return lexical
    try:
        number = Decimal(lexical)
    except InvalidOperation:
        raise OutputError(f"{prop} {lexical!r} is not a number", path=node) from None
    if number == number.to_integral_value():
        if abs(number) > _SAFE_INTEGER:
            raise OutputError(f"{prop} {lexical} is beyond a JSON number's exact range", path=node)
        return int(number)
    if datatype != _DECIMAL or len(number.normalize().as_tuple().digits) > _DIGITS:
        raise OutputError(f"{prop} {lexical} has no exact JSON number", path=node)
    return float(number)


# -- shape and order ------------------------------------------------------------------------


def _fill_sets(node: Any, frame: dict[str, Any], terms: _Terms) -> None:
    """Every array key a frame names is present on each node it frames, ``[]`` when empty."""
    if not isinstance(node, dict) or set(node) <= {"id"}:
        return  # a reference, not an embedded node
    for key, sub in frame.items():
        if key.startswith("@") or not isinstance(sub, dict):
            continue
        if terms.is_set(key):
            node.setdefault(key, [])
        children = node.get(key)
        for child in children if isinstance(children, list) else [children]:
            _fill_sets(child, sub, terms)


def _ordered(value: Any) -> Any:
    """``id`` and ``type`` first, other keys sorted; node arrays by id, value arrays sorted."""
    if isinstance(value, dict):
        first = [k for k in ("id", "type") if k in value]
        rest = sorted(k for k in value if k not in first)
        return {k: _ordered(value[k]) for k in (*first, *rest)}
    if isinstance(value, list):
        return sorted((_ordered(v) for v in value), key=_sort_key)
    return value


def _sort_key(value: Any) -> tuple[str, str]:
    if isinstance(value, dict):
        return (str(value.get("id", "")), json.dumps(value, sort_keys=True, ensure_ascii=False))
    return (type(value).__name__, json.dumps(value, ensure_ascii=False))


# -- the contract ---------------------------------------------------------------------------


class _Terms:
    """What the framed context says each key holds: an array or not, a language map, a datatype."""

    def __init__(self, context: dict[str, Any]) -> None:
        self._defs: dict[str, dict[str, Any]] = {}
        for term, definition in context.items():
            if term.startswith("@") or term in ("id", "type"):
                continue
            if isinstance(definition, dict) and ("@id" in definition or "@reverse" in definition):
                self._defs[term] = definition

    def _containers(self, key: str) -> list[str]:
        container = self._defs.get(key, {}).get("@container", [])
        return container if isinstance(container, list) else [container]

    def is_set(self, key: str) -> bool:
        return "@set" in self._containers(key) and "@language" not in self._containers(key)

    def check(self, node: dict[str, Any], kind: str) -> None:
        """Raise OutputError at the first key of ``node`` (or of a node in it) off the contract."""
        where = f"{kind}.jsonld"
        ident = node.get("id", "?")
        for key, value in node.items():
            if key == "id":
                continue
            if key == "type":
                if not isinstance(value, list) or any(
                    not isinstance(t, str) or ":" in t for t in value
                ):
                    raise OutputError(f"{ident}: a type has no short name: {value}", path=where)
                continue
            if key not in self._defs:
                raise OutputError(f"{ident}: key {key!r} is not a term of the context", path=where)
            containers = self._containers(key)
            if "@language" in containers:
                if not isinstance(value, dict):
                    raise OutputError(f"{ident}: {key} is not a language map", path=where)
                items = list(value.values())
                if "@set" in containers:
                    items = [v for vs in items for v in (vs if isinstance(vs, list) else [vs])]
                    if not all(isinstance(vs, list) for vs in value.values()):
                        raise OutputError(f"{ident}: {key} values are not arrays", path=where)
                if not all(isinstance(v, str) for v in items):
                    raise OutputError(f"{ident}: {key} holds two values in a language", path=where)
                continue
            if ("@set" in containers) != isinstance(value, list):
                want = "an array" if "@set" in containers else "a single value"
                raise OutputError(f"{ident}: {key} is not {want}: {value!r:.80}", path=where)
            for item in value if isinstance(value, list) else [value]:
                self._check_item(key, item, ident, kind)

    def _check_item(self, key: str, item: Any, ident: str, kind: str) -> None:
        where = f"{kind}.jsonld"
        datatype = self._defs[key].get("@type")
        if isinstance(item, dict):
            if "@value" in item or "@language" in item:
                raise OutputError(f"{ident}: {key} has a value the context cannot type", path=where)
            self.check(item, kind)
        elif datatype == _BOOLEAN and not isinstance(item, bool):
            raise OutputError(f"{ident}: {key} {item!r} is not a JSON boolean", path=where)
        elif (datatype == _DECIMAL or datatype in _INTEGERS) and (
            isinstance(item, bool) or not isinstance(item, int | float)
        ):
            raise OutputError(f"{ident}: {key} {item!r} is not a JSON number", path=where)


__all__ = ["FRAMED_KINDS", "FramedDocument", "framed_jsonld"]
