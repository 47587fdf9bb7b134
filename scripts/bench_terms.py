"""Time term plans (issue 12 part 3).

1. A 66-course curriculum over 12 terms (deterministic synthetic: prerequisite chains up
   to 6 deep, some with two alternatives, co-requisites, strict co-requisite pairs, a
   third of the courses offered only in odd or even terms, 12–20 credits and 2–7 courses
   a term): the fewest terms, then balanced over 12 terms. Target: each at most 10 s.
2. The CSPLib BACP instances (tests/data/bacp) with ``--balance``: each to its published
   optimum (17, 14, 17) within 60 s.

Run: ``python scripts/bench_terms.py [--seed S]``. Exits 1 when a target is missed. Each
line gives wall time, the process's CPU time and its peak resident memory so far.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CURRICULUM_LIMIT_S = 10.0
BACP_LIMIT_S = 60.0
BACP_OPTIMA = {"bacp8": 17, "bacp10": 14, "bacp12": 17}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def curriculum(seed: int = 1) -> object:
    """66 courses in 11 subjects of 6 courses each (a chain with branches), as a catalog."""
    from pathways.catalog import Catalog, Credential

    rng = random.Random(seed)
    creds: list[Credential] = []
    for s in range(11):
        ids = [f"S{s:02d}-{k}" for k in range(6)]
        for k, cid in enumerate(ids):
            requires: tuple[tuple[str, ...], ...] = ()
            if k > 0:
                clause = (ids[k - 1],) if k < 3 or rng.random() < 0.6 else (ids[k - 1], ids[k - 2])
                requires = (clause,)
                if s > 0 and rng.random() < 0.3:
                    other = f"S{rng.randrange(s):02d}-{rng.randrange(min(k, 5))}"
                    requires += ((other,),)
            coreqs = (f"S{s:02d}-0",) if k == 2 and rng.random() < 0.5 else ()
            strict = (ids[k - 1],) if k == 5 and rng.random() < 0.3 else ()
            if strict:
                requires = tuple(c for c in requires if ids[k - 1] not in c)
            creds.append(Credential(
                id=cid, title=f"Subject {s} course {k + 1}", kind="course",
                credits=rng.choice((2, 3, 3, 3, 4, 4, 5)), requires=requires,
                corequisites=coreqs, strict_corequisites=strict))
    return Catalog(credentials=creds, framework="generic", name="Synthetic 66-course curriculum")


def timed(label: str, limit: float, run: object) -> tuple[bool, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()  # type: ignore[operator]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    ok = wall <= limit
    print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU, peak {peak_mib():.0f} MiB "
          f"(target <= {limit:g} s) {'ok' if ok else 'MISSED'}")
    return ok, result


def bench_curriculum(seed: int) -> bool:
    from pathways.plans.termplan import plan_terms

    cat = curriculum(seed)
    options = dict(terms=12, min_credits=6, max_credits=20, min_courses=2, max_courses=7,
                   time_limit=60)
    ok1, fewest = timed("66 courses, fewest terms (at most 12)", CURRICULUM_LIMIT_S,
                        lambda: plan_terms(cat, **options))  # type: ignore[arg-type]
    print(f"  {len(fewest.plan.terms)} terms, largest load {fewest.plan.max_load} "  # type: ignore[attr-defined]
          f"(optimal: {fewest.plan.optimal})")  # type: ignore[attr-defined]
    ok2, balanced = timed("66 courses, balanced over 12 terms", CURRICULUM_LIMIT_S,
                          lambda: plan_terms(cat, balance=True, **options))  # type: ignore[arg-type]
    print(f"  largest load {balanced.plan.max_load} (optimal: "  # type: ignore[attr-defined]
          f"{balanced.plan.optimal})")  # type: ignore[attr-defined]
    return ok1 and ok2


def bench_bacp() -> bool:
    from pathways.plans.termplan import plan_terms
    from pathways.source import open_catalog

    ok = True
    for name, optimum in BACP_OPTIMA.items():
        cat = open_catalog(str(ROOT / "tests" / "data" / "bacp" / f"{name}.json"))
        m = {k: int(v) for k, v in cat.meta.items() if k != "source"}
        good, s = timed(f"{name} --balance", BACP_LIMIT_S, lambda cat=cat, m=m: plan_terms(
            cat, terms=m["periods"], min_credits=m["min_load"], max_credits=m["max_load"],
            min_courses=m["min_courses"], max_courses=m["max_courses"], balance=True,
            time_limit=BACP_LIMIT_S))
        load = s.plan.max_load  # type: ignore[attr-defined]
        right = load == optimum and s.plan.optimal  # type: ignore[attr-defined]
        print(f"  largest load {load} (published optimum {optimum}) "
              f"{'ok' if right else 'WRONG'}")
        ok = ok and good and right
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    ok = bench_curriculum(args.seed)
    ok = bench_bacp() and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
