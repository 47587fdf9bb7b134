"""The web app through FastAPI's test client: every page and endpoint, bad input, a
hostile catalog, the guards (methods, sizes, time limit) and the serve command."""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx2")

from fastapi.testclient import TestClient  # noqa: E402

import pathways  # noqa: E402
from pathways.catalog import Catalog, Credential, Provider, Stacking  # noqa: E402
from pathways.filters import fold  # noqa: E402
from pathways.web.app import create_app  # noqa: E402
from pathways.web.site import Site  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "graphs" / "demo.json"


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return pathways.read_catalog(DEMO)


@pytest.fixture(scope="module")
def site(demo: Catalog) -> Site:
    return Site(demo, str(DEMO))


@pytest.fixture(scope="module")
def client(site: Site) -> TestClient:
    return TestClient(create_app(site))


def text_of(page: str) -> str:
    """A page's visible text, roughly: tags and inline SVG dropped, entities decoded."""
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    page = re.sub(r"</?(?:a|bdi|strong|span|code|b|em)\b[^>]*>", "", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


# -- every page ----------------------------------------------------------------------------

PAGES = [
    "/", "/catalog", "/catalog?q=cloud", "/catalog/CERT-ITE4", "/plan",
    "/plan?to=DIP-ITS5&have=MC-CLOUD4", "/gaps", "/gaps?provider=rawhiti", "/what-if",
    "/what-if?asked=1&add_edge=MC-SQL5:CERT-ITE4:10", "/maps", "/maps?provider=ngahere",
    "/metrics", "/metrics?to=DIP-ITS5", "/docs",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_with_a_safe_html_page(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    body = r.text
    assert '<html lang="en">' in body and 'name="viewport"' in body
    assert "Traceback" not in body
    assert ' style="' not in body  # the CSP allows no inline styles
    assert "<script>" not in body  # only the vendored file, by src
    # Every control has a label.
    for control_id in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', body):
        assert f'for="{control_id}"' in body, control_id


def test_static_files_are_served(client: TestClient) -> None:
    assert "focus-visible" in client.get("/static/style.css").text
    assert "data-filter-table" in client.get("/static/app.js").text


# -- catalog -------------------------------------------------------------------------------


def test_search_forgives_case_and_macrons(client: TestClient, demo: Catalog) -> None:
    whanau = text_of(client.get("/catalog?q=whanau").text)
    assert "Whānau Ora Practice Foundations" in whanau
    both = client.get("/api/credentials?q=te+MAORI+reo").json()["credentials"]
    assert [c["title"] for c in both] == ["Te Reo Māori in Early Learning"]
    maori = client.get("/api/credentials?q=MAORI").json()
    for c in maori["credentials"]:
        words = fold(" ".join([c["id"], c["title"], *c.get("skills", [])]))
        assert "maori" in words
    titles = {c["title"] for c in maori["credentials"]}
    assert {"Certificate in Māori Enterprise (Level 4)", "Te Reo Māori in Early Learning",
            "Tikanga Māori in Health Practice"} <= titles


def test_catalog_filters_and_pages(client: TestClient, demo: Catalog) -> None:
    r = client.get("/api/credentials?kind=qualification&field=Information+technology")
    want = sorted(c.id for c in demo
                  if c.kind == "qualification" and c.field == "Information technology")
    assert [c["id"] for c in r.json()["credentials"]] == want
    assert r.json()["count"] == len(want)
    level = client.get("/api/credentials?level=5&provider=rawhiti").json()
    assert level["count"] == sum(1 for c in demo if c.level == 5 and c.provider == "rawhiti")
    first = text_of(client.get("/catalog").text)
    assert f"{len(demo)} of {len(demo)} credentials, page 1 of 2" in first
    second = client.get("/catalog?page=2")
    assert second.status_code == 200 and "Previous page" in second.text
    assert client.get("/catalog?page=9").status_code == 404


@pytest.mark.parametrize("url, message", [
    ("/catalog?provider=nobody", "unknown provider 'nobody'"),
    ("/catalog?kind=pizza", "no credential is of the kind 'pizza'"),
    ("/catalog?field=Astrology", "no credential has the field 'Astrology'"),
    ("/catalog?level=eleven", "level: eleven is not a number"),
    ("/catalog?level=99", "level: 99 is out of range (0 to 10)"),
    ("/catalog?page=1.5", "page: 1.5 is not a whole number"),
])
def test_catalog_bad_filters_say_what_to_do(client: TestClient, url: str,
                                            message: str) -> None:
    r = client.get(url)
    assert r.status_code == 400
    page = text_of(r.text)
    assert message in page and "What to do:" in page
    assert client.get("/api" + url.replace("/catalog", "/credentials")).json()["error"] == message


def test_credential_page_has_everything_show_prints(client: TestClient) -> None:
    r = client.get("/catalog/CERT-ITE4")
    page = text_of(r.text)
    for words in ("Certificate in Information Technology Essentials (Level 4)",
                  "qualification (certificate)", "Rāwhiti Polytechnic", "$3,300",
                  "600 (10 a credit)", "online, blended", "2027-12-31",
                  "it-support, networking, cloud, digital-literacy, customer-service",
                  "≥ 40 credits at level ≥ 4", "Stacks into (1)", "Stacked from (4)",
                  "MC-NETSEC4 — 20 credits", "Required by DIP-ITS5, DIP-SWD6"):
        assert words in page, words
    assert '<img src="/catalog/CERT-ITE4/map.svg?sheet=1"' in r.text
    svg = client.get("/catalog/CERT-ITE4/map.svg?sheet=1")
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content
    assert client.get("/catalog/CERT-ITE4/map.svg?sheet=7").status_code == 404


def test_credential_api_is_show_json(client: TestClient) -> None:
    body = client.get("/api/credentials/CERT-ITE4").json()
    assert body["credential"]["id"] == "CERT-ITE4"
    assert body["stacks_into"] == [{"id": "DIP-ITS5", "credits": 50}]
    assert [e["id"] for e in body["stacked_from"]] == [
        "MC-CLOUD4", "MC-DIGI3", "MC-HELPDESK4", "MC-NETSEC4"]
    assert body["required_by"] == ["DIP-ITS5", "DIP-SWD6"]


def test_unknown_credential_is_a_404_page_saying_how_to_find_one(client: TestClient) -> None:
    r = client.get("/catalog/NOPE-1")
    assert r.status_code == 404
    assert "unknown credential 'NOPE-1'" in text_of(r.text)
    assert "search the catalog" in text_of(r.text)
    api = client.get("/api/credentials/NOPE-1")
    assert api.status_code == 404
    assert api.json() == {"error": "unknown credential 'NOPE-1'",
                          "hint": "search the catalog for its title or id"}
    assert client.get("/catalog/cert-ite4").status_code == 200  # ids in any case


# -- plan a route ---------------------------------------------------------------------------


def test_plan_shows_the_librarys_route(client: TestClient, demo: Catalog) -> None:
    route = pathways.with_schedule(
        pathways.find_route(demo, "DIP-ITS5", held=["MC-CLOUD4", "MC-PYDATA5"]), 10)
    r = client.get("/plan?to=DIP-ITS5&have=MC-CLOUD4&have=MC-PYDATA5")
    page = text_of(r.text)
    assert "$6,815 fee 1,070 hours 107 credits to study 2 credentials to achieve" in page
    for s in route.steps:
        assert s.reason in page and s.id in page
    assert "MC-CLOUD4, held already, counts 15 credits into CERT-ITE4." in page
    assert "MC-PYDATA5, held already, counts 10 credits into DIP-ITS5." in page
    # The held ones are ticked, the others offered.
    assert re.search(r'value="MC-CLOUD4" id="have-\d+" checked', r.text)
    assert re.search(r'value="MC-NETSEC4" id="have-\d+">', r.text)
    # Map, timeline, handout, alternatives.
    assert '/plan/map.svg?to=DIP-ITS5&amp;have=MC-CLOUD4&amp;have=MC-PYDATA5' in r.text
    assert 'aria-labelledby="timeline-t timeline-d"' in r.text
    assert "/plan/handout.pdf?to=DIP-ITS5&amp;have=MC-CLOUD4&amp;have=MC-PYDATA5" in r.text
    # Alternatives and trade-offs come a moment later, from their own address.
    options = "/plan/options?to=DIP-ITS5&amp;have=MC-CLOUD4&amp;have=MC-PYDATA5"
    assert f'<a href="{options}">' in r.text
    assert f'data-load="{options}&amp;fragment=1"' in r.text
    alternatives = pathways.find_routes(demo, "DIP-ITS5", k=3,
                                        held=["MC-CLOUD4", "MC-PYDATA5"])
    for url in (options, options + "&amp;fragment=1"):
        more = client.get(html.unescape(url))
        assert more.status_code == 200
        words = text_of(more.text)
        assert f"The {len(alternatives)} best routes by fee" in words
        for a in alternatives:
            assert ", ".join(a.credentials) in words
    fragment = client.get(html.unescape(options) + "&fragment=1").text
    assert "<html" not in fragment and "<h2" in fragment


def test_plan_options_show_the_tradeoffs(client: TestClient, demo: Catalog) -> None:
    fronts = pathways.pareto_routes(demo, "CERT-CTS3")
    assert len(fronts) > 1  # the demo has a trade-off here
    r = client.get("/plan/options?to=CERT-CTS3")
    assert 'aria-labelledby="tradeoff-t tradeoff-d"' in r.text
    words = text_of(r.text)
    for f in fronts:
        assert ", ".join(f.credentials) in words
    assert client.get("/plan/options?to=DIP-ITS5&budget=10").status_code == 404
    assert client.get("/plan/options").status_code == 400


def test_plan_json_is_route_json_with_alternatives(client: TestClient, demo: Catalog) -> None:
    body = client.get("/api/route?to=DIP-ITS5&have=MC-CLOUD4").json()
    want = pathways.with_schedule(
        pathways.find_route(demo, "DIP-ITS5", held=["MC-CLOUD4"]), 10).to_dict()
    assert {k: body[k] for k in want} == want
    assert body["alternatives"][0]["total"] == want["total"]
    fronts = pathways.pareto_routes(demo, "DIP-ITS5", held=["MC-CLOUD4"])
    assert [t["total"] for t in body["tradeoffs"]] == [r.to_dict()["total"] for r in fronts]


def test_plan_constraints_and_objective_reach_the_engine(client: TestClient,
                                                         demo: Catalog) -> None:
    from pathways import Constraints

    url = ("/api/route?to=DIP-ITS5&by=hours&exclude=CERT-ITE4&exclude_provider=kowhai"
           "&delivery=online&budget=$20,000&max_hours=3000")
    body = client.get(url).json()
    want = pathways.find_route(demo, "DIP-ITS5", by="hours", constraints=Constraints(
        budget=20000, max_hours=3000, exclude=frozenset({"CERT-ITE4"}),
        exclude_providers=frozenset({"kowhai"}), delivery=frozenset({"online"})))
    assert body["total"] == want.to_dict()["total"]
    assert body["objective"] == "hours"


def test_plan_by_typed_words_offers_the_matches(client: TestClient) -> None:
    r = client.get("/plan?to=diploma+business&have=MC-CLOUD4")
    page = text_of(r.text)
    assert "Which one?" in page
    assert "DIP-BUS5 — Diploma in Business (Level 5)" in page
    assert "/plan?to=DIP-BUS5&amp;have=MC-CLOUD4" in r.text  # keeps the rest of the plan
    one = client.get("/plan?to=information+technology+technical+support")
    assert "Route to Diploma in Information Technology Technical Support" in text_of(one.text)
    none = client.get("/plan?to=underwater+basket+weaving")
    assert none.status_code == 404
    assert "nothing in the catalog matches 'underwater basket weaving'" in text_of(none.text)


def test_plan_by_filter(client: TestClient, demo: Catalog) -> None:
    from pathways import TargetFilter

    r = client.get("/plan?field=Information+technology&min_level=5&have=MC-NETSEC4")
    want = pathways.find_route(demo, TargetFilter(field="Information technology",
                                                  min_level=5), held=["MC-NETSEC4"])
    page = text_of(r.text)
    assert f"({want.target})" in page
    assert "The cheapest over the qualifications matching field 'Information technology'" \
        in page


def test_plan_why_not(client: TestClient) -> None:
    r = client.get("/plan?to=DIP-ITS5&budget=5000")
    assert r.status_code == 404
    page = text_of(r.text)
    assert "Why not?" in page
    assert "no route within budget 5000: the cheapest costs 8090" in page
    api = client.get("/api/route?to=DIP-ITS5&budget=5000")
    assert api.status_code == 404
    assert api.json() == {"feasible": False, "target": "DIP-ITS5",
                          "reason": "no route within budget 5000: the cheapest costs 8090"}
    blocked = client.get("/plan?to=DIP-ITS5&exclude=CERT-ITE4,MC-NETSEC4,MC-HELPDESK4")
    assert ("DIP-ITS5 requires CERT-ITE4, MC-HELPDESK4 or MC-NETSEC4; all are excluded"
            in text_of(blocked.text))


@pytest.mark.parametrize("query, status, message", [
    ("to=DIP-ITS5&budget=lots", 400, "budget: lots is not a number"),
    ("to=DIP-ITS5&budget=nan", 400, "budget: nan is not a number"),
    ("to=DIP-ITS5&budget=-5", 400, "budget: -5 is out of range (0 to 100,000,000)"),
    ("to=DIP-ITS5&max_hours=inf", 400, "most hours: inf is out of range"),
    ("to=DIP-ITS5&hours_per_week=0", 400, "hours a week: 0 is out of range (1 to 168)"),
    ("to=DIP-ITS5&by=luck", 400, "objective 'luck' is not one of the choices"),
    ("to=DIP-ITS5&delivery=teleport", 400, "delivery mode 'teleport' is not one of"),
    ("to=DIP-ITS5&have=MC-NOPE", 404, "unknown credential 'MC-NOPE'"),
    ("to=DIP-ITS5&only_provider=nobody", 400, "unknown provider 'nobody'"),
    ("to=DIP-ITS5&field=Business", 400, "give a target or a filter"),
    ("to=DIP-ITS5&have=DIP-ITS5", 400, "DIP-ITS5 is held already"),
    ("field=Astrology", 400, "no credential has the field 'Astrology'"),
    ("min_level=12", 400, "minimum level: 12 is out of range"),
    ("to=" + "x" * 600, 414, "characters long"),
    ("to=GDIP-DS7&rpl=DATA701", 400, "prior learning 'DATA701' is not ID=CREDITS"),
    ("to=GDIP-DS7&rpl=DATA701=lots", 400, "prior learning 'DATA701=lots' is not ID=CREDITS"),
    ("to=GDIP-DS7&rpl=DATA701=nan", 400, "is not ID=CREDITS"),
    ("to=GDIP-DS7&rpl==5", 400, "prior learning '=5' is not ID=CREDITS"),
    ("to=GDIP-DS7&rpl=DATA701=5,DATA701=2", 400, "prior learning for DATA701 is given twice"),
    ("to=GDIP-DS7&rpl=MC-NOPE=5", 404, "unknown credential 'MC-NOPE'"),
    ("to=GDIP-DS7&rpl=DATA701=99", 400,
     "prior learning credits for DATA701: 99 is out of range"),
    ("to=GDIP-DS7&rpl=DATA701=0.3", 400,
     "prior learning credits for DATA701 must be a multiple of 0.5"),
    ("to=GDIP-DS7&rpl=DATA701=-1", 400, "prior learning credits for DATA701: -1"),
    ("skills=cloud&to=DIP-ITS5", 400, "give skills or a target"),
    ("skills=cloud&field=Business", 400, "give skills or a target"),
    ("rpl=" + "A=1," * 200, 414, "characters long"),
])
def test_plan_bad_input_is_a_page_saying_what_to_do(client: TestClient, query: str,
                                                    status: int, message: str) -> None:
    r = client.get("/plan?" + query)
    assert r.status_code == status, r.text[:300]
    page = text_of(r.text)
    assert message in page and "What to do:" in page
    api = client.get("/api/route?" + query)
    assert api.status_code == status and message in api.json()["error"]


def test_plan_url_holds_the_whole_plan(client: TestClient) -> None:
    url = ("/plan?to=DIP-ITS5&have=MC-CLOUD4&by=hours&budget=9000&max_hours=2000"
           "&delivery=online&only_provider=rawhiti&exclude=MC-SQL5&hours_per_week=15")
    r = client.get(url)
    share = re.search(r'id="share-url" readonly value="([^"]+)"', r.text)
    assert share is not None
    shared = html.unescape(share.group(1))
    assert shared.startswith("http://testserver/plan?")
    again = client.get(shared.removeprefix("http://testserver"))
    strip = re.compile(r'<input id="share-url"[^>]*>')
    assert strip.sub("", again.text) == strip.sub("", r.text)
    for piece in ("by=hours", "budget=9000", "max_hours=2000", "delivery=online",
                  "only_provider=rawhiti", "exclude=MC-SQL5", "hours_per_week=15"):
        assert piece in shared


def test_plan_with_prior_learning(client: TestClient, demo: Catalog) -> None:
    want = pathways.with_schedule(pathways.find_route(
        demo, "GDIP-DS7", held=["MC-ML7"], rpl={"DATA701": 7.5}), 10)
    url = "/plan?to=GDIP-DS7&have=MC-ML7&rpl=DATA701%3D7.5"
    r = client.get(url)
    assert r.status_code == 200
    page = text_of(r.text)
    assert "$7,410 fee 975 hours 97.5 credits to study 8 credentials to achieve" in page
    assert "Prior learning recognised: 7.5 credits of DATA701 are granted." in page
    assert 'id="f-rpl" name="rpl" value="DATA701=7.5"' in r.text
    assert '<label for="f-rpl">' in r.text
    # In the shared URL, the map, the handout and the JSON twin.
    assert "rpl=DATA701%3D7.5" in re.search(r'id="share-url" readonly value="([^"]+)"',
                                            r.text).group(1)
    assert "/plan/map.svg?to=GDIP-DS7&amp;have=MC-ML7&amp;rpl=DATA701%3D7.5" in r.text
    body = client.get("/api/route?to=GDIP-DS7&have=MC-ML7&rpl=DATA701=7.5").json()
    assert {k: body[k] for k in want.to_dict()} == want.to_dict()
    without = client.get("/api/route?to=GDIP-DS7&have=MC-ML7").json()
    assert without["total"]["fee"] > body["total"]["fee"]
    # Several grants, in one field or repeated.
    two = client.get("/api/route?to=GDIP-DS7&rpl=DATA701=7.5,+DATA702=15").json()
    assert two == client.get("/api/route?to=GDIP-DS7&rpl=DATA701=7.5&rpl=DATA702=15").json()


def test_plan_to_skills(client: TestClient, demo: Catalog) -> None:
    from pathways.routes import find_skills_route

    want = pathways.with_schedule(find_skills_route(
        demo, ["statistics", "cloud", "python"], held=["MC-CLOUD4"]), 10)
    r = client.get("/plan?skills=statistics,+cloud,+python&have=MC-CLOUD4")
    assert r.status_code == 200
    page = text_of(r.text)
    assert "Route to the skills statistics, cloud, python" in page
    assert "$1,760 fee 250 hours 25 credits to study 2 credentials to achieve" in page
    for s in want.steps:
        assert s.id in page and s.reason in page
    assert '<label for="f-skills">' in r.text
    assert 'id="f-skills" name="skills" value="statistics, cloud, python"' in r.text
    assert "/plan/options" not in r.text  # the library finds the cheapest route only
    body = client.get("/api/route?skills=statistics,cloud,python&have=MC-CLOUD4").json()
    assert {k: body[k] for k in want.to_dict()} == want.to_dict()
    svg = client.get("/plan/map.svg?skills=statistics,cloud,python&have=MC-CLOUD4")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg")
    pdf = client.get("/plan/handout.pdf?skills=statistics&rpl=DATA701=7.5")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    nowhere = client.get("/plan?skills=astrology")
    assert nowhere.status_code == 404 and "Why not?" in text_of(nowhere.text)
    assert client.get("/api/route?skills=astrology").json()["feasible"] is False
    assert client.get("/plan/options?skills=cloud").status_code == 400


def test_plan_skills_and_prior_learning_are_escaped(client: TestClient) -> None:
    r = client.get("/plan?skills=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    bad = client.get("/plan?to=DIP-ITS5&rpl=%3Cb%3E%22x")
    assert bad.status_code == 400
    assert "<b>" not in bad.text and "&lt;b&gt;" in bad.text


@pytest.mark.slow
def test_handout_is_the_route_map_as_a_pdf(client: TestClient, tmp_path: Path) -> None:
    r = client.get("/plan/handout.pdf?to=DIP-ITS5&have=MC-CLOUD4")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert r.headers["content-disposition"] == 'attachment; filename="route-DIP-ITS5.pdf"'
    # The PDF the command line makes for the same learner, byte for byte.
    from pathways.cli import main

    cli_pdf = tmp_path / "handout.pdf"
    assert main(["draw", "--catalog", str(DEMO), "--to", "DIP-ITS5", "--have", "MC-CLOUD4",
                 "--style", "brochure", "-o", str(cli_pdf)]) == 0
    assert r.content == cli_pdf.read_bytes()
    svg = client.get("/plan/map.svg?to=DIP-ITS5&have=MC-CLOUD4")
    assert b"Cheapest route by fee for a learner holding MC-CLOUD4" in svg.content
    nothing = client.get("/plan/handout.pdf?to=DIP-ITS5&budget=10")
    assert nothing.status_code == 404 and "no route within budget 10" in nothing.text
    assert client.get("/plan/handout.pdf").status_code == 400


# -- gaps and what-if -----------------------------------------------------------------------


def test_gaps_table_is_the_report(client: TestClient, demo: Catalog) -> None:
    from pathways.gaps import GapOptions, find_gaps

    report = find_gaps(demo, GapOptions())
    page = text_of(client.get("/gaps").text)
    assert f"{len(report.findings)} findings in {len(demo)} credentials" in page
    for f in report.findings:
        assert f.message in page
    assert "Micro-credentials that stack, directly or through others, into no" in page
    body = client.get("/api/gaps").json()
    assert body == report.to_dict()


def test_gaps_filter_and_sort(client: TestClient) -> None:
    api = client.get("/api/gaps?kind=stale&severity=high").json()
    assert api["findings"] and all(f["kind"] == "stale" and f["severity"] == "high"
                                   for f in api["findings"])
    rawhiti = client.get("/api/gaps?provider=rawhiti").json()["findings"]
    assert rawhiti and all("rawhiti" in f["providers"] for f in rawhiti)
    forestry = client.get("/api/gaps?field=forestry").json()["findings"]
    assert any("MC-CHAINSAW3" in f["credentials"] for f in forestry)
    r = client.get("/gaps?kind=shortfall&sort=figure&dir=desc")
    figures = [float(x) for x in re.findall(r'<td class="n"[^>]*>(\d+)%</td>', r.text)]
    assert figures == sorted(figures, reverse=True) and len(figures) > 1
    assert 'aria-sort="descending"' in r.text
    words = text_of(client.get("/gaps?q=chainsaw").text)
    assert "1 finding shown" in words or "findings shown" in words
    assert "MC-CHAINSAW3" in words and "MC-EVBAT4" not in words


def test_gaps_coverage_chart_has_a_table(client: TestClient, demo: Catalog) -> None:
    from pathways.drawing import coverage_shares

    r = client.get("/gaps?provider=rawhiti")
    assert 'aria-labelledby="coverage-t coverage-d"' in r.text
    page = text_of(r.text)
    for qid, share in coverage_shares(demo, "rawhiti").items():
        assert f"{qid}" in page and f"{share:.0%}" in page
    api = client.get("/api/coverage?provider=rawhiti").json()
    assert api["coverage"]["DIP-ENGCIV6"] == pytest.approx(15 / 240, abs=1e-4)
    assert client.get("/api/coverage?provider=nobody").status_code == 400
    assert "Choose a provider above" in text_of(client.get("/gaps").text)


def test_gaps_bad_filters(client: TestClient) -> None:
    r = client.get("/gaps?kind=potholes")
    assert r.status_code == 400 and "gap kind 'potholes' is not one of" in text_of(r.text)
    assert client.get("/gaps?provider=nobody").status_code == 400
    assert client.get("/gaps?sort=colour").status_code == 400


def test_whatif_shows_the_routes_that_change(client: TestClient, demo: Catalog) -> None:
    from pathways.gaps import GapOptions
    from pathways.whatif import Change, what_if

    url = ("/what-if?asked=1&new_id=MC-PIPE3&new_title=Pipe+Fitting&new_credits=15"
           "&new_level=3&new_fee=900&new_provider=rawhiti&new_into=CERT-PLUMB3"
           "&price_id=PLB301&price_fee=900&gaps=1")
    page = text_of(client.get(url).text)
    assert "add MC-PIPE3 (micro-credential, 15 credits, fee $900)" in page
    assert "stack 15 credits of MC-PIPE3 into CERT-PLUMB3" in page
    assert "price PLB301 at $900" in page
    assert "CERT-PLUMB3 cheaper $3,900 $3,750 −$150" in page
    assert "Gaps that close" in page and "no-on-ramp: no micro-credential stacks into" in page
    api = client.get("/api/what-if?add_edge=MC-SQL5:CERT-ITE4:10&price=MC-CLOUD4=700&gaps=0")
    want = what_if(demo, [Change.add_edge("MC-SQL5", "CERT-ITE4", 10),
                          Change.price("MC-CLOUD4", 700)], GapOptions(), gaps=False)
    assert api.json() == want.to_dict()


@pytest.mark.parametrize("query, message", [
    ("asked=1", "no change given"),
    ("asked=1&new_id=MC-X&new_title=X", "needs its credits, level"),
    ("asked=1&new_id=CERT-ITE4&new_title=X&new_credits=5&new_level=3", "in the catalog"),
    ("asked=1&edge_from=MC-SQL5&edge_to=CERT-ITE4", "needs from, to and credits"),
    ("asked=1&price_id=MC-SQL5", "needs a credential and a fee"),
    ("asked=1&price_id=MC-SQL5&price_fee=cheap", "new fee: cheap is not a number"),
    ("asked=1&add_edge=MC-SQL5-CERT-ITE4", "FROM:TO:CREDITS"),
    ("asked=1&remove=NOPE", "unknown credential 'NOPE'"),
    ("asked=1&add_edge=MC-SQL5:NOPE:10", "NOPE"),
])
def test_whatif_bad_input(client: TestClient, query: str, message: str) -> None:
    r = client.get("/what-if?" + query)
    assert 400 <= r.status_code < 500
    assert message in text_of(r.text) and "What to do:" in text_of(r.text)


# -- maps and metrics -----------------------------------------------------------------------


@pytest.mark.slow
def test_maps_preview_and_download(client: TestClient) -> None:
    r = client.get("/maps?provider=rawhiti&page=A4&format=pdf")
    page = text_of(r.text)
    assert "Rāwhiti Polytechnic — Business, Technology and Trades: pathways" in page
    pages = int(re.search(r"on (\d+) A4 pages?", page).group(1))  # type: ignore[union-attr]
    assert r.text.count('src="/maps/preview.svg?') == pages
    pdf = client.get("/maps/download?provider=rawhiti&page=A4&format=pdf")
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"] == 'attachment; filename="map-rawhiti.pdf"'
    png = client.get("/maps/download?to=DIP-ITS5&page=A5&format=png")
    assert png.content.startswith(b"\x89PNG")
    svg = client.get("/maps/download?to=DIP-ITS5&format=svg&orientation=landscape&fee=1")
    assert b"<svg" in svg.content and b"$8,400" in svg.content
    assert svg.headers["content-security-policy"].startswith("default-src 'none'")
    whole = client.get("/maps")
    assert whole.status_code == 200 and "preview.svg" not in whole.text


@pytest.mark.parametrize("query, args", [
    ("provider=rawhiti", ["--provider", "rawhiti"]),
    ("to=DIP-ITS5&page=A3", ["--to", "DIP-ITS5", "--page", "A3"]),
    ("from=MC-CLOUD4&orientation=landscape", ["--from", "MC-CLOUD4", "--landscape"]),
    ("field=forestry&fee=1", ["--field", "forestry", "--fee"]),
])
@pytest.mark.slow
def test_maps_are_the_pdf_the_command_line_draws(client: TestClient, tmp_path: Path,
                                                 query: str, args: list[str]) -> None:
    from pathways.cli import main

    out = tmp_path / "map.pdf"
    assert main(["draw", "--catalog", str(DEMO), *args, "-o", str(out)]) == 0
    assert client.get(f"/maps/download?{query}&format=pdf").content == out.read_bytes()


def test_credential_map_downloads(client: TestClient) -> None:
    r = client.get("/catalog/MC-CLOUD4/map.pdf")
    assert r.content.startswith(b"%PDF")
    assert r.headers["content-disposition"] == 'attachment; filename="map-MC-CLOUD4.pdf"'
    assert "/catalog/MC-CLOUD4/map.pdf" in client.get("/catalog/MC-CLOUD4").text


@pytest.mark.parametrize("query, status, message", [
    ("to=NOPE", 404, "unknown credential 'NOPE'"),
    ("provider=nobody", 400, "unknown provider 'nobody'"),
    ("field=Astrology", 400, "no credential has the field 'Astrology'"),
    ("page=A0&to=DIP-ITS5", 400, "page size 'A0' is not one of the choices"),
    ("format=gif&to=DIP-ITS5", 400, "format 'gif' is not one of the choices"),
])
def test_maps_bad_input(client: TestClient, query: str, status: int, message: str) -> None:
    r = client.get("/maps?" + query)
    assert r.status_code == status and message in text_of(r.text)


def test_maps_too_big_are_refused(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathways.web import answers, maps

    for module in (answers, maps):  # a route's drawing (answers) and a scope's (maps)
        monkeypatch.setattr(module, "MAX_MAP_CREDENTIALS", 10)
    assert client.get("/maps").status_code == 200  # the form alone
    r = client.get("/maps?provider=rawhiti")
    assert r.status_code == 413
    assert "this server draws at most 10" in text_of(r.text)
    assert "`pathways draw`" in text_of(r.text)


def test_metrics_are_the_librarys(client: TestClient, demo: Catalog) -> None:
    from pathways.drawing import select
    from pathways.metrics import compute_metrics

    whole = compute_metrics(demo)
    assert client.get("/api/metrics").json() == whole.to_dict()
    sub = compute_metrics(demo.subset(select(demo, to="DIP-ITS5").ids))
    assert client.get("/api/metrics?to=DIP-ITS5").json() == sub.to_dict()
    page = text_of(client.get("/metrics?to=DIP-ITS5&sort=blocking").text)
    assert f"{sub.total.blocking} blocking" in page
    assert "Pathways to Diploma in Information Technology Technical Support" in page
    assert client.get("/metrics?sort=beauty").status_code == 400
    assert client.get("/metrics?to=NOPE").status_code == 404


def test_stats_and_openapi(client: TestClient, demo: Catalog) -> None:
    from pathways.stats import catalog_stats

    assert client.get("/api/stats").json() == catalog_stats(demo)
    spec = client.get("/openapi.json").json()
    assert {"/api/route", "/api/gaps", "/api/what-if", "/api/metrics", "/api/credentials",
            "/api/credentials/{cid}", "/api/stats", "/api/coverage"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert "GET /api/route" in text_of(docs.text)
    for example in re.findall(r'Example: <a href="([^"]+)"', docs.text):
        assert client.get(html.unescape(example)).status_code == 200, example
    assert "cdn" not in docs.text.casefold()  # served offline, no JavaScript from elsewhere
    assert client.get("/redoc").status_code == 404


# -- guards ---------------------------------------------------------------------------------


def test_read_only_methods_sizes(client: TestClient) -> None:
    for method in ("post", "put", "delete", "patch"):
        r = getattr(client, method)("/api/route")
        assert r.status_code == 405
        assert r.json()["error"] == f"{method.upper()} is not allowed: this app only reads"
    page = client.post("/plan")
    assert page.status_code == 405 and "this app only reads" in text_of(page.text)
    long = client.get("/plan?to=DIP-ITS5&" + "&".join(f"have=X{i}" for i in range(900)))
    assert long.status_code == 414 and "the address is too long" in text_of(long.text)
    many = client.get("/api/route?to=DIP-ITS5&have=" + ",".join(f"A{i}" for i in range(250)))
    assert many.status_code == 413 and "250 values of have given" in many.json()["error"]
    body = client.request("GET", "/plan", content=b"x" * 10)
    assert body.status_code == 413
    assert client.get("/nowhere").status_code == 404
    assert "there is no page /nowhere" in text_of(client.get("/nowhere").text)


def test_a_slow_solve_answers_with_a_clear_message(demo: Catalog,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import pathways.routes as routes

    def slow(*args: Any, **kw: Any) -> Any:
        time.sleep(1.5)
        raise AssertionError("should have been given up")

    monkeypatch.setattr(routes, "find_route", slow)
    slow_client = TestClient(create_app(Site(demo, "demo", time_limit=0.2)))
    started = time.monotonic()
    r = slow_client.get("/plan?to=DIP-ITS5")
    assert time.monotonic() - started < 1.4
    assert r.status_code == 503
    page = text_of(r.text)
    assert "Planning the route took longer than 0.2 seconds, the limit of this server" in page
    assert "drop some constraints" in page
    assert slow_client.get("/api/route?to=DIP-ITS5").json()["error"].startswith(
        "Planning the route took longer")


def test_a_plan_is_worked_out_once(demo: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    import pathways.routes as routes

    real, calls = routes.find_route, []

    def counted(*args: Any, **kw: Any) -> Any:
        calls.append(args[1])
        return real(*args, **kw)

    monkeypatch.setattr(routes, "find_route", counted)
    c = TestClient(create_app(Site(demo, "demo")))
    for url in ("/plan?to=DIP-ITS5&have=MC-CLOUD4", "/plan/map.svg?to=DIP-ITS5&have=MC-CLOUD4",
                "/plan/handout.pdf?to=dip-its5&have=MC-CLOUD4",
                "/plan?to=DIP-ITS5&have=MC-CLOUD4&hours_per_week=20"):
        assert c.get(url).status_code == 200
    assert calls == ["DIP-ITS5"]
    budget = c.get("/api/route?to=DIP-ITS5&have=MC-CLOUD4&budget=7000")
    assert budget.status_code == 404 and calls == ["DIP-ITS5", "DIP-ITS5"]


def test_a_slow_gap_report_is_worked_out_in_the_background(
        demo: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    import pathways.gaps as gaps

    real = gaps.find_gaps

    def slow(*args: Any, **kw: Any) -> Any:
        time.sleep(1.0)
        return real(*args, **kw)

    monkeypatch.setattr(gaps, "find_gaps", slow)
    c = TestClient(create_app(Site(demo, "demo", time_limit=0.2)))
    first = c.get("/gaps")
    assert first.status_code == 503
    assert '<meta http-equiv="refresh" content="30">' in first.text
    assert "still being computed" in text_of(first.text)
    assert c.get("/api/gaps").status_code in (200, 503)
    deadline = time.monotonic() + 30
    while (r := c.get("/gaps")).status_code == 503 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert r.status_code == 200 and "findings in 93 credentials" in text_of(r.text)


def test_an_internal_error_is_a_page_not_a_traceback(demo: Catalog,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from pathways.web import answers

    def broken(*args: Any, **kw: Any) -> Any:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(answers, "plan", broken)
    c = TestClient(create_app(Site(demo, "demo")), raise_server_exceptions=False)
    r = c.get("/plan?to=DIP-ITS5")
    assert r.status_code == 500
    assert "internal error (ZeroDivisionError)" in text_of(r.text)
    assert "Traceback" not in r.text and "oops" not in r.text
    assert r.headers["content-security-policy"]


# -- a hostile catalog ----------------------------------------------------------------------

EVIL = '<script>alert("x")</script>'
RLO = "\u202e"


@pytest.fixture(scope="module")
def hostile() -> TestClient:
    providers = [Provider(id="evil", name=f'{EVIL} & "Co" {RLO}gnp.exe')]
    creds = [
        Credential(id="MC-A1", title=f"{EVIL} micro", kind="micro-credential", credits=10,
                   level=3, provider="evil", fee=100, field=f"<b>bold</b> {RLO}field",
                   skills=(EVIL, "'quoted'"), delivery=("online",)),
        Credential(id='Q"1', title=f"Qual {RLO}lautcaf & <img src=x onerror=alert(1)>",
                   kind="qualification", type="certificate", credits=40, level=4,
                   provider="evil", fee=1000, requires=(("MC-A1",),)),
    ]
    catalog = Catalog(providers=providers, credentials=creds,
                      stacking=[Stacking("MC-A1", 'Q"1', 10)], name=f"{EVIL} catalog")
    return TestClient(create_app(Site(catalog, "hostile")))


@pytest.mark.parametrize("url", [
    "/", "/catalog", "/catalog?q=script", "/catalog/MC-A1", "/catalog/Q%221",
    "/plan?to=Q%221", "/plan?to=qual", "/plan?to=Q%221&have=MC-A1", "/gaps",
    "/gaps?provider=evil", "/maps?provider=evil", "/metrics", "/what-if?asked=1&remove=MC-A1",
    "/catalog/%3Cscript%3E", "/plan?to=%3Cscript%3Ealert(1)%3C/script%3E",
    "/plan?to=Q%221&budget=%3Cscript%3E",
])
def test_hostile_catalog_renders_as_text(hostile: TestClient, url: str) -> None:
    r = hostile.get(url)
    assert r.status_code < 500, r.text[:500]
    body = r.text
    assert "<script>alert" not in body
    assert "<img src=x" not in body and "<b>bold" not in body
    assert 'onerror=alert' not in body.replace("onerror=alert(1)&gt;", "")
    if url in ("/catalog", "/catalog/MC-A1"):
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; micro" in body
        assert f"<bdi>{html.escape(EVIL, quote=True)} micro</bdi>".replace(
            "&quot;", "&#34;") in body.replace("&#x27;", "&#39;")


def test_hostile_catalog_in_svg_and_json(hostile: TestClient) -> None:
    svg = hostile.get("/catalog/MC-A1/map.svg").content
    assert b"<script" not in svg and b"<img" not in svg
    assert hostile.get("/api/credentials/MC-A1").json()["credential"]["title"] == \
        f"{EVIL} micro"
    r = hostile.get("/plan?to=Q%221&have=MC-A1")
    assert "Route to" in text_of(r.text)
    assert RLO in r.text  # kept, inside <bdi> so it cannot turn the page around


# -- the serve command ----------------------------------------------------------------------


def test_serve_defaults_to_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from pathways.cli import main

    seen: dict[str, Any] = {}

    def fake_run(app: Any, **kw: Any) -> None:
        seen.update(kw, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    assert main(["serve"]) == 0
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000
    client = TestClient(seen["app"])
    assert client.get("/api/credentials/DIP-ITS5").status_code == 200
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123",
                 "--catalog", str(DEMO)]) == 0
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8123


def test_serve_workers_build_their_app_from_the_environment(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, demo: Catalog) -> None:
    import os

    import uvicorn

    from pathways.cli import main
    from pathways.web import app_from_environment

    db = tmp_path / "catalog.db"
    pathways.save_catalog(pathways.connect(str(db)), demo, mode="replace")
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    for key in ("PATHWAYS_WEB_DB", "PATHWAYS_WEB_CATALOG", "PATHWAYS_WEB_TIME_LIMIT",
                "PATHWAYS_WEB_FRAMEWORK"):
        monkeypatch.setenv(key, "")  # so that the test ends with them as they were
        monkeypatch.delenv(key)
    assert main(["serve", "--db", str(db), "--workers", "2", "--time-limit", "7"]) == 0
    assert seen["app"] == "pathways.web:app_from_environment"
    assert seen["factory"] is True and seen["workers"] == 2
    assert os.environ["PATHWAYS_WEB_DB"] == str(db)
    app = app_from_environment()
    assert app.state.site.time_limit == 7
    assert TestClient(app).get("/api/route?to=DIP-ITS5").json()["total"]["fee"] == 8090


def test_serve_bad_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from pathways.cli import main

    assert main(["serve", "--port", "70000"]) == 2
    assert "70000 is not in the range" in capsys.readouterr().err
    assert main(["serve", "--db", str(tmp_path / "missing.db")]) == 1
    assert "no such database" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "pathways-catalog", "version": 1,
                               "credentials": [{"id": "X"}]}))
    assert main(["serve", "--catalog", str(bad)]) == 1
    assert "Error:" in capsys.readouterr().err


def test_serve_from_a_database(tmp_path: Path, demo: Catalog) -> None:
    from pathways.web import make_app

    db = tmp_path / "catalog.db"
    pathways.save_catalog(pathways.connect(str(db)), demo, mode="replace")
    client = TestClient(make_app(db=str(db)))
    body = client.get("/api/route?to=DIP-ITS5&have=MC-CLOUD4").json()
    assert body["total"] == {"fee": 7435, "hours": 1170, "credits_studied": 117}
