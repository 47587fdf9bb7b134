"""The JSON catalog format, and reading/writing catalog files in general."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.catalog import (
    DELIVERY_MODES,
    FRAMEWORKS,
    KINDS,
    QUALIFICATION_TYPES,
    STATUSES,
    SYSTEM_TYPES,
    Catalog,
    Credential,
    Provider,
    Rule,
    Stacking,
    Term,
)
from pathways.errors import CatalogError
from pathways.formats import (
    credential_to_dict,
    detect_format,
    dump_catalog,
    parse_catalog,
    read_catalog,
    write_catalog,
)
from pathways.vocabulary import ANY_QUALIFICATION_TYPES

HEAD = '"format": "pathways-catalog", "version": 1'
T = TypeVar("T")


def parse(text: str, **kw: object) -> Catalog:
    return parse_catalog(text, fmt="json", source="cat.json", **kw)  # type: ignore[arg-type]


def messages(text: str) -> list[str]:
    """Every problem parse_catalog reports, as the user sees them."""
    with pytest.raises(CatalogError) as info:
        parse(text)
    return [str(p) for p in info.value.problems]


def one_credential(**fields: object) -> str:
    """A catalog with one credential: id/title/kind/credits plus ``fields`` (None drops)."""
    cred = {"id": "MC-A", "title": "A", "kind": "micro-credential", "level": 4, "credits": 10}
    cred.update(fields)
    cred = {k: v for k, v in cred.items() if v is not None}
    return json.dumps({"format": "pathways-catalog", "version": 1, "credentials": [cred]})


# -- reading ----------------------------------------------------------------------------------
def test_worked_example(worked_example_path: Path) -> None:
    c = read_catalog(worked_example_path)
    assert c.source == str(worked_example_path)
    assert c.framework == "nzqf"
    assert [p.id for p in c.providers] == ["north", "south"]
    assert c.providers[1].name == "Southern Institute of Technology"
    assert [x.id for x in c] == ["MC-CLOUD", "MC-NETSEC", "MC-PYDATA", "CERT-IT4", "DIP-IT5"]
    dip = c.index()["DIP-IT5"]
    assert dip == Credential(
        id="DIP-IT5", title="Diploma in IT Technical Support (Level 5)", kind="qualification",
        type="diploma", level=5, credits=120, provider="south", fee=9600, max_recognised=60,
        level_profile=((5, 72),), requires=(("CERT-IT4", "MC-NETSEC"),))
    assert dip.source == f"{worked_example_path}:$.credentials[4]"
    assert c.stacking[3] == Stacking("CERT-IT4", "DIP-IT5", 45)
    assert c.stacking[3].where == f"{worked_example_path}:$.stacking[3]"
    assert c.providers[0].source == f"{worked_example_path}:$.providers[0]"


def test_every_field_of_the_spec_example() -> None:
    text = """{
      "format": "pathways-catalog", "version": 1, "framework": "nzqf-2018",
      "providers": [{"id": "north", "name": "North Polytechnic"}],
      "credentials": [{
        "id": "DIP-IT5", "title": "Diploma", "kind": "qualification", "type": "diploma",
        "level": 5, "credits": 120, "provider": "north", "fee": 9600.5, "hours": 1200,
        "delivery": ["online", "blended"], "status": "current", "review_due": "2027-06-30",
        "field": "Information technology", "skills": ["it-support", "networking"],
        "requires": [["CERT-IT4", "MC-NETSEC"], ["FIRST-AID"]], "max_recognised": 60,
        "core": [], "level_profile": {"6": 40, "5": 72},
        "corequisites": ["X"], "strict_corequisites": ["Y"], "term": 2
      }],
      "stacking": [{"from": "CERT-IT4", "to": "DIP-IT5", "credits": 45}]
    }"""
    c = parse(text)
    assert c.framework == "nzqf-2018"
    assert c.credentials == [Credential(
        id="DIP-IT5", title="Diploma", kind="qualification", type="diploma", level=5,
        credits=120, provider="north", fee=9600.5, hours=1200, delivery=("online", "blended"),
        status="current", review_due="2027-06-30", field="Information technology",
        skills=("it-support", "networking"), requires=(("CERT-IT4", "MC-NETSEC"), ("FIRST-AID",)),
        max_recognised=60, core=(), level_profile=((5, 72), (6, 40)), corequisites=("X",),
        strict_corequisites=("Y",), term=2)]


def test_framework_defaults_and_override() -> None:
    bare = f"{{{HEAD}}}"
    assert parse(bare).framework == "nzqf"
    assert parse(bare, framework="generic").framework == "generic"
    assert parse(f'{{{HEAD}, "framework": "nzqf"}}', framework="nzqf-2018").framework == \
        "nzqf-2018"
    with pytest.raises(CatalogError, match=r'^unknown framework "eqf" \(expected one of: '
                                           r"nzqf, nzqf-2018, generic, aqf\)$"):
        parse(bare, framework="eqf")


def test_curriculum_extensions_are_read() -> None:
    c = parse(f'{{{HEAD}, "framework": "generic", "name": "CS", "system_type": "quarter", '
              '"meta": {"institution": "U", "cip": "11.07"}}')
    assert (c.name, c.system_type) == ("CS", "quarter")
    assert c.meta == {"institution": "U", "cip": "11.07"}


def test_whole_float_credits_are_accepted() -> None:
    assert parse(one_credential(credits=10.0)).credentials[0].credits == 10


def test_syntax_error_names_line_and_column() -> None:
    text = '{\n  "format": "pathways-catalog",\n  "version": 1,\n}\n'
    assert messages(text) == [
        "cat.json:4:1: not valid JSON: Expecting property name enclosed in double quotes"]


def test_byte_order_mark_is_ignored() -> None:
    assert parse(f"\ufeff{{{HEAD}}}").credentials == []


@pytest.mark.parametrize(("fields", "expected"), [
    ({"credits": 12.25}, "$.credentials[0].credits: must be a multiple "
                         "of 0.5 such as 15 or 7.5; got 12.25"),
    ({"credits": "12"}, '$.credentials[0].credits: must be a multiple '
                        'of 0.5 such as 15 or 7.5; got "12" (text)'),
    ({"credits": True}, "$.credentials[0].credits: must be a multiple "
                        "of 0.5 such as 15 or 7.5; got true"),
    ({"level": "4"}, '$.credentials[0].level: must be a whole number; got "4" (text)'),
    ({"max_recognised": 1.25},
     "$.credentials[0].max_recognised: must be a multiple of 0.5 such as 15 or 7.5; got 1.25"),
    ({"term": [1]}, "$.credentials[0].term: must be a whole number; got a list"),
    ({"fee": "900"}, '$.credentials[0].fee: must be a number; got "900" (text)'),
    ({"hours": None, "fee": float("inf")}, "$.credentials[0].fee: must be a finite number; "
                                           "got Infinity"),
    ({"kind": "microcredential"}, '$.credentials[0].kind: must be one of micro-credential, '
     'qualification, course; got "microcredential" (did you mean "micro-credential"?)'),
    # (AQF types are allowed in files too since issue 14; rules.py checks them by framework)
    ({"type": "phd"}, "$.credentials[0].type: must be one of "
     + ", ".join(ANY_QUALIFICATION_TYPES)
     + '; got "phd"'),
    ({"status": "Current"}, '$.credentials[0].status: must be one of current, expiring, '
     'discontinued; got "Current" (did you mean "current"?)'),
    ({"delivery": ["online", "onsite"]}, '$.credentials[0].delivery[1]: must be one of online, '
     'in-person, blended, workplace; got "onsite" (did you mean "online"?)'),
    ({"delivery": "online"}, '$.credentials[0].delivery: must be a list; got "online" (text)'),
    ({"review_due": "30/06/2027"}, '$.credentials[0].review_due: must be a date written '
     'YYYY-MM-DD (e.g. 2027-06-30); got "30/06/2027"'),
    ({"review_due": "2027-02-30"}, '$.credentials[0].review_due: "2027-02-30" is not a calendar '
     "date (write YYYY-MM-DD, e.g. 2027-06-30)"),
    ({"title": ""}, "$.credentials[0].title: must not be empty"),
    ({"id": 7}, "$.credentials[0].id: must be text; got 7"),
    ({"provider": ["north"]}, "$.credentials[0].provider: must be text; got a list"),
    ({"skills": ["a", ""]}, "$.credentials[0].skills[1]: must not be empty"),
    ({"requires": ["CERT-IT4"]}, '$.credentials[0].requires[0]: must be a list of alternative '
     'ids, e.g. ["CERT-IT4", "MC-NETSEC"]; got "CERT-IT4" (text)'),
    ({"requires": "CERT-IT4"}, '$.credentials[0].requires: must be a list of lists of ids, e.g. '
     '[["CERT-IT4", "MC-NETSEC"]]; got "CERT-IT4" (text)'),
    ({"requires": [[]]}, "$.credentials[0].requires[0]: an empty list of alternatives can never "
     "be met"),
    ({"level_profile": {"L5": 72}}, '$.credentials[0].level_profile.L5: "L5" is not a level; '
     'keys are level numbers such as "5"'),
    ({"level_profile": {"5": "72"}}, '$.credentials[0].level_profile["5"]: must be a multiple '
     'of 0.5 such as 15 or 7.5; got "72" (text)'),
    ({"level_profile": [[5, 72]]}, '$.credentials[0].level_profile: must be an object of level: '
     'credits, e.g. {"5": 72}; got a list'),
    ({"credit": 10}, '$.credentials[0]: unknown key "credit" (did you mean "credits"?)'),
    ({"credits": None}, '$.credentials[0]: missing required key "credits"'),
])
def test_credential_shape_errors(fields: dict[str, object], expected: str) -> None:
    assert messages(one_credential(**fields)) == [f"cat.json:{expected}"]


def test_level_is_not_required_by_the_reader() -> None:
    # Whether a level is needed depends on the framework: pathways.rules decides.
    assert parse(one_credential(level=None)).credentials[0].level is None


def test_unknown_key_without_a_near_match_lists_the_known_keys() -> None:
    assert messages(f'{{{HEAD}, "zzz": 1}}') == [
        'cat.json:$: unknown key "zzz" (expected one of: format, version, framework, '
        'credit_unit, name, system_type, meta, calendar, providers, credentials, stacking)']


def test_top_level_shape_errors() -> None:
    assert messages("[]") == ['cat.json:$: must be a JSON object with "format": '
                              '"pathways-catalog"; got a list']
    assert messages("{}") == ['cat.json:$: missing required key "format"',
                              'cat.json:$: missing required key "version"']
    assert messages('{"format": "pathways", "version": 2, "framework": "eqf", '
                    '"system_type": "trimester", "meta": {"cip": 11}, "providers": {}}') == [
        'cat.json:$.format: must be "pathways-catalog"; got "pathways" (text)',
        "cat.json:$.version: unsupported version 2; this pathways reads version 1",
        'cat.json:$.framework: must be one of nzqf, nzqf-2018, generic, aqf; got "eqf" '
        '(did you mean "aqf"?)',
        'cat.json:$.system_type: must be one of semester, quarter; got "trimester" '
        '(did you mean "semester"?)',
        "cat.json:$.meta.cip: must be text; got 11",
        "cat.json:$.providers: must be a list; got an object",
    ]


def test_duplicated_keys_are_errors() -> None:
    text = f'{{{HEAD}, "credentials": [{{"id": "A", "title": "A", "kind": "course", ' \
           '"credits": 1, "credits": 2}]}'
    assert messages(text) == ['cat.json:$.credentials[0]: key "credits" appears more than once']


def test_provider_and_stacking_shape_errors() -> None:
    text = json.dumps({
        "format": "pathways-catalog", "version": 1,
        "providers": [{"name": "No id"}, {"id": "x", "nmae": "X"}, "north"],
        "stacking": [{"from": "A", "to": "B"}, {"from": "A", "to": "B", "credits": "5"},
                     {"source": "A", "to": "B", "credits": 5}],
    })
    assert messages(text) == [
        'cat.json:$.providers[0]: missing required key "id"',
        'cat.json:$.providers[1]: unknown key "nmae" (did you mean "name"?)',
        'cat.json:$.providers[2]: must be an object; got "north" (text)',
        'cat.json:$.stacking[0]: missing required key "credits"',
        'cat.json:$.stacking[1].credits: must be a multiple '
        'of 0.5 such as 15 or 7.5; got "5" (text)',
        'cat.json:$.stacking[2]: unknown key "source" (expected one of: from, to, credits)',
        'cat.json:$.stacking[2]: missing required key "from"',
    ]


def test_every_problem_in_the_file_is_reported_at_once() -> None:
    text = json.dumps({
        "format": "pathways-catalog", "version": 1,
        "credentials": [
            {"id": "A", "title": "A", "kind": "course", "credits": 12.25},
            {"id": "B", "title": "B", "kind": "course", "credits": 3},
            {"id": "C", "title": "C", "kind": "corse", "credits": 3, "feee": 5},
        ],
        "stacking": [{"from": "A", "to": "B", "credits": -1.25}],
    })
    with pytest.raises(CatalogError) as info:
        parse(text)
    assert [str(p) for p in info.value.problems] == [
        "cat.json:$.credentials[0].credits: must be a multiple of 0.5 such as 15 or 7.5; got 12.25",
        'cat.json:$.credentials[2]: unknown key "feee" (did you mean "fee"?)',
        'cat.json:$.credentials[2].kind: must be one of micro-credential, qualification, course;'
        ' got "corse" (did you mean "course"?)',
        "cat.json:$.stacking[0].credits: must be a multiple of 0.5 such as 15 or 7.5; got -1.25",
    ]
    assert str(info.value) == ("cat.json:$.credentials[0].credits: must be a multiple "
                               "of 0.5 such as 15 or 7.5; "
                               "got 12.25 (and 3 more problems)")


def test_semantic_problems_are_left_to_the_rules() -> None:
    # Duplicated ids, unknown ids in edges and out-of-range numbers have the right shape.
    text = json.dumps({
        "format": "pathways-catalog", "version": 1,
        "credentials": [{"id": "A", "title": "A", "kind": "course", "credits": -3},
                        {"id": "A", "title": "A", "kind": "course", "credits": 0}],
        "stacking": [{"from": "A", "to": "NOWHERE", "credits": 99}],
    })
    c = parse(text)
    assert [x.credits for x in c] == [-3, 0]
    assert c.stacking == [Stacking("A", "NOWHERE", 99)]


# -- writing ----------------------------------------------------------------------------------
def test_writer_key_order_and_omissions() -> None:
    c = Catalog(
        providers=[Provider("north", "Te Pūkenga"), Provider("bare")],
        credentials=[
            Credential(id="DIP", title="Diploma — wānanga", kind="qualification", credits=120,
                       level=5, type="diploma", provider="north", fee=9600.0, hours=1200.5,
                       delivery=("online",), review_due="2027-06-30",
                       requires=(("A", "B"), ("C",)), max_recognised=60,
                       level_profile=((5, 72), (6, 40)), term=3, corequisites=("Q",)),
            Credential(id="MC", title="Micro", kind="micro-credential", credits=10),
        ],
        stacking=[Stacking("MC", "DIP", 10)],
        framework="generic", name="Plan", system_type="semester",
        meta={"institution": "U", "cip": "1"},
    )
    assert dump_catalog(c, "json") == """{
  "format": "pathways-catalog",
  "version": 1,
  "framework": "generic",
  "name": "Plan",
  "system_type": "semester",
  "meta": {
    "cip": "1",
    "institution": "U"
  },
  "providers": [
    {
      "id": "north",
      "name": "Te Pūkenga"
    },
    {
      "id": "bare"
    }
  ],
  "credentials": [
    {
      "id": "DIP",
      "title": "Diploma — wānanga",
      "kind": "qualification",
      "type": "diploma",
      "level": 5,
      "credits": 120,
      "provider": "north",
      "fee": 9600,
      "hours": 1200.5,
      "delivery": [
        "online"
      ],
      "review_due": "2027-06-30",
      "requires": [
        [
          "A",
          "B"
        ],
        [
          "C"
        ]
      ],
      "max_recognised": 60,
      "level_profile": {
        "5": 72,
        "6": 40
      },
      "corequisites": [
        "Q"
      ],
      "term": 3
    },
    {
      "id": "MC",
      "title": "Micro",
      "kind": "micro-credential",
      "credits": 10
    }
  ],
  "stacking": [
    {
      "from": "MC",
      "to": "DIP",
      "credits": 10
    }
  ]
}
"""


def test_credential_to_dict() -> None:
    c = Credential(id="A", title="A", kind="course", credits=3, fee=99.0, skills=("x",))
    assert credential_to_dict(c) == {"id": "A", "title": "A", "kind": "course", "credits": 3,
                                     "fee": 99, "skills": ["x"]}


def test_worked_example_round_trips(worked_example_path: Path) -> None:
    c = read_catalog(worked_example_path)
    text = dump_catalog(c, "json")
    again = parse(text)
    assert again == c
    assert dump_catalog(again, "json") == text


def test_dump_rejects_unknown_formats() -> None:
    with pytest.raises(ValueError, match="cannot write catalog format 'curricular'"):
        dump_catalog(Catalog(), "curricular")
    with pytest.raises(ValueError, match="unknown catalog format 'yaml'"):
        parse_catalog("", fmt="yaml")


# -- the lossless property --------------------------------------------------------------------
_CHARS = st.sampled_from(list("aAzZ09 -_.,;:|'\"\\/&()=+\n\tāēīōūĀĒĪŌŪ—“”é😀"))


def _text(csv_safe: bool, *, empty_ok: bool = False, forbid: str = "") -> st.SearchStrategy[str]:
    """Odd titles and ids: macrons, quotes, separators, newlines; for CSV: stripped."""
    base = st.one_of(st.text(_CHARS, max_size=12), st.text(max_size=6))
    if forbid:
        base = base.map(lambda s: "".join(ch for ch in s if ch not in forbid))
    if csv_safe:
        base = base.map(str.strip)
    return base if empty_ok and not csv_safe else base.filter(bool)


def _optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.one_of(st.none(), strategy)


@st.composite
def catalogs(draw: st.DrawFn, csv_safe: bool = False) -> Catalog:
    """Valid-shaped catalogs with every optional field present or absent.

    ``csv_safe`` keeps to what the CSV form can hold: stripped text, no separators in
    ids, providers that some credential uses, edges from credentials in the catalog,
    no curriculum name or meta.
    """
    ident = _text(csv_safe, forbid=";|" if csv_safe else "")
    words = st.tuples() | st.lists(ident, max_size=3).map(tuple)
    ints = st.integers(-1000, 10**12)
    # Credit figures: whole, or halves (issue 15: 7.5-credit papers).
    halves = st.one_of(ints, st.integers(-2000, 20000).map(lambda h: h / 2 if h % 2 else h // 2))
    rule_ids = st.lists(ident, min_size=1, max_size=3).map(tuple)
    rules = st.lists(st.one_of(
        st.builds(Rule, st.sampled_from(["min", "max"]), st.integers(0, 20), rule_ids,
                  _optional(_text(csv_safe, forbid=";:|" if csv_safe else ""))),
        st.builds(Rule, st.sampled_from(["min_credits", "max_credits"]), halves, rule_ids,
                  _optional(_text(csv_safe, forbid=";:|" if csv_safe else "")))),
        max_size=3).map(tuple)
    numbers = st.one_of(st.integers(0, 10**9),
                        st.floats(allow_nan=False, allow_infinity=False))
    # Calendars (issue 12): term names as a person types them, any dates.
    term_name = _text(csv_safe, forbid=";" if csv_safe else "").filter(
        lambda t: t == t.strip() and not t[:4].isdigit() and t != "any-week")
    iso = st.dates().map(lambda d: d.isoformat())
    calendar = st.lists(st.builds(Term, term_name, iso, iso), max_size=3).map(tuple)
    intakes = st.lists(st.one_of(iso, term_name, st.just("any-week")), max_size=3,
                       unique=True).map(tuple)
    provider_ids = draw(st.lists(ident, max_size=3, unique=True))
    names = {p: draw(_text(csv_safe, empty_ok=True) | st.just("")) for p in provider_ids}
    creds = []
    for _ in range(draw(st.integers(0, 5))):
        creds.append(Credential(
            id=draw(ident),
            title=draw(_text(csv_safe)),
            kind=draw(st.sampled_from(KINDS)),
            credits=draw(halves),
            level=draw(_optional(st.integers(1, 10))),
            type=draw(_optional(st.sampled_from(QUALIFICATION_TYPES))),
            provider=draw(_optional(st.sampled_from(provider_ids))) if provider_ids else None,
            fee=draw(_optional(numbers)),
            hours=draw(_optional(numbers)),
            delivery=tuple(draw(st.lists(st.sampled_from(DELIVERY_MODES), max_size=3))),
            status=draw(_optional(st.sampled_from(STATUSES))),
            review_due=draw(_optional(st.dates().map(lambda d: d.isoformat()))),
            field=draw(_optional(_text(csv_safe, empty_ok=True))),
            skills=draw(words),
            requires=tuple(draw(st.lists(st.lists(ident, min_size=1, max_size=3).map(tuple),
                                         max_size=3))),
            max_recognised=draw(_optional(halves)),
            core=draw(words),
            level_profile=tuple(sorted(draw(st.dictionaries(st.integers(0, 10),
                                                            st.integers(-5, 500) | halves,
                                                            max_size=3)).items())),
            corequisites=draw(words),
            strict_corequisites=draw(words),
            term=draw(_optional(st.integers(0, 12))),
            direct_study=draw(_optional(st.booleans())),
            rules=draw(rules),
            code=draw(_optional(_text(csv_safe))),
            intakes=draw(intakes),
            duration_weeks=draw(_optional(numbers)),
        ))
    if csv_safe:
        used = dict.fromkeys(c.provider for c in creds if c.provider)
        providers = [Provider(p, names[p], calendar=draw(calendar)) for p in used]
        sources = st.sampled_from([c.id for c in creds]) if creds else st.nothing()
    else:
        providers = [Provider(p, names[p], calendar=draw(calendar)) for p in provider_ids]
        sources = ident
    stacking = draw(st.lists(st.builds(Stacking, sources, ident, halves), max_size=4)) \
        if creds or not csv_safe else []
    return Catalog(
        providers=providers, credentials=creds, stacking=stacking,
        framework=draw(st.sampled_from(FRAMEWORKS)),
        calendar=draw(calendar),
        name=None if csv_safe else draw(_optional(_text(False, empty_ok=True))),
        system_type=None if csv_safe else draw(_optional(st.sampled_from(SYSTEM_TYPES))),
        meta={} if csv_safe else draw(st.dictionaries(_text(False, empty_ok=True),
                                                      _text(False, empty_ok=True),
                                                      max_size=2)),
    )


@pytest.mark.slow
@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_json_is_lossless(catalog: Catalog) -> None:
    text = dump_catalog(catalog, "json")
    again = parse_catalog(text, fmt="json")
    assert again == catalog
    assert dump_catalog(again, "json") == text  # deterministic: same catalog, same bytes


# -- files ------------------------------------------------------------------------------------
def test_read_catalog_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert str(info.value) == f"{path}: cannot read: No such file or directory"


def test_read_catalog_directory(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r": cannot read: Is a directory$"):
        read_catalog(tmp_path)


def test_read_catalog_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,title\nA,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert str(info.value) == (f"{path}: cannot read: not UTF-8 text (byte 0xe9 on line 2); "
                               "save it as UTF-8 (in Excel: CSV UTF-8)")


def test_read_catalog_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(one_credential(credits="10"), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert str(info.value) == (f'{path}:$.credentials[0].credits: must be a multiple '
                               f'of 0.5 such as 15 or 7.5; '
                               'got "10" (text)')


def test_detect_format(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("not even read", encoding="utf-8")
    (tmp_path / "b.CSV").write_text("id,title\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("\ufeff Curriculum ,X\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text('\n  {"format": "pathways-catalog"}', encoding="utf-8")
    (tmp_path / "e").write_text("Curriculum,X\n", encoding="utf-8")
    (tmp_path / "f.dat").write_text("id,title,kind,credits\n", encoding="utf-8")
    (tmp_path / "g.csv").write_text(",,\n,Curriculum,X\n", encoding="utf-8")
    found = {p.name: detect_format(p) for p in sorted(tmp_path.iterdir())}
    assert found == {"a.json": "json", "b.CSV": "csv", "c.csv": "curricular", "d.txt": "json",
                     "e": "curricular", "f.dat": "csv", "g.csv": "curricular"}


def test_read_catalog_sniffs_json_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "catalog.txt"
    path.write_text(one_credential(), encoding="utf-8")
    c = read_catalog(path)
    assert [x.id for x in c] == ["MC-A"]
    assert c.source == str(path)


def test_write_catalog_round_trips_and_is_deterministic(tmp_path: Path,
                                                        worked_example_path: Path) -> None:
    c = read_catalog(worked_example_path)
    out = tmp_path / "out.json"
    write_catalog(c, out)
    first = out.read_bytes()
    assert first == dump_catalog(c, "json").encode("utf-8")
    write_catalog(read_catalog(out), out)
    assert out.read_bytes() == first
    assert read_catalog(out) == c
    assert sorted(os.listdir(tmp_path)) == ["out.json"]  # no temporary file left behind


def test_write_catalog_format_by_argument_and_extension(tmp_path: Path) -> None:
    c = Catalog(credentials=[Credential("A", "A", "course", 3)])
    write_catalog(c, tmp_path / "x.txt", "json")
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == dump_catalog(c, "json")
    with pytest.raises(CatalogError) as info:
        write_catalog(c, tmp_path / "x.yaml")
    assert str(info.value) == (f'{tmp_path / "x.yaml"}: cannot write: no catalog format for '
                               '".yaml" files; name it .json or .csv')
    with pytest.raises(CatalogError, match=r"x\.json: cannot write: No such file or directory$"):
        write_catalog(c, tmp_path / "missing" / "x.json")


def test_write_catalog_keeps_the_old_file_when_writing_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "keep.json"
    out.write_text("old contents", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(CatalogError, match="keep.json: cannot write: No space left on device$"):
        write_catalog(Catalog(), out)
    assert out.read_text(encoding="utf-8") == "old contents"
    assert sorted(os.listdir(tmp_path)) == ["keep.json"]


def test_write_catalog_keeps_file_mode(tmp_path: Path) -> None:
    out = tmp_path / "shared.json"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o640)
    write_catalog(Catalog(), out)
    assert out.stat().st_mode & 0o777 == 0o640
