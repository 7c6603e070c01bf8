"""Run Apache Jena's command-line tools from Debian's ``libapache-jena-java``.

The package ships jars only, and as packaged every command dies at start-up
(``XSSimpleTypeDecl.applyFacets1: internal error``): Jena's relocated Xerces
classes look for their message files under ``xerces/...``, but the jar holds
them under ``org/apache/jena/ext/xerces/...``. :func:`classpath` copies those
``.properties`` files into a small extra jar, built once into a cache folder,
and puts it on the classpath after the Debian jars.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

JAVA_DIR = Path("/usr/share/java")
RELOCATED = "org/apache/jena/ext/xerces/"

#: The jars Jena's commands need (Debian's unversioned names), with their dependencies.
JARS = (
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-rdfconnection",
    "jena-shacl",
    "jena-shex",
    "jena-tdb",
    "jena-tdb2",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "jsonld-java",
    "titanium-json-ld",
    "jakarta.json-api",
    "protobuf",
    "thrift",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "httpclient",
    "httpclient-cache",
    "httpcore",
    "slf4j-api",
    "slf4j-simple",
)


def missing() -> str | None:
    """Why Jena cannot run here (``None`` when it can)."""
    if shutil.which("java") is None:
        return "no java on PATH (Debian: default-jre-headless)"
    absent = [name for name in JARS if not (JAVA_DIR / f"{name}.jar").is_file()]
    if absent:
        return f"Jena jars missing from {JAVA_DIR}: {', '.join(absent)} (libapache-jena-java)"
    return None


def xerces_fix_jar(cache: Path) -> Path:
    """The extra jar holding Xerces' message files where the relocated classes look."""
    target = cache / "jena-xerces-messages.jar"
    if target.is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with (
        zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as core,
        zipfile.ZipFile(partial, "w") as fix,
    ):
        for name in core.namelist():
            if name.startswith(RELOCATED) and name.endswith(".properties"):
                fix.writestr("xerces/" + name[len(RELOCATED) :], core.read(name))
    partial.replace(target)
    return target


def classpath(cache: Path) -> str:
    """A classpath on which Jena's commands start."""
    jars = [str(JAVA_DIR / f"{name}.jar") for name in JARS]
    return ":".join([*jars, str(xerces_fix_jar(cache))])


def run(
    cache: Path, main_class: str, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a Jena command (e.g. ``riotcmd.riot``) and capture its output."""
    return subprocess.run(
        ["java", "-Xmx512m", "-cp", classpath(cache), main_class, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
