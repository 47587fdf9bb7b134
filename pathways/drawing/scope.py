"""What a map shows: the credentials chosen by target, origin, provider or field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from pathways.catalog import Catalog, to_graph
from pathways.errors import PathwaysError, UnknownIdError
from pathways.filters import FIND_IDS


@dataclass(frozen=True)
class Scope:
    """The credentials a map shows, and a title saying what they are."""

    ids: tuple[str, ...]
    title: str


def _check_ids(catalog: Catalog, ids: Iterable[str]) -> None:
    index = catalog.index()
    for cid in ids:
        if cid not in index:
            raise UnknownIdError(f"unknown credential {cid!r}; {FIND_IDS}", what="credential",
                                 name=cid)


def select(catalog: Catalog, *, to: str | None = None, from_: str | None = None,
           provider: str | None = None, field: str | None = None) -> Scope:
    """The credentials to draw: all; or what can lead to ``to`` (its ancestors); what
    ``from_`` leads to (its descendants); a provider's or a field's credentials plus
    everything they lead to. Several options together: what all of them select.
    """
    graph = to_graph(catalog)
    index = catalog.index()
    keep = set(index)
    titles: list[str] = []
    described: list[str] = []
    if to is not None:
        _check_ids(catalog, [to])
        keep &= nx.ancestors(graph, to) | {to}
        titles.append(f"Pathways to {index[to].title}")
        described.append(f"everything that can lead to {to}")
    if from_ is not None:
        _check_ids(catalog, [from_])
        keep &= nx.descendants(graph, from_) | {from_}
        titles.append(f"Where {index[from_].title} leads")
        described.append(f"everything {from_} leads to")
    if provider is not None:
        providers = catalog.provider_index()
        if provider not in providers:
            known = ", ".join(sorted(providers)) or "none"
            raise UnknownIdError(f"unknown provider {provider!r}; the catalog's providers: "
                                 + known, what="provider", name=provider)
        own = {c.id for c in catalog if c.provider == provider}
        keep &= _with_descendants(graph, own)
        titles.append(f"{providers[provider].name or provider}: pathways")
        described.append(f"{providers[provider].name or provider}'s credentials and what "
                         "they stack into")
    if field is not None:
        fields = sorted({c.field for c in catalog if c.field})
        own = {c.id for c in catalog if (c.field or "").casefold() == field.casefold()}
        if not own:
            raise PathwaysError(f"no credential has the field {field!r}; the catalog's "
                                "fields: " + ("; ".join(fields) or "none"))
        keep &= _with_descendants(graph, own)
        name = next(c.field for c in catalog if c.id in own)
        titles.append(f"{name}: pathways")
        described.append(f"{name} credentials and what they stack into")
    if not keep:
        raise PathwaysError("nothing to draw: no credential satisfies all of "
                            + "; ".join(described))
    title = titles[0] if len(titles) == 1 else (
        " · ".join(titles) if titles else (catalog.name or "Pathway map"))
    return Scope(ids=tuple(sorted(keep)), title=title)


def _with_descendants(graph: nx.DiGraph, ids: set[str]) -> set[str]:
    out = set(ids)
    for cid in sorted(ids):
        out |= nx.descendants(graph, cid)
    return out
