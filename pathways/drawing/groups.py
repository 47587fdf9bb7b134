"""Boxes kept together and framed under a label: a programme rule's sources ("choose 2 of
3", "30 credits from these") drawn one under another in their column.

Pure geometry for :mod:`pathways.drawing.layered`: which groups can be drawn (their boxes
in one rank of one connected piece, and the groups nested or apart, never half
overlapping), gathering each group's boxes together in the rank's order, the room a
frame takes above and below its boxes, and the frames themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Group:
    """Boxes to keep together in their rank and frame: ``key`` names the group (the
    drawing finds its label by it), ``ids`` its boxes, ``head`` the room its label takes
    above them and ``pad`` the frame's margin round them."""

    key: str
    ids: tuple[str, ...]
    head: float = 0.0
    pad: float = 0.0


def laminar(groups: Iterable[Group], within: Iterable[str] | None = None) -> list[Group]:
    """The groups (cut to ``within``) that can all be framed: largest first (then by key),
    each taken when it is inside, around or apart from every one taken before — frames
    that half overlap cannot be drawn. Groups left with no box are dropped."""
    keep = None if within is None else set(within)
    cut = []
    for g in groups:
        ids = tuple(sorted({i for i in g.ids if keep is None or i in keep}))
        if ids:
            cut.append(Group(g.key, ids, g.head, g.pad))
    cut.sort(key=lambda g: (-len(g.ids), g.key))
    taken: list[Group] = []
    sets: list[set[str]] = []
    for g in cut:
        s = set(g.ids)
        if all(s <= t or s.isdisjoint(t) for t in sets):
            taken.append(g)
            sets.append(s)
    return taken


def drawable(groups: Sequence[Group], rank: Mapping[str, int], piece: Mapping[str, int]
             ) -> list[Group]:
    """The laminar groups whose boxes share one rank and one connected piece (``piece``
    gives each box's)."""
    return [g for g in laminar(groups, rank)
            if len({rank[i] for i in g.ids}) == 1 and len({piece[i] for i in g.ids}) == 1]


def gather(layers: list[list[int]], groups: Sequence[tuple[int, ...]]) -> None:
    """Put each group's nodes next to each other in their layer, where its first node is,
    in their order (``groups`` laminar, largest first: a group gathered inside its parent
    stays inside it, and one apart from it cannot split it)."""
    where = {n: r for r, layer in enumerate(layers) for n in layer}
    for members in groups:
        layer = layers[where[members[0]]]
        inside = set(members)
        ordered = [n for n in layer if n in inside]
        rest = [n for n in layer if n not in inside]
        at = sum(1 for n in layer[:layer.index(ordered[0])] if n not in inside)
        layer[:] = rest[:at] + ordered + rest[at:]


def margins(layers: Sequence[Sequence[int]], groups: Sequence[tuple[tuple[int, ...], Group]]
            ) -> dict[int, tuple[float, float]]:
    """The room each node needs above and below it for the frames it opens or closes:
    above its first box a frame takes its pad and its label, below its last box its pad
    (a frame inside another opening on the same box adds to it)."""
    pos = {n: i for layer in layers for i, n in enumerate(layer)}
    out: dict[int, tuple[float, float]] = {}
    for members, g in groups:
        top = min(members, key=pos.__getitem__)
        bottom = max(members, key=pos.__getitem__)
        a, b = out.get(top, (0.0, 0.0))
        out[top] = (a + g.pad + g.head, b)
        a, b = out.get(bottom, (0.0, 0.0))
        out[bottom] = (a, b + g.pad)
    return out


def frames(groups: Sequence[Group], boxes: Mapping[str, Box]) -> tuple[tuple[str, Box], ...]:
    """Each group's frame (x, y, w, h; y upwards): its boxes and the frames inside it,
    with its pad round them and its label's room on top. ``groups`` laminar, largest
    first; the frames come innermost first, as they are drawn last to first."""
    made: dict[str, Box] = {}
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        inner = [boxes[n] for n in g.ids]
        inner += [made[h.key] for h in groups[i + 1:] if set(h.ids) <= set(g.ids)]
        x0 = min(b[0] for b in inner) - g.pad
        y0 = min(b[1] for b in inner) - g.pad
        x1 = max(b[0] + b[2] for b in inner) + g.pad
        y1 = max(b[1] + b[3] for b in inner) + g.pad + g.head
        made[g.key] = (round(x0, 6), round(y0, 6), round(x1 - x0, 6), round(y1 - y0, 6))
    return tuple((g.key, made[g.key]) for g in reversed(groups))
