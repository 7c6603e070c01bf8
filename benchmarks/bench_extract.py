"""How well ``kgraph extract`` finds the curated numbers of the seed articles, and how fast.

Run: ``.venv/bin/python benchmarks/bench_extract.py``. Extracts each seed
article (the extractor never reads its curated observations) and scores the
candidates against them:

- **recall**: a curated row is found when a candidate has the same value
  (``parse_number``, scale words included, compared as numbers) and a quote
  span that overlaps the curated quote's span in the text;
- **rank-1 / top-3**: among found rows, the curated indicator is the
  candidate's first choice / among its first three;
- **subject**, **period**: among found rows, the candidate's equals the curated one;
- **precision**: candidates that match some curated row / all candidates.

Targets (issue 12): recall ≥ 95 %, rank-1 ≥ 70 %, top-3 ≥ 85 %, subject ≥ 85 %.
Each held-out fixture article (``tests/fixtures/extract_heldout*/``), when
present, is added to its own copy of ``data/`` and scored separately.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from timing import timed

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kgraph import resources  # noqa: E402
from kgraph.curate.extract import Candidate, Extractor  # noqa: E402
from kgraph.curate.quotes import locate  # noqa: E402
from kgraph.curate.tables import SPECS, load_table  # noqa: E402
from kgraph.curate.vn import parse_number  # noqa: E402
from kgraph.errors import ParseError  # noqa: E402

HELDOUT = ("extract_heldout", "extract_heldout2")
TARGETS = {"recall": 0.95, "rank-1": 0.70, "top-3": 0.85, "subject": 0.85}


@dataclass
class Score:
    curated: int = 0
    found: int = 0
    rank1: int = 0
    top3: int = 0
    subject: int = 0
    period: int = 0
    candidates: int = 0
    matching: int = 0
    seconds: float = 0.0

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rates(self) -> dict[str, float]:
        found = self.found or 1
        return {
            "recall": self.found / (self.curated or 1),
            "rank-1": self.rank1 / found,
            "top-3": self.top3 / found,
            "subject": self.subject / found,
            "period": self.period / found,
            "precision": self.matching / (self.candidates or 1),
        }


def _value(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except ParseError:
        return None


def _spans(quote: str, text: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(quote)
    while at >= 0:
        spans.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    if not spans and (loose := locate(quote, text)) is not None:
        spans.append((loose.start, loose.end))
    return spans


def score_article(text: str, curated: list[dict[str, str]], candidates: list[Candidate]) -> Score:
    """Score one article's candidates against its curated rows (see the module docstring)."""
    s = Score(curated=len(curated), candidates=len(candidates))
    values = [_value(c.value) for c in candidates]
    matched: set[int] = set()
    for row in curated:
        want = _value(row["value"])
        best, overlap = None, 0
        for span in _spans(row["quote"], text):
            for i, c in enumerate(candidates):
                common = min(span[1], c.end) - max(span[0], c.start)
                if values[i] == want and common > 0:
                    matched.add(i)
                    if common > overlap:
                        best, overlap = c, common
        if best is None:
            continue
        s.found += 1
        ranked = [best.indicator, *best.alternatives]
        s.rank1 += ranked[0] == row["indicator"]
        s.top3 += row["indicator"] in ranked[:3]
        s.subject += best.subject == row["subject"]
        s.period += best.period == row["period"]
    s.matching = len(matched)
    return s


def _curated(data_dir: Path, source: str) -> list[dict[str, str]]:
    path = data_dir / SPECS["observations"].path / f"{source}.csv"
    return [dict(r.raw) for r in load_table(SPECS["observations"], path)]


def score_folder(data_dir: Path, sources: list[str]) -> dict[str, Score]:
    extractor = Extractor(data_dir)
    scores = {}
    for source in sources:
        seconds, _, extraction = timed(lambda s=source: extractor.extract(s))
        score = score_article(extraction.text, _curated(data_dir, source), extraction.candidates)
        score.seconds = seconds
        scores[source] = score
    return scores


def _table(title: str, scores: dict[str, Score]) -> None:
    total = Score()
    print(f"\n### {title}\n")
    print(
        "| article | curated | found | recall | rank-1 | top-3 | subject | period "
        "| candidates | precision | time (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, s in [*scores.items(), ("overall", total)]:
        if name != "overall":
            total.add(s)
        r = s.rates()
        print(
            f"| {name} | {s.curated} | {s.found} | {r['recall']:.1%} | {r['rank-1']:.1%} "
            f"| {r['top-3']:.1%} | {r['subject']:.1%} | {r['period']:.1%} | {s.candidates} "
            f"| {r['precision']:.1%} | {s.seconds:.3f} |"
        )
    r = total.rates()
    missed = [k for k, v in TARGETS.items() if r[k] < v]
    print(f"\ntargets {'met' if not missed else 'missed: ' + ', '.join(missed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-heldout", action="store_true", help="Score the seeds only.")
    args = parser.parse_args()
    data_dir = resources.data_dir()
    seeds = sorted(p.stem for p in (data_dir / "sources").glob("*.txt"))
    setup, _, _ = timed(lambda: Extractor(data_dir))
    print(f"loading tables, lexicon and unit lists: {setup:.3f} s")
    _table("seed articles", score_folder(data_dir, seeds))
    if args.no_heldout:
        return
    from tests.fixture_articles import add_article

    for fixture in HELDOUT:
        if not (ROOT / "tests" / "fixtures" / fixture).is_dir():
            continue
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "data"
            shutil.copytree(data_dir, copy)
            source = add_article(copy, fixture)
            _table(f"held-out fixture article ({fixture})", score_folder(copy, [source]))


if __name__ == "__main__":
    main()
