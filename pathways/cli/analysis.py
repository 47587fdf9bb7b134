"""Analysis commands: structural metrics, the gap report and what-if."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pathways import numbers
from pathways.cli.common import (
    CatalogSource,
    catalog_options,
    echo_json,
    fmt_number,
    iso_date,
    json_option,
    progress_reporter,
    render_table,
    truncate,
)
from pathways.vocabulary import GAP_KINDS, METRIC_NAMES, OBJECTIVES

F = TypeVar("F", bound=Callable[..., Any])

METRIC_COLUMNS = METRIC_NAMES
GAP_KIND_CHOICES = GAP_KINDS


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

    \b
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


# -- gaps ------------------------------------------------------------------------------------



class Bounded(click.ParamType):
    """A number option checked by :func:`pathways.numbers.problem` (finite, within
    bounds; whole where ``integer``): one message form for every number that enters."""

    def __init__(self, low: float, high: float, *, integer: bool = False) -> None:
        self.low, self.high, self.integer = low, high, integer
        self.name = "integer" if integer else "number"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number: float = value
        else:
            text = str(value).strip()
            try:
                number = int(text) if text.lstrip("+-").isdigit() else float(text)
            except ValueError:
                self.fail(f"{value!r} is not a number", param, ctx)
        name = param.opts[0] if param is not None and param.opts else "value"
        message = numbers.problem(number, name, low=self.low, high=self.high,
                                  integer=self.integer)
        if message is not None:
            raise click.UsageError(message, ctx)
        return int(number) if self.integer else number


def gap_threshold_options(func: F) -> F:
    """The gap report's thresholds, each defaulting to GapOptions' own default."""
    options = [
        click.option("--as-of", callback=iso_date, metavar="DATE",
                     help="Judge review dates as of this day (default today)."),
        click.option("--review-window", "review_window_days",
                     type=Bounded(0, numbers.MAX_DAYS, integer=True),
                     metavar="DAYS", help="A review due within DAYS is stale [default: 90]."),
        click.option("--shortfall-threshold", type=Bounded(0, 1), metavar="SHARE",
                     help="Report qualifications of which micro-credentials can cover "
                          "less than this share [default: 0.25]."),
        click.option("--max-level-jump", type=Bounded(0, numbers.MAX_LEVEL, integer=True),
                     metavar="LEVELS",
                     help="Report stacking that climbs more levels than this [default: 2]."),
        click.option("--duplication-overlap", type=Bounded(0, 1), metavar="SHARE",
                     help="Report a micro-credential when a qualification holds this "
                          "share of its skills [default: 0.5]."),
        click.option("--duplication-min-shared",
                     type=Bounded(1, numbers.MAX_CREDITS, integer=True), metavar="N",
                     help="Skills that must be shared for a duplication [default: 2]."),
        click.option("--duplication-level-window",
                     type=Bounded(0, numbers.MAX_LEVEL, integer=True), metavar="LEVELS",
                     help="Levels apart a duplicated qualification may be [default: 1]."),
        click.option("--bottleneck-min-increase", type=Bounded(0, 1000), metavar="SHARE",
                     help="Smallest rise of a cheapest route that makes a bottleneck "
                          "[default: 0.1]."),
        click.option("--by", type=click.Choice(OBJECTIVES),
                     help="Objective of the cheapest routes [default: fee]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


THRESHOLD_KEYS = ("as_of", "review_window_days", "shortfall_threshold", "max_level_jump",
                  "duplication_overlap", "duplication_min_shared", "duplication_level_window",
                  "bottleneck_min_increase", "by")


def gap_options_from(values: dict[str, Any], **more: Any) -> Any:
    """GapOptions from the command's values; options not given keep their defaults."""
    from pathways.gaps import GapOptions

    given = {k: values[k] for k in THRESHOLD_KEYS if values.get(k) is not None}
    return GapOptions(**given, **more)


def jobs_option(func: F) -> F:
    """Add --jobs N: processes solving routes on large catalogs (default: one per CPU)."""
    return click.option("--jobs", type=click.IntRange(min=1), metavar="N",
                        help="Processes for route solving on large catalogs, at most one "
                             "per CPU [default: one per CPU].")(func)


def workers_for(jobs: int | None) -> int:
    """The processes to solve routes in: --jobs, capped at the CPUs (saying so), or one
    per CPU."""
    from pathways.gaps.parallel import available_cpus

    cpus = available_cpus()
    if jobs is not None and jobs > cpus:
        click.echo(f"--jobs {jobs}: this machine has {cpus} CPU{'s' if cpus != 1 else ''}; "
                   f"using {cpus} process{'es' if cpus != 1 else ''}", err=True)
    return min(jobs or cpus, cpus)


@click.command("gaps")
@catalog_options
@click.option("--kind", "kinds", multiple=True, type=click.Choice(GAP_KIND_CHOICES),
              help="Only this kind of gap (repeat for more; default all).")
@click.option("--provider", "providers", multiple=True, metavar="ID",
              help="Only findings involving this provider (repeatable).")
@click.option("--field", "fields", multiple=True, metavar="FIELD",
              help="Only findings involving a credential in this field (repeatable).")
@gap_threshold_options
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Write the findings as CSV.")
@click.option("--markdown", "as_markdown", is_flag=True,
              help="Write a Markdown report to send a colleague.")
@click.option("-o", "--output", metavar="FILE",
              help="Write the report to FILE (format from --json/--csv/--markdown, else from "
                   "the extension .json, .csv or .md).")
@jobs_option
def gaps_command(source: CatalogSource, kinds: tuple[str, ...], providers: tuple[str, ...],
                 fields: tuple[str, ...], as_json: bool, as_csv: bool, as_markdown: bool,
                 output: str | None, jobs: int | None, **thresholds: Any) -> None:
    """Find where pathways break: dead ends, missing on-ramps, shortfalls, stale credentials…

    Every finding has a kind, a severity (high, medium, low), the credentials and
    providers involved, one figure and a one-line explanation; the thresholds are options.

    \b
    Example:
        pathways gaps --provider rawhiti --kind shortfall --kind stale --markdown -o gaps.md
    """
    from pathways.gaps import find_gaps
    from pathways.output import check_output, is_stdout, write_output

    chosen = [name for name, on in (("json", as_json), ("csv", as_csv),
                                    ("markdown", as_markdown)) if on]
    if len(chosen) > 1:
        raise click.UsageError("give one of --json, --csv and --markdown")
    fmt = chosen[0] if chosen else _format_from(output)
    if output:
        check_output(output)  # before the work, not after it
    options = gap_options_from(
        thresholds,
        kinds=frozenset(kinds) if kinds else None,
        providers=frozenset(providers) if providers else None,
        fields=frozenset(fields) if fields else None,
    )
    catalog = source.load()
    known = {p.id for p in catalog.providers} | {c.provider for c in catalog if c.provider}
    for p in providers:
        if p not in known:
            raise click.BadParameter(f"no provider {p!r} in the catalog; known: "
                                     + ", ".join(sorted(known)), param_hint="--provider")
    known_fields = {c.field.casefold(): c.field for c in catalog if c.field}
    for f in fields:
        if f.casefold() not in known_fields:
            raise click.BadParameter(f"no credential has the field {f!r}; known: "
                                     + "; ".join(sorted(known_fields.values())),
                                     param_hint="--field")
    report = find_gaps(catalog, options, progress=progress_reporter(fmt != "json"),
                       workers=workers_for(jobs))
    if fmt == "json":
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = report.to_csv()
    elif fmt == "markdown":
        text = report.to_markdown()
    else:
        text = _gap_text(report) + "\n"
    if output and not is_stdout(output):
        write_output(output, text)
        click.echo(f"Wrote {len(report.findings)} findings to {output}", err=True)
    else:
        click.echo(text, nl=False)


def _format_from(output: str | None) -> str:
    suffix = Path(output).suffix.lower() if output else ""
    return {".json": "json", ".csv": "csv", ".md": "markdown",
            ".markdown": "markdown"}.get(suffix, "text")


def _gap_text(report: Any) -> str:
    s = report.summary
    sev = s["by_severity"]
    n = len(report.findings)
    head = (f"{n} finding{'s' if n != 1 else ''} ({sev['high']} high, {sev['medium']} medium, "
            f"{sev['low']} low) in {s['credentials']} credentials, as of {s['as_of']}")
    if not report.findings:
        return head
    rows = [[f.severity, f.kind, _figure(f), f.message] for f in report.findings]
    return head + "\n\n" + render_table(["severity", "kind", "figure", "finding"], rows,
                                        align="llrl")


def _figure(f: Any) -> str:
    if f.kind in ("shortfall", "duplication"):
        return numbers.share(f.figure)
    return fmt_number(f.figure)


# -- what-if ---------------------------------------------------------------------------------


@click.command("what-if")
@catalog_options
@click.option("--changes", "change_file", metavar="FILE",
              help="A change file: a partial catalog (JSON) plus optional remove, "
                   "remove_stacking and price keys.")
@click.option("--remove", "removals", multiple=True, metavar="ID",
              help="Remove this credential (repeatable).")
@click.option("--remove-edge", "removed_edges", multiple=True, metavar="FROM:TO",
              help="Remove this stacking edge (repeatable).")
@click.option("--add-edge", "added_edges", multiple=True, metavar="FROM:TO:CREDITS",
              help="Stack CREDITS of FROM into TO (repeatable).")
@click.option("--price", "prices", multiple=True, metavar="ID=FEE",
              help="Give a credential a new fee (repeatable).")
@click.option("--rules", "rule_changes", multiple=True, metavar="ID=RULES",
              help="Give a credential these programme rules, written as in the CSV form "
                   "(ID= alone removes them; repeatable).")
@click.option("--no-gaps", is_flag=True, help="Compare cheapest routes only, not gap reports.")
@gap_threshold_options
@jobs_option
@json_option
def whatif_command(source: CatalogSource, change_file: str | None, removals: tuple[str, ...],
                   removed_edges: tuple[str, ...], added_edges: tuple[str, ...],
                   prices: tuple[str, ...], rule_changes: tuple[str, ...], no_gaps: bool,
                   jobs: int | None, as_json: bool,
                   **thresholds: Any) -> None:
    """Try a change before making it: which cheapest routes and gaps would change.

    Changes apply in order: the change file, then removals, then new edges, then prices,
    then rules.

    \b
    Example:
        pathways what-if --add-edge MC-SQL5:CERT-ITE4:10 --price MC-CLOUD4=700
    """
    from pathways.whatif import (
        Change,
        parse_edge,
        parse_price,
        parse_rules,
        read_change_file,
        what_if,
    )

    changes: list[Change] = []
    if change_file:
        changes += read_change_file(change_file)
    changes += [Change.remove(cid, f"--remove {cid}") for cid in removals]
    changes += [_parsed(parse_edge, text, "--remove-edge", remove=True)
                for text in removed_edges]
    changes += [_parsed(parse_edge, text, "--add-edge") for text in added_edges]
    changes += [_parsed(parse_price, text, "--price") for text in prices]
    changes += [_parsed(parse_rules, text, "--rules") for text in rule_changes]
    if not changes:
        raise click.UsageError("give at least one change: --add-edge, --remove-edge, "
                               "--remove, --price or --changes FILE")
    catalog = source.load()
    report = what_if(catalog, changes, gap_options_from(thresholds), gaps=not no_gaps,
                     progress=progress_reporter(not as_json),
                     workers=workers_for(jobs))
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.to_text(), nl=False)


def _parsed(parse: Callable[..., Any], text: str, hint: str, **kw: Any) -> Any:
    """A change parsed from an option's value; a malformed value is a usage error."""
    from pathways.errors import CatalogError

    try:
        return parse(text, origin=f"{hint} {text}", **kw)
    except CatalogError as exc:
        raise click.BadParameter(exc.problems[0].message, param_hint=hint) from None
