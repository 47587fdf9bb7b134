"""Why a step is in a route, in words: the credits it counts and the rules they help
meet ("counts 15 credits into BSC (2 of 4 from the Year 2 list)"), or, for a core
component that can count nothing, that it is counted in with nothing recognised and what
leaves no room (semantics.md section 2; such a core is also a validation warning)."""

from __future__ import annotations

from collections.abc import Mapping

from pathways.catalog import Credits
from pathways.counting import source_level
from pathways.numbers import plain

from .problem import Problem


def counted_reason(p: Problem, v: str, into: str, n: Credits) -> str:
    """``v`` counts ``n`` (> 0) credits into ``into``, with the minimum rules it helps meet."""
    return f"counts {plain(n)} credits into {into}{rule_note(p, v, into)}"


def core_reason(p: Problem, v: str, into: str, per_link: Mapping[str, Credits],
                links: Mapping[str, str]) -> str:
    """``v`` is core to ``into`` yet counts no credits into it: say so and say why ("core
    of BSC: counted in, 0 credits recognised (level profile)")."""
    return (f"core of {into}: counted in, 0 credits recognised "
            f"({_no_room(p, v, into, per_link, links)})")


def _no_room(p: Problem, v: str, into: str, per_link: Mapping[str, Credits],
             links: Mapping[str, str]) -> str:
    """What leaves ``v`` no room in ``into``: its level profile, a credit-pool rule, the
    recognition cap, or no stacking credits at all."""
    creds = p.creds
    receiver = creds[into]
    others = [u for u, w in links.items() if w == into and u != v]

    def level(u: str) -> int:
        return source_level(creds[u], receiver)

    lv_v = level(v)
    for lv, most in p.limits.get(into, ()):
        if lv_v < lv and sum(per_link.get(u, 0) for u in others if level(u) < lv) >= most:
            return "level profile"
    for r in p.rules.get(into, ()):
        if (r.kind == "max_credits" and v in r.ids
                and sum(per_link.get(u, 0) for u in others if u in r.ids) >= r.amount):
            return f"at most {plain(r.amount)} credits from {r.list_name()}"
    if sum(per_link.get(u, 0) for u in others) >= p.cap.get(into, 0):
        return "recognition cap"
    return "no stacking credits"


def rule_note(p: Problem, v: str, into: str) -> str:
    """Which minimum rules of ``into`` counting ``v`` helps meet: " (2 of 4 from the
    Year 2 list; 60 credits from P301, P302)", or ""."""
    notes = []
    for r in p.rules.get(into, ()):
        if v in r.ids and r.is_minimum:
            whole = p.creds[into].rules
            full = next((x for x in whole if x.kind == r.kind and x.amount == r.amount
                         and x.name == r.name and set(r.ids) <= set(x.ids)), r)
            if r.kind == "min":
                notes.append(f"{full.amount} of {len(set(full.ids))} from {full.list_name()}")
            else:
                notes.append(f"{plain(full.amount)} credits from {full.list_name()}")
    return f" ({'; '.join(notes)})" if notes else ""
