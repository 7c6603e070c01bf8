"""Independent parsers accept every export and count the same statements.

Raptor (``rapper``, Debian ``raptor2-utils``) and Apache Jena (``riot
--validate``, Debian ``libapache-jena-java``) read each file of a release; a
JSON-LD processor other than rdflib's (pyld) expands the JSON-LD to the built
graph. Outside CI a missing tool skips its tests with the reason; under CI
(``CI=true``, where ``.ci/run`` installs them) it fails them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests import jena

pytestmark = pytest.mark.external

#: release file -> rapper's input format (Raptor has no JSON-LD parser)
RAPPER_FORMATS = {
    "kgraph.ttl": "turtle",
    "kgraph.nt": "ntriples",
    "kgraph.rdf": "rdfxml",
    "kgraph.trig": "trig",
    "kgraph.nq": "nquads",
    "ontology.ttl": "turtle",
    "shapes.ttl": "turtle",
    "void.ttl": "turtle",
}
#: riot guesses the syntax from the suffix, except JSON-LD: Jena 4.5 reads JSON-LD 1.1
#: through Titanium, which needs a Jakarta JSON implementation Debian does not package,
#: so it is read with Jena's JSON-LD 1.0 parser (our context is 1.0-compatible on purpose).
RIOT_FILES = [*RAPPER_FORMATS, "kgraph.jsonld"]
COUNT = re.compile(r"^(?:file://)?(\S+) : (?:Triples|Quads) = ([\d,]+)$", re.MULTILINE)


def _require(reason: str | None) -> None:
    """Skip (or, under CI, fail) when a system part is missing."""
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must install it (.ci/system-deps)")
    pytest.skip(reason)


def _rapper_missing() -> str | None:
    return None if shutil.which("rapper") else "rapper not installed (Debian: raptor2-utils)"


@pytest.fixture(scope="module")
def statements(release_dir: Path) -> dict[str, int]:
    """The manifest's statement count of each RDF file."""
    manifest = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    return {f["path"]: f["statements"] for f in manifest["files"] if "statements" in f}


@pytest.fixture(scope="module")
def jena_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require(jena.missing())
    return tmp_path_factory.mktemp("jena")


def _rapper(path: Path, fmt: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["rapper", "-i", fmt, "-c", str(path)], capture_output=True, text=True, check=False
    )


def _riot_counts(output: str) -> dict[str, int]:
    return {Path(m[1]).name: int(m[2].replace(",", "")) for m in COUNT.finditer(output)}


# -- Raptor ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RAPPER_FORMATS))
def test_rapper_accepts_and_counts(
    release_dir: Path, statements: dict[str, int], name: str
) -> None:
    _require(_rapper_missing())
    path = release_dir / name
    if not path.is_file():
        assert name == "shapes.ttl"
        pytest.skip("no ontology/shapes.ttl in this checkout")
    result = _rapper(path, RAPPER_FORMATS[name])
    assert result.returncode == 0, result.stderr
    match = re.search(r"returned (\d+) (?:triples|statements)", result.stderr)
    assert match, result.stderr
    assert int(match[1]) == statements[name]


def test_rapper_rejects_a_broken_file(release_dir: Path, tmp_path: Path) -> None:
    _require(_rapper_missing())
    broken = tmp_path / "broken.trig"
    text = (release_dir / "kgraph.trig").read_text(encoding="utf-8")
    broken.write_text(text[: len(text) // 2], encoding="utf-8")  # cut inside a graph block
    assert _rapper(broken, "trig").returncode != 0


# -- Jena ------------------------------------------------------------------------------------


def test_riot_validates_and_counts_every_file(
    release_dir: Path, statements: dict[str, int], jena_cache: Path
) -> None:
    files = [release_dir / n for n in RAPPER_FORMATS if (release_dir / n).is_file()]
    result = jena.run(jena_cache, "riotcmd.riot", "--validate", "--count", *map(str, files))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not re.search(r"\b(WARN|ERROR)\b", output), output
    counts = _riot_counts(output)
    assert counts == {p.name: statements[p.name] for p in files}


def test_riot_validates_and_counts_jsonld(
    release_dir: Path, statements: dict[str, int], jena_cache: Path
) -> None:
    path = release_dir / "kgraph.jsonld"
    args = ["--validate", "--count", "--syntax=jsonld10", str(path)]
    result = jena.run(jena_cache, "riotcmd.riot", *args)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not re.search(r"\b(WARN|ERROR)\b", output), output
    assert _riot_counts(output) == {"kgraph.jsonld": statements["kgraph.jsonld"]}


def test_riot_catches_a_bad_literal_that_rapper_would_pass(
    release_dir: Path, tmp_path: Path, jena_cache: Path
) -> None:
    # article 001 prints Pom Lót's poor-household rate as "10,37": not a valid xsd:decimal
    lines = (release_dir / "kgraph.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    (line,) = [ln for ln in lines if '"10.37"^^' in ln and "sdmx/2009/measure#obsValue" in ln]
    bad = tmp_path / "bad.nt"
    bad.write_text(line.replace('"10.37"^^', '"10,37"^^'), encoding="utf-8")
    result = jena.run(jena_cache, "riotcmd.riot", "--validate", str(bad))
    assert result.returncode != 0
    assert "10,37" in result.stdout + result.stderr


# -- a second JSON-LD processor ---------------------------------------------------------------


def _pyld() -> Any:
    try:
        from pyld import jsonld
    except ImportError:
        _require("pyld not installed (pip install -e '.[test]')")
    return jsonld


def test_jsonld_expands_with_pyld_to_the_built_graph(graph: Graph, release_dir: Path) -> None:
    jsonld = _pyld()
    doc = json.loads((release_dir / "kgraph.jsonld").read_text(encoding="utf-8"))
    expanded = jsonld.expand(doc)
    pom_lot = next(n for n in expanded if n["@id"].endswith("/id/commune/2024-03356"))
    labels = pom_lot["http://www.w3.org/2000/01/rdf-schema#label"]
    assert {"@value": "Pom Lót", "@language": "vi"} in labels
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    back = Graph().parse(data=nquads, format="nquads")
    assert len(back) == len(graph)
    assert isomorphic(back, graph)


def test_published_context_compacts_pyld_output_the_same_way(release_dir: Path) -> None:
    jsonld = _pyld()
    doc = json.loads((release_dir / "kgraph.jsonld").read_text(encoding="utf-8"))
    context = json.loads((release_dir / "context.jsonld").read_text(encoding="utf-8"))
    compacted = jsonld.compact(jsonld.expand(doc), context)
    nodes = {n["@id"]: n for n in compacted["@graph"]}
    ours = {n["@id"]: n for n in doc["@graph"]}
    assert nodes.keys() == ours.keys()
    pom_lot = next(k for k in ours if k.endswith("/id/commune/2024-03356"))
    assert nodes[pom_lot]["label"] == ours[pom_lot]["label"]
    assert set(nodes[pom_lot]) == set(ours[pom_lot])
