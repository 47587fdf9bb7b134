"""What-if: change a catalog and see which cheapest routes and which gaps change.

The question a provider asks before designing a micro-credential: "if we add this and stack
it into our diploma, which routes get cheaper, and which gaps close?" The changes
(:class:`Change`, from code, the command line or a change file) and the changed catalog
(:func:`apply_changes`) are :mod:`pathways.changes`'; :func:`what_if` compares the two
catalogs' cheapest routes and gaps.

Only qualifications with a changed credential upstream of them (in the catalog before or
after) can have a different cheapest route, so only those are solved again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pathways import numbers
from pathways.catalog import Catalog
from pathways.changes import (
    Change,
    apply_changes,
    parse_edge,
    parse_price,
    parse_rules,
    read_change_file,
)
from pathways.gaps import Finding, GapOptions, find_gaps
from pathways.index import index_of
from pathways.routes.model import Progress

__all__ = [
    "Change",
    "RouteChange",
    "WhatIfReport",
    "apply_changes",
    "what_if",
    "parse_edge",
    "parse_price",
    "parse_rules",
    "read_change_file",
]


# -- comparing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteChange:
    """How the cheapest route to one qualification changed (None: no route)."""

    qualification: str
    before: Any
    after: Any

    @property
    def status(self) -> str:
        """``new``, ``lost``, ``cheaper``, ``dearer`` or ``different`` (same fee)."""
        if self.before is None:
            return "new"
        if self.after is None:
            return "lost"
        if self.after.fee < self.before.fee - 1e-6:
            return "cheaper"
        if self.after.fee > self.before.fee + 1e-6:
            return "dearer"
        return "different"

    def delta(self, key: str) -> float | None:
        if self.before is None or self.after is None:
            return None
        return float(self.after.value(key) - self.before.value(key))

    def to_dict(self) -> dict[str, Any]:
        return {
            "qualification": self.qualification,
            "status": self.status,
            "before": _route_summary(self.before),
            "after": _route_summary(self.after),
            "fee_change": _num(self.delta("fee")),
            "hours_change": _num(self.delta("hours")),
        }


def _route_summary(r: Any) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"fee": _num(r.fee), "hours": _num(r.hours), "credits_studied": r.credits_studied,
            "credentials": list(r.credentials)}


def _num(x: float | None) -> float | int | None:
    return None if x is None else numbers.figure(x)


@dataclass
class WhatIfReport:
    """The changes, the cheapest routes that change, and the gaps that open or close."""

    changes: list[Change]
    routes: list[RouteChange]
    opened: list[Finding]
    closed: list[Finding]
    changed: list[tuple[Finding, Finding]] = field(default_factory=list)
    checked: int = 0  # qualifications solved again
    by: str = "fee"

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": [c.describe() for c in self.changes],
            "routes": [r.to_dict() for r in self.routes],
            "gaps": {
                "opened": [f.to_dict() for f in self.opened],
                "closed": [f.to_dict() for f in self.closed],
                "changed": [{"before": a.to_dict(), "after": b.to_dict()}
                            for a, b in self.changed],
            },
            "summary": {
                "qualifications_checked": self.checked,
                "routes_changed": len(self.routes),
                "by_status": {s: sum(r.status == s for r in self.routes)
                              for s in ("cheaper", "dearer", "different", "new", "lost")},
                "gaps_opened": len(self.opened),
                "gaps_closed": len(self.closed),
                "gaps_changed": len(self.changed),
                "objective": self.by,
            },
        }

    def to_text(self) -> str:
        """A readable account: the changes, then routes, then gaps."""
        lines = ["Changes:"]
        lines += [f"  - {c.describe()}" for c in self.changes]
        lines.append("")
        if not self.routes:
            lines.append(f"No cheapest route changes ({self.checked} qualifications checked).")
        else:
            lines.append(f"Cheapest routes that change ({len(self.routes)} of "
                         f"{self.checked} checked):")
            for r in self.routes:
                lines.append(f"  {r.qualification}: {_route_line(r)}")
        lines.append("")
        if not (self.opened or self.closed or self.changed):
            lines.append("No gaps open or close.")
        for title, found in (("Gaps that close", self.closed), ("Gaps that open", self.opened)):
            if found:
                lines.append(f"{title}:")
                lines += [f"  - [{f.severity}] {f.kind}: {f.message}" for f in found]
        if self.changed:
            lines.append("Gaps that change:")
            lines += [f"  - {a.kind}: {a.message}  ->  {b.message}" for a, b in self.changed]
        return "\n".join(lines).rstrip() + "\n"


def _route_line(r: RouteChange) -> str:
    def short(route: Any) -> str:
        return (f"{numbers.money(route.fee)}, {_num(route.hours)} hours, "
                f"{route.credits_studied} credits ({', '.join(route.credentials)})")

    if r.before is None:
        return f"now reachable: {short(r.after)}"
    if r.after is None:
        return f"no longer reachable (was {short(r.before)})"
    fee = r.delta("fee") or 0.0
    sign = "-" if fee < 0 else "+"
    head = (f"{sign}{numbers.money(abs(fee))}" if abs(fee) > 1e-6 else "same fee")
    return f"{head}: {short(r.before)} -> {short(r.after)}"


def what_if(
    catalog: Catalog,
    changes: Sequence[Change],
    options: GapOptions | None = None,
    *,
    gaps: bool = True,
    progress: Progress | None = None,
    workers: int = 1,
) -> WhatIfReport:
    """Apply ``changes`` and compare: cheapest routes to qualifications, and the gap report.

    Routes are by ``options.by`` (default fee) from nothing held. With ``gaps=False`` only
    routes are compared; ``workers`` is passed to :func:`~pathways.gaps.find_gaps`.
    ``catalog`` itself is not changed.
    """
    from pathways.routes import cheapest_routes

    opts = (options or GapOptions()).resolved()
    after = apply_changes(catalog, changes)
    touched: set[str] = set()
    for ch in changes:
        touched |= ch.touched()
    affected = sorted(_downstream_qualifications(catalog, touched)
                      | _downstream_qualifications(after, touched))
    if progress is not None:
        progress("routes", 0, len(affected))
    before_routes = _routes(catalog, affected, opts.by, cheapest_routes)
    after_routes = _routes(after, affected, opts.by, cheapest_routes)
    if progress is not None:
        progress("routes", len(affected), len(affected))
    diffs = []
    for q in affected:
        b, a = before_routes.get(q), after_routes.get(q)
        if b is None and a is None:
            continue
        if (b is not None and a is not None and b.credentials == a.credentials
                and abs(b.fee - a.fee) < 1e-6 and abs(b.hours - a.hours) < 1e-6):
            continue
        diffs.append(RouteChange(q, b, a))
    opened: list[Finding] = []
    closed: list[Finding] = []
    changed: list[tuple[Finding, Finding]] = []
    if gaps:
        old = {f.key: f for f in find_gaps(catalog, opts, workers=workers).findings}
        new = {f.key: f for f in find_gaps(after, opts, workers=workers).findings}
        opened = [f for k, f in new.items() if k not in old]
        closed = [f for k, f in old.items() if k not in new]
        changed = [(old[k], new[k]) for k in old if k in new
                   and (old[k].figure, old[k].message) != (new[k].figure, new[k].message)]
    return WhatIfReport(list(changes), diffs, opened, closed, changed, len(affected), opts.by)


def _routes(catalog: Catalog, targets: list[str], by: str,
            solve: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    index = catalog.index()
    live = [q for q in targets if q in index and index[q].effective_status != "discontinued"]
    return solve(catalog, live, by=by) if live else {}


def _downstream_qualifications(catalog: Catalog, ids: set[str]) -> set[str]:
    """Qualifications that are, or lead on from, one of ``ids`` (stacking or requirements)."""
    index = index_of(catalog)
    return {q for q in index.downstream(ids) if index.creds[q].kind == "qualification"}
