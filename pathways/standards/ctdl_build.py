"""The second half of reading CTDL: from the related nodes to a valid catalog.

Reference cycles are broken (the edge closing each is dropped, with a warning), credits
worked out where the files give none (a leaf counts 1 credit; a component made of parts
counts what its parts must bring), and the result checked by :mod:`pathways.rules`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pathways.catalog import Catalog, Credential, CreditUnit, Provider, Rule, Stacking
from pathways.catalog import credit_value as as_credits
from pathways.errors import CatalogError
from pathways.standards.ctdl_extension import apply_catalog_ext, apply_credential_ext
from pathways.standards.ctdl_terms import CREDIT_UNIT_HOURS
from pathways.standards.report import ImportReport

if TYPE_CHECKING:
    from pathways.standards.ctdl import _Item, _Mapper

__all__ = ["build_catalog"]


def _halves(x: float) -> float:
    return round(x * 2) / 2


def _break_cycles(mapper: _Mapper, report: ImportReport) -> list[str]:
    """Drop every edge (stacking or requirement) that closes a cycle; the node ids in an
    order where every source comes before what it leads to."""
    after: dict[str, list[str]] = {nid: [] for nid in mapper.items}
    for (u, v) in sorted(mapper.edges):
        after[u].append(v)
    for nid, item in mapper.items.items():
        for clause in item.requires:
            for u in clause:
                after[u].append(nid)
    state: dict[str, int] = {}
    order: list[str] = []
    for root in sorted(after):
        if root in state:
            continue
        stack = [(root, iter(after[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(nxt) == 1:
                _drop_edge(mapper, report, node, nxt)
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(after[nxt])))
    order.reverse()
    return order


def _drop_edge(mapper: _Mapper, report: ImportReport, u: str, v: str) -> None:
    where = mapper.edges.pop((u, v), (None, mapper.items[u].node.where))[1]
    item = mapper.items[v]
    item.requires = [c for c in (tuple(a for a in clause if a != u)
                                 for clause in item.requires) if c]
    if u in item.children:
        item.children.remove(u)
    item.rules = [(k, [i for i in ids if i != u], w) for k, ids, w in item.rules]
    item.rules = [(min(k, len(ids)), ids, w) for k, ids, w in item.rules if ids]
    item.credit_rules = [(kind, x, [i for i in ids if i != u], w)
                         for kind, x, ids, w in item.credit_rules]
    item.credit_rules = [r for r in item.credit_rules if r[2]]
    report.drop(where, f"{mapper.items[u].id} -> {item.id} closes a cycle of references: "
                "this link is left out")


def _credits(mapper: _Mapper, report: ImportReport, order: list[str]) -> dict[str, bool]:
    """Fill in every item's credits (sources first); whether each is composed (no direct
    study of its own)."""
    composed: dict[str, bool] = {}
    for nid in order:
        item = mapper.items[nid]
        given = item.credits
        if not item.children:
            if given is None or given <= 0:
                edge_credits = [c for (u, _v), (c, _w) in mapper.edges.items()
                                if u == nid and c is not None]
                item.credits = max([1.0, *edge_credits])
                report.assume(item.node.where, f"no credit value: {item.id} counted as "
                              f"{_credits_text(item.credits)}")
            composed[nid] = False
            continue
        need = _need(mapper, item)
        if given is None or given <= 0:
            item.credits = need
            report.assume(item.node.where, f"no credit value: {item.id} is made of its "
                          f"parts, {_credits_text(need)}")
            composed[nid] = item.direct_study is not True
            continue
        if item.direct_study is not None:
            composed[nid] = not item.direct_study
            continue
        composed[nid] = bool(item.grouping or item.rules) and need >= given
        if not composed[nid] and item.grouping:
            report.assume(item.node.where, f"{item.id}'s parts bring {need:g} of its "
                          f"{item.credits:g} credits: the rest is studied in it")
    return composed


def _credits_text(x: float) -> str:
    return f"{x:g} credit" + ("" if x == 1 else "s")


def _need(mapper: _Mapper, item: _Item) -> float:
    """Credits a composed item's parts must bring: the k smallest of each rule's list and
    every part in no rule."""
    credits = {c: mapper.items[c].credits or 1.0 for c in item.children}
    in_rules = {i for _k, ids, _w in item.rules for i in ids}
    in_rules |= {i for _k, _x, ids, _w in item.credit_rules for i in ids}
    need = sum(v for c, v in credits.items() if c not in in_rules)
    for k, ids, _w in item.rules:
        need += sum(sorted(credits.get(i, 1.0) for i in ids)[:k])
    need += sum(x for kind, x, _ids, _w in item.credit_rules if kind == "min_credits")
    return need


def _credential(mapper: _Mapper, item: _Item, composed: bool, ids: dict[str, str]) -> Credential:
    rules = [Rule("min", k, tuple(sorted(ids[i] for i in set(lst))), item.names.get(n))
             for n, (k, lst, _w) in enumerate(item.rules)]
    rules += [Rule(kind, as_credits(amount), tuple(sorted(ids[i] for i in set(lst))),
                   item.credit_names.get(n))
              for n, (kind, amount, lst, _w) in enumerate(item.credit_rules)]
    rules += _other_rules(mapper, item)
    in_rules = {i for _k, lst, _w in item.rules for i in lst}
    in_rules |= {i for _k, _x, lst, _w in item.credit_rules for i in lst}
    free = sorted(ids[c] for c in item.children if c not in in_rules)
    if composed and free and item.node.get("creditValue") == []:  # made of all its parts
        rules.append(Rule("min", len(free), tuple(free)))
    kind, qtype = item.kind, item.type
    if item.node.id in mapper.destinations:
        kind = "qualification"
    elif kind == "qualification" and not composed and not item.children:
        pass
    provider = item.provider
    return Credential(
        id=item.id, title=item.title, kind=kind, type=qtype if kind == "qualification" else None,
        credits=as_credits(_halves(item.credits or 1.0)),
        provider=mapper.providers_ids.get(provider) if provider else None,
        fee=item.fee, hours=item.hours,
        requires=tuple(dict.fromkeys(tuple(sorted(ids[a] for a in clause))
                                     for clause in item.requires)),
        direct_study=False if composed else None, rules=tuple(sorted(
            rules, key=lambda r: (r.kind, r.ids))), source=item.node.where)


def _other_rules(mapper: _Mapper, item: _Item) -> list[Rule]:
    """Rules written under ``urn:pathways:rules`` by pathways itself."""
    out = []
    known = {i.id for i in mapper.items.values()}
    for r in item.other_rules:
        try:
            kind, amount, of = r["kind"], r["amount"], tuple(r["of"])
            if kind in ("max", "min_credits", "max_credits") and set(of) <= known:
                out.append(Rule(kind, amount, of, r.get("name")))
                continue
        except (TypeError, KeyError):
            pass
        mapper.report.drop(item.node.where, f"a rule under urn:pathways:rules is not "
                           f"understood: {r!r}")
    return out


def _unit(mapper: _Mapper, report: ImportReport, where: str) -> CreditUnit | None:
    if not mapper.units:
        return None
    name = sorted(mapper.units)[0]
    if len(mapper.units) > 1:
        report.assume(where, f"credit units {', '.join(sorted(mapper.units))}: all read as "
                      f"{name}")
    hours = CREDIT_UNIT_HOURS.get(name)
    if hours is None:
        hours = 10
        report.assume(where, f"credit unit {name}: taken as 10 hours a credit")
    return CreditUnit(name=name, hours=hours)


def build_catalog(mapper: _Mapper, report: ImportReport) -> Catalog:
    """The catalog the mapper's items, edges and rules make; checked by the rules."""
    where = report.files[0] + ":$" if report.files else "$"
    order = _break_cycles(mapper, report)
    composed = _credits(mapper, report, order)
    ids = {nid: item.id for nid, item in mapper.items.items()}
    mapper.providers_ids = {iri: _provider_id(iri) for item in mapper.items.values()
                            if (iri := item.provider)}
    providers = sorted({pid: Provider(pid, mapper.providers.get(iri, ""))
                        for iri, pid in mapper.providers_ids.items()}.values(),
                       key=lambda p: p.id)
    credentials = [apply_credential_ext(_credential(mapper, mapper.items[nid], composed[nid],
                                                    ids), mapper.items[nid].ext, report)
                   for nid in mapper.items]
    index = {c.id: c for c in credentials}
    stacking = []
    assumed = 0
    for (u, v), (credits, _w) in sorted(mapper.edges.items()):
        source = index[ids[u]]
        amount = source.credits if credits is None else min(_halves(credits), source.credits)
        assumed += credits is None
        stacking.append(Stacking(ids[u], ids[v], as_credits(max(amount, 0.5))))
    if assumed:
        report.assume(where, f"{assumed} children count all their credits into their "
                      "parents: the files give no transfer value")
    catalog = Catalog(providers=providers, credentials=credentials,
                      stacking=sorted(stacking), framework="generic", name=mapper.name,
                      credit_unit=_unit(mapper, report, where), source=where)
    catalog = apply_catalog_ext(catalog, mapper.catalog_ext, report)
    _count(catalog, report)
    from pathways.rules import check

    try:
        check(catalog)
    except CatalogError as e:
        raise CatalogError(f"the CTDL maps to a catalog that breaks a rule: {e}",
                           where=where) from None
    return catalog


def _provider_id(iri: str) -> str:
    from pathways.standards.ctdl import _tail

    return _tail(iri)


def _count(catalog: Catalog, report: ImportReport) -> None:
    report.count("credentials", len(catalog.credentials))
    report.count("qualifications", sum(c.kind == "qualification" for c in catalog))
    report.count("stacking", len(catalog.stacking))
    report.count("rules", sum(len(c.rules) for c in catalog))
    report.count("entry requirements", sum(len(c.requires) for c in catalog))
    report.count("providers", len(catalog.providers))
