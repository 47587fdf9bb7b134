"""The ``pathways`` command line: a thin layer over the library.

Commands are imported lazily, so ``pathways route`` never pays for matplotlib, and
``pathways --help`` imports no command at all (it lists :data:`SUMMARIES`) and none of
the library: this module imports only click and the standard library at the top.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from pathways.errors import PathwaysError

# name -> "module:attribute"; every module lives in pathways.cli.
COMMANDS = {
    "import": "catalog:import_command",
    "export": "catalog:export_command",
    "validate": "catalog:validate_command",
    "list": "catalog:list_command",
    "show": "catalog:show_command",
    "stats": "catalog:stats_command",
    "route": "route:route_command",
    "plan": "plan:plan_command",
    "gaps": "analysis:gaps_command",
    "what-if": "analysis:whatif_command",
    "metrics": "analysis:metrics_command",
    "draw": "draw:draw_command",
    "timeline": "draw:timeline_command",
    "coverage": "draw:coverage_command",
    "serve": "serve:serve_command",
}

# name -> its help's first sentence, as `pathways --help` lists it without importing the
# command (tests/test_startup.py checks each against the command's own help).
SUMMARIES = {
    "import": "Import a catalog file into a database, all or nothing.",
    "export": "Write the catalog out as JSON or CSV (losslessly), or as Open Badges 3.0.",
    "validate": "Check a catalog against the structural and framework rules.",
    "list": "List credentials, filtered by kind, level, provider, field or text.",
    "show": "Everything about one credential: its fields, what it stacks into and from.",
    "stats": "Counts by kind, level, provider and field, edges and fee per credit.",
    "route": "The exact cheapest route to a qualification, step by step.",
    "plan": "When the learner can start and finish each credential of the best route.",
    "gaps": "Find where pathways break: dead ends, missing on-ramps, shortfalls, stale "
            "credentials…",
    "what-if": "Try a change before making it: which cheapest routes and gaps would change.",
    "metrics": "Structural metrics per credential: blocking, delay, centrality, complexity.",
    "draw": "Draw a pathway map: the whole catalog or part of it, print-ready.",
    "timeline": "Draw the cheapest route to a credential as a timeline (a Gantt chart) in "
                "weeks.",
    "coverage": "Chart how much of each of a provider's qualifications micro-credentials "
                "can cover.",
    "serve": "Serve the web app: catalog search, route planning, gaps, maps, metrics, JSON "
             "API.",
}


class UserError(click.ClickException):
    """A library error shown as ``Error: …`` lines (every problem of a bad catalog), exit 1."""

    def __init__(self, exc: PathwaysError, command: str | None = None) -> None:
        from pathways.errors import UnknownIdError

        super().__init__(phrase(exc))
        self.original = exc
        self.command = command
        if isinstance(exc, UnknownIdError) and exc.what == "provider":
            self.exit_code = 2  # type: ignore[misc]  # as --provider checks say (gaps, list)

    def show(self, file: object = None) -> None:
        from pathways.errors import CatalogError
        from pathways.safetext import one_line

        exc = self.original
        errors = [p for p in getattr(exc, "problems", []) if p.severity == "error"]
        if isinstance(exc, CatalogError) and len(errors) > 1:
            for problem in errors:
                click.echo(f"Error: {problem}", err=True)
            tail = "; nothing was written" if self.command == "import" else ""
            click.echo(f"Error: {len(errors)} errors in all{tail}", err=True)
        else:
            click.echo(f"Error: {one_line(self.message)}", err=True)


def phrase(exc: PathwaysError) -> str:
    """A library error as the CLI says it: the library names its arguments (``db``,
    ``path``), the CLI names its options (``--db``, ``--catalog``) and commands."""
    from pathways.errors import CatalogExistsError, DatabaseFileError, DriverMissingError
    from pathways.source import NoDatabaseError

    if isinstance(exc, NoDatabaseError):
        return (f"{exc.db}: no such database; create it with "
                f"`pathways import FILE --db {exc.db}`")
    if isinstance(exc, DatabaseFileError):
        return (f"{exc.path}: this is a SQLite database, not a catalog file; give it with "
                f"--db {exc.path}")
    if isinstance(exc, CatalogExistsError):
        return (f"{exc.label} already holds {exc.what}; use --replace to replace them "
                "or --merge to add to them")
    if isinstance(exc, DriverMissingError) and exc.backend == "postgresql":
        return f"{exc}: pip install -e '.[postgres]'"
    text = str(exc)
    for library, cli in _AS_OPTIONS():
        text = text.replace(library, cli)
    return text


def _AS_OPTIONS() -> tuple[tuple[str, str], ...]:  # noqa: N802 - a table, built when used
    """The library's words for its arguments and searches, and the CLI's for the same."""
    from pathways.filters import FIND_IDS

    return ((FIND_IDS, "find ids with `pathways list --search TEXT`"),
            ("(save with mode='replace')", "(import --replace)"),
            ("can hold it instead, as a held credential)", "can hold it instead, with --have)"),
            ("validate it (pathways.rules.validate) and fix it",
             "run `pathways validate` and fix it"),
            ("see each credential's skills (Credential.skills)",
             "see the skills with `pathways show ID`"),
            ("nothing to remove (see the catalog's stacking)",
             "nothing to remove (see `pathways show`)"))


class PipeClosed(Exception):  # noqa: N818 - an event, not an error
    """Standard output was closed by its reader (``| head``)."""


class LazyGroup(click.Group):
    """A group whose commands are imported only when used (or listed in --help).

    Library errors (:class:`PathwaysError`) become one-line ``Error:`` messages, exit 1.
    """

    def invoke(self, ctx: click.Context) -> object:
        import warnings

        from pathways.errors import Notice, PathwaysError

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
        except BrokenPipeError:
            # click would turn it into exit 1; `pathways list | head` is no failure.
            raise PipeClosed from None


    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their summaries, as click lists them, without importing one."""
        names = [name for name in sorted(COMMANDS) if _exists(name)]
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        rows = [(name, click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit))
                for name in names]
        from gettext import gettext as _  # as click words it (translated where it is)

        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

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


def _exists(name: str) -> bool:
    """Whether a command's module is there (as :meth:`LazyGroup._load` finds it)."""
    module = COMMANDS[name].split(":")[0]
    if os.path.exists(os.path.join(os.path.dirname(__file__), f"{module}.py")):
        return True
    from importlib.util import find_spec  # no source file: perhaps compiled only

    return find_spec(f"pathways.cli.{module}") is not None


def help_width() -> int | None:
    """The width click's help takes, worked out as click does (its HelpFormatter asks
    ``shutil.get_terminal_size``, whose import costs ~10 ms for bz2 and lzma): $COLUMNS,
    else the terminal's width, else 80; at most 80, less 2, at least 50. None when a
    test runner forces a width (click then uses that)."""
    from click import formatting

    if formatting.FORCED_WIDTH is not None:
        return None
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        stdout = sys.__stdout__
        try:
            columns = (os.get_terminal_size(stdout.fileno()).columns if stdout else 0) or 80
        except (AttributeError, ValueError, OSError):  # not a terminal
            columns = 80
    return max(min(columns, 80) - 2, 50)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pathways", prog_name="pathways")
def cli() -> None:
    """Stacking and pathway graph analyser for micro-credentials and qualifications.

    Every command reads --catalog FILE (JSON, CSV or CurricularAnalytics CSV) or --db
    (a SQLite path or SQLAlchemy URL; default $PATHWAYS_DB); with neither, the bundled
    demo catalog.
    """


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the CLI, turning library errors into one-line messages.

    Exit codes: 0 done, 1 a problem with the input or the machine, 2 a usage mistake,
    130 interrupted (Ctrl-C), 70 an internal error (a bug: please report it).
    """
    try:
        code = _main(argv)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except (BrokenPipeError, PipeClosed):
        # Output piped into `head` and closed early: not an error worth a word.
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class TerminalSafe:
    """Standard output on a terminal: catalog text cannot send control sequences (ESC,
    OSC, BEL clear the screen or retitle the window); they are shown escaped instead.
    Binary writes (``.buffer``) pass as they are."""

    def __init__(self, stream: Any) -> None:
        from pathways.safetext import for_terminal

        self._stream = stream
        self._safe = for_terminal

    def write(self, text: str) -> int:
        self._stream.write(self._safe(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _main(argv: list[str] | None) -> int:
    with contextlib.suppress(AttributeError, ValueError):
        if sys.stdout.isatty() and not isinstance(sys.stdout, TerminalSafe):
            sys.stdout = TerminalSafe(sys.stdout)
    try:
        rv = cli.main(args=argv, prog_name="pathways", standalone_mode=False,
                      terminal_width=help_width())
    except click.exceptions.Abort:
        # click turns Ctrl-C (KeyboardInterrupt) into Abort; no command prompts, so an
        # Abort is always an interruption.
        click.echo("Interrupted.", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (BrokenPipeError, PipeClosed):
        raise
    except MemoryError:
        click.echo("Error: out of memory: the catalog or the question is too large for "
                   "the memory this process may use; try a smaller catalog (or only what "
                   "leads to your target, with --db) or allow more memory", err=True)
        return 1
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


def run() -> None:  # pragma: no cover - console script (tests run it as a process)
    _stop_within_a_second()
    sys.exit(main())


def _stop_within_a_second() -> None:
    """Ctrl-C raises KeyboardInterrupt as usual (exit 130 with "Interrupted."); if the
    process is still running a second later (stuck in a long call), it exits 130 then.

    The signal's number reaches a watching thread through the interpreter's wakeup fd: a
    pipe (a socket pair on Windows, which has no other kind; socket costs an import)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    try:
        reader, writer = _wakeup_pair()
        signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    except (OSError, ValueError):
        return

    def watch(ends: tuple[Any, Any]) -> None:
        started = False  # the pair stays referenced here, so the wakeup fd stays open
        while True:
            data = ends[0].read(64)
            if not data:
                return
            if signal.SIGINT in data and not started:
                timer = threading.Timer(1.0, _exit_interrupted)
                timer.daemon = True  # a process that stops by itself does not wait for it
                timer.start()
                started = True

    threading.Thread(target=watch, args=((reader, writer),), name="pathways-interrupt",
                     daemon=True).start()


def _wakeup_pair() -> tuple[Any, Any]:
    """A reading end (blocking) and a writing end (non-blocking) with ``read``/``fileno``."""
    if os.name == "nt":  # pragma: no cover - set_wakeup_fd takes only a socket there
        import socket

        r, w = socket.socketpair()
        w.setblocking(False)
        return r.makefile("rb", buffering=0), w
    fds = os.pipe()
    os.set_blocking(fds[1], False)
    return os.fdopen(fds[0], "rb", buffering=0), os.fdopen(fds[1], "wb", buffering=0)


def _exit_interrupted() -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write("Interrupted.\n")
        sys.stderr.flush()
    os._exit(130)
