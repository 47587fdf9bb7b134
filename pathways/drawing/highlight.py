"""A learner's route marked on a map: its steps, held credentials and counted edges."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pathways.drawing.style import _num
from pathways.numbers import money

if TYPE_CHECKING:
    from pathways.routes import Route


@dataclass(frozen=True)
class Highlight:
    """A learner's route to mark on a map: its steps in order, the credentials held,
    the edges along which credits are counted (with the credits), and totals."""

    steps: tuple[str, ...]
    held: frozenset[str]
    counted: Mapping[tuple[str, str], int]
    summary: str
    target: str | None = None
    plain: str = ""  # the summary in a learner's words, for a brochure


def route_highlight(route: Route) -> Highlight:
    """A :class:`Highlight` from a :class:`pathways.routes.Route` (``find_route``'s answer):
    its steps in order, the held credentials, where each counts and the route's totals."""
    steps = tuple(s.id for s in route.steps)
    counted: dict[tuple[str, str], int] = {}
    for s in route.steps:
        if s.counted_into:
            counted[(s.id, s.counted_into)] = int(s.counted_credits)
    for held_id, into, credits in route.held_counted:
        counted[(held_id, into)] = int(credits)
    held = frozenset(route.held)
    n = len(steps)
    parts = [money(round(route.fee)), f"{_num(route.hours)} hours",
             f"{_num(route.credits_studied)} credits to study",
             f"{n} credential{'s' if n != 1 else ''} to achieve"]
    who = (" for a learner holding " + ", ".join(sorted(held))) if held else ""
    summary = f"Cheapest route by {route.objective}{who}: " + " · ".join(parts)
    start = "starting from what you have already, " if held else ""
    plain = (f"{start.capitalize() if start else ''}{n} step{'s' if n != 1 else ''} to "
             f"your goal · {money(round(route.fee))} in fees · {_num(route.hours)} hours of "
             "study")
    return Highlight(steps=steps, held=held, counted=counted, summary=summary,
                     target=route.target, plain=plain)
