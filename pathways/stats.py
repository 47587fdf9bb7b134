"""Summary statistics of a catalog (``pathways stats``, the web app's catalog page)."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from pathways.catalog import Catalog

__all__ = ["catalog_stats"]


def catalog_stats(catalog: Catalog) -> dict[str, Any]:
    """Summary counts of a catalog, JSON-ready and deterministic."""
    per_credit: dict[str, list[float]] = {}
    for c in catalog:
        if c.fee is not None and c.credits > 0:
            per_credit.setdefault(c.kind, []).append(c.fee / c.credits)
    return {
        "credentials": len(catalog),
        "providers": len(catalog.providers),
        "stacking_edges": len(catalog.stacking),
        "requirement_edges": sum(len(c.required_ids) for c in catalog),
        "by_kind": dict(sorted(Counter(c.kind for c in catalog).items())),
        "by_level": {str(k): v for k, v in sorted(
            Counter(c.level for c in catalog if c.level is not None).items())},
        "by_provider": dict(sorted(Counter(c.provider or "(none)" for c in catalog).items())),
        "by_field": dict(sorted(Counter(c.field or "(none)" for c in catalog).items())),
        "fee_per_credit": {
            k: {"min": round(min(v), 2), "median": round(statistics.median(v), 2),
                "max": round(max(v), 2)}
            for k, v in sorted(per_credit.items())
        },
    }
