# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The asset actions of the barcode menu: locate, audit, check out, check in,
through the screen's methods; each scan goes through the scan API's model
method, so its batch, its observation and its rules are the API's."""

from odoo import Command
from odoo.tests import tagged

from .common import BarcodesAssetCommon


@tagged("post_install", "-at_install")
class TestBarcodesAssetActions(BarcodesAssetCommon):
    def _screen(self, mode, user=None):
        action = (
            self.env.ref(f"stock_asset_tracking_stock_barcodes.{mode}")
            .with_user(user or self.operator)
            .open_action()
        )
        self.assertEqual(action["res_model"], "wiz.stock.barcodes.read.asset")
        return (
            self.env[action["res_model"]]
            .with_user(user or self.operator)
            .browse(action["res_id"])
        )

    def _batches(self):
        return self.env["stock.asset.scan.batch"].search(
            [("user_id", "=", self.operator.id)], order="id"
        )

    def test_menu_shows_asset_actions_to_asset_users_only(self):
        Action = self.env["stock.barcodes.action"]
        asset_actions = Action.search([("asset_scan_mode", "!=", False)])
        self.assertEqual(
            asset_actions.mapped("asset_scan_mode"),
            ["observe", "audit", "checkout", "checkin"],
        )
        self.assertEqual(
            Action.with_user(self.operator).search([]) & asset_actions, asset_actions
        )
        seen_by_stock_user = Action.with_user(self.stock_only).search([])
        self.assertTrue(seen_by_stock_user)
        self.assertFalse(seen_by_stock_user & asset_actions)

    def test_checkout_to_the_scanned_badge_then_checkin(self):
        wizard = self._screen("stock_barcodes_action_asset_checkout")
        self.assertEqual(wizard.message, "Scan the holder's badge")
        # an asset before the badge: refused, nothing sent
        self.assertFalse(self.scan(wizard, "DRL-0001"))
        self.assertEqual(wizard.message, "DRL-0001 (Scan the holder's badge first)")
        self.assertFalse(self._batches())
        self.assertTrue(self.scan(wizard, "BADGE-ANNA"))
        self.assertRecordValues(
            wizard,
            [
                {
                    "holder_id": self.holder.id,
                    "message": "BADGE-ANNA (Anna Fitter: scan the assets)",
                }
            ],
        )
        self.assertTrue(self.scan(wizard, "DRL-0001"))
        self.assertRecordValues(
            wizard,
            [
                {
                    "message_type": "success",
                    "message": "DRL-0001 (DRL-0001 checked out to Anna Fitter)",
                    "asset_id": self.drill_asset.id,
                    "asset_done_count": 1,
                }
            ],
        )
        self.assertEqual(self.drill_asset.holder_id, self.holder)
        self.assertEqual(self._batches().mapped("mode"), ["checkout"])
        # the check-out rules are the API's: an instrument out of tolerance stays
        self.assertFalse(self.scan(wizard, "TW-0001"))
        self.assertRecordValues(
            wizard,
            [
                {
                    "message_type": "more_match",
                    "message": "TW-0001 (TW-0001 cannot go out: it was found out of "
                    "tolerance; it needs a passing calibration.)",
                    "asset_done_count": 1,
                }
            ],
        )
        self.assertFalse(self.wrench.custody_ids)
        # and one already out
        self.assertFalse(self.scan(wizard, self.drill_asset.epc))
        self.assertIn("DRL-0001 is already out with Anna Fitter", wizard.message)
        self.assertEqual(len(self.drill_asset.custody_ids), 1)

        wizard = self._screen("stock_barcodes_action_asset_checkin")
        self.assertEqual(
            wizard.message, "Scan the assets (or first the return location)"
        )
        self.assertTrue(self.scan(wizard, "DRL-0001"))
        self.assertEqual(wizard.message, "DRL-0001 (DRL-0001 checked in)")
        self.assertFalse(self.drill_asset.holder_id)
        self.assertTrue(self.drill_asset.custody_ids.date_returned)
        self.assertFalse(self.scan(wizard, "DRL-0001"))
        self.assertEqual(
            wizard.message,
            "DRL-0001 (DRL-0001 cannot be checked in: it is not checked out.)",
        )

    def test_locate_moves_to_the_scanned_location(self):
        wizard = self._screen("stock_barcodes_action_asset_locate")
        self.assertEqual(wizard.message, "Scan the location")
        self.assertTrue(self.scan(wizard, "SAT-SHELF"))
        self.assertEqual(wizard.location_id, self.shelf)
        self.assertTrue(self.scan(wizard, "]C1800406141415678"))
        self.assertEqual(
            wizard.message,
            "]C1800406141415678 (DRL-0001 located in WH/Stock/Tool Shelf)",
        )
        self.assertEqual(self.drill_asset.location_id, self.shelf)
        self.assertTrue(self.drill_asset.last_seen_date)
        observation = self.env["stock.asset.observation"].search(
            [("batch_id", "in", self._batches().ids)]
        )
        self.assertRecordValues(
            observation,
            [{"asset_id": self.drill_asset.id, "code": "]C1800406141415678"}],
        )

    def test_audit_counts_toward_the_open_audit_of_the_location(self):
        audit = self.env["stock.asset.audit"].create(
            {
                "location_ids": [Command.set(self.stock.ids)],
                "date_due": "2099-12-31",
            }
        )
        wizard = self._screen("stock_barcodes_action_asset_audit")
        self.assertTrue(self.scan(wizard, "SAT-SHELF"))
        # the audit is not started: the place is in no open audit
        self.assertFalse(self.scan(wizard, "DRL-0001"))
        self.assertEqual(wizard.message_type, "more_match")
        self.assertFalse(audit.line_ids.filtered("found_date"))
        audit.action_start()
        self.assertTrue(self.scan(wizard, "DRL-0001"))
        self.assertEqual(wizard.message_type, "success")
        line = audit.line_ids.filtered(lambda line: line.asset_id == self.drill_asset)
        self.assertRecordValues(line, [{"found_location_id": self.shelf.id}])
        self.assertEqual(wizard.asset_done_count, 1)

    def test_unknown_code_and_typed_code(self):
        wizard = self._screen("stock_barcodes_action_asset_locate")
        self.scan(wizard, "SAT-SHELF")
        self.assertFalse(self.scan(wizard, "NOPE-404"))
        self.assertRecordValues(
            wizard,
            [
                {
                    "message_type": "not_found",
                    "message": "NOPE-404 (Barcode not found with this screen values)",
                }
            ],
        )
        self.assertFalse(self._batches())
        # a code typed on the phone's keyboard reads like a scan
        wizard.manual_code = " DRL-0002 "
        self.assertTrue(wizard.action_apply_manual_code())
        self.assertEqual(
            wizard.message, "DRL-0002 (DRL-0002 located in WH/Stock/Tool Shelf)"
        )
        self.assertEqual(self.drill_asset_2.location_id, self.shelf)
        self.assertFalse(wizard.manual_code)
