"""Catalog validation: every structural and framework rule, its exact message and location."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import (
    FRAMEWORKS,
    QUALIFICATION_TYPES,
    Catalog,
    Credential,
    Provider,
    Stacking,
)
from pathways.errors import CatalogError, Problem
from pathways.formats import read_catalog
from pathways.rules import (
    FRAMEWORK_RULES,
    NZQF_QUALIFICATION_TYPES,
    check,
    default_level_profile,
    validate,
)

TODAY = date(2025, 1, 1)


def base(framework: str = "nzqf") -> Catalog:
    """The worked example of semantics.md, with JSON-path sources as a reader sets them."""
    creds = [
        Credential("MC-CLOUD", "Cloud fundamentals", "micro-credential", 15, level=4,
                   provider="north", fee=900),
        Credential("MC-NETSEC", "Network security basics", "micro-credential", 20, level=4,
                   provider="north", fee=1280),
        Credential("MC-PYDATA", "Python for data work", "micro-credential", 10, level=5,
                   provider="south", fee=640),
        Credential("CERT-IT4", "Certificate in IT Essentials (Level 4)", "qualification", 60,
                   level=4, type="certificate", provider="north", fee=3000, max_recognised=40),
        Credential("DIP-IT5", "Diploma in IT Technical Support (Level 5)", "qualification", 120,
                   level=5, type="diploma", provider="south", fee=9600, max_recognised=60,
                   level_profile=((5, 72),), requires=(("CERT-IT4", "MC-NETSEC"),)),
    ]
    edges = [("MC-CLOUD", "CERT-IT4", 15), ("MC-NETSEC", "CERT-IT4", 20),
             ("MC-NETSEC", "DIP-IT5", 20), ("CERT-IT4", "DIP-IT5", 45),
             ("MC-PYDATA", "DIP-IT5", 10)]
    return Catalog(
        providers=[Provider("north", "North Polytechnic", source="w.json:$.providers[0]"),
                   Provider("south", "Southern Institute", source="w.json:$.providers[1]")],
        credentials=[replace(c, source=f"w.json:$.credentials[{i}]") for i, c in enumerate(creds)],
        stacking=[Stacking(s, t, r, where=f"w.json:$.stacking[{i}]")
                  for i, (s, t, r) in enumerate(edges)],
        framework=framework,
        source="w.json",
    )


def edit(catalog: Catalog, cid: str, **changes: object) -> Catalog:
    """The catalog with credential ``cid`` changed."""
    creds = [replace(c, **changes) if c.id == cid else c for c in catalog.credentials]  # type: ignore[arg-type]
    return replace(catalog, credentials=creds)


def add(catalog: Catalog, *creds: Credential) -> Catalog:
    return replace(catalog, credentials=[*catalog.credentials, *creds])


def problems(catalog: Catalog) -> list[str]:
    return [str(p) for p in validate(catalog, today=TODAY)]


def course(cid: str, credits: int = 3, **kw: object) -> Credential:
    return Credential(cid, f"Course {cid}", "course", credits, **kw)  # type: ignore[arg-type]


def generic(*creds: Credential, edges: tuple[Stacking, ...] = ()) -> Catalog:
    return Catalog(credentials=list(creds), stacking=list(edges), framework="generic",
                   source="c.csv")


# -- clean catalogs ---------------------------------------------------------------------------

# The worked example is a New Zealand catalog (its types are NZQF ones): the AQF's rules
# are tested on Australian catalogs in test_aqf.py.
NZ_SHAPED = tuple(f for f in FRAMEWORKS if f != "aqf")


@pytest.mark.parametrize("framework", NZ_SHAPED)
def test_worked_example_is_clean(framework: str) -> None:
    assert problems(base(framework)) == []


def test_empty_catalog_is_clean() -> None:
    assert validate(Catalog()) == []


def test_curriculum_of_courses_with_zero_credit_lab_is_clean() -> None:
    cat = generic(course("1", 4), course("2", 0), course("3", 3, requires=(("1",),),
                                                          corequisites=("2",)),
                  course("4", 3, strict_corequisites=("3",)))
    assert problems(cat) == []


# -- structural: duplicates -------------------------------------------------------------------

def test_duplicate_credential_id_names_both_locations() -> None:
    cat = add(base(), Credential("MC-CLOUD", "Cloud again", "micro-credential", 5, level=4,
                                 source="w.json:$.credentials[5]"))
    assert problems(cat) == [
        "w.json:$.credentials[5]: duplicate credential id 'MC-CLOUD' (also at "
        "w.json:$.credentials[0]); give each credential its own id"]


def test_duplicate_without_locations_says_listed_twice() -> None:
    cat = generic(course("A"), course("A"))
    cat.source = None
    assert problems(cat) == [
        "duplicate credential id 'A' (listed twice); give each credential its own id"]


def test_duplicate_provider_id() -> None:
    cat = base()
    cat.providers.append(Provider("north", "Other", source="w.json:$.providers[2]"))
    assert problems(cat) == [
        "w.json:$.providers[2]: duplicate provider id 'north' (also at w.json:$.providers[0]); "
        "give each provider its own id"]


def test_duplicate_stacking_edge() -> None:
    cat = base()
    cat.stacking.append(Stacking("MC-CLOUD", "CERT-IT4", 10, where="w.json:$.stacking[5]"))
    assert problems(cat) == [
        "w.json:$.stacking[5]: stacking edge MC-CLOUD -> CERT-IT4 is listed twice (also at "
        "w.json:$.stacking[0]); keep one"]


# -- structural: unknown ids ------------------------------------------------------------------

def test_stacking_edge_with_unknown_target() -> None:
    cat = base()
    cat.stacking.append(Stacking("CERT-IT4", "DIP-X", 10, where="demo.json:$.stacking[4]"))
    assert problems(cat) == [
        "demo.json:$.stacking[4]: stacking edge CERT-IT4 -> DIP-X names unknown credential "
        "'DIP-X'; add it or fix the id"]


def test_stacking_edge_with_both_ends_unknown_reports_each() -> None:
    cat = base()
    cat.stacking.append(Stacking("A", "B", 10, where="w.json:$.stacking[5]"))
    assert problems(cat) == [
        "w.json:$.stacking[5]: stacking edge A -> B names unknown credential 'A'; add it or "
        "fix the id",
        "w.json:$.stacking[5]: stacking edge A -> B names unknown credential 'B'; add it or "
        "fix the id"]


def test_unknown_requirement() -> None:
    cat = edit(base(), "DIP-IT5", requires=(("CERT-IT4", "MC-NETSEC"), ("FIRST-AID",)))
    assert problems(cat) == [
        "w.json:$.credentials[4].requires[1][0]: DIP-IT5 requires unknown credential "
        "'FIRST-AID'; add it or fix the id"]


def test_unknown_core() -> None:
    cat = edit(base(), "DIP-IT5", core=("CERT-IT9",))
    assert problems(cat) == [
        "w.json:$.credentials[4].core[0]: DIP-IT5: core credential 'CERT-IT9' is not in the "
        "catalog; add it or fix the id"]


def test_unknown_corequisites_in_csv_curriculum() -> None:
    cat = generic(course("1", source="c.csv:8"),
                  course("2", corequisites=("9",), strict_corequisites=("8",), source="c.csv:9"))
    assert problems(cat) == [
        "c.csv:9: 2: co-requisite '9' is not in the catalog; add it or fix the id",
        "c.csv:9: 2: strict co-requisite '8' is not in the catalog; add it or fix the id"]


def test_unknown_provider() -> None:
    cat = edit(base(), "MC-CLOUD", provider="east")
    assert problems(cat) == [
        "w.json:$.credentials[0].provider: MC-CLOUD: provider 'east' is not listed in "
        "providers; add it or fix the id"]


# -- structural: cycles and self-loops --------------------------------------------------------

def test_cycle_over_stacking_and_requirements_is_named_in_order() -> None:
    # DIP-IT5 -> CERT-IT4 by an entry requirement closes CERT-IT4 -> DIP-IT5 (stacking).
    cat = edit(base(), "CERT-IT4", requires=(("DIP-IT5",),))
    assert problems(cat) == [
        "w.json:$.credentials[3]: cycle CERT-IT4 -> DIP-IT5 -> CERT-IT4 through stacking and "
        "entry requirements; remove one of its edges"]


def test_three_member_cycle_reported_once_per_component() -> None:
    cat = generic(course("A", source="c.csv:8"), course("B", source="c.csv:9"),
                  course("C", requires=(("B",),), source="c.csv:10"),
                  course("X", source="c.csv:11"), course("Y", corequisites=("X",),
                                                         source="c.csv:12"),
                  edges=(Stacking("C", "A", 1, where="c.csv:10"),
                         Stacking("A", "B", 1, where="c.csv:8"),
                         Stacking("Y", "X", 1, where="c.csv:12")))
    assert problems(cat) == [
        "c.csv:8: cycle A -> B -> C -> A through stacking and entry requirements; remove one "
        "of its edges",
        "c.csv:11: cycle X -> Y -> X through stacking and entry requirements; remove one of "
        "its edges"]


def test_stacking_self_loop() -> None:
    cat = base()
    cat.stacking.append(Stacking("MC-CLOUD", "MC-CLOUD", 5, where="w.json:$.stacking[5]"))
    assert problems(cat) == [
        "w.json:$.stacking[5]: stacking edge MC-CLOUD -> MC-CLOUD stacks MC-CLOUD into "
        "itself; remove it"]


def test_requirement_self_loops() -> None:
    cat = edit(base(), "DIP-IT5", requires=(("CERT-IT4", "DIP-IT5"),))
    cat = add(cat, course("C1", level=4, corequisites=("C1",), strict_corequisites=("C1",),
                          source="w.json:$.credentials[5]"))
    assert problems(cat) == [
        "w.json:$.credentials[4].requires[0][1]: DIP-IT5 requires itself; remove 'DIP-IT5' "
        "from its requires",
        "w.json:$.credentials[5].corequisites[0]: C1 is its own co-requisite; remove it",
        "w.json:$.credentials[5].strict_corequisites[0]: C1 is its own strict co-requisite; "
        "remove it"]


# -- structural: amounts ----------------------------------------------------------------------

def test_credits_must_be_positive() -> None:
    cat = edit(base(), "MC-PYDATA", credits=0)
    cat.stacking = [e for e in cat.stacking if e.source != "MC-PYDATA"]
    assert problems(cat) == [
        "w.json:$.credentials[2].credits: MC-PYDATA: credits must be at least 1 (got 0); fix "
        "the credits"]


def test_course_may_have_zero_but_not_negative_credits() -> None:
    cat = generic(course("LAB", 0, source="c.csv:8"), course("BAD", -1, source="c.csv:9"))
    assert problems(cat) == [
        "c.csv:9: BAD: credits must be at least 0 (got -1); fix the credits"]


def test_stacking_credits_at_least_one() -> None:
    cat = base()
    cat.stacking[0] = replace(cat.stacking[0], credits=0)
    assert problems(cat) == [
        "w.json:$.stacking[0].credits: stacking edge MC-CLOUD -> CERT-IT4 recognises 0 "
        "credits; it must recognise at least 1"]


def test_stacking_credits_at_most_the_sources() -> None:
    cat = base()
    cat.stacking[0] = replace(cat.stacking[0], credits=16)
    assert problems(cat) == [
        "w.json:$.stacking[0].credits: stacking edge MC-CLOUD -> CERT-IT4 recognises 16 "
        "credits but MC-CLOUD has only 15; lower it to at most 15"]


def test_max_recognised_negative_is_error_above_credits_is_warning() -> None:
    cat = edit(edit(base(), "CERT-IT4", max_recognised=-1), "DIP-IT5", max_recognised=150)
    assert problems(cat) == [
        "w.json:$.credentials[3].max_recognised: CERT-IT4: max_recognised must not be "
        "negative (got -1); use 0 or more",
        "w.json:$.credentials[4].max_recognised: warning: DIP-IT5: max_recognised 150 is "
        "above its 120 credits, so only 120 can count; lower it or fix the credits"]
    assert [p.severity for p in validate(cat, today=TODAY)] == ["error", "warning"]


def test_negative_fee_and_hours() -> None:
    cat = edit(base(), "MC-CLOUD", fee=-900.5, hours=-1)
    assert problems(cat) == [
        "w.json:$.credentials[0].fee: MC-CLOUD: fee must not be negative (got -900.5); fix "
        "the fee",
        "w.json:$.credentials[0].hours: MC-CLOUD: hours must not be negative (got -1); fix "
        "the hours"]


def test_zero_fee_and_max_recognised_are_allowed() -> None:
    assert problems(edit(base(), "MC-CLOUD", fee=0, hours=0, max_recognised=0)) == []


# -- structural: core, level profile, requires ------------------------------------------------

def test_core_must_stack_into_its_credential() -> None:
    cat = edit(base(), "DIP-IT5", core=("CERT-IT4", "MC-CLOUD"))
    assert problems(cat) == [
        "w.json:$.credentials[4].core[1]: DIP-IT5: core credential 'MC-CLOUD' does not stack "
        "into DIP-IT5; add a stacking edge MC-CLOUD -> DIP-IT5 or remove it from core"]


def test_level_profile_level_above_own_level() -> None:
    cat = edit(base(), "DIP-IT5", level_profile=((5, 72), (6, 10)))
    assert problems(cat) == [
        "w.json:$.credentials[4].level_profile: DIP-IT5: level profile asks for credits at "
        "level 6, above its own level 5; use a level of at most 5"]


def test_level_profile_minimum_above_credits() -> None:
    cat = edit(base(), "DIP-IT5", level_profile=((5, 130),))
    assert problems(cat) == [
        "w.json:$.credentials[4].level_profile: DIP-IT5: level profile asks for 130 credits "
        "at level 5 or above but DIP-IT5 has only 120; lower the minimum"]


def test_level_profile_level_outside_range_and_negative_minimum() -> None:
    cat = generic(course("A", 10, level_profile=((0, 5), (11, 5), (3, -1)), source="c.csv:8"))
    assert problems(cat) == [
        "c.csv:8: A: level profile minimum for level 3 is negative (-1); use 0 or more",
        "c.csv:8: A: level profile names level 0, outside 1-10; use a level from 1 to 10",
        "c.csv:8: A: level profile names level 11, outside 1-10; use a level from 1 to 10"]


def test_empty_requires_clause() -> None:
    cat = edit(base(), "DIP-IT5", requires=(("CERT-IT4", "MC-NETSEC"), ()))
    assert problems(cat) == [
        "w.json:$.credentials[4].requires[1]: DIP-IT5: requires clause 2 is empty; list at "
        "least one alternative or remove it"]


# -- structural: vocabulary and dates ---------------------------------------------------------

def test_unknown_framework() -> None:
    cat = replace(base(), framework="eqf")
    assert problems(cat) == [
        "w.json: framework 'eqf' is not supported; use one of nzqf, nzqf-2018, generic, aqf"]


def test_unknown_kind_status_delivery() -> None:
    cat = edit(base(), "MC-CLOUD", kind="badge", status="retired", delivery=("online", "post"))
    assert problems(cat) == [
        "w.json:$.credentials[0].delivery[1]: MC-CLOUD: delivery mode 'post' is unknown; use "
        "any of online, in-person, blended, workplace",
        "w.json:$.credentials[0].kind: MC-CLOUD: kind 'badge' is unknown; use one of "
        "micro-credential, qualification, course",
        "w.json:$.credentials[0].status: MC-CLOUD: status 'retired' is unknown; use one of "
        "current, expiring, discontinued"]


def test_unknown_type() -> None:
    cat = edit(base(), "CERT-IT4", type="award")
    assert problems(cat) == [
        "w.json:$.credentials[3].type: CERT-IT4: qualification type 'award' is unknown; use "
        "one of certificate, diploma, graduate-certificate, graduate-diploma, bachelor, "
        "bachelor-honours, postgraduate-certificate, postgraduate-diploma, masters, doctorate"]


def test_type_on_a_micro_credential_is_a_warning() -> None:
    cat = edit(base(), "MC-CLOUD", type="certificate")
    assert problems(cat) == [
        "w.json:$.credentials[0].type: warning: MC-CLOUD: type 'certificate' applies to "
        "qualifications only, not a micro-credential; remove it or fix the kind"]


@pytest.mark.parametrize("bad", ["30/06/2027", "2027-6-30", "2027-02-30", "20270630"])
def test_review_due_must_be_an_iso_date(bad: str) -> None:
    cat = edit(base(), "MC-CLOUD", review_due=bad)
    assert problems(cat) == [
        f"w.json:$.credentials[0].review_due: MC-CLOUD: review_due '{bad}' is not a date; "
        "write it as YYYY-MM-DD"]


def test_review_overdue_is_a_warning() -> None:
    cat = edit(edit(base(), "MC-CLOUD", review_due="2024-12-31"), "MC-NETSEC",
               review_due="2025-01-01")
    assert problems(cat) == [
        "w.json:$.credentials[0].review_due: warning: MC-CLOUD: review was due 2024-12-31; "
        "review it and update review_due"]


def test_review_date_defaults_to_today() -> None:
    past = (date.today() - timedelta(days=1)).isoformat()
    future = (date.today() + timedelta(days=1)).isoformat()
    cat = edit(edit(base(), "MC-CLOUD", review_due=past), "MC-NETSEC", review_due=future)
    assert [p.where for p in validate(cat)] == ["w.json:$.credentials[0].review_due"]


def test_current_credential_stacking_into_discontinued_is_a_warning() -> None:
    cat = edit(base(), "CERT-IT4", status="discontinued")
    assert problems(cat) == [
        "w.json:$.stacking[0]: warning: stacking edge MC-CLOUD -> CERT-IT4 leads into "
        "discontinued CERT-IT4; remove the edge or point it at its replacement",
        "w.json:$.stacking[1]: warning: stacking edge MC-NETSEC -> CERT-IT4 leads into "
        "discontinued CERT-IT4; remove the edge or point it at its replacement"]


def test_discontinued_into_discontinued_is_fine() -> None:
    cat = edit(edit(base(), "DIP-IT5", status="discontinued"), "CERT-IT4", status="discontinued")
    cat.stacking = [e for e in cat.stacking if e.source == "CERT-IT4"]
    assert problems(cat) == []


# -- framework: levels and credits ------------------------------------------------------------

@pytest.mark.parametrize("framework", ["nzqf", "nzqf-2018"])
def test_level_required_under_nzqf(framework: str) -> None:
    cat = edit(base(framework), "MC-CLOUD", level=None)
    assert problems(cat) == [
        f"w.json:$.credentials[0]: MC-CLOUD: level is required under the {framework} "
        "framework; add a level from 1 to 10"]


def test_level_optional_in_generic() -> None:
    cat = edit(edit(base("generic"), "MC-CLOUD", level=None), "DIP-IT5", level=None)
    assert problems(cat) == []


@pytest.mark.parametrize("framework", NZ_SHAPED)
def test_level_outside_one_to_ten(framework: str) -> None:
    cat = edit(base(framework), "MC-CLOUD", level=11)
    assert problems(cat) == [
        "w.json:$.credentials[0].level: MC-CLOUD: level 11 is outside 1-10; use a level from 1 "
        "to 10"]


@pytest.mark.parametrize(("framework", "credits", "fix"), [
    ("nzqf", 41, "lower its credits or make it a qualification"),
    ("nzqf-2018", 4, "raise its credits to 5"),
    ("nzqf-2018", 41, "lower its credits or make it a qualification"),
])
def test_micro_credential_size(framework: str, credits: int, fix: str) -> None:
    cat = edit(base(framework), "MC-CLOUD", credits=credits)
    cat.stacking = [e for e in cat.stacking if e.source != "MC-CLOUD"]
    low = 1 if framework == "nzqf" else 5
    assert problems(cat) == [
        f"w.json:$.credentials[0].credits: MC-CLOUD: a micro-credential has {low}-40 credits "
        f"under {framework} (got {credits}); {fix}"]


@pytest.mark.parametrize(("framework", "credits"), [
    ("nzqf", 1), ("nzqf", 40), ("nzqf-2018", 5), ("nzqf-2018", 40), ("generic", 41)])
def test_micro_credential_size_within_range(framework: str, credits: int) -> None:
    cat = edit(base(framework), "MC-CLOUD", credits=credits)
    cat.stacking = [e for e in cat.stacking if e.source != "MC-CLOUD"]
    assert problems(cat) == []


def test_qualification_below_forty_credits() -> None:
    cat = edit(base(), "CERT-IT4", credits=30, max_recognised=None)
    cat.stacking = [e for e in cat.stacking if e.target != "CERT-IT4" and e.source != "CERT-IT4"]
    # one message, not a second one for the certificate minimum (also 40)
    assert problems(cat) == [
        "w.json:$.credentials[3].credits: CERT-IT4: a qualification has at least 40 credits "
        "under nzqf (got 30); fix the credits or make it a micro-credential"]


def test_qualification_type_minimum_credits() -> None:
    cat = edit(base(), "DIP-IT5", credits=100)
    assert problems(cat) == [
        "w.json:$.credentials[4].credits: DIP-IT5: a diploma has at least 120 credits (got "
        "100); fix the credits or the type"]


def test_qualification_type_level() -> None:
    cat = edit(base(), "DIP-IT5", level=4, level_profile=())
    cat = add(cat, Credential("BA", "Bachelor of Arts", "qualification", 360, level=6,
                              type="bachelor", source="w.json:$.credentials[5]"))
    assert problems(cat) == [
        "w.json:$.credentials[4].level: DIP-IT5: a diploma is at levels 5-7 under nzqf (got "
        "level 4); fix the level or the type",
        "w.json:$.credentials[5].level: BA: a bachelor is at level 7 under nzqf (got level "
        "6); fix the level or the type"]


def test_qualification_without_type_is_a_warning_under_nzqf_only() -> None:
    cat = edit(base(), "CERT-IT4", type=None)
    assert problems(cat) == [
        "w.json:$.credentials[3]: warning: CERT-IT4: qualification has no type; add one ("
        + ", ".join(NZQF_QUALIFICATION_TYPES) + ") so its level and credits can be checked"]
    assert problems(replace(cat, framework="generic")) == []


def test_generic_has_no_framework_sizes() -> None:
    cat = edit(edit(base("generic"), "CERT-IT4", credits=30, max_recognised=None,
                    level=2), "DIP-IT5", level=3, level_profile=())
    cat.stacking = [e for e in cat.stacking if e.target != "CERT-IT4" and e.source != "CERT-IT4"]
    assert problems(cat) == []


# -- framework: micro-credential titles (NZQA rule 6.2) ---------------------------------------

@pytest.mark.parametrize(("title", "word", "found"), [
    ("New Zealand Cloud Skills", "New Zealand", "New Zealand"),
    ("Aotearoa new  zealand's forests", "New Zealand", "new  zealand's"),
    ("National Forestry Basics", "national", "National"),
    ("Diploma Taster", "diploma", "Diploma"),
    ("Degree-ready Maths", "degree", "Degree"),
    ("Bachelor prep", "bachelor", "Bachelor"),
    ("Master Builder Skills", "master", "Master"),
    ("Masters Prep Writing", "master", "Masters"),
    ("Master's Study Skills", "master", "Master's"),
    ("Doctoral Writing", "doctor", "Doctoral"),
    ("Under-graduate Research", "under-graduate", "Under-graduate"),
    ("Undergraduate Research", "under-graduate", "Undergraduate"),
    ("Post graduate Writing", "post-graduate", "Post graduate"),
])
def test_banned_title_words(title: str, word: str, found: str) -> None:
    cat = edit(base(), "MC-CLOUD", title=title)
    assert problems(cat) == [
        f"w.json:$.credentials[0].title: MC-CLOUD: a micro-credential title must not contain "
        f"'{word}' (NZQA rule 6.2; found '{found}'); reword the title"]


@pytest.mark.parametrize("title", [
    "Masterclass in Cloud Security",  # whole words only: a masterclass claims no degree
    "Mastery of Excel",
    "International Trade Basics",
    "Multinational Teams",
    "Working with Diplomats",
    "Te Pūkenga wānanga skills",
])
def test_allowed_title_words(title: str) -> None:
    assert problems(edit(base(), "MC-CLOUD", title=title)) == []


def test_banned_words_apply_to_micro_credentials_only_and_not_in_generic() -> None:
    # qualifications are named "Diploma in ..." legitimately
    assert problems(edit(base("nzqf-2018"), "MC-CLOUD", title="Cloud skills")) == []
    assert problems(edit(base("generic"), "MC-CLOUD", title="National Diploma")) == []
    assert problems(edit(base("nzqf-2018"), "MC-CLOUD", title="National skills")) == [
        "w.json:$.credentials[0].title: MC-CLOUD: a micro-credential title must not contain "
        "'national' (NZQA rule 6.2; found 'National'); reword the title"]


def test_several_banned_words_each_reported() -> None:
    cat = edit(base(), "MC-CLOUD", title="National Diploma taster")
    assert [p.message.split("(")[0] for p in validate(cat, today=TODAY)] == [
        "MC-CLOUD: a micro-credential title must not contain 'diploma' ",
        "MC-CLOUD: a micro-credential title must not contain 'national' "]


# -- the type table ---------------------------------------------------------------------------

def test_framework_registry_covers_every_framework() -> None:
    assert set(FRAMEWORK_RULES) == set(FRAMEWORKS)
    assert set(NZQF_QUALIFICATION_TYPES) == set(QUALIFICATION_TYPES)
    assert FRAMEWORK_RULES["nzqf"].qualification_types is NZQF_QUALIFICATION_TYPES


def test_type_table_rows() -> None:
    assert NZQF_QUALIFICATION_TYPES["diploma"].levels == (5, 6, 7)
    assert NZQF_QUALIFICATION_TYPES["diploma"].min_credits == 120
    assert NZQF_QUALIFICATION_TYPES["bachelor"].min_credits == 360
    assert NZQF_QUALIFICATION_TYPES["certificate"].levels == (1, 2, 3, 4, 5, 6)
    assert NZQF_QUALIFICATION_TYPES["graduate-certificate"].min_credits == 60


def test_default_level_profile() -> None:
    assert default_level_profile("diploma", 5, 120) == ((4, 120), (5, 72))
    assert default_level_profile("diploma", 6, 130) == ((5, 130), (6, 72))
    assert default_level_profile("certificate", 4, 60) == ((4, 40),)
    assert default_level_profile("certificate", 4, 30) == ((4, 30),)  # never above credits
    assert default_level_profile("masters", 9, 180) == ((8, 180), (9, 40))
    assert default_level_profile("graduate-certificate", 7, 60) == ()
    assert default_level_profile("diploma", 4, 120) == ()
    assert default_level_profile("award", 4, 120) == ()
    assert default_level_profile("diploma", 5, 120, framework="generic") == ()


def test_default_profile_is_not_imposed() -> None:
    # the worked example's diploma states only {5: 72}; the table's "all at level >= 4"
    # would forbid nothing here, but a diploma with no profile at all must pass too
    assert problems(edit(base(), "DIP-IT5", level_profile=())) == []


# -- locations, ordering, check ---------------------------------------------------------------

def test_csv_locations_get_no_field_suffix() -> None:
    cat = Catalog(credentials=[Credential("MC-A", "A", "micro-credential", 50, level=4,
                                          source="cat.csv:7")], source="cat.csv")
    assert problems(cat) == [
        "cat.csv:7: MC-A: a micro-credential has 1-40 credits under nzqf (got 50); lower its "
        "credits or make it a qualification"]


def test_catalog_source_stands_in_for_missing_sources() -> None:
    cat = Catalog(credentials=[Credential("MC-A", "A", "micro-credential", 50, level=4)],
                  source="pathways.db")
    assert problems(cat) == [
        "pathways.db: MC-A: a micro-credential has 1-40 credits under nzqf (got 50); lower "
        "its credits or make it a qualification"]
    cat.source = None
    assert validate(cat, today=TODAY) == [Problem(
        "", "MC-A: a micro-credential has 1-40 credits under nzqf (got 50); lower its "
        "credits or make it a qualification")]


def test_sorted_by_where_naturally_then_message() -> None:
    creds = [course(f"C{i}", -1, source=f"c.csv:{i}") for i in (10, 9, 2)]
    creds[0] = replace(creds[0], hours=-1)
    cat = generic(*creds)
    assert [p.where for p in validate(cat)] == ["c.csv:2", "c.csv:9", "c.csv:10", "c.csv:10"]
    assert [p.message[:12] for p in validate(cat)][2:] == ["C10: credits", "C10: hours m"]


def test_same_location_sorted_by_id_naturally() -> None:
    # a catalog from the database has one location for all: messages order by id
    cat = Catalog(credentials=[course(f"C{i}", -1) for i in (102, 1023, 9)],
                  framework="generic", source="pathways.db")
    assert [p.message.split(":")[0] for p in validate(cat)] == ["C9", "C102", "C1023"]


def test_check_raises_with_errors_and_warnings() -> None:
    cat = edit(edit(base(), "CERT-IT4", type=None), "MC-CLOUD", credits=0)
    cat.stacking = [e for e in cat.stacking if e.source != "MC-CLOUD"]
    with pytest.raises(CatalogError) as info:
        check(cat, today=TODAY)
    assert [p.severity for p in info.value.problems] == ["error", "warning"]
    assert str(info.value) == (
        "w.json:$.credentials[0].credits: MC-CLOUD: credits must be at least 1 (got 0); fix "
        "the credits")


def test_check_returns_warnings_alone() -> None:
    cat = edit(base(), "CERT-IT4", type=None)
    assert check(cat, today=TODAY) == validate(cat, today=TODAY)
    assert [p.severity for p in check(cat, today=TODAY)] == ["warning"]
    assert check(base(), today=TODAY) == []


@settings(max_examples=examples(60), deadline=None)
@given(st.randoms(use_true_random=False), st.integers(2, 12))
def test_acyclic_random_catalogs_are_clean_and_order_does_not_matter(
        rnd: random.Random, n: int) -> None:
    """Edges only from lower to higher index: never a cycle; shuffling changes nothing."""
    creds = [course(f"K{i}", rnd.randint(1, 20), level=rnd.randint(1, 10),
                    requires=tuple((f"K{j}",) for j in range(i) if rnd.random() < 0.2))
             for i in range(n)]
    edges = [Stacking(f"K{i}", f"K{j}", rnd.randint(1, creds[i].credits))
             for i in range(n) for j in range(i + 1, n) if rnd.random() < 0.3]
    cat = generic(*creds, edges=tuple(edges))
    assert validate(cat) == []
    back = rnd.randrange(n - 1)
    j = rnd.randrange(back + 1, n)
    # a path back from a later credential closes a cycle: exactly one cycle error
    fwd = [] if any((e.source, e.target) == (f"K{back}", f"K{j}") for e in edges) else [
        Stacking(f"K{back}", f"K{j}", 1)]
    cyclic = generic(*creds, edges=(*edges, *fwd, Stacking(f"K{j}", f"K{back}", 1)))
    msgs = [p.message for p in validate(cyclic)]
    assert len(msgs) == 1 and msgs[0].startswith("cycle "), msgs
    shuffled = generic(*rnd.sample(creds, n), edges=tuple(rnd.sample(edges, len(edges))))
    shuffled.stacking.append(Stacking("K0", "NOPE", 1))
    cat.stacking.append(Stacking("K0", "NOPE", 1))
    assert validate(shuffled) == validate(cat)


# -- real files -------------------------------------------------------------------------------

def test_worked_example_file_has_no_errors(worked_example_path: Path) -> None:
    catalog = read_catalog(worked_example_path)
    assert validate(catalog, today=TODAY) == []


def test_curricularanalytics_curricula_have_no_errors(curricula_dir: Path) -> None:
    paths = sorted(curricula_dir.glob("*/*.csv"))
    assert len(paths) == 8
    for path in paths:
        catalog = read_catalog(path)
        assert catalog.framework == "generic"
        errors = [str(p) for p in validate(catalog) if p.severity == "error"]
        assert errors == [], path.name
