"""The web app in a real browser: Playwright driving the system's Chromium (Debian's
``chromium`` package; .ci/run installs it). Skipped, saying why, where either is missing.

A learner's plan by typing and ticking, the shared link, the handout download, the gap
table's filter, a what-if — and the same plan with JavaScript off.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed")

from web_server import running_server  # noqa: E402

import pathways  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _chromium() -> str | None:
    for candidate in (os.environ.get("PATHWAYS_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


CHROMIUM = _chromium()
pytestmark = [
    pytest.mark.slow,  # a real browser: the whole suite runs these, the edit loop does not
    pytest.mark.skipif(
        CHROMIUM is None, reason="no Chromium here (install Debian's chromium package, as "
                                 ".ci/run does, or set PATHWAYS_CHROMIUM)"),
]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    p = context.new_page()
    errors: list[tuple[str, str]] = []
    pages: set[str] = set()  # a page's own status (a 404 "no route" page) is no error
    p.on("framenavigated", lambda f: pages.add(f.url))
    p.on("console", lambda m: errors.append((m.text, m.location.get("url", "")))
         if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append((str(e), "")))
    yield p
    context.close()
    errors = [(text, url) for text, url in errors
              if not (text.startswith("Failed to load resource") and url in pages)]
    assert errors == [], errors  # no CSP violations, no script errors


def _plan_by_typing_and_ticking(page: Any, base_url: str) -> None:
    page.goto(base_url + "/plan")
    page.get_by_label("Qualification (a title or an id)").fill("technical support diploma")
    page.get_by_role("button", name="Plan the route").click()
    # One match: the route is planned, and what leads there is offered to tick.
    page.get_by_role("group", name="What the learner holds").wait_for()
    page.get_by_label("MC-CLOUD4 — Cloud Computing Fundamentals").check()
    page.get_by_label("MC-PYDATA5 — Python for Data Analysis").check()
    page.get_by_role("button", name="Plan the route").click()
    page.locator(".totals").wait_for()


def test_plan_a_route_by_typing_and_ticking(page: Any, base_url: str) -> None:
    demo = pathways.read_catalog(ROOT / "graphs" / "demo.json")
    want = pathways.find_route(demo, "DIP-ITS5", held=["MC-CLOUD4", "MC-PYDATA5"])
    _plan_by_typing_and_ticking(page, base_url)
    totals = page.locator(".totals").inner_text()
    assert f"${want.fee:,.0f}" in totals and f"{want.hours:,.0f}" in totals
    rows = page.locator("table.steps tbody tr")
    assert rows.count() == len(want.steps)
    assert "held already, counts 15 credits into CERT-ITE4" in page.content()
    # The map image loaded.
    page.wait_for_function("() => { const i = document.querySelector('figure.map img');"
                           " return i.complete && i.naturalWidth > 100; }", timeout=60_000)
    # The alternatives arrive by themselves.
    alternatives = pathways.find_routes(demo, "DIP-ITS5", k=3,
                                        held=["MC-CLOUD4", "MC-PYDATA5"])
    page.get_by_role("heading", name="Alternatives", exact=True).wait_for(timeout=60_000)
    assert page.locator("#options table tbody tr").count() == len(alternatives)


def test_the_shared_link_opens_the_same_plan(page: Any, browser: Any, base_url: str) -> None:
    _plan_by_typing_and_ticking(page, base_url)
    url = page.get_by_label("Link to this plan").input_value()
    assert url.startswith(base_url + "/plan?")
    totals = page.locator(".totals").inner_text()
    other = browser.new_page()
    other.goto(url)
    assert other.locator(".totals").inner_text() == totals
    assert other.get_by_label("MC-CLOUD4 — Cloud Computing Fundamentals").is_checked()
    assert not other.get_by_label("MC-NETSEC4 — Network Security Essentials").is_checked()
    other.close()


def test_plan_with_prior_learning_and_skills(page: Any, base_url: str) -> None:
    page.goto(base_url + "/plan")
    page.get_by_label("Qualification (a title or an id)").fill("GDIP-DS7")
    page.get_by_label("Prior learning recognised (ID=CREDITS, separated by commas)").fill(
        "DATA701=7.5")
    page.get_by_role("button", name="Plan the route").click()
    page.locator(".totals").wait_for()
    assert "$8,940" not in page.locator(".totals").inner_text()  # the grant takes $570 off
    assert "Prior learning recognised: 7.5 credits of DATA701" in page.content()
    assert "rpl=DATA701%3D7.5" in page.get_by_label("Link to this plan").input_value()
    # Skills instead of a qualification.
    page.get_by_label("Qualification (a title or an id)").fill("")
    page.get_by_label("Skills (separated by commas, instead of a qualification)").fill(
        "statistics, python")
    page.get_by_role("button", name="Plan the route").click()
    page.get_by_role("heading", name="Route to the skills statistics, python").wait_for()


def test_download_the_handout(page: Any, base_url: str, tmp_path: Path) -> None:
    _plan_by_typing_and_ticking(page, base_url)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the A4 handout (PDF)").click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.name == "route-DIP-ITS5.pdf"
    assert target.read_bytes().startswith(b"%PDF")


def test_filter_the_gap_table(page: Any, base_url: str) -> None:
    page.goto(base_url + "/gaps")
    rows = page.locator("#gap-table tbody tr")
    everything = rows.count()
    assert everything > 5
    page.get_by_label("Words in the finding").fill("chainsaw")  # filters as you type
    visible = page.locator("#gap-table tbody tr:visible")
    assert 0 < visible.count() < everything
    for text in visible.all_inner_texts():
        assert "chainsaw" in text.casefold()
    assert page.locator("#gap-count").inner_text() == f"{visible.count()} finding" + (
        "" if visible.count() == 1 else "s") + " shown."
    # And by the form (the server filters): high severity, sorted by figure.
    page.get_by_label("Words in the finding").fill("")
    page.get_by_label("Severity").select_option("high")
    page.get_by_role("button", name="Filter").click()
    severities = page.locator("#gap-table tbody td:first-child").all_inner_texts()
    assert severities and set(severities) == {"high"}
    page.get_by_role("link", name="Kind").click()
    assert "sort=kind" in page.url


def test_run_a_what_if(page: Any, base_url: str) -> None:
    page.goto(base_url + "/gaps")
    page.get_by_role("link", name="Try a change first (what-if)").click()
    edge = page.get_by_role("group", name="Add a stacking edge")
    edge.get_by_label("From (id)").fill("MC-SQL5")
    edge.get_by_label("Into (id)").fill("CERT-ITE4")
    edge.get_by_label("Credits").fill("10")
    price = page.get_by_role("group", name="Change a price")
    price.get_by_label("Credential (id)").fill("MC-CLOUD4")
    price.get_by_label("New fee (NZD)").fill("100")
    page.get_by_label("Also compare the gap reports (slower)").uncheck()
    page.get_by_role("button", name="Try it").click()
    page.get_by_role("heading", name="If you made these changes").wait_for()
    assert "stack 10 credits of MC-SQL5 into CERT-ITE4" in page.content()
    assert "price MC-CLOUD4 at $100" in page.content()
    from pathways.whatif import Change, what_if

    demo = pathways.read_catalog(ROOT / "graphs" / "demo.json")
    want = what_if(demo, [Change.add_edge("MC-SQL5", "CERT-ITE4", 10),
                          Change.price("MC-CLOUD4", 100)], gaps=False)
    assert want.routes  # the change matters, so the table must list it
    assert page.locator("#route-changes tbody tr").count() == len(want.routes)
    for rc in want.routes:
        assert rc.qualification in page.locator("#route-changes").inner_text()


def test_a_plan_with_javascript_off(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(base_url + "/plan")
    p.get_by_label("Qualification (a title or an id)").fill("diploma")
    p.get_by_role("button", name="Plan the route").click()
    p.get_by_role("heading", name="Which one?").wait_for()
    p.get_by_role("link", name="DIP-ITS5 — Diploma in Information Technology").click()
    p.get_by_label("MC-NETSEC4 — Network Security Essentials").check()
    p.get_by_role("button", name="Plan the route").click()
    assert "Route to Diploma in Information Technology" in p.locator("#route-h").inner_text()
    assert "MC-NETSEC4, held already" in p.content()
    p.get_by_role("link", name="Show the other good routes").click()
    assert p.get_by_role("heading", name="Alternatives", exact=True).is_visible()
    context.close()


def test_keyboard_reaches_the_content_with_visible_focus(page: Any, base_url: str) -> None:
    page.goto(base_url + "/catalog")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to the content"
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.locator(":focus").get_attribute("id") == "f-q"


def test_when_will_i_finish(page: Any, base_url: str) -> None:
    """The advisor plans the route, then asks for the dates: start, hours, objective."""
    from datetime import date

    from pathways.plans import pareto_dated, plan_dated

    demo = pathways.read_catalog(ROOT / "graphs" / "demo.json")
    page.goto(base_url + "/plan")
    page.get_by_label("Qualification (a title or an id)").fill("DIP-ITS5")
    page.get_by_role("button", name="Plan the route").click()
    when = page.locator("#when")
    when.get_by_role("heading", name="When will I finish?").wait_for()
    when.get_by_label("Start date").fill("2027-02-01")
    when.get_by_label("Hours a week at most").fill("15")
    when.get_by_role("button", name="Plan the dates").click()
    want = plan_dated(demo, "DIP-ITS5", start=date(2027, 2, 1), hours_per_week=15)
    heading = when.locator("h3")
    heading.wait_for()
    assert heading.inner_text() == f"Finishes {want.finish.day} {want.finish:%b %Y}"
    assert page.url.endswith("#when") and "start=2027-02-01" in page.url
    rows = when.locator("table.dated tbody tr")
    assert rows.count() == len(want.steps)
    for i, s in enumerate(want.steps):
        cells = rows.nth(i).locator("td")
        assert s.id in cells.nth(1).inner_text()
        assert cells.nth(3).locator("time").get_attribute("datetime") == s.start.isoformat()
        assert cells.nth(4).locator("time").get_attribute("datetime") == s.end.isoformat()
    # The route above is kept; the summary at the top says when the learner finishes.
    assert "With dates: finishes" in page.locator(".jump").inner_text()
    # The dated timeline opens as a drawing.
    svg = page.request.get(base_url + when.get_by_role(
        "link", name="The dated timeline (SVG)").get_attribute("href"))
    assert svg.ok and svg.headers["content-type"] == "image/svg+xml"
    # Every trade-off, then an impossible deadline: a message in the section.
    when.get_by_label("Show every fee/finish trade-off instead (best by earliest finish)"
                      ).check()
    when.get_by_role("button", name="Plan the dates").click()
    front = pareto_dated(demo, "DIP-ITS5", start=date(2027, 2, 1), hours_per_week=15)
    page.locator("#when h3").first.wait_for()
    assert page.locator("#when h3").count() == len(front)
    page.locator("#when").get_by_label("Show every fee/finish trade-off instead (best by "
                                        "earliest finish)").uncheck()
    page.locator("#when").get_by_label("Finish by (optional)").fill("2028-06-30")
    page.locator("#when").get_by_role("button", name="Plan the dates").click()
    alert = page.locator("#dated-error")
    alert.wait_for()
    assert "cannot end by 2028-06-30" in alert.inner_text()


def test_read_the_learners_wallet(page: Any, base_url: str) -> None:
    page.goto(base_url + "/plan?to=DIP-ITS5")
    page.get_by_text("Read what the learner holds from their wallet").click()
    page.get_by_label("Wallet file").set_input_files(str(ROOT / "graphs" / "examples"
                                                         / "wallet.json"))
    page.get_by_role("button", name="Read the wallet").click()
    page.get_by_role("heading", name="From the wallet wallet.json").wait_for()
    table = page.locator("#wallet-table")
    assert table.locator("tbody tr").count() == 4
    assert "Teamwork" in table.locator("tr.unmatched").inner_text()
    demo = pathways.read_catalog(ROOT / "graphs" / "demo.json")
    held = ["MC-CLOUD4", "MC-NETSEC4", "MC-HELPDESK4"]
    want = pathways.find_route(demo, "DIP-ITS5", held=held)
    assert f"${want.fee:,.0f}" in page.locator(".totals").first.inner_text()
    for label in ("MC-CLOUD4 — Cloud Computing Fundamentals",
                  "MC-NETSEC4 — Network Security Essentials"):
        assert page.get_by_label(label).is_checked()
    # The plan is in the link now: no wallet needed to open it again.
    assert "have=MC-HELPDESK4" in page.get_by_label("Link to this plan").input_value()
    # A file that is not a wallet: a message on the page, the route still there.
    bad = ROOT / "graphs" / "demo.json"
    assert page.locator("details.wallet").evaluate("e => e.open")  # open after a reading
    page.get_by_label("Wallet file").set_input_files(str(bad))
    page.get_by_role("button", name="Read the wallet").click()
    page.get_by_role("heading", name="The wallet could not be read").wait_for()
    assert "no Open Badges achievement found" in page.get_by_role("alert").first.inner_text()


def test_dates_and_wallet_with_javascript_off(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(base_url + "/plan?to=DIP-ITS5")
    p.get_by_text("Read what the learner holds from their wallet").click()
    p.get_by_label("Wallet file").set_input_files(str(ROOT / "graphs" / "examples"
                                                      / "wallet.json"))
    p.get_by_role("button", name="Read the wallet").click()
    assert "3 of 4 achievements matched" in p.locator("#wallet").inner_text()
    p.get_by_label("Start date").fill("2027-02-01")
    p.get_by_role("button", name="Plan the dates").click()
    assert p.locator("#when table.dated tbody tr").count() >= 1
    assert "have=MC-CLOUD4" in p.url  # the wallet's credentials went into the plan
    context.close()
