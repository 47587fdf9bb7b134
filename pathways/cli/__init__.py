"""The ``pathways`` command line: a thin layer over the library.

Commands are imported lazily, so ``pathways route`` never pays for matplotlib.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from pathways.errors import CatalogError, PathwaysError

# name -> "module:attribute"; every module lives in pathways.cli.
COMMANDS = {
    "import": "catalog:import_command",
    "export": "catalog:export_command",
    "validate": "catalog:validate_command",
    "list": "catalog:list_command",
    "show": "catalog:show_command",
    "stats": "catalog:stats_command",
    "route": "route:route_command",
    "gaps": "analysis:gaps_command",
    "what-if": "analysis:whatif_command",
    "metrics": "analysis:metrics_command",
    "draw": "draw:draw_command",
    "timeline": "draw:timeline_command",
    "coverage": "draw:coverage_command",
    "serve": "serve:serve_command",
}


class UserError(click.ClickException):
    """A library error shown as ``Error: …`` lines (every problem of a bad catalog), exit 1."""

    def __init__(self, exc: PathwaysError, command: str | None = None) -> None:
        super().__init__(phrase(exc))
        self.original = exc
        self.command = command

    def show(self, file: object = None) -> None:
        exc = self.original
        errors = [p for p in getattr(exc, "problems", []) if p.severity == "error"]
        if isinstance(exc, CatalogError) and len(errors) > 1:
            for problem in errors:
                click.echo(f"Error: {problem}", err=True)
            tail = "; nothing was written" if self.command == "import" else ""
            click.echo(f"Error: {len(errors)} errors in all{tail}", err=True)
        else:
            click.echo(f"Error: {self.message}", err=True)


def phrase(exc: PathwaysError) -> str:
    """A library error as the CLI says it: the library names its arguments (``db``,
    ``path``), the CLI names its options (``--db``, ``--catalog``) and commands."""
    from pathways.source import NoDatabaseError

    if isinstance(exc, NoDatabaseError):
        return (f"{exc.db}: no such database; create it with "
                f"`pathways import FILE --db {exc.db}`")
    return str(exc)


class LazyGroup(click.Group):
    """A group whose commands are imported only when used (or listed in --help).

    Library errors (:class:`PathwaysError`) become one-line ``Error:`` messages, exit 1.
    """

    def invoke(self, ctx: click.Context) -> object:
        import warnings

        from pathways.errors import Notice

        shown = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *args: Any,
                 **kwargs: Any) -> None:
            if issubclass(category, Notice):  # the library's notices: one plain line
                click.echo(f"warning: {message}", err=True)
            else:
                shown(message, category, *args, **kwargs)

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", Notice)
                warnings.showwarning = show
                return super().invoke(ctx)
        except PathwaysError as exc:
            raise UserError(exc, ctx.invoked_subcommand) from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._load(name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(f"pathways.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"pathways.cli.{module_name}":
                return None
            raise
        command = getattr(module, attr, None)
        return command if isinstance(command, click.Command) else None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pathways", prog_name="pathways")
def cli() -> None:
    """Stacking and pathway graph analyser for micro-credentials and qualifications.

    Every command reads --catalog FILE (JSON, CSV or CurricularAnalytics CSV) or --db
    (a SQLite path or SQLAlchemy URL; default $PATHWAYS_DB); with neither, the bundled
    demo catalog.
    """


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the CLI, turning library errors into one-line messages."""
    try:
        rv = cli.main(args=argv, prog_name="pathways", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        sys.stderr.close()
        return 0
    except OSError as exc:
        # The machine's trouble, not ours: a full disk, a vanished folder, no permission.
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception as exc:
        if os.environ.get("PATHWAYS_DEBUG"):
            raise
        click.echo(
            f"Error: internal error ({type(exc).__name__}: {exc}); "
            "please report it (set PATHWAYS_DEBUG=1 for details)",
            err=True,
        )
        return 70
    # With standalone_mode off, click returns ctx.exit()'s code instead of exiting.
    return rv if isinstance(rv, int) else 0


def run() -> None:  # pragma: no cover - console script
    sys.exit(main())
