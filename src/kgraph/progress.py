"""Progress of long work: what the library reports, shown only where someone watches.

At 10^6–10^7 triples, generating data, building, validating and pushing take
minutes. The functions that do such work take a ``progress`` argument and
report named tasks through it (``with progress.task("pushing graphs", total=n)
as advance: ... advance(1)``). The library default is :data:`SILENT`; the CLI
passes a terminal reporter when standard error is a terminal
(:mod:`kgraph.cli.progress`), so piped output, logs and tests stay exactly
what they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

#: advance(n): n more steps of the current task are done
Advance = Callable[[int], None]


class Progress(Protocol):
    """Where long work reports its tasks."""

    def task(self, label: str, total: int | None = None) -> AbstractContextManager[Advance]:
        """A task of ``total`` steps (``None``: one step of unknown length); yields ``advance``."""
        ...


def no_steps(_steps: int) -> None:
    """An ``advance`` that counts nothing: for silence, and tasks of unknown length."""
    return None


class _Silent:
    """Reports nothing: the default for library callers, pipes and tests."""

    @contextmanager
    def task(self, label: str, total: int | None = None) -> Iterator[Advance]:
        yield no_steps


SILENT: Progress = _Silent()

__all__ = ["SILENT", "Advance", "Progress", "no_steps"]
