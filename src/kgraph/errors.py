"""One exception root for everything kgraph reports to a user.

Messages are one line and name the file, row, column, node or rule at fault,
so the CLI can print them as they are and exit with the code they carry.
"""

from __future__ import annotations

from pathlib import Path


def first_line(exc: BaseException) -> str:
    """The first non-empty line of an exception's message (its type name if it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An exception's whole message on one line, cut at ``limit`` characters."""
    text = " ".join(str(exc).split())
    return (text[:limit] + "…") if len(text) > limit else text or type(exc).__name__


class KgraphError(Exception):
    """Root of all errors kgraph raises on purpose; ``exit_code`` is what the CLI returns."""

    exit_code = 2


class InputError(KgraphError):
    """Bad curated input or an unreadable file: names where, and what is wrong."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.row = row
        self.column = column
        self.detail = message
        where = []
        if self.path is not None:
            where.append(self.path.name if self.path.parent.name == "" else str(self.path))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class OutputError(InputError):
    """An output that cannot be written where it was asked for (the path is named)."""


class ParseError(ValueError):
    """A Vietnamese number, date or period that cannot be read (loaders wrap it in InputError)."""


class ValidationFailed(KgraphError):
    """The graph has SHACL violations (exit code 1, as in pySHACL's contract)."""

    exit_code = 1


class QueryError(KgraphError):
    """A query that cannot be found, parsed, bound or sent."""


class ViewError(KgraphError):
    """A view that cannot be drawn (unknown entity, too many nodes...)."""


class UnknownFocus(ViewError):
    """``--focus`` names nothing in the graph drawn (the backbone may still know it)."""


class ChartError(KgraphError):
    """A chart that cannot be drawn (unknown indicator or focus, no figures, a bad period)."""
