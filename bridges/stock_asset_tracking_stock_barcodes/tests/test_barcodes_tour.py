# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""On a phone: deliver a serial by scanning the asset's label, then check a tool
out by scanning the holder's badge and the tool (static/tests/tours/)."""

from odoo.tests import tagged

from .common import BarcodesAssetCommon


@tagged("post_install", "-at_install")
class TestBarcodesTour(BarcodesAssetCommon):
    browser_size = "375x667"  # a phone, held in one hand
    touch_enabled = True

    def test_deliver_then_check_out_on_a_phone(self):
        picking = self._picking(self.picking_type_out, self.drill)
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_drill)
        wizard = self._scan_screen(picking)
        self.start_tour(
            f"/odoo/action-stock_barcodes.action_stock_barcodes_read_picking/{wizard.id}",
            "stock_asset_tracking_stock_barcodes_tour",
            login=self.operator.login,
        )
        self.assertEqual(picking.state, "done")
        self.assertRecordValues(
            picking.move_line_ids,
            [{"lot_id": self.lot_drill.id, "quantity": 1.0, "picked": True}],
        )
        self.assertEqual(self.lot_drill.location_id, picking.location_dest_id)
        self.assertEqual(self.drill_asset_2.holder_id, self.holder)
        self.assertEqual(len(self.drill_asset_2.custody_ids), 1)
        self.assertFalse(self.drill_asset.holder_id)
