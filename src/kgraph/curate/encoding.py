"""What every curated file and cell must be: UTF-8, Unicode NFC, no forbidden characters.

One place decides, so a source text, a table cell and a lexicon entry are
refused for the same reasons, with the same one-line message.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from kgraph.errors import InputError


def decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            path=path,
            row=line,
        ) from exc
    return text


#: characters no curated text may hold: C0/C1 controls but tab and line ends, the
#: noncharacters U+FFFE/U+FFFF (not well-formed XML) and the bidi embeddings,
#: overrides and isolates (which make ``gnp.exe`` display as ``exe.png``)
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)


def forbidden(text: str) -> str | None:
    """What is wrong with the first forbidden character of ``text``, or None."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char = found.group(0)
    name = unicodedata.name(char, "a control character")
    return (
        f"character U+{ord(char):04X} ({name}) is not allowed in text "
        "(controls, noncharacters and bidi overrides are refused)"
    )


def read_text(path: Path, *, nfc: bool = True) -> str:
    """A source text: UTF-8 and already NFC (sources are never normalised silently).

    ``nfc=False`` skips the NFC check, for a caller that normalises and says so.
    """
    text = decode(path)
    if nfc and not unicodedata.is_normalized("NFC", text):
        raise InputError("text is not in Unicode NFC; normalise the file to NFC", path=path)
    for line, content in enumerate(text.splitlines(), start=1):
        problem = forbidden(content)
        if problem:
            raise InputError(problem, path=path, row=line)
    return text
