"""Screenshots of every page of the web app at desktop (1280 px) and phone (390 px) width.

Starts the app over the demo catalog on a free port of 127.0.0.1, drives the system's
Chromium with Playwright and writes docs/screenshots/NAME-desktop.png and
NAME-phone.png (full pages).

    python scripts/web_screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("home", "/"),
    ("catalog", "/catalog?q=maori"),
    ("credential", "/catalog/CERT-ITE4"),
    ("plan", "/plan?to=DIP-ITS5&have=MC-CLOUD4&have=MC-PYDATA5"),
    ("plan-prior-learning", "/plan?to=GDIP-DS7&have=MC-ML7&rpl=DATA701%3D7.5"),
    ("plan-skills", "/plan?skills=statistics,cloud,python&have=MC-CLOUD4"),
    ("plan-options", "/plan/options?to=CERT-CTS3"),
    ("plan-why-not", "/plan?to=DIP-ITS5&budget=5000"),
    ("plan-dated", "/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15#when"),
    ("plan-dated-tradeoffs", "/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15"
                             "&pareto=1#when"),
    ("plan-dated-too-soon", "/plan?to=DIP-ITS5&start=2027-02-01&hours_per_week=15"
                            "&finish_by=2028-06-30#when"),
    ("plan-wallet", "/plan?to=DIP-ITS5 wallet"),  # the wallet uploaded on this page
    ("gaps", "/gaps?provider=rawhiti"),
    ("what-if", "/what-if?asked=1&new_id=MC-PIPE3&new_title=Pipe+Fitting+Basics&new_credits=15"
                "&new_level=3&new_fee=900&new_provider=rawhiti&new_into=CERT-PLUMB3"
                "&new_into_credits=15&price=PLB301%3D900&gaps=1"),
    ("maps", "/maps?provider=rawhiti&page=A4"),
    ("metrics", "/metrics?to=DIP-ITS5"),
    ("api", "/docs"),
]
WIDTHS = {"desktop": 1280, "phone": 390}


def _upload_wallet(page: Any) -> None:
    """Read the example wallet on the plan page, as an advisor would."""
    page.get_by_text("Read what the learner holds from their wallet").click()
    page.get_by_label("Wallet file").set_input_files(
        str(ROOT / "graphs" / "examples" / "wallet.json"))
    page.get_by_role("button", name="Read the wallet").click()
    page.wait_for_load_state("networkidle")
    page.locator("#wallet").scroll_into_view_if_needed()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.web_server import running_server

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with running_server() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium)
        for label, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in PAGES:
                path, _, action = path.partition(" ")
                page.goto(base + path, wait_until="networkidle", timeout=60_000)
                if action == "wallet":
                    _upload_wallet(page)
                target = out / f"{name}-{label}.png"
                page.screenshot(path=str(target), full_page=True)
                print(f"wrote {target}")
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
