"""Numbers in and out: THE formatters, and THE check that a number is usable.

Formatting (every figure the product shows goes through one of these):

- :func:`figure`  — a figure for JSON: rounded to cents, an ``int`` when whole (``8840``,
  ``8840.5``).
- :func:`plain`   — a figure in a message: ``8840`` or ``8840.50`` (no separators).
- :func:`money`   — dollars for people: ``$21,640`` or ``$21,640.50``.
- :func:`grouped` — a count for people with thousands separators: ``1,234`` or ``1,234.5``.
- :func:`number`  — a table cell: ``–`` for none, ``12``, ``0.75``.
- :func:`natural` — a number for a file: a whole float as an ``int`` (``9600.0`` → ``9600``).
- :func:`weeks`   — a duration: ``1 week``, ``2,601 weeks`` (rounded up).
- :func:`share`   — a proportion: ``25%``.

Checking (every number read from a file or an option): :func:`check` raises
:class:`NumberError` and :func:`problem` returns the same one-line message (for readers
that collect problems), in one form::

    fee of MC-X: 1e+308 is out of range (0 to 10,000,000); give a number from 0 to 10,000,000
    credits of MC-X: nan is not a number; give a number from 0 to 10,000

The bounds below are far beyond any real credential, and small enough that nothing
computed from them overflows a database column, a date or the solver's tolerances (HiGHS
treats 1e20 as infinite; sums of 100,000 fees of 10 million stay below 1e12).
"""

from __future__ import annotations

import math
from typing import overload

from pathways.errors import PathwaysError

__all__ = [
    "counted",
    "MAX_CREDITS",
    "MAX_FEE",
    "MAX_HOURS",
    "MAX_TOTAL_FEE",
    "MAX_TOTAL_HOURS",
    "MAX_HOURS_PER_WEEK",
    "MAX_WEEKS",
    "MAX_LEVEL",
    "MAX_DAYS",
    "MAX_ALTERNATIVES",
    "MAX_TIME_LIMIT",
    "NumberError",
    "check",
    "problem",
    "figure",
    "plain",
    "money",
    "grouped",
    "number",
    "natural",
    "weeks",
    "share",
]

#: Credits of one credential, of a stacking edge, of a level-profile minimum: a doctorate
#: is 360 credits; 10,000 leaves room for any curriculum while sums stay small integers.
MAX_CREDITS = 10_000
#: Fee of one credential in dollars (a doctorate costs about $100,000 over its years).
MAX_FEE = 10_000_000
#: Notional learning hours of one credential (10 per credit is 3,600 for a doctorate).
MAX_HOURS = 100_000
#: A budget (``--budget``): larger than any sum of fees a route can have.
MAX_TOTAL_FEE = 1_000_000_000_000
#: An hours limit (``--max-hours``).
MAX_TOTAL_HOURS = 1_000_000_000
#: Hours of study a week: a week has 168 hours.
MAX_HOURS_PER_WEEK = 168
#: Weeks a schedule may span (about 190 years): beyond, dates and drawings stop meaning much.
MAX_WEEKS = 10_000
#: Levels of a framework (NZQF 1–10).
MAX_LEVEL = 10
#: Days of a review window (about 100 years): keeps ``as_of + window`` a valid date.
MAX_DAYS = 36_500
#: Routes asked for at once (``--alternatives``).
MAX_ALTERNATIVES = 1_000
#: Seconds a route search may be given (a day).
MAX_TIME_LIMIT = 86_400


class NumberError(PathwaysError, ValueError):
    """A number that is not finite, not whole where it must be, or out of its bounds."""


def _bound(x: float) -> str:
    return f"{x:,}" if float(x).is_integer() else f"{x:,.6g}"


def _shown(value: object) -> str:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:g}" if math.isinf(value) else repr(value)
    return str(value)


def problem(value: object, what: str, *, low: float = 0, high: float,
            integer: bool = False, low_open: bool = False) -> str | None:
    """Why ``value`` cannot be ``what`` (one line naming it and the bounds), or None.

    ``what`` names the number and whose it is ("fee of MC-X", "--budget"). ``low`` and
    ``high`` are inclusive (``low`` exclusive with ``low_open``); ``integer`` asks for a
    whole number (a float such as 30.0 is accepted; booleans never are).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        why = f"{_shown(value)!s} is not a number"
    elif isinstance(value, float) and math.isnan(value):
        why = "nan is not a number"
    elif integer and not (isinstance(value, int) or float(value).is_integer()):
        why = f"{_shown(value)} is not a whole number"
    elif not ((value <= low if low_open else value < low) or value > high):
        return None  # (the common case: no message is built)
    else:
        why = None  # out of range, said with the bounds
    span = f"{'more than ' if low_open else ''}{_bound(low)} to {_bound(high)}"
    hint = f"give {'a whole number' if integer else 'a number'} from {span}"
    if why is None:
        why = f"{_shown(value)} is out of range ({span})"
    return f"{what}: {why}; {hint}"


@overload
def check(value: int, what: str, *, low: float = ..., high: float, integer: bool = ...,
          low_open: bool = ...) -> int: ...
@overload
def check(value: float, what: str, *, low: float = ..., high: float, integer: bool = ...,
          low_open: bool = ...) -> float: ...
def check(value: float, what: str, *, low: float = 0, high: float, integer: bool = False,
          low_open: bool = False) -> float:
    """``value`` itself when it is finite and within bounds, else :class:`NumberError`.

    >>> check(30, "credits of MC-X", high=MAX_CREDITS, integer=True)
    30
    >>> problem(float("nan"), "fee of MC-X", high=100)
    'fee of MC-X: nan is not a number; give a number from 0 to 100'
    """
    message = problem(value, what, low=low, high=high, integer=integer, low_open=low_open)
    if message is not None:
        raise NumberError(message)
    return value


# -- formatting ---------------------------------------------------------------------------------

def figure(value: float) -> int | float:
    """A figure for JSON: rounded to 2 decimals, an int when whole (never ``-0``)."""
    r = round(float(value), 2)
    if r == 0:
        return 0
    return int(r) if r.is_integer() else r


def plain(value: float) -> str:
    """A figure for a message: ``8840`` when whole, else ``8840.50``."""
    r = round(float(value), 2)
    return str(int(r)) if r.is_integer() else f"{r:.2f}"


def counted(n: int, noun: str) -> str:
    """``"1 provider"``, ``"6 providers"``: a count with its noun, plural unless one."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def money(value: float) -> str:
    """Dollars: ``$21,640`` when whole, else ``$21,640.50``."""
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


def grouped(value: float) -> str:
    """A count with thousands separators: ``1,234`` when whole, else ``1,234.5``."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def number(value: float | None) -> str:
    """A table cell: ``–`` for None, ``12`` for 12 or 12.0, ``0.75``, ``1e+06``."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def natural(value: float, digits: int | None = None) -> int | float:
    """A number for a file: ``9600.0`` → ``9600``; others as they are (or rounded to
    ``digits`` decimals)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if digits is None else round(float(value), digits)


def weeks(value: float) -> str:
    """A duration in whole weeks, rounded up: ``1 week``, ``2,601 weeks``."""
    n = math.ceil(value)
    return f"{grouped(n)} week" + ("" if n == 1 else "s")


def share(value: float) -> str:
    """A proportion as a whole percentage: ``0.25`` → ``25%``."""
    return f"{value:.0%}"
