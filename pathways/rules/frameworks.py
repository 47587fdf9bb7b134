"""The qualifications frameworks as data: qualification-type tables, the rules of each
framework (:data:`FRAMEWORK_RULES`) and what follows from them (RPL, level profiles)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from types import MappingProxyType
from typing import TYPE_CHECKING

from pathways.catalog import Catalog
from pathways.errors import Problem

if TYPE_CHECKING:
    from pathways.rules.context import _Context


# A level profile as data: (level, minimum credits at that level or above); a minimum of
# None means "all of the credential's credits".
ProfileSpec = tuple[tuple[int, int | None], ...]


@dataclass(frozen=True)
class QualificationType:
    """One row of a framework's qualification-type table."""

    name: str
    levels: tuple[int, ...]  # the levels a qualification of this type may have
    min_credits: int
    # level -> the profile the framework describes for this type at that level; a default
    # that routes may use, never imposed by validation.
    profiles: Mapping[int, ProfileSpec] = dc_field(default_factory=dict)


def _types(*rows: QualificationType) -> Mapping[str, QualificationType]:
    return MappingProxyType({r.name: r for r in rows})


# nzqa.govt.nz, "Understanding the NZQF" type pages (see domain/nzqf.md); minimums only
# (a bachelor-honours may be 120 or 480 credits, a masters 120, 180 or 240).
NZQF_QUALIFICATION_TYPES: Mapping[str, QualificationType] = _types(
    QualificationType("certificate", (1, 2, 3, 4, 5, 6), 40,
                      {lv: ((lv, 40),) for lv in range(1, 7)}),
    QualificationType("diploma", (5, 6, 7), 120,
                      {5: ((4, None), (5, 72)), 6: ((5, None), (6, 72)), 7: ((7, 72),)}),
    QualificationType("graduate-certificate", (7,), 60),  # split unconfirmed
    QualificationType("graduate-diploma", (7,), 120, {7: ((7, 72),)}),
    QualificationType("bachelor", (7,), 360, {7: ((5, None), (7, 72))}),
    QualificationType("bachelor-honours", (8,), 120, {8: ((8, 120),)}),
    QualificationType("postgraduate-certificate", (8,), 60, {8: ((8, None),)}),
    QualificationType("postgraduate-diploma", (8,), 120, {8: ((7, None), (8, 72))}),
    QualificationType("masters", (9,), 120, {9: ((8, None), (9, 40))}),
    QualificationType("doctorate", (10,), 360, {10: ((10, None),)}),
)

# NZQA Qualification and Micro-credential Listing and Operational Rules 2022, rule 6.2.
NZQF_BANNED_TITLE_WORDS = (
    "New Zealand", "national", "diploma", "degree", "bachelor", "master", "doctor",
    "under-graduate", "post-graduate",
)


# AQF Second Edition (January 2013), see domain/nzqf.md: the levels of each type. Sizes
# are volumes of learning in years (AQF_VOLUMES), not credits: providers count credit in
# their own units, so a type has no credit minimum here.
AQF_QUALIFICATION_TYPES: Mapping[str, QualificationType] = _types(
    QualificationType("certificate-i", (1,), 0),
    QualificationType("certificate-ii", (2,), 0),
    QualificationType("certificate-iii", (3,), 0),
    QualificationType("certificate-iv", (4,), 0),
    QualificationType("diploma", (5,), 0),
    QualificationType("advanced-diploma", (6,), 0),
    QualificationType("associate-degree", (6,), 0),
    QualificationType("bachelor", (7,), 0),
    QualificationType("bachelor-honours", (8,), 0),
    QualificationType("graduate-certificate", (8,), 0),
    QualificationType("graduate-diploma", (8,), 0),
    QualificationType("masters", (9,), 0),
    QualificationType("doctorate", (10,), 0),
)

#: A full-time year of learning under the AQF, in hours.
AQF_HOURS_PER_YEAR = 1200

#: Each AQF type's typical volume of learning, (least, most) full-time years. Honours is
#: one year after a bachelor or four years embedded in one.
AQF_VOLUMES: Mapping[str, tuple[float, float]] = MappingProxyType({
    "certificate-i": (0.5, 1), "certificate-ii": (0.5, 1), "certificate-iii": (1, 2),
    "certificate-iv": (0.5, 2), "diploma": (1, 2), "advanced-diploma": (1.5, 2),
    "associate-degree": (2, 2), "bachelor": (3, 4), "bachelor-honours": (1, 4),
    "graduate-certificate": (0.5, 1), "graduate-diploma": (1, 2), "masters": (1, 2),
    "doctorate": (3, 4),
})

#: "Far outside" a volume of learning: under 1/FAR_OUTSIDE of its least or over
#: FAR_OUTSIDE times its most (a warning: the AQF allows providers some latitude).
FAR_OUTSIDE = 2

#: The vocational (VET) qualification types: packaged from units of competency as core
#: units plus groups of electives.
AQF_VET_TYPES = ("certificate-i", "certificate-ii", "certificate-iii", "certificate-iv",
                 "diploma", "advanced-diploma")


@dataclass(frozen=True)
class FrameworkRules:
    """The rules of one qualifications framework, as parameters of the shared checks.

    A framework whose rules do not fit these parameters adds functions to
    ``extra_checks``; each takes the validation context and yields problems.
    """

    name: str
    level_required: bool
    levels: tuple[int, int] = (1, 10)
    micro_credential_credits: tuple[int, int] | None = None
    min_qualification_credits: int | None = None
    qualification_types: Mapping[str, QualificationType] = dc_field(
        default_factory=lambda: MappingProxyType({}))
    banned_title_words: tuple[str, ...] = ()
    extra_checks: tuple[Callable[[_Context], Iterable[Problem]], ...] = ()
    # Whether recognition of prior learning may grant credit in its micro-credentials.
    micro_credential_rpl: bool = True


def _aqf_check(name: str) -> Callable[[_Context], Iterable[Problem]]:
    """The AQF check ``name`` of :mod:`pathways.rules.aqf`, imported when first called
    (that module needs the validation context, which needs these tables)."""

    def run(ctx: _Context) -> Iterable[Problem]:
        from pathways.rules import aqf

        return getattr(aqf, name)(ctx)

    run.__name__ = run.__qualname__ = name
    return run


FRAMEWORK_RULES: Mapping[str, FrameworkRules] = MappingProxyType({
    "nzqf": FrameworkRules(
        name="nzqf", level_required=True, micro_credential_credits=(1, 40),
        min_qualification_credits=40, qualification_types=NZQF_QUALIFICATION_TYPES,
        banned_title_words=NZQF_BANNED_TITLE_WORDS),
    "nzqf-2018": FrameworkRules(
        name="nzqf-2018", level_required=True, micro_credential_credits=(5, 40),
        min_qualification_credits=40, qualification_types=NZQF_QUALIFICATION_TYPES,
        banned_title_words=NZQF_BANNED_TITLE_WORDS),
    "generic": FrameworkRules(name="generic", level_required=False),
    "aqf": FrameworkRules(
        name="aqf", level_required=True, qualification_types=AQF_QUALIFICATION_TYPES,
        extra_checks=(_aqf_check("_aqf_volumes"), _aqf_check("_aqf_micro_credentials"),
                      _aqf_check("_aqf_vet_packaging")),
        micro_credential_rpl=False),
})


def rpl_refusal(catalog: Catalog, cid: str) -> str | None:
    """Why recognition of prior learning cannot grant credit in credential ``cid`` under
    the framework it follows, or None when it can. The National Microcredentials
    Framework (Australia, 2022) gives no RPL for micro-credentials."""
    c = next((x for x in catalog.credentials if x.id == cid), None)
    if c is None or c.kind != "micro-credential":
        return None
    framework = catalog.framework_of(c)
    rules = FRAMEWORK_RULES.get(framework)
    if rules is None or rules.micro_credential_rpl:
        return None
    return (f"{cid} is an {framework.upper()} micro-credential: recognition of prior learning "
            "is not available for micro-credentials under Australia's National "
            "Microcredentials Framework; remove the grant (a learner who has the skills "
            "can hold it instead, as a held credential)")


def default_level_profile(qtype: str, level: int, credits: int,
                          framework: str = "nzqf") -> tuple[tuple[int, int], ...]:
    """The level profile a framework describes for a qualification type at a level.

    Returns sorted ``(level, minimum)`` pairs like ``Credential.level_profile``; empty when
    the framework states none (or does not know the type). Validation never imposes it.
    """
    rules = FRAMEWORK_RULES.get(framework)
    row = rules.qualification_types.get(qtype) if rules else None
    spec = row.profiles.get(level, ()) if row else ()
    return tuple(sorted((lv, credits if m is None else min(m, credits)) for lv, m in spec))
