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
    errors: list[str] = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    context.close()
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
