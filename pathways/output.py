"""THE writer every output of pathways goes through (exports, reports, drawings).

One discipline for every ``-o FILE``:

- ``-`` means standard output; the bytes written there are the bytes a file would get.
- Only regular files are written: a folder, a device (``/dev/full``, ``/dev/null``), a
  FIFO or a socket is refused with a one-line :class:`OutputError` before any work.
- A symlink is written *through*: its target gets the new content, the link stays.
- Atomic: the content goes to a temporary file in the target's folder, is flushed and
  fsynced, then renamed over the target. A failed write (a full disk, an exception in
  the drawing code) leaves the old file exactly as it was and no temporary file behind.
- A new file gets the mode the umask allows (``0o666 & ~umask``), an existing file keeps
  its mode; a read-only file is refused, not replaced.
- Errors name the user's path, never the temporary file.

Three ways in, one path out::

    write_output("report.md", text)                  # str (UTF-8) or bytes
    write_with("map.svg", lambda f: fig.savefig(f, format="svg"))   # a callback
    with open_output("big.csv") as f: ...            # a binary file object

:func:`check_output` runs the same checks early, so a long computation is not wasted on
a path that cannot be written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

from pathways.errors import PathwaysError

__all__ = ["STDOUT", "OutputError", "check_output", "is_stdout", "open_output",
           "write_output", "write_with"]

STDOUT = "-"

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


class OutputError(PathwaysError):
    """An output path that cannot be written as asked: ``cannot write PATH: REASON``.

    ``path`` is the path as the caller gave it (never a temporary file), ``reason`` the
    why, for callers that phrase the message their own way."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason


def is_stdout(dest: str | os.PathLike[str]) -> bool:
    """True when ``dest`` means standard output (``-``)."""
    return os.fspath(dest) == STDOUT


def check_output(dest: str | os.PathLike[str]) -> Path | None:
    """The regular file that writing to ``dest`` would replace or create (symlinks
    resolved), or None for standard output. Raises :class:`OutputError` for a path that
    cannot be written: a folder, device, FIFO or socket, a read-only file, a missing
    folder."""
    if is_stdout(dest):
        return None
    shown = os.fspath(dest)
    if not shown:
        raise OutputError("''", "the file name is empty; give a file name, or - for "
                          "standard output")
    target = Path(os.path.realpath(os.path.expanduser(shown)))
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _error(shown, exc) from None
    if st is not None:
        for test, kind in _KINDS:
            if test(st.st_mode):
                raise OutputError(shown, f"it is {kind}, not a regular file; give the "
                                  "name of a file to write")
        if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise OutputError(shown, "the file is read-only; make it writable or "
                              "choose another name")
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(shown, os.strerror(errno.ENOENT))  # the OS's words, as open() says
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(shown, f"no permission to create files in {folder}")
    return target


def write_output(dest: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (``str`` is encoded as UTF-8) to ``dest`` or to standard output."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_with(dest, lambda f: f.write(payload))


def write_with(dest: str | os.PathLike[str], writer: Callable[[BinaryIO], object]) -> None:
    """Call ``writer`` with a binary file object whose content replaces ``dest``
    atomically when ``writer`` returns (or goes to standard output for ``-``). If
    ``writer`` raises, the exception propagates and ``dest`` is left as it was."""
    with open_output(dest) as f:
        writer(f)


@contextlib.contextmanager
def open_output(dest: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file object for ``dest``; its content replaces ``dest`` when the block
    ends without an exception. For ``-``, standard output's byte stream."""
    target = check_output(dest)
    if target is None:
        yield from _stdout()
        return
    import tempfile  # here: reading commands import this module and need none of it

    shown = os.fspath(dest)
    tmp: str | None = None
    try:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
            owner: tuple[int, int] | None = (target.stat().st_uid, target.stat().st_gid)
        except FileNotFoundError:
            mode, owner = 0o666 & ~_umask(), None
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                   suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        if owner is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(tmp, *owner)
        os.replace(tmp, target)
        tmp = None
        _sync_folder(target.parent)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise _error(shown, exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _stdout() -> Iterator[BinaryIO]:
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stream (a test's StringIO): decode on the way
        stream = _TextBridge(sys.stdout)
    else:
        with contextlib.suppress(AttributeError, ValueError, OSError):
            sys.stdout.flush()  # text already echoed comes first
    try:
        yield cast(BinaryIO, stream)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _error("standard output", exc) from None


class _TextBridge:
    """A binary write() over a text stream (UTF-8)."""

    def __init__(self, text: object) -> None:
        self.text = text

    def write(self, data: bytes) -> int:
        self.text.write(bytes(data).decode("utf-8"))  # type: ignore[attr-defined]
        return len(data)

    def flush(self) -> None:
        with contextlib.suppress(AttributeError):
            self.text.flush()  # type: ignore[attr-defined]


def _error(shown: str, exc: OSError) -> OutputError:
    return OutputError(shown, exc.strerror or str(exc))


def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename survives a crash (where the system allows)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
