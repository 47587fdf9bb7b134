"""The rules every framework parametrises (:class:`FrameworkRules`): levels, credit
ranges, qualification types and reserved title words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from pathways.catalog import HOURS_PER_CREDIT
from pathways.errors import Problem
from pathways.rules.context import (
    _Context,
    _err,
    _fmt,
    _warn,
)

# -- framework rules (parametrised by FrameworkRules) ---------------------------------------

def _levels(ctx: _Context) -> Iterator[Problem]:
    for c in ctx.catalog.credentials:
        rules = ctx.rules_of(c)
        low, high = rules.levels
        if c.level is None:
            if rules.level_required:
                yield _err(ctx.at(c.source), f"{c.id}: level is required under the "
                           f"{rules.name} framework; add a level from {low} to {high}")
        elif not low <= c.level <= high:
            yield _err(ctx.at(c.source, "level"), f"{c.id}: level {c.level} is outside "
                       f"{low}-{high}; use a level from {low} to {high}")


def _credit_ranges(ctx: _Context) -> Iterator[Problem]:
    """NZQF credit sizes. In a catalog counting in another credit unit, a credential's
    credits are first converted to NZQF credits of 10 hours (the unit's hours / 10 each)."""
    unit = ctx.catalog.credit_unit
    for c in ctx.catalog.credentials:
        rules = ctx.rules_of(c)
        where = ctx.at(c.source, "credits")
        credits = c.credits
        got = f"{c.credits}"
        if unit is not None and unit.hours != HOURS_PER_CREDIT:
            credits = c.credits * unit.hours / HOURS_PER_CREDIT
            got = f"{_fmt(c.credits)} {unit.name}s = {_fmt(credits)} NZQF credits"
        if c.kind == "micro-credential" and rules.micro_credential_credits and c.credits >= 1:
            low, high = rules.micro_credential_credits
            if not low <= credits <= high:
                fix = (f"raise its credits to {low}" if credits < low
                       else "lower its credits or make it a qualification")
                yield _err(where, f"{c.id}: a micro-credential has {low}-{high} credits under "
                           f"{rules.name} (got {got}); {fix}")
        if c.kind != "qualification":
            continue
        least = rules.min_qualification_credits
        if least is not None and c.credits >= 1 and credits < least:
            yield _err(where, f"{c.id}: a qualification has at least {least} credits under "
                       f"{rules.name} (got {got}); fix the credits or make it a "
                       "micro-credential")
            continue
        row = rules.qualification_types.get(c.type or "")
        if row is not None and c.credits >= 1 and credits < row.min_credits:
            yield _err(where, f"{c.id}: a {row.name} has at least {row.min_credits} credits "
                       f"(got {got}); fix the credits or the type")


def _qualification_types(ctx: _Context) -> Iterator[Problem]:
    for c in ctx.catalog.credentials:
        rules = ctx.rules_of(c)
        types = rules.qualification_types
        if not types or c.kind != "qualification":
            continue
        if c.type is None:
            yield _warn(ctx.at(c.source), f"{c.id}: qualification has no type; add one "
                        f"({', '.join(types)}) so its level and credits can be checked")
            continue
        row = types.get(c.type)
        if row is not None and c.level is not None and c.level not in row.levels:
            span = (f"level {row.levels[0]}" if len(row.levels) == 1
                    else f"levels {row.levels[0]}-{row.levels[-1]}")
            yield _err(ctx.at(c.source, "level"), f"{c.id}: a {row.name} is at {span} under "
                       f"{rules.name} (got level {c.level}); fix the level or the type")


def _titles(ctx: _Context) -> Iterator[Problem]:
    """NZQA rule 6.2: banned words in micro-credential titles, whole words, any case."""
    for c in ctx.catalog.credentials:
        words = ctx.rules_of(c).banned_title_words
        if not words or c.kind != "micro-credential":
            continue
        for word in words:
            found = _banned_pattern(word).search(c.title)
            if found:
                yield _err(ctx.at(c.source, "title"), f"{c.id}: a micro-credential title must "
                           f"not contain '{word}' (NZQA rule 6.2; found '{found.group(0)}'); "
                           "reword the title")


@cache
def _banned_pattern(word: str) -> re.Pattern[str]:
    """``word`` as a whole word in any case, with its plural, possessive and -ate/-al forms
    (Masters, Master's, masterate, doctoral) and any hyphen or space written as either or
    left out (postgraduate); not inside other words (International, Masterclass)."""
    body = r"[-\s]?".join(r"\s+".join(re.escape(p) for p in part.split())
                          for part in word.split("-"))
    return re.compile(rf"\b{body}(?:s|['’]s|ates?|al)?\b", re.IGNORECASE)


_FRAMEWORK = (_levels, _credit_ranges, _qualification_types, _titles)
