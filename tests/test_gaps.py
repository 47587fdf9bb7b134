"""The gap report: each kind planted in a small catalog (found) and absent (not found)."""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Catalog, Credential, Provider, Stacking
from pathways.errors import PathwaysError
from pathways.gaps import (
    GAP_KINDS,
    GapOptions,
    GapReport,
    find_gaps,
    micro_credential_coverage,
)

TODAY = date(2026, 11, 23)


def mc(cid: str, level: int = 4, credits: int = 10, provider: str = "p1", **kw: object
       ) -> Credential:
    kw.setdefault("fee", 60.0 * credits)
    return Credential(id=cid, title=str(kw.pop("title", cid)), kind="micro-credential",
                      credits=credits, level=level, provider=provider, **kw)  # type: ignore[arg-type]


def qual(cid: str, level: int = 4, credits: int = 60, provider: str = "p1", **kw: object
         ) -> Credential:
    kw.setdefault("fee", 70.0 * credits)
    return Credential(id=cid, title=str(kw.pop("title", cid)), kind="qualification",
                      credits=credits, level=level, provider=provider, **kw)  # type: ignore[arg-type]


def course(cid: str, level: int = 4, credits: int = 15, provider: str = "p1", **kw: object
           ) -> Credential:
    kw.setdefault("fee", 60.0 * credits)
    return Credential(id=cid, title=cid, kind="course", credits=credits, level=level,
                      provider=provider, **kw)  # type: ignore[arg-type]


def catalog(creds: list[Credential], edges: list[tuple[str, str, int]] = ()) -> Catalog:  # type: ignore[assignment]
    providers = sorted({c.provider for c in creds if c.provider})
    return Catalog(providers=[Provider(p, f"Provider {p}") for p in providers],
                   credentials=creds, stacking=[Stacking(u, v, r) for u, v, r in edges])


def gaps(cat: Catalog, *kinds: str, **options: object) -> GapReport:
    opts = GapOptions(kinds=frozenset(kinds) if kinds else None, as_of=TODAY,
                      **options)  # type: ignore[arg-type]
    return find_gaps(cat, opts)


def messages(report: GapReport, kind: str) -> list[str]:
    return [f.message for f in report.findings if f.kind == kind]


# -- dead-end ----------------------------------------------------------------------------------


def test_dead_end_found() -> None:
    cat = catalog([mc("MC-A", title="Battery Diagnosis"), mc("MC-B"), mc("MC-C"),
                   mc("MC-D"), qual("Q"), qual("GONE", status="discontinued")],
                  [("MC-B", "MC-C", 5), ("MC-D", "GONE", 10), ("MC-C", "Q", 10)])
    report = gaps(cat, "dead-end")
    assert messages(report, "dead-end") == [
        "MC-A (Battery Diagnosis) stacks into nothing",
        "MC-D stacks into no qualification, directly or through others",
    ]
    f = report.findings[0]
    assert (f.severity, f.credentials, f.providers, f.figure) == ("medium", ("MC-A",),
                                                                 ("p1",), 10)


def test_dead_end_not_found_through_an_intermediate() -> None:
    cat = catalog([mc("MC-A"), qual("CERT"), qual("DIP", level=5, credits=120)],
                  [("MC-A", "CERT", 10), ("CERT", "DIP", 40)])
    assert gaps(cat, "dead-end").findings == []


# -- no-on-ramp -------------------------------------------------------------------------------


def test_no_on_ramp_found() -> None:
    cat = catalog([course("C1"), course("C2"), qual("Q", title="Plumbing"), qual("LONE"),
                   mc("MC-OLD", status="discontinued")],
                  [("C1", "Q", 15), ("C2", "Q", 15), ("MC-OLD", "LONE", 10)])
    assert messages(gaps(cat, "no-on-ramp"), "no-on-ramp") == [
        "no micro-credential stacks into LONE, directly or through others; only MC-OLD "
        "stacks into it",
        "no micro-credential stacks into Q (Plumbing), directly or through others; only C1, "
        "C2 stack into it",
    ]


def test_no_on_ramp_not_found_through_others() -> None:
    cat = catalog([mc("MC-A"), course("C1"), qual("Q")], [("MC-A", "C1", 10), ("C1", "Q", 15)])
    assert gaps(cat, "no-on-ramp").findings == []


# -- shortfall --------------------------------------------------------------------------------


def test_shortfall_found() -> None:
    cat = catalog([mc("MC-A", credits=10), qual("DIP", level=5, credits=120)],
                  [("MC-A", "DIP", 10)])
    report = gaps(cat, "shortfall")
    assert messages(report, "shortfall") == [
        "micro-credentials can cover at most 10 of DIP's 120 credits (8%), below the 25% "
        "threshold"]
    f = report.findings[0]
    assert (f.severity, f.figure) == ("high", round(10 / 120, 4))
    assert f.details["micro_credentials"] == ["MC-A"]


def test_shortfall_not_found_above_the_threshold() -> None:
    cat = catalog([mc("MC-A", credits=20), mc("MC-B", credits=20),
                   qual("DIP", level=5, credits=120)],
                  [("MC-A", "DIP", 20), ("MC-B", "DIP", 20)])
    assert gaps(cat, "shortfall").findings == []
    assert gaps(cat, "shortfall", shortfall_threshold=0.4).findings[0].figure == round(40 / 120, 4)


def test_coverage_respects_cap_level_profile_and_counting_once() -> None:
    cat = catalog(
        [mc("MC-L3", level=3, credits=40), mc("MC-L5", level=5, credits=20),
         mc("MC-BOTH", level=4, credits=20),
         qual("CERT", level=4, credits=60, max_recognised=30),
         qual("DIP", level=5, credits=120, max_recognised=70, level_profile=((5, 72),))],
        [("MC-L3", "CERT", 40), ("MC-BOTH", "CERT", 20), ("MC-BOTH", "DIP", 20),
         ("MC-L5", "DIP", 20), ("CERT", "DIP", 60)])
    # CERT takes 30 at most (cap). DIP admits 48 credits below level 5: CERT's 30 and
    # MC-BOTH's 20 would be 50, so 48 of them plus MC-L5's 20 = 68 (cap 70 not reached).
    # MC-BOTH counts once: into CERT (then CERT is full from MC-L3 anyway) or into DIP.
    assert micro_credential_coverage(cat, "DIP") == (68, ("MC-BOTH", "MC-L3", "MC-L5"))
    assert micro_credential_coverage(cat, "CERT") == (30, ("MC-BOTH", "MC-L3"))


def test_coverage_through_an_intermediate_is_limited_by_what_it_received() -> None:
    cat = catalog([mc("MC-A", credits=15), qual("CERT", credits=60),
                   qual("DIP", level=5, credits=120)],
                  [("MC-A", "CERT", 15), ("CERT", "DIP", 60)])
    assert micro_credential_coverage(cat, "DIP") == (15, ("MC-A",))


# brute force: every choice of where each credential counts, then the greedy per credential


def brute_coverage(cat: Catalog, target: str) -> int:
    index = cat.index()
    live = {c.id for c in cat.credentials if c.effective_status != "discontinued"}
    edges = [e for e in cat.stacking if e.source in live and e.target in live
             and index[e.target].kind != "micro-credential"]
    sources = sorted({e.source for e in edges})
    options = [[None, *[e for e in edges if e.source == s]] for s in sources]
    best = 0
    for choice in itertools.product(*options):
        chosen = [e for e in choice if e is not None]
        memo: dict[str, int] = {}

        def carried(v: str, chosen: list[Stacking] = chosen, memo: dict[str, int] = memo) -> int:
            if v in memo:
                return memo[v]
            c = index[v]
            if c.kind == "micro-credential" and v != target:
                memo[v] = c.credits
                return c.credits
            offers = sorted(((e.source, min(e.credits, carried(e.source)))
                             for e in chosen if e.target == v),
                            key=lambda t: -(index[t[0]].level or 0))
            total = 0
            below = {lv: 0 for lv, _m in c.level_profile}
            for u, amount in offers:
                lu = index[u].level or 0
                room = c.effective_max_recognised - total
                for lv, m in c.level_profile:
                    if lu < lv:
                        room = min(room, c.credits - m - below[lv])
                take = max(0, min(amount, room))
                total += take
                for lv in below:
                    if lu < lv:
                        below[lv] += take
            memo[v] = total
            return total

        best = max(best, carried(target))
    return best


@st.composite
def small_catalogs(draw: st.DrawFn, halves: bool = False) -> Catalog:
    n_mc = draw(st.integers(1, 4))
    n_q = draw(st.integers(1, 3))
    sizes = [5, 7.5, 10, 12.5, 20] if halves else [5, 10, 20]
    creds = [mc(f"M{i}", level=draw(st.integers(3, 6)), credits=draw(st.sampled_from(sizes)))  # type: ignore[arg-type]
             for i in range(n_mc)]
    for j in range(n_q):
        credits = draw(st.sampled_from([40, 60, 120]))
        level = draw(st.integers(4, 6))
        cap = draw(st.one_of(st.none(), st.sampled_from([10, 20, 30, 60])))
        profile = draw(st.sampled_from([(), ((level, credits - 15),), ((level, credits - 25),)]))
        creds.append(qual(f"Q{j}", level=level, credits=credits, max_recognised=cap,
                          level_profile=profile))
    edges = []
    for i in range(n_mc):
        for j in range(n_q):
            if draw(st.booleans()):
                edges.append((f"M{i}", f"Q{j}", draw(st.sampled_from(sizes))))
    for j, k in itertools.combinations(range(n_q), 2):
        if draw(st.booleans()):
            edges.append((f"Q{j}", f"Q{k}", draw(st.sampled_from([20, 22.5, 40] if halves
                                                                 else [20, 40]))))
    index = {c.id: c for c in creds}
    edges = [(u, v, min(r, index[u].credits)) for u, v, r in edges]
    return catalog(creds, edges)


@settings(max_examples=examples(120), deadline=None)
@given(small_catalogs())
def test_coverage_is_the_exact_optimum(cat: Catalog) -> None:
    target = max(c.id for c in cat.credentials if c.kind == "qualification")
    assert micro_credential_coverage(cat, target)[0] == brute_coverage(cat, target)


@settings(max_examples=examples(60), deadline=None)
@given(small_catalogs(halves=True))
def test_coverage_in_half_credits_is_the_exact_optimum(cat: Catalog) -> None:
    target = max(c.id for c in cat.credentials if c.kind == "qualification")
    covered = micro_credential_coverage(cat, target)[0]
    assert covered == brute_coverage(cat, target)
    assert isinstance(covered, int) or not float(covered).is_integer()  # 15, not 15.0


def test_coverage_counts_by_the_one_counting_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    import pathways.counting

    calls: list[str] = []
    real = pathways.counting.count_credits

    def spy(receiver: Credential, *args: object, **kw: object) -> dict[str, int]:
        calls.append(receiver.id)
        return real(receiver, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pathways.counting, "count_credits", spy)
    cat = catalog([mc("MC-A", credits=20), qual("Q", credits=60, max_recognised=15)],
                  [("MC-A", "Q", 20)])
    assert micro_credential_coverage(cat, "Q") == (15, ("MC-A",))
    assert "Q" in calls


# -- level-jump -------------------------------------------------------------------------------


def test_level_jump_edge_and_nearest_on_ramp_found() -> None:
    cat = catalog([mc("MC-3", level=3, credits=5), mc("MC-4", level=4), qual("CERT5", level=5),
                   qual("GC7", level=7), qual("BACH7", level=7, credits=360)],
                  [("MC-3", "GC7", 5), ("MC-4", "CERT5", 10), ("CERT5", "BACH7", 40)])
    report = gaps(cat, "level-jump")
    # GC7's nearest on-ramp is MC-3, which stacks straight into it: the edge says it all.
    assert messages(report, "level-jump") == [
        "MC-3 (level 3) stacks into GC7 (level 7): a climb of 4 levels, more than 2",
        "the nearest micro-credential on-ramp to BACH7 (level 7) is MC-4 (level 4), 3 levels "
        "below",
    ]
    assert [(f.severity, f.credentials, f.figure) for f in report.findings] == [
        ("high", ("MC-3", "GC7"), 4), ("medium", ("BACH7", "MC-4"), 3)]


def test_level_jump_not_found_within_the_limit() -> None:
    cat = catalog([mc("MC-4", level=4), qual("CERT5", level=5), qual("DIP6", level=6)],
                  [("MC-4", "CERT5", 10), ("CERT5", "DIP6", 40)])
    assert gaps(cat, "level-jump").findings == []
    assert len(gaps(cat, "level-jump", max_level_jump=1).findings) == 1  # DIP6: MC-4 is 2 below


# -- stale ------------------------------------------------------------------------------------


def test_stale_found_with_the_routes_it_breaks() -> None:
    cat = catalog([mc("MC-OLD", credits=30, fee=300, status="expiring", review_due="2026-03-31",
                      title="Interior Lining"),
                   mc("MC-SOON", credits=30, fee=3500, review_due="2027-01-15"),
                   mc("MC-GONE", status="discontinued"),
                   qual("Q", credits=60, fee=6000)],
                  [("MC-OLD", "Q", 30), ("MC-SOON", "Q", 30), ("MC-GONE", "Q", 10)])
    report = gaps(cat, "stale")
    assert messages(report, "stale") == [
        "MC-GONE is discontinued; it stacked into or was required by Q",
        "MC-OLD (Interior Lining) is expiring and past its review date (2026-03-31); the "
        "cheapest route to 1 qualification uses it: Q",
        "MC-SOON is due for review on 2027-01-15; no cheapest route uses it",
    ]
    assert [f.severity for f in report.findings] == ["high", "high", "low"]
    assert report.findings[1].details["qualifications"] == ["Q"]


def test_stale_not_found_when_current_and_reviewed_later() -> None:
    cat = catalog([mc("MC-A", review_due="2027-06-30"), qual("Q", review_due="2028-01-01")],
                  [("MC-A", "Q", 10)])
    assert gaps(cat, "stale").findings == []
    assert len(gaps(cat, "stale", review_window_days=365).findings) == 1


# -- duplication ------------------------------------------------------------------------------


def test_duplication_found() -> None:
    cat = catalog([mc("MC-BOOK", skills=("bookkeeping", "GST", "payroll", "accounting")),
                   qual("CERT-ACCT", skills=("bookkeeping", "gst", "payroll", "accounting",
                                             "reporting"), provider="p2"),
                   qual("CERT-BIZ", skills=("gst", "payroll", "marketing")),
                   qual("DIP", level=5, credits=120)],
                  [("MC-BOOK", "DIP", 10)])
    report = gaps(cat, "duplication")
    assert messages(report, "duplication") == [
        "MC-BOOK shares 4 of its 4 skills (100%) with CERT-ACCT (and 1 other qualification "
        "as much or less) but does not stack into it; it stacks only into DIP"]
    f = report.findings[0]
    assert (f.severity, f.credentials, f.providers, f.figure) == (
        "high", ("MC-BOOK", "CERT-ACCT", "CERT-BIZ"), ("p1", "p2"), 1)
    assert f.details["shared_skills"] == ["accounting", "bookkeeping", "gst", "payroll"]


def test_duplication_not_found() -> None:
    skills = ("bookkeeping", "gst", "payroll")
    cat = catalog([mc("MC-IN", skills=skills), mc("MC-ONE", skills=("gst", "cooking", "art")),
                   mc("MC-LOW", level=2, skills=skills),
                   qual("CERT", skills=skills), qual("DIP", level=5, credits=120, skills=skills)],
                  [("MC-IN", "CERT", 10), ("CERT", "DIP", 40)])
    # MC-IN stacks into CERT and, through it, DIP; MC-ONE shares one skill only; MC-LOW is
    # two levels below CERT and three below DIP.
    assert gaps(cat, "duplication").findings == []
    assert [f.credentials for f in gaps(cat, "duplication", duplication_level_window=2).findings
            ] == [("MC-LOW", "CERT")]


# -- never-used --------------------------------------------------------------------------------


def test_never_used_found() -> None:
    # Q costs 100 a credit; MC-DEAR's 10 credits save 1000 but cost 1500.
    cat = catalog([mc("MC-DEAR", fee=1500, title="Dear Skills"), mc("MC-GOOD", fee=300),
                   qual("Q", credits=60, fee=6000)],
                  [("MC-DEAR", "Q", 10), ("MC-GOOD", "Q", 10)])
    report = gaps(cat, "never-used")
    assert messages(report, "never-used") == [
        "MC-DEAR (Dear Skills) is on no qualification's cheapest route, though it leads to Q"]
    assert (report.findings[0].severity, report.findings[0].figure) == ("low", 1)


def test_never_used_not_found_when_it_pays() -> None:
    cat = catalog([mc("MC-GOOD", fee=300), mc("MC-NOWHERE"), qual("Q", credits=60, fee=6000)],
                  [("MC-GOOD", "Q", 10)])
    assert gaps(cat, "never-used").findings == []


# -- bottleneck --------------------------------------------------------------------------------


def test_bottleneck_found() -> None:
    # R costs 100 a credit. Cheapest: MC-BIG (300) + MC-SMALL (50) + 25 credits of R (2500)
    # = 2850. Without MC-BIG: 50 + 5500 = 5550 (+2700); without MC-SMALL: 300 + 3000 = 3300
    # (+450, 16 %). Q cannot be entered without MC-REQ.
    cat = catalog([mc("MC-REQ", fee=100, credits=5), mc("MC-BIG", credits=30, fee=300),
                   mc("MC-SMALL", credits=5, fee=50),
                   qual("Q", credits=60, fee=6000, requires=(("MC-REQ",),)),
                   qual("R", credits=60, fee=6000)],
                  [("MC-BIG", "R", 30), ("MC-SMALL", "R", 5)])
    report = gaps(cat, "bottleneck")
    assert messages(report, "bottleneck") == [
        "without MC-REQ, 1 qualification becomes unreachable (Q)",
        "without MC-BIG, the cheapest route to R gets dearer by $2,700",
        "without MC-SMALL, the cheapest route to R gets dearer by $450",
    ]
    assert [(f.severity, f.figure) for f in report.findings] == [
        ("high", 0), ("medium", 2700), ("medium", 450)]
    assert report.findings[0].details == {"unreachable": ["Q"], "dearer": {}}
    assert report.findings[1].details == {"unreachable": [], "dearer": {"R": 2700}}
    # 16 % is under a 20 % threshold.
    assert [f.credentials for f in gaps(cat, "bottleneck", bottleneck_min_increase=0.2).findings
            ] == [("MC-REQ",), ("MC-BIG",)]


def test_bottleneck_not_found_with_an_equal_alternative() -> None:
    cat = catalog([mc("MC-A", credits=30, fee=300), mc("MC-B", credits=30, fee=300),
                   qual("Q", credits=60, fee=6000, max_recognised=30)],
                  [("MC-A", "Q", 30), ("MC-B", "Q", 30)])
    assert gaps(cat, "bottleneck").findings == []


def test_bottleneck_threshold() -> None:
    cat = catalog([mc("MC-A", credits=10, fee=100), mc("MC-B", credits=10, fee=500),
                   qual("Q", credits=60, fee=6000, max_recognised=10)],
                  [("MC-A", "Q", 10), ("MC-B", "Q", 10)])
    # Cheapest: MC-A (100) + Q's 50 credits (5000) = 5100; without MC-A: 500 + 5000 = 5500,
    # 400 dearer: 7.8 %, under the default 10 %.
    assert gaps(cat, "bottleneck").findings == []
    found = gaps(cat, "bottleneck", bottleneck_min_increase=0.05).findings
    assert [(f.message, f.figure) for f in found] == [
        ("without MC-A, the cheapest route to Q gets dearer by $400", 400)]


# -- isolated-provider -------------------------------------------------------------------------


def test_isolated_provider_found() -> None:
    cat = catalog([mc("MC-A", provider="p1"), qual("Q", provider="p2"),
                   mc("MC-F", provider="forest"), qual("CERT-F", provider="forest")],
                  [("MC-A", "Q", 10), ("MC-F", "CERT-F", 10)])
    report = gaps(cat, "isolated-provider")
    assert messages(report, "isolated-provider") == [
        "Provider forest (forest): none of its 2 credentials stack into or from another "
        "provider's; they stack only among themselves (1 edge)"]
    f = report.findings[0]
    assert (f.severity, f.credentials, f.providers, f.figure) == ("low", (), ("forest",), 2)


def test_isolated_provider_not_found_with_one_provider_or_all_linked() -> None:
    one = catalog([mc("MC-A"), qual("Q")], [("MC-A", "Q", 10)])
    assert gaps(one, "isolated-provider").findings == []
    linked = catalog([mc("MC-A", provider="p1"), qual("Q", provider="p2")], [("MC-A", "Q", 10)])
    assert gaps(linked, "isolated-provider").findings == []


# -- options, filters, order and output ---------------------------------------------------------


def mixed() -> Catalog:
    return catalog([mc("MC-A", provider="p1", field="IT"), mc("MC-DEAD", provider="p2",
                                                                field="Health"),
                    qual("Q", credits=120, provider="p1", field="IT"),
                    qual("NOONE", provider="p2", field="Health")],
                   [("MC-A", "Q", 10)])


def test_filters_by_provider_and_field() -> None:
    cat = mixed()
    everything = gaps(cat, "dead-end", "no-on-ramp", "shortfall")
    assert [f.kind for f in everything.findings] == ["shortfall", "no-on-ramp", "dead-end"]
    p2 = gaps(cat, "dead-end", "no-on-ramp", "shortfall", providers=frozenset({"p2"}))
    assert [f.credentials for f in p2.findings] == [("NOONE",), ("MC-DEAD",)]
    it = gaps(cat, "dead-end", "no-on-ramp", "shortfall", fields=frozenset({"it"}))
    assert [f.credentials for f in it.findings] == [("Q",)]


def test_sorted_by_severity_then_figure() -> None:
    cat = catalog([mc("MC-A"), mc("MC-B", credits=20), mc("MC-C", credits=5),
                   qual("Q1", credits=120), qual("Q2", credits=120)],
                  [("MC-A", "Q1", 10), ("MC-C", "Q2", 5)])
    report = gaps(cat, "dead-end", "shortfall")
    assert [(f.severity, f.kind, f.credentials) for f in report.findings] == [
        ("high", "shortfall", ("Q2",)),  # 4 % covered: worse than Q1's 8 %
        ("high", "shortfall", ("Q1",)),
        ("medium", "dead-end", ("MC-B",)),
    ]


@pytest.mark.parametrize(("options", "message"), [
    ({"kinds": frozenset({"dead-ends"})},
     "unknown gap kind 'dead-ends'; use one of " + ", ".join(GAP_KINDS)),
    ({"shortfall_threshold": 25},
     "shortfall threshold 25 is not a share; give a number from 0 to 1 (e.g. 0.25)"),
    ({"max_level_jump": -1}, "level jump -1 is negative; give 0 or more levels"),
    ({"by": "cost"}, "unknown route objective 'cost'; use fee, hours or credits"),
    ({"duplication_overlap": 2},
     "duplication overlap 2 is not a share; give a number from 0 to 1 (e.g. 0.5)"),
])
def test_bad_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(PathwaysError) as err:
        find_gaps(mixed(), GapOptions(**options))  # type: ignore[arg-type]
    assert str(err.value) == message


def test_cycle_is_refused() -> None:
    cat = catalog([mc("MC-A"), qual("Q1", requires=(("Q2",),)), qual("Q2")],
                  [("MC-A", "Q1", 10), ("Q1", "Q2", 30)])
    with pytest.raises(PathwaysError) as err:
        gaps(cat, "dead-end")
    assert str(err.value) == ("cycle Q1 -> Q2 -> Q1: gaps need an acyclic catalog; remove one "
                              "of these edges")


def test_empty_catalog() -> None:
    report = gaps(Catalog())
    assert report.findings == []
    assert report.summary["total"] == 0


def test_to_dict_csv_markdown() -> None:
    report = gaps(mixed(), "dead-end", "no-on-ramp", "shortfall")
    d = report.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["findings"][0] == {
        "kind": "shortfall", "severity": "high", "credentials": ["Q"], "providers": ["p1"],
        "figure": 0.0833,
        "message": "micro-credentials can cover at most 10 of Q's 120 credits (8%), below the "
                   "25% threshold",
        "details": {"covered": 10, "micro_credentials": ["MC-A"]},
    }
    assert d["summary"]["total"] == 3
    assert d["summary"]["by_kind"] == {"dead-end": 1, "no-on-ramp": 1, "shortfall": 1}
    assert d["summary"]["by_severity"] == {"high": 1, "medium": 2, "low": 0}
    assert d["summary"]["as_of"] == "2026-11-23"

    rows = list(csv.reader(io.StringIO(report.to_csv())))
    assert rows[0] == ["kind", "severity", "credentials", "providers", "figure", "message"]
    assert rows[1][:5] == ["shortfall", "high", "Q", "p1", "0.0833"]
    assert len(rows) == 4

    md = report.to_markdown()
    assert md.startswith("# Gap report\n")
    assert "**3 findings**: 1 high, 2 medium, 0 low." in md
    assert md.index("| shortfall | 1 |") < md.index("## dead-end (1)")
    assert "## no-on-ramp (1)" in md and "## stale" not in md
    assert "| high | Q | 8% | micro-credentials can cover at most 10 of Q's 120" in md


def test_no_findings_markdown() -> None:
    cat = catalog([mc("MC-A", credits=40), qual("Q", credits=60)], [("MC-A", "Q", 40)])
    report = gaps(cat, "dead-end", "shortfall")
    assert report.findings == []
    assert "**No findings.**" in report.to_markdown()


def test_progress_reported() -> None:
    cat = catalog([mc("MC-A", credits=30, fee=100), qual("Q", credits=60, fee=6000)],
                  [("MC-A", "Q", 30)])
    calls: list[tuple[str, int, int]] = []
    find_gaps(cat, GapOptions(as_of=TODAY), progress=lambda *a: calls.append(a))
    assert ("routes", 1, 1) in calls
    assert calls[-1] == ("bottlenecks", 1, 1)


# -- the demo catalog's planted gaps -------------------------------------------------------------


def test_demo_catalog_planted_gaps() -> None:
    from pathways.formats import read_catalog

    path = Path(__file__).resolve().parent.parent / "graphs" / "demo.json"
    report = find_gaps(read_catalog(path), GapOptions(as_of=TODAY))
    by = {(f.kind, f.credentials): f for f in report.findings}
    assert by[("dead-end", ("MC-EVBAT4",))].message == (
        "MC-EVBAT4 (Electric Vehicle Battery Diagnosis) stacks into nothing")
    assert ("no-on-ramp", ("CERT-PLUMB3",)) in by
    lining = by[("stale", ("MC-LINING3",))]
    assert lining.details["qualifications"] == ["CERT-CARP4"]
    assert ("duplication", ("MC-BOOKKEEP4", "CERT-ACCT4")) in by
    assert ("level-jump", ("MC-WHANAU3", "GCERT-HC7")) in by
    assert ("isolated-provider", ()) in by and by[("isolated-provider", ())].providers == (
        "ngahere",)
    assert by[("shortfall", ("DIP-ENGCIV6",))].message == (
        "micro-credentials can cover at most 15 of DIP-ENGCIV6's 240 credits (6%), below "
        "the 25% threshold")
    # The findings the README expects on their own.
    assert ("stale", ("MC-DIGI3",)) in by and ("stale", ("MC-CHAINSAW3",)) in by
    shares = {f.credentials[0]: f.figure for f in report.findings if f.kind == "shortfall"}
    bachelors = {q: s for q, s in shares.items() if q.startswith("B")}
    assert min(bachelors, key=lambda q: (bachelors[q], q)) == "BHSC7"


# -- the command line ----------------------------------------------------------------------------


def write_catalog_file(tmp_path: Path) -> Path:
    from pathways.formats import write_catalog

    path = tmp_path / "small.json"
    write_catalog(mixed(), path)
    return path


def test_cli_gaps_json_and_thresholds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    path = write_catalog_file(tmp_path)
    args = ["gaps", "--catalog", str(path), "--as-of", "2026-11-23", "--kind", "shortfall",
            "--kind", "dead-end"]
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(f["kind"], f["credentials"]) for f in data["findings"]] == [
        ("shortfall", ["Q"]), ("dead-end", ["MC-DEAD"])]
    assert data["summary"]["options"]["shortfall_threshold"] == 0.25
    lower = CliRunner().invoke(cli, [*args, "--json", "--shortfall-threshold", "0.05"])
    assert [f["kind"] for f in json.loads(lower.output)["findings"]] == ["dead-end"]


def test_cli_gaps_text_csv_markdown(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    path = write_catalog_file(tmp_path)
    base = ["gaps", "--catalog", str(path), "--as-of", "2026-11-23", "--kind", "dead-end"]
    text = CliRunner().invoke(cli, base)
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0] == "1 finding (0 high, 1 medium, 0 low) in 4 credentials, as of 2026-11-23"
    assert lines[-1].split(None, 3) == ["medium", "dead-end", "10",
                                        "MC-DEAD stacks into nothing"]
    csv_out = CliRunner().invoke(cli, [*base, "--csv"])
    assert csv_out.output.splitlines()[1] == (
        "dead-end,medium,MC-DEAD,p2,10,MC-DEAD stacks into nothing")
    md = tmp_path / "gaps.md"
    written = CliRunner().invoke(cli, [*base, "-o", str(md)])
    assert written.exit_code == 0, written.output
    assert md.read_text(encoding="utf-8").startswith("# Gap report\n")


def test_cli_gaps_errors(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    path = write_catalog_file(tmp_path)
    both = CliRunner().invoke(cli, ["gaps", "--catalog", str(path), "--json", "--csv"])
    assert both.exit_code == 2
    assert "Error: give one of --json, --csv and --markdown" in both.output
    nobody = CliRunner().invoke(cli, ["gaps", "--catalog", str(path), "--provider", "p9"])
    assert nobody.exit_code == 2
    assert "no provider 'p9' in the catalog; known: p1, p2" in nobody.output
    bad_date = CliRunner().invoke(cli, ["gaps", "--catalog", str(path), "--as-of", "tomorrow"])
    assert bad_date.exit_code == 2
    assert "'tomorrow' is not a date; use YYYY-MM-DD" in bad_date.output


# -- bottleneck shortcuts agree with solving every exclusion ------------------------------------


@st.composite
def priced_catalogs(draw: st.DrawFn) -> Catalog:
    n_mc = draw(st.integers(1, 4))
    n_q = draw(st.integers(1, 3))
    creds = [mc(f"M{i}", level=draw(st.integers(3, 5)), credits=draw(st.sampled_from([5, 10, 20])),
                fee=draw(st.sampled_from([100, 300, 600, 1500])))
             for i in range(n_mc)]
    for j in range(n_q):
        requires: tuple[tuple[str, ...], ...] = ()
        if draw(st.booleans()):
            pool = [f"M{i}" for i in range(n_mc)] + [f"Q{k}" for k in range(j)]
            requires = (tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2,
                                            unique=True))),)
        creds.append(qual(f"Q{j}", level=draw(st.integers(4, 5)),
                          credits=draw(st.sampled_from([40, 60])),
                          fee=draw(st.sampled_from([2400, 4000, 6000])),
                          max_recognised=draw(st.sampled_from([None, 20, 30])),
                          requires=requires))
    edges = []
    for i in range(n_mc):
        for j in range(n_q):
            if draw(st.booleans()):
                edges.append((f"M{i}", f"Q{j}", 5))
    for j, k in itertools.combinations(range(n_q), 2):
        if draw(st.booleans()):
            edges.append((f"Q{j}", f"Q{k}", 20))
    cat = catalog(creds, edges)
    if draw(st.booleans()) and edges:  # make one stacked-in credential a core component
        u, v, _r = edges[0]
        cat.credentials = [replace(c, core=(u,)) if c.id == v else c for c in cat.credentials]
    return cat


def naive_bottlenecks(cat: Catalog, share: float) -> dict[str, tuple[list[str], dict[str, float]]]:
    from pathways.routes import Constraints, cheapest_routes

    quals = sorted(c.id for c in cat.credentials if c.kind == "qualification")
    routes = cheapest_routes(cat, quals)
    out: dict[str, tuple[list[str], dict[str, float]]] = {}
    for q, r in routes.items():
        if r is None:
            continue
        for c in r.credentials:
            if c == q:
                continue
            after = cheapest_routes(cat, [q], constraints=Constraints(exclude=frozenset({c})))[q]
            lost, dearer = out.setdefault(c, ([], {}))
            if after is None:
                lost.append(q)
            elif after.fee - r.fee > 1e-6 and after.fee - r.fee >= share * r.fee - 1e-9:
                dearer[q] = round(after.fee - r.fee, 2)
    return {c: (sorted(lost), d) for c, (lost, d) in out.items() if lost or d}


@settings(max_examples=examples(40), deadline=None)
@given(priced_catalogs(), st.sampled_from([0.0, 0.1]))
def test_bottlenecks_match_solving_every_exclusion(cat: Catalog, share: float) -> None:
    report = gaps(cat, "bottleneck", bottleneck_min_increase=share)
    found = {f.credentials[0]: (f.details["unreachable"],
                                {q: float(v) for q, v in f.details["dearer"].items()})
             for f in report.findings}
    assert found == naive_bottlenecks(cat, share)


@st.composite
def bounded_catalogs(draw: st.DrawFn) -> Catalog:
    """Priced catalogs where a qualification may also have a level profile, a programme
    rule over its sources or no study of its own: what a removal bound must respect."""
    from pathways.catalog import Rule

    cat = draw(priced_catalogs())
    quals = [c.id for c in cat.credentials if c.kind == "qualification"]
    q = draw(st.sampled_from(quals))
    sources = sorted({e.source for e in cat.stacking if e.target == q})
    change: dict[str, object] = {}
    if draw(st.booleans()):
        change["level_profile"] = ((5, draw(st.sampled_from([20, 30, 40]))),)
    if sources and draw(st.booleans()):
        kind = draw(st.sampled_from(["min", "max", "min_credits", "max_credits"]))
        amount = 1 if kind in ("min", "max") else 5
        change["rules"] = (Rule(kind, amount, tuple(sources[:2])),)
    if draw(st.booleans()):
        change["direct_study"] = False
    cat.credentials = [replace(c, **change) if c.id == q else c  # type: ignore[arg-type]
                       for c in cat.credentials]
    return cat


@settings(max_examples=examples(60), deadline=None)
@given(bounded_catalogs())
def test_removal_bound_is_an_upper_bound(cat: Catalog) -> None:
    """Wherever the bottleneck check prices a route without a credential instead of
    solving, the optimum without it exists and is no dearer than that price."""
    from pathways.gaps.bounds import removal_bound
    from pathways.gaps.context import Context
    from pathways.routes import Constraints, cheapest_routes

    ctx = Context(cat, GapOptions(as_of=TODAY).resolved())
    for q, r in cheapest_routes(cat, ctx.qualifications).items():
        for c in [] if r is None else [x for x in r.credentials if x != q]:
            bound = removal_bound(ctx, r, c)
            if bound is None:
                continue
            after = cheapest_routes(cat, [q], constraints=Constraints(exclude=frozenset({c})))[q]
            assert after is not None, (q, c, bound)
            assert after.fee - r.fee <= bound + 1e-6, (q, c, bound, after.fee - r.fee)


# -- duplication by the skill index agrees with comparing every pair ----------------------------


SKILLS = ("a", "b", "c", "d", "E")


@st.composite
def skilled_catalogs(draw: st.DrawFn) -> Catalog:
    """Micro-credentials and many qualifications over five skills (so groups of equal
    skills, ties and more than ten matches all occur), some stacking, some discontinued."""
    def skills(most: int) -> tuple[str, ...]:
        return tuple(draw(st.lists(st.sampled_from(SKILLS + ("A", "b")), max_size=most)))

    def level() -> int | None:
        return draw(st.one_of(st.none(), st.integers(3, 6)))

    def status() -> str:
        return draw(st.sampled_from(["current", "current", "discontinued"]))

    creds = [mc(f"M{i}", level=level(), skills=skills(4), status=status(),  # type: ignore[arg-type]
                provider=draw(st.sampled_from(["p1", "p2"])))
             for i in range(draw(st.integers(1, 5)))]
    creds += [qual(f"Q{j:02d}", level=level(), skills=skills(5), status=status(),  # type: ignore[arg-type]
                   provider=draw(st.sampled_from(["p1", "p2", "p3", "p4"])))
              for j in range(draw(st.integers(1, 24)))]
    ids = [c.id for c in creds]
    edges = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=8))
    edges = [(u, v, 5) for u, v in dict.fromkeys(edges) if u < v and v.startswith("Q")]
    return catalog(creds, edges)


def naive_duplications(cat: Catalog, o: GapOptions) -> list[tuple[object, ...]]:
    index = cat.index()
    live = {c.id for c in cat.credentials if c.effective_status != "discontinued"}
    out = []
    for m in sorted(cat.credentials, key=lambda c: c.id):
        skills = {s.casefold() for s in m.skills}
        if m.kind != "micro-credential" or m.id not in live \
                or len(skills) < o.duplication_min_shared:
            continue
        reached, todo = set(), [m.id]
        while todo:
            u = todo.pop()
            for e in cat.stacking:
                if e.source == u and e.target not in reached:
                    reached.add(e.target)
                    todo.append(e.target)
        need = max(o.duplication_min_shared, o.duplication_overlap * len(skills))
        found = []
        for q in index.values():
            if q.kind != "qualification" or q.id not in live or q.id in reached:
                continue
            if m.level is not None and q.level is not None \
                    and abs(m.level - q.level) > o.duplication_level_window:
                continue
            k = len(skills & {s.casefold() for s in q.skills})
            if k >= need:
                found.append((-k, q.id))
        if not found:
            continue
        found.sort()
        providers = {index[q].provider for _k, q in found} | {m.provider}
        out.append(((m.id, *[q for _k, q in found[:10]]), tuple(sorted(p for p in providers if p)),
                    round(-found[0][0] / len(skills), 4), len(found)))
    return out


@settings(max_examples=examples(150), deadline=None)
@given(skilled_catalogs(), st.sampled_from([0.3, 0.5, 1.0]), st.integers(1, 3),
       st.integers(0, 2))
@pytest.mark.slow
def test_duplications_match_comparing_every_pair(cat: Catalog, overlap: float, least: int,
                                                 window: int) -> None:
    report = gaps(cat, "duplication", duplication_overlap=overlap, duplication_min_shared=least,
                  duplication_level_window=window)
    found = sorted((f.credentials, f.providers, f.figure, f.details["qualifications"])
                   for f in report.findings)
    assert found == naive_duplications(cat, report.options)


# -- numbers, dates, processes and files (issue 16) ---------------------------------------------


@pytest.mark.parametrize(("options", "message"), [
    ({"bottleneck_min_increase": float("nan")},
     "bottleneck minimum increase: nan is not a number; give a number from 0 to 1,000"),
    ({"bottleneck_min_increase": float("inf")},
     "bottleneck minimum increase: inf is out of range (0 to 1,000); give a number from 0 "
     "to 1,000"),
    ({"review_window_days": 100_000_000},
     "review window (days): 100000000 is out of range (0 to 36,500); give a whole number "
     "from 0 to 36,500"),
    ({"max_level_jump": 2.5},
     "level jump: 2.5 is not a whole number; give a whole number from 0 to 10"),
])
def test_numbers_checked_in_one_form(options: dict[str, object], message: str) -> None:
    with pytest.raises(PathwaysError) as err:
        find_gaps(mixed(), GapOptions(**options))  # type: ignore[arg-type]
    assert str(err.value) == message


def test_review_window_past_the_last_date() -> None:
    # 100 years from a date near the calendar's end: no OverflowError, everything due.
    cat = catalog([mc("MC-A", review_due="9999-06-30"), qual("Q")], [("MC-A", "Q", 10)])
    opts = GapOptions(kinds=frozenset({"stale"}), as_of=date(9999, 1, 1),
                      review_window_days=36_500)
    assert [f.message for f in find_gaps(cat, opts).findings] == [
        "MC-A is due for review on 9999-06-30; the cheapest route to 1 qualification uses "
        "it: Q"]


def test_cli_gaps_numbers_refused(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import cli

    path = write_catalog_file(tmp_path)
    for args, message in [
        (["--review-window", "100000000"], "Error: --review-window: 100000000 is out of range "
                                           "(0 to 36,500); give a whole number from 0 to 36,500"),
        (["--bottleneck-min-increase", "nan"], "Error: --bottleneck-min-increase: nan is not a "
                                               "number; give a number from 0 to 1,000"),
        (["--shortfall-threshold", "inf"], "Error: --shortfall-threshold: inf is out of range "
                                           "(0 to 1); give a number from 0 to 1"),
    ]:
        result = CliRunner().invoke(cli, ["gaps", "--catalog", str(path), *args])
        assert result.exit_code == 2, result.output
        assert message in result.output


def test_cli_gaps_jobs_capped_at_the_cpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    from click.testing import CliRunner

    import pathways.gaps
    import pathways.gaps.parallel
    from pathways.cli import cli

    seen: list[int] = []
    real = pathways.gaps.find_gaps

    def spy(*args: object, workers: int = 1, **kw: object) -> GapReport:
        seen.append(workers)
        return real(*args, workers=workers, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pathways.gaps.parallel, "available_cpus", lambda: 2)
    monkeypatch.setattr(pathways.gaps, "find_gaps", spy)
    path = write_catalog_file(tmp_path)
    result = CliRunner().invoke(cli, ["gaps", "--catalog", str(path), "--jobs", "16",
                                      "--kind", "dead-end"])
    assert result.exit_code == 0, result.output
    assert "--jobs 16: this machine has 2 CPUs; using 2 processes" in result.stderr
    assert seen == [2]


def test_cli_gaps_output_through_the_one_writer(tmp_path: Path) -> None:
    import os

    from click.testing import CliRunner

    from pathways.cli import cli

    path = write_catalog_file(tmp_path)
    base = ["gaps", "--catalog", str(path), "--as-of", "2026-11-23", "--kind", "dead-end"]
    # A symlink is written through (the link stays a link), atomically, honouring the umask.
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = CliRunner().invoke(cli, [*base, "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# Gap report\n")
    # A folder, a device or a FIFO is refused before any work, and left as it was.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for dest, kind in [(tmp_path, "a folder"), (Path("/dev/null"), "a device"),
                       (fifo, "a FIFO (named pipe)")]:
        refused = CliRunner().invoke(cli, [*base, "-o", str(dest)])
        assert refused.exit_code == 1, refused.output
        assert f"cannot write {dest}: it is {kind}, not a regular file" in refused.output
    assert Path("/dev/null").is_char_device()
    # - is standard output, the same bytes as without -o.
    dash = CliRunner().invoke(cli, [*base, "-o", "-"])
    assert dash.output == CliRunner().invoke(cli, base).output


def test_worker_processes_after_highs_ran_here() -> None:
    # HiGHS ran in this process (as the shortfall's programme does) before the route
    # workers start: forked workers inherited its thread pool without its threads and
    # spun forever on their first programme (this hung; it now takes seconds).
    import subprocess
    import sys

    code = (
        "from datetime import date\n"
        "from pathways.gaps import GapOptions, find_gaps\n"
        "from pathways.routes.solver import solve_mip\n"
        "from pathways.synthetic import generate_catalog\n"
        "solve_mip([-1.0, -1.0], [0, 0], [0, 1], [1.0, 1.0], [-1e30], [1.5], [0, 0], "
        "[1, 1], [True, True])\n"
        "cat = generate_catalog(1500, seed=1)\n"
        "opts = GapOptions(as_of=date(2026, 11, 23), kinds=frozenset({'stale'}))\n"
        "print(len(find_gaps(cat, opts, workers=2).findings))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=240, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0


def _bound_and_after(cat: Catalog, q: str, c: str) -> tuple[float | None, float | None, float]:
    from pathways.gaps.bounds import removal_bound
    from pathways.gaps.context import Context
    from pathways.routes import Constraints, cheapest_routes

    ctx = Context(cat, GapOptions(as_of=TODAY).resolved())
    route = cheapest_routes(cat, [q])[q]
    assert route is not None and c in route.credentials
    after = cheapest_routes(cat, [q], constraints=Constraints(exclude=frozenset({c})))[q]
    return removal_bound(ctx, route, c), None if after is None else after.fee, route.fee


def test_removal_bound_never_takes_the_dropped_credential_as_a_substitute() -> None:
    """M2 is Q0's core: without it Q0 goes, and Q1 studies the 20 credits Q0 counted.
    M2 itself stacks into Q1 too, but it is the credential left out: no substitute
    (the bound was 150.05 while the route got 800 dearer)."""
    cat = catalog([mc("M2", level=3, credits=5, fee=100),
                   qual("Q0", credits=40, fee=2400, core=("M2",)),
                   qual("Q1", credits=40, fee=6000)],
                  [("M2", "Q0", 5), ("M2", "Q1", 5), ("Q0", "Q1", 20)])
    bound, after, before = _bound_and_after(cat, "Q1", "M2")
    assert after is not None and after - before == 800
    assert bound is None or bound >= 800


def test_removal_bound_none_when_an_at_least_rule_loses_a_source_counting_nothing() -> None:
    """Q0 must count M0 in (a "min" rule) though its level profile lets M0 count 0
    credits: without M0 there is no route at all, so there is no bound (it was 0.04)."""
    from pathways.catalog import Rule

    cat = catalog([mc("M0", level=3, credits=5, fee=100),
                   qual("Q0", credits=40, fee=2400, level_profile=((5, 40),),
                        rules=(Rule("min", 1, ("M0",)),))],
                  [("M0", "Q0", 5)])
    bound, after, _before = _bound_and_after(cat, "Q0", "M0")
    assert after is None
    assert bound is None
