"""Text discipline: what a title or id may hold, and text made safe for one line.

Catalog text (ids, titles, names, fields, skills) is valid Unicode without control
characters: no NUL, ESC, BEL, tab or line break, no C1 control, no lone surrogate (which
UTF-8 cannot even encode). :func:`bad_character` says what is wrong with a text;
:func:`one_line` shows any text safely in a message or on a terminal: control
characters, lone surrogates and the bidirectional overrides become visible escapes
(``\\x1b``, ``\\n``, ``\\ud800``), so a message stays one line and a catalog cannot move
the cursor, clear the screen or set a terminal's title.
"""

from __future__ import annotations

import unicodedata

__all__ = ["bad_character", "one_line", "for_terminal", "markdown", "spreadsheet_cell"]

# Bidirectional overrides and isolates: they reorder what a terminal shows (Trojan Source).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x00": "NUL",
          "\x07": "BEL", "\x1b": "ESC", "\x7f": "DEL"}
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI


def bad_character(text: str) -> str | None:
    """None when ``text`` is fit for a catalog, else the first offending character
    described for a message: ``the control character U+001B (ESC)``."""
    if text.isprintable():  # the common case, in C
        return None
    for ch in text:
        category = unicodedata.category(ch)
        code = f"U+{ord(ch):04X}"
        if category == "Cs":
            return f"a lone surrogate {code}, which is not valid Unicode"
        if category == "Cc":
            name = _NAMES.get(ch)
            return f"the control character {code}" + (f" ({name})" if name else "")
        if ch in _BIDI:
            return f"the bidirectional control {code}"
    return None


def one_line(text: str) -> str:
    """``text`` with control characters, lone surrogates and bidirectional controls
    shown as escapes, so it prints as one harmless line."""
    if text.isprintable() or not any(_unsafe(ch) for ch in text):
        return text
    out = []
    for ch in text:
        if not _unsafe(ch):
            out.append(ch)
        elif ch in _SHORT:
            out.append(_SHORT[ch])
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def for_terminal(text: str) -> str:
    """``text`` as :func:`one_line` shows it, but keeping line breaks and tabs: what a
    terminal may be sent (no ESC, OSC, BEL or other control sequences)."""
    if text.isprintable() or not any(_unsafe(ch) for ch in text if ch not in "\n\t"):
        return text
    return "\n".join("\t".join(one_line(part) for part in line.split("\t"))
                     for line in text.split("\n"))


_MARKDOWN = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})


def markdown(text: str) -> str:
    """``text`` for a Markdown table cell or line: the characters Markdown (and the HTML
    it allows) would read as markup are backslash-escaped, so a title cannot break a table
    (``|``), start a heading or a link, or inject a tag; and it stays one line."""
    return one_line(text).translate(_MARKDOWN)


def spreadsheet_cell(text: str) -> str:
    """``text`` safe in a CSV cell a spreadsheet opens: one starting with ``= + - @`` is
    written with a leading ``'`` (shown as text, never run as a formula)."""
    from pathways.formats.csv_format import guard

    return guard(text)
