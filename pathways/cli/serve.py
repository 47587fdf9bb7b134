"""The serve command: the advisor's web app on http://127.0.0.1:8000 (pathways.web)."""

from __future__ import annotations

import click

from pathways.cli.common import CatalogSource, FiniteFloat, catalog_options


@click.command("serve")
@catalog_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 makes the app reachable from other "
                   "machines (it has no login: do that only on a network you trust).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--time-limit", type=FiniteFloat(min=1, max=600), default=20.0,
              show_default=True, metavar="SECONDS",
              help="Longest a route, what-if or drawing may take before the page says so.")
def serve_command(source: CatalogSource, host: str, port: int, time_limit: float) -> None:
    """Serve the web app: catalog search, route planning, gaps, maps, metrics, JSON API.

    Read-only: nothing it serves writes to the catalog. The catalog is read once at
    start; restart to see changes. Stop with Ctrl-C.

    \b
    Example:
        pathways serve --db catalog.db --port 8080
    """
    import uvicorn

    from pathways.web.app import create_app
    from pathways.web.site import Site

    site = Site(source.load(), source.label, time_limit=time_limit)
    app = create_app(site)
    click.echo(f"Serving {source.label} ({len(site.catalog):,} credentials) on "
               f"http://{'[' + host + ']' if ':' in host else host}:{port}/ (Ctrl-C stops)",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                limit_concurrency=200, timeout_keep_alive=5)
