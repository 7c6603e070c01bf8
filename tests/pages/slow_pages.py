"""A page handler for the limit tests: one page never finishes, one eats memory, one is quick.

It lives in its own module because each server worker imports it by name
(the pool's workers are fresh interpreters that unpickle the factory).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from kgraph.graph.engine import GraphStore
from kgraph.sparql.answer import Answer


class SlowPages:
    """``/slow`` sleeps ``seconds``, ``/greedy`` asks for 4 GiB, ``/fast`` answers at once."""

    def __init__(self, store: GraphStore, seconds: float = 60.0) -> None:
        self.store = store
        self.seconds = seconds

    def __call__(self, path: str, environ: Mapping[str, Any]) -> Answer | None:
        if path == "/slow":
            time.sleep(self.seconds)
            return Answer(200, "text/plain", b"late\n")
        if path == "/greedy":
            hoard = bytearray(4 * 2**30)
            return Answer(200, "text/plain", str(len(hoard)).encode())
        if path == "/fast":
            accept = environ.get("HTTP_ACCEPT", "")
            return Answer(200, "text/plain", f"{len(self.store)} {accept}\n".encode())
        return None
