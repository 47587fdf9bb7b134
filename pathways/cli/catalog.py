"""Catalog commands: import, export, validate, list, show, stats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from pathways.catalog import Catalog, Credential
from pathways.cli.common import (
    CatalogSource,
    catalog_options,
    echo_json,
    fmt_number,
    iso_date,
    json_option,
    render_table,
    truncate,
)
from pathways.errors import PathwaysError, Problem, UnknownIdError
from pathways.numbers import counted
from pathways.vocabulary import CATALOG_FORMATS, FRAMEWORKS, KINDS


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False),
                metavar="FILE...")
@click.option("--db", metavar="URL", envvar="PATHWAYS_DB",
              help="Database to write: a SQLite file path or SQLAlchemy URL [env: PATHWAYS_DB].")
@click.option("--replace", is_flag=True,
              help="Replace everything the database holds with this catalog.")
@click.option("--merge", is_flag=True,
              help="Add to the database; credentials with the same id are replaced.")
@click.option("--allow-empty", is_flag=True,
              help="Let --replace empty the database with a file of no credentials.")
@click.option("--framework", type=click.Choice(FRAMEWORKS),
              help="Framework of a CSV catalog (default nzqf).")
@json_option
def import_command(files: tuple[str, ...], db: str | None, replace: bool, merge: bool,
                   allow_empty: bool, framework: str | None, as_json: bool) -> None:
    """Import a catalog file into a database, all or nothing.

    The whole file is validated first; with any error nothing is written. An empty
    database takes the file as it is; a non-empty one needs --replace or --merge.
    CTDL, Open Badges 3.0 and CLR 2.0 files are detected and mapped, several read as one
    graph; what the mapping assumed and dropped is printed (one warning a line).

    \b
    Example:
        pathways import graphs/demo.json --db catalog.db
        pathways import pathway.json courses.json --db catalog.db
    """
    from pathways import store
    from pathways.rules import check

    if db is None:
        raise click.UsageError("import needs --db URL (or PATHWAYS_DB) to write into")
    if replace and merge:
        raise click.UsageError("give --replace or --merge, not both")
    mode = "replace" if replace else "merge" if merge else None
    catalog, report = _read_import(files, framework)
    file = " + ".join(files)
    engine = store.connect(db)
    if mode == "replace" and not catalog.credentials and not allow_empty \
            and not store.is_empty(engine):
        raise PathwaysError(f"{file} holds no credentials: replacing would empty {db}; "
                            "nothing was written (give --allow-empty to empty it)")
    if mode == "merge":
        # Checked inside the write transaction, on what is stored at that moment: two
        # merges at once cannot each pass and together store a cycle.
        warnings: list[Problem] = []
        counts = store.save_catalog(engine, catalog, mode=mode,
                                    validate=lambda merged: warnings.extend(check(merged)))
    else:
        warnings = check(catalog)
        counts = store.save_catalog(engine, catalog, mode=mode or "new")
    if report is not None:  # the mapping's warnings are the report's, said once
        warnings = [w for w in warnings if w not in report.warnings]
    if as_json:
        data = {"imported": file, "db": db, "mode": mode or "new", "counts": counts,
                "warnings": [str(w) for w in warnings]}
        if report is not None:
            data["report"] = report.to_dict()
        echo_json(data)
        return
    if report is not None:
        for line in report.short_lines():  # a warning said 30 times: one line
            click.echo(line, err=True)
        click.echo(report.summary(), err=True)
    for w in warnings:
        click.echo(str(w), err=True)
    summary = (f"{counted(len(catalog), 'credential')}, "
               f"{counted(len(catalog.providers), 'provider')}, "
               f"{counted(len(catalog.stacking), 'stacking edge')}")
    note = f" ({len(warnings)} warning(s))" if warnings else ""
    if mode == "replace":
        click.echo(f"Replaced the catalog in {db} with {file}: {summary}{note}")
    else:
        verb = "Merged" if mode == "merge" else "Imported"
        click.echo(f"{verb} {file} into {db}: {summary}{note}")


def _read_import(files: tuple[str, ...], framework: str | None) -> tuple[Catalog, Any]:
    """The catalog of the files, and the import report when they are standard files."""
    from dataclasses import replace

    from pathways.formats import detect_format, read_catalog
    from pathways.standards import MAX_FILE_BYTES, READERS, read_standard, sniff_file

    def may_be_standard(path: str) -> bool:
        """A standard file is at most MAX_FILE_BYTES (load_json reads no more); a larger
        JSON file is a catalog, read item by item by read_catalog."""
        try:
            return Path(path).stat().st_size <= MAX_FILE_BYTES
        except OSError:
            return True  # the reader says what is wrong

    standard = [f for f in files if detect_format(f) == "json" and may_be_standard(f)
                and sniff_file(f) in READERS]
    if not standard:
        if len(files) > 1:
            raise PathwaysError("several files are read as one catalog only when they are "
                                "CTDL, Open Badges 3.0 or CLR 2.0 files; import "
                                f"{files[0]} on its own")
        return read_catalog(files[0], framework=framework), None
    catalog, report = read_standard(list(files))
    if framework is not None:
        catalog = replace(catalog, framework=framework)
    return catalog, report


@click.command("export")
@catalog_options
@click.option("--format", "fmt", type=click.Choice(CATALOG_FORMATS),
              help="Output format (default: from -o's extension, else json).")
@click.option("-o", "--output", metavar="FILE",
              help="Write here instead of standard output (- is standard output).")
def export_command(source: CatalogSource, fmt: str | None, output: str | None) -> None:
    """Write the catalog out as JSON or CSV (losslessly), or as Open Badges 3.0.

    --format ob3 writes an OpenBadgeCredential with an Achievement per credential (what
    OB 3.0 cannot say travels in a "pathways" extension, so it reads back whole).

    \b
    Example:
        pathways export --db catalog.db --format csv -o catalog.csv
        pathways export --format ctdl -o catalog.jsonld
    """
    from pathways.formats import write_catalog
    from pathways.output import is_stdout

    output = output or "-"
    catalog = source.load()
    if fmt is None:
        fmt = "csv" if output.lower().endswith(".csv") else "json"
    if fmt == "ob3":
        from pathways.output import write_output
        from pathways.standards.ob3_writer import dump_ob3

        write_output(output, dump_ob3(catalog))
    else:
        write_catalog(catalog, output, fmt)
    if not is_stdout(output):
        click.echo(f"Wrote {len(catalog)} credentials to {output}", err=True)


@click.command("validate")
@catalog_options
@click.option("--as-of", callback=iso_date, metavar="DATE",
              help="Date to check review dates against (default today).")
@json_option
def validate_command(source: CatalogSource, as_of: dt.date | None, as_json: bool) -> None:
    """Check a catalog against the structural and framework rules.

    Errors exit 1; warnings alone exit 0.

    \b
    Example:
        pathways validate --catalog graphs/demo.csv
    """
    from pathways.rules import validate

    catalog = source.read()
    problems = validate(catalog, today=as_of)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if as_json:
        echo_json({"source": source.label, "valid": not errors,
                   "errors": [_problem(p) for p in errors],
                   "warnings": [_problem(p) for p in warnings]})
    else:
        for p in problems:
            click.echo(str(p))
        verdict = "invalid" if errors else "valid"
        click.echo(f"{source.label}: {verdict}: {len(catalog)} credentials, "
                   f"{len(errors)} error(s), {len(warnings)} warning(s)")
    if errors:
        raise click.exceptions.Exit(1)


def _problem(p: Any) -> dict[str, str]:
    return {"where": p.where, "message": p.message, "severity": p.severity}


@click.command("list")
@catalog_options
@click.option("--kind", type=click.Choice(KINDS), help="Only this kind.")
@click.option("--level", type=click.IntRange(1, 10), help="Only this NZQF level.")
@click.option("--provider", metavar="ID", help="Only this provider's credentials.")
@click.option("--field", "field_", metavar="FIELD", help="Only this field (any case).")
@click.option("--search", "text", metavar="TEXT",
              help="Only credentials whose id, title or skills contain TEXT (any case).")
@json_option
def list_command(source: CatalogSource, kind: str | None, level: int | None,
                 provider: str | None, field_: str | None, text: str | None,
                 as_json: bool) -> None:
    """List credentials, filtered by kind, level, provider, field or text.

    \b
    Example:
        pathways list --kind qualification --field "Information technology"
    """
    from pathways.filters import CredentialFilter, unknown_message
    from pathways.formats import credential_to_dict

    catalog = source.load()
    known = {p.id for p in catalog.providers} | {c.provider for c in catalog if c.provider}
    if provider is not None and provider not in known:
        raise click.BadParameter(unknown_message("provider", provider, sorted(known),
                                                 "known: " + ", ".join(sorted(known))),
                                 param_hint="--provider")
    chosen = CredentialFilter(kind=kind, level=level, provider=provider, field=field_,
                              text=text)
    rows = chosen.select(catalog)
    if as_json:
        echo_json({"count": len(rows), "credentials": [credential_to_dict(c) for c in rows]})
        return
    click.echo(render_table(
        ["id", "kind", "level", "credits", "fee", "provider", "title"],
        [[c.id, c.kind, c.level, c.credits, fmt_number(c.fee, money=True), c.provider or "",
          truncate(c.title, 48)] for c in rows],
        align="llrrrll"))
    click.echo(f"{len(rows)} of {len(catalog)} credentials")


@click.command("show")
@click.argument("credential_id", metavar="ID")
@catalog_options
@json_option
def show_command(credential_id: str, source: CatalogSource, as_json: bool) -> None:
    """Everything about one credential: its fields, what it stacks into and from.

    \b
    Example:
        pathways show DIP-ITS5
    """
    from pathways.formats import credential_to_dict

    catalog = source.load_around(credential_id)  # from a database only that part
    index = catalog.index()
    c = index.get(credential_id)
    if c is None:
        from pathways.filters import did_you_mean

        guess = did_you_mean(credential_id, source.load().index())  # every id
        hint = (f"did you mean '{guess}'?" if guess is not None
                else "find ids with `pathways list --search TEXT`")
        raise UnknownIdError(f"unknown credential '{credential_id}' in {source.label}; {hint}",
                             what="credential", name=credential_id)
    links = _links(catalog, c)
    if as_json:
        echo_json({"credential": credential_to_dict(c), **links})
        return
    providers = catalog.provider_index()
    click.echo(f"{c.id}  {c.title}")
    fields: list[tuple[str, object]] = [
        ("kind", c.kind + (f" ({c.type})" if c.type else "")),
        ("level", c.level), ("credits", c.credits),
        ("provider", _provider_label(c.provider, providers)),
        ("fee", fmt_number(c.fee, money=True)),
        ("hours", fmt_number(c.effective_hours)
         + ("" if c.hours is not None else f" ({c.hours_per_credit:g}/credit)")),
        ("delivery", ", ".join(c.delivery)), ("status", c.effective_status),
        ("review due", c.review_due), ("field", c.field), ("skills", ", ".join(c.skills)),
        ("max recognised", c.max_recognised),
        ("level profile", "; ".join(f"≥ {m} credits at level ≥ {lv}"
                                    for lv, m in c.level_profile)),
        ("core", ", ".join(c.core)),
        ("requires", " and ".join("(" + " or ".join(cl) + ")" if len(cl) > 1 else cl[0]
                                  for cl in c.requires)),
    ]
    for name, value in fields:
        if value not in (None, ""):
            click.echo(f"  {name:<15}{value}")
    for title, key in (("Stacks into", "stacks_into"), ("Stacked from", "stacked_from")):
        items = links[key]
        click.echo(f"{title} ({len(items)}):")
        for e in items:
            other = index[e["id"]]
            click.echo(f"  {e['id']:<14}{e['credits']:>4} credits  {truncate(other.title, 50)}")
    for title, key in (("Required by", "required_by"),):
        if links[key]:
            click.echo(f"{title}: " + ", ".join(links[key]))


def _provider_label(pid: str | None, providers: dict[str, Any]) -> str | None:
    if pid is None:
        return None
    p = providers.get(pid)
    return f"{p.name} ({pid})" if p is not None and p.name else pid


def _links(catalog: Catalog, c: Credential) -> dict[str, Any]:
    return {
        "stacks_into": [{"id": e.target, "credits": e.credits}
                        for e in catalog.stacking_from(c.id)],
        "stacked_from": [{"id": e.source, "credits": e.credits}
                         for e in catalog.stacking_into(c.id)],
        "required_by": sorted(o.id for o in catalog if c.id in o.required_ids),
    }


@click.command("stats")
@catalog_options
@json_option
def stats_command(source: CatalogSource, as_json: bool) -> None:
    """Counts by kind, level, provider and field, edges and fee per credit.

    \b
    Example:
        pathways stats --json
    """
    from pathways.stats import catalog_stats

    stats = catalog_stats(source.load())
    if as_json:
        echo_json(stats)
        return
    click.echo(f"{stats['credentials']} credentials, {stats['providers']} providers, "
               f"{stats['stacking_edges']} stacking edges, "
               f"{stats['requirement_edges']} entry-requirement links")
    for title, key in (("kind", "by_kind"), ("level", "by_level"),
                       ("provider", "by_provider"), ("field", "by_field")):
        click.echo("")
        click.echo(render_table([title, "credentials"], sorted(stats[key].items()), align="lr"))
    click.echo("")
    click.echo(render_table(
        ["kind", "min $/credit", "median $/credit", "max $/credit"],
        [[k, *(fmt_number(v, money=True) for v in (d["min"], d["median"], d["max"]))]
         for k, d in stats["fee_per_credit"].items()], align="lrrr"))
