#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Screenshots of the product as its users see it, for docs/screenshots/.

Run against a server started with ``make run`` (demo data, demo logins):

    .venv/bin/pip install playwright        # once; no browser download needed
    .venv/bin/python scripts/screenshots.py [--url http://localhost:8069]
        [--db sat_demo] [--out docs/screenshots] [--chromium /usr/bin/chromium]
        [--only NAME ...]

Each shot logs in as the person who uses the screen (the demo's ``admin``,
``customer`` and ``portal`` logins, password = login), opens it at desktop or
phone size and saves ``<name>.png``. It drives the system's Chromium through
Playwright (``executable_path``): ``playwright install`` is never needed. A
screen that fails to open is reported and the others are still taken; the exit
status is 1 when any failed.
"""

import argparse
import sys
from pathlib import Path

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
A = "stock_asset_tracking."

# name, login, path, viewport, what it shows
SHOTS = [
    ("assets-list", "admin", f"/odoo/action-{A}stock_asset_action", DESKTOP,
     "Assets: tag, holder (person first), location, state"),
    ("assets-kanban", "admin",
     f"/odoo/action-{A}stock_asset_action?view_type=kanban", DESKTOP,
     "Assets as cards with their badges"),
    ("asset-form", "admin", f"/odoo/action-{A}stock_asset_action", DESKTOP,
     "An asset's form: operations first, the register for accountants"),
    ("custody-ledger", "admin", f"/odoo/action-{A}stock_asset_custody_action",
     DESKTOP, "Who holds what, since when, due when"),
    ("reservations", "admin", f"/odoo/action-{A}stock_asset_reservation_action",
     DESKTOP, "Bookings of shared assets in a calendar"),
    ("audits", "admin", f"/odoo/action-{A}stock_asset_audit_action", DESKTOP,
     "Physical audits and their results"),
    ("calibration-planning", "admin",
     f"/odoo/action-{A}stock_asset_calibration_schedule_action", DESKTOP,
     "Instruments due for calibration"),
    ("register", "admin", f"/odoo/action-{A}stock_asset_action_register",
     DESKTOP, "The fixed-asset register"),
    ("installed-base", "admin", f"/odoo/action-{A}stock_asset_action_installed_base",
     DESKTOP, "Equipment installed at customers"),
    ("scan-batches", "admin", f"/odoo/action-{A}stock_asset_scan_batch_action",
     DESKTOP, "What handhelds and readers posted"),
    ("presence", "admin", f"/odoo/action-{A}stock_asset_presence_action", DESKTOP,
     "Where fixed readers see each tag now"),
    ("scan-screen-phone", "admin", f"/odoo/action-{A}scan_screen_action", PHONE,
     "The phone screen of an operator"),
    ("portal-equipment", "portal", "/my/installed-equipment", DESKTOP,
     "A customer's installed equipment on the portal"),
]  # fmt: skip


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="sat_demo")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--only", nargs="*", help="names of the shots to take")
    return parser.parse_args(argv)


def login(page, url, db, user):
    page.goto(f"{url}/web/login?db={db}")
    page.fill("input[name=login]", user)
    page.fill("input[name=password]", user)
    page.click("button[type=submit]")
    # the back office keeps a websocket open: never "network idle"
    page.wait_for_load_state("load")


def take(browser, args, name, user, path, viewport):
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    try:
        page = context.new_page()
        login(page, args.url, args.db, user)
        page.goto(f"{args.url}{path}")
        page.wait_for_load_state("load")
        if path.startswith("/odoo"):
            page.wait_for_selector(".o_action_manager > *", timeout=30_000)
            # the view's data: rows, cards, a form or the scan screen
            page.wait_for_selector(
                ".o_data_row, .o_kanban_record, .o_form_view, .o_pivot,"
                " .o_calendar_view, .o_asset_scan_screen, .o_view_nocontent",
                timeout=30_000,
            )
        if name.endswith("-form"):
            # the form of the list's first record
            page.click(".o_data_row .o_data_cell")
            page.wait_for_selector(".o_form_view .o_form_sheet", timeout=30_000)
        page.wait_for_timeout(1500)  # rendering, avatars, lazy images
        target = Path(args.out) / f"{name}.png"
        page.screenshot(path=str(target), full_page=False)
        return target
    finally:
        context.close()


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    from playwright.sync_api import sync_playwright

    Path(args.out).mkdir(parents=True, exist_ok=True)
    failed = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox"]
        )
        for name, user, path, viewport, caption in SHOTS:
            if args.only and name not in args.only:
                continue
            try:
                target = take(browser, args, name, user, path, viewport)
            except Exception as error:  # one screen's fault never stops the rest
                failed.append(name)
                print(f"FAILED {name}: {error}", file=sys.stderr)
                continue
            print(f"{target}  {caption}")
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
