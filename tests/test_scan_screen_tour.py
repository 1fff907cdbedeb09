# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The "Scan Assets" handheld screen, driven in headless Chromium.

The tour (static/tests/tours/scan_screen_tour.js) runs against the real clock:
the screen stamps its reads with the browser's time and the server refuses reads
from the future, so freezing the server's time would refuse them. Nothing below
depends on the date.
"""

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.scan_screen import PREFIX
from .common import ASSET_USER, company_user


@tagged("post_install", "-at_install")
class TestScanScreenTour(HttpCase):
    # a phone's viewport: the tour checks the buttons are within a thumb's reach
    browser_size = "412x915"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        company = cls.env.company
        cls.user = company_user(cls.env, "scan_screen_user", company, ASSET_USER)
        cls.outsider = new_test_user(
            cls.env, login="scan_screen_outsider", groups="base.group_user"
        )
        stock = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", company.id)], limit=1)
            .lot_stock_id
        )
        cls.stock = stock
        cls.shelf = cls.env["stock.location"].create(
            {
                "name": "Tour Shelf",
                "location_id": stock.id,
                "barcode": "TOUR-SHELF",
                "company_id": company.id,
            }
        )
        cls.bin = cls.env["stock.location"].create(
            {
                "name": "Tour Bin",
                "location_id": stock.id,
                "barcode": "TOUR-BIN",
                "company_id": company.id,
            }
        )
        cls.holder, cls.other = cls.env["res.partner"].create(
            [
                {"name": "Tour Holder", "ref": "TOUR-BADGE"},
                {"name": "Other Holder", "ref": "OTHER-BADGE"},
            ]
        )
        cls.a1, cls.a2, cls.a3 = cls.env["stock.asset"].create(
            [
                {
                    "name": f"Tour Drill {n}",
                    "code": f"TOUR-A{n}",
                    "company_id": company.id,
                    "state": "in_use",
                    "location_id": stock.id,
                }
                for n in (1, 2, 3)
            ]
        )
        now = fields.Datetime.now()
        cls.a2.action_checkout(cls.other, date_due=now + timedelta(days=2))
        cls.reservation = cls.env["stock.asset.reservation"].create(
            {
                "asset_id": cls.a2.id,
                "holder_id": cls.holder.id,
                "date_start": now + timedelta(days=10),
                "date_end": now + timedelta(days=12),
            }
        )

    def test_scan_screen_tour(self):
        self.start_tour(
            "/odoo/action-stock_asset_tracking.scan_screen_action",
            "stock_asset_tracking_scan_screen",
            login="scan_screen_user",
        )
        # check-out: A1 went to the holder scanned first, A2 (held) was refused
        self.assertRecordValues(
            self.a1 | self.a2 | self.a3,
            [
                {"holder_id": self.holder.id, "location_id": self.stock.id},
                {"holder_id": self.other.id, "location_id": self.stock.id},
                {"holder_id": False, "location_id": self.shelf.id},
            ],
        )
        self.assertEqual(self.a2.custody_count, 1)
        # the locate batch was posted twice (its first answer lost): stored and
        # applied once
        Batch = self.env["stock.asset.scan.batch"]
        batches = Batch.search([("user_id", "=", self.user.id)], order="id")
        self.assertEqual(batches.mapped("mode"), ["checkout", "checkout", "observe"])
        self.assertTrue(
            all(name.startswith("handheld/") for name in batches.mapped("name"))
        )
        observations = self.env["stock.asset.observation"].search(
            [("batch_id", "in", batches.ids)]
        )
        self.assertEqual(
            sorted(observations.mapped("code")), ["TOUR-A1", "TOUR-A2", "TOUR-A3"]
        )
        # the unknown code was refused on screen and never sent; the location
        # labels scanned among the assets switched the location, never sent
        self.assertFalse(
            self.env["stock.asset.observation"].search(
                [("code", "in", ("NOPE-404", "TOUR-BIN", "TOUR-SHELF"))]
            )
        )

    def test_batch_display_name(self):
        """Batches read as who sent them, how, when and their counts; the batch
        ID stays their name."""
        device = self.env["stock.asset.device"].create(
            {"name": "dock-door-2", "device_type": "fixed_rfid"}
        )
        batches = self.env["stock.asset.scan.batch"].create(
            [
                {
                    "name": "zebra:dock-door-2:3f2a9c1e",
                    "company_id": self.env.company.id,
                    "device_id": device.id,
                    "user_id": self.user.id,
                    "source": "zebra",
                    "read_count": 120,
                    "unknown_count": 2,
                },
                {
                    "name": "handheld/0b7c5a1e-2f4d-4c8e-9a3b-5d6e7f8a9b0c",
                    "company_id": self.env.company.id,
                    "user_id": self.user.id,
                    "read_count": 1,
                },
            ]
        )
        received = r" · \d[^·]+ · "  # the date and time, in the user's format
        self.assertRegex(
            batches[0].display_name,
            rf"^dock-door-2 · Zebra reader{received}120 reads, 2 unknown$",
        )
        self.assertRegex(
            batches[1].display_name,
            rf"^{re.escape(self.user.name)} · Native batch{received}1 read$",
        )
        self.assertEqual(batches.search([("name", "=", batches[1].name)]), batches[1])

    def test_phone_menu(self):
        """On a phone the app's menu opens on "Scan Assets"; the sections follow
        in the order of the work (devices under Scanning)."""
        menus = self.env["ir.ui.menu"].with_user(self.user).load_menus(debug=False)
        root = self.env.ref("stock_asset_tracking.stock_asset_menu_root")
        sections = [menus[child]["name"] for child in menus[root.id]["children"]]
        order = [
            "Scan Assets",
            "Assets",
            "Operations",
            "Installed Base",
            "Scanning",
            "Calibration",
        ]
        self.assertEqual(sections[0], "Scan Assets")
        # other capabilities may add sections; these keep their order
        self.assertEqual([name for name in sections if name in order], order)
        scanning = self.env.ref("stock_asset_tracking.stock_asset_menu_scanning")
        self.assertIn(
            "Devices",
            [menus[child]["name"] for child in menus[scanning.id]["children"]],
        )

    def test_session_routes(self):
        """The screen's JSON routes answer like the API, for asset users only."""
        self.authenticate("scan_screen_user", "scan_screen_user")
        answer = self.make_jsonrpc_request(f"{PREFIX}/lookup", {"code": "TOUR-A2"})
        self.assertEqual(
            {key: answer[key] for key in ("status", "asset_code", "holder")},
            {
                "status": "matched",
                "asset_code": "TOUR-A2",
                "holder": {
                    "id": self.other.id,
                    "name": "Other Holder",
                    "ref": "OTHER-BADGE",
                },
            },
        )
        self.assertEqual(
            answer["reservation"],
            {
                "id": self.reservation.id,
                "holder": "Tour Holder",
                "date_start": self.reservation.date_start.isoformat() + "Z",
                "date_end": self.reservation.date_end.isoformat() + "Z",
                "current": False,
            },
        )
        self.assertEqual(
            self.make_jsonrpc_request(
                f"{PREFIX}/target", {"kind": "location", "code": "TOUR-SHELF"}
            ),
            {
                "id": self.shelf.id,
                "name": self.shelf.complete_name,
                "code": "TOUR-SHELF",
            },
        )
        self.assertEqual(
            self.make_jsonrpc_request(
                f"{PREFIX}/target", {"kind": "holder", "code": "NOBODY"}
            )["error"]["code"],
            "not_found",
        )
        # a refused body answers the API's error, nothing is stored
        answer = self.make_jsonrpc_request(
            f"{PREFIX}/batch",
            {"payload": {"batch_id": "handheld/x", "mode": "checkout", "reads": []}},
        )
        self.assertEqual(answer["error"]["code"], "bad_request")
        self.assertFalse(
            self.env["stock.asset.scan.batch"].search([("name", "=", "handheld/x")])
        )
        # a user who is not an asset user is refused
        self.authenticate("scan_screen_outsider", "scan_screen_outsider")
        answer = self.make_jsonrpc_request(f"{PREFIX}/lookup", {"code": "TOUR-A1"})
        self.assertEqual(answer["error"]["code"], "forbidden")
