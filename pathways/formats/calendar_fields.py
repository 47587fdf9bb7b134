"""Reading the calendar fields of a JSON catalog (issue 12): a ``calendar`` of terms (top
level or a provider's) and a credential's ``intakes``. A mixin of the JSON reader."""

from __future__ import annotations

from typing import Any

from pathways.calendar import intake_problem
from pathways.catalog import Term

__all__ = ["CalendarFields", "TERM_KEYS", "TERM_FORM"]

TERM_KEYS = ("term", "start", "end")
TERM_FORM = '[{"term": "T1", "start": "2027-02-22", "end": "2027-06-11"}]'


class CalendarFields:
    """The calendar readers of :class:`pathways.formats.json_format._Reader` (which
    provides ``words``, ``text``, ``date``, ``check_keys`` and ``error``)."""

    words: Any
    text: Any
    date: Any
    check_keys: Any
    error: Any
    problems: list[Any]

    def intakes(self, value: Any, path: Any) -> tuple[str, ...]:
        """``intakes``: dates, term names or "any-week"; once each, in the order read."""
        found = self.words(value, path, None)
        for i, item in enumerate(found):
            message = intake_problem(item)
            if message:
                self.error((path, i), message)
        return tuple(dict.fromkeys(found))

    def terms(self, value: Any, path: Any) -> tuple[Term, ...]:
        """A ``calendar``: a list of {"term", "start", "end"} objects."""
        describe = _json()._describe
        if not isinstance(value, list):
            self.error(path, f"must be a list of terms, e.g. {TERM_FORM}; got "
                             f"{describe(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            where = (path, i)
            if not isinstance(item, dict):
                self.error(where, f"must be a term object, e.g. {TERM_FORM[1:-1]}; got "
                                  f"{describe(item)}")
                continue
            before = len(self.problems)
            self.check_keys(item, where, TERM_KEYS, TERM_KEYS)
            name = self.text(item["term"], (where, "term")) if "term" in item else None
            start, end = (self.date(item[k], (where, k)) if k in item else None
                          for k in ("start", "end"))
            if len(self.problems) == before and name and start and end:
                out.append(Term(name, start, end))
        return tuple(out)


def _json() -> Any:
    from pathways.formats import json_format

    return json_format
