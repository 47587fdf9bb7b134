"""pathways.filters: one credential filter, text forgiving of case and macrons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.catalog import Credential
from pathways.filters import CredentialFilter, contains_text, did_you_mean, fold, unknown_message


def _c(cid: str, **kw: object) -> Credential:
    base: dict[str, object] = {"title": cid, "kind": "micro-credential", "credits": 10}
    base.update(kw)
    return Credential(id=cid, **base)  # type: ignore[arg-type]


CREDS = [
    _c("MC-TE-REO", title="Te reo Māori for the workplace", level=4, provider="WANANGA",
       field="Māori studies", skills=("kōrero",)),
    _c("MC-PYDATA5", title="Python for data", level=5, provider="NMIT", field="IT"),
    _c("DIP-ITS5", title="Diploma in IT", kind="qualification", type="diploma", level=5,
       credits=120, provider="NMIT", field="Information technology"),
    _c("NOLEVEL", title="Short course", kind="course", credits=5),
]


def _ids(f: CredentialFilter) -> list[str]:
    return [c.id for c in f.select(CREDS)]


def test_fold() -> None:
    assert fold("Wānanga") == "wananga"
    assert fold("MĀORI") == "maori"
    assert fold("Straße") == "strasse"
    assert fold("abc") == "abc"


def test_text_forgives_case_and_macrons() -> None:
    assert _ids(CredentialFilter(text="maori")) == ["MC-TE-REO"]
    assert _ids(CredentialFilter(text="KORERO")) == ["MC-TE-REO"]
    assert _ids(CredentialFilter(text="pydata")) == ["MC-PYDATA5"]
    assert contains_text(CREDS[0], "Te Reo")
    assert not contains_text(CREDS[1], "māori")


def test_each_condition() -> None:
    assert _ids(CredentialFilter()) == ["DIP-ITS5", "MC-PYDATA5", "MC-TE-REO", "NOLEVEL"]
    assert _ids(CredentialFilter(kind="qualification")) == ["DIP-ITS5"]
    assert _ids(CredentialFilter(type="diploma")) == ["DIP-ITS5"]
    assert _ids(CredentialFilter(provider="NMIT")) == ["DIP-ITS5", "MC-PYDATA5"]
    assert _ids(CredentialFilter(field="maori STUDIES")) == ["MC-TE-REO"]
    assert _ids(CredentialFilter(field="it")) == ["MC-PYDATA5"]
    assert _ids(CredentialFilter(level=5)) == ["DIP-ITS5", "MC-PYDATA5"]
    assert _ids(CredentialFilter(min_level=5)) == ["DIP-ITS5", "MC-PYDATA5"]
    assert _ids(CredentialFilter(max_level=4)) == ["MC-TE-REO"]
    assert _ids(CredentialFilter(min_credits=10, max_credits=10)) == ["MC-PYDATA5", "MC-TE-REO"]
    assert _ids(CredentialFilter(ids=frozenset({"NOLEVEL", "X"}))) == ["NOLEVEL"]
    assert _ids(CredentialFilter(provider="NMIT", kind="micro-credential")) == ["MC-PYDATA5"]


def test_did_you_mean() -> None:
    ids = [c.id for c in CREDS]
    assert did_you_mean("mc-pydata5", ids) == "MC-PYDATA5"
    assert did_you_mean("dip-its5", ids) == "DIP-ITS5"
    assert did_you_mean("wananga", ["WĀNANGA", "NMIT"]) == "WĀNANGA"
    assert did_you_mean("MC-PYDAT5", ids) == "MC-PYDATA5"
    assert did_you_mean("NOPE", ids) is None
    assert did_you_mean("x", []) is None
    assert unknown_message("provider", "kowai", ["KOWHAI", "NMIT"]) == (
        "unknown provider 'kowai' (did you mean 'KOWHAI'?)")
    assert unknown_message("credential", "NOPE", ids, "find ids with `pathways list`") == (
        "unknown credential 'NOPE'; find ids with `pathways list`")
    assert unknown_message("credential", "NOPE", ids) == "unknown credential 'NOPE'"


@given(st.text(max_size=20))
@pytest.mark.slow
def test_fold_is_idempotent_and_finds_itself(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert contains_text(_c("X", title=f"a{text}b"), text)
