"""Files written whole or not at all: the one way kgraph replaces a file or a folder.

A file is written beside its target and renamed into place, so a killed or
failing write never leaves half a file at a final path; leftovers of a killed
earlier write are removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from kgraph.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Open a temporary binary file beside ``path``; rename it over ``path`` only on success.

    Temporary files that a killed earlier write of the same ``path`` left are
    removed first (two writers of one path at once are not supported).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in path.parent.glob(f".{path.name}.*"):  # from a run that was killed
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write here: {_why(exc, path)}", path=path) from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write here: {_why(exc, path)}", path=path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _why(exc: OSError, path: Path) -> str:
    """A short reason, naming the part of ``path`` that is in the way."""
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            return f"{parent} is a file, not a folder"
    return exc.strerror or str(exc)


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A scratch folder beside ``target`` that replaces ``target`` whole, only on success.

    The folder is filled inside the ``with`` block; afterwards renames put it
    in place and remove the old one, so readers see either the old folder or
    the new one, never half of either. Scratch and old folders that a killed
    earlier run left beside ``target`` are removed first (two writers of one
    folder at once are not supported).
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in target.parent.glob(f".{target.name}.*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"cannot write here: {_why(exc, target)}", path=target) from None
    try:
        yield scratch
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(scratch, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically."""
    with atomic_writer(path) as fh:
        fh.write(text.encode("utf-8"))


#: what the main outputs are called beside each other in a build folder: name -> index page
BUILD_INDEXES: dict[str, str] = {
    "views": "views/index.html",
    "charts": "charts/index.html",
    "site": "site/browse/index.html",
}


def sibling_links(folder: Path, names: tuple[str, ...]) -> dict[str, str]:
    """Relative links from ``folder`` to the index pages of ``names`` written beside it.

    Only indexes that exist now are linked, so a page never links to nothing.

    >>> sibling_links(Path("/nowhere/views"), ("charts",))
    {}
    """
    found = {}
    for name in names:
        target = Path(folder).parent / BUILD_INDEXES[name]
        if target.is_file():
            found[name] = os.path.relpath(target, Path(folder)).replace(os.sep, "/")
    return found
