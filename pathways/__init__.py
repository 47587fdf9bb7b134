"""pathways: stacking and pathway graph analyser for micro-credentials and qualifications.

The names below are the library API; heavier modules (routes, gaps, drawings) are
imported on first use, so ``import pathways`` stays quick.

>>> import pathways
>>> catalog = pathways.read_catalog("graphs/demo.json")          # doctest: +SKIP
>>> pathways.find_route(catalog, "DIP-ITS5", held=["MC-CLOUD4"]).fee  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

from pathways.catalog import Catalog, Credential, Provider, Stacking, to_graph
from pathways.errors import (
    CatalogError,
    NoRouteError,
    PathwaysError,
    Problem,
    RouteError,
    StoreError,
)

__version__ = "0.1.0"

# name -> module it lives in, imported when first asked for.
_LAZY = {
    "read_catalog": "pathways.formats",
    "parse_catalog": "pathways.formats",
    "dump_catalog": "pathways.formats",
    "write_catalog": "pathways.formats",
    "validate": "pathways.rules",
    "check": "pathways.rules",
    "connect": "pathways.store",
    "save_catalog": "pathways.store",
    "load_catalog": "pathways.store",
    "load_upstream": "pathways.store",
    "Constraints": "pathways.routes",
    "TargetFilter": "pathways.routes",
    "Route": "pathways.routes",
    "RouteTimeLimit": "pathways.routes",
    "find_route": "pathways.routes",
    "find_routes": "pathways.routes",
    "pareto_routes": "pathways.routes",
    "cheapest_routes": "pathways.routes",
    "with_schedule": "pathways.routes",
    "GapOptions": "pathways.gaps",
    "find_gaps": "pathways.gaps",
    "Change": "pathways.whatif",
    "what_if": "pathways.whatif",
    "compute_metrics": "pathways.metrics",
    "layout": "pathways.drawing.layered",
    "generate_catalog": "pathways.synthetic",
}

__all__ = [
    "Catalog",
    "Credential",
    "Provider",
    "Stacking",
    "to_graph",
    "PathwaysError",
    "CatalogError",
    "StoreError",
    "RouteError",
    "NoRouteError",
    "Problem",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pathways' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
