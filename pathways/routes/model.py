"""What a route query takes and returns: constraints, target filters, steps and routes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pathways.catalog import Credential, Credits
from pathways.errors import RouteError
from pathways.filters import CredentialFilter
from pathways.numbers import figure as money
from pathways.vocabulary import OBJECTIVES

__all__ = ["OBJECTIVES", "Progress", "Constraints", "TargetFilter", "Step", "Route",
           "RouteTimeLimit", "money"]

#: A progress callback: ``progress(label, done, total)`` (total 0 when not known ahead).
Progress = Callable[[str, int, int], None]

# The attribute of a route holding each objective's total.
_TOTALS = {"fee": "fee", "hours": "hours", "credits": "credits_studied"}

# How a delivery mode reads after "is not offered …".
_MODE_WORDS = {"in-person": "in person", "workplace": "in the workplace"}


@dataclass(frozen=True)
class Constraints:
    """What the user allows: a budget, an hours limit, credentials and providers to avoid.

    Held credentials are exempt from every filter: they are achieved already.
    """

    budget: float | None = None  # max total fee
    max_hours: float | None = None
    exclude: frozenset[str] = frozenset()  # never newly taken
    exclude_providers: frozenset[str] = frozenset()
    providers: frozenset[str] | None = None  # only these
    delivery: frozenset[str] | None = None  # only credentials offering one of these modes
    allowed: frozenset[str] | None = None  # only these credentials (the target always is)
    # Recognition of prior learning: (credential, credits granted in it), sorted by id.
    rpl: tuple[tuple[str, float], ...] = ()

    def unavailable(self, c: Credential) -> str | None:
        """Why ``c`` cannot be newly taken (a verb phrase: "is excluded"), or None."""
        if c.id in self.exclude:
            return "is excluded"
        if self.allowed is not None and c.id not in self.allowed:
            return "is not among the allowed credentials"
        if c.effective_status == "discontinued":
            return "is discontinued"
        if c.provider is not None and c.provider in self.exclude_providers:
            return f"is offered by {c.provider}, an excluded provider"
        if self.providers is not None and c.provider not in self.providers:
            if c.provider is None:
                return "has no provider among the allowed ones"
            return f"is offered by {c.provider}, not an allowed provider"
        if self.delivery is not None and not self.delivery.intersection(c.delivery):
            modes = [_MODE_WORDS.get(m, m) for m in sorted(self.delivery)]
            return f"is not offered {' or '.join(modes)}"
        return None


@dataclass(frozen=True)
class TargetFilter:
    """Any qualification of ``min_credits``–``max_credits`` credits matching every field given."""

    field: str | None = None
    type: str | None = None
    min_level: int | None = None
    provider: str | None = None
    min_credits: int = 40
    max_credits: int = 360

    def matches(self, c: Credential) -> bool:
        """A qualification within the credit range and every given field (field ignores case
        and macrons)."""
        return CredentialFilter(kind="qualification", field=self.field, type=self.type,
                                min_level=self.min_level, provider=self.provider,
                                min_credits=self.min_credits,
                                max_credits=self.max_credits).matches(c)

    def describe(self) -> str:
        """The filter in words: "field 'Business', level ≥ 5, 40–360 credits"."""
        parts = []
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        if self.type is not None:
            parts.append(f"type {self.type}")
        if self.min_level is not None:
            parts.append(f"level ≥ {self.min_level}")
        if self.provider is not None:
            parts.append(f"provider {self.provider}")
        parts.append(f"{self.min_credits}–{self.max_credits} credits")
        return ", ".join(parts)


@dataclass(frozen=True)
class Step:
    """One credential to achieve, with what is recognised, what is left and why it is there."""

    id: str
    title: str
    kind: str
    level: int | None
    provider: str | None
    credits: Credits
    credits_recognised: Credits
    credits_studied: Credits
    fee: float
    hours: float
    counted_into: str | None
    counted_credits: Credits  # credits this one counts into counted_into
    reason: str
    running_fee: float
    running_hours: float
    running_credits: Credits
    start_week: float | None = None
    end_week: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "credits_recognised": self.credits_recognised,
            "credits_studied": self.credits_studied,
            "fee": money(self.fee),
            "hours": money(self.hours),
            "counted_into": self.counted_into,
            "reason": self.reason,
            "running_fee": money(self.running_fee),
            "running_hours": money(self.running_hours),
            "running_credits": self.running_credits,
        }
        if self.start_week is not None:
            out["start_week"] = money(self.start_week)
        if self.end_week is not None:
            out["end_week"] = money(self.end_week)
        return out


@dataclass(frozen=True)
class Route:
    """A set of credentials to achieve, in a followable order, with its totals."""

    target: str
    objective: str
    held: tuple[str, ...]
    steps: tuple[Step, ...]  # newly achieved credentials, in a followable order
    held_counted: tuple[tuple[str, str, Credits], ...]  # (held id, counted into, credits)
    fee: float
    hours: float
    credits_studied: Credits
    candidates: int  # size of the upstream set the solver looked at

    @property
    def credentials(self) -> tuple[str, ...]:
        """The ids of the credentials to achieve, sorted."""
        return tuple(sorted(s.id for s in self.steps))

    @property
    def target_title(self) -> str:
        return next((s.title for s in self.steps if s.id == self.target), "")

    def value(self, key: str) -> float:
        """The route's total for an objective (fee, hours or credits studied)."""
        return float(getattr(self, _TOTALS[key]))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``pathways route --json``."""
        return {
            "feasible": True,
            "target": self.target,
            "target_title": self.target_title,
            "objective": self.objective,
            "held": list(self.held),
            "total": {
                "fee": money(self.fee),
                "hours": money(self.hours),
                "credits_studied": self.credits_studied,
            },
            "steps": [s.to_dict() for s in self.steps],
            "held_counted": [
                {"id": h, "counted_into": into, "credits": n} for h, into, n in self.held_counted
            ],
            "candidates": self.candidates,
        }


class RouteTimeLimit(RouteError):
    """A route search that reached its time limit; ``routes`` holds the routes found so
    far, best first (they may not be the best: the message says so), or none."""

    def __init__(self, message: str, routes: list[Route]) -> None:
        super().__init__(message)
        self.routes = routes
