"""Fixture articles that tests add to a copy of ``data/`` (see tests/fixtures/*/README.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: the tables a fixture article folder may add rows to
_TABLES = ("sources", "places", "organisations", "people", "posts", "documents", "mentions")


def add_article(data_dir: Path, name: str, replace: dict[str, str] | None = None) -> str:
    """Add the fixture article ``name`` (its text and its rows) to ``data_dir``; its source id.

    ``replace`` rewrites text in the rows before they are added (old -> new),
    so a test can break one cell on purpose.
    """
    replace = replace or {}
    folder = FIXTURES / name
    (text,) = folder.glob("*.txt")
    source = text.stem
    shutil.copyfile(text, data_dir / "sources" / text.name)
    for table in _TABLES:
        rows = folder / f"{table}.csv"
        if not rows.is_file():
            continue
        target = data_dir / ("sources.csv" if table == "sources" else f"curated/{table}.csv")
        _, *body = rows.read_text(encoding="utf-8").splitlines(keepends=True)
        with target.open("a", encoding="utf-8") as fh:
            fh.write(_replaced("".join(body), replace))
    observations = (folder / "observations.csv").read_text(encoding="utf-8")
    (data_dir / "curated" / "observations" / f"{source}.csv").write_text(
        _replaced(observations, replace), encoding="utf-8"
    )
    return source


def _replaced(text: str, replace: dict[str, str]) -> str:
    for old, new in replace.items():
        text = text.replace(old, new)
    return text
