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
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes, each holding the catalog (more answer more learners "
                   "at once on more CPU cores, and take that much more memory).")
@click.option("--time-limit", type=FiniteFloat(min=1, max=600), default=20.0,
              show_default=True, metavar="SECONDS",
              help="Longest a route, what-if or drawing may take before the page says so.")
def serve_command(source: CatalogSource, host: str, port: int, workers: int,
                  time_limit: float) -> None:
    """Serve the web app: catalog search, route planning, gaps, maps, metrics, JSON API.

    Read-only: nothing it serves writes to the catalog. The catalog is read once at
    start; restart to see changes. Stop with Ctrl-C.

    \b
    Example:
        pathways serve --db catalog.db --port 8080
    """
    import os

    import uvicorn

    from pathways.web.app import create_app
    from pathways.web.site import Site

    if workers > 1 and source.more:
        raise click.UsageError("--workers opens the catalog in each process from one file; "
                               "import several CTDL or badge files into a database "
                               "(pathways import FILE... --db URL) and serve --db")
    site = Site(source.load(), source.label, time_limit=time_limit)  # refused here if bad
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    options: dict[str, object] = {"host": host, "port": port, "log_level": "warning",
                                  "access_log": False, "limit_concurrency": 200,
                                  "timeout_keep_alive": 5}
    if workers > 1:
        # Each process opens the catalog itself (uvicorn starts them from an import path).
        os.environ["PATHWAYS_WEB_" + ("DB" if source.is_db else "CATALOG")] = source.label
        os.environ["PATHWAYS_WEB_TIME_LIMIT"] = repr(time_limit)
        if source.framework:
            os.environ["PATHWAYS_WEB_FRAMEWORK"] = source.framework
        count = len(site.catalog)
        del site
        click.echo(f"Serving {source.label} ({count:,} credentials) on {where} with "
                   f"{workers} processes (Ctrl-C stops)", err=True)
        uvicorn.run("pathways.web:app_from_environment", factory=True, workers=workers,
                    **options)  # type: ignore[arg-type]
        return
    site.warm()
    click.echo(f"Serving {source.label} ({len(site.catalog):,} credentials) on {where} "
               "(Ctrl-C stops)", err=True)
    uvicorn.run(create_app(site), **options)  # type: ignore[arg-type]
