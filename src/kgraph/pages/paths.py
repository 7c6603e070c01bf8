"""Where each page lives, in the static site and at its IRI's path on ``kgraph serve``.

An entity ``<base>/id/<kind>/<slug>`` is the file ``id/<kind>/<slug>.html``
of the site and the path ``/id/<kind>/<slug>`` of the server, so a published
site answers at the IRIs themselves. Static links are relative (the site opens
from ``file://`` and from any folder on a web server); served links are
root-relative. Nothing outside the instance namespace gets a page.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import URIRef
from rdflib.term import Node

from kgraph.graph.namespaces import Iris

#: what an IRI may hold after ``<base>/id/`` to get a page: path segments of safe characters
_REST = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.~-]*(?:/[A-Za-z0-9][A-Za-z0-9_.~-]*)*")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Paths:
    """Page paths and links for one way of publishing (static files, or served)."""

    iris: Iris
    served: bool = False
    #: static site: the IRIs that have pages (a link to anything else would be dead)
    pages: Collection[str] | None = None
    #: rest() by IRI: a site of 25,000 pages asks it millions of times
    _rests: dict[Node, str | None] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def rest(self, iri: Node) -> str | None:
        """``<kind>/<slug>`` of an instance IRI, or None for anything else.

        >>> Paths(Iris("https://x.org")).rest(URIRef("https://x.org/id/commune/2024-03356"))
        'commune/2024-03356'
        """
        if iri in self._rests:
            return self._rests[iri]
        found = self._rest(iri)
        self._rests[iri] = found
        return found

    def _rest(self, iri: Node) -> str | None:
        text = str(iri)
        if not isinstance(iri, URIRef) or not text.startswith(self.iris.prefix):
            return None
        rest = text[len(self.iris.prefix) :]
        if not _REST.fullmatch(rest) or rest.endswith((".html", ".ttl", ".jsonld", ".nt")):
            return None
        if any(part in (".", "..") or ".in-" in part for part in rest.split("/")):
            return None
        return rest

    def kind(self, iri: Node) -> str:
        """The kind in an instance IRI (``commune``), '' for anything else."""
        rest = self.rest(iri)
        return rest.split("/", 1)[0] if rest else ""

    def page(self, iri: Node) -> str | None:
        """The site path of an entity's page, or None when it has none."""
        rest = self.rest(iri)
        if rest is None or (self.pages is not None and str(iri) not in self.pages):
            return None
        return f"id/{rest}" if self.served else f"id/{rest}.html"

    def inbound_page(self, iri: Node, number: int) -> str:
        """The site path of page ``number`` of what points to ``iri`` (1 is the entity page)."""
        page = self.page(iri)
        assert page is not None, iri
        if number <= 1:
            return page
        return (
            f"{page}?inbound={number}" if self.served else f"id/{self.rest(iri)}.in-{number}.html"
        )

    def link(self, here: str, target: str) -> str:
        """A link from the page at site path ``here`` to the site path ``target``.

        >>> Paths(Iris()).link("id/commune/2024-03356.html", "assets/site.css")
        '../../assets/site.css'
        >>> Paths(Iris(), served=True).link("id/commune/2024-03356", "assets/site.css")
        '/assets/site.css'
        """
        if self.served:
            return "/" + target
        path, _, anchor = target.partition("#")
        folder, name = posixpath.split(path)
        up = _relative_folder(folder or ".", posixpath.dirname(here) or ".")
        rel = name if up == "." else f"{up}/{name}"
        return rel + (f"#{anchor}" if anchor else "")

    def entity(self, here: str, iri: Node) -> str | None:
        """A link from ``here`` to an entity's page, or None when it has no page."""
        page = self.page(iri)
        return None if page is None else self.link(here, page)


@lru_cache(maxsize=1 << 12)
def _relative_folder(folder: str, start: str) -> str:
    """``posixpath.relpath`` of two folders, once per pair: 25,000 pages share a few dozen."""
    return posixpath.relpath(folder, start)


def anchor(evidence: Node) -> str:
    """The id of a quote's place on its source page, made from the evidence IRI.

    >>> anchor(URIRef("https://x.org/id/commune/2024-03356/evidence/001_a2"))
    'q-commune-2024-03356-evidence-001_a2'
    """
    text = str(evidence)
    rest = text.split("/id/", 1)[1] if "/id/" in text else text
    return "q-" + _NOT_ID.sub("-", rest)


__all__ = ["Paths", "anchor"]
