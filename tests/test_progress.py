"""Progress of long commands: shown on a terminal, silent when piped, reported by the work."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.cli.progress import TerminalProgress, for_terminal
from kgraph.curate import generate
from kgraph.curate.generate import generate_data
from kgraph.errors import KgraphError
from kgraph.progress import SILENT, Advance


class _Tty(io.StringIO):
    """A captured stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Recorder:
    """Remembers each task: its label, total and how many steps were reported."""

    def __init__(self) -> None:
        self.tasks: list[tuple[str, int | None, int]] = []

    @contextmanager
    def task(self, label: str, total: int | None = None) -> Iterator[Advance]:
        done = 0

        def advance(steps: int) -> None:
            nonlocal done
            done += steps

        yield advance
        self.tasks.append((label, total, done))


@pytest.fixture()
def watched(monkeypatch: pytest.MonkeyPatch) -> None:
    """An interactive terminal, as a person at a shell has (CI sets CI, editors TERM=dumb)."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_a_pipe_gets_no_progress(watched: None) -> None:
    assert for_terminal(io.StringIO()) is SILENT


def test_a_terminal_gets_progress(watched: None) -> None:
    assert isinstance(for_terminal(_Tty()), TerminalProgress)


@pytest.mark.parametrize(("name", "value"), [("CI", "true"), ("TERM", "dumb")])
def test_logs_get_no_progress_even_on_a_terminal(
    watched: None, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    assert for_terminal(_Tty()) is SILENT


def test_a_counted_task_shows_its_label_and_count() -> None:
    stream = _Tty()
    with TerminalProgress(stream).task("pushing graphs", total=3) as advance:
        for _ in range(3):
            advance(1)
    shown = stream.getvalue()
    assert "pushing graphs" in shown
    assert "3/3" in shown
    assert shown.endswith("\n")


def test_a_task_of_unknown_length_says_when_it_is_done() -> None:
    stream = _Tty()
    with TerminalProgress(stream).task("writing the store"):
        pass
    assert stream.getvalue().startswith("writing the store …\rwriting the store: done in ")
    assert stream.getvalue().endswith(" s\n")


def test_silent_reports_nothing_and_accepts_steps(capsys: pytest.CaptureFixture[str]) -> None:
    with SILENT.task("anything", total=2) as advance:
        advance(2)
    assert capsys.readouterr() == ("", "")


def test_generate_reports_one_step_per_article(tmp_path: Path) -> None:
    recorder = Recorder()
    made = generate_data(tmp_path / "data", triples=5_000, seed=1, progress=recorder)
    assert recorder.tasks == [("generating articles", made.communes, made.communes)]
    assert len(list((tmp_path / "data" / "sources").glob("*.txt"))) == made.communes


def test_an_interrupted_generate_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    write = generate._write_csv

    def fail_on_the_third(path: Path, header: str, rows: list[list[str]]) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KgraphError("disk full (simulated)")
        write(path, header, rows)

    monkeypatch.setattr(generate, "_write_csv", fail_on_the_third)
    with pytest.raises(KgraphError, match="simulated"):
        generate_data(tmp_path / "data", triples=5_000, seed=1)
    assert list(tmp_path.iterdir()) == []


def test_the_cli_shows_no_progress_when_piped(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["generate", "--triples", "5000", "--out", str(tmp_path / "d")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("generated ")
    assert "generating articles" not in result.output
