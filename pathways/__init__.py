"""pathways: stacking and pathway graph analyser for micro-credentials and qualifications.

The names below are the library API; each is imported from its module on first use
(even the catalog's data classes), so ``import pathways`` costs next to nothing and
``pathways --help`` loads none of the library.

>>> import pathways
>>> catalog = pathways.read_catalog("graphs/demo.json")          # doctest: +SKIP
>>> pathways.find_route(catalog, "DIP-ITS5", held=["MC-CLOUD4"]).fee  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported on first use below: `pathways --help` needs none of them
    from pathways.catalog import Catalog as Catalog
    from pathways.catalog import Credential as Credential
    from pathways.catalog import Provider as Provider
    from pathways.catalog import Stacking as Stacking
    from pathways.catalog import to_graph as to_graph
    from pathways.errors import CatalogError as CatalogError
    from pathways.errors import NoRouteError as NoRouteError
    from pathways.errors import PathwaysError as PathwaysError
    from pathways.errors import Problem as Problem
    from pathways.errors import RouteError as RouteError
    from pathways.errors import StoreError as StoreError

__version__ = "0.1.0"

# name -> module it lives in, imported when first asked for.
_LAZY = {
    **dict.fromkeys(("Catalog", "Credential", "Provider", "Stacking", "to_graph"),
                    "pathways.catalog"),
    **dict.fromkeys(("PathwaysError", "CatalogError", "StoreError", "RouteError",
                     "NoRouteError", "Problem"), "pathways.errors"),
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

__all__ = [*_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        # a submodule, as `import pathways; pathways.catalog` found it when the package
        # imported its catalog module itself
        if not name.startswith("_"):
            try:
                return importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{name}":
                    raise
        raise AttributeError(f"module 'pathways' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
