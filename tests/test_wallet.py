"""A learner's wallet as the held set (pathways.standards.wallet, route --have-file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DEMO_JSON, ROOT

from pathways.catalog import Catalog, Credential
from pathways.cli import cli
from pathways.errors import CatalogError
from pathways.formats import read_catalog
from pathways.standards.ob3_writer import ob3_document
from pathways.standards.wallet import held_from_wallet, looks_like_wallet, match_wallet

WALLET = ROOT / "graphs" / "examples" / "wallet.json"


def _badge(aid: str | None, name: str | None, **extra: Any) -> dict[str, Any]:
    ach: dict[str, Any] = {"type": ["Achievement"], "description": "d", "criteria": {},
                           **extra}
    if aid is not None:
        ach["id"] = aid
    if name is not None:
        ach["name"] = name
    return {"type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "https://issuer.example/", "type": ["Profile"]},
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": ach}}


def _catalog(*titles: tuple[str, str]) -> Catalog:
    return Catalog(credentials=[Credential(cid, title, "micro-credential", 10)
                                for cid, title in titles], framework="generic")


def test_the_example_wallet_against_the_demo() -> None:
    wallet = held_from_wallet(read_catalog(DEMO_JSON), WALLET)
    assert wallet.held == ["MC-CLOUD4", "MC-NETSEC4", "MC-HELPDESK4"]
    assert [(m.credentials, m.how) for m in wallet.matched] == [
        (("MC-CLOUD4",), "id"), (("MC-NETSEC4",), "alignment"),
        (("MC-HELPDESK4",), "title")]
    [miss] = wallet.unmatched
    assert (miss.name, miss.where) == ("Teamwork", f"{WALLET}:$[3].credentialSubject.achievement")
    assert wallet.notes() == [
        f"{WALLET}: 3 of 4 achievements matched: MC-CLOUD4 (by id), MC-NETSEC4 (by alignment), "
        "MC-HELPDESK4 (by title)",
        f"{WALLET}:$[3].credentialSubject.achievement: not matched: 'Teamwork' "
        "(https://example.com/achievements/21st-century-skills/teamwork): no catalog "
        "credential has its id, an alignment to it, or its title"]


def test_id_comes_before_alignment_before_title() -> None:
    catalog = _catalog(("A", "Alpha"), ("B", "Beta"), ("C", "Gamma"))
    align = [{"type": ["Alignment"], "targetType": "ceterms:Credential", "targetName": "B",
              "targetUrl": "https://reg.example/resources/B"}]
    docs = [("w.json", [_badge("A", "Gamma", alignment=align),
                        _badge("https://x.example/1", "Gamma", alignment=align),
                        _badge("https://x.example/2", "gamma"),
                        _badge("https://x.example/3", "Delta", humanCode="C")])]
    wallet = match_wallet(catalog, docs)
    assert [(m.credentials, m.how) for m in wallet.matched] == [
        (("A",), "id"), (("B",), "alignment"), (("C",), "title"), (("C",), "id")]
    assert wallet.held == ["A", "B", "C"]


def test_titles_forgive_case_and_macrons_but_not_ambiguity() -> None:
    catalog = _catalog(("M1", "Kaupapa Māori Enterprise"), ("T1", "Teamwork"),
                       ("T2", "TEAMWORK"))
    wallet = match_wallet(catalog, [("w.json", [
        _badge("urn:1", "kaupapa maori enterprise"), _badge("urn:2", "Teamwork")])])
    assert wallet.held == ["M1"]
    [miss] = wallet.unmatched
    assert miss.reason == ("its name is the title of 2 credentials (T1, T2); add the one "
                           "held by its id")


def test_an_alignment_to_several_credentials_holds_each() -> None:
    catalog = _catalog(("A", "Alpha"), ("B", "Beta"))
    aligns = [{"type": ["Alignment"], "targetName": x, "targetUrl": x} for x in ("B", "A")]
    wallet = match_wallet(catalog, [("w.json", _badge("urn:z", "Zeta", alignment=aligns))])
    assert wallet.held == ["A", "B"]


def test_our_own_export_is_a_wallet_that_matches_by_id() -> None:
    demo = read_catalog(DEMO_JSON)
    doc = ob3_document(demo)
    wallet = match_wallet(demo, [("demo-ob3.json", doc)])
    assert wallet.held == [c.id for c in demo.credentials]
    assert {m.how for m in wallet.matched} == {"id"}


def test_a_clr_wallet(shared_dir: Path) -> None:
    clr = shared_dir / "data" / "standards" / "openbadges" / "1edtech-clr20-simple.json"
    if not clr.is_file():
        pytest.skip("the CLR example is absent")
    catalog = _catalog(("TEAM", "Teamwork"), ("A2", "Achievement 2"))
    wallet = held_from_wallet(catalog, clr)
    assert wallet.held == ["A2", "TEAM"]  # in the order the CLR lists them
    assert [m.name for m in wallet.unmatched] == ["Achievement 1"]


def test_bad_wallets_are_one_line_errors(tmp_path: Path) -> None:
    catalog = _catalog(("A", "Alpha"))
    cases = {"broken.json": ("[{", "broken.json:1: not JSON"),
             "empty.json": ('{"name": "no badges here"}', "no Open Badges achievement found"),
             "deep.json": ("[" * 5000 + "]" * 5000, "JSON nested more than")}
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(CatalogError) as e:
            held_from_wallet(catalog, path)
        assert message in str(e.value) and "\n" not in str(e.value)


def test_a_wallet_is_told_from_a_list_of_ids(tmp_path: Path) -> None:
    ids = tmp_path / "held.txt"
    ids.write_text("MC-CLOUD4\n")
    json_text = tmp_path / "held.txt2"
    json_text.write_text('\ufeff  [{"type": "OpenBadgeCredential"}]')
    assert not looks_like_wallet(ids)
    assert looks_like_wallet(json_text)
    assert looks_like_wallet(tmp_path / "missing.json")


# -- the CLI -----------------------------------------------------------------------------
def test_route_with_a_wallet() -> None:
    result = CliRunner().invoke(cli, ["route", "--catalog", str(DEMO_JSON), "--to", "DIP-ITS5",
                                      "--have-file", str(WALLET)])
    assert result.exit_code == 0, result.output
    assert "Held and counted: MC-CLOUD4 → CERT-ITE4 (15 credits), MC-HELPDESK4 → " \
           "CERT-ITE4 (10 credits), MC-NETSEC4 → CERT-ITE4 (15 credits)" in result.stdout
    assert "3 of 4 achievements matched" in result.stderr
    assert "not matched: 'Teamwork'" in result.stderr


def test_route_with_a_wallet_as_json() -> None:
    result = CliRunner().invoke(cli, ["route", "--catalog", str(DEMO_JSON), "--to", "DIP-ITS5",
                                      "--have-file", str(WALLET), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["wallet"]["held"] == ["MC-CLOUD4", "MC-NETSEC4", "MC-HELPDESK4"]
    assert [m["name"] for m in data["wallet"]["unmatched"]] == ["Teamwork"]
    assert data["wallet"]["matched"][1]["by"] == "alignment"


def test_route_with_a_bad_wallet(tmp_path: Path) -> None:
    bad = tmp_path / "wallet.json"
    bad.write_text('{"type": ["OpenBadgeCredential"], "credentialSubject": ')
    result = CliRunner().invoke(cli, ["route", "--catalog", str(DEMO_JSON), "--to", "DIP-ITS5",
                                      "--have-file", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {bad}:1: not JSON: Expecting value"


def test_export_ob3_from_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "demo-ob3.json"
    result = CliRunner().invoke(cli, ["export", "--catalog", str(DEMO_JSON), "--format", "ob3",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["@graph"]) == 93
    assert doc == ob3_document(read_catalog(DEMO_JSON))


def test_a_badge_aligned_to_a_ctdl_credential_matches_the_imported_pathway(
        shared_dir: Path) -> None:
    path = shared_dir / "data" / "standards" / "ctdl" / "comptia-it-networking-specialist.jsonld"
    if not path.is_file():
        pytest.skip("the CTDL example is absent")
    catalog = read_catalog(path)
    ctid = catalog.credentials[0].id
    assert ctid.startswith("ce-")
    align = [{"type": ["Alignment"], "targetType": "CTDL", "targetName": "x",
              "targetUrl": f"https://credentialengineregistry.org/resources/{ctid}"}]
    wallet = match_wallet(catalog, [("w.json", _badge("https://issuer.example/b/1",
                                                      "Some certification", alignment=align))])
    assert wallet.held == [ctid] and wallet.matched[0].how == "alignment"


def test_route_with_a_wallet_against_a_database(tmp_path: Path) -> None:
    db = tmp_path / "catalog.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(DEMO_JSON), "--db", str(db)]).exit_code == 0
    result = runner.invoke(cli, ["route", "--db", str(db), "--to", "DIP-ITS5",
                                 "--have-file", str(WALLET), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["wallet"]["held"] == ["MC-CLOUD4", "MC-NETSEC4", "MC-HELPDESK4"]
    assert data["total"]["fee"] == 6060
