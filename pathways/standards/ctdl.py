"""Read CTDL pathways (Credential Engine's JSON-LD) into a catalog.

Components and credentials become credentials; ``hasChild``/``isChildOf`` and the targets
of ``ComponentCondition`` become stacking edges (child into parent); ``requiredNumber``
over ``targetComponent`` becomes a ``{"min": k, "of": [...]}`` rule; ``prerequisite`` and
``precedes`` become entry requirements; ``TransferValueProfile`` becomes stacking with its
credits. What the file does not say is assumed and what cannot be mapped is dropped, each
said in the :class:`~pathways.standards.report.ImportReport` with its JSON path. The
decisions are listed in the README's reference section ("CTDL mapping").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pathways.catalog import Catalog
from pathways.errors import CatalogError
from pathways.standards.ctdl_constraints import read_constraints
from pathways.standards.ctdl_jsonld import Node, NodeTable, Ref, Value, read_nodes
from pathways.standards.ctdl_terms import (
    COMPONENTS,
    COURSE_CLASSES,
    GROUPINGS,
    MISSPELT,
    ORGANISATIONS,
    class_kind,
)
from pathways.standards.report import ImportReport

__all__ = ["read_ctdl"]

_IGNORED_TYPES = frozenset({"ComponentCondition", "ValueProfile", "QuantitativeValue",
                            "CostProfile", "DurationProfile", "IdentifierValue",
                            "ConditionProfile", "CredentialAlignmentObject", "Concept"})


@dataclass
class _Item:
    """A node that becomes a credential, while its credits are being worked out."""

    node: Node
    id: str
    title: str
    kind: str
    type: str | None
    grouping: bool
    credits: float | None = None
    children: list[str] = field(default_factory=list)  # node ids, in order
    rules: list[tuple[int, list[str], str]] = field(default_factory=list)  # k, ids, where
    # min_credits/max_credits from Constraints: kind, credits, ids, where
    credit_rules: list[tuple[str, float, list[str], str]] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # rule position -> its list's name
    credit_names: dict[int, str] = field(default_factory=dict)  # the same for credit_rules
    other_rules: list[Any] = field(default_factory=list)  # urn:pathways:rules, as written
    requires: list[tuple[str, ...]] = field(default_factory=list)  # AND of ORs
    direct_study: bool | None = None  # urn:pathways:directStudy
    fee: float | None = None
    hours: float | None = None
    provider: str | None = None
    ext: tuple[str, str] | None = None  # urn:pathways:credential (JSON text), where


def _first_text(values: list[Ref | Value | Node]) -> str | None:
    texts = [v for v in values if isinstance(v, Value) and isinstance(v.value, str)]
    texts.sort(key=lambda v: not (v.language or "en").lower().startswith("en"))
    return texts[0].value.strip() if texts else None


def _tail(iri: str) -> str:
    from urllib.parse import unquote

    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            return unquote(iri.rstrip(sep).rsplit(sep, 1)[1])
    return iri.split(":", 1)[1] if iri.startswith(("_:", "urn:")) else iri


class _Mapper:
    def __init__(self, table: NodeTable, report: ImportReport) -> None:
        self.table, self.report = table, report
        self.items: dict[str, _Item] = {}  # by node id
        self.edges: dict[tuple[str, str], tuple[float | None, str]] = {}
        self.providers: dict[str, str] = {}
        self.destinations: set[str] = set()
        self.units: set[str] = set()
        self.name: str | None = None
        self.providers_ids: dict[str, str] = {}
        self.catalog_ext: tuple[str, str] | None = None  # urn:pathways:catalog, where

    # -- values ---------------------------------------------------------------------------
    def number(self, v: Ref | Value | Node, what: str) -> float | None:
        if isinstance(v, Value):
            value = v.value
            if isinstance(value, str):
                try:
                    value = float(value.strip())
                except ValueError:
                    self.report.drop(v.where, f'{what} "{value}" is not a number')
                    return None
                self.report.assume(v.where, f"{what} written as a string: read as a number")
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and value >= 0 and value == value and value != float("inf"):
                return float(value)
        self.report.drop(getattr(v, "where", ""), f"{what} is not a number")
        return None

    def refs(self, node: Node, name: str) -> list[Ref]:
        """References in ``name``: ``{"@id"}`` or a bare string (said as assumed)."""
        out: list[Ref] = []
        for v in node.get(name):
            if isinstance(v, Ref):
                out.append(v)
            elif isinstance(v, Value) and isinstance(v.value, str):
                self.report.assume(v.where, f"{name} written as text: read as a reference")
                out.append(Ref(v.value, v.where))
            elif isinstance(v, Node) and v.id is not None:
                out.append(Ref(v.id, v.where))
            else:
                self.report.drop(getattr(v, "where", node.where), f"{name} is not a reference")
        return out

    def target(self, ref: Ref, name: str) -> str | None:
        if ref.id in self.items:
            return ref.id
        self.report.drop(ref.where, f"{name} names {ref.id}, which is not a component or "
                         "credential in the files read")
        return None

    def credit_value(self, node: Node) -> float | None:
        for v in node.get("creditValue"):
            if isinstance(v, Node):
                for unit in self.refs(v, "creditUnitType"):
                    self.units.add(_tail(unit.id))
                for key in ("value", "minValue", "maxValue"):
                    if v.get(key):
                        return self.number(v.get(key)[0], "creditValue")
            elif isinstance(v, Value):
                return self.number(v, "creditValue")
        return None

    # -- pass 1: which nodes are what -----------------------------------------------------
    def classify(self) -> None:
        ids: dict[str, int] = {}
        for node in self.table.nodes.values():
            types = set(node.types)
            if types & {"Pathway", "PathwaySet"}:
                self.name = self.name or _first_text(node.get("name"))
                for v in node.get("urn:pathways:catalog"):
                    if isinstance(v, Value) and isinstance(v.value, str):
                        self.catalog_ext = (v.value, v.where)
                for ref in self.refs(node, "hasDestinationComponent"):
                    self.destinations.add(ref.id)
            elif types & ORGANISATIONS:
                self.providers[node.id or ""] = _first_text(node.get("name")) or ""
            elif types & (COMPONENTS | COURSE_CLASSES) or class_kind(node.types):
                self.items[node.id or ""] = self.item(node, ids)
            elif not types & _IGNORED_TYPES and "TransferValueProfile" not in types:
                what = ", ".join(node.types) or "a node without @type"
                self.report.drop(node.where, f"{what} is not mapped to the catalog")

    def item(self, node: Node, seen: dict[str, int]) -> _Item:
        code = None
        for ident in node.get("identifier"):
            if isinstance(ident, Node) and ident.get("identifierValueCode"):
                code = _first_text(ident.get("identifierValueCode"))
        code = code or _first_text(node.get("codedNotation")) or _tail(node.id or "x")
        if code in seen:
            seen[code] += 1
            code = f"{code}-{seen[code]}"
        seen.setdefault(code, 1)
        types = set(node.types)
        classes = [_tail(r.id) for r in self.refs(node, "credentialType")] + node.types
        kind, qtype = class_kind(classes) or (
            ("course", None) if types & COURSE_CLASSES else ("micro-credential", None))
        title = _first_text(node.get("name")) or code
        item = _Item(node, code, title, kind, qtype, bool(types & GROUPINGS))
        for v in node.get("urn:pathways:credential"):
            if isinstance(v, Value) and isinstance(v.value, str):
                item.ext = (v.value, v.where)
        return item

    # -- pass 2: edges, rules, requirements, costs ----------------------------------------
    def relate(self) -> None:
        for nid, item in list(self.items.items()):
            node = item.node
            item.credits = self.credit_value(node)
            for ref in self.refs(node, "hasChild"):
                self.child(ref, nid, "hasChild")
            for ref in self.refs(node, "isChildOf"):
                if (child_of := self.target(ref, "isChildOf")) is not None:
                    self.add_edge(nid, child_of, None, ref.where)
            for cond in node.get("hasCondition"):
                self.condition(cond, item)
            self.prerequisites(item)
            for ref in self.refs(node, "precedes"):
                if (other := self.target(ref, "precedes")) is not None:
                    self.items[other].requires.append((nid,))
            self.extensions(item)
            for name in ("isDestinationComponentOf", *MISSPELT):
                if node.get(name):
                    self.destinations.add(nid)
                    if name in MISSPELT:
                        self.report.assume(node.get(name)[0].where, f"{name} is not a CTDL "
                                           f"term: read as {MISSPELT[name]}")
            self.costs(item)
            for ref in self.refs(node, "offeredBy") + self.refs(node, "ownedBy"):
                item.provider = item.provider or ref.id
        for node in self.table.nodes.values():
            if "TransferValueProfile" in node.types:
                self.transfer(node)

    def prerequisites(self, item: _Item) -> None:
        """``prerequisite``: components (each needed) or conditions (k of their targets:
        1 is a choice of alternatives, all of them each needed)."""
        node = item.node
        for v in node.get("prerequisite"):
            if isinstance(v, Node) and v.id is None:
                targets = [t for r in self.refs(v, "targetComponent")
                           if (t := self.target(r, "targetComponent")) is not None]
                given = v.get("requiredNumber")
                k = self.number(given[0], "requiredNumber") if given else len(targets)
                if targets and k == 1:
                    item.requires.append(tuple(targets))
                elif targets and k is not None and k >= len(targets):
                    item.requires.extend((t,) for t in targets)
                elif targets:
                    self.report.drop(v.where, f"a prerequisite of {k:g} of {len(targets)} "
                                     "components is not mapped (only one of, or all)")
                continue
            for ref in self.refs(Node(None, [], node.where, {"prerequisite": [v]}),
                                 "prerequisite"):
                if (other := self.target(ref, "prerequisite")) is not None:
                    item.requires.append((other,))

    def extensions(self, item: _Item) -> None:
        """What pathways writes under ``urn:pathways:`` (see ctdl_writer)."""
        import json

        for v in item.node.get("urn:pathways:directStudy"):
            if isinstance(v, Value) and isinstance(v.value, bool):
                item.direct_study = v.value
        for v in item.node.get("urn:pathways:rules"):
            try:
                item.other_rules.extend(json.loads(v.value) if isinstance(v, Value) else [])
            except (TypeError, ValueError):
                self.report.drop(v.where, "urn:pathways:rules is not JSON")

    def child(self, ref: Ref, parent: str, name: str) -> None:
        child = self.target(ref, name)
        if child is None:
            return
        if child in self.items[parent].children:
            self.report.drop(ref.where, f"{ref.id} is listed twice: counted once")
            return
        self.items[parent].children.append(child)
        self.add_edge(child, parent, None, ref.where)

    def add_edge(self, source: str, target: str, credits: float | None, where: str) -> None:
        if (source, target) not in self.edges or credits is not None:
            self.edges[(source, target)] = (credits, where)
        if source not in self.items[target].children:
            self.items[target].children.append(source)

    def condition(self, cond: Ref | Value | Node, item: _Item) -> None:
        if not isinstance(cond, Node):
            self.report.drop(getattr(cond, "where", item.node.where),
                             "hasCondition is not a ComponentCondition")
            return
        operators = [_tail(r.id).rsplit(":", 1)[-1].lower()
                     for r in self.refs(cond, "logicalOperator")]
        nested = [c for c in cond.get("hasCondition") if isinstance(c, Node)]
        if nested and ("or" in operators or "onlyone" in operators):
            self.alternatives(nested, item, cond.where)
        else:
            for sub in nested:  # AND (the default): each its own rule
                self.condition(sub, item)
        targets = [t for r in self.refs(cond, "targetComponent")
                   if (t := self.target(r, "targetComponent")) is not None]
        if cond.get("targetComponent") and not targets:
            self.report.drop(cond.where, "a condition over no component in the files")
            return
        named = len(item.credit_rules)
        constrained = read_constraints(self, cond, item, targets)
        for v in cond.get("urn:pathways:ruleName"):
            if isinstance(v, Value) and isinstance(v.value, str) and constrained:
                for n in range(named, len(item.credit_rules)):
                    item.credit_names[n] = v.value
        if not targets:
            return
        for t in targets:
            self.add_edge(t, item.node.id or "", None, cond.where)
        given = cond.get("requiredNumber")
        if not given and constrained:  # the constraints say what is needed
            return
        k = self.number(given[0], "requiredNumber") if given else None
        if k is None:
            self.report.assume(cond.where, "no requiredNumber: all targets required")
            k = len(targets)
        if k > len(targets):
            self.report.assume(cond.where, f"requiredNumber {k:g} of {len(targets)} "
                               "components in the files: all of them required")
        for v in cond.get("urn:pathways:ruleName"):
            if isinstance(v, Value) and isinstance(v.value, str):
                item.names[len(item.rules)] = v.value
        item.rules.append((min(int(k), len(targets)), sorted(set(targets)), cond.where))

    def alternatives(self, conditions: list[Node], item: _Item, where: str) -> None:
        """An OR of conditions: each alternative a grouping credential of its own
        (``PARENT~or1``…) holding that condition, and the parent needs 1 of them."""
        key = item.node.id or item.id
        ways = []
        for n, sub in enumerate(conditions, start=1):
            way_key = f"{key}~or{n}"
            way = _Item(Node(way_key, ["BasicComponent"], sub.where), f"{item.id}~or{n}",
                        f"{item.title}: way {n}", "course", None, True)
            self.items[way_key] = way
            self.condition(sub, way)
            if not way.rules:
                del self.items[way_key]
                continue
            ways.append(way_key)
            self.add_edge(way_key, key, None, sub.where)
        if ways:
            self.report.assume(where, f"an OR of {len(ways)} conditions: each way is a "
                               f"grouping of its own ({item.id}~or1…), 1 of them needed")
            item.rules.append((1, ways, where))

    def costs(self, item: _Item) -> None:
        prices = [p for cost in item.node.get("estimatedCost") if isinstance(cost, Node)
                  for v in cost.get("price") if (p := self.number(v, "price")) is not None]
        if prices:
            item.fee = sum(prices)
        for duration in item.node.get("estimatedDuration"):
            if isinstance(duration, Node):
                for v in duration.get("exactDuration"):
                    item.hours = _hours(v.value) if isinstance(v, Value) else None
                    if item.hours is None:
                        self.report.drop(v.where, "a duration not in hours (PT40H) or days")

    def transfer(self, node: Node) -> None:
        values = [self.number(v.get("value")[0], "transferValue")
                  for v in node.get("transferValue") if isinstance(v, Node) and v.get("value")]
        credits = next((v for v in values if v is not None), None)
        for v in node.get("transferValue"):
            if isinstance(v, Node):
                self.units.update(_tail(u.id) for u in self.refs(v, "creditUnitType"))
        for f in self.refs(node, "transferValueFrom"):
            for t in self.refs(node, "transferValueFor"):
                a, b = self.target(f, "transferValueFrom"), self.target(t, "transferValueFor")
                if a is not None and b is not None:
                    self.add_edge(a, b, credits, node.where)
                    self.report.count("transfer values")


def _hours(text: Any) -> float | None:
    m = re.fullmatch(r"P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?",
                     str(text).strip())
    if not m or not any(m.groups()):
        return None
    days, hours, minutes = (float(g) if g else 0.0 for g in m.groups())
    return days * 8 + hours + minutes / 60


def read_ctdl(docs: list[tuple[str, Any]], report: ImportReport) -> Catalog:
    """CTDL documents ``(path, parsed JSON)`` read as one graph into a catalog."""
    from pathways.standards.ctdl_build import build_catalog

    mapper = _Mapper(read_nodes(docs, report), report)
    mapper.classify()
    if not mapper.items:
        raise CatalogError("no CTDL component, credential or course in the files: nothing "
                           "to read", where=", ".join(p for p, _ in docs))
    mapper.relate()
    return build_catalog(mapper, report)

