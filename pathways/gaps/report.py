"""The gap report's model and its renderings: kinds, options, findings, the report.

:class:`GapOptions` holds every threshold with its documented default and checks them;
a :class:`Finding` is one gap; a :class:`GapReport` is the sorted findings with a summary,
written as a dict (JSON), CSV or Markdown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pathways import numbers
from pathways.errors import PathwaysError
from pathways.safetext import markdown, spreadsheet_cell
from pathways.vocabulary import GAP_KINDS, OBJECTIVES, SEVERITIES

ROUTE_KINDS = frozenset({"stale", "never-used", "bottleneck"})

KIND_DESCRIPTIONS = {
    "dead-end": "Micro-credentials that stack, directly or through others, into no "
                "qualification.",
    "no-on-ramp": "Qualifications that no micro-credential stacks into, directly or "
                  "through others.",
    "shortfall": "Qualifications of which micro-credentials can cover only a small share "
                 "(respecting caps, level profiles and counting each credit once).",
    "level-jump": "Stacking edges that climb many levels at once, and qualifications whose "
                  "nearest micro-credential on-ramp is far below them.",
    "stale": "Credentials discontinued, expiring or due for review, with the cheapest "
             "routes that rely on them.",
    "duplication": "Micro-credentials whose skills are largely a qualification's they do "
                   "not stack into (NZQA: micro-credentials must not duplicate existing "
                   "quality-assured learning).",
    "never-used": "Credentials on no qualification's cheapest route: they never pay off.",
    "bottleneck": "Credentials without which qualifications become unreachable or dearer.",
    "isolated-provider": "Providers whose credentials stack only among themselves.",
}



# Every number of the options: (what it is called, lowest, highest, whether whole).
# Checked after the messages for the commonest mistakes, so nan, infinity and numbers
# past any sense are refused in one form (pathways.numbers').
NUMBER_BOUNDS: dict[str, tuple[str, int, int, bool]] = {
    "review_window_days": ("review window (days)", 0, numbers.MAX_DAYS, True),
    "shortfall_threshold": ("shortfall threshold", 0, 1, False),
    "max_level_jump": ("level jump", 0, numbers.MAX_LEVEL, True),
    "duplication_overlap": ("duplication overlap", 0, 1, False),
    "duplication_min_shared": ("duplication minimum shared skills", 1, numbers.MAX_CREDITS,
                               True),
    "duplication_level_window": ("duplication level window", 0, numbers.MAX_LEVEL, True),
    "bottleneck_min_increase": ("bottleneck minimum increase", 0, 1000, False),
}


class GapOptionError(PathwaysError):
    """Gap options that cannot be used (an unknown kind, a threshold out of range)."""


@dataclass(frozen=True)
class GapOptions:
    """What the gap report looks for, and its thresholds (all defaults documented here).

    - ``kinds``: the kinds to run (default: all of :data:`GAP_KINDS`).
    - ``providers`` / ``fields``: keep only findings involving a credential of one of these
      providers (or the provider itself) / a credential in one of these fields (fields
      compare case-insensitively). Default: no filter.
    - ``as_of``: the date review dates are judged against (default: today).
    - ``review_window_days``: a review due within this many days of ``as_of`` is
      "due soon" (default 90).
    - ``shortfall_threshold``: report a qualification when micro-credentials can cover less
      than this share of its credits (default 0.25).
    - ``max_level_jump``: report a stacking edge or nearest on-ramp more than this many
      levels below its qualification (default 2).
    - ``duplication_overlap``: report when at least this share of a micro-credential's
      skills are a qualification's it does not stack into (default 0.5) ...
    - ``duplication_min_shared``: ... and at least this many skills are shared (default 2),
      so one generic skill ("site-safety") is not a duplication ...
    - ``duplication_level_window``: ... and the qualification's level is within this many
      levels of the micro-credential's (default 1): the same skills taught three levels
      apart are not the same learning.
    - ``bottleneck_min_increase``: a credential is a bottleneck when excluding it makes a
      qualification unreachable or its cheapest route dearer by at least this share
      (default 0.1, i.e. 10 %); smaller increases are the ordinary price of one option
      fewer.
    - ``by``: the route objective for stale, never-used and bottleneck: ``"fee"``
      (default), ``"hours"`` or ``"credits"``.
    """

    kinds: frozenset[str] | None = None
    providers: frozenset[str] | None = None
    fields: frozenset[str] | None = None
    as_of: date | None = None
    review_window_days: int = 90
    shortfall_threshold: float = 0.25
    max_level_jump: int = 2
    duplication_overlap: float = 0.5
    duplication_min_shared: int = 2
    duplication_level_window: int = 1
    bottleneck_min_increase: float = 0.1
    by: str = "fee"

    def resolved(self) -> GapOptions:
        """These options checked, with ``kinds`` and ``as_of`` filled in."""
        kinds = frozenset(GAP_KINDS) if self.kinds is None else frozenset(self.kinds)
        unknown = sorted(kinds - set(GAP_KINDS))
        if unknown:
            raise GapOptionError(f"unknown gap kind {unknown[0]!r}; use one of "
                                 + ", ".join(GAP_KINDS))
        if not 0 <= self.shortfall_threshold <= 1:
            raise GapOptionError(f"shortfall threshold {self.shortfall_threshold} is not a "
                                 "share; give a number from 0 to 1 (e.g. 0.25)")
        if not 0 <= self.duplication_overlap <= 1:
            raise GapOptionError(f"duplication overlap {self.duplication_overlap} is not a "
                                 "share; give a number from 0 to 1 (e.g. 0.5)")
        if self.max_level_jump < 0:
            raise GapOptionError(f"level jump {self.max_level_jump} is negative; give 0 or "
                                 "more levels")
        if self.bottleneck_min_increase < 0:
            raise GapOptionError(f"bottleneck minimum increase {self.bottleneck_min_increase} "
                                 "is negative; give a share of 0 or more (e.g. 0.1)")
        if self.review_window_days < 0:
            raise GapOptionError(f"review window {self.review_window_days} days is "
                                 "negative; give 0 or more days")
        if self.duplication_min_shared < 1:
            raise GapOptionError(f"duplication minimum {self.duplication_min_shared} shared "
                                 "skills is too small; give 1 or more")
        if self.duplication_level_window < 0:
            raise GapOptionError(f"duplication level window {self.duplication_level_window} "
                                 "is negative; give 0 or more levels")
        if self.by not in OBJECTIVES:
            raise GapOptionError(f"unknown route objective {self.by!r}; use fee, hours or "
                                 "credits")
        for name, (what, low, high, whole) in NUMBER_BOUNDS.items():
            message = numbers.problem(getattr(self, name), what, low=low, high=high,
                                      integer=whole)
            if message is not None:
                raise GapOptionError(message)
        return replace(self, kinds=kinds, as_of=self.as_of or date.today())

    def to_dict(self) -> dict[str, Any]:
        return {
            "kinds": [k for k in GAP_KINDS if self.kinds is None or k in self.kinds],
            "providers": sorted(self.providers) if self.providers else None,
            "fields": sorted(self.fields) if self.fields else None,
            "as_of": (self.as_of or date.today()).isoformat(),
            "review_window_days": self.review_window_days,
            "shortfall_threshold": self.shortfall_threshold,
            "max_level_jump": self.max_level_jump,
            "duplication_overlap": self.duplication_overlap,
            "duplication_min_shared": self.duplication_min_shared,
            "duplication_level_window": self.duplication_level_window,
            "bottleneck_min_increase": self.bottleneck_min_increase,
            "by": self.by,
        }


@dataclass(frozen=True)
class Finding:
    """One gap: what kind, how severe, who is involved, one figure and one line."""

    kind: str
    severity: str
    credentials: tuple[str, ...]
    providers: tuple[str, ...]
    figure: float
    message: str
    details: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """What identifies a finding across two reports (what-if): kind and credentials."""
        return (self.kind, self.credentials or self.providers)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "severity": self.severity,
            "credentials": list(self.credentials),
            "providers": list(self.providers),
            "figure": plain(self.figure),
            "message": self.message,
        }
        if self.details:
            out["details"] = dict(self.details)
        return out


def sort_key(f: Finding) -> tuple[Any, ...]:
    """Severity, then figure (worse first), then kind, then ids."""
    # Worse first within a severity: a smaller covered share, more qualifications made
    # unreachable by a bottleneck, a larger figure for everything else.
    if f.kind == "shortfall":
        worse: tuple[float, float] = (0, f.figure)
    else:
        worse = (-len(f.details.get("unreachable", ())), -f.figure)
    return (SEVERITIES.index(f.severity), worse, GAP_KINDS.index(f.kind), f.credentials,
            f.providers)


@dataclass
class GapReport:
    """The findings, sorted by severity, then figure (worse first), then kind, then ids."""

    findings: list[Finding]
    options: GapOptions
    summary: dict[str, Any] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        return {"findings": [f.to_dict() for f in self.findings], "summary": self.summary}

    def to_csv(self) -> str:
        """One row per finding: kind, severity, credentials, providers, figure, message."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["kind", "severity", "credentials", "providers", "figure", "message"])
        for f in self.findings:
            w.writerow([f.kind, f.severity, spreadsheet_cell("; ".join(f.credentials)),
                        spreadsheet_cell("; ".join(f.providers)), plain(f.figure),
                        spreadsheet_cell(f.message)])
        return buf.getvalue()

    def to_markdown(self) -> str:
        """A report to send a colleague: a summary, then one section per kind."""
        s = self.summary
        lines = ["# Gap report", ""]
        name = s.get("catalog")
        lines.append(
            (f"Catalog **{markdown(name)}**: " if name else "Catalog: ")
            + f"{s.get('credentials', 0)} credentials, {s.get('qualifications', 0)} "
            f"qualifications; review dates judged as of {s.get('as_of')}.")
        lines.append("")
        total = len(self.findings)
        sev = s.get("by_severity", {})
        if total:
            lines.append(f"**{total} finding{'s' if total != 1 else ''}**: "
                         + ", ".join(f"{sev.get(k, 0)} {k}" for k in SEVERITIES) + ".")
        else:
            lines.append("**No findings.**")
        lines.append("")
        lines += ["| kind | findings | what it means |", "|---|---:|---|"]
        for kind in s.get("kinds", GAP_KINDS):
            lines.append(f"| {kind} | {s.get('by_kind', {}).get(kind, 0)} | "
                         f"{KIND_DESCRIPTIONS[kind]} |")
        if s.get("unreachable"):
            lines += ["", "Qualifications with no route at all from nothing held: "
                      + ", ".join(s["unreachable"]) + "."]
        filters = [f"provider {', '.join(s['providers'])}" if s.get("providers") else "",
                   f"field {', '.join(s['fields'])}" if s.get("fields") else ""]
        if any(filters):
            lines += ["", "Only findings involving " + " and ".join(x for x in filters if x)
                      + "."]
        for kind in s.get("kinds", GAP_KINDS):
            found = self.of_kind(kind)
            if not found:
                continue
            lines += ["", f"## {kind} ({len(found)})", "", KIND_DESCRIPTIONS[kind], "",
                      "| severity | credentials | figure | finding |", "|---|---|---:|---|"]
            for f in found:
                ids = ", ".join(f.credentials) or ", ".join(f.providers)
                lines.append(f"| {f.severity} | {markdown(ids)} | {_figure_text(f)} | "
                             f"{markdown(f.message)} |")
        lines += ["", "Thresholds: " + _thresholds_text(self.options) + "."]
        return "\n".join(lines) + "\n"


def plain(x: float) -> float | int:
    """A figure for JSON and CSV: an int when whole, else to 4 decimals (shares)."""
    return numbers.natural(float(x), 4)


def _figure_text(f: Finding) -> str:
    if f.kind in ("shortfall", "duplication"):
        return numbers.share(f.figure)
    if f.kind == "bottleneck":
        return f"{f.figure:,.0f}"
    return str(plain(f.figure))


def _thresholds_text(o: GapOptions) -> str:
    return (f"shortfall below {numbers.share(o.shortfall_threshold)}, level jumps over "
            f"{o.max_level_jump} levels, duplication from "
            f"{numbers.share(o.duplication_overlap)} of a "
            f"micro-credential's skills (at least {o.duplication_min_shared} shared), "
            f"reviews due within {o.review_window_days} days, routes by {o.by}")



def count(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless n is 1: ``3 qualifications``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
