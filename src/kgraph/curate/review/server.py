"""``kgraph review``: the local page where a curator accepts, edits or rejects candidate facts.

A WSGI application for one reviewer on one machine. It serves loopback only and
refuses what another site could make a browser send it: a request whose
``Host`` is not ``127.0.0.1:<port>`` or ``localhost:<port>`` (DNS rebinding),
a POST from another origin, without the per-run token the page carries, or
without a JSON body. Routes:

- ``GET /``: the page (the article with every candidate's span marked, a card per candidate);
- ``POST /save``: the page's rows -> the reviewed CSV, written whole (``{"saved": N, "path": …}``),
  and its entity rows (``"entities"``, optional) -> the reviewed entities CSV;
- ``POST /accept``: save, then ``on_accept(reviewed)``; its message, or its KgraphError as 400.
"""

from __future__ import annotations

import hmac
import json
import secrets
import sys
import threading
import traceback
import unicodedata
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from typing import Any

from kgraph.curate.review.choices import Choices
from kgraph.curate.review.page import PageData, render_page
from kgraph.curate.review.rows import (
    BadEdit,
    EntityTable,
    apply_edits,
    apply_entity_edits,
    load_candidates,
    load_entities,
    write_rows,
)
from kgraph.errors import KgraphError, one_line

#: the largest request body accepted (the page's rows as JSON)
MAX_BODY = 1_000_000
#: the header that carries the page's token back
TOKEN_HEADER = "X-Kgraph-Token"
#: the hosts a reviewer may ask for; the server itself always binds 127.0.0.1
LOOPBACK = ("127.0.0.1", "localhost")
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
OnAccept = Callable[[Path], str]


class _Refusal(Exception):
    """A request answered with ``status`` and a one-line reason."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class ReviewApp:
    """The review page's WSGI application; its state is the rows as last saved."""

    def __init__(
        self,
        text: str,
        source_id: str,
        candidates: Path,
        reviewed: Path,
        choices: Choices,
        on_accept: OnAccept | None,
        entities: Path | None = None,
        entities_reviewed: Path | None = None,
    ) -> None:
        self.text = unicodedata.normalize("NFC", text)
        self.source_id = source_id
        self.candidates = Path(candidates)
        self.reviewed = Path(reviewed)
        self.choices = choices
        self.on_accept = on_accept
        #: the port the server listens on; the Host check uses it (set by ReviewServer)
        self.port: int | None = None
        #: sent back by the page with every POST, so no other site can post here
        self.token = secrets.token_urlsafe(32)
        self.notes: list[str] = []
        resume = self.reviewed.is_file()
        loaded = load_candidates(self.reviewed if resume else self.candidates, self.text)
        if resume:
            self.notes.append(f"Resumed from the reviewed file (candidates: {self.candidates}).")
        self.loaded_from = loaded.path
        self.header = loaded.header
        self.rows = loaded.rows
        #: where saving writes the entity rows (None: there is no entities file)
        self.entities_reviewed = _entities_reviewed(
            entities, entities_reviewed, source_id, self.reviewed
        )
        self.entities: EntityTable | None = None
        if self.entities_reviewed is not None and self.entities_reviewed.is_file():
            self.entities = load_entities(self.entities_reviewed)
            self.notes.append(
                "Entity rows resumed from the reviewed entities file "
                f"(proposed: {entities or '–'})."
            )
        elif entities is not None and entities.is_file():
            self.entities = load_entities(entities)
        else:
            self.entities_reviewed = None
        self.accepted = False
        self._lock = threading.Lock()

    # -- WSGI ------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        try:
            self._check_host(environ)
            if path == "/":
                if method not in ("GET", "HEAD"):
                    raise _Refusal(HTTPStatus.METHOD_NOT_ALLOWED, "GET the page; POST to /save")
                return self._page(environ, start_response)
            if path in ("/save", "/accept"):
                if method != "POST":
                    raise _Refusal(HTTPStatus.METHOD_NOT_ALLOWED, f"{path} takes POST only")
                body = self._body(environ)
                answer = self._save(body) if path == "/save" else self._accept(body)
                return _send(start_response, HTTPStatus.OK, _json(answer), "application/json")
            raise _Refusal(HTTPStatus.NOT_FOUND, f"no such page: {path[:80]} (the page is /)")
        except _Refusal as exc:
            if path in ("/save", "/accept"):
                body = _json({"error": str(exc)})
                return _send(start_response, exc.status, body, "application/json")
            return _send(start_response, exc.status, f"{exc}\n".encode(), "text/plain")

    def _check_host(self, environ: dict[str, Any]) -> None:
        port = self.port if self.port is not None else environ.get("SERVER_PORT", "")
        allowed = {f"{host}:{port}" for host in LOOPBACK}
        if str(port) == "80":
            allowed |= set(LOOPBACK)
        host = environ.get("HTTP_HOST", "")
        if host not in allowed:
            raise _Refusal(
                HTTPStatus.FORBIDDEN,
                f"this page answers only as 127.0.0.1:{port} or localhost:{port}, "
                f"not {host[:80]!r}",
            )

    def _page(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        nonce = secrets.token_urlsafe(16)
        with self._lock:
            data = PageData(
                text=self.text,
                source_id=self.source_id,
                rows=self.rows,
                choices=self.choices,
                token=self.token,
                nonce=nonce,
                loaded_from=self.loaded_from,
                reviewed=self.reviewed,
                can_accept=self.on_accept is not None,
                entities=self.entities,
                entities_reviewed=self.entities_reviewed,
                notes=self.notes,
            )
            body = render_page(data).encode("utf-8")
        policy = (
            "default-src 'none'; "
            f"script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'"
        )
        extra = [("Content-Security-Policy", policy)]
        sent = _send(start_response, HTTPStatus.OK, body, "text/html", extra)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else sent

    def _body(self, environ: dict[str, Any]) -> Any:
        """The POST's JSON, after the checks that keep other sites out."""
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin not in {f"http://{environ.get('HTTP_HOST', '')}"}:
            raise _Refusal(HTTPStatus.FORBIDDEN, f"posts from {origin[:80]!r} are refused")
        given = environ.get("HTTP_" + TOKEN_HEADER.upper().replace("-", "_"), "")
        if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
            raise _Refusal(
                HTTPStatus.FORBIDDEN,
                f"missing or wrong {TOKEN_HEADER} header (reload the page this server served)",
            )
        media, _, params = environ.get("CONTENT_TYPE", "").partition(";")
        charset = params.partition("charset=")[2].strip().strip('"').lower() or "utf-8"
        if media.strip().lower() != "application/json" or charset not in ("utf-8", "utf8"):
            raise _Refusal(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the rows as application/json (UTF-8)"
            )
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise _Refusal(HTTPStatus.BAD_REQUEST, "bad Content-Length") from None
        if length <= 0:
            raise _Refusal(HTTPStatus.BAD_REQUEST, "empty request body: send the rows as JSON")
        if length > MAX_BODY:
            raise _Refusal(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes"
            )
        raw = environ["wsgi.input"].read(length)
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            reason = f"the body is not JSON: {one_line(exc)}"
            raise _Refusal(HTTPStatus.BAD_REQUEST, reason) from None

    # -- actions ---------------------------------------------------------------------------
    def _save(self, body: Any) -> dict[str, Any]:
        with self._lock:
            try:
                edited = apply_edits(self.rows, body)
                entities = apply_entity_edits(self.entities, body)
            except BadEdit as exc:
                raise _Refusal(HTTPStatus.BAD_REQUEST, str(exc)) from None
            try:
                write_rows(self.reviewed, self.header, edited)
                if self.entities is not None and self.entities_reviewed is not None:
                    write_rows(self.entities_reviewed, self.entities.header, entities)
            except KgraphError as exc:
                raise _Refusal(HTTPStatus.INTERNAL_SERVER_ERROR, f"not saved: {exc}") from None
            for row, cells in zip(self.rows, edited, strict=True):
                row.cells = cells
            self.loaded_from = self.reviewed
            if self.entities is not None and self.entities_reviewed is not None:
                self.entities.rows = entities
                self.entities.path = self.entities_reviewed
        answer = _counts(edited, str(self.reviewed))
        if self.entities is not None:
            answer["entities"] = _counts(entities, str(self.entities_reviewed))
        return answer

    def _accept(self, body: Any) -> dict[str, Any]:
        if self.on_accept is None:
            raise _Refusal(HTTPStatus.NOT_FOUND, "accepting is off (--no-accept); save instead")
        saved = self._save(body)
        with self._lock:
            if self.accepted:
                raise _Refusal(
                    HTTPStatus.CONFLICT,
                    "already accepted in this run (saved; rerun kgraph review to accept again)",
                )
            if not saved["accepted"] and not saved.get("entities", {}).get("accepted"):
                raise _Refusal(HTTPStatus.BAD_REQUEST, "no candidate is accepted yet (saved)")
            try:
                message = self.on_accept(self.reviewed)
            except KgraphError as exc:
                raise _Refusal(HTTPStatus.BAD_REQUEST, one_line(exc)) from None
            except Exception as exc:  # a bug in the accepting code: say so, keep serving
                traceback.print_exc(file=sys.stderr)
                raise _Refusal(
                    HTTPStatus.INTERNAL_SERVER_ERROR, f"accepting failed: {one_line(exc)}"
                ) from None
            self.accepted = True
        return {**saved, "message": str(message)}


def make_app(
    text: str,
    source_id: str,
    candidates: Path,
    reviewed: Path,
    choices: Choices,
    on_accept: OnAccept | None,
    *,
    entities: Path | None = None,
    entities_reviewed: Path | None = None,
) -> ReviewApp:
    """The review app over ``text``'s candidates (the reviewed file instead, if it exists).

    ``on_accept(reviewed)`` appends the accepted rows to the curated tables and
    returns a one-line message; None leaves accepting to the command line.
    ``entities`` is the extract's proposals file: its rows are decided and edited
    on the page too, and saved to ``entities_reviewed`` (default
    ``<SOURCE>.entities.reviewed.csv`` beside ``reviewed``), resumed from when it exists.
    """
    return ReviewApp(
        text, source_id, candidates, reviewed, choices, on_accept, entities, entities_reviewed
    )


def _entities_reviewed(
    entities: Path | None, given: Path | None, source_id: str, reviewed: Path
) -> Path | None:
    if given is not None:
        return Path(given)
    if entities is None:
        return None
    return Path(reviewed).with_name(f"{source_id}.entities.reviewed.csv")


def _counts(rows: list[dict[str, str]], path: str) -> dict[str, Any]:
    decisions = [cells["decision"] for cells in rows]
    return {
        "saved": len(rows),
        "path": path,
        "accepted": decisions.count("accept"),
        "rejected": decisions.count("reject"),
    }


class ReviewServer:
    """A waitress server for one ReviewApp on 127.0.0.1 (port 0 picks a free port)."""

    def __init__(self, app: ReviewApp, port: int = 0, host: str = "127.0.0.1") -> None:
        import waitress.server

        if host not in LOOPBACK:
            raise KgraphError(f"the review page serves only this machine (127.0.0.1), not {host!r}")
        try:
            self._server: Any = waitress.server.create_server(
                app,
                host="127.0.0.1",
                port=port,
                threads=2,
                channel_timeout=60,
                max_request_body_size=MAX_BODY,
                ident="kgraph-review",
                expose_tracebacks=False,
                clear_untrusted_proxy_headers=True,
            )
        except OSError as exc:
            raise KgraphError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
        self.app = app
        app.port = int(self._server.effective_port)

    @property
    def url(self) -> str:
        """The page's address, ``http://127.0.0.1:<port>/``."""
        return f"http://127.0.0.1:{self.app.port}/"

    def run(self) -> None:
        """Serve until closed (or interrupted)."""
        self._server.run()

    def close(self) -> None:
        """Stop accepting and close open connections."""
        self._server.close()
        for channel in list(self._server._map.values()):
            channel.close()
        self._server.task_dispatcher.shutdown(timeout=2)


def serve_review(app: ReviewApp, port: int = 0, open_browser: bool = False) -> None:
    """Serve ``app`` on 127.0.0.1 until Ctrl-C, printing its address first."""
    server = ReviewServer(app, port)
    print(f"review page: {server.url}  (Ctrl-C stops it)", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.run()  # waitress returns on Ctrl-C
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    print("stopped", flush=True)


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _send(
    start_response: StartResponse,
    status: HTTPStatus,
    body: bytes,
    media: str,
    extra: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    headers = [
        ("Content-Type", f"{media}; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        *extra,
    ]
    start_response(f"{status.value} {status.phrase}", headers)
    return [body]


__all__ = ["MAX_BODY", "TOKEN_HEADER", "ReviewApp", "ReviewServer", "make_app", "serve_review"]
