"""The advisor's web app: ``pathways serve`` (FastAPI, server-rendered Jinja2 pages and a
JSON API), over one catalog held read-only in memory.

>>> from pathways.web import make_app
>>> app = make_app(catalog_path="graphs/demo.json")   # doctest: +SKIP

FastAPI and Jinja2 are imported only here, so the rest of ``pathways`` never pays for them.
"""

from __future__ import annotations

from typing import Any


def make_app(catalog_path: str | None = None, db: str | None = None, *,
             time_limit: float = 20.0) -> Any:
    """The app over a catalog file, a database URL, or (neither) the bundled demo."""
    from pathways.web.app import create_app
    from pathways.web.site import Site, open_catalog_for_web

    catalog, label = open_catalog_for_web(catalog_path, db)
    return create_app(Site(catalog, label, time_limit=time_limit))


def app_from_environment() -> Any:
    """The app that each of ``pathways serve --workers N``'s processes builds, from the
    environment the command sets: ``PATHWAYS_WEB_CATALOG`` or ``PATHWAYS_WEB_DB`` (and
    ``PATHWAYS_WEB_FRAMEWORK``), and ``PATHWAYS_WEB_TIME_LIMIT`` (seconds)."""
    import os

    from pathways.web.app import create_app
    from pathways.web.site import Site, open_catalog_for_web

    catalog, label = open_catalog_for_web(os.environ.get("PATHWAYS_WEB_CATALOG"),
                                          os.environ.get("PATHWAYS_WEB_DB"),
                                          os.environ.get("PATHWAYS_WEB_FRAMEWORK"))
    site = Site(catalog, label, time_limit=float(os.environ.get("PATHWAYS_WEB_TIME_LIMIT",
                                                                "20")))
    site.warm()
    return create_app(site)


__all__ = ["make_app", "app_from_environment"]
