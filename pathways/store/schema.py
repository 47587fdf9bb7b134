"""The store's schema: the sqlmodel tables and their SQLAlchemy ``Table`` objects, in the
order they are created and filled. Reads use the same names through plain SQL
(:mod:`pathways.store.reading`); :mod:`pathways.store.database` creates them.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table
from sqlmodel import Field, SQLModel

from pathways.store.reading import TABLE_NAMES

__all__ = ["TABLES", "META", "PROVIDERS", "CREDENTIALS", "DELIVERY", "SKILLS", "STACKING",
           "REQUIREMENTS", "COREQUISITES", "CORE", "LEVEL_PROFILES", "RULES", "RULE_MEMBERS",
           "INTAKES", "TERMS", "CHILD_TABLES"]

# Link tables are read in key order: on SQLite, store them in it (no separate rowid).
_CLUSTERED = {"sqlite_with_rowid": False}


class MetaRow(SQLModel, table=True):
    """Key/value facts about the database and the catalog-level fields of the catalog."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str
    position: int = 0


class ProviderBase(SQLModel):
    """The fields of a provider."""

    id: str = Field(primary_key=True)
    name: str = ""


class ProviderRow(ProviderBase, table=True):
    """A provider. ``listed`` is false for one that credentials name but the catalog did
    not list: it exists for the foreign key only and is not loaded back."""

    __tablename__ = "providers"
    position: int
    listed: bool = True
    origin: str | None = None  # where it was read (FILE:LINE or JSON path)


class CredentialBase(SQLModel):
    """The scalar fields of a credential (lists live in the link tables below)."""

    id: str = Field(primary_key=True)
    title: str
    kind: str
    credits: float
    level: int | None = None
    type: str | None = None
    provider: str | None = Field(default=None, foreign_key="providers.id", index=True)
    fee: float | None = None
    hours: float | None = None
    status: str | None = None
    review_due: str | None = None
    field: str | None = None
    max_recognised: float | None = None
    term: int | None = None
    direct_study: bool | None = None
    code: str | None = None
    duration_weeks: float | None = None  # schema 3


class CredentialRow(CredentialBase, table=True):
    """A credential, with its place in the catalog."""

    __tablename__ = "credentials"
    position: int
    origin: str | None = None


class DeliveryRow(SQLModel, table=True):
    """One delivery mode of a credential."""

    __tablename__ = "credential_delivery"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    position: int = Field(primary_key=True)
    mode: str


class SkillRow(SQLModel, table=True):
    """One skill of a credential."""

    __tablename__ = "skills"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    position: int = Field(primary_key=True)
    skill: str


class StackingRow(SQLModel, table=True):
    """Up to ``credits`` of the source's credits are recognised towards the target."""

    __tablename__ = "stacking"
    __table_args__ = _CLUSTERED
    source_id: str = Field(foreign_key="credentials.id", primary_key=True)
    target_id: str = Field(foreign_key="credentials.id", primary_key=True, index=True)
    credits: float
    position: int
    origin: str | None = None


class RequirementRow(SQLModel, table=True):
    """One alternative of one clause of an entry requirement (an AND of ORs).

    ``required_id`` is not a foreign key: validation decides whether a requirement may
    name an id outside the catalog, and the store keeps what it is given. A NULL
    ``required_id`` stands for an empty clause.
    """

    __tablename__ = "requirements"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    clause: int = Field(primary_key=True)
    alternative: int = Field(primary_key=True)
    required_id: str | None = None


class CorequisiteRow(SQLModel, table=True):
    """A co-requisite (``kind`` = "corequisite") or strict co-requisite ("strict")."""

    __tablename__ = "corequisites"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    kind: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    required_id: str


class CoreRow(SQLModel, table=True):
    """A credential that must be counted into ``credential_id`` for it to be awarded."""

    __tablename__ = "core_components"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    position: int = Field(primary_key=True)
    component_id: str


class LevelProfileRow(SQLModel, table=True):
    """At least ``minimum`` of the credential's credits must be at ``level`` or above."""

    __tablename__ = "level_profiles"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    level: int = Field(primary_key=True)
    minimum: float


class RuleRow(SQLModel, table=True):
    """A programme rule of a credential: ``kind`` min, max, min_credits or max_credits."""

    __tablename__ = "rules"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    position: int = Field(primary_key=True)
    kind: str
    amount: float
    name: str | None = None


class RuleMemberRow(SQLModel, table=True):
    """One id of a rule's list."""

    __tablename__ = "rule_members"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    rule: int = Field(primary_key=True)
    position: int = Field(primary_key=True)
    member_id: str


class IntakeRow(SQLModel, table=True):
    """One intake of a credential: an ISO date, a term name or "any-week" (schema 3)."""

    __tablename__ = "credential_intakes"
    __table_args__ = _CLUSTERED
    credential_id: str = Field(foreign_key="credentials.id", primary_key=True)
    position: int = Field(primary_key=True)
    intake: str


class TermRow(SQLModel, table=True):
    """One term of a calendar: the catalog's (``owner`` "") or a provider's (``owner`` its
    id; not a foreign key, the provider row comes and goes with its listing) (schema 3)."""

    __tablename__ = "calendar_terms"
    __table_args__ = _CLUSTERED
    owner: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    term: str
    start_date: str
    end_date: str


def _table(model: type[SQLModel]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


META = _table(MetaRow)
PROVIDERS = _table(ProviderRow)
CREDENTIALS = _table(CredentialRow)
DELIVERY = _table(DeliveryRow)
SKILLS = _table(SkillRow)
STACKING = _table(StackingRow)
REQUIREMENTS = _table(RequirementRow)
COREQUISITES = _table(CorequisiteRow)
CORE = _table(CoreRow)
LEVEL_PROFILES = _table(LevelProfileRow)
RULES = _table(RuleRow)
RULE_MEMBERS = _table(RuleMemberRow)
INTAKES = _table(IntakeRow)
TERMS = _table(TermRow)

# In the order they are created and filled (parents first).
TABLES = (META, PROVIDERS, CREDENTIALS, DELIVERY, SKILLS, STACKING, REQUIREMENTS,
          COREQUISITES, CORE, LEVEL_PROFILES, RULES, RULE_MEMBERS, INTAKES, TERMS)
# Tables holding one credential's lists, keyed by ``credential_id``.
CHILD_TABLES = (DELIVERY, SKILLS, REQUIREMENTS, COREQUISITES, CORE, LEVEL_PROFILES, RULES,
                RULE_MEMBERS, INTAKES)
assert tuple(t.name for t in TABLES) == TABLE_NAMES
