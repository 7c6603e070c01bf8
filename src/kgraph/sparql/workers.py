"""Queries in worker processes, so that limits hold even when the engine cannot be stopped.

pyoxigraph cannot interrupt a running query, and a pathological one (a
backtracking ``REGEX``, a ``REPLACE`` that doubles a string forty times, a
cartesian product) would otherwise stall the server and eat its memory. Each
query therefore runs in one of a pool of worker processes that opened the store
read-only. The parent waits at most the time limit (parsing included); a worker
that has not answered by then is killed and replaced, and its client gets 503.
A worker's address space is capped (``RLIMIT_AS``): a query that runs out of
memory kills only that worker. Rows and bytes of the rendered answer are capped
inside the worker. Every other client keeps being served by the other workers.
Entity pages are rendered by the workers too (:class:`PageJob`), under the same
time and memory limits: a page of an entity with a huge neighbourhood cannot
stall the server's threads either.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from kgraph.errors import QueryError
from kgraph.sparql.answer import Answer, Job, Limits, PageHandler, PageJob, PagesFactory, answer_job

#: the process start method: a fresh interpreter, never a fork of the threaded server
_CONTEXT = multiprocessing.get_context("spawn")
#: how long a new worker may take to import kgraph and open the store
_START_TIMEOUT = 60.0


def _worker_main(
    conn: Connection, folder: str, limits: Limits, verbose: bool, pages: PagesFactory | None
) -> None:
    """A worker's life: cap memory, open the store, answer jobs until the pipe closes."""
    if not verbose:  # a query that runs out of memory makes the engine abort with a message
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.environ["RUST_BACKTRACE"] = "0"
    if limits.memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    from kgraph.graph.engine import open_store

    store = open_store(Path(folder))
    conn.send("ready")
    handler: PageHandler | None = None  # made on the first page asked for
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        reply: Answer | None
        try:
            if isinstance(job, PageJob):
                if handler is None:
                    assert pages is not None, "a page job reached a pool without pages"
                    handler = pages(store)
                reply = handler(job.path, job.environ())
            else:
                reply = answer_job(store, job, limits)
        except MemoryError:
            reply = Answer(503, "text/plain", f"{job.where}: ran out of memory\n".encode())
        except QueryError as exc:
            reply = Answer(400, "text/plain", f"{exc}\n".encode())
        conn.send(reply)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


@dataclass
class WorkerPool:
    """``size`` worker processes over the store folder ``folder``, used by many threads."""

    folder: Path
    size: int = 2
    limits: Limits = field(default_factory=Limits)
    #: let workers write to stderr (engine messages on a crash)
    verbose: bool = False
    #: makes each worker's page handler (None: the pool answers queries only)
    pages: PagesFactory | None = None
    _idle: queue.Queue[_Worker] = field(default_factory=queue.Queue, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _closed: bool = field(default=False, init=False)
    restarts: int = field(default=0, init=False)

    def start(self) -> WorkerPool:
        """Start every worker and wait until each has the store open."""
        workers = [self._spawn() for _ in range(self.size)]
        for worker in workers:
            self._await_ready(worker)
            self._idle.put(worker)
        return self

    def _spawn(self) -> _Worker:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(
            target=_worker_main,
            args=(child, str(self.folder), self.limits, self.verbose, self.pages),
            name="kgraph-query-worker",
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(_START_TIMEOUT):
            worker.stop()
            raise QueryError("a query worker did not start within a minute")
        try:
            message = worker.conn.recv()
        except EOFError:
            worker.stop()
            raise QueryError(
                "a query worker stopped while opening the store "
                f"(exit code {worker.process.exitcode})"
            ) from None
        if message != "ready":
            worker.stop()
            raise QueryError(f"a query worker said {message!r} instead of ready")

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one in the pool, in the background."""
        worker.stop()
        with self._lock:
            self.restarts += 1
            if self._closed:
                return

        def respawn() -> None:
            while not self._closed:
                fresh = self._spawn()
                try:
                    self._await_ready(fresh)
                except QueryError:
                    time.sleep(0.5)
                    continue
                self._idle.put(fresh)
                return

        threading.Thread(target=respawn, name="kgraph-respawn", daemon=True).start()

    def run(self, job: Job, wait: float | None = None) -> Answer:
        """Run ``job`` on an idle worker; 503 if none frees up within ``wait`` or it overruns."""
        answer = self._ask(job, wait)
        assert answer is not None
        return answer

    def page(self, job: PageJob, wait: float | None = None) -> Answer | None:
        """The page for ``job`` from an idle worker (None: not a page's path), within limits."""
        return self._ask(job, wait)

    def _ask(self, job: Job | PageJob, wait: float | None) -> Answer | None:
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=wait if wait is not None else self.limits.timeout)
        except queue.Empty:
            return Answer(503, "text/plain", b"every query worker is busy; try again shortly\n")
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.limits.timeout):
                reply: Any = worker.conn.recv()
                self._idle.put(worker)
                if reply is None:
                    return None
                assert isinstance(reply, Answer)
                return Answer(
                    reply.status,
                    reply.media,
                    reply.body,
                    time.monotonic() - started,
                    reply.headers,
                )
        except (EOFError, OSError):
            worker.process.join(1)
            self._replace(worker)
            mib = self.limits.memory // 2**20
            why = (
                f"the query ran out of memory (a worker may use {mib} MiB)"
                if worker.process.exitcode == -signal.SIGABRT
                else f"the query stopped its worker (exit code {worker.process.exitcode})"
            )
            return Answer(503, "text/plain", f"{job.where}: {why}; narrow it\n".encode())
        self._replace(worker)
        return Answer(
            503,
            "text/plain",
            f"{job.where}: stopped after the time limit of {self.limits.timeout:g} s\n".encode(),
        )

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
