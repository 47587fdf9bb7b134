"""Programme rules on a map (issue 15): the sources a rule groups framed together under a
label ("foundation: choose 2 of 3", "30 credits from these 5"), and what a composed
credential's box says of what it is made of and of the rules no frame shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pathways.catalog import Credential, Rule
from pathways.drawing.groups import Group, laminar

GROUP_PAD = 3.5  # points between a frame and the boxes (or frames) inside it

#: The key of a credential's core list among its groups (rules go by their index).
CORE = "core"


def _amount(x: float) -> str:
    return f"{x:g}"


def rule_label(rule: Rule, shown: int) -> str:
    """A frame's label: "foundation: choose 2 of 3", "not both", "30 credits from these 5",
    "at most 60 credits from these 4"; "(2 shown)" when the map shows fewer of its list."""
    n = len(set(rule.ids))
    named = f"{rule.name}: " if rule.name else ""
    if rule.kind == "min":
        text = f"choose {_amount(rule.amount)} of {n}"
    elif rule.kind == "max" and rule.amount == 1 and n == 2:
        text = "not both"
    elif rule.kind == "max":
        text = f"at most {_amount(rule.amount)} of {n}"
    elif rule.kind == "min_credits":
        text = f"{_amount(rule.amount)} credits from these {n}"
    else:
        text = f"at most {_amount(rule.amount)} credits from these {n}"
    return named + text + (f" ({shown} shown)" if shown < n else "")


LABEL_INSET = 3.0  # points from a frame's side to its label


def frame_label(label: str, size: float, width: float) -> list[str]:
    """A frame's label wrapped to a frame ``width`` wide (bold, at ``size``)."""
    from pathways.drawing.text import _measure

    return _measure().wrap(label, size, width - 2 * LABEL_INSET, weight="bold")


def rule_owner(key: str) -> str:
    """The credential whose rule a group key names ("GDIP-DS7|0" -> "GDIP-DS7")."""
    return key.rsplit("|", 1)[0]


def _rules_of(c: Credential) -> list[tuple[str, Rule]]:
    """A credential's rules by group key, its core list as one ("core")."""
    out = [(f"{c.id}|{i}", r) for i, r in enumerate(c.rules)]
    if c.core:
        out.append((f"{c.id}|{CORE}", Rule("min", len(set(c.core)), tuple(c.core), "core")))
    return out


def rule_groups(creds: Mapping[str, Credential], scope: Sequence[str],
                column: Mapping[str, int], head: float
                ) -> tuple[list[Group], dict[str, str], dict[str, list[str]]]:
    """The groups a map of ``scope`` frames, with their labels by key, and the boxes
    marked "core" instead (each with the credentials it is the core of): each rule (and
    core list of two or more) of a credential on the map over its sources on the map,
    when those share a column (``column`` gives each one's key) and the groups are
    nested or apart
    (:func:`pathways.drawing.groups.laminar`); a lone core source is marked in its box,
    which takes less room than a frame. ``head`` is a label's height."""
    inside = set(scope)
    wanted: list[Group] = []
    labels: dict[str, str] = {}
    marked: dict[str, list[str]] = {}
    for cid in sorted(inside):
        for key, r in _rules_of(creds[cid]):
            ids = tuple(sorted({i for i in r.ids if i in inside}))
            core = key.endswith(f"|{CORE}")
            if core and len(ids) == 1:
                marked.setdefault(ids[0], []).append(cid)
            elif ids and len({column[i] for i in ids}) == 1:
                wanted.append(Group(key, ids, head, GROUP_PAD))
                labels[key] = "core: every one required" if core else rule_label(r, len(ids))
    kept = laminar(wanted)
    return kept, {g.key: labels[g.key] for g in kept}, marked


def rule_phrases(c: Credential, parts: int | None = None,
                 framed: frozenset[str] = frozenset()) -> list[str]:
    """What a box says of its programme: "made of 12 parts, no study of its own" for
    one with no study of its own (``parts``: its sources; "made of its parts" when not
    given), then each rule no frame on the map shows (``framed`` holds the framed
    groups' keys): "foundation: choose 2 of 3", "not both DATA711, MC-ML7", "30 cr from
    advanced (5)", "≤ 60 cr from 4"."""
    out = []
    if not c.effective_direct_study:
        out.append(f"made of {parts} parts, no study of its own" if parts
                   else "made of its parts")
    for key, r in _rules_of(c):
        if key in framed or key.endswith(f"|{CORE}"):  # core: framed or not said, as before
            continue
        n = len(set(r.ids))
        named = f"{r.name}: " if r.name else ""
        pool = f"{r.name} ({n})" if r.name else f"{n}"
        amount = _amount(r.amount)
        if r.kind == "min":
            out.append(f"{named}choose {amount} of {n}")
        elif r.kind == "max" and r.amount == 1 and n == 2:
            out.append(f"{named}not both {', '.join(r.ids)}")
        elif r.kind == "max":
            out.append(f"{named}at most {amount} of {n}")
        elif r.kind == "min_credits":
            out.append(f"{amount} cr from {pool}")
        else:
            out.append(f"≤ {amount} cr from {pool}")
    return out
