"""Reading a JSON catalog file as a stream, for catalogs of a million credentials.

:func:`read_json_file` reads the file a block at a time and decodes the items of its
``providers``, ``credentials`` and ``stacking`` lists one by one
(:meth:`json.JSONDecoder.raw_decode` at the item's offset), handing each to the same
per-item functions as :func:`pathways.formats.json_format.parse_json` (so every field,
check and message is the one place's). The decoded tree of the whole document, which
takes several times the catalog's own memory, never exists; neither does the whole text.

The result is the catalog ``parse_json`` gives for the file's text. A document that is not
a pathways catalog (CTDL, Open Badges) is read whole by the reader of its standard. A
file with a JSON syntax error gets the message ``parse_json`` gives (up to
:data:`EXACT_ERRORS_BYTES` the small file is parsed again as a whole for exactly its
wording; a larger one is reported as found, with the decoder's message, line and column).
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path
from typing import IO, Any

from pathways.catalog import Catalog
from pathways.collector import gc_paused
from pathways.errors import CatalogError, DatabaseFileError, Problem
from pathways.formats.json_format import FORMAT_NAME, _object_pairs, _parse_int, _Reader

__all__ = ["read_json_file", "EXACT_ERRORS_BYTES"]

#: Files up to this size with a JSON syntax error are parsed again as a whole, so the
#: message is word for word the one :func:`parse_json` gives.
EXACT_ERRORS_BYTES = 32 * 2**20
_BLOCK = 2**20  # characters read at a time
_RECORD_KEYS = ("providers", "credentials", "stacking")
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder(object_pairs_hook=_object_pairs, parse_int=_parse_int)


class _Syntax(Exception):
    """A JSON syntax error at a line and column of the file."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _Text:
    """The file's text from a position on: a window that is refilled as it is used."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.pos = 0
        self.eof = False
        self.line = 1  # the line of text[0]
        self.column = 0  # characters of that line before text[0]

    def fill(self, least: int = _BLOCK) -> bool:
        """Read at least ``least`` more characters (fewer at the end); False at the end."""
        if self.eof:
            return False
        done = self.text[:self.pos]
        newlines = done.count("\n")
        self.line += newlines
        self.column = len(done) - done.rfind("\n") - 1 if newlines else self.column + len(done)
        parts = [self.text[self.pos:]]
        read = 0
        while read < least:
            data = self.handle.read(max(least - read, _BLOCK))
            chunk = self.decoder.decode(data, final=not data)
            parts.append(chunk)
            read += len(chunk)
            if not data:
                self.eof = True
                break
        self.text = "".join(parts)
        self.pos = 0
        return read > 0 or not self.eof

    def next_char(self) -> str:
        """The next character that is not whitespace (consumed up to it), '' at the end."""
        while True:
            self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def value(self) -> Any:
        """The JSON value at the position (the window grows until it holds all of it)."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as e:
                if self.fill(max(_BLOCK, len(self.text) - self.pos)):
                    continue
                raise self.error(e.msg, e.pos) from None
            except RecursionError:
                raise _Syntax("nested too deeply", 0, 0) from None
            if end == len(self.text) and self.fill():  # a number may go on: 12|3
                continue
            self.pos = end
            return value

    def expect(self, char: str, message: str) -> None:
        if self.next_char() != char:
            raise self.error(message, self.pos)
        self.pos += 1

    def error(self, message: str, pos: int) -> _Syntax:
        before = self.text.count("\n", 0, pos)
        column = pos - self.text.rfind("\n", 0, pos) if before else self.column + pos + 1
        return _Syntax(message, self.line + before, column)


def _records(text: _Text, reader: _Reader, key: str) -> list[Any]:
    """The items of the list at the position, each read as ``reader`` reads ``key``."""
    read = reader.record_reader(key)
    out: list[Any] = []
    text.pos += 1  # the "["
    if text.next_char() == "]":
        text.pos += 1
        return out
    i = 0
    while True:
        if text.next_char() == "":
            raise text.error("Expecting value", text.pos)
        record = read(text.value(), i)
        if record is not None:
            out.append(record)
        i += 1
        char = text.next_char()
        text.pos += 1
        if char == "]":
            return out
        if char != ",":
            raise text.error("Expecting ',' delimiter", text.pos - 1)


def _document(text: _Text, reader: _Reader) -> dict[str, Any]:
    """The top object, its record lists read into ``reader.read_lists`` as they come."""
    text.expect("{", "Expecting value")
    pairs: list[tuple[str, Any]] = []
    if text.next_char() == "}":
        text.pos += 1
    else:
        while True:
            if text.next_char() != '"':
                raise text.error("Expecting property name enclosed in double quotes", text.pos)
            key = text.value()
            text.expect(":", "Expecting ':' delimiter")
            if key in _RECORD_KEYS and text.next_char() == "[":
                problems, reader.problems = reader.problems, []
                try:
                    reader.read_lists[key] = (_records(text, reader, key), reader.problems)
                finally:
                    reader.problems = problems
                pairs.append((key, []))
            else:
                reader.read_lists.pop(key, None)  # a later value of the key is the one
                if text.next_char() == "":
                    raise text.error("Expecting value", text.pos)
                pairs.append((key, text.value()))
            char = text.next_char()
            text.pos += 1
            if char == "}":
                break
            if char != ",":
                raise text.error("Expecting ',' delimiter", text.pos - 1)
    if text.next_char() != "":
        raise text.error("Extra data", text.pos)
    return _object_pairs(pairs)


def read_json_file(path: str | os.PathLike[str], *, framework: str | None = None) -> Catalog:
    """Read a JSON catalog file as :func:`parse_json` reads its text, item by item."""
    source = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as e:
        raise CatalogError(f"cannot read: {e.strerror or e}", where=source) from None
    with handle:
        if handle.read(16) == b"SQLite format 3\x00":
            raise DatabaseFileError(source)
        handle.seek(0)
        text = _Text(handle)
        reader = _Reader(source)
        try:
            if text.next_char() != "{":  # not an object: an error, however it is worded
                return _whole(path, framework)
            with gc_paused():  # a million records, no cycles
                top = _document(text, reader)
        except UnicodeDecodeError:
            return _whole(path, framework)  # the reader of whole files says where
        except _Syntax as e:
            if Path(path).stat().st_size <= EXACT_ERRORS_BYTES:
                return _whole(path, framework)
            where = f"{source}:{e.line}:{e.column}" if e.line else source
            raise CatalogError([Problem(where, f"not valid JSON: {e.message}")]) from None
        except OSError as e:
            raise CatalogError(f"cannot read: {e.strerror or e}", where=source) from None
    if not (top.get("format") == FORMAT_NAME or ("credentials" in top and "@context" not in top
                                               and "@graph" not in top)):
        return _whole(path, framework)  # perhaps a CTDL or Open Badges document
    catalog = reader.catalog(top, framework)
    if reader.problems:
        raise CatalogError(reader.problems)
    catalog.source = source
    return catalog


def _whole(path: str | os.PathLike[str], framework: str | None) -> Catalog:
    """The file read whole, as :func:`pathways.formats.read_catalog` reads a file of any
    format (for the exact error messages of :func:`parse_json`, and for standards)."""
    from pathways.formats import read_whole_file

    return read_whole_file(path, framework)
