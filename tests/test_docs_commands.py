"""Every shell command in the README and the audience pages runs, from the repo root, as written.

The commands are read from the docs when the tests run (```sh, ```bash and
```console blocks; in console blocks the ``$ `` lines), so a command added
later is tested too. Each runs in a scratch folder that looks like the repo
root after ``kgraph all``: the checkout's folders linked in, ``.venv`` the
running environment, and a ``build/`` made once by ``kgraph all``. A command
fails when it exits non-zero. ``kgraph …`` runs in process through click;
everything else (pipes, ``cd``, ``curl``, ``node``…) through bash with the
environment's ``bin/`` first on ``PATH``, skipped with the reason when a
program it calls is not installed. ``kgraph serve`` is started, asked for its
query library and kept running for the commands that call it on its port.
A command that is none of these is listed in ``NOT_RUN`` with the reason;
there is no other way out, and a listed command that left the docs fails
the listing.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("README.md", "docs/researchers.md", "docs/analysts.md", "docs/integrators.md")
SHELLS = ("sh", "bash", "shell", "console")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
KGRAPH = ("kgraph", ".venv/bin/kgraph")
#: what makes bash necessary: operators and redirections, expansions, builtins
OPERATOR = re.compile(r"[&|;<>()]+")
EXPANSION = re.compile(r"[$`]")
ASSIGNMENT = re.compile(r"\w+=.*")
BUILTINS = ("cd", "export")
LOCAL_URL = re.compile(r"https?://(?:127\.0\.0\.1|localhost):(\d+)")
VIRTUOSO = "needs a Virtuoso server and its dba password (tests/sparql/test_push_virtuoso.py)"
PLACEHOLDER_ARTICLE = "the reader's own article; it would be added to the checkout's data/"

#: documented commands the test does not run (canonical form, see `Command.key`) -> why
NOT_RUN: dict[str, str] = {
    "bash .ci/main": "sets up .venv with pip, then runs `kgraph all`, which makes build/ here",
    "bash .ci/run": "runs the whole test suite, this file included",
    ".venv/bin/kgraph push --endpoint URL": "URL stands for the reader's triple store",
    "export KGRAPH_PASSWORD=...": "the reader's Virtuoso password",
    "kgraph push --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --user dba": VIRTUOSO,
    "kgraph query cells-and-members --endpoint http://127.0.0.1:8890/sparql --graph "
    "https://kgraph.example.org/id/dataset/kgraph": VIRTUOSO,
    ".venv/bin/kgraph generate --triples 1000000 --out /tmp/big": "a benchmark-sized run "
    "outside the working folder; tests/curate/test_generate.py runs generate",
    ".venv/bin/kgraph source add article.txt --title '…' --published '13:58 15/08/2025'": (
        PLACEHOLDER_ARTICLE
    ),
    ".venv/bin/kgraph extract 005_3fa2c1d09b7e4a61": PLACEHOLDER_ARTICLE,
    ".venv/bin/kgraph review 005_3fa2c1d09b7e4a61": PLACEHOLDER_ARTICLE
    + "; review also opens a browser",
    ".venv/bin/kgraph site --out build/site": "writes a page for each of the ~25,000 entities "
    "of the national build (minutes); tests/pages/test_site.py runs `kgraph site` on the "
    "shipped graph without the backbone",
    "kgraph chart --all": "draws every chart of the national build (about 100 s); "
    "tests/charts/test_render.py runs `kgraph chart --all` on a small fixture",
}


@dataclass(frozen=True)
class Command:
    """One command line of a docs page (continuation lines and quoted newlines included)."""

    page: str
    text: str

    @property
    def tokens(self) -> list[str]:
        """The words and operators bash would see (comment dropped, continuations joined)."""
        lexer = shlex.shlex(self.text.replace("\\\n", " "), posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        return list(lexer)

    @property
    def argv(self) -> list[str]:
        return self.tokens

    @property
    def key(self) -> str:
        """The command without its comment, quoted canonically."""
        return " ".join(t if OPERATOR.fullmatch(t) else shlex.quote(t) for t in self.tokens)

    @property
    def needs_shell(self) -> bool:
        return (
            any(OPERATOR.fullmatch(t) for t in self.tokens)
            or self.tokens[0] in BUILTINS
            or bool(EXPANSION.search(self.text))
        )

    @property
    def programs(self) -> list[str]:
        """The programs the command calls (the words that start each part of it)."""
        words, start = [], True
        for token in self.tokens:
            if start and token not in BUILTINS and not ASSIGNMENT.fullmatch(token):
                words.append(token)
            start = bool(OPERATOR.fullmatch(token))
        return words

    def __str__(self) -> str:
        return f"{self.page}: {self.key}"


def _complete(text: str) -> bool:
    if text.rstrip().endswith("\\"):
        return False
    try:
        return bool(Command("", text).tokens)
    except ValueError:  # an open quote: the command goes on
        return False


def documented_commands() -> list[Command]:
    """Every command line of the pages' shell blocks, in page order."""
    found = []
    for page in PAGES:
        for fence in FENCE.finditer((ROOT / page).read_text(encoding="utf-8")):
            if fence.group(1) not in SHELLS:
                continue
            console = fence.group(1) == "console"
            lines = iter(fence.group(2).splitlines())
            for line in lines:
                if console and not line.startswith("$ "):
                    continue  # a line of output
                text = line[2:] if console else line
                if not text.strip() or text.lstrip().startswith("#"):
                    continue
                while not _complete(text):
                    text += "\n" + next(lines)
                found.append(Command(page, text))
    return found


COMMANDS = documented_commands()


def _port(command: Command) -> int:
    argv = command.argv
    return int(argv[argv.index("--port") + 1]) if "--port" in argv else 8000


def _is_server(command: Command) -> bool:
    return command.argv[0] in KGRAPH and command.argv[1:2] == ["serve"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder like the repo root after `kgraph all`: the checkout linked in, build/ made."""
    root = tmp_path_factory.mktemp("repo")
    for entry in ROOT.iterdir():
        if entry.name not in ("build", ".venv", ".git") and not entry.name.startswith("."):
            (root / entry.name).symlink_to(entry)
    (root / ".ci").symlink_to(ROOT / ".ci")
    (root / ".venv").symlink_to(Path(sys.prefix))
    before = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["all"])
        assert result.exit_code == 0, result.output
        yield root
    finally:
        os.chdir(before)


def _environment(repo: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{repo / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


class Servers:
    """`kgraph serve` processes started from the docs, one per port, stopped at the end."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.running: dict[int, tuple[Command, subprocess.Popen[bytes]]] = {}

    def start(self, command: Command) -> None:
        port = _port(command)
        if port in self.running:
            if self.running[port][0].key == command.key:
                return
            self.stop(port)
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                pytest.skip(f"port {port} is taken by another program on this machine")
        argv = command.argv
        argv[0] = shutil.which(argv[0], path=_environment(self.repo)["PATH"]) or argv[0]
        proc = subprocess.Popen(
            argv,
            cwd=self.repo,
            env=_environment(self.repo),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers stop with it
        )
        self.running[port] = (command, proc)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    assert answer.status == 200
                    return
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    self.stop(port)
                    output = proc.stdout.read().decode() if proc.stdout else ""
                    pytest.fail(f"{command} did not start serving: {output}")
                time.sleep(0.2)

    def stop(self, port: int) -> None:
        _, proc = self.running.pop(port)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if proc.stdout:
            proc.stdout.close()

    def serving(self, port: int) -> None:
        """Make sure something the docs start listens on `port` (the first serve command for it)."""
        if port not in self.running:
            servers = [c for c in COMMANDS if _is_server(c) and _port(c) == port]
            if not servers:
                pytest.fail(f"no documented `kgraph serve` listens on port {port}")
            self.start(servers[0])


@pytest.fixture(scope="module")
def servers(repo: Path) -> Iterator[Servers]:
    running = Servers(repo)
    yield running
    for port in list(running.running):
        running.stop(port)


#: kgraph argument lists that already ran and exited 0 in this module
_PASSED: set[tuple[str, ...]] = set()


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_documented_command_runs(command: Command, repo: Path, servers: Servers) -> None:
    """From the repo root after `kgraph all`, the command exits 0."""
    if command.key in NOT_RUN:
        pytest.skip(f"not run: {NOT_RUN[command.key]}")
    if _is_server(command):
        servers.start(command)
        return
    for port in LOCAL_URL.findall(command.text):
        servers.serving(int(port))
    if command.argv[0] in KGRAPH and not command.needs_shell:
        args = tuple(command.argv[1:])
        if args not in _PASSED:  # `kgraph build` and `.venv/bin/kgraph build` are one run
            result = CliRunner().invoke(main, list(args))
            assert result.exit_code == 0, f"{command}\n{result.output}"
            _PASSED.add(args)
        return
    env = _environment(repo)
    missing = [p for p in command.programs if shutil.which(p, path=env["PATH"]) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed")
    done = subprocess.run(
        ["bash", "-c", command.text],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"


def test_commands_not_run_are_still_documented() -> None:
    """A listed command that left the docs is a stale excuse: drop it from the list."""
    keys = {c.key for c in COMMANDS}
    assert sorted(set(NOT_RUN) - keys) == []


def test_commands_are_found() -> None:
    """The reader follows code blocks of each kind: every page has commands and they parse."""
    pages = {c.page for c in COMMANDS}
    assert pages == set(PAGES)
    multi = [c for c in COMMANDS if "\n" in c.text]
    assert multi, "continuation lines and quoted newlines make one command"
    assert all(c.argv for c in COMMANDS)
