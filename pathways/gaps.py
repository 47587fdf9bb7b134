"""The provider gap report: where a catalog's pathways break, stall or duplicate.

:func:`find_gaps` runs the checks of semantics.md section 4 and returns a
:class:`GapReport` of :class:`Finding` s, each with a kind, a severity, the credentials and
providers involved, one number (its *figure*) and a one-line message. Every threshold is a
field of :class:`GapOptions` with a documented default.

What counts as available: a discontinued credential cannot be newly taken, so it neither
opens nor carries a pathway (it is reported as ``stale`` instead); expiring ones still do.
"Stacks into ... directly or through others" follows stacking edges only (an entry
requirement consumes no credits and is no on-ramp).

The kinds and how each is found:

- ``dead-end``: an available micro-credential from which no available qualification can be
  reached along stacking edges through available credentials. Figure: its credits.
- ``no-on-ramp``: an available qualification that no available micro-credential reaches
  along stacking edges. Figure: its credits.
- ``shortfall``: the most of a qualification's credits a learner can have recognised from
  micro-credentials, directly or through intermediate credentials, below
  ``shortfall_threshold`` of its credits. Figure: that share (0-1). Computed exactly, see
  :func:`micro_credential_coverage`.
- ``level-jump``: a stacking edge climbing more than ``max_level_jump`` levels, or a
  qualification whose nearest (highest-level) micro-credential on-ramp, directly or
  through others, is more than that far below it (unless that on-ramp stacks straight
  into it: the edge finding says so already). Figure: the levels climbed.
- ``stale``: a credential discontinued, expiring, past its review date or due for review
  within ``review_window_days`` of ``as_of``, with the qualifications whose cheapest route
  uses it (for a discontinued one: the qualifications it stacked into or was required by).
  Figure: how many such qualifications.
- ``duplication``: an available micro-credential sharing at least ``duplication_overlap`` of
  its own skills (and at least ``duplication_min_shared`` skills) with available
  qualifications within ``duplication_level_window`` levels of it that it does not stack
  into, directly or through others; one finding per micro-credential, naming the closest
  match first. The share is of the micro-credential's skills, not Jaccard: a
  micro-credential is small, a qualification broad, and the question is whether the small
  one's content is already taught. Figure: the largest share.
- ``never-used``: an available micro-credential or course that leads to a qualification
  (along stacking or requirement edges) yet is on no qualification's cheapest route.
  Figure: how many qualifications it leads to.
- ``bottleneck``: a credential whose exclusion makes qualifications unreachable or their
  cheapest route dearer by at least ``bottleneck_min_increase`` of it. Only the
  qualifications whose cheapest route uses it can change; of those, one whose core or
  only way in it is is unreachable without solving, and one for which a route without it
  can be priced from the current route (:func:`_removal_bound`) below the threshold is
  not solved again either. Figure: the total increase of the objective (NZD for
  ``by="fee"``) over the qualifications still reachable; unreachable ones make it high.
- ``isolated-provider``: a provider (of two or more in the catalog) none of whose
  credentials stack into or from another provider's. Figure: its credentials.

"Cheapest route" is the route engine's (:mod:`pathways.routes`) from nothing held, by the
objective ``by`` (default fee), to every available qualification.

Severities: ``high`` for a shortfall below half the threshold, a level jump of twice the
limit or more, a stale credential that is discontinued or past review with routes relying
on it, a duplication of all of a micro-credential's skills, a bottleneck that makes a
qualification unreachable; ``low`` for never-used, isolated providers and stale
credentials nothing relies on that are merely expiring or due soon; ``medium`` otherwise.
Findings are sorted by severity, then figure (worse first: a smaller share for shortfall,
more qualifications made unreachable then a larger figure for the rest), then kind, then
ids. A finding's ``details`` carry what the one line cannot (the qualifications affected,
the shares, the skills shared); the JSON output writes them under ``"details"``.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import takewhile
from operator import itemgetter
from typing import Any

from pathways.catalog import Catalog, Credential
from pathways.errors import CatalogError, PathwaysError
from pathways.rules import parse_date

__all__ = [
    "GAP_KINDS",
    "SEVERITIES",
    "Finding",
    "GapOptionError",
    "GapOptions",
    "GapReport",
    "find_gaps",
    "micro_credential_coverage",
]

GAP_KINDS = (
    "dead-end",
    "no-on-ramp",
    "shortfall",
    "level-jump",
    "stale",
    "duplication",
    "never-used",
    "bottleneck",
    "isolated-provider",
)
SEVERITIES = ("high", "medium", "low")
ROUTE_KINDS = frozenset({"stale", "never-used", "bottleneck"})
DUPLICATES_LISTED = 10  # a duplication finding names at most this many qualifications

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

Progress = Callable[[str, int, int], None]


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
        if self.by not in ("fee", "hours", "credits"):
            raise GapOptionError(f"unknown route objective {self.by!r}; use fee, hours or "
                                 "credits")
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
            "figure": _plain(self.figure),
            "message": self.message,
        }
        if self.details:
            out["details"] = dict(self.details)
        return out


def _sort_key(f: Finding) -> tuple[Any, ...]:
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
            w.writerow([f.kind, f.severity, "; ".join(f.credentials), "; ".join(f.providers),
                        _plain(f.figure), f.message])
        return buf.getvalue()

    def to_markdown(self) -> str:
        """A report to send a colleague: a summary, then one section per kind."""
        s = self.summary
        lines = ["# Gap report", ""]
        name = s.get("catalog")
        lines.append(
            (f"Catalog **{name}**: " if name else "Catalog: ")
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
                lines.append(f"| {f.severity} | {ids} | {_figure_text(f)} | "
                             f"{f.message.replace('|', '/')} |")
        lines += ["", "Thresholds: " + _thresholds_text(self.options) + "."]
        return "\n".join(lines) + "\n"


def _plain(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(float(x), 4)


def _figure_text(f: Finding) -> str:
    if f.kind in ("shortfall", "duplication"):
        return f"{f.figure:.0%}"
    if f.kind == "bottleneck":
        return f"{f.figure:,.0f}"
    return str(_plain(f.figure))


def _thresholds_text(o: GapOptions) -> str:
    return (f"shortfall below {o.shortfall_threshold:.0%}, level jumps over "
            f"{o.max_level_jump} levels, duplication from {o.duplication_overlap:.0%} of a "
            f"micro-credential's skills (at least {o.duplication_min_shared} shared), "
            f"reviews due within {o.review_window_days} days, routes by {o.by}")


# -- the analysis ----------------------------------------------------------------------------


class _Context:
    """What every check needs: the catalog indexed, availability, stacking adjacency."""

    def __init__(self, catalog: Catalog, options: GapOptions) -> None:
        self.catalog = catalog
        self.options = options
        self.index: dict[str, Credential] = catalog.index()
        self.providers = catalog.provider_index()
        self.provider = {cid: c.provider for cid, c in self.index.items()}
        self.available = {cid for cid, c in self.index.items()
                          if c.effective_status != "discontinued"}
        self.into: dict[str, list[tuple[str, int]]] = defaultdict(list)  # target -> sources
        self.out: dict[str, list[tuple[str, int]]] = defaultdict(list)  # source -> targets
        for e in catalog.stacking:
            if e.source in self.index and e.target in self.index:
                self.into[e.target].append((e.source, e.credits))
                self.out[e.source].append((e.target, e.credits))
        for lst in (*self.into.values(), *self.out.values()):
            lst.sort()
        self.qualifications = sorted(
            cid for cid in self.available if self.index[cid].kind == "qualification")
        self.micro = sorted(
            cid for cid in self.available if self.index[cid].kind == "micro-credential")
        self._mc_reach: set[str] | None = None
        self.workers = 1

    def providers_of(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted({p for i in ids if (p := self.provider[i])}))

    def finding(self, kind: str, severity: str, ids: Sequence[str], figure: float,
                message: str, **details: Any) -> Finding:
        return Finding(kind, severity, tuple(ids), self.providers_of(ids), figure, message,
                       details)

    def label(self, cid: str) -> str:
        c = self.index[cid]
        return f"{cid} ({c.title})" if c.title and c.title != cid else cid

    def mc_reach(self) -> set[str]:
        """Available credentials an available micro-credential reaches by stacking (or is)."""
        if self._mc_reach is None:
            seen = set(self.micro)
            queue = deque(self.micro)
            while queue:
                u = queue.popleft()
                for w, _r in self.out.get(u, ()):
                    if w in self.available and w not in seen:
                        seen.add(w)
                        queue.append(w)
            self._mc_reach = seen
        return self._mc_reach


def find_gaps(
    catalog: Catalog,
    options: GapOptions | None = None,
    *,
    progress: Progress | None = None,
    workers: int = 1,
) -> GapReport:
    """Every gap of the kinds asked for, filtered and sorted; see the module docstring.

    ``progress(label, done, total)`` is called during long steps (routes, bottlenecks).
    ``workers`` > 1 solves routes in that many processes when there are enough of them
    (the report is the same). Raises :class:`GapOptionError` for unusable options, and
    the route engine's errors (a cyclic catalog) unchanged.
    """
    opts = (options or GapOptions()).resolved()
    assert opts.kinds is not None and opts.as_of is not None
    ctx = _Context(catalog, opts)
    ctx.workers = max(1, workers)
    _check_acyclic(ctx)
    findings: list[Finding] = []
    kinds = opts.kinds
    if "dead-end" in kinds:
        findings += _dead_ends(ctx)
    if "no-on-ramp" in kinds:
        findings += _no_on_ramps(ctx)
    if "shortfall" in kinds:
        findings += _shortfalls(ctx)
    if "level-jump" in kinds:
        findings += _level_jumps(ctx)
    if "duplication" in kinds:
        findings += _duplications(ctx)
    if "isolated-provider" in kinds:
        findings += _isolated_providers(ctx)
    unreachable: list[str] = []
    if kinds & ROUTE_KINDS:
        routes = _cheapest_routes(ctx, progress)
        unreachable = sorted(q for q, r in routes.items() if r is None)
        usage: dict[str, list[str]] = defaultdict(list)
        for q, r in routes.items():
            if r is None:
                continue
            for cid in r.credentials:
                if cid != q:
                    usage[cid].append(q)
        for lst in usage.values():
            lst.sort()
        if "stale" in kinds:
            findings += _stale(ctx, usage)
        if "never-used" in kinds:
            findings += _never_used(ctx, usage)
        if "bottleneck" in kinds:
            findings += _bottlenecks(ctx, routes, usage, progress)
    findings = [f for f in findings if _wanted(ctx, f)]
    findings.sort(key=_sort_key)
    summary = {
        "catalog": catalog.name,
        "as_of": opts.as_of.isoformat(),
        "credentials": len(catalog.credentials),
        "qualifications": len(ctx.qualifications),
        "total": len(findings),
        "by_severity": {s: sum(f.severity == s for f in findings) for s in SEVERITIES},
        "by_kind": {k: sum(f.kind == k for f in findings) for k in GAP_KINDS if k in kinds},
        "kinds": [k for k in GAP_KINDS if k in kinds],
        "unreachable": unreachable,
        "providers": sorted(opts.providers) if opts.providers else None,
        "fields": sorted(opts.fields) if opts.fields else None,
        "options": opts.to_dict(),
    }
    return GapReport(findings, opts, summary)


def _check_acyclic(ctx: _Context) -> None:
    """Raise CatalogError naming a cycle of stacking and requirement edges, if any."""
    succ: dict[str, set[str]] = defaultdict(set)
    for target, sources in ctx.into.items():
        for u, _r in sources:
            succ[u].add(target)
    for c in ctx.catalog.credentials:
        for a in c.required_ids:
            if a in ctx.index:
                succ[a].add(c.id)
    indeg: dict[str, int] = dict.fromkeys(ctx.index, 0)
    for targets in succ.values():
        for w in targets:
            indeg[w] += 1
    ready = [v for v, d in indeg.items() if d == 0]
    seen = 0
    while ready:
        v = ready.pop()
        seen += 1
        for w in succ.get(v, ()):
            indeg[w] -= 1
            if indeg[w] == 0:
                ready.append(w)
    if seen < len(indeg):
        from pathways.catalog import find_cycle, to_graph

        members = find_cycle(to_graph(ctx.catalog)) or []
        shown = " -> ".join([*members, *members[:1]])
        raise CatalogError(f"cycle {shown}: gaps need an acyclic catalog; remove one of "
                           "these edges", ctx.catalog.source or "")


def _wanted(ctx: _Context, f: Finding) -> bool:
    o = ctx.options
    if o.providers and not set(f.providers) & set(o.providers):
        return False
    if o.fields:
        wanted = {x.casefold() for x in o.fields}
        if not any((ctx.index[c].field or "").casefold() in wanted for c in f.credentials):
            return False
    return True


# -- structural kinds ---------------------------------------------------------------------------


def _dead_ends(ctx: _Context) -> list[Finding]:
    # Available credentials that reach an available qualification through available ones.
    leads = set(ctx.qualifications)
    queue = deque(ctx.qualifications)
    while queue:
        v = queue.popleft()
        for u, _r in ctx.into.get(v, ()):
            if u in ctx.available and u not in leads:
                leads.add(u)
                queue.append(u)
    out = []
    for cid in ctx.micro:
        if cid in leads:
            continue
        c = ctx.index[cid]
        where = ("stacks into nothing" if not ctx.out.get(cid)
                 else "stacks into no qualification, directly or through others")
        out.append(ctx.finding("dead-end", "medium", [cid], c.credits,
                               f"{ctx.label(cid)} {where}"))
    return out


def _no_on_ramps(ctx: _Context) -> list[Finding]:
    reach = ctx.mc_reach()
    out = []
    for q in ctx.qualifications:
        if q in reach:
            continue
        feeders = sorted({u for u, _r in ctx.into.get(q, ())})
        verb = "stacks" if len(feeders) == 1 else "stack"
        tail = (f"; only {', '.join(feeders)} {verb} into it" if feeders
                else "; nothing stacks into it")
        out.append(ctx.finding(
            "no-on-ramp", "medium", [q], ctx.index[q].credits,
            f"no micro-credential stacks into {ctx.label(q)}, directly or through others"
            + tail))
    return out


def _shortfalls(ctx: _Context) -> list[Finding]:
    threshold = ctx.options.shortfall_threshold
    reach = ctx.mc_reach()
    out = []
    for q in ctx.qualifications:
        if q not in reach:
            continue  # no on-ramp at all: reported as no-on-ramp
        credits = ctx.index[q].credits
        # Only a shortfall needs the exact optimum: skip when a feasible choice of where
        # each credential counts already reaches the threshold.
        up = _carriers(ctx, q)
        edges = _carrier_edges(ctx, q, up)
        (low, used), high = _coverage_bounds(ctx, q, edges)
        if credits and low >= threshold * credits:
            continue
        covered = low
        if low != high:
            covered, used = _milp_coverage(ctx, q, up, edges)
        share = covered / credits if credits else 1.0
        if share >= threshold:
            continue
        severity = "high" if share < threshold / 2 else "medium"
        out.append(ctx.finding(
            "shortfall", severity, [q], round(share, 4),
            f"micro-credentials can cover at most {covered} of {q}'s {credits} credits "
            f"({share:.0%}), below the {threshold:.0%} threshold",
            covered=covered, micro_credentials=list(used)))
    return out


def _level_jumps(ctx: _Context) -> list[Finding]:
    limit = ctx.options.max_level_jump
    out = []
    for e in sorted(ctx.catalog.stacking):
        u, v = ctx.index.get(e.source), ctx.index.get(e.target)
        if u is None or v is None or u.level is None or v.level is None:
            continue
        if e.source not in ctx.available or e.target not in ctx.available:
            continue
        climb = v.level - u.level
        if climb > limit:
            out.append(ctx.finding(
                "level-jump", "high" if climb >= 2 * limit else "medium", [u.id, v.id], climb,
                f"{u.id} (level {u.level}) stacks into {v.id} (level {v.level}): a climb of "
                f"{climb} levels, more than {limit}"))
    # Nearest on-ramp: the highest level of an available micro-credential reaching q.
    best: dict[str, tuple[int, str]] = {}
    for q in ctx.qualifications:
        lq = ctx.index[q].level
        if lq is None or q not in ctx.mc_reach():
            continue
        top = _highest_on_ramp(ctx, q, best)
        if top is None:
            continue
        level, mc = top
        climb = lq - level
        if climb > limit and not any(w == q for w, _r in ctx.out.get(mc, ())):
            # (when mc stacks straight into q, the edge above says it already)
            out.append(ctx.finding(
                "level-jump", "high" if climb >= 2 * limit else "medium", [q, mc], climb,
                f"the nearest micro-credential on-ramp to {q} (level {lq}) is {mc} "
                f"(level {level}), {climb} levels below"))
    return out


def _highest_on_ramp(ctx: _Context, q: str,
                     memo: dict[str, tuple[int, str]]) -> tuple[int, str] | None:
    """(level, id) of the highest-level available micro-credential reaching q (smallest id
    among equals), by a memoised walk up the stacking edges."""
    # Iterative post-order so deep chains do not hit the recursion limit.
    stack: list[tuple[str, bool]] = [(q, False)]
    done: dict[str, tuple[int, str] | None] = {}
    while stack:
        v, expanded = stack.pop()
        if v in memo or v in done:
            continue
        sources = [u for u, _r in ctx.into.get(v, ()) if u in ctx.available]
        if not expanded:
            stack.append((v, True))
            stack.extend((u, False) for u in sources
                         if u not in memo and u not in done
                         and ctx.index[u].kind != "micro-credential")
            continue
        cands: list[tuple[int, str]] = []
        for u in sources:
            cu = ctx.index[u]
            if cu.kind == "micro-credential":
                if cu.level is not None:
                    cands.append((cu.level, u))
            else:
                got = memo.get(u) or done.get(u)
                if got is not None:
                    cands.append(got)
        top = max(cands, key=lambda t: (t[0], _neg(t[1]))) if cands else None
        done[v] = top
        if top is not None:
            memo[v] = top
    return memo.get(q)


def _neg(text: str) -> tuple[int, ...]:
    """A key ordering strings in reverse, so max() picks the smallest id among equals."""
    return tuple(-ord(ch) for ch in text) + (1,)


def _duplications(ctx: _Context) -> list[Finding]:
    o = ctx.options
    window = o.duplication_level_window
    # skill -> level -> qualifications (level None under key None): only the levels within
    # the window of a micro-credential are looked at.
    by_skill: dict[str, dict[int | None, list[str]]] = defaultdict(lambda: defaultdict(list))
    for q in ctx.qualifications:
        for s in {x.casefold() for x in ctx.index[q].skills}:
            by_skill[s][ctx.index[q].level].append(q)
    out = []
    # Micro-credentials with the same skills at the same level match the same ones.
    ranked_for: dict[tuple[frozenset[str], int | None], tuple[list[str], Counter[str]]] = {}
    for mc in ctx.micro:
        m = ctx.index[mc]
        skills = {s.casefold() for s in m.skills}
        if len(skills) < o.duplication_min_shared:
            continue
        need = max(o.duplication_min_shared, o.duplication_overlap * len(skills))
        key = (frozenset(skills), m.level)
        if key not in ranked_for:
            ranked_for[key] = _ranked_qualifications(by_skill, skills, m.level, window, need)
        ranked, shared = ranked_for[key]
        if not ranked:
            continue
        reached = _stacking_descendants(ctx, mc)
        dups = [q for q in ranked if q not in reached]
        if not dups:
            continue
        closest = dups[:DUPLICATES_LISTED]
        best = closest[0]
        k = shared[best]
        share = k / len(skills)
        into = sorted({w for w, _r in ctx.out.get(mc, ())})
        tail = (f"; it stacks only into {', '.join(into)}" if into else "; it stacks into nothing")
        more = (f" (and {_count(len(dups) - 1, 'other qualification')} as much or less)"
                if len(dups) > 1 else "")
        providers = set(map(ctx.provider.__getitem__, dups))
        providers.add(ctx.provider[mc])
        providers.discard(None)
        out.append(Finding(
            "duplication", "high" if share >= 1 else "medium", (mc, *closest),
            tuple(sorted(p for p in providers if p)), round(share, 4),
            f"{mc} shares {k} of its {len(skills)} skills ({share:.0%}) with {best}{more} but "
            f"does not stack into it{tail}",
            {"qualifications": len(dups),
             "shared_skills": sorted(skills & {s.casefold() for s in ctx.index[best].skills})}))
    return out


def _ranked_qualifications(by_skill: Mapping[str, Mapping[int | None, list[str]]],
                           skills: set[str], level: int | None, window: int, need: float
                           ) -> tuple[list[str], Counter[str]]:
    """Qualifications within ``window`` levels sharing at least ``need`` of ``skills``, most
    shared first (ids in order among equals), and the count shared with each."""
    shared: Counter[str] = Counter()
    for s in skills:
        levels = by_skill.get(s)
        if not levels:
            continue
        if level is None:
            groups = list(levels.values())
        else:
            groups = [levels[lv] for lv in range(level - window, level + window + 1)
                      if lv in levels]
            if None in levels:
                groups.append(levels[None])
        for group in groups:
            shared.update(group)
    ranked = sorted(shared.items())
    ranked.sort(key=itemgetter(1), reverse=True)  # stable: ids stay in order among equals
    return [q for q, _k in takewhile(lambda t: t[1] >= need, ranked)], shared


def _within_levels(a: int | None, b: int | None, window: int) -> bool:
    return a is None or b is None or abs(a - b) <= window


def _stacking_descendants(ctx: _Context, start: str) -> set[str]:
    seen: set[str] = set()
    queue = deque([start])
    while queue:
        u = queue.popleft()
        for w, _r in ctx.out.get(u, ()):
            if w not in seen:
                seen.add(w)
                queue.append(w)
    return seen


def _isolated_providers(ctx: _Context) -> list[Finding]:
    owned: dict[str, list[str]] = defaultdict(list)
    for c in ctx.catalog.credentials:
        if c.provider:
            owned[c.provider].append(c.id)
    if len(owned) < 2:
        return []
    crossing: set[str] = set()
    for e in ctx.catalog.stacking:
        u, v = ctx.index.get(e.source), ctx.index.get(e.target)
        if u is None or v is None:
            continue
        if u.provider and v.provider and u.provider != v.provider:
            crossing.update((u.provider, v.provider))
    out = []
    for p in sorted(owned):
        if p in crossing:
            continue
        ids = sorted(owned[p])
        name = ctx.providers[p].name if p in ctx.providers and ctx.providers[p].name else p
        internal = sum(1 for e in ctx.catalog.stacking
                       if e.source in ctx.index and ctx.index[e.source].provider == p)
        what = (f"stack only among themselves ({_count(internal, 'edge')})" if internal
                else "stack into or from nothing")
        out.append(Finding(
            "isolated-provider", "low", (), (p,), len(ids),
            f"{name} ({p}): none of its {len(ids)} credentials stack into or from another "
            f"provider's; they {what}",
            {"credentials": ids}))
    return out


# -- shortfall: the most credits micro-credentials can cover --------------------------------------


def micro_credential_coverage(catalog: Catalog, qid: str, *,
                              _ctx: _Context | None = None) -> tuple[int, tuple[str, ...]]:
    """The most of ``qid``'s credits a learner can have recognised from micro-credentials.

    Micro-credential credits reach ``qid`` along stacking edges, directly or through
    intermediate (non-micro) credentials, as in a route: at most r(u,v) over each edge, each
    credential counted into at most one other, every credential's ``max_recognised`` cap
    and level profile respected (a recognised credit keeps its immediate source's level),
    and an intermediate passes on at most the micro-credential credits it received.
    Discontinued credentials take no part; requirements and core do not limit credits.

    Exact: when every credential upstream of ``qid`` counts into only one other, a greedy
    pass per credential (highest level first) is optimal, the constraints being nested;
    otherwise a small mixed-integer program (HiGHS) chooses where each is counted.
    Returns the credits and the micro-credentials counted (sorted ids).
    """
    ctx = _ctx or _Context(catalog, GapOptions().resolved())
    if qid not in ctx.index:
        raise PathwaysError(f"unknown credential {qid!r}")
    # The upstream: available credentials reaching qid by stacking that carry
    # micro-credential credits (micro-credentials themselves are leaves).
    up = _carriers(ctx, qid)
    if not up:
        return 0, ()
    edges = _carrier_edges(ctx, qid, up)
    low, high = _coverage_bounds(ctx, qid, edges)
    if low[0] == high:
        return low
    return _milp_coverage(ctx, qid, up, edges)


def _coverage_bounds(ctx: _Context, qid: str, edges: list[tuple[str, str, int]]
                     ) -> tuple[tuple[int, tuple[str, ...]], int]:
    """A feasible coverage (credits, micro-credentials) and an upper bound on the best.

    The bound lets every credential count into all the credentials it stacks into at once
    (the same dynamic program without the choice); the feasible one makes the choice
    greedily, two ways (straight into ``qid`` where possible, else up the ladder), and
    keeps the better. When every credential has one way to go, both are the optimum.
    """
    high = _tree_coverage(ctx, qid, edges)[0]
    outs: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for e in edges:
        outs[e[0]].append(e)
    if all(len(lst) == 1 for lst in outs.values()):
        return _tree_coverage(ctx, qid, edges), high
    best: tuple[int, tuple[str, ...]] = (-1, ())
    for direct in (True, False):
        chosen = []
        for lst in outs.values():
            if len(lst) == 1:
                chosen.append(lst[0])
                continue
            straight = [e for e in lst if e[1] == qid]
            others = sorted((e for e in lst if e[1] != qid),
                            key=lambda e: (-_level(ctx, e[1]), e[1]))
            pick = (straight or others) if direct else (others or straight)
            chosen.append(pick[0])
        got = _tree_coverage(ctx, qid, chosen)
        if got[0] > best[0]:
            best = got
        if best[0] == high:
            break
    return best, high


def _carriers(ctx: _Context, qid: str) -> set[str]:
    """Available credentials upstream of qid (by stacking) with micro-credential credits."""
    seen: set[str] = set()
    order: list[str] = []
    queue = deque([qid])
    while queue:
        v = queue.popleft()
        if ctx.index[v].kind == "micro-credential" and v != qid:
            continue
        for u, _r in ctx.into.get(v, ()):
            if u in ctx.available and u not in seen and u != qid:
                seen.add(u)
                order.append(u)
                queue.append(u)
    reach = ctx.mc_reach()
    return {u for u in seen if u in reach}


def _carrier_edges(ctx: _Context, qid: str, up: set[str]) -> list[tuple[str, str, int]]:
    """The stacking edges among ``up`` and into ``qid`` (none into micro-credentials)."""
    return [(u, v, r) for v in sorted({qid, *up}) if v == qid
            or ctx.index[v].kind != "micro-credential"
            for u, r in ctx.into.get(v, ()) if u in up]


def _room(ctx: _Context, v: str) -> tuple[int, list[tuple[int, int]]]:
    """(cap on credits counted into v, [(level L, at most this many from below L)])."""
    c = ctx.index[v]
    limits = [(lv, max(0, c.credits - m)) for lv, m in c.level_profile]
    return c.effective_max_recognised, limits


def _level(ctx: _Context, cid: str) -> int:
    lv = ctx.index[cid].level
    return lv if lv is not None else 0


def _fill(ctx: _Context, v: str, offers: list[tuple[str, int]]) -> tuple[int, list[str]]:
    """Greedy: take offered credits highest level first within v's cap and level profile."""
    cap, limits = _room(ctx, v)
    taken_below = [0] * len(limits)
    total = 0
    used = []
    for u, amount in sorted(offers, key=lambda t: (-_level(ctx, t[0]), t[0])):
        lu = _level(ctx, u)
        room = cap - total
        for i, (lv, most) in enumerate(limits):
            if lu < lv:
                room = min(room, most - taken_below[i])
        take = max(0, min(amount, room))
        if take <= 0:
            continue
        total += take
        used.append(u)
        for i, (lv, _most) in enumerate(limits):
            if lu < lv:
                taken_below[i] += take
    return total, used


def _tree_coverage(ctx: _Context, qid: str,
                   edges: list[tuple[str, str, int]]) -> tuple[int, tuple[str, ...]]:
    children: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for u, v, r in edges:
        children[v].append((u, r))
    memo: dict[str, tuple[int, list[str]]] = {}

    def carried(v: str) -> tuple[int, list[str]]:
        # Iterative: evaluate children before parents.
        stack = [(v, False)]
        while stack:
            x, ready = stack.pop()
            if x in memo:
                continue
            if ctx.index[x].kind == "micro-credential" and x != qid:
                memo[x] = (ctx.index[x].credits, [x])
                continue
            if not ready:
                stack.append((x, True))
                stack.extend((u, False) for u, _r in children.get(x, ()) if u not in memo)
                continue
            offers = [(u, min(r, memo[u][0])) for u, r in children.get(x, ())]
            total, used = _fill(ctx, x, offers)
            mcs = sorted({m for u in used for m in memo[u][1]})
            memo[x] = (total, mcs)
        return memo[v]

    total, mcs = carried(qid)
    return total, tuple(mcs)


def _milp_coverage(ctx: _Context, qid: str, up: set[str],
                   edges: list[tuple[str, str, int]]) -> tuple[int, tuple[str, ...]]:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    # Variables: x_e (credits over edge e), then y_e (edge e chosen) for edges out of
    # credentials with a choice to make.
    m = len(edges)
    outs: dict[str, list[int]] = defaultdict(list)
    ins: dict[str, list[int]] = defaultdict(list)
    for i, (u, v, _r) in enumerate(edges):
        outs[u].append(i)
        ins[v].append(i)
    choice = [i for i, (u, _v, _r) in enumerate(edges) if len(outs[u]) > 1]
    y_of = {i: m + k for k, i in enumerate(choice)}
    nvar = m + len(choice)
    rows: list[tuple[dict[int, float], float]] = []  # (coefficients, upper bound), all <=
    for i, (_u, _v, r) in enumerate(edges):
        if i in y_of:
            rows.append(({i: 1.0, y_of[i]: -float(r)}, 0.0))
    for u in sorted(up):
        if len(outs[u]) > 1:
            rows.append(({y_of[i]: 1.0 for i in outs[u]}, 1.0))
        if ctx.index[u].kind != "micro-credential":
            row = {i: 1.0 for i in outs[u]}
            for i in ins[u]:
                row[i] = row.get(i, 0.0) - 1.0
            rows.append((row, 0.0))
    for v in sorted({qid, *(x for x in up if ctx.index[x].kind != "micro-credential")}):
        cap, limits = _room(ctx, v)
        rows.append(({i: 1.0 for i in ins[v]}, float(cap)))
        for lv, most in limits:
            below = {i: 1.0 for i in ins[v] if _level(ctx, edges[i][0]) < lv}
            if below:
                rows.append((below, float(most)))
    a = lil_matrix((len(rows), nvar))
    ub = np.empty(len(rows))
    for k, (coef, bound) in enumerate(rows):
        for j, val in coef.items():
            a[k, j] = val
        ub[k] = bound
    c = np.zeros(nvar)
    for i in ins[qid]:
        c[i] = -1.0
    upper = np.array([float(r) for _u, _v, r in edges] + [1.0] * len(choice))
    integrality = np.array([0] * m + [1] * len(choice))
    from pathways.routes.solver import quiet_stdout

    with quiet_stdout():  # HiGHS may printf debugging lines, which would corrupt --json
        res = milp(c, constraints=[LinearConstraint(a.tocsr(), -np.inf, ub)],
                   bounds=Bounds(np.zeros(nvar), upper), integrality=integrality)
    if res.x is None:  # pragma: no cover - the zero flow is always feasible
        return 0, ()
    x = res.x[:m]
    total = int(round(-res.fun))
    # The micro-credentials whose credits reach qid: walk back along edges carrying credit.
    carrying = {i for i in range(m) if x[i] > 0.5}
    used: set[str] = set()
    queue = deque(i for i in ins[qid] if i in carrying)
    seen: set[int] = set()
    while queue:
        i = queue.popleft()
        if i in seen:
            continue
        seen.add(i)
        u = edges[i][0]
        if ctx.index[u].kind == "micro-credential":
            used.add(u)
        else:
            queue.extend(j for j in ins[u] if j in carrying)
    return total, tuple(sorted(used))


# -- route-based kinds -------------------------------------------------------------------------


def _cheapest_routes(ctx: _Context, progress: Progress | None) -> dict[str, Any]:
    quals = ctx.qualifications
    # Interleaved chunks: neighbouring ids are often alike (a ladder, a type), and a run
    # of slow ones in one chunk would leave the other workers idle at the end.
    count = max(1, min(len(quals) // 25, 400))
    tasks = [("routes", tuple(quals[i::count]), "") for i in range(count) if quals[i::count]]
    out: dict[str, Any] = {}
    for result in _run(ctx, tasks, "routes", progress):
        out.update(result)
    return out


# Route solving, in this process or in worker processes. A task is (what, targets,
# excluded credential): "routes" returns {target: Route | None}; "values" returns
# {target: objective value | None} with the credential excluded.

_WORKER: dict[str, Any] = {}
PARALLEL_MIN_TASKS = 8  # fewer tasks than this are not worth starting processes for


def _solve(catalog: Catalog, by: str, task: tuple[str, tuple[str, ...], str]) -> Any:
    from pathways.routes import Constraints, cheapest_routes

    what, targets, excluded = task
    constraints = Constraints(exclude=frozenset({excluded})) if excluded else None
    routes = cheapest_routes(catalog, targets, by=by, constraints=constraints)
    if what == "routes":
        return routes
    return {q: (None if r is None else r.value(by)) for q, r in routes.items()}


def _worker_init(catalog: Catalog, by: str) -> None:
    _WORKER["catalog"] = catalog
    _WORKER["by"] = by


def _worker_solve(task: tuple[str, tuple[str, ...], str]) -> Any:
    return _solve(_WORKER["catalog"], _WORKER["by"], task)


def _run(ctx: _Context, tasks: list[tuple[str, tuple[str, ...], str]], label: str,
         progress: Progress | None) -> list[Any]:
    """The tasks' results, in order; progress counts targets done."""
    total = sum(len(t[1]) for t in tasks)
    done = 0
    if progress is not None:
        progress(label, 0, total)
    if ctx.workers <= 1 or len(tasks) < PARALLEL_MIN_TASKS:
        results = []
        for task in tasks:
            results.append(_solve(ctx.catalog, ctx.options.by, task))
            done += len(task[1])
            if progress is not None:
                progress(label, done, total)
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # fork shares the catalog with the workers for free; elsewhere it is sent once each.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    out: list[Any] = [None] * len(tasks)
    with ProcessPoolExecutor(max_workers=min(ctx.workers, len(tasks)),
                             mp_context=multiprocessing.get_context(method),
                             initializer=_worker_init,
                             initargs=(ctx.catalog, ctx.options.by)) as pool:
        futures = {pool.submit(_worker_solve, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            out[i] = future.result()
            done += len(tasks[i][1])
            if progress is not None:
                progress(label, done, total)
    return out


def _review_state(c: Credential, as_of: date, window: int) -> tuple[str, bool] | None:
    """(why the credential is stale, whether it is severe), or None when it is not."""
    reasons = []
    severe = False
    if c.effective_status == "discontinued":
        return "discontinued", True
    if c.effective_status == "expiring":
        reasons.append("expiring")
    due = parse_date(c.review_due) if c.review_due else None
    if due is not None:
        if due < as_of:
            reasons.append(f"past its review date ({due.isoformat()})")
            severe = True
        elif due <= as_of + timedelta(days=window):
            reasons.append(f"due for review on {due.isoformat()}")
    if not reasons:
        return None
    return " and ".join(reasons), severe


def _stale(ctx: _Context, usage: Mapping[str, list[str]]) -> list[Finding]:
    o = ctx.options
    assert o.as_of is not None
    dependents: dict[str, set[str]] = defaultdict(set)  # requirement edges, reversed
    for c in ctx.catalog.credentials:
        for a in c.required_ids:
            dependents[a].add(c.id)
    out = []
    for c in sorted(ctx.catalog.credentials, key=lambda c: c.id):
        state = _review_state(c, o.as_of, o.review_window_days)
        if state is None:
            continue
        why, severe = state
        if c.effective_status == "discontinued":
            fed = sorted({w for w, _r in ctx.out.get(c.id, ())} | dependents.get(c.id, set()))
            fed = [q for q in fed if ctx.index[q].kind == "qualification"]
            tail = (f"; it stacked into or was required by {', '.join(fed)}" if fed
                    else "; no qualification depended on it")
            affected = fed
        else:
            affected = list(usage.get(c.id, ()))
            tail = (f"; the cheapest route to {_count(len(affected), 'qualification')} uses "
                    f"it: {', '.join(affected)}" if affected
                    else "; no cheapest route uses it")
        severity = SEVERITIES[(0 if affected else 1) + (0 if severe else 1)]
        out.append(ctx.finding("stale", severity, [c.id], len(affected),
                               f"{ctx.label(c.id)} is {why}{tail}", qualifications=affected))
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _never_used(ctx: _Context, usage: Mapping[str, list[str]]) -> list[Finding]:
    # Qualifications each credential leads to along stacking and requirement edges.
    succ: dict[str, set[str]] = defaultdict(set)
    for e in ctx.catalog.stacking:
        succ[e.source].add(e.target)
    for c in ctx.catalog.credentials:
        for a in c.required_ids:
            succ[a].add(c.id)
    out = []
    for c in sorted(ctx.catalog.credentials, key=lambda c: c.id):
        if c.kind == "qualification" or c.id not in ctx.available or c.id in usage:
            continue
        leads = sorted(q for q in _descendants(succ, c.id)
                       if q in ctx.index and ctx.index[q].kind == "qualification"
                       and q in ctx.available)
        if not leads:
            continue  # leads nowhere: a dead-end, reported as such
        shown = ", ".join(leads[:5]) + (f" and {len(leads) - 5} more" if len(leads) > 5 else "")
        out.append(ctx.finding(
            "never-used", "low", [c.id], len(leads),
            f"{ctx.label(c.id)} is on no qualification's cheapest route, though it leads to "
            f"{shown}", qualifications=leads))
    return out


def _descendants(succ: Mapping[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        u = stack.pop()
        for w in succ.get(u, ()):
            if w not in seen:
                seen.add(w)
                stack.append(w)
    return seen


def _minor(increase: float | None, before: float, share: float) -> bool:
    """Whether an increase of the objective is below the bottleneck threshold."""
    if increase is None:
        return False
    return increase <= 1e-6 or increase < share * before - 1e-9


def _removal_bound(ctx: _Context, route: Any, c: str) -> float | None:
    """An upper bound on how much dearer ``route`` gets without ``c``, or None if unknown.

    It prices one route without c, built from this one: c's own cost is saved; where c
    was the route's only way to meet an entry requirement, the cheapest other alternative
    with nothing to meet first is taken instead; and the credential v that c counted into
    studies the credits c counted, less those that credentials off the route (below no
    level of v's profile that c was not below, so the profile still holds) can count into
    v in c's place, each taken while it saves more than it costs. A core component c
    gives no bound.
    """
    by = ctx.options.by
    ids = set(route.credentials)
    ids.discard(c)
    step = next(s for s in route.steps if s.id == c)
    extra = 0.0
    taken: set[str] = set()
    for s in route.steps:
        if s.id == c:
            continue
        cred = ctx.index[s.id]
        if c in cred.core:
            return None
        for clause in cred.requirement_clauses:
            if c not in clause or ids.intersection(clause) or taken.intersection(clause):
                continue
            options = [a for a in clause if a != c and a in ctx.available
                       and _ready(ctx, a, ids)]
            if not options:
                return None
            pick = min(options, key=lambda a: (_cost(ctx.index[a], by), a))
            taken.add(pick)
            extra += _cost(ctx.index[pick], by)
    saved = float(_cost(step, by))
    # The engine's totals are rounded (to cents): allow that much on every step.
    slack = 0.01 * (len(route.steps) + 2)
    if step.counted_into is None or step.counted_credits <= 0:
        return max(0.0, extra - saved) + slack
    v = ctx.index[step.counted_into]
    rate = _cost(v, by) / v.credits if v.credits else 0.0
    need = step.counted_credits
    level = _level(ctx, c)
    profile = [lv for lv, _m in v.level_profile]
    offers = []
    for u, r in ctx.into.get(v.id, ()):
        if (u == c or u in ids or u in taken or u not in ctx.available
                or not _ready(ctx, u, ids)):
            continue
        lu = _level(ctx, u)
        if any(lu < lv <= level for lv in profile):
            continue  # u's credits would count below a level c's did not
        offers.append((min(r, ctx.index[u].credits), _cost(ctx.index[u], by), u))
    study = rate * need
    # Greedy: the substitute saving most first, while one still saves more than it costs.
    while need > 0 and offers:
        best = max(offers, key=lambda o: (rate * min(o[0], need) - o[1], o[2]))
        amount, cost = min(best[0], need), best[1]
        if rate * amount - cost <= 0:
            break
        offers.remove(best)
        study += cost - rate * amount
        need -= amount
    return max(0.0, extra + study - saved) + slack


def _ready(ctx: _Context, cid: str, ids: set[str]) -> bool:
    """Whether cid can join a route of ``ids`` as it is: no core, requirements met."""
    c = ctx.index[cid]
    return not c.core and all(ids.intersection(cl) for cl in c.requirement_clauses)


def _cost(x: Any, by: str) -> float:
    """A step's or a whole credential's fee, hours or credits studied."""
    if isinstance(x, Credential):
        return (x.effective_fee if by == "fee" else x.effective_hours if by == "hours"
                else float(x.credits))
    return float(x.fee if by == "fee" else x.hours if by == "hours" else x.credits_studied)


def _surely_unreachable(ctx: _Context, q: str, c: str) -> bool:
    """Whether q cannot be achieved at all without c (its core, or its only way in)."""
    cq = ctx.index[q]
    if c in cq.core:
        return True
    return any(c in clause and not any(a != c and a in ctx.available for a in clause)
               for clause in cq.requirement_clauses)


def _bottlenecks(ctx: _Context, routes: Mapping[str, Any], usage: Mapping[str, list[str]],
                 progress: Progress | None) -> list[Finding]:
    o = ctx.options
    candidates = sorted(usage)
    if o.providers:
        candidates = [c for c in candidates if ctx.index[c].provider in o.providers]
    if o.fields:
        wanted = {x.casefold() for x in o.fields}
        candidates = [c for c in candidates if (ctx.index[c].field or "").casefold() in wanted]
    # Re-solve only where dropping c from the route might cost enough to report, and c is
    # not plainly indispensable.
    tasks = []
    after: dict[str, dict[str, float | None]] = defaultdict(dict)
    for c in candidates:
        solve = []
        for q in usage[c]:
            if _surely_unreachable(ctx, q, c):
                after[c][q] = None
            elif not _minor(_removal_bound(ctx, routes[q], c), routes[q].value(o.by),
                            o.bottleneck_min_increase):
                solve.append(q)
        for i in range(0, len(solve), 50):
            tasks.append(("values", tuple(solve[i:i + 50]), c))
    if ctx.workers > 1:
        random.Random(0).shuffle(tasks)  # spread the slow ones over the workers
    for task, values in zip(tasks, _run(ctx, tasks, "bottlenecks", progress), strict=True):
        after[task[2]].update(values)
    out = []
    for c in candidates:
        dearer: dict[str, float] = {}
        lost: list[str] = []
        for q, value in sorted(after.get(c, {}).items()):
            before = routes[q].value(o.by)
            if value is None:
                lost.append(q)
            elif not _minor(value - before, before, o.bottleneck_min_increase):
                dearer[q] = value - before
        if not dearer and not lost:
            continue
        extra = round(sum(dearer.values()), 2)
        parts = []
        if lost:
            verb = "becomes" if len(lost) == 1 else "become"
            parts.append(f"{_count(len(lost), 'qualification')} {verb} unreachable "
                         f"({', '.join(lost)})")
        if dearer:
            what = {"fee": "dearer", "hours": "longer", "credits": "longer"}[o.by]
            verb = "gets" if len(dearer) == 1 else "get"
            amount = (f"${extra:,.0f}" if o.by == "fee"
                      else f"{_plain(extra)} {'hours' if o.by == 'hours' else 'credits'}")
            parts.append(f"the cheapest route to {', '.join(sorted(dearer))} {verb} {what} by "
                         f"{amount}" + (" in all" if len(dearer) > 1 else ""))
        out.append(ctx.finding(
            "bottleneck", "high" if lost else "medium", [c], extra,
            f"without {c}, " + " and ".join(parts),
            unreachable=lost, dearer={q: _plain(round(v, 2)) for q, v in sorted(dearer.items())}))
    return out
