"""pathways.numbers: one set of formatters, one check with one message form."""

from __future__ import annotations

import math

import pytest

from pathways import numbers
from pathways.errors import PathwaysError
from pathways.numbers import (
    MAX_CREDITS,
    MAX_FEE,
    NumberError,
    check,
    figure,
    grouped,
    money,
    natural,
    number,
    plain,
    problem,
    share,
    weeks,
)


def test_formatters() -> None:
    assert figure(8840.0) == 8840 and isinstance(figure(8840.0), int)
    assert figure(8840.499) == 8840.5
    assert figure(-0.001) == 0 and str(figure(-0.001)) == "0"
    assert plain(8840) == "8840" and plain(8840.5) == "8840.50"
    assert money(21640) == "$21,640" and money(21640.5) == "$21,640.50"
    assert grouped(1234) == "1,234" and grouped(1234.5) == "1,234.5"
    assert number(None) == "–" and number(12.0) == "12" and number(0.75) == "0.75"
    assert number(7) == "7"
    assert natural(9600.0) == 9600 and isinstance(natural(9600.0), int)
    assert natural(0.123456, 4) == 0.1235 and natural(2.5) == 2.5
    assert weeks(1) == "1 week" and weeks(0.2) == "1 week" and weeks(2600.1) == "2,601 weeks"
    assert share(0.25) == "25%"


def test_check_returns_the_value() -> None:
    assert check(30, "credits of MC-X", high=MAX_CREDITS, integer=True) == 30
    assert check(30.0, "credits of MC-X", high=MAX_CREDITS, integer=True) == 30.0
    assert check(0, "fee", high=MAX_FEE) == 0


@pytest.mark.parametrize(("value", "expected"), [
    (math.nan, "fee of MC-X: nan is not a number; give a number from 0 to 10,000,000"),
    (math.inf, "fee of MC-X: inf is out of range (0 to 10,000,000); "
               "give a number from 0 to 10,000,000"),
    (-math.inf, "fee of MC-X: -inf is out of range (0 to 10,000,000); "
                "give a number from 0 to 10,000,000"),
    (1e308, "fee of MC-X: 1e+308 is out of range (0 to 10,000,000); "
            "give a number from 0 to 10,000,000"),
    (-5, "fee of MC-X: -5 is out of range (0 to 10,000,000); "
         "give a number from 0 to 10,000,000"),
    ("12", "fee of MC-X: 12 is not a number; give a number from 0 to 10,000,000"),
    (True, "fee of MC-X: True is not a number; give a number from 0 to 10,000,000"),
])
def test_one_message_form(value: object, expected: str) -> None:
    assert problem(value, "fee of MC-X", high=MAX_FEE) == expected
    with pytest.raises(NumberError) as info:
        check(value, "fee of MC-X", high=MAX_FEE)  # type: ignore[arg-type]
    assert str(info.value) == expected
    assert isinstance(info.value, PathwaysError) and "\n" not in str(info.value)


def test_whole_numbers_and_open_bounds() -> None:
    assert problem(2.5, "credits of A", high=MAX_CREDITS, integer=True) == (
        "credits of A: 2.5 is not a whole number; give a whole number from 0 to 10,000")
    assert problem(10**30, "credits of A", high=MAX_CREDITS, integer=True) == (
        f"credits of A: {10**30} is out of range (0 to 10,000); "
        "give a whole number from 0 to 10,000")
    assert problem(0, "--hours-per-week", high=168, low_open=True) == (
        "--hours-per-week: 0 is out of range (more than 0 to 168); "
        "give a number from more than 0 to 168")
    assert problem(0.5, "--hours-per-week", high=168, low_open=True) is None


def test_bounds_are_documented_and_consistent() -> None:
    for name in numbers.__all__:
        if name.startswith("MAX_"):
            value = getattr(numbers, name)
            assert isinstance(value, int) and value > 0, name
    # sums of many maximal fees stay far from HiGHS's infinity (1e20)
    assert numbers.MAX_FEE * 100_000 <= numbers.MAX_TOTAL_FEE * 10 < 1e20
