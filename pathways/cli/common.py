"""What every command shares: where the catalog comes from, JSON and table output."""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from pathways.source import DEMO_CATALOG, CatalogSource
from pathways.vocabulary import FRAMEWORKS

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["CatalogSource", "DEMO_CATALOG", "FiniteFloat", "catalog_options", "echo_json",
           "fmt_number", "id_list", "iso_date", "json_option", "progress_reporter",
           "render_table", "truncate"]

def _make_source(catalogs: tuple[str, ...], db: str | None,
                 framework: str | None) -> CatalogSource:
    catalog = catalogs[0] if catalogs else None
    if catalog is not None and db is not None:
        raise click.UsageError("give --catalog FILE or --db URL, not both")
    if db is not None and framework is not None:
        raise click.UsageError("--framework applies to a catalog file; a database keeps the "
                               "framework its catalog was imported with")
    if catalog is None and db is None:
        if not DEMO_CATALOG.is_file():
            raise click.UsageError(
                "no catalog given and the demo catalog is not here (it ships in the "
                "repository's graphs/ folder: install with pip install -e .); "
                "pass --catalog FILE or --db URL")
        # Said once an invocation: the flag lives in the invocation's context, not in a
        # module global (issue 8.5), so every run of ``main`` says it afresh.
        ctx = click.get_current_context(silent=True)
        meta: dict[str, Any] = ctx.meta if ctx is not None else {}
        if not meta.get("pathways.demo_notice_shown"):
            click.echo(
                f"Using the bundled demo catalog ({DEMO_CATALOG.name}); "
                "pass --catalog FILE or --db URL for your own.",
                err=True,
            )
            meta["pathways.demo_notice_shown"] = True
        return CatalogSource(path=str(DEMO_CATALOG), framework=framework)
    return CatalogSource(path=catalog, db=db, framework=framework, more=tuple(catalogs[1:]))


def catalog_options(func: F) -> F:
    """Add --catalog, --db and --framework; the command receives ``source: CatalogSource``."""

    @click.option(
        "--catalog",
        "catalog_paths",
        metavar="FILE",
        multiple=True,
        help="Catalog file: JSON, CSV, CurricularAnalytics CSV, or CTDL / Open Badges 3.0 "
             "/ CLR 2.0 JSON-LD (format detected); repeat it to read several CTDL or "
             "badge files as one graph.",
    )
    @click.option(
        "--db",
        metavar="URL",
        envvar="PATHWAYS_DB",
        help="Catalog database: a SQLite file path or any SQLAlchemy URL [env: PATHWAYS_DB].",
    )
    @click.option(
        "--framework",
        type=click.Choice(FRAMEWORKS),
        help="Framework rules for a catalog file, overriding the file's own (default: "
             "the file's; nzqf for a spreadsheet CSV, generic for a curriculum).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, catalog_paths: tuple[str, ...], db: str | None,
                framework: str | None, **kwargs: Any) -> Any:
        kwargs["source"] = _make_source(catalog_paths, db, framework)
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def json_option(func: F) -> F:
    """Add --json; the command receives ``as_json: bool``."""
    return click.option("--json", "as_json", is_flag=True,
                        help="Print one JSON object instead of a table.")(func)


class FiniteFloat(click.FloatRange):
    """A float range that also refuses nan and infinity (which every comparison passes)."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """Click callback: a YYYY-MM-DD option value as a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def id_list(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    """Click callback: ``--have A --have B`` or ``--have A,B``; ids in order, once each."""
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def echo_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON (UTF-8, keys in the order given)."""
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def fmt_number(value: float | int | None, money: bool = False) -> str:
    """Numbers for tables: whole numbers without decimals, money with thousands separators."""
    if value is None:
        return "–"
    if money:
        return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def render_table(headers: Sequence[str], rows: Iterable[Sequence[object]],
                 align: str | None = None) -> str:
    """A plain-text table; ``align`` has one of ``l``/``r`` per column (default: left)."""
    text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    align = align or "l" * len(headers)

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if a == "r" else c.ljust(w)
                 for c, w, a in zip(cells, widths, align, strict=False)]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(row) for row in text_rows]
    return "\n".join(out)


def truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def progress_reporter(enabled: bool) -> Callable[[str, int, int], None] | None:
    """A progress callback drawing ``label done/total`` on stderr, or None when disabled.

    Enabled only when asked and stderr is a terminal, so pipes and --json stay clean.
    """
    if not enabled or not sys.stderr.isatty() or os.environ.get("PATHWAYS_NO_PROGRESS"):
        return None

    def report(label: str, done: int, total: int) -> None:
        if total <= 0:  # a count with no known end: the caller ends the line
            sys.stderr.write(f"\r{label}: {done}")
        else:
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\r{label}: {done}/{total}{end}")
        sys.stderr.flush()

    return report
