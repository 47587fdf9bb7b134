"""Composed programmes and programme rules added to a generated catalog (issue 15):
:func:`add_programmes`, seeded and deterministic like :mod:`pathways.synthetic`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from pathways.catalog import Catalog, Credential, Rule, Stacking

__all__ = ["add_programmes"]

#: Papers of a composed programme: university points of 15 and 7.5.
_PAPER_CREDITS = (15, 15, 15, 7.5)


def add_programmes(catalog: Catalog, *, seed: int = 0, share: float = 0.02,
                   rule_share: float = 0.1) -> Catalog:
    """``catalog`` with composed programmes and programme rules (issue 15), deterministic.

    About ``share`` of the qualifications gain a composed programme beside them: a
    120-credit level-7 diploma with no study of its own (``direct_study: false``) made of
    10–14 papers (more while they offer under 150 credits) of 15 and 7.5 credits at levels
    5–7, with a choose-k rule over its first-year papers, a credit pool over its 300-level
    papers ("45 credits from") and a "not both" pair. About ``rule_share`` of the other
    qualifications with three or more sources gain one rule over them: at least one of
    them, or not both of two. Every rule can be met, so the result still validates.
    """
    rng = random.Random(f"programmes-{seed}")
    edges = list(catalog.stacking)
    quals = [c for c in catalog.credentials if c.kind == "qualification"]
    ruled = _ruled_qualifications(rng, quals, edges, rule_share)
    creds = [ruled.get(c.id, c) for c in catalog.credentials]
    n_majors = max(1, round(share * len(quals))) if quals else 0
    for k in range(n_majors):
        home = quals[rng.randrange(len(quals))]
        major = f"MAJ-{k + 1:06d}"
        papers = _papers(rng, home, k)
        creds.append(_composed(home, major, k, papers))
        creds.extend(papers)
        edges.extend(Stacking(p.id, major, p.credits) for p in papers)
    return replace(catalog, credentials=sorted(creds, key=lambda c: c.id),
                   stacking=sorted(edges), meta={**catalog.meta, "rules": "yes"})


def _ruled_qualifications(rng: random.Random, quals: Sequence[Credential],
                          edges: Sequence[Stacking], rule_share: float
                          ) -> dict[str, Credential]:
    """Qualifications with three or more sources that gain one rule over them, by id."""
    into: dict[str, list[Stacking]] = {}
    for e in edges:
        into.setdefault(e.target, []).append(e)
    ruled: dict[str, Credential] = {}
    for q in quals:
        sources = sorted(into.get(q.id, ()), key=lambda e: e.source)
        if len(sources) < 3 or q.core or rng.random() >= rule_share:
            continue
        ids = [e.source for e in sources]
        if rng.random() < 0.5:
            rule = Rule("min", 1, tuple(rng.sample(ids, 3)))
        else:
            rule = Rule("max", 1, tuple(rng.sample(ids, 2)))
        ruled[q.id] = replace(q, rules=(rule,))
    return ruled


def _papers(rng: random.Random, home: Credential, k: int) -> list[Credential]:
    """The papers of the ``k``-th composed programme, beside ``home``."""
    papers: list[Credential] = []
    wanted = rng.randint(10, 14)
    j = 0
    while j < wanted or sum(p.credits for p in papers) < 150:  # room for "not both"
        year = 1 if j < 4 else 2 if j < 8 else 3
        credits = rng.choice(_PAPER_CREDITS)
        papers.append(Credential(
            id=f"PAP-{k + 1:06d}-{j + 1:02d}", title=f"{home.field or 'General'} paper "
            f"{year}{j + 1:02d}", kind="course", credits=credits, level=4 + year,
            provider=home.provider, fee=float(round(credits * rng.uniform(60, 90))),
            delivery=home.delivery, status="current", review_due=home.review_due,
            field=home.field, skills=home.skills[j % max(1, len(home.skills)):][:1]))
        j += 1
    return papers


def _composed(home: Credential, major: str, k: int, papers: Sequence[Credential]
              ) -> Credential:
    """The composed programme ``major`` made of ``papers``, with its rules."""
    first = [p.id for p in papers if p.level == 5]
    third = [p for p in papers if p.level == 7]
    credits = 120
    rules = [Rule("min", 2, tuple(first), "first-year")]
    pool = min(45, sum(p.credits for p in third) - 15)
    if pool >= 15:
        rules.append(Rule("min_credits", pool, tuple(p.id for p in third), "300-level"))
    second = [p.id for p in papers if p.level == 6]
    if len(second) >= 2:
        rules.append(Rule("max", 1, (second[0], second[1])))
    return Credential(
        id=major, title=f"Diploma in {home.field or 'General Studies'} (Level 7, "
        f"composed {k + 1})", kind="qualification", type="diploma", credits=credits,
        level=7,
        provider=home.provider, fee=0.0, delivery=home.delivery, status="current",
        review_due=home.review_due, field=home.field, skills=home.skills,
        direct_study=False, rules=tuple(rules))
