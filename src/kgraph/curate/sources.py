"""Adding an article: its id, its file, its ``sources.csv`` row and its empty observation table.

A source id is ``<number>_<key>``: the number is the next free one (three digits
or more: ``005``, ``1000``), so ids sort in the order articles were added and
observation ids (``005-01``) stay short; the key is the first 16 hex digits of
the SHA-256 of the file's bytes, so two people adding articles in parallel get
different ids and the same article twice is recognised. The five seed
articles have keys of unknown origin; they are kept as they are.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kgraph.curate.dataset import load_changed, source_number
from kgraph.curate.encoding import read_text
from kgraph.curate.quotes import locate
from kgraph.curate.tables import SPECS, load_table
from kgraph.curate.vn import parse_datetime
from kgraph.errors import InputError
from kgraph.files import write_text

#: hex digits of SHA-256 in a source key: 64 bits, no collision expected below ~10^9 articles
KEY_DIGITS = 16


@dataclass(frozen=True)
class AddedSource:
    """What ``add_source`` wrote, and whether the article has a title of its own."""

    id: str
    text: Path
    observations: Path
    row: int
    normalised: bool
    titled: bool


def source_key(data: bytes) -> str:
    """The key part of a new source id.

    >>> source_key("Xã Pom Lót\\n".encode())
    'e1d4a6a88d4a900c'
    """
    return hashlib.sha256(data).hexdigest()[:KEY_DIGITS]


def next_number(taken: list[str]) -> str:
    """The next free source number, zero-padded to three digits (more when needed).

    >>> next_number(["000", "004"]), next_number([]), next_number(["999"])
    ('005', '000', '1000')
    """
    n = max((int(t) for t in taken), default=-1) + 1
    return f"{n:03d}"


def add_source(
    data_dir: Path,
    file: Path,
    *,
    title: str | None = None,
    title_en: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
    published: str | None = None,
    language: str = "vi",
    note: str | None = None,
    normalise: bool = False,
) -> AddedSource:
    """Copy ``file`` into ``data_dir/sources/`` and register it; all or nothing.

    The text must be UTF-8 in NFC (``normalise`` stores its NFC form instead and
    says so in the note); an article whose bytes are already a source is refused
    with the id it has. The new row is checked as ``kgraph build`` checks it
    (the whole data folder is loaded with it) before anything is written.
    """
    data_dir, file = Path(data_dir), Path(file)
    # options typed on a command line: surrounding spaces are never part of a cell
    title, title_en, url, publisher, author, published, note = (
        v.strip() or None if v is not None else None
        for v in (title, title_en, url, publisher, author, published, note)
    )
    text = read_text(file, nfc=False)  # UTF-8, no forbidden characters; errors name the line
    normalised = False
    if not unicodedata.is_normalized("NFC", text):
        if not normalise:
            raise InputError(
                "text is not in Unicode NFC (rerun with --nfc to store its NFC form)", path=file
            )
        text, normalised = unicodedata.normalize("NFC", text), True
        note = "; ".join(filter(None, [note, "Normalised to Unicode NFC when added."]))
    data = text.encode("utf-8")
    sources_csv = data_dir / "sources.csv"
    rows = load_table(SPECS["sources"], sources_csv)
    key = source_key(data)
    for row in rows:
        existing = data_dir / "sources" / row["file"]
        if existing.is_file() and existing.read_bytes() == data:
            raise InputError(f"this article is already source {row['id']}", path=file)
    source_id = f"{next_number([source_number(r['id']) for r in rows])}_{key}"
    if published is not None:
        try:
            parse_datetime(published)
        except ValueError as exc:
            raise InputError(f"--published: {exc}", path=file) from None
    if title is not None and locate(title, text) is None:
        raise InputError(
            f"--title {title!r} is not printed in the text (copy it as printed, or leave it out)",
            path=file,
        )
    cells = {
        "id": source_id,
        "file": f"{source_id}.txt",
        "title": title or "",
        "title_en": title_en or "",
        "publisher": publisher or "",
        "author": author or "",
        "published": published or "",
        "url": url or "",
        "language": language,
        "note": note or "",
    }
    header = [c.name for c in SPECS["sources"].columns]
    new_sources = sources_csv.read_text(encoding="utf-8") + _csv_line([cells[h] for h in header])
    obs_header = ",".join(c.name for c in SPECS["observations"].columns) + "\n"
    text_path = data_dir / "sources" / cells["file"]
    obs_path = data_dir / SPECS["observations"].path / f"{source_id}.csv"
    try:
        load_changed(data_dir, {sources_csv: new_sources, text_path: data, obs_path: obs_header})
    except InputError as exc:
        raise InputError(
            f"the new source would be refused: {exc.detail}",
            path=exc.path,
            row=exc.row,
            column=exc.column,
        ) from None
    line = sources_csv.read_text(encoding="utf-8").count("\n") + 1
    written: list[Path] = []
    try:
        text_path.parent.mkdir(parents=True, exist_ok=True)
        with open(text_path, "xb") as fh:  # never over an existing article
            written.append(text_path)
            fh.write(data)
        write_text(obs_path, obs_header)
        written.append(obs_path)
        write_text(sources_csv, new_sources)
    except BaseException:
        for path in written:  # nothing half-added: the row is written last
            path.unlink(missing_ok=True)
        raise
    return AddedSource(source_id, text_path, obs_path, line, normalised, bool(title))


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()
