"""A learner's wallet as the held set: Open Badges 3.0 credentials or a CLR 2.0, matched
to a catalog's credentials.

Each achievement in the wallet (found as :mod:`pathways.standards.openbadges` finds
them: in credentials, CLRs, presentations, a list of any of them) is matched to the
catalog in this order, the first step that finds something deciding:

1. **by id**: its ``id`` is a credential id (``urn:pathways:achievement:ID``, as
   ``pathways export --format ob3`` writes it, stands for ID), or its ``humanCode`` is;
2. **by alignment**: an alignment's ``targetUrl`` is a credential id (or such a URN), or
   — for an alignment to a credential (``targetType`` ``ceterms:Credential`` or ``CTDL``)
   — its ``targetCode`` or the last segment of its ``targetUrl`` (a CTID) is; every
   credential it aligns to is held;
3. **by title**: its ``name`` equals one credential's title, forgiving case and macrons
   (:func:`pathways.filters.fold`); a name that fits several titles matches none.

What matches nothing is listed with the reason, never guessed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pathways.catalog import Catalog
from pathways.filters import fold
from pathways.standards.openbadges import Found, achievement_id, find_achievements
from pathways.standards.report import ImportReport

__all__ = ["WalletMatch", "Wallet", "match_wallet", "held_from_wallet", "wallet_from_bytes",
           "looks_like_wallet"]

_CREDENTIAL_TARGETS = frozenset({"ceterms:Credential", "CTDL"})


@dataclass(frozen=True)
class WalletMatch:
    """One achievement of the wallet: where it is, its id and name, and the catalog
    credentials it matched (``how``: ``id``, ``alignment`` or ``title``) or why none."""

    where: str
    achievement: str | None
    name: str | None
    credentials: tuple[str, ...] = ()
    how: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"where": self.where, "achievement": self.achievement,
                               "name": self.name}
        if self.credentials:
            out |= {"credentials": list(self.credentials), "by": self.how}
        else:
            out["reason"] = self.reason
        return out


@dataclass
class Wallet:
    """What a wallet holds in a catalog's terms: the held ids (first match first, once
    each), every achievement matched, every one not matched."""

    source: str
    held: list[str] = field(default_factory=list)
    matched: list[WalletMatch] = field(default_factory=list)
    unmatched: list[WalletMatch] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.source, "held": list(self.held),
                "matched": [m.to_dict() for m in self.matched],
                "unmatched": [m.to_dict() for m in self.unmatched]}

    def notes(self) -> list[str]:
        """One line for the match, then one for each achievement not matched."""
        from pathways.safetext import one_line

        total = len(self.matched) + len(self.unmatched)
        found = ", ".join(f"{'/'.join(m.credentials)} (by {m.how})" for m in self.matched)
        lines = [f"{self.source}: {len(self.matched)} of {total} achievement"
                 f"{'' if total == 1 else 's'} matched" + (f": {found}" if found else "")]
        for m in self.unmatched:
            label = f"'{m.name}'" if m.name else "an achievement"
            ident = f" ({m.achievement})" if m.achievement else ""
            lines.append(one_line(f"{m.where}: not matched: {label}{ident}: {m.reason}"))
        return lines


def looks_like_wallet(path: str | os.PathLike[str]) -> bool:
    """Whether a ``--have-file`` is JSON (a wallet) rather than a list of ids: by its
    ``.json``/``.jsonld`` name, else by its first character."""
    if str(path).lower().endswith((".json", ".jsonld")):
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


def held_from_wallet(catalog: Catalog, path: str | os.PathLike[str]) -> Wallet:
    """The wallet file ``path`` matched to ``catalog`` (see the module's docstring).

    Raises :class:`~pathways.errors.CatalogError` (one line, naming the file) when the
    file cannot be read, is not JSON, is too large or too deep, or holds no achievement.
    """
    from pathways.standards import load_json

    return _matched_doc(catalog, load_json(path), str(path))


def wallet_from_bytes(catalog: Catalog, data: bytes, name: str) -> Wallet:
    """A wallet's bytes (an upload named ``name``) matched to ``catalog``, refused as
    :func:`held_from_wallet` refuses a file; the caller bounds the size (a file is read
    up to :data:`~pathways.standards.MAX_FILE_BYTES`)."""
    from pathways.standards import parse_json

    return _matched_doc(catalog, parse_json(data, name), name)


def _matched_doc(catalog: Catalog, doc: Any, where: str) -> Wallet:
    from pathways.errors import CatalogError

    wallet = match_wallet(catalog, [(where, doc)])
    if not wallet.matched and not wallet.unmatched:
        raise CatalogError("no Open Badges achievement found (an OpenBadgeCredential, a "
                           "CLR, or a list of them)", where=where)
    return wallet


def match_wallet(catalog: Catalog, docs: list[tuple[str, Any]]) -> Wallet:
    """The achievements of parsed wallet documents (``(path, JSON)`` pairs) matched."""
    walk = find_achievements(docs, ImportReport())
    ids = {c.id for c in catalog.credentials}
    titles: dict[str, list[str]] = {}
    for c in catalog.credentials:
        titles.setdefault(fold(c.title), []).append(c.id)
    wallet = Wallet(", ".join(s for s, _ in docs))
    seen: set[tuple[str | None, str | None]] = set()
    held: set[str] = set()
    for found in walk.achievements:
        match = _match(found, ids, titles)
        key = (match.achievement, match.name)
        if key in seen:
            continue  # a CLR lists an achievement and the credential asserting it
        seen.add(key)
        if match.credentials:
            wallet.matched.append(match)
            wallet.held.extend(c for c in match.credentials if c not in held)
            held.update(match.credentials)
        else:
            wallet.unmatched.append(match)
    return wallet


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _match(found: Found, ids: set[str], titles: dict[str, list[str]]) -> WalletMatch:
    ach = found.achievement
    aid, name = achievement_id(ach.get("id")), _text(ach.get("name"))
    raw_id = _text(ach.get("id"))
    for candidate in (aid, _text(ach.get("humanCode"))):
        if candidate is not None and candidate in ids:
            return WalletMatch(found.where, raw_id, name, (candidate,), "id")
    aligned = _aligned(ach.get("alignment"), ids)
    if aligned:
        return WalletMatch(found.where, raw_id, name, aligned, "alignment")
    if name is not None:
        fits = sorted(titles.get(fold(name), []))
        if len(fits) == 1:
            return WalletMatch(found.where, raw_id, name, (fits[0],), "title")
        if fits:
            return WalletMatch(found.where, raw_id, name, reason=(
                f"its name is the title of {len(fits)} credentials ({', '.join(fits)}); "
                "add the one held by its id"))
    return WalletMatch(found.where, raw_id, name, reason=(
        "no catalog credential has its id, an alignment to it, or its title"))


def _aligned(alignments: Any, ids: set[str]) -> tuple[str, ...]:
    if not isinstance(alignments, list):
        return ()
    hits: set[str] = set()
    for a in alignments:
        if not isinstance(a, dict):
            continue
        url = achievement_id(a.get("targetUrl"))
        candidates = [url]
        if _text(a.get("targetType")) in _CREDENTIAL_TARGETS:
            candidates.append(_text(a.get("targetCode")))
            if url is not None:
                candidates.append(url.rstrip("/").rsplit("/", 1)[-1])
        hits.update(c for c in candidates if c is not None and c in ids)
    return tuple(sorted(hits))
