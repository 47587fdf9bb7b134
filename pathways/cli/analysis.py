"""Analysis commands: structural metrics, the gap report and what-if."""

from __future__ import annotations

import click

from pathways.cli.common import (
    CatalogSource,
    catalog_options,
    echo_json,
    fmt_number,
    json_option,
    progress_reporter,
    render_table,
    truncate,
)

METRIC_COLUMNS = ("complexity", "blocking", "delay", "centrality")


@click.command("metrics")
@catalog_options
@click.option("--sort", "sort_by", type=click.Choice(["id", *METRIC_COLUMNS]),
              default="complexity", show_default=True,
              help="Order of the table (largest first; ties by id).")
@click.option("--top", type=click.IntRange(min=1), metavar="N",
              help="Show only the first N rows of the table.")
@json_option
def metrics_command(source: CatalogSource, sort_by: str, top: int | None,
                    as_json: bool) -> None:
    """Structural metrics per credential: blocking, delay, centrality, complexity.

    The CurricularAnalytics definitions over stacking, requirement and co-requisite
    edges; a quarter-system curriculum's complexity is scaled by 2/3.

    Example:
        pathways metrics --catalog curriculum.csv --sort centrality --top 10
    """
    from pathways.metrics import compute_metrics

    catalog = source.load()
    metrics = compute_metrics(catalog, progress=progress_reporter(not as_json))
    if as_json:
        echo_json(metrics.to_dict())
        return
    index = catalog.index()
    ids = sorted(metrics.credentials)
    if sort_by != "id":
        ids.sort(key=lambda cid: -getattr(metrics.credentials[cid], sort_by))
    shown = ids[:top] if top else ids
    rows = []
    for cid in shown:
        m = metrics.credentials[cid]
        title = index[cid].title if cid in index else ""
        rows.append([cid, truncate(title, 40), fmt_number(m.complexity), m.blocking,
                     m.delay, m.centrality])
    t = metrics.total
    rows.append(["TOTAL", f"{len(ids)} credentials", fmt_number(t.complexity), t.blocking,
                 t.delay, t.centrality])
    click.echo(render_table(["id", "title", "complexity", "blocking", "delay", "centrality"],
                            rows, align="llrrrr"))
    if top and top < len(ids):
        click.echo(f"({len(ids) - top} more not shown; --top to change)", err=True)
