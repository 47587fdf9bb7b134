"""The closed word lists of the product, each written once.

Readers validate against these, the CLI builds its choices from them, and the library
modules (routes, gaps, drawings) check their arguments against them. Each list is a tuple
in the order users see it in help texts and messages (not alphabetical where a natural
order exists: levels of study, severities, page sizes small to large).

This module imports nothing, so the CLI can build its options from it without loading
any heavier part of the package.
"""

from __future__ import annotations

__all__ = [
    "KINDS",
    "QUALIFICATION_TYPES",
    "AQF_QUALIFICATION_TYPES",
    "ANY_QUALIFICATION_TYPES",
    "DELIVERY_MODES",
    "STATUSES",
    "FRAMEWORKS",
    "SYSTEM_TYPES",
    "OBJECTIVES",
    "OBJECTIVE_UNITS",
    "PLAN_OBJECTIVES",
    "PLAN_MODES",
    "GAP_KINDS",
    "SEVERITIES",
    "PAGE_SIZES",
    "PAGE_SIZES_MM",
    "MAP_STYLES",
    "EDGE_KINDS",
    "REQUISITE_KINDS",
    "CATALOG_FORMATS",
    "METRIC_NAMES",
]

#: What a credential is (catalog-format.md ``kind``).
KINDS = ("micro-credential", "qualification", "course")

#: Qualification types, from the lowest level of study to the highest (``type``).
QUALIFICATION_TYPES = (
    "certificate",
    "diploma",
    "graduate-certificate",
    "graduate-diploma",
    "bachelor",
    "bachelor-honours",
    "postgraduate-certificate",
    "postgraduate-diploma",
    "masters",
    "doctorate",
)

#: AQF qualification types (AQF Second Edition, 2013), lowest level first; the names the
#: NZQF also uses (diploma, bachelor...) are the same words.
AQF_QUALIFICATION_TYPES = (
    "certificate-i",
    "certificate-ii",
    "certificate-iii",
    "certificate-iv",
    "diploma",
    "advanced-diploma",
    "associate-degree",
    "bachelor",
    "bachelor-honours",
    "graduate-certificate",
    "graduate-diploma",
    "masters",
    "doctorate",
)

#: Every qualification type a file may name (the NZQF's, then the AQF's own); which of
#: them a credential may use is its framework's business (rules.py).
ANY_QUALIFICATION_TYPES = QUALIFICATION_TYPES + tuple(
    t for t in AQF_QUALIFICATION_TYPES if t not in QUALIFICATION_TYPES)

#: How a credential is offered (``delivery``).
DELIVERY_MODES = ("online", "in-person", "blended", "workplace")

#: Where a credential is in its life (``status``; none given means "current").
STATUSES = ("current", "expiring", "discontinued")

#: Qualification frameworks a catalog (or one credential) can declare (``framework``):
#: New Zealand's current and 2018 rules, none, and Australia's AQF; see rules.py.
FRAMEWORKS = ("nzqf", "nzqf-2018", "generic", "aqf")

#: CurricularAnalytics calendars.
SYSTEM_TYPES = ("semester", "quarter")

#: What a route minimises (``--by``): the fee, the learning hours or the credits taken.
OBJECTIVES = ("fee", "hours", "credits")

#: What a dated plan minimises (``pathways plan --by``): the finish date, or a route total.
PLAN_OBJECTIVES = ("finish", *OBJECTIVES)

#: The kinds of plan (``pathways plan --mode``): chosen from the options, dated, or by term.
PLAN_MODES = ("auto", "dated", "terms")

#: How an amount of each objective is said after a number ("12 hours"); fee is money.
OBJECTIVE_UNITS = {"fee": "$", "hours": "hours", "credits": "credits"}

#: The gap report's checks, in the order the report lists them.
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

#: Severities of a gap finding, most severe first.
SEVERITIES = ("high", "medium", "low")

#: Paper sizes a drawing can be paged on, small to large, and their size in millimetres
#: (portrait: width, height).
PAGE_SIZES = ("A5", "A4", "A3")
PAGE_SIZES_MM = {"A5": (148.0, 210.0), "A4": (210.0, 297.0), "A3": (297.0, 420.0)}

#: How a pathway map looks (``draw --style``): every credential with its id, or a
#: learner's brochure of one pathway.
MAP_STYLES = ("map", "brochure")

#: The kinds of edge between two credentials: credits recognised by stacking, and the
#: three kinds of entry requirement (to_graph's ``requisite`` attribute).
REQUISITE_KINDS = ("requires", "corequisite", "strict-corequisite")
EDGE_KINDS = ("stacking", *REQUISITE_KINDS)

#: File formats a catalog is read from and written to (``ob3``: Open Badges 3.0, an
#: Achievement per credential; pathways.standards.ob3_writer).
CATALOG_FORMATS = ("json", "csv", "ob3", "ctdl")

#: Structural metrics of a credential (``pathways metrics``), in table order.
METRIC_NAMES = ("complexity", "blocking", "delay", "centrality")
