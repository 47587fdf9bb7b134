"""pathways.counting: the one rule that counts credits into a credential."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.catalog import Credential
from pathways.counting import (
    UNKNOWN_LEVEL,
    count_credits,
    level_limits,
    profile_level,
    recognition_cap,
    studied_cost,
    whole_cost,
)


def _q(**kw: object) -> Credential:
    base: dict[str, object] = {"credits": 120, "level": 6, "fee": 12000.0}
    base.update(kw)
    return Credential(id="Q", title="Q", kind="qualification", **base)  # type: ignore[arg-type]


def test_caps_and_profile() -> None:
    q = _q(max_recognised=60, level_profile=((6, 90),))  # at most 30 from below level 6
    levels = {"A": 4, "B": 6, "C": None, "D": 7}
    got = count_credits(q, [("A", 40), ("B", 20), ("C", 10), ("D", 15)], levels)
    assert list(got) == ["D", "B", "A", "C"]  # highest level first, no level last
    assert got == {"D": 15, "B": 20, "A": 25, "C": 0}
    assert sum(got.values()) == 60 == recognition_cap(q)
    assert level_limits(q) == ((6, 30),)
    assert count_credits(q, [], levels) == {}
    assert count_credits(_q(max_recognised=-5), [("A", 10)], levels) == {"A": 0}


def test_no_level_is_below_every_level() -> None:
    assert profile_level(None) == UNKNOWN_LEVEL < 0 == profile_level(0)
    q = _q(level_profile=((1, 115),))  # at most 5 from below level 1
    assert count_credits(q, [("X", 30)], lambda _u: None) == {"X": 5}
    assert count_credits(q, [("X", 30)], lambda _u: 1) == {"X": 30}


def test_costs() -> None:
    q = _q(hours=None)
    assert [whole_cost(q, k) for k in ("fee", "hours", "credits")] == [12000, 1200, 120]
    assert studied_cost(q, "fee", 30) == 3000 and studied_cost(q, "credits", 30) == 30
    assert studied_cost(_q(credits=0), "fee", 0) == 12000
    with pytest.raises(ValueError, match="unknown objective 'cost'"):
        whole_cost(q, "cost")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(1, 8)), st.integers(0, 30)),
                max_size=5),
       st.integers(0, 120), st.lists(st.tuples(st.integers(1, 8), st.integers(0, 120)),
                                     max_size=2, unique_by=lambda t: t[0]))
def test_counts_the_most_any_split_allows(offers: list[tuple[int | None, int]], cap: int,
                                          profile: list[tuple[int, int]]) -> None:
    """Greedy by level equals the best of every split (semantics.md section 2)."""
    q = _q(max_recognised=cap, level_profile=tuple(sorted(profile)))
    ids = [f"S{i}" for i in range(len(offers))]
    levels = {u: lv for u, (lv, _r) in zip(ids, offers, strict=True)}
    got = count_credits(q, [(u, r) for u, (_lv, r) in zip(ids, offers, strict=True)], levels)
    assert all(0 <= got[u] <= r for u, (_lv, r) in zip(ids, offers, strict=True))
    best = 0
    for split in itertools.product(*(range(0, r + 1, max(1, r // 3) if r > 9 else 1)
                                     for _lv, r in offers)):
        if _allowed(q, split, [lv for lv, _r in offers]):
            best = max(best, sum(split))
    assert _allowed(q, [got[u] for u in ids], [lv for lv, _r in offers])
    assert sum(got.values()) >= best


def _allowed(q: Credential, split: object, levels: list[int | None]) -> bool:
    amounts = list(split)  # type: ignore[call-overload]
    if sum(amounts) > recognition_cap(q):
        return False
    for lv, most in level_limits(q):
        below = sum(a for a, l_ in zip(amounts, levels, strict=True) if profile_level(l_) < lv)
        if below > most:
            return False
    return True
