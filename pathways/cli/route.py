"""The route command: the cheapest way to a qualification, its alternatives and trade-offs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pathways.catalog import Catalog, Provider
from pathways.cli.common import (
    CatalogSource,
    FiniteFloat,
    catalog_options,
    echo_json,
    fmt_number,
    id_list,
    json_option,
    progress_reporter,
    render_table,
    truncate,
)
from pathways.errors import NoRouteError
from pathways.vocabulary import DELIVERY_MODES, OBJECTIVES

OBJECTIVE_CHOICES = OBJECTIVES  # the --by choices (tests/test_vocabulary.py ties them)



def _read_have_file(path: str) -> list[str]:
    """Ids from a file, one a line; ``#`` starts a comment."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise click.BadParameter(f"cannot read {path}: {e}", param_hint="--have-file") from None
    ids = []
    for line in text.splitlines():
        cid = line.split("#", 1)[0].strip()
        if cid:
            ids.append(cid)
    return ids


def _load(source: CatalogSource, target: str | None, filters: dict[str, Any],
          held: list[str], named: list[str], providers: tuple[str, ...]) -> Catalog:
    """The catalog, or from a database only what can lead to the target(s), the held ones
    and the ids the options name (so the library can tell an unknown id or provider)."""
    if not source.is_db:
        return source.load()
    if target is not None:
        seeds = [target]
    else:
        seeds = [c.id for c in source.find(kind="qualification", **filters)]
    catalog = source.load_upstream([*seeds, *held, *named])
    loaded = {p.id for p in catalog.providers}
    for pid in sorted(set(providers) - loaded):
        if source.find(provider=pid):
            catalog.providers.append(Provider(pid))
    return catalog


def _route_lines(route: Any, scheduled: bool) -> list[str]:
    name = f"{route.target} ({route.target_title})"
    if route.target.startswith("skills:"):
        name = f"the skills {route.target.removeprefix('skills:').replace(',', ', ')}"
    head = (f"Route to {name} by {route.objective}: "
            f"{fmt_number(route.fee, money=True)}, {fmt_number(route.hours)} hours, "
            f"{route.credits_studied} credits to study, {len(route.steps)} credential"
            f"{'' if len(route.steps) == 1 else 's'} to achieve")
    headers = ["#", "id", "title", "recognised", "study", "fee", "hours", "running fee"]
    align = "rllrrrrr"
    if scheduled:
        headers.append("weeks")
        align += "l"
    headers.append("reason")
    align += "l"
    rows = []
    for i, s in enumerate(route.steps, 1):
        row: list[object] = [i, s.id, truncate(s.title, 36), s.credits_recognised,
                             s.credits_studied, fmt_number(s.fee, money=True),
                             fmt_number(s.hours), fmt_number(s.running_fee, money=True)]
        if scheduled:
            row.append(f"{fmt_number(s.start_week)}–{fmt_number(s.end_week)}")
        row.append(s.reason)
        rows.append(row)
    lines = [head, "", render_table(headers, rows, align=align[: len(headers)])]
    if route.held_counted:
        counted = ", ".join(f"{h} → {into} ({n} credits)" for h, into, n in route.held_counted)
        lines += ["", f"Held and counted: {counted}"]
    return lines


def _rpl_grants(items: tuple[str, ...]) -> dict[str, float]:
    """``--rpl MC-X=5`` (repeatable, or ``A=5,B=2.5``) -> {"MC-X": 5}."""
    grants: dict[str, float] = {}
    for item in (part.strip() for raw in items for part in raw.split(",")):
        if not item:
            continue
        cid, eq, amount = item.rpartition("=")
        cid, amount = cid.strip(), amount.strip()
        try:
            credits = float(amount)
        except ValueError:
            credits = float("nan")
        if not eq or not cid or credits != credits or credits in (float("inf"), -float("inf")):
            raise click.BadParameter(f"'{item}' is not ID=CREDITS (e.g. MC-CLOUD4=5)",
                                     param_hint="--rpl")
        if cid in grants:
            raise click.BadParameter(f"{cid} is given twice", param_hint="--rpl")
        grants[cid] = int(credits) if credits.is_integer() else credits
    return grants


@click.command("route")
@catalog_options
@click.option("--to", "target", metavar="ID", help="The qualification (or credential) to reach.")
@click.option("--field", help="Or any qualification in this field (ignores case).")
@click.option("--type", "qtype", metavar="TYPE", help="…of this type (certificate, diploma…).")
@click.option("--min-level", type=int, metavar="N", help="…at this NZQF level or above.")
@click.option("--provider", metavar="ID", help="…offered by this provider.")
@click.option("--min-credits", type=click.IntRange(min=0), default=40, show_default=True,
              help="…of at least this many credits.")
@click.option("--max-credits", type=click.IntRange(min=0), default=360, show_default=True,
              help="…of at most this many credits.")
@click.option("--have", "--held", "have", multiple=True, callback=id_list, metavar="ID",
              help="A credential held already (repeat, or A,B, for more).")
@click.option("--have-file", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Held credentials: one id a line (# comments), or a learner's wallet "
                   "(Open Badges 3.0 credentials or a CLR 2.0, JSON) matched to the catalog.")
@click.option("--rpl", multiple=True, metavar="ID=CREDITS",
              help="Recognition of prior learning: CREDITS of ID granted (repeat for more).")
@click.option("--skills", metavar="A,B", help="Instead of --to: the cheapest credentials "
              "covering these skills (with the held ones').")
@click.option("--by", type=click.Choice(OBJECTIVES), default="fee", show_default=True,
              help="What to minimise: fee, hours, or credits to study.")
@click.option("--budget", type=FiniteFloat(min=0), metavar="NZD",
              help="Most the route may cost.")
@click.option("--max-hours", type=FiniteFloat(min=0), metavar="N",
              help="Most hours the route may take.")
@click.option("--exclude", multiple=True, callback=id_list, metavar="ID",
              help="Never take this credential (repeat, or A,B, for more).")
@click.option("--only", multiple=True, callback=id_list, metavar="ID",
              help="Take only these credentials besides the target (repeat, or A,B).")
@click.option("--exclude-provider", multiple=True, metavar="ID",
              help="Never take this provider's credentials.")
@click.option("--only-provider", multiple=True, metavar="ID",
              help="Take only these providers' credentials (repeat for more).")
@click.option("--delivery", multiple=True, type=click.Choice(DELIVERY_MODES),
              help="Take only credentials offered in one of these modes.")
@click.option("--alternatives", type=click.IntRange(min=1), metavar="K",
              help="Show the K best routes with different credentials.")
@click.option("--pareto", is_flag=True, help="Show every fee/hours trade-off worth having.")
@click.option("--hours-per-week", type=FiniteFloat(min=0, min_open=True), metavar="N",
              help="Schedule the steps one after another at N hours a week.")
@click.option("--time-limit", type=FiniteFloat(min=0, min_open=True), default=60.0,
              show_default=True, metavar="SECONDS",
              help="Stop searching after this long (showing what was found so far).")
@click.option("--ctdl", "ctdl_file", metavar="FILE",
              help="Also write the route as a CTDL Pathway (JSON-LD) to FILE (- for "
                   "standard output): from what is held to the target.")
@json_option
def route_command(source: CatalogSource, target: str | None, field: str | None,
                  qtype: str | None, min_level: int | None, provider: str | None,
                  min_credits: int, max_credits: int, have: list[str],
                  have_file: str | None, rpl: tuple[str, ...], skills: str | None, by: str,
                  budget: float | None, max_hours: float | None,
                  exclude: list[str], only: list[str], exclude_provider: tuple[str, ...],
                  only_provider: tuple[str, ...], delivery: tuple[str, ...],
                  alternatives: int | None, pareto: bool, hours_per_week: float | None,
                  time_limit: float, ctdl_file: str | None, as_json: bool) -> None:
    """The exact cheapest route to a qualification, step by step.

    Credits are counted once, within recognition caps and level profiles; held
    credentials cost nothing and may count. Give --to ID, or filter options to take the
    cheapest of every matching qualification.

    \b
    Example:
        pathways route --to DIP-ITS5 --have MC-CLOUD4 --by hours --alternatives 3
    """
    from pathways.routes import (
        Constraints,
        RouteTimeLimit,
        TargetFilter,
        find_route,
        find_routes,
        pareto_routes,
        with_schedule,
    )

    _check_choice(target, (field, qtype, min_level, provider), alternatives, pareto, by,
                  skills)
    held, wallet = _held(source, have, have_file)
    filters: dict[str, Any] = {"field": field, "type": qtype, "min_level": min_level,
                               "provider": provider, "min_credits": min_credits,
                               "max_credits": max_credits}
    goal: str | TargetFilter = target if target is not None else TargetFilter(
        field=field, type=qtype, min_level=min_level, provider=provider,
        min_credits=min_credits, max_credits=max_credits)
    constraints = Constraints(
        budget=budget, max_hours=max_hours, exclude=frozenset(exclude),
        exclude_providers=frozenset(exclude_provider),
        providers=frozenset(only_provider) if only_provider else None,
        delivery=frozenset(delivery) if delivery else None,
        allowed=frozenset(only) if only else None)

    grants = _rpl_grants(rpl)
    if skills is not None:
        catalog = source.load()
    else:
        catalog = _load(source, target, filters, [*held, *grants], [*exclude, *only],
                        (*exclude_provider, *only_provider))
    many = pareto or alternatives is not None
    progress = _progress(not as_json)
    try:
        if skills is not None:
            from pathways.routes import find_skills_route

            routes = [find_skills_route(catalog, [skills], held=held, by=by,
                                        constraints=constraints, rpl=grants,
                                        time_limit=time_limit)]
        elif pareto:
            routes = pareto_routes(catalog, goal, held=held, constraints=constraints,
                                   time_limit=time_limit, rpl=grants,
                                   progress=progress)
        elif alternatives is not None:
            routes = find_routes(catalog, goal, k=alternatives, held=held, by=by,
                                 constraints=constraints, time_limit=time_limit, rpl=grants,
                                 progress=progress)
        else:
            routes = [find_route(catalog, goal, held=held, by=by, constraints=constraints,
                                 time_limit=time_limit, rpl=grants)]
    except RouteTimeLimit as e:  # the best found so far, said as such (or an error)
        _end_line(progress)
        if not e.routes:
            raise
        routes = e.routes
        click.echo(f"Warning: {e}", err=True)
    except NoRouteError as e:
        _end_line(progress)
        if as_json:
            echo_json({"feasible": False, "target": target if skills is None else
                       f"skills:{skills}", "reason": str(e)} | _wallet_json(wallet))
            click.get_current_context().exit(1)
        raise
    _end_line(progress)
    if hours_per_week is not None:
        routes = [with_schedule(r, hours_per_week) for r in routes]
    matched = goal.describe() if isinstance(goal, TargetFilter) and skills is None else None
    if ctdl_file is not None:
        _write_ctdl(routes[0], catalog, ctdl_file)
    if ctdl_file == "-":
        return
    _show(routes, matched, many, pareto, hours_per_week is not None, as_json,
          _wallet_json(wallet))


def _write_ctdl(route: Any, catalog: Any, path: str) -> None:
    """The route as a CTDL Pathway, written atomically (or to standard output)."""
    import json

    from pathways.output import OutputError, write_output
    from pathways.standards.ctdl_writer import route_document

    if route.target not in catalog:
        raise click.UsageError("--ctdl writes a route to a credential; a skills route has "
                               "no destination component")
    text = json.dumps(route_document(route, catalog), indent=2, ensure_ascii=False) + "\n"
    try:
        write_output(path, text.encode("utf-8"))
    except OutputError as e:
        raise click.ClickException(f"{e.path}: cannot write: {e.reason}") from None


def _held(source: CatalogSource, have: list[str], have_file: str | None
          ) -> tuple[list[str], Any]:
    """The held ids (--have, then --have-file's) and the wallet they came from, if any."""
    if have_file is None:
        return list(have), None
    wallet = _read_wallet(source, have_file)
    more = wallet.held if wallet is not None else _read_have_file(have_file)
    return [*have, *more], wallet


def _read_wallet(source: CatalogSource, path: str) -> Any:
    """A --have-file that is a wallet (JSON), matched to the catalog, its notes on
    standard error; None for a file of ids. A database is matched whole (titles)."""
    from pathways.standards.wallet import held_from_wallet, looks_like_wallet

    if not looks_like_wallet(path):
        return None
    wallet = held_from_wallet(source.read() if source.is_db else source.load(), path)
    for line in wallet.notes():
        click.echo(line, err=True)
    return wallet


def _wallet_json(wallet: Any) -> dict[str, Any]:
    return {"wallet": wallet.to_dict()} if wallet is not None else {}


def _check_choice(target: str | None, filters: tuple[object, ...], alternatives: int | None,
                  pareto: bool, by: str, skills: str | None = None) -> None:
    """A target, filters or skills (one of them), and one kind of answer."""
    filtering = any(x is not None for x in filters)
    if skills is not None and (target is not None or filtering):
        raise click.UsageError("give --skills or --to ID (or filter options), not both")
    if skills is not None and (alternatives is not None or pareto):
        raise click.UsageError("--skills finds the cheapest route only; drop --alternatives "
                               "and --pareto")
    if target is None and not filtering and skills is None:
        raise click.UsageError("give --to ID, or a filter: --field, --type, --min-level or "
                               "--provider")
    if target is not None and filtering:
        raise click.UsageError("give --to ID or filter options (--field, --type, --min-level, "
                               "--provider), not both")
    if alternatives is not None and pareto:
        raise click.UsageError("give --alternatives or --pareto, not both")
    by_given = click.get_current_context().get_parameter_source("by")
    if pareto and by_given is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--pareto shows every fee/hours trade-off, so it takes no --by; "
                               "drop --by, or drop --pareto for the best route by "
                               f"{by}")


def _show(routes: list[Any], matched: str | None, many: bool, pareto: bool, scheduled: bool,
          as_json: bool, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        dicts = [r.to_dict() | ({"filter": matched} if matched else {}) for r in routes]
        echo_json(({"routes": dicts} if many else dicts[0]) | (extra or {}))
        return
    if matched:
        click.echo(f"Cheapest over the qualifications matching {matched}:")
    for i, r in enumerate(routes):
        if len(routes) > 1 or many:
            if i:
                click.echo("")
            click.echo(f"{'Trade-off' if pareto else 'Route'} {i + 1} of {len(routes)}")
        click.echo("\n".join(_route_lines(r, scheduled)))


class _Progress:
    """A progress line for a search of several routes (on a terminal only), ended once."""

    def __init__(self, report: Callable[[str, int, int], None]) -> None:
        self.report = report
        self.open = False

    def __call__(self, label: str, done: int, total: int) -> None:
        self.report(label, done, total)
        self.open = total <= 0 or done < total


def _progress(enabled: bool) -> _Progress | None:
    report = progress_reporter(enabled)
    return _Progress(report) if report is not None else None


def _end_line(progress: _Progress | None) -> None:
    if progress is not None and progress.open:
        click.echo("", err=True)
        progress.open = False
