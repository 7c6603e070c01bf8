"""A seeded fuzzer for the curated tables: each mutated input is a clean error or loads as written.

Each case changes one cell of one row of one shipped table (a character added,
removed or replaced, a control or bidi character, a numeral word, a stray
quote, comma or line break, leading or trailing space...), writes the table
as valid CSV and loads the whole data folder. Each outcome is one of:

- **clean error**: an :class:`InputError` of one line naming the file and row;
- **accepted as written**: it loads and the cell holds exactly the text written;
- **crash**: any other exception — fails the test;
- **accepted but changed**: it loads but the cell holds something else — fails.

``KGRAPH_FUZZ_CASES`` sets the number of cases (default 2,500, about 30 s);
``KGRAPH_FUZZ_SEED`` the seed. The counts of the last run go in docs/validation.md.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kgraph.curate.dataset import load_dataset
from kgraph.errors import InputError

CASES = int(os.environ.get("KGRAPH_FUZZ_CASES", "2500"))
SEED = int(os.environ.get("KGRAPH_FUZZ_SEED", "20261201"))
#: characters the mutator inserts: the troublesome ones and ordinary Vietnamese text
ALPHABET = (
    "\x00\x07\x1f\x7f\u0085\u00a0\u200b\u200e\u202e\u2066\ufeff\ufffe"
    "\"',;\n\r\t -_.%/0123456789"
    "aăâđeêioôơuưyAĂÂĐEÊIOÔƠUƯY"
    "\u0301\u0300\u0323"  # combining accents: not NFC next to a base letter
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
WORDS = ("không", "một", "hai", "năm", "chín", "mười", "current", "2017", "1.400", "10,37", "")


def _tables(data: Path) -> list[Path]:
    return [*sorted((data / "curated").rglob("*.csv")), data / "sources.csv"]


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> None:
    """Valid CSV that holds every cell exactly (quoted: a lone ``\r`` would read as a line end)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _mutate(cell: str, rng: random.Random) -> str:
    kind = rng.randrange(8)
    at = rng.randint(0, len(cell))
    if kind == 0:
        return cell[:at] + rng.choice(ALPHABET) + cell[at:]
    if kind == 1 and cell:
        at = rng.randrange(len(cell))
        return cell[:at] + cell[at + 1 :]
    if kind == 2 and cell:
        at = rng.randrange(len(cell))
        return cell[:at] + rng.choice(ALPHABET) + cell[at + 1 :]
    if kind == 3:
        return rng.choice(WORDS)
    if kind == 4:
        return rng.choice((" ", "\u00a0", "\t")) + cell if rng.random() < 0.5 else cell + " "
    if kind == 5:
        return cell.upper() if rng.random() < 0.5 else cell.lower()
    if kind == 6:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 8)))
    return cell + cell


def _record_lines(path: Path) -> list[int]:
    """The line each record of a CSV file starts on (records may span lines)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        starts = []
        while True:
            start = reader.line_num + 1
            try:
                next(reader)
            except StopIteration:
                return starts
            starts.append(start)


def run_fuzzer(data: Path, cases: int, seed: int) -> Counter[str]:
    """Mutate ``cases`` cells of the tables under ``data`` one at a time; count the outcomes."""
    rng = random.Random(seed)
    tables = _tables(data)
    originals = {p: _read(p) for p in tables}
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    for path in tables:  # the quoted form of each unmutated table loads as shipped
        _write(path, originals[path])
    load_dataset(data)
    for _ in range(cases):
        path = rng.choice(tables)
        rows = [list(r) for r in originals[path]]
        if len(rows) < 2:
            continue
        r = rng.randrange(1, len(rows))
        c = rng.randrange(len(rows[r]))
        written = _mutate(rows[r][c], rng)
        if written == rows[r][c]:
            continue
        rows[r][c] = written
        _write(path, rows)
        column = rows[0][c]
        try:
            dataset = load_dataset(data)
        except InputError as exc:
            if exc.path is not None and "\n" not in str(exc):
                outcomes["clean error"] += 1
            else:
                outcomes["crash"] += 1
                failures.append(f"unclear error for {column}={written!r}: {exc}")
        except Exception as exc:  # a crash is what the fuzzer is for
            outcomes["crash"] += 1
            failures.append(f"{type(exc).__name__} for {column}={written!r} in {path.name}: {exc}")
        else:
            line = _record_lines(path)[r]
            loaded = [
                row
                for table_rows in dataset.tables.values()
                for row in table_rows
                if row.path == path and row.line == line
            ]
            if loaded and loaded[0].raw.get(column, written) != written:
                outcomes["accepted but changed"] += 1
                failures.append(
                    f"{path.name} row {line} {column}: wrote {written!r}, "
                    f"loaded {loaded[0].raw.get(column)!r}"
                )
            else:
                outcomes["accepted as written"] += 1
        finally:
            _write(path, originals[path])
    assert not failures, "\n".join(failures[:20])
    return outcomes


@pytest.mark.parametrize("seed", [SEED])
def test_no_crash_and_nothing_accepted_but_changed(
    data_dir: Path, tmp_path: Path, seed: int
) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    outcomes = run_fuzzer(data, CASES, seed)
    assert outcomes["clean error"] > 0 and outcomes["accepted as written"] > 0
    assert sum(outcomes.values()) > CASES * 0.8  # the rest changed nothing
    print(f"fuzzer, seed {seed}: {dict(sorted(outcomes.items()))}")
