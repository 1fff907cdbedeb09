# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Disposal: depreciation up to the date (prorata), the removal entry with its gain
or loss, the board that stops; disposal proposed when a serial leaves."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_register_common import D, RegisterCommon


@tagged("post_install", "-at_install")
class TestRegisterDisposal(RegisterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(
            "stock_asset_tracking.mail_activity_type_asset_disposal"
        )

    def _lathe(self):
        """12,000 over 12 months from 1 January 2026: 1,000 a month."""
        return self._register_asset(
            original_value=12000.0, method_number=12, method_period="1"
        )

    def _dispose(self, asset, **vals):
        vals.setdefault("date", D(2026, 3, 16))
        wizard = (
            self.env["stock.asset.dispose"]
            .with_user(self.accountant_a)
            .with_context(active_model="stock.asset", active_id=asset.id)
            .create(vals)
        )
        self.assertEqual(wizard.asset_id, asset)
        wizard.action_dispose()
        return asset.disposal_move_id

    def _assert_depreciated_until_disposal(self, asset):
        # January and February in full, March prorated: 1,000 x 16/31 = 516.13;
        # the lines after the disposal are gone.
        self.assertEqual(
            self._board(asset),
            [
                ("2026-01-31", 1000.0, 1000.0, 11000.0, "posted"),
                ("2026-02-28", 1000.0, 2000.0, 10000.0, "posted"),
                ("2026-03-16", 516.13, 2516.13, 9483.87, "posted"),
            ],
        )

    def test_scrap_mid_period_books_a_loss(self):
        asset = self._lathe()
        move = self._dispose(asset, disposal_type="scrap")
        self._assert_depreciated_until_disposal(asset)
        self.assertRecordValues(
            move,
            [
                {
                    "date": D(2026, 3, 16),
                    "state": "posted",
                    "asset_id": asset.id,
                    "journal_id": self.chart_a["journal"].id,
                }
            ],
        )
        # cost out, accumulated depreciation out, net book value to loss
        self.assertEntryLines(
            move,
            [
                (self.chart_a["asset"], 0.0, 12000.0),
                (self.chart_a["accumulated"], 2516.13, 0.0),
                (self.chart_a["loss"], 9483.87, 0.0),
            ],
        )
        self.assertRecordValues(
            asset,
            [
                {
                    "state": "disposed",
                    "disposal_date": D(2026, 3, 16),
                    "disposal_type": "scrap",
                    "disposal_proceeds": 0.0,
                    "book_value": 0.0,
                    "depreciated_value": 2516.13,
                }
            ],
        )
        # the board stops: nothing to recompute or post any more
        asset.action_compute_board()
        self.assertIs(asset.action_post_until(D(2027, 12, 31)), True)
        self.assertEqual(len(asset.depreciation_line_ids), 3)

    def test_sale_mid_period_with_a_gain(self):
        asset = self._lathe()
        move = self._dispose(
            asset,
            disposal_type="sale",
            proceeds=10000.0,
            proceeds_account_id=self.chart_a["bank"].id,
        )
        self._assert_depreciated_until_disposal(asset)
        # proceeds 10,000 against a net book value of 9,483.87: gain 516.13
        self.assertEntryLines(
            move,
            [
                (self.chart_a["asset"], 0.0, 12000.0),
                (self.chart_a["accumulated"], 2516.13, 0.0),
                (self.chart_a["bank"], 10000.0, 0.0),
                (self.chart_a["gain"], 0.0, 516.13),
            ],
        )
        self.assertEqual(asset.disposal_proceeds, 10000.0)

    def test_sale_mid_period_with_a_loss(self):
        asset = self._lathe()
        move = self._dispose(
            asset,
            disposal_type="sale",
            proceeds=9000.0,
            proceeds_account_id=self.chart_a["bank"].id,
        )
        self.assertEntryLines(
            move,
            [
                (self.chart_a["asset"], 0.0, 12000.0),
                (self.chart_a["accumulated"], 2516.13, 0.0),
                (self.chart_a["bank"], 9000.0, 0.0),
                (self.chart_a["loss"], 483.87, 0.0),
            ],
        )

    def test_sale_linked_to_the_customer_invoice(self):
        asset = self._lathe()
        invoice = (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": D(2026, 3, 16),
                    "journal_id": self.chart_a["sale_journal"].id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Used lathe",
                                "quantity": 1.0,
                                "price_unit": 10000.0,
                                "account_id": self.chart_a["income"].id,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        wizard = self.env["stock.asset.dispose"].create(
            {
                "asset_id": asset.id,
                "date": D(2026, 3, 16),
                "disposal_type": "sale",
                "invoice_line_ids": [Command.set(invoice.invoice_line_ids.ids)],
            }
        )
        self.assertEqual(wizard.proceeds, 10000.0)
        wizard.action_dispose()
        # the invoice's income moves to the gain on disposal
        self.assertEntryLines(
            asset.disposal_move_id,
            [
                (self.chart_a["asset"], 0.0, 12000.0),
                (self.chart_a["accumulated"], 2516.13, 0.0),
                (self.chart_a["income"], 10000.0, 0.0),
                (self.chart_a["gain"], 0.0, 516.13),
            ],
        )

    def test_disposal_on_a_period_end_takes_the_full_period(self):
        asset = self._lathe()
        self._dispose(asset, date=D(2026, 3, 31), disposal_type="scrap")
        self.assertEqual(
            [row[1] for row in self._board(asset)], [1000.0, 1000.0, 1000.0]
        )
        self.assertEntryLines(
            asset.disposal_move_id,
            [
                (self.chart_a["asset"], 0.0, 12000.0),
                (self.chart_a["accumulated"], 3000.0, 0.0),
                (self.chart_a["loss"], 9000.0, 0.0),
            ],
        )

    def test_yearly_disposal_with_salvage_value(self):
        # 27,000 / 7,000 / 5 years: 2026 posted (4,000); sold on 1 July 2027 for
        # 22,000: 4,000 x 181/365 = 1,983.56 for 2027, net book value 21,016.44.
        asset = self._register_asset(original_value=27000.0, salvage_value=7000.0)
        asset.action_post_until(D(2026, 12, 31))
        move = self._dispose(
            asset,
            date=D(2027, 6, 30),
            disposal_type="sale",
            proceeds=22000.0,
            proceeds_account_id=self.chart_a["bank"].id,
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2026-12-31", 4000.0, 4000.0, 16000.0, "posted"),
                ("2027-06-30", 1983.56, 5983.56, 14016.44, "posted"),
            ],
        )
        self.assertEntryLines(
            move,
            [
                (self.chart_a["asset"], 0.0, 27000.0),
                (self.chart_a["accumulated"], 5983.56, 0.0),
                (self.chart_a["bank"], 22000.0, 0.0),
                (self.chart_a["gain"], 0.0, 983.56),
            ],
        )

    def test_disposal_checks(self):
        asset = self._lathe()
        asset.action_post_until(D(2026, 3, 31))
        with self.assertRaisesRegex(UserError, "depreciated up to"):
            asset._dispose(D(2026, 3, 16), "scrap")
        with self.assertRaisesRegex(UserError, "account that receives"):
            asset._dispose(D(2026, 4, 16), "sale", proceeds=10.0)
        self.company_a.fiscalyear_lock_date = D(2026, 4, 30)
        with self.assertRaisesRegex(UserError, "the period is locked"):
            asset._dispose(D(2026, 4, 16), "scrap")
        self.company_a.fiscalyear_lock_date = False
        asset._dispose(D(2026, 4, 16), "scrap")
        with self.assertRaisesRegex(UserError, "already disposed"):
            asset._dispose(D(2026, 4, 20), "scrap")
        # a disposal entry is final
        with self.assertRaisesRegex(UserError, "cannot be reset"):
            asset.disposal_move_id.button_draft()

    def test_asset_outside_the_register_is_just_disposed(self):
        asset = self._asset(name="Broom", category_id=self.category_a.id)
        self.assertFalse(asset._dispose(D(2026, 3, 16), "scrap"))
        self.assertEqual(asset.state, "disposed")

    # Proposed disposal ------------------------------------------------------------
    def _asset_in_stock(self, lot):
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.stock_a, 1.0, lot_id=lot
        )
        return self._register_asset(
            original_value=1200.0,
            product_id=self.product.id,
            lot_id=lot.id,
            location_id=self.stock_a.id,
            state="in_use",
        )

    def test_delivery_of_the_serial_proposes_the_disposal(self):
        asset = self._asset_in_stock(self.lot_a1)
        picking = (
            self.env["stock.picking"]
            .with_company(self.company_a)
            .create(
                {
                    "picking_type_id": self.warehouse_a.out_type_id.id,
                    "location_id": self.stock_a.id,
                    "location_dest_id": self.env.ref(
                        "stock.stock_location_customers"
                    ).id,
                    "partner_id": self.customer.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.product.name,
                                "product_id": self.product.id,
                                "product_uom_qty": 1.0,
                                "product_uom": self.product.uom_id.id,
                                "location_id": self.stock_a.id,
                                "location_dest_id": self.env.ref(
                                    "stock.stock_location_customers"
                                ).id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_a1)
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        activity = asset.activity_ids
        self.assertRecordValues(
            activity,
            [
                {
                    "activity_type_id": self.activity_type.id,
                    "user_id": self.accountant_a.id,
                    "summary": f"Dispose of {asset.code}",
                }
            ],
        )
        self.assertIn("delivered to Second-hand Buyer", str(activity.note))
        # the asset stays in the register until the accountant disposes of it
        self.assertEqual(asset.state, "in_use")
        asset._dispose(D(2026, 3, 16), "scrap")
        self.assertFalse(asset.activity_ids)

    def test_scrap_of_the_serial_proposes_the_disposal(self):
        asset = self._asset_in_stock(self.lot_a2)
        scrap = (
            self.env["stock.scrap"]
            .with_company(self.company_a)
            .create(
                {
                    "product_id": self.product.id,
                    "lot_id": self.lot_a2.id,
                    "scrap_qty": 1.0,
                    "location_id": self.stock_a.id,
                    "company_id": self.company_a.id,
                }
            )
        )
        scrap.action_validate()
        self.assertEqual(asset.activity_ids.activity_type_id, self.activity_type)
        self.assertIn("scrapped", str(asset.activity_ids.note))
        # once is enough
        asset._propose_disposal("again")
        self.assertEqual(len(asset.activity_ids), 1)
