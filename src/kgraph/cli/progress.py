"""Progress on the terminal for long commands, through click's progress bar; silent when piped."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from kgraph.progress import SILENT, Advance, Progress, no_steps

#: redraw a bar at most about this many times per task (a terminal is slow)
_REDRAWS = 200


class TerminalProgress:
    """Tasks with a total get click's bar (count, percent, time left); others a line when done."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    @contextmanager
    def task(self, label: str, total: int | None = None) -> Iterator[Advance]:
        if total is None:
            started = time.perf_counter()
            self.stream.write(f"{label} …")
            self.stream.flush()
            yield no_steps
            self.stream.write(f"\r{label}: done in {time.perf_counter() - started:.1f} s\n")
            self.stream.flush()
            return
        with click.progressbar(
            length=total,
            label=label,
            file=self.stream,
            show_pos=True,
            update_min_steps=max(1, total // _REDRAWS),
        ) as bar:
            yield bar.update


def for_terminal(stream: TextIO | None = None) -> Progress:
    """A terminal reporter on ``stream`` (standard error) if it is a terminal, else silence.

    ``TERM=dumb`` (editors' shells) and ``CI`` turn it off too: both capture
    the output as a log, where redrawn lines are noise.
    """
    if stream is None:
        stream = sys.stderr
    watched = stream.isatty() and os.environ.get("TERM") != "dumb" and not os.environ.get("CI")
    return TerminalProgress(stream) if watched else SILENT
