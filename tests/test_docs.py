"""The console examples in the docs are real: each `$ kgraph query …` block is run and compared.

A line of a documented output may elide with ``...`` (it then matches any text
there). ``KGRAPH_UPDATE_DOCS=1 pytest tests/test_docs.py`` rewrites blocks
without elisions from the real output, so a change that alters an answer shows
up as a diff of the docs.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.graph.engine import GraphStore

DOCS = Path(__file__).resolve().parents[1] / "docs"
BLOCK = re.compile(r"```console\n\$ (kgraph query [^\n]*)\n(.*?)```", re.S)


def _examples() -> list[tuple[str, str, str]]:
    found = []
    for page in sorted(DOCS.glob("*.md")):
        for m in BLOCK.finditer(page.read_text(encoding="utf-8")):
            if "--endpoint" not in m.group(1):
                found.append((page.name, m.group(1), m.group(2)))
    return found


def _matches(documented: str, real: str) -> bool:
    if "..." not in documented:
        return documented == real
    pattern = ".*".join(re.escape(part) for part in documented.split("..."))
    return re.fullmatch(pattern, real) is not None


@pytest.mark.parametrize(
    ("page", "command", "documented"), _examples(), ids=lambda v: v if len(v) < 60 else v[:60]
)
def test_documented_output_is_the_real_output(
    national_store: GraphStore, page: str, command: str, documented: str
) -> None:
    """Against the store `kgraph build` writes: the shipped graph and the national backbone."""
    args = [*shlex.split(command)[1:], "--input", str(national_store.path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    real_lines = result.output.splitlines()
    doc_lines = documented.splitlines()
    if os.environ.get("KGRAPH_UPDATE_DOCS") == "1" and "..." not in documented:
        path = DOCS / page
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(f"$ {command}\n{documented}", f"$ {command}\n{result.output}"),
            encoding="utf-8",
        )
        return
    if "..." in documented:  # an elided block shows some of the lines
        for line in doc_lines:
            assert any(_matches(line, real) for real in real_lines), f"{page}: {line!r}"
    else:
        assert doc_lines == real_lines, f"{page}: `{command}` answers differently now"


def test_the_docs_have_examples() -> None:
    assert len(_examples()) >= 5
