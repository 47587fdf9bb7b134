"""pathways: stacking and pathway graph analyser for micro-credentials and qualifications."""

from pathways.catalog import Catalog, Credential, Provider, Stacking, to_graph
from pathways.errors import CatalogError, NoRouteError, PathwaysError, Problem, RouteError, StoreError

__version__ = "0.1.0"

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
]
