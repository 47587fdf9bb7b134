"""CTDL ``Constraint``s of a ``ComponentCondition``, read and written.

A Constraint compares a left source (a property, e.g. ``ceterms:creditValue``, with an
action on the list of its values, e.g. ``array:Sum``) to a right source (a number). What
the catalog can say:

* the sum of ``creditValue`` over the condition's target components ``>=``/``<=``/``=`` N:
  a ``min_credits``/``max_credits`` rule (both for ``=``) over those components;
* the same over a condition with no target component: the parent's own credits (``>=``
  or ``=`` N gives its credit value where the file gives none).

Anything else (levels, other properties, ``>``, ``<``, ``!=``, a ``requiredConstraints``
of fewer than all) is dropped, with its JSON path, in the import report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pathways.standards.ctdl_jsonld import Node, Ref, Value

if TYPE_CHECKING:
    from pathways.catalog import Rule
    from pathways.standards.ctdl import _Item, _Mapper

__all__ = ["read_constraints", "constraint_condition"]

_BOUNDS = {"GTEQ": ("min_credits",), "LTEQ": ("max_credits",),
           "EQ": ("min_credits", "max_credits")}
_COMPARATOR = {"min_credits": "compare:GTEQ", "max_credits": "compare:LTEQ"}


def _word(v: Ref | Value | Node) -> str:
    """The local name of a concept or property: ``compare:GTEQ`` -> ``GTEQ``."""
    text = v.id if isinstance(v, Ref) else v.value if isinstance(v, Value) else v.id
    text = str(text or "")
    for sep in ("#", "/", ":"):
        text = text.rstrip(sep).rsplit(sep, 1)[-1]
    return text


def _number(values: list[Ref | Value | Node]) -> float | None:
    for v in values:
        # a bare number in rightSource (an @id by the context) reads as a relative IRI
        text = (v.id or "").rsplit("/", 1)[-1] if isinstance(v, Ref) else \
            v.value if isinstance(v, Value) else None
        if isinstance(text, bool):
            return None
        try:
            x = float(str(text).strip())
        except (TypeError, ValueError):
            return None
        return x if 0 <= x < float("inf") else None
    return None


def _one(mapper: _Mapper, c: Node) -> tuple[tuple[str, ...], float] | str:
    """(rule kinds, credits) of one Constraint, or why it is not mapped."""
    left = [_word(v) for v in c.get("leftSource")]
    action = [_word(v) for v in c.get("leftAction")]
    comparator = [_word(v) for v in c.get("comparator")]
    right = _number(c.get("rightSource"))
    if left != ["creditValue"]:
        what = ", ".join(left) or "nothing"
        return f"a Constraint on {what} is not mapped (only the sum of creditValue is)"
    if action not in ([], ["Sum"]):
        return f"a Constraint taking {', '.join(action)} of creditValue is not mapped " \
               "(only array:Sum is)"
    if len(comparator) != 1 or comparator[0] not in _BOUNDS:
        what = ", ".join(comparator) or "no comparator"
        return f"a Constraint comparing by {what} is not mapped (only GTEQ, LTEQ, EQ are)"
    if right is None:
        return "a Constraint whose rightSource is not one number is not mapped"
    return _BOUNDS[comparator[0]], right


def read_constraints(mapper: _Mapper, cond: Node, item: _Item, targets: list[str]) -> bool:
    """Map ``cond``'s constraints onto ``item`` (credit rules over ``targets``, or its own
    credits where there are none); whether any was mapped."""
    constraints = [c for c in cond.get("hasConstraint") if isinstance(c, Node)]
    for c in cond.get("hasConstraint"):
        if not isinstance(c, Node):
            mapper.report.drop(getattr(c, "where", cond.where),
                               "hasConstraint is not a Constraint")
    required = cond.get("requiredConstraints")
    if required and constraints:
        k = mapper.number(required[0], "requiredConstraints")
        if k is not None and k < len(constraints):
            mapper.report.drop(cond.where, f"{k:g} of {len(constraints)} constraints is not "
                               "mapped (only all of them)")
            return False
    mapped = False
    for c in constraints:
        got = _one(mapper, c)
        if isinstance(got, str):
            mapper.report.drop(c.where, got)
            continue
        kinds, credits = got
        if targets:
            for kind in kinds:
                item.credit_rules.append((kind, credits, sorted(set(targets)), c.where))
            mapped = True
        elif "min_credits" in kinds and (item.credits is None or item.credits <= 0):
            item.credits = credits
            mapper.report.assume(c.where, f"a Constraint on no component: {item.id}'s "
                                 f"credit value is {credits:g}")
            mapped = True
        else:
            mapper.report.drop(c.where, "a Constraint on no component is not mapped (only "
                               "one giving the credit value of a component without one)")
    return mapped


def constraint_condition(rule: Rule, text: str, targets: list[str]) -> dict[str, Any]:
    """A ``min_credits``/``max_credits`` rule as a ComponentCondition with a Constraint:
    the sum of the targets' creditValue compared with the rule's credits."""
    amount = f"{rule.amount:g}" if isinstance(rule.amount, float) else str(rule.amount)
    constraint = {"@type": "ceterms:Constraint", "ceterms:name": {"en": text},
                  "ceterms:leftSource": ["ceterms:creditValue"],
                  "ceterms:leftAction": "array:Sum",
                  "ceterms:comparator": _COMPARATOR[rule.kind],
                  "ceterms:rightSource": [amount]}
    return {"@type": "ceterms:ComponentCondition", "ceterms:name": {"en": text},
            "ceterms:targetComponent": targets, "ceterms:hasConstraint": [constraint]}
