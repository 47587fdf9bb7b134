"""What an import of a standard's file did: counts of what was mapped, what was assumed,
what was dropped, each warning with the JSON path it is about (``FILE:$.path``).

Readers of CTDL, Open Badges 3.0 and CLR 2.0 fill one :class:`ImportReport`; the CLI prints
its warnings to standard error one a line (or the whole report as data with ``--json``).
A warning never stops an import: what cannot be mapped is dropped and said so; a file that
cannot be read at all raises :class:`pathways.errors.CatalogError` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pathways.errors import Problem

__all__ = ["ImportReport", "ASSUMED", "DROPPED", "SHOWN", "summarise"]

ASSUMED = "assumed"
DROPPED = "dropped"
#: How many places a repeated warning's one line names.
SHOWN = 3


def summarise(problems: list[Problem], first: int = SHOWN) -> list[str]:
    """One line a warning, but a message said more than ``first`` times is one line (at
    its first place in the order): "warning: assumed: creditValue written as a string:
    read as a number (30 times: a.json:$[...], ... and 27 more; --json lists them all)"."""
    by_message: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        by_message.setdefault((p.severity, p.message), []).append(p)
    out: list[str] = []
    for (severity, message), group in by_message.items():
        if len(group) <= first:
            out.extend(str(p) for p in group)
            continue
        from pathways.safetext import one_line

        places = ", ".join(p.where for p in group[:first])
        out.append(one_line(f"{severity}: {message} ({len(group)} times: {places} and "
                            f"{len(group) - first} more; --json lists them all)"))
    return out


@dataclass
class ImportReport:
    """The account of one import (one or several files read as one graph).

    ``standard`` is ``"ctdl"``, ``"ob3"`` or ``"clr"`` (several when files differ);
    ``counts`` maps what was mapped ("credentials", "stacking", "rules", ...) to how many;
    ``assumed`` and ``dropped`` are warnings (:class:`~pathways.errors.Problem` with
    severity ``"warning"``) in the order they were found.
    """

    files: list[str] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    assumed: list[Problem] = field(default_factory=list)
    dropped: list[Problem] = field(default_factory=list)

    def add_file(self, path: str, standard: str) -> None:
        """Record that ``path`` was read as ``standard``."""
        self.files.append(path)
        if standard not in self.standards:
            self.standards.append(standard)

    def count(self, what: str, n: int = 1) -> None:
        """Add ``n`` to the count of ``what`` mapped (a count of 0 is kept, and shown)."""
        self.counts[what] = self.counts.get(what, 0) + n

    def assume(self, where: str, message: str) -> None:
        """Something the file does not say that the import took to be so."""
        self._add(self.assumed, where, f"{ASSUMED}: {message}")

    def drop(self, where: str, message: str) -> None:
        """Something in the file that the import left out, and why."""
        self._add(self.dropped, where, f"{DROPPED}: {message}")

    @staticmethod
    def _add(into: list[Problem], where: str, message: str) -> None:
        problem = Problem(where, message, "warning")
        if problem not in into:  # the same fact about the same place is said once
            into.append(problem)

    @property
    def warnings(self) -> list[Problem]:
        """Every warning: the assumptions, then what was dropped."""
        return [*self.assumed, *self.dropped]

    def lines(self) -> list[str]:
        """The warnings as one-line messages (``FILE:$.path: warning: dropped: …``)."""
        return [str(p) for p in self.warnings]

    def short_lines(self, first: int = SHOWN) -> list[str]:
        """:meth:`lines` with each message said more than ``first`` times as one line:
        the message, how many times, the first ``first`` places (``--json`` has all)."""
        return summarise(self.warnings, first)

    def summary(self) -> str:
        """One line: "read ctdl from a.json, b.json: 25 credentials, 30 stacking, 4 rules;
        3 assumed, 2 dropped"."""
        counts = ", ".join(f"{n} {what[:-1] if n == 1 and what.endswith('s') else what}"
                           for what, n in self.counts.items()) or "nothing"
        return (f"read {'/'.join(self.standards) or 'nothing'} from {', '.join(self.files)}: "
                f"{counts}; {len(self.assumed)} assumed, {len(self.dropped)} dropped")

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (what ``--json`` prints)."""
        def entries(problems: list[Problem], tag: str) -> list[dict[str, str]]:
            return [{"where": p.where, "message": p.message.removeprefix(f"{tag}: ")}
                    for p in problems]

        return {"files": list(self.files), "standards": list(self.standards),
                "mapped": dict(self.counts), "assumed": entries(self.assumed, ASSUMED),
                "dropped": entries(self.dropped, DROPPED)}
