# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Asset codes in stock_barcodes' picking and inventory screens, through the
screens' own methods (a scan as the web client sends it)."""

from odoo.tests import tagged

from .common import GTIN, BarcodesAssetCommon


@tagged("post_install", "-at_install")
class TestBarcodesAssetCodes(BarcodesAssetCommon):
    def _review_screen(self, user=None):
        """A delivery of one drill, in a screen that waits for a confirmation
        after each read (so the read's result can be looked at)."""
        self.picking_type_out.barcode_option_group_id.is_manual_confirm = True
        picking = self._picking(self.picking_type_out, self.drill)
        return picking, self._scan_screen(picking, user=user)

    def test_every_code_of_the_asset_selects_its_serial(self):
        codes = [
            "DRL-0001",  # the asset tag (Code 128 / QR of the label)
            "SN-DRILL-1",  # the serial number itself
            self.drill_asset.epc,  # an RFID handheld in keyboard-wedge mode
            self.drill_asset.epc.lower(),
            "]C1800406141415678",  # GS1-128, AI 8004 (GIAI of the EPC)
            "(8004)06141415678",
            "800406141415678",  # a label's QR read without its FNC1
            f"]C101{GTIN.zfill(14)}21SN-DRILL-1",  # GS1 01 + 21
        ]
        for code in codes:
            with self.subTest(code=code):
                picking, wizard = self._review_screen()
                self.scan(wizard, code)
                self.assertRecordValues(
                    wizard,
                    [
                        {
                            "product_id": self.drill.id,
                            "lot_id": self.lot_drill.id,
                            "product_qty": 1.0,
                            "message_type": "info",
                            "barcode": code,
                        }
                    ],
                )
                self.assertEqual(picking.move_line_ids.qty_picked, 0.0)

    def test_asset_label_delivers_like_its_serial(self):
        """Scanning the tag and scanning the serial write the same move line."""
        results = []
        for code in ("DRL-0001", "SN-DRILL-1"):
            picking = self._picking(self.picking_type_out, self.drill)
            wizard = self._scan_screen(picking)
            self.assertTrue(self.scan(wizard, code), wizard.message)
            line = picking.move_line_ids
            results.append(
                (line.lot_id, line.qty_picked, line.picked, line.barcode_scan_state)
            )
            picking.action_cancel()
        self.assertEqual(results[0], (self.lot_drill, 1.0, True, "done"))
        self.assertEqual(results[0], results[1])

    def test_stock_user_without_asset_rights_scans_labels(self):
        picking, wizard = self._review_screen(user=self.stock_only)
        self.scan(wizard, self.drill_asset.epc)
        self.assertRecordValues(
            wizard, [{"product_id": self.drill.id, "lot_id": self.lot_drill.id}]
        )

    def test_unknown_code_is_the_apps_not_found(self):
        picking, wizard = self._review_screen()
        # unknown; and an EPC that cannot be decoded (not hexadecimal)
        for code in ("NOPE-404", "3034ZZ7BF40000000000162E"):
            with self.subTest(code=code):
                self.assertFalse(self.scan(wizard, code))
                self.assertRecordValues(
                    wizard,
                    [
                        {
                            "message_type": "not_found",
                            "message": f"{code} (Barcode not found with this "
                            "screen values)",
                            "lot_id": False,
                        }
                    ],
                )
        self.assertFalse(picking.move_line_ids.qty_picked)

    def test_asset_of_another_company_is_not_found(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.env["stock.asset"].create(
            {"name": "Foreign", "code": "FOREIGN-1", "company_id": other.id}
        )
        picking, wizard = self._review_screen()
        self.assertFalse(self.scan(wizard, "FOREIGN-1"))
        self.assertEqual(wizard.message_type, "not_found")

    def test_out_of_tolerance_instrument_cannot_be_delivered(self):
        picking = self._picking(self.picking_type_out, self.wrench_product)
        before = picking.move_line_ids.read(["lot_id", "qty_picked", "picked"])
        reason = (
            "TW-0001 cannot go out: it was found out of tolerance; it needs a "
            "passing calibration."
        )
        self.assertEqual(
            self.wrench._get_calibration_refusals("checkout"), {self.wrench.id: reason}
        )
        for code in ("TW-0001", "SN-WRENCH-1"):  # its label, its serial
            with self.subTest(code=code):
                wizard = self._scan_screen(picking)
                self.assertFalse(self.scan(wizard, code))
                self.assertRecordValues(
                    wizard,
                    [
                        {
                            "message_type": "more_match",
                            "message": f"{code} ({reason})",
                            "lot_id": False,
                        }
                    ],
                )
                # nothing applied on the picking
                self.assertEqual(
                    picking.move_line_ids.read(["lot_id", "qty_picked", "picked"]),
                    before,
                )

    def test_typed_serial_of_a_refused_asset_is_refused_at_confirmation(self):
        self.picking_type_out.barcode_option_group_id.is_manual_confirm = True
        picking = self._picking(self.picking_type_out, self.wrench_product)
        wizard = self._scan_screen(picking)
        wizard.write(
            {
                "manual_entry": True,
                "product_id": self.wrench_product.id,
                "lot_id": self.lot_wrench.id,
                "product_qty": 1.0,
            }
        )
        self.assertFalse(wizard.action_confirm())
        self.assertEqual(wizard.message_type, "more_match")
        self.assertIn("TW-0001 cannot go out", wizard.message)
        self.assertFalse(picking.move_line_ids.qty_picked)

    def test_disposed_asset_cannot_be_received(self):
        picking = self._picking(self.picking_type_in, self.drill)
        wizard = self._scan_screen(picking)
        self.assertFalse(self.scan(wizard, "DRL-0099"))
        self.assertRecordValues(
            wizard,
            [
                {
                    "message_type": "more_match",
                    "message": "DRL-0099 (DRL-0099 cannot be received: it was "
                    "disposed of on 03/02/2026.)",
                    "lot_id": False,
                }
            ],
        )
        self.assertFalse(picking.move_line_ids.filtered("qty_picked"))
        # an asset in use comes back: received as its serial would be
        self.assertTrue(self.scan(wizard, "DRL-0002"), wizard.message)
        picked = picking.move_line_ids.filtered("qty_picked")
        self.assertEqual(picked.lot_id, self.lot_drill_2)

    def test_inventory_counts_the_asset_scanned(self):
        inventory = self.env.ref("stock_barcodes.stock_barcodes_action_inventory")
        action = inventory.with_user(self.operator).open_action()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.operator)
            .browse(action["res_id"])
        )
        self.assertEqual(wizard.location_id, self.stock)
        self.assertTrue(self.scan(wizard, self.drill_asset.epc), wizard.message)
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", self.lot_drill.id), ("location_id", "=", self.stock.id)]
        )
        self.assertRecordValues(quant, [{"inventory_quantity": 1.0, "quantity": 1.0}])

    def test_default_operation_screen(self):
        """Picking types without an option group of their own open stock_barcodes'
        default "Operations" screen, which reads serial numbers: so asset codes."""
        (self.picking_type_out | self.picking_type_in).barcode_option_group_id = False
        picking = self._picking(self.picking_type_out, self.drill)
        wizard = self._scan_screen(picking)
        self.assertEqual(
            wizard.option_group_id,
            self.env.ref("stock_barcodes.stock_barcodes_option_group_operation"),
        )
        self.assertTrue(self.scan(wizard, "]C1800406141415678"), wizard.message)
        self.assertRecordValues(
            picking.move_line_ids,
            [{"lot_id": self.lot_drill.id, "qty_picked": 1.0, "picked": True}],
        )
        wrench_delivery = self._picking(self.picking_type_out, self.wrench_product)
        wizard = self._scan_screen(wrench_delivery)
        self.assertFalse(self.scan(wizard, "TW-0001"))
        self.assertIn("TW-0001 cannot go out", wizard.message)
        self.assertFalse(wrench_delivery.move_line_ids.qty_picked)
        receipt = self._picking(self.picking_type_in, self.drill)
        wizard = self._scan_screen(receipt)
        self.assertFalse(self.scan(wizard, "DRL-0099"))
        self.assertIn("DRL-0099 cannot be received", wizard.message)
        self.assertFalse(receipt.move_line_ids.filtered("qty_picked"))
