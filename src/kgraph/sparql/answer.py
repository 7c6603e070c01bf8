"""One query as one HTTP answer: run on the store, negotiate the format, render within limits.

This is what an endpoint worker (:mod:`kgraph.sparql.workers`) does with a job.
SELECT and ASK answers go out as SPARQL JSON, XML, CSV or TSV (or an HTML table
for browsers); CONSTRUCT and DESCRIBE as Turtle, JSON-LD, N-Triples or RDF/XML.
Data reaches HTML only escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kgraph.errors import QueryError
from kgraph.graph.engine import GraphStore
from kgraph.sparql.embedded import query_store
from kgraph.sparql.results import QueryResult, render

#: media type -> result format name (kgraph.sparql.results.RESULT_FORMATS), for SELECT and ASK
TABLE_TYPES: Mapping[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/html": "html",
}

#: media type -> result format name, for CONSTRUCT and DESCRIBE
GRAPH_TYPES: Mapping[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "xml",
    "text/html": "html",
}

#: the media type each format is sent as
SENT_AS: Mapping[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "html": "text/html",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
}


@dataclass(frozen=True)
class Limits:
    """What one query may take: wall-clock seconds, rows, bytes of answer, worker memory."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 16 * 2**20
    memory: int = 2 * 2**30


@dataclass(frozen=True)
class Job:
    """One query for a worker: checked text, the client's Accept header, the dataset asked for."""

    text: str
    accept: str = "*/*"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] | None = None
    where: str = "query"


@dataclass(frozen=True)
class PageJob:
    """One page for a worker: its path and what the client sent that the page depends on."""

    path: str
    accept: str = "*/*"
    query_string: str = ""

    @property
    def where(self) -> str:
        return self.path

    def environ(self) -> dict[str, str]:
        """The part of a WSGI environ a page handler reads."""
        return {"HTTP_ACCEPT": self.accept, "QUERY_STRING": self.query_string}


@dataclass(frozen=True)
class Answer:
    """What a worker answered: an HTTP status, a media type and the body."""

    status: int
    media: str
    body: bytes
    seconds: float = 0.0
    #: headers this answer adds (``Content-Location`` of a negotiated entity page)
    headers: tuple[tuple[str, str], ...] = ()


#: answers a path the endpoint does not own (None: not its path either, so 404)
PageHandler = Callable[[str, Mapping[str, Any]], "Answer | None"]
#: makes the page handler inside a worker, over the worker's own store (must pickle)
PagesFactory = Callable[[GraphStore], PageHandler]


def answer_job(store: GraphStore, job: Job, limits: Limits) -> Answer:
    """Run ``job`` on ``store`` and render it as the client asked, or say why not."""
    try:
        result = query_store(
            store,
            job.text,
            max_rows=limits.max_rows,
            where=job.where,
            default_graphs=job.default_graphs,
            named_graphs=job.named_graphs,
        )
    except QueryError as exc:  # LimitExceeded too: the answer would be larger than allowed
        return Answer(400, "text/plain", f"{exc}\n".encode())
    media, body = render_answer(result, job.accept)
    if media is None:
        return Answer(406, "text/plain", f"{body}\n".encode())
    data = body.encode("utf-8")
    if len(data) > limits.max_bytes:
        return Answer(
            400,
            "text/plain",
            f"{job.where}: the answer is over {limits.max_bytes} bytes; narrow it\n".encode(),
        )
    return Answer(200, media, data)


def render_answer(result: QueryResult, accept: str) -> tuple[str | None, str]:
    """(media type, body) for ``result`` as ``accept`` prefers; (None, reason) if none fits."""
    offered = TABLE_TYPES if result.tabular else GRAPH_TYPES
    default = "application/sparql-results+json" if result.tabular else "text/turtle"
    media = negotiate(accept, offered, default)
    if media is None:
        return None, f"cannot send {result.form} results as {accept}; offered: {', '.join(offered)}"
    fmt = offered[media]
    body = html_result(result) if fmt == "html" else render(result, fmt)
    sent_as = "application/rdf+xml" if fmt == "xml" and not result.tabular else SENT_AS[fmt]
    return sent_as, body


def negotiate(accept: str, offered: Mapping[str, str], default: str) -> str | None:
    """The offered media type the Accept header prefers (q-values, wildcards)."""
    choices: list[tuple[float, int, str]] = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if not media or q <= 0:
            continue
        if media == "*/*":
            choices.append((q, -order, default))
        elif media.endswith("/*"):
            major = media[:-1]
            pick = (
                default
                if default.startswith(major)
                else next((m for m in offered if m.startswith(major)), None)
            )
            if pick:
                choices.append((q, -order, pick))
        elif media in offered:
            choices.append((q, -order, media))
    if not choices:
        return None
    return max(choices)[2]


def html_result(result: QueryResult) -> str:
    """A result as a small HTML page, every value escaped."""
    if not result.tabular:
        body = f"<pre>{html.escape(render(result, 'turtle'))}</pre>"
    elif result.form == "ASK":
        body = f"<p>{'yes' if result.boolean else 'no'}</p>"
    else:
        head = "".join(f"<th>{html.escape(v)}</th>" for v in result.variables)
        rows = "".join(
            "<tr>"
            + "".join(f"<td>{'' if t is None else html.escape(str(t))}</td>" for t in row)
            + "</tr>"
            for row in result.rows
        )
        body = f"<table><tr>{head}</tr>{rows}</table><p>{len(result.rows)} rows</p>"
    return page("kgraph query result", body)


def page(title: str, body: str) -> str:
    """A plain HTML page around ``body`` (already escaped)."""
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:70em}"
        "td,th{border:1px solid #ccc;padding:.2em .4em;vertical-align:top;text-align:left}"
        "table{border-collapse:collapse}code{background:#f4f4f4}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{style}</style></head>"
        f"<body>{body}</body></html>\n"
    )
