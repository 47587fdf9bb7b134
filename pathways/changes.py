"""Changes to a catalog, for a what-if (:mod:`pathways.whatif`): a :class:`Change` adds,
removes or re-prices a credential, adds or removes a stacking edge, adds a provider or
sets a credential's programme rules; :func:`apply_changes` makes the changed catalog.

Changes come from code, from the command line (:func:`parse_edge`, :func:`parse_price`,
:func:`parse_rules`) or from a change file (:func:`read_change_file`): a partial catalog
in the JSON catalog format whose ``credentials`` and ``stacking`` are added (replacing
those with the same id, or the same ``from``/``to``), plus optional keys

- ``"remove"``: ids of credentials to remove;
- ``"remove_stacking"``: ``[{"from": ..., "to": ...}]`` edges to remove;
- ``"price"``: ``{id: fee}`` new fees.

Removals come first, then additions, then prices. Removing a credential removes its
stacking edges and drops it from other credentials' entry requirements; where it was the
only alternative of a requirement clause, or a core component, the reference stays, so that
credential can no longer be achieved (the routes show it unreachable).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pathways import numbers
from pathways.catalog import (
    Catalog,
    Credential,
    Credits,
    Provider,
    Rule,
    Stacking,
    find_cycle,
    to_graph,
)
from pathways.errors import CatalogError
from pathways.rules.cycles import has_cycle

__all__ = [
    "ACTIONS",
    "Change",
    "apply_changes",
    "parse_edge",
    "parse_price",
    "parse_rules",
    "read_change_file",
]


ACTIONS = ("add", "remove", "price", "add-edge", "remove-edge", "add-provider", "rules")
CHANGE_FILE_KEYS = ("remove", "remove_stacking", "price")



@dataclass(frozen=True)
class Change:
    """One change to a catalog. ``origin`` says where it came from, for error messages.

    - ``add``: ``credential`` is added, or replaces the credential with its id;
    - ``remove``: the credential ``id`` is removed;
    - ``price``: the credential ``id`` gets the fee ``fee``;
    - ``add-edge``: ``source`` stacks ``credits`` into ``target`` (replacing an edge
      between the two);
    - ``remove-edge``: the edge ``source`` -> ``target`` is removed;
    - ``add-provider``: ``provider`` is added (or replaces the one with its id);
    - ``rules``: the credential ``id`` gets the programme rules ``rules`` (none: removed).
    """

    action: str
    id: str | None = None
    credential: Credential | None = None
    fee: float | None = None
    source: str | None = None
    target: str | None = None
    credits: Credits | None = None
    provider: Provider | None = None
    origin: str = ""
    rules: tuple[Rule, ...] | None = None

    @classmethod
    def add(cls, credential: Credential, origin: str = "") -> Change:
        return cls("add", id=credential.id, credential=credential, origin=origin)

    @classmethod
    def remove(cls, cid: str, origin: str = "") -> Change:
        return cls("remove", id=cid, origin=origin)

    @classmethod
    def price(cls, cid: str, fee: float, origin: str = "") -> Change:
        return cls("price", id=cid, fee=fee, origin=origin)

    @classmethod
    def add_edge(cls, source: str, target: str, credits: Credits, origin: str = "") -> Change:
        return cls("add-edge", source=source, target=target, credits=credits, origin=origin)

    @classmethod
    def remove_edge(cls, source: str, target: str, origin: str = "") -> Change:
        return cls("remove-edge", source=source, target=target, origin=origin)

    @classmethod
    def set_rules(cls, cid: str, rules: Iterable[Rule], origin: str = "") -> Change:
        return cls("rules", id=cid, rules=tuple(rules), origin=origin)

    def describe(self) -> str:
        """The change in words, e.g. ``stack 15 credits of MC-X into DIP-Y``."""
        if self.action == "add":
            assert self.credential is not None
            c = self.credential
            fee = numbers.money(c.effective_fee)
            return f"add {c.id} ({c.kind}, {c.credits} credits, fee {fee})"
        if self.action == "remove":
            return f"remove {self.id}"
        if self.action == "price":
            return f"price {self.id} at {numbers.money(self.fee or 0)}"
        if self.action == "add-edge":
            return f"stack {self.credits} credits of {self.source} into {self.target}"
        if self.action == "remove-edge":
            return f"stop {self.source} stacking into {self.target}"
        if self.action == "rules":
            said = "; ".join(r.describe() for r in self.rules or ())
            return f"give {self.id} the rules {said}" if said else f"remove {self.id}'s rules"
        assert self.provider is not None
        return f"add provider {self.provider.id}"

    def touched(self) -> set[str]:
        """The credential ids this change alters."""
        ids = {x for x in (self.id, self.source, self.target) if x}
        return ids

    def where(self) -> str:
        return self.origin or self.describe()


# -- parsing ------------------------------------------------------------------------------------


def parse_edge(text: str, *, remove: bool = False, origin: str | None = None) -> Change:
    """``SOURCE:TARGET:CREDITS`` (``SOURCE:TARGET`` for a removal) as a :class:`Change`.

    ``origin`` names where ``text`` came from in messages (the CLI gives its option);
    by default "edge to add TEXT" or "edge to remove TEXT"."""
    if origin is None:
        origin = f"edge to {'remove' if remove else 'add'} {text}"
    parts = [p.strip() for p in text.split(":")]
    want = 2 if remove else 3
    if len(parts) != want or not all(parts):
        shape = "SOURCE:TARGET" if remove else "SOURCE:TARGET:CREDITS"
        raise CatalogError(f"{text!r} is not {shape}; e.g. "
                           + ("MC-X:DIP-Y" if remove else "MC-X:DIP-Y:15"), origin)
    if remove:
        return Change.remove_edge(parts[0], parts[1], origin)
    try:
        credits = int(parts[2])
    except ValueError:
        raise CatalogError(f"credits {parts[2]!r} is not a whole number", origin) from None
    return Change.add_edge(parts[0], parts[1], credits, origin)


def parse_price(text: str, *, origin: str | None = None) -> Change:
    """``ID=FEE`` as a :class:`Change`; ``origin`` as for :func:`parse_edge` (by default
    "price TEXT")."""
    origin = f"price {text}" if origin is None else origin
    cid, sep, fee = text.partition("=")
    if not sep or not cid.strip() or not fee.strip():
        raise CatalogError(f"{text!r} is not ID=FEE; e.g. MC-X=1200", origin)
    try:
        value = float(fee.replace(",", "").replace("$", ""))
    except ValueError:
        raise CatalogError(f"fee {fee.strip()!r} is not a number", origin) from None
    _check_fee(cid.strip(), value, origin)
    return Change.price(cid.strip(), value, origin)


def parse_rules(text: str, *, origin: str | None = None) -> Change:
    """``ID=RULES`` (the CSV form of rules, e.g. ``BSC=min 2 of A | B; max 1 of C | D``;
    nothing after ``=`` removes the rules) as a :class:`Change`; ``origin`` as for
    :func:`parse_edge` (by default "rules TEXT")."""
    from pathways.formats.csv_format import parse_rules_cell

    origin = f"rules {text}" if origin is None else origin
    cid, sep, cell = text.partition("=")
    if not sep or not cid.strip():
        raise CatalogError(f"{text!r} is not ID=RULES; e.g. BSC=min 2 of P101 | P102 | P103",
                           origin)
    return Change.set_rules(cid.strip(), parse_rules_cell(cell.strip(), origin), origin)


def _check_fee(cid: str, fee: object, where: str) -> None:
    """Refuse a fee that is not a finite number from 0 to numbers.MAX_FEE."""
    message = numbers.problem(fee, f"fee of {cid}", high=numbers.MAX_FEE)
    if message is not None:
        raise CatalogError(message, where)


def read_change_file(path: str | os.PathLike[str]) -> list[Change]:
    """The changes in a change file (see the module docstring), in the order applied."""
    from pathways.formats import parse_catalog
    from pathways.formats.json_format import TOP_KEYS, unknown_name_message

    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise CatalogError(f"cannot read: {e.strerror or e}", where) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                           where) from None
    if not isinstance(doc, dict):
        raise CatalogError("a change file is a JSON object (a partial catalog)", where)
    known = (*TOP_KEYS, *CHANGE_FILE_KEYS)
    for key in doc:
        if key not in known:
            raise CatalogError(unknown_name_message("key", str(key), known), f"{where}:$")
    changes: list[Change] = []
    remove = doc.pop("remove", [])
    if not isinstance(remove, list) or not all(isinstance(x, str) for x in remove):
        raise CatalogError('"remove" must be a list of credential ids', f"{where}:$.remove")
    for i, cid in enumerate(remove):
        changes.append(Change.remove(cid, f"{where}:$.remove[{i}]"))
    edges = doc.pop("remove_stacking", [])
    if not isinstance(edges, list):
        raise CatalogError('"remove_stacking" must be a list of {"from", "to"} objects',
                           f"{where}:$.remove_stacking")
    for i, edge in enumerate(edges):
        at = f"{where}:$.remove_stacking[{i}]"
        if not (isinstance(edge, dict) and isinstance(edge.get("from"), str)
                and isinstance(edge.get("to"), str)):
            raise CatalogError('each edge to remove is {"from": ID, "to": ID}', at)
        changes.append(Change.remove_edge(edge["from"], edge["to"], at))
    prices = doc.pop("price", {})
    if not isinstance(prices, dict):
        raise CatalogError('"price" must be an object {id: fee}', f"{where}:$.price")
    doc.setdefault("format", "pathways-catalog")
    doc.setdefault("version", 1)
    partial = parse_catalog(json.dumps(doc), fmt="json", source=where)
    changes += [Change("add-provider", id=None, provider=p, origin=str(p.source or where))
                for p in partial.providers]
    changes += [Change.add(c, str(c.source or where)) for c in partial.credentials]
    changes += [Change.add_edge(e.source, e.target, e.credits, str(e.where or where))
                for e in partial.stacking]
    for cid, fee in prices.items():
        at = f"{where}:$.price.{cid}"
        if isinstance(fee, bool) or not isinstance(fee, (int, float)):
            raise CatalogError(f"the fee of {cid} must be a number", at)
        _check_fee(cid, fee, at)
        changes.append(Change.price(cid, float(fee), at))
    return changes


# -- applying ----------------------------------------------------------------------------------


def apply_changes(catalog: Catalog, changes: Iterable[Change]) -> Catalog:
    """A new catalog with ``changes`` applied in order; ``catalog`` is left as it was.

    Raises :class:`CatalogError` naming the change for an unknown id, an edge that is not
    there to remove or is added twice, credits or a fee out of range, a cycle the changes
    would create, or a rule of the catalog's framework the changed catalog breaks (as
    importing it would).
    """
    draft = _Draft(catalog)
    changes = list(changes)
    for ch in changes:
        step = _STEPS.get(ch.action)
        if step is None:
            raise CatalogError(f"unknown change {ch.action!r}; use one of "
                               + ", ".join(ACTIONS), ch.where())
        step(draft, ch)
    after = draft.catalog()
    # the cycle named by networkx's search as ever; found first without a graph library
    cycle = find_cycle(to_graph(after)) if has_cycle(after) else None
    if cycle is not None:
        shown = " -> ".join([*cycle, cycle[0]])
        culprit = next((ch for ch in changes if ch.action in ("add", "add-edge")
                        and ch.touched() & set(cycle)), None)
        raise CatalogError(f"the changes make a cycle {shown}; a credential cannot lead "
                           "back to itself", culprit.where() if culprit else "")
    _check_rules(catalog, after)
    return after


class _Draft:
    """A catalog being changed: credentials by id (in order), providers, edges."""

    def __init__(self, catalog: Catalog) -> None:
        self.base = catalog
        self.creds: dict[str, Credential] = {c.id: c for c in catalog.credentials}
        self.order = [c.id for c in catalog.credentials]
        self.providers = {p.id: p for p in catalog.providers}
        self.edges: dict[tuple[str, str], Stacking] = {(e.source, e.target): e
                                                       for e in catalog.stacking}
        self.added: dict[tuple[str, str], Change] = {}  # edges added by the changes

    def catalog(self) -> Catalog:
        providers = dict(self.providers)
        used = {c.provider for c in self.creds.values() if c.provider}
        for pid in sorted(used - set(providers)):
            providers[pid] = Provider(pid)
        return replace(self.base, providers=list(providers.values()),
                       credentials=[self.creds[cid] for cid in self.order],
                       stacking=list(self.edges.values()), meta=dict(self.base.meta))


def _remove(d: _Draft, ch: Change) -> None:
    cid = _known(d.creds, ch.id, ch)
    del d.creds[cid]
    d.order.remove(cid)
    for key in [k for k in d.edges if cid in k]:
        del d.edges[key]
    for other in list(d.creds.values()):
        dropped = _without(other, cid)
        if dropped is not other:
            d.creds[other.id] = dropped


def _add(d: _Draft, ch: Change) -> None:
    assert ch.credential is not None
    if ch.credential.id not in d.creds:
        d.order.append(ch.credential.id)
    d.creds[ch.credential.id] = ch.credential


def _add_provider(d: _Draft, ch: Change) -> None:
    assert ch.provider is not None
    d.providers[ch.provider.id] = ch.provider


def _price(d: _Draft, ch: Change) -> None:
    cid = _known(d.creds, ch.id, ch)
    if ch.fee is None or ch.fee < 0:
        raise CatalogError(f"the fee of {cid} must be 0 or more", ch.where())
    _check_fee(cid, ch.fee, ch.where())
    d.creds[cid] = replace(d.creds[cid], fee=ch.fee)


def _add_edge(d: _Draft, ch: Change) -> None:
    u = _known(d.creds, ch.source, ch)
    v = _known(d.creds, ch.target, ch)
    credits = ch.credits or 0
    if not 1 <= credits <= d.creds[u].credits:
        raise CatalogError(f"{u} -> {v}: {credits} credits is out of range; give 1 to "
                           f"{d.creds[u].credits} (the credits of {u})", ch.where())
    if u == v:
        raise CatalogError(f"{u} cannot stack into itself", ch.where())
    first = d.added.get((u, v))
    if first is not None:
        raise CatalogError(f"{u} -> {v} is added twice (also by {first.where()}); give "
                           "each edge once", ch.where())
    d.added[(u, v)] = ch
    d.edges[(u, v)] = Stacking(u, v, credits, ch.where())


def _set_rules(d: _Draft, ch: Change) -> None:
    cid = _known(d.creds, ch.id, ch)
    d.creds[cid] = replace(d.creds[cid], rules=tuple(ch.rules or ()))


def _remove_edge(d: _Draft, ch: Change) -> None:
    key = (ch.source or "", ch.target or "")
    if key not in d.edges:
        raise CatalogError(f"{key[0]} does not stack into {key[1]}; nothing to "
                           "remove (see the catalog's stacking)", ch.where())
    del d.edges[key]
    d.added.pop(key, None)


_STEPS: dict[str, Callable[[_Draft, Change], None]] = {
    "add": _add, "remove": _remove, "price": _price, "add-edge": _add_edge,
    "remove-edge": _remove_edge, "add-provider": _add_provider, "rules": _set_rules,
}


def _check_rules(before: Catalog, after: Catalog) -> None:
    """Refuse a changed catalog that breaks a rule the catalog before kept (its
    framework's among them): the errors importing it would report that are new.

    The references a removal leaves behind are meant (they make a credential
    unreachable), so they are left out of the check.
    """
    from pathways.rules import validate

    def errors(cat: Catalog) -> list[Any]:
        return [p for p in validate(cat) if p.severity == "error"]

    old = {p.message for p in errors(before)}
    new = [p for p in errors(_without_dangling(after)) if p.message not in old]
    if new:
        raise CatalogError(new)


def _without_dangling(catalog: Catalog) -> Catalog:
    """``catalog`` without references to credentials it does not hold."""
    ids = {c.id for c in catalog.credentials}

    def kept(c: Credential) -> Credential:
        requires = tuple(cl for cl in (tuple(a for a in cl if a in ids) for cl in c.requires)
                         if cl)
        fields: dict[str, Any] = {
            "requires": requires,
            "core": tuple(a for a in c.core if a in ids),
            # a rule naming a removed credential: it can no longer be met as written
            "rules": tuple(r for r in c.rules if all(a in ids for a in r.ids)),
            "corequisites": tuple(a for a in c.corequisites if a in ids),
            "strict_corequisites": tuple(a for a in c.strict_corequisites if a in ids)}
        if all(getattr(c, k) == v for k, v in fields.items()):
            return c
        return replace(c, **fields)

    return replace(catalog, credentials=[kept(c) for c in catalog.credentials])


def _known(creds: dict[str, Credential], cid: str | None, ch: Change) -> str:
    if not cid or cid not in creds:
        from pathways.filters import FIND_IDS

        raise CatalogError(f"no credential {cid!r} in the catalog; {FIND_IDS}", ch.where())
    return cid


def _without(c: Credential, cid: str) -> Credential:
    """``c`` no longer offering ``cid`` as an alternative where others remain."""
    if not any(cid in clause for clause in c.requires):
        return c
    clauses = tuple(
        tuple(a for a in clause if a != cid) if cid in clause and len(clause) > 1 else clause
        for clause in c.requires)
    return replace(c, requires=clauses)
