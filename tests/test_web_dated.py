"""The plan page's dated plan ("When will I finish?"), its JSON twin /api/plan and its
drawing, and the wallet upload, through FastAPI's test client: every answer is the
library's (plan_dated, pareto_dated, match_wallet), every bad input a one-line message."""

from __future__ import annotations

import html
import json
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx2")
pytest.importorskip("multipart", reason="python-multipart (form uploads) is not installed")

from fastapi.testclient import TestClient  # noqa: E402

import pathways  # noqa: E402
from pathways.catalog import Catalog  # noqa: E402
from pathways.plans import pareto_dated, plan_dated  # noqa: E402
from pathways.web.app import create_app  # noqa: E402
from pathways.web.site import Site  # noqa: E402
from pathways.web.wallet import MAX_WALLET_BYTES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "graphs" / "demo.json"
WALLET = ROOT / "graphs" / "examples" / "wallet.json"
START = date(2027, 2, 1)


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return pathways.read_catalog(DEMO)


@pytest.fixture(scope="module")
def client(demo: Catalog) -> TestClient:
    return TestClient(create_app(Site(demo, str(DEMO))))


def text_of(page: str) -> str:
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    page = re.sub(r"</?(?:a|bdi|strong|span|code|b|em|time)\b[^>]*>", "", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def when(page: str) -> str:
    """The text of the page's "When will I finish?" section."""
    m = re.search(r'<section id="when".*?</section>', page, flags=re.S)
    assert m is not None, "no dated section"
    return text_of(m.group(0))


def day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def dated_rows(page: str) -> list[list[str]]:
    m = re.search(r'<table class="steps stack dated">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert m is not None
    return [[text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S)]


def assert_safe_page(body: str) -> None:
    assert "Traceback" not in body and ' style="' not in body and "<script>" not in body
    for control_id in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', body):
        assert f'for="{control_id}"' in body, control_id


# -- the dated plan ------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "by", "held", "hours", "finish_by"), [
    ("to=DIP-ITS5&start=2027-02-01&hours_per_week=15", "finish", [], 15, None),
    ("to=DIP-ITS5&start=2027-02-01&hours_per_week=15&plan_by=fee&finish_by=2029-06-30",
     "fee", [], 15, date(2029, 6, 30)),
    ("to=diploma+information+technology+technical&start=2027-02-01&have=MC-CLOUD4",
     "finish", ["MC-CLOUD4"], 10, None),
    ("to=GDIP-DS7&start=2027-03-01&hours_per_week=20&plan_by=hours", "hours", [], 20, None),
])
def test_the_dated_plan_on_the_page_is_the_librarys(
        client: TestClient, demo: Catalog, query: str, by: str, held: list[str],
        hours: float, finish_by: date | None) -> None:
    r = client.get("/plan?" + query)
    assert r.status_code == 200, text_of(r.text)[:300]
    assert_safe_page(r.text)
    target = "GDIP-DS7" if "GDIP" in query else "DIP-ITS5"
    start = date.fromisoformat(re.search(r"start=([\d-]+)", query).group(1))  # type: ignore
    want = plan_dated(demo, target, start=start, held=held, by=by, hours_per_week=hours,
                      finish_by=finish_by)
    section = when(r.text)
    assert f"Finishes {day(want.finish)}" in section
    assert f"from {day(want.start)}" in section
    assert f"${want.fee:,.0f} fee" in section
    rows = dated_rows(r.text)
    assert [row[1].split()[0] for row in rows] == [s.id for s in want.steps]
    for row, s in zip(rows, want.steps, strict=True):
        assert row[2] == (s.term or "–")
        assert row[3:5] == [day(s.start), day(s.end)]
        assert row[7] == s.reason
    jump = text_of(re.search(r'<p class="jump".*?</p>', r.text, re.S).group(0))  # type: ignore
    assert f"With dates: finishes {day(want.finish)}, ${want.fee:,.0f}." in jump
    # The share link and the JSON link carry the dated question.
    assert f"start={start.isoformat()}" in re.search(
        r'id="share-url" readonly value="([^"]+)"', r.text).group(1)  # type: ignore
    api = re.search(r'href="(/api/plan\?[^"]+)"', r.text).group(1)  # type: ignore
    assert client.get(html.unescape(api)).json() == json.loads(json.dumps(want.to_dict()))


def test_the_api_is_pathways_plan_json(client: TestClient, demo: Catalog) -> None:
    r = client.get("/api/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15&by=fee"
                   "&have=MC-NETSEC4&budget=9000")
    assert r.status_code == 200
    from pathways.routes import Constraints

    want = plan_dated(demo, "DIP-ITS5", start=START, held=["MC-NETSEC4"], by="fee",
                      hours_per_week=15, constraints=Constraints(budget=9000))
    assert r.json() == json.loads(json.dumps(want.to_dict()))
    pareto = client.get("/api/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15&pareto=1")
    front = pareto_dated(demo, "DIP-ITS5", start=START, hours_per_week=15)
    assert len(front) == 2
    assert pareto.json() == {"plans": [json.loads(json.dumps(p.to_dict())) for p in front]}
    # The same bytes each time.
    again = client.get("/api/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15&pareto=1")
    assert again.content == pareto.content


def test_every_trade_off_on_the_page(client: TestClient, demo: Catalog) -> None:
    r = client.get("/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15&pareto=1")
    assert r.status_code == 200
    front = pareto_dated(demo, "DIP-ITS5", start=START, hours_per_week=15)
    section = when(r.text)
    for i, p in enumerate(front, 1):
        assert f"Trade-off {i} of {len(front)}: finishes {day(p.finish)}" in section
        if i > 1:  # each later one is cheaper: by how much, for how many weeks more
            assert (f"${front[0].fee - p.fee:,.0f} less than trade-off 1, "
                    f"{(p.finish - front[0].finish).days // 7} weeks later") in section
    assert 'id="f-pareto" checked' in r.text
    assert "/plan/timeline.svg" not in r.text  # one drawing for one plan, not for several


def test_no_dated_plan_says_why_on_the_page(client: TestClient) -> None:
    r = client.get("/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15"
                   "&finish_by=2028-06-30")
    assert r.status_code == 404
    section = when(r.text)
    assert ("No dated plan: no dated route to DIP-ITS5: DIP-ITS5 cannot end by 2028-06-30 "
            "from any intake; the earliest finish is 2029-01-28") in section
    assert "Route to Diploma in Information Technology" in text_of(r.text)  # route stays
    api = client.get("/api/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15"
                     "&finish_by=2028-06-30")
    assert api.status_code == 404
    assert api.json()["feasible"] is False and "cannot end by 2028-06-30" in api.json()[
        "reason"]


@pytest.mark.parametrize(("query", "status", "message"), [
    ("start=2027-13-01", 400, "start date '2027-13-01' is not a date"),
    ("start=1/2/2027", 400, "start date '1/2/2027' is not a date"),
    ("start=1999-12-31", 400, "start date 1999-12-31 is not between 2000 and 2099"),
    ("start=2027-02-01&finish_by=2027-01-01", 400,
     "the finish-by date 2027-01-01 is before the start 2027-02-01"),
    ("finish_by=2028-01-01", 400, "a dated plan needs its start date"),
    ("start=2027-02-01&plan_by=cheap", 400, "dated objective 'cheap' is not one of"),
    ("start=2027-02-01&plan_by=fee&pareto=1", 400, "the trade-offs show every fee"),
    ("start=2027-02-01&hours_per_week=0", None, None),  # the route's own check: a page
])
def test_a_bad_dated_question_is_a_message_in_its_section(
        client: TestClient, query: str, status: int | None, message: str | None) -> None:
    r = client.get("/plan?to=DIP-ITS5&" + query)
    if message is None:
        assert r.status_code == 400 and "hours a week" in text_of(r.text)
        return
    assert r.status_code == status
    assert_safe_page(r.text)
    section = when(r.text)
    assert message in section
    assert "Route to Diploma in Information Technology" in text_of(r.text)  # route stays


@pytest.mark.parametrize(("query", "status", "message"), [
    ("to=DIP-ITS5", 400, "no start date given"),
    ("to=DIP-ITS5&start=2027-02-30", 400, "start date '2027-02-30' is not a date"),
    ("start=2027-02-01", 400, "a dated plan goes to one named qualification"),
    ("skills=python&start=2027-02-01", 400, "a dated plan goes to one named qualification"),
    ("field=Engineering&start=2027-02-01", 400,
     "a dated plan goes to one named qualification"),
    ("to=diploma&start=2027-02-01", 409, "'diploma' matches"),
    ("to=zzzz&start=2027-02-01", 404, "nothing in the catalog matches 'zzzz'"),
    ("to=DIP-ITS5&start=2027-02-01&have=NOPE", 404, "NOPE"),
    ("to=DIP-ITS5&start=2027-02-01&by=speed", 400, "dated objective 'speed'"),
])
def test_a_bad_api_question_is_a_one_line_error(client: TestClient, query: str,
                                                status: int, message: str) -> None:
    r = client.get("/api/plan?" + query)
    assert r.status_code == status, r.text
    body = r.json()
    assert message in body["error"] and "\n" not in body["error"] and body["hint"]


def test_a_plan_without_one_target_offers_no_dates(client: TestClient) -> None:
    r = client.get("/plan?field=Engineering&start=2027-02-01")
    assert r.status_code == 200
    assert "A dated plan goes to one named qualification" in when(r.text)
    skills = client.get("/plan?skills=python&start=2027-02-01")
    assert skills.status_code == 200 and 'id="when"' not in skills.text


def test_the_dated_form_keeps_the_plan(client: TestClient) -> None:
    """The dated form carries the route's question; the route's form carries the dates."""
    r = client.get("/plan?to=DIP-ITS5&have=MC-CLOUD4&budget=9000&start=2027-02-01"
                   "&plan_by=fee")
    form = re.search(r'<form method="get" action="/plan#when".*?</form>', r.text, re.S)
    assert form is not None
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))
    assert hidden == {"to": "DIP-ITS5", "have": "MC-CLOUD4", "budget": "9000"}
    assert 'id="f-start" name="start" type="date" required value="2027-02-01"' in form.group(0)
    assert '<option value="fee" selected>' in form.group(0)
    main = re.search(r'<form class="plan".*?</form>', r.text, re.S).group(0)  # type: ignore
    assert dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', main)) == {
        "start": "2027-02-01", "plan_by": "fee"}


def test_the_dated_timeline_drawing(client: TestClient, demo: Catalog) -> None:
    page = client.get("/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15").text
    svg_link = html.unescape(re.search(r'href="(/plan/timeline\.svg\?[^"]+)"', page).group(1))  # type: ignore
    svg = client.get(svg_link)
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert b"MC-NETSEC4" in svg.content and b"2027" in svg.content
    assert "unsafe-inline" in svg.headers["content-security-policy"]  # matplotlib's <style>
    pdf = client.get(svg_link.replace("timeline.svg", "timeline.pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"] == 'attachment; filename="dated-plan-DIP-ITS5.pdf"'
    none = client.get("/plan/timeline.svg?to=DIP-ITS5&start=2027-02-01&finish_by=2027-06-01")
    assert none.status_code == 404 and "cannot end by 2027-06-01" in text_of(none.text)


def test_a_slow_dated_plan_answers_503_with_a_message(demo: Catalog,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import pathways.plans as plans

    def slow(*args: Any, **kw: Any) -> Any:
        time.sleep(1.5)
        raise AssertionError("should have been given up")

    monkeypatch.setattr(plans, "plan_dated", slow)
    c = TestClient(create_app(Site(demo, "demo", time_limit=0.5)))
    c.get("/plan?to=DIP-ITS5")  # the route itself, remembered
    started = time.monotonic()
    r = c.get("/plan?to=DIP-ITS5&start=2027-02-01")
    assert time.monotonic() - started < 1.4
    assert r.status_code == 503
    assert ("Planning the dates took longer than 0.5 seconds, the limit of this server"
            in when(r.text))
    assert "Route to Diploma" in text_of(r.text)
    api = c.get("/api/plan?to=DIP-ITS5&start=2027-02-01")
    assert api.status_code == 503 and api.json()["error"].startswith("Planning the dates")


def test_the_solvers_own_time_limit_is_a_503(demo: Catalog,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import pathways.plans as plans
    from pathways.routes.highs import SolverTimeout

    def timed_out(*args: Any, **kw: Any) -> Any:
        assert kw["time_limit"] == 3
        raise SolverTimeout("the solver stopped at its time limit")

    monkeypatch.setattr(plans, "plan_dated", timed_out)
    c = TestClient(create_app(Site(demo, "demo", time_limit=3)))
    r = c.get("/api/plan?to=DIP-ITS5&start=2027-02-01")
    assert r.status_code == 503 and "took longer than 3 seconds" in r.json()["error"]


# -- the wallet ----------------------------------------------------------------------------


def upload(client: TestClient, url: str, data: bytes, name: str = "wallet.json") -> Any:
    return client.post(url, files={"wallet": (name, data, "application/json")})


def test_a_wallet_becomes_what_the_learner_holds(client: TestClient, demo: Catalog) -> None:
    from pathways.standards.wallet import held_from_wallet

    want = held_from_wallet(demo, WALLET)
    r = upload(client, "/plan/wallet?to=DIP-ITS5&have=MC-SQL5", WALLET.read_bytes())
    assert r.status_code == 200
    assert_safe_page(r.text)
    page = text_of(r.text)
    assert "From the wallet wallet.json" in page
    assert (f"3 of 4 achievements matched: {', '.join(want.held)} are now held") in page
    table = text_of(re.search(r'<table class="stack" id="wallet-table">.*?</table>', r.text,
                              re.S).group(0))  # type: ignore
    for m in want.matched:
        assert f"{m.name} {m.achievement} {m.credentials[0]} by {m.how}" in table
    (teamwork,) = want.unmatched
    assert f"Teamwork {teamwork.achievement} nothing {teamwork.reason}" in table
    # The route is planned holding MC-SQL5 and the wallet's credentials, and the share
    # link says so: the wallet is not needed again.
    route = pathways.find_route(demo, "DIP-ITS5", held=["MC-SQL5", *want.held])
    assert f"Route found: ${route.fee:,.0f}" in page
    share = html.unescape(re.search(r'id="share-url" readonly value="([^"]+)"',
                                    r.text).group(1))  # type: ignore
    assert "have=MC-SQL5&have=MC-CLOUD4&have=MC-NETSEC4&have=MC-HELPDESK4" in share
    for cid in want.held:  # ticked in the list of what leads there
        assert re.search(rf'value="{cid}" id="have-\d+" checked', r.text), cid


def test_a_wallet_keeps_the_dated_question(client: TestClient, demo: Catalog) -> None:
    r = upload(client, "/plan/wallet?to=DIP-ITS5&start=2027-02-01&hours_per_week=15",
               WALLET.read_bytes())
    assert r.status_code == 200
    want = plan_dated(demo, "DIP-ITS5", start=START, hours_per_week=15,
                      held=["MC-CLOUD4", "MC-NETSEC4", "MC-HELPDESK4"])
    assert f"Finishes {day(want.finish)}" in when(r.text)


def test_the_wallet_api(client: TestClient, demo: Catalog) -> None:
    from pathways.standards.wallet import held_from_wallet

    r = upload(client, "/api/wallet", WALLET.read_bytes())
    assert r.status_code == 200
    want = held_from_wallet(demo, WALLET).to_dict() | {"file": "wallet.json"}
    for m in (*want["matched"], *want["unmatched"]):
        m["where"] = m["where"].replace(str(WALLET), "wallet.json")
    assert r.json() == want


@pytest.mark.parametrize(("data", "name", "status", "message"), [
    (b"{nope", "bad.json", 400, "bad.json:1: not JSON"),
    (b"\xff\xfe{}", "utf16.json", 400, "utf16.json: cannot read: not UTF-8 text"),
    (b"[" * 100 + b"]" * 100, "deep.json", 400, "nested more than 64 levels deep"),
    (b'{"name": "a CV"}', "cv.json", 400, "cv.json: no Open Badges achievement found"),
    (b"   ", "empty.json", 400, "empty.json: the file is empty"),
    (b"x" * (MAX_WALLET_BYTES + 1), "big.json", 413, "the file is larger than"),
])
def test_a_bad_wallet_is_a_message_on_the_page(client: TestClient, data: bytes, name: str,
                                               status: int, message: str) -> None:
    r = upload(client, "/plan/wallet?to=DIP-ITS5", data, name)
    assert r.status_code == status
    page = text_of(r.text)
    assert "Traceback" not in r.text
    assert message in page
    assert "The wallet could not be read" in page and "Route to Diploma" in page
    api = upload(client, "/api/wallet", data, name)
    assert api.status_code == status and message in api.json()["error"]


def test_an_upload_without_a_file_or_not_multipart(client: TestClient) -> None:
    r = client.post("/plan/wallet?to=DIP-ITS5", files={"other": ("x.json", b"{}")})
    assert r.status_code == 400 and "no wallet file was chosen" in text_of(r.text)
    form = client.post("/plan/wallet?to=DIP-ITS5", data={"wallet": "x"})  # not a file
    assert form.status_code == 400
    assert "a wallet is sent as a file upload" in text_of(form.text)
    r = client.post("/api/wallet", content=b'{"a": 1}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"] == "a wallet is sent as a file upload (multipart/form-data)"
    two = client.post("/api/wallet", files=[("wallet", ("a.json", b"{}")),
                                            ("wallet", ("b.json", b"{}"))])
    assert two.status_code == 400 and "could not be read" in two.json()["error"]


def test_the_guard_bounds_uploads(client: TestClient) -> None:
    big = client.post("/api/wallet", content=b"x" * 10,
                      headers={"content-length": str(5 * MAX_WALLET_BYTES),
                               "content-type": "multipart/form-data; boundary=x"})
    assert big.status_code == 413 and "larger than" in big.json()["error"]

    def chunks() -> Any:
        yield b"--x\r\n"

    chunked = client.post("/api/wallet", content=chunks(),
                          headers={"content-type": "multipart/form-data; boundary=x"})
    assert chunked.status_code == 411
    assert chunked.json()["error"] == "an upload needs its length (Content-Length)"
    # Only the wallet's addresses take a POST.
    for url in ("/plan", "/api/plan", "/plan/wallet/x", "/catalog"):
        assert client.post(url, content=b"x").status_code == 405, url
    assert client.put("/plan/wallet").status_code == 405


def test_the_plan_page_offers_the_wallet_and_the_dates(client: TestClient) -> None:
    r = client.get("/plan?to=DIP-ITS5&have=MC-CLOUD4")
    assert r.status_code == 200
    assert_safe_page(r.text)
    form = re.search(r'<form method="post" action="([^"]+)" enctype="multipart/form-data"',
                     r.text)
    assert form is not None and html.unescape(form.group(1)) == (
        "/plan/wallet?to=DIP-ITS5&have=MC-CLOUD4")
    assert '<label for="f-wallet">Wallet file</label>' in r.text
    assert '<label for="f-start">Start date</label>' in r.text
    # No start date: the dated part is a form only, asking for nothing.
    assert "Finishes " not in when(r.text).split("Plan the dates")[1]


def test_a_credit_limit_a_term(client: TestClient, demo: Catalog) -> None:
    assert demo.calendar  # the demo's university semesters
    r = client.get("/plan?to=GDIP-DS7&start=2027-02-01&hours_per_week=40"
                   "&max_credits_per_term=30")
    assert r.status_code == 200, when(r.text)
    want = plan_dated(demo, "GDIP-DS7", start=START, hours_per_week=40,
                      max_credits_per_term=30)
    assert f"Finishes {day(want.finish)}" in when(r.text)
    assert "At most 30 credits in each term." in when(r.text)
    assert 'name="max_credits_per_term" inputmode="decimal" value="30"' in r.text
    api = client.get("/api/plan?to=GDIP-DS7&start=2027-02-01&hours_per_week=40"
                     "&max_credits_per_term=30")
    assert api.json() == json.loads(json.dumps(want.to_dict()))
    assert api.json()["max_credits_per_term"] == 30
    for bad, message in (("0", "credits a term must be more than 0"),
                         ("x", "credits a term")):
        r = client.get(f"/api/plan?to=GDIP-DS7&start=2027-02-01&max_credits_per_term={bad}")
        assert r.status_code == 400 and message in r.json()["error"]


def test_a_credit_limit_without_a_calendar_is_a_message(demo: Catalog) -> None:
    from dataclasses import replace

    plain = replace(demo, calendar=())
    c = TestClient(create_app(Site(plain, "no calendar")))
    r = c.get("/plan?to=DIP-ITS5&start=2027-02-01&max_credits_per_term=30")
    assert r.status_code == 400
    assert "a credit limit per term needs terms: the catalog has no calendar" in when(r.text)
    assert 'id="f-credits-term"' not in r.text  # not offered without terms
    assert "Route to Diploma" in text_of(r.text)


def test_a_hostile_wallet_shows_as_text(client: TestClient) -> None:
    badge = [{"type": ["VerifiableCredential", "OpenBadgeCredential"],
              "credentialSubject": {"achievement": {
                  "id": "x", "type": ["Achievement"],
                  "name": "<script>alert(1)</script>"}}}]
    r = upload(client, "/plan/wallet?to=DIP-ITS5", json.dumps(badge).encode(),
               "a\n<b>.json")
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert re.search(r"From the wallet <bdi>a\S*&lt;b&gt;\.json</bdi>", r.text)  # escaped
    assert "<b>.json" not in r.text
    assert client.get("/plan/wallet").status_code == 405  # the form is sent, not opened
