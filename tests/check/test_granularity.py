"""The smallest total a printed share fits (GRIM-style), added to kgsh:ShareFitsTotal."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kgraph.check.granularity import smallest_total


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("50,0", (2, 1)), ("33", (3, 1)), ("33,3", (3, 1)), ("43,7", (71, 31)), ("100", (1, 1))],
)
def test_smallest_total(printed: str, expected: tuple[int, int]) -> None:
    assert smallest_total(printed) == expected


@pytest.mark.parametrize("printed", ["43,7", "52,17", "7,5", "0,3"])
def test_no_smaller_total_fits(printed: str) -> None:
    """Brute force over every smaller total and count: none rounds to the printed share."""
    found = smallest_total(printed)
    assert found is not None
    n, k = found
    rate = Fraction(printed.replace(",", "."))
    half = Fraction(1, 2 * 10 ** len(printed.partition(",")[2]))
    assert rate - half <= Fraction(100 * k, n) < rate + half
    for smaller in range(1, n):
        assert not any(
            rate - half <= Fraction(100 * c, smaller) < rate + half for c in range(smaller + 1)
        )


def test_a_share_no_total_fits_says_so() -> None:
    assert smallest_total("0,01", limit=100) is None
