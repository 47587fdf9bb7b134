"""THE credential filter, text folding and "did you mean" for unknown ids.

Every command and module that narrows credentials (``list``, the database's search,
route target filters, gap and drawing scopes) uses :class:`CredentialFilter`, so "field",
"provider" or "text" mean the same everywhere:

- kind, type and provider compare exactly (they are ids and closed words);
- field compares whole, forgiving of case and macrons ("maori" is "Māori");
- text is found inside the id, the title or any skill, forgiving of case and macrons
  ("wananga" finds "Te Wānanga o Aotearoa").

:func:`fold` is the one folding rule (casefold, then drop combining marks after NFKD).
:func:`did_you_mean` proposes a known id for an unknown one: first one that differs only
in case or macrons, else the closest spelling.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pathways.catalog import Credential

__all__ = ["FIND_IDS", "fold", "CredentialFilter", "contains_text", "did_you_mean",
           "unknown_message"]


# The hint after an unknown id. The library names its own search; the CLI phrases it as
# its command (`pathways list --search TEXT`).
FIND_IDS = "find ids with a text search of the catalog (pathways.filters.CredentialFilter)"


def fold(text: str) -> str:
    """``text`` for comparing: case folded, accents and macrons removed ("Wānanga" → "wananga")."""
    if text.isascii():
        return text.casefold()
    # NFKD both sides of casefold: compatibility forms may decompose to capitals ("㎴")
    # and folding may produce composed letters; after this, folding again changes nothing.
    decomposed = unicodedata.normalize(
        "NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class CredentialFilter:
    """Which credentials to keep; every field given must match (None: any).

    ``level`` is an exact level; ``min_level``/``max_level`` and ``min_credits``/
    ``max_credits`` are inclusive bounds (a credential without a level matches no level
    condition). ``ids`` keeps only those ids.
    """

    kind: str | None = None
    type: str | None = None
    provider: str | None = None
    field: str | None = None
    text: str | None = None
    level: int | None = None
    min_level: int | None = None
    max_level: int | None = None
    min_credits: int | None = None
    max_credits: int | None = None
    ids: frozenset[str] | None = None

    def matches(self, c: Credential) -> bool:
        """True when ``c`` passes every condition given."""
        if self.ids is not None and c.id not in self.ids:
            return False
        if not self._matches_words(c):
            return False
        if not self._matches_numbers(c):
            return False
        if self.field is not None and fold(c.field or "") != fold(self.field):
            return False
        return self.text is None or contains_text(c, self.text)

    def _matches_words(self, c: Credential) -> bool:
        return ((self.kind is None or c.kind == self.kind)
                and (self.type is None or c.type == self.type)
                and (self.provider is None or c.provider == self.provider))

    def _matches_numbers(self, c: Credential) -> bool:
        if self.level is not None or self.min_level is not None or self.max_level is not None:
            if c.level is None:
                return False
            if self.level is not None and c.level != self.level:
                return False
            if self.min_level is not None and c.level < self.min_level:
                return False
            if self.max_level is not None and c.level > self.max_level:
                return False
        if self.min_credits is not None and c.credits < self.min_credits:
            return False
        return self.max_credits is None or c.credits <= self.max_credits

    def select(self, credentials: Iterable[Credential]) -> list[Credential]:
        """The credentials that match, sorted by id."""
        return sorted((c for c in credentials if self.matches(c)), key=lambda c: c.id)


def contains_text(c: Credential, text: str) -> bool:
    """True when ``text`` (folded) is inside ``c``'s id, title or one of its skills."""
    needle = fold(text)
    return any(needle in fold(s) for s in (c.id, c.title, *c.skills))


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The known name ``name`` was probably meant to be, or None.

    A name equal after :func:`fold` (a case or macron difference: "mc-pydata5",
    "wananga") wins; else the closest spelling by :mod:`difflib` (ratio ≥ 0.75), ties
    broken by the smallest id.
    """
    folded: dict[str, list[str]] = {}
    for k in known:
        folded.setdefault(fold(k), []).append(k)
    same = folded.get(fold(name))
    if same:
        return min(same)
    close = difflib.get_close_matches(fold(name), list(folded), n=1, cutoff=0.75)
    return min(folded[close[0]]) if close else None


def unknown_message(what: str, name: str, known: Iterable[str] | Mapping[str, object],
                    hint: str = "") -> str:
    """``unknown credential 'mc-pydata5' (did you mean 'MC-PYDATA5'?)``, else with ``hint``.

    ``hint`` (e.g. :data:`FIND_IDS`) follows after "; " when
    nothing close is known.
    """
    guess = did_you_mean(name, known)
    if guess is not None:
        return f"unknown {what} '{name}' (did you mean '{guess}'?)"
    return f"unknown {what} '{name}'" + (f"; {hint}" if hint else "")
