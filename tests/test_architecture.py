"""The package layout: stages as subpackages, imports only down the stack, docs that match.

``docs/architecture.md`` promises a layering; these tests hold the code to it
(every ``kgraph`` import, including the ones inside functions) and hold the
document to the folder listing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "kgraph"

#: Layer of each top-level part of kgraph: a module may import its own part and lower layers.
#: Parts on the same layer never import each other.
LAYERS: dict[str, int] = {
    "errors": 0,
    "resources": 1,
    "files": 1,
    "progress": 1,
    "curate": 2,
    "graph": 3,
    "check": 4,
    "sparql": 4,
    "views": 4,
    "publish": 5,
    "pages": 6,
    "charts": 5,
    "pipeline": 7,
    "cli": 8,
    "__main__": 9,
}
MAX_LINES = 500


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported_parts(path: Path) -> set[tuple[str, int]]:
    """(part, line) of every kgraph module this file imports, wherever the import stands."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "kgraph":
                names = [f"kgraph.{a.name}" for a in node.names]
            else:
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            bits = name.split(".")
            if bits[0] == "kgraph" and len(bits) > 1 and bits[1] != "__version__":
                found.add((bits[1], node.lineno))
    return found


def test_every_part_has_a_layer() -> None:
    parts = {_part(p) for p in _modules()} - {"__init__"}
    assert parts == set(LAYERS)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_down_the_stack(path: Path) -> None:
    part = _part(path)
    if part == "__init__":  # the package root re-exports the public API lazily
        return
    for other, line in sorted(_imported_parts(path)):
        if other == part:
            continue
        assert LAYERS[other] < LAYERS[part], (
            f"{path.relative_to(ROOT)}:{line}: {part} (layer {LAYERS[part]}) imports "
            f"{other} (layer {LAYERS[other]}); imports only go down the stack"
        )


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_outgrows_one_room(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (split it by its seams)"


def _doc_tree(doc: str) -> set[str]:
    """Paths drawn in the ``src/kgraph/`` tree of docs/architecture.md (├── / └── lines)."""
    block = doc.split("```text\nsrc/kgraph/\n", 1)[1].split("```", 1)[0]
    paths: set[str] = set()
    stack: list[str] = []
    for line in block.splitlines():
        m = re.match(r"^((?:│   |    )*)(?:├── |└── )(\S+)", line)
        if not m:
            continue
        depth = len(m.group(1)) // 4
        stack = [*stack[:depth], m.group(2)]
        paths.add("".join(stack))
    return paths


def test_architecture_doc_draws_the_tree() -> None:
    drawn = _doc_tree((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    # every module, except the subpackages' __init__ files (their folder stands for them)
    tree = {
        str(p.relative_to(PACKAGE))
        for p in _modules()
        if p.name != "__init__.py" or p.parent == PACKAGE
    }
    tree |= {
        f"{p.parent.relative_to(PACKAGE)}/"
        for p in PACKAGE.rglob("__init__.py")
        if p.parent != PACKAGE
    }
    assert not tree - drawn, f"docs/architecture.md does not show {sorted(tree - drawn)}"
    assert not drawn - tree, f"docs/architecture.md shows missing modules: {sorted(drawn - tree)}"


def test_tests_mirror_the_package() -> None:
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    folders = {p.name for p in (ROOT / "tests").iterdir() if (p / "__init__.py").is_file()}
    assert stages <= folders, f"no tests/<stage>/ folder for {sorted(stages - folders)}"


def test_public_api_from_the_package_root() -> None:
    import kgraph

    for name in kgraph.__all__:
        assert getattr(kgraph, name) is not None, name
    assert kgraph.build_graph.__module__ == "kgraph.graph.build"
    assert kgraph.validate_graph.__module__ == "kgraph.check.validate"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_docstring_examples_run_wherever_they_are(path: Path) -> None:
    """Every runnable example in a docstring runs (so examples survive a module being split)."""
    import doctest
    import importlib

    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    if parts == ["__main__"]:
        return
    module = importlib.import_module(".".join(["kgraph", *parts]))
    result = doctest.testmod(module)
    assert result.failed == 0, f"{module.__name__}: {result.failed} failing example(s)"
