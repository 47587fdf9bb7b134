"""The AQF's own rules (``extra_checks`` of "aqf"): volume of learning, the National
Microcredentials Framework, VET packaging."""

from __future__ import annotations

from collections.abc import Iterator

from pathways.catalog import Credential
from pathways.errors import Problem
from pathways.numbers import grouped
from pathways.rules.context import (
    _Context,
    _err,
    _fmt,
    _warn,
)
from pathways.rules.frameworks import (
    AQF_HOURS_PER_YEAR,
    AQF_VET_TYPES,
    AQF_VOLUMES,
    FAR_OUTSIDE,
)

# -- the AQF's own rules (extra_checks of "aqf") ------------------------------------------

def _a(word: str) -> str:
    """``word`` after its indefinite article: "an associate-degree", "a masters"."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _hours(x: float) -> str:
    return grouped(x)


def _aqf_volumes(ctx: _Context) -> Iterator[Problem]:
    """A qualification's hours far outside its type's volume of learning (a warning)."""
    for c in ctx.catalog.credentials:
        if c.kind != "qualification" or not ctx.follows(c, "aqf"):
            continue
        years = AQF_VOLUMES.get(c.type or "")
        if years is None or not 0 < c.effective_hours < float("inf"):
            continue
        least, most = (y * AQF_HOURS_PER_YEAR for y in years)
        hours = c.effective_hours
        if least / FAR_OUTSIDE <= hours <= most * FAR_OUTSIDE:
            continue
        span = f"{_fmt(years[0])}-{_fmt(years[1])}" if years[0] != years[1] \
            else _fmt(years[0])
        side = (f"under half of the least ({_hours(least)} hours)" if hours < least
                else f"over {FAR_OUTSIDE} times the most ({_hours(most)} hours)")
        yield _warn(ctx.at(c.source, "hours" if c.hours is not None else "credits"),
                    f"{c.id}: {_a(c.type or '')} is {span} years of learning under the AQF "
                    f"({AQF_HOURS_PER_YEAR:,} hours a year), but its {_hours(hours)} hours are "
                    f"{side}; check its credits, hours or type")


def _aqf_micro_credentials(ctx: _Context) -> Iterator[Problem]:
    """National Microcredentials Framework: at least 1 hour of learning, and smaller than
    the smallest award (qualification) it stacks into, directly or through others."""
    into: dict[str, list[str]] = {}
    for e in ctx.catalog.stacking:
        into.setdefault(e.source, []).append(e.target)
    for c in ctx.catalog.credentials:
        if c.kind != "micro-credential" or not ctx.follows(c, "aqf"):
            continue
        hours = c.effective_hours
        if hours < 1:
            yield _err(ctx.at(c.source, "hours" if c.hours is not None else "credits"),
                       f"{c.id}: an AQF micro-credential is at least 1 hour of learning "
                       f"(National Microcredentials Framework; got {_fmt(hours)}); raise its "
                       "hours or credits")
        seen: set[str] = set()
        todo = list(into.get(c.id, ()))
        awards: list[Credential] = []
        while todo:
            v = todo.pop()
            if v in seen or v not in ctx.index:
                continue
            seen.add(v)
            if ctx.index[v].kind == "qualification":
                awards.append(ctx.index[v])
            todo.extend(into.get(v, ()))
        if not awards:
            continue
        smallest = min(awards, key=lambda a: (a.effective_hours, a.id))
        if hours >= smallest.effective_hours:
            yield _err(ctx.at(c.source, "hours" if c.hours is not None else "credits"),
                       f"{c.id}: an AQF micro-credential is smaller than the awards it stacks "
                       f"into, but its {_hours(hours)} hours are not less than the "
                       f"{_hours(smallest.effective_hours)} of {smallest.id}; make it smaller "
                       "or make it a qualification")


def _aqf_vet_packaging(ctx: _Context) -> Iterator[Problem]:
    """A VET qualification made of units is packaged as core units plus elective groups:
    one with units stacking into it but neither core nor rules is a warning."""
    units: dict[str, list[str]] = {}
    for e in ctx.catalog.stacking:
        src = ctx.index.get(e.source)
        if src is not None and src.kind == "course":
            units.setdefault(e.target, []).append(e.source)
    for c in ctx.catalog.credentials:
        if (c.kind != "qualification" or c.type not in AQF_VET_TYPES
                or not ctx.follows(c, "aqf") or c.id not in units or c.core or c.rules):
            continue
        yield _warn(ctx.at(c.source), f"{c.id}: a VET {c.type} is packaged as core units "
                    f"plus elective groups, but the {len(set(units[c.id]))} units stacking "
                    "into it have neither core nor rules; list its core units in core and "
                    'each elective group as a rule, e.g. {"min": 3, "of": [...], "name": '
                    '"Group A electives"}')
