"""Where a record was read (``FILE:$.credentials[7]``), held small and written out only
when a message or the store needs the text.

A national catalog has a million credentials and three million stacking edges; their
places as text ("/data/c1m.json:$.stacking[2813707]", about 90 bytes each) took a third
of a gigabyte. A :class:`Place` is the record's number (an ``int``, 44 bytes) whose class
holds the text around it, shared by every record of one list of one file: see
:func:`places`. ``str(place)`` is the text; a place equals its text and hashes like it,
so code comparing a record's ``source`` with a string keeps working.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, ClassVar

__all__ = ["Place", "places", "place_text"]


class Place(int):
    """A record's number in its list, written as ``head + number + tail``."""

    __slots__ = ()
    head: ClassVar[str] = ""
    tail: ClassVar[str] = ""

    def __str__(self) -> str:
        return f"{self.head}{int(self)}{self.tail}"

    def __repr__(self) -> str:
        return repr(str(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __bool__(self) -> bool:  # record 0 is a place like any other
        return True

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str | Place):
            return str(self) == str(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, str | Place):
            return str(self) != str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (worker processes) by its text's parts
        return _place, (self.head, self.tail, int(self))

    def __copy__(self) -> Place:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Place:
        return self


@lru_cache(maxsize=256)
def places(head: str, tail: str = "") -> type[Place]:
    """The :class:`Place` class of the records written ``head + number + tail``, e.g.
    ``places("c.json:$.credentials[", "]")(7)`` is ``c.json:$.credentials[7]``."""
    return type("Place", (Place,), {"__slots__": (), "head": head, "tail": tail})


def _place(head: str, tail: str, number: int) -> Place:
    return places(head, tail)(number)


def place_text(where: str | Place | None) -> str | None:
    """``where`` as text (None stays None)."""
    return where if where is None or isinstance(where, str) else str(where)
