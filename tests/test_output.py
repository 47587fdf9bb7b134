"""pathways.output: the one writer (regular files only, through symlinks, atomic, umask)."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from pathways.output import OutputError, check_output, open_output, write_output, write_with

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_text_and_bytes_land_as_utf8(tmp_path: Path) -> None:
    write_output(tmp_path / "a.txt", "wānanga\n")
    write_output(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "a.txt").read_bytes() == "wānanga\n".encode()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.bin"]  # no temporary file left


def test_callback_gets_a_binary_file_object(tmp_path: Path) -> None:
    def draw(f: BinaryIO) -> None:
        f.write(b"<svg/>")
        f.write(b"\n")

    write_with(tmp_path / "m.svg", draw)
    assert (tmp_path / "m.svg").read_bytes() == b"<svg/>\n"
    with open_output(tmp_path / "n.csv") as f:
        f.write(b"id\n")
    assert (tmp_path / "n.csv").read_bytes() == b"id\n"


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_a_new_file_honours_the_umask(tmp_path: Path, umask: None, mask: int,
                                      mode: int) -> None:
    os.umask(mask)
    write_output(tmp_path / "x.txt", "x")
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == mode


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "x.txt"
    out.write_text("old")
    out.chmod(0o640)
    write_output(out, "new")
    assert out.read_text() == "new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_output(link, "new")
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text() == "new"


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "made.txt")
    write_output(link, "x")
    assert link.is_symlink()
    assert (tmp_path / "made.txt").read_text() == "x"


def test_a_device_is_refused_and_left_alone() -> None:
    before = os.stat("/dev/full")
    with pytest.raises(OutputError) as err:
        write_output("/dev/full", "x")
    assert str(err.value) == ("cannot write /dev/full: it is a device, not a regular file; "
                              "give the name of a file to write")
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    with pytest.raises(OutputError, match="it is a device"):
        check_output("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to("/dev/full")
    with pytest.raises(OutputError, match=f"cannot write {link}: it is a device"):
        write_output(link, "x")
    assert link.is_symlink()


def test_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"it is a FIFO \(named pipe\), not a regular file"):
        write_output(fifo, "x")  # refused before opening: no hang waiting for a reader
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder, not a regular file"):
        write_output(tmp_path, "x")
    assert tmp_path.is_dir()


def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ro.txt"
    out.write_text("keep")
    out.chmod(0o444)  # refused even as root, who could write it
    with pytest.raises(OutputError, match="the file is read-only; make it writable"):
        write_output(out, "x")
    assert out.read_text() == "keep"


def test_a_missing_folder_and_an_empty_name(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as err:
        write_output(tmp_path / "nope" / "x.txt", "x")
    missing = tmp_path / "nope" / "x.txt"
    assert str(err.value) == f"cannot write {missing}: No such file or directory"
    with pytest.raises(OutputError, match="the file name is empty"):
        write_output("", "x")


def test_a_failed_write_keeps_the_old_file_and_names_the_users_path(tmp_path: Path) -> None:
    out = tmp_path / "keep.txt"
    out.write_text("old")

    def full(f: BinaryIO) -> None:
        f.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError) as err:
        write_with(out, full)
    assert str(err.value) == f"cannot write {out}: No space left on device"
    assert ".tmp" not in str(err.value)
    assert out.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["keep.txt"]


def test_an_exception_in_the_callback_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "keep.txt"
    out.write_text("old")

    def broken(f: BinaryIO) -> None:
        f.write(b"half")
        raise ValueError("drawing failed")

    with pytest.raises(ValueError, match="drawing failed"):
        write_with(out, broken)
    assert out.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["keep.txt"]


def test_dash_is_stdout_with_the_same_bytes(tmp_path: Path,
                                            capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    data = "\ufeffid,title\nMC-A,Wānanga\n"
    write_output("-", data)
    write_output(tmp_path / "x.csv", data)
    assert capsysbinary.readouterr().out == (tmp_path / "x.csv").read_bytes()


def test_a_full_stdout_is_a_clean_error() -> None:
    code = "from pathways.output import write_output; write_output('-', 'x' * 100000)"
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-c", code], stdout=full, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              check=False)
    assert proc.returncode == 1
    assert "OutputError: cannot write standard output: No space left on device" in proc.stderr
