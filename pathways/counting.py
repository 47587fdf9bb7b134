"""How credits count into a credential, and what a credential costs: each rule written once.

semantics.md section 2: for a credential v and the sources counted into it,

    counted(v) = the credits counted from its sources, at most r(u, v) from each, at most
    ``max_recognised``, at most credits(v), and within the level profile — "at most
    credits(v) − m counted credits may come from sources below level L" for each entry
    ``{L: m}``.

These limits form a laminar system (one cap over all sources, one limit over the sources
below each level, nested since "below L" grows with L), so counting the sources highest
level first, each as much as every limit still allows, counts the most. Ties (equal
levels) go by id, which decides which credits are *shown* as counted.

**A source on another level scale** (an AQF credential counted into an NZQF one, or the
reverse) is treated the same way: levels of different frameworks are never compared
(:func:`source_level`).

**A source without a level** is below every level (:data:`UNKNOWN_LEVEL` is −1): it counts
only within what the level profile lets come from below the lowest profile level, and is
counted last. Nothing can show its credits meet a level, and an advisor would not count
them as such. (The route engine always did this; the gap report used 0 — the same for
every profile level from 1 up, which is every level a framework has.)

Callers: the route engine (:mod:`pathways.routes`) and the gap report's coverage bound
(which calls :func:`count_credits` with plain ``(source id, offered credits)`` pairs and a
level lookup).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from pathways.catalog import Credential, Credits
from pathways.vocabulary import OBJECTIVES

__all__ = [
    "UNKNOWN_LEVEL",
    "profile_level",
    "source_level",
    "recognition_cap",
    "level_limits",
    "count_credits",
    "whole_cost",
    "studied_cost",
]

#: The level a credential without one has for level profiles: below every level.
UNKNOWN_LEVEL = -1


def profile_level(level: int | None) -> int:
    """A source's level for level profiles (:data:`UNKNOWN_LEVEL` when it has none)."""
    return UNKNOWN_LEVEL if level is None else level


def source_level(source: Credential, receiver: Credential) -> int:
    """``source``'s level for ``receiver``'s level profile: its level when both follow
    frameworks on one level scale, else :data:`UNKNOWN_LEVEL` — an AQF level says nothing
    about an NZQF level profile (AQF 8 is NZQF 7 for a graduate certificate), so such
    credit counts only where credit from below the profile's levels may."""
    if not source.same_scale(receiver):
        return UNKNOWN_LEVEL
    return profile_level(source.level)


def recognition_cap(c: Credential) -> Credits:
    """Most credits stacking may count into ``c`` (``max_recognised``, at most its credits)."""
    return max(0, c.effective_max_recognised)


def level_limits(c: Credential) -> tuple[tuple[int, Credits], ...]:
    """``c``'s level profile as limits: ``(L, at most this many counted from below L)``,
    in the profile's order (levels ascending)."""
    return tuple((lv, max(0, c.credits - m)) for lv, m in c.level_profile)


def count_credits(receiver: Credential, offers: Iterable[tuple[str, Credits]],
                  level: Mapping[str, int | None] | Callable[[str], int | None],
                  ) -> dict[str, Credits]:
    """How many credits each source counts into ``receiver``, exactly (see the module).

    ``offers`` are ``(source id, credits it can offer)`` — r(u, v), already limited by
    whatever else bounds that source; ``level`` gives a source's level (a mapping or a
    function; None for no level). Returns every source offered, with the credits counted
    from it (0 when no room is left), in the order counted (highest level first, then by
    id). The total counted is the sum of the values.
    """
    get = level.get if isinstance(level, Mapping) else level
    room = recognition_cap(receiver)
    limits = level_limits(receiver)
    used_below: list[Credits] = [0] * len(limits)
    ranked = sorted(((profile_level(get(u)), u, amount) for u, amount in offers),
                    key=lambda t: (-t[0], t[1]))
    out: dict[str, Credits] = {}
    for lu, u, amount in ranked:
        take = min(amount, room)
        for i, (lv, most) in enumerate(limits):
            if lu < lv:
                take = min(take, most - used_below[i])
        take = max(0, take)
        out[u] = out.get(u, 0) + take
        room -= take
        for i, (lv, _most) in enumerate(limits):
            if lu < lv:
                used_below[i] += take
    return out


def whole_cost(c: Credential, by: str) -> float:
    """What taking all of ``c`` costs by an objective: its fee, its hours or its credits."""
    if by == "fee":
        return c.effective_fee
    if by == "hours":
        return c.effective_hours
    if by == "credits":
        return float(c.credits)
    raise ValueError(f"unknown objective {by!r}; use one of {', '.join(OBJECTIVES)}")


def studied_cost(c: Credential, by: str, studied: float) -> float:
    """What studying ``studied`` of ``c``'s credits costs (fee and hours pro rata;
    a credential of 0 credits costs its whole fee and hours)."""
    share = studied / c.credits if c.credits > 0 else 1.0
    return whole_cost(c, by) * share
