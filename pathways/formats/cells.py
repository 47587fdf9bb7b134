"""The cells of the spreadsheet form: numbers as people type them, list separators, and
the guard against formula injection. Shared by the CSV and CurricularAnalytics readers."""

from __future__ import annotations

import re

from pathways.catalog import credit_value

__all__ = ["guard", "unguard", "whole_number", "half_number", "too_long", "is_number"]

_INTEGER = re.compile(r"[+-]?[0-9]+(\.0*)?")  # "12.0" is whole too (a spreadsheet's habit)
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_MAX_DIGITS = 30
_HALF = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?")
_TRIGGERS = "=+-@"  # a spreadsheet reads a cell starting with one of these as a formula


def guard(value: str) -> str:
    """``value`` safe from formula injection: ``=1+1`` is written ``'=1+1`` (which a
    spreadsheet shows as text), and a value that already starts with ``'`` and one of
    those characters gets one more ``'``, so :func:`unguard` gives back every value."""
    if value[:1] in _TRIGGERS and value or (value[:1] == "'" and value[1:2]
                                            and value[1:2] in _TRIGGERS + "'"):
        return "'" + value
    return value


def unguard(cell: str) -> str:
    """The value :func:`guard` wrote: one leading ``'`` before ``= + - @ '`` removed."""
    if cell[:1] == "'" and cell[1:2] and cell[1:2] in _TRIGGERS + "'":
        return cell[1:]
    return cell


def _split(cell: str, sep: str) -> list[str]:
    """Items of a separated cell, stripped; empty items (a trailing ``;``) are dropped."""
    return [item.strip() for item in cell.split(sep) if item.strip()]


def whole_number(text: str) -> int | None:
    """``"12"`` or ``"12.0"`` -> 12; anything else (``"12.5"``, ``"x"``, a number of more
    than 30 digits, which no bound allows) -> None."""
    if _INTEGER.fullmatch(text):
        digits = text.partition(".")[0]
        if len(digits.lstrip("+-")) <= _MAX_DIGITS:
            return int(digits)
    return None


def half_number(text: str) -> int | float | None:
    """``"7.5"`` -> 7.5, ``"15"`` or ``"15.0"`` -> 15; anything not a multiple of 0.5 (or
    of more than 30 digits) -> None."""
    if not _HALF.fullmatch(text) or len(text.partition(".")[0].lstrip("+-")) > _MAX_DIGITS:
        return None
    value = float(text)
    if not float(value * 2).is_integer():
        return None
    return credit_value(value)


def too_long(text: str) -> bool:
    """True for a whole number of more digits than :func:`whole_number` converts."""
    return _too_long(text)


def _too_long(text: str) -> bool:
    return bool(_INTEGER.fullmatch(text)) and len(text.partition(".")[0].lstrip("+-")) \
        > _MAX_DIGITS


def is_number(text: str) -> bool:
    """True for a decimal number as a person types it: ``9600``, ``640.50``, ``1e3``."""
    return bool(_NUMBER.fullmatch(text))
