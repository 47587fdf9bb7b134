"""Time the structural metrics on a deep curriculum and on a 100,000-node DAG.

Targets: the 96-course, 12-layer curriculum with three prerequisites per course in
<= 0.1 s; the 100,000-node DAG (depth >= 12) in <= 10 s. Run:
``python scripts/bench_metrics.py``.
"""

from __future__ import annotations

import random
import sys
import time

import networkx as nx

from pathways.catalog import Catalog, Credential
from pathways.metrics import compute_metrics


def layered_curriculum(layers: int = 12, width: int = 8, prereqs: int = 3,
                       seed: int = 1) -> Catalog:
    """Courses in layers; each course past the first layer requires ``prereqs`` courses
    of the layer before (so every chain is as deep as the layers)."""
    rng = random.Random(seed)
    courses = []
    for layer in range(layers):
        for i in range(width):
            cid = f"C{layer:02}-{i}"
            requires: tuple[tuple[str, ...], ...] = ()
            if layer:
                picks = rng.sample(range(width), prereqs)
                requires = tuple((f"C{layer - 1:02}-{p}",) for p in sorted(picks))
            courses.append(Credential(id=cid, title=cid, kind="course", credits=3,
                                      requires=requires))
    return Catalog(credentials=courses, framework="generic", system_type="semester")


def layered_dag(nodes: int = 100_000, layers: int = 20, parents: int = 3,
                seed: int = 1) -> nx.DiGraph:
    """A DAG of ``layers`` equal layers; each node has ``parents`` parents in earlier
    layers, mostly the one just before, so its depth is ``layers``."""
    rng = random.Random(seed)
    width = nodes // layers
    g = nx.DiGraph()
    g.add_nodes_from(range(nodes))
    for layer in range(1, layers):
        for i in range(width):
            v = layer * width + i
            g.add_edge((layer - 1) * width + rng.randrange(width), v)  # keeps depth
            for _ in range(parents - 1):
                back = 1 if rng.random() < 0.7 else rng.randint(1, layer)
                g.add_edge((layer - back) * width + rng.randrange(width), v)
    return g


def timed(label: str, func: object, limit: float) -> float:
    start = time.perf_counter()
    result = func()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    verdict = "ok" if elapsed <= limit else "TOO SLOW"
    print(f"{label}: {elapsed:.3f} s (target <= {limit:g} s) {verdict}")
    print(f"  totals: {result.total.to_dict()}")
    return elapsed


def main() -> int:
    cat = layered_curriculum()
    print(f"curriculum: {len(cat)} courses, 12 layers, 3 prerequisites each")
    t1 = timed("  metrics from the catalog", lambda: compute_metrics(cat), 0.1)

    g = layered_dag()
    depth = nx.dag_longest_path_length(g) + 1
    print(f"synthetic DAG: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges, "
          f"depth {depth}")
    t2 = timed("  metrics from the graph", lambda: compute_metrics(g), 10.0)
    return 0 if t1 <= 0.1 and t2 <= 10.0 else 1


if __name__ == "__main__":
    sys.exit(main())
