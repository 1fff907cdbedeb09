# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Acquisition: from posted vendor bills (one asset per unit of a serial-tracked
product, value of the bill in company currency), from receipts, by hand."""

from odoo import Command
from odoo.tests import tagged

from .test_register_common import D, RegisterCommon


@tagged("post_install", "-at_install")
class TestRegisterAcquisition(RegisterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_a.write(
            {"register_from_documents": True, "method_period": "1", "method_number": 10}
        )
        cls.bench = (
            cls.env["product.product"]
            .with_company(cls.company_a)
            .create(
                {
                    "name": "Work Bench",
                    "type": "consu",
                    "asset_category_id": cls.category_a.id,
                }
            )
        )
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")

    def _bill(self, lines, currency=None, post=True):
        bill = (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.vendor.id,
                    "invoice_date": D(2026, 2, 10),
                    "date": D(2026, 2, 10),
                    "journal_id": self.chart_a["purchase_journal"].id,
                    "currency_id": (currency or self.company_a.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": quantity,
                                "price_unit": price,
                                "discount": discount,
                                "tax_ids": [],
                            }
                        )
                        for product, quantity, price, discount in lines
                    ],
                }
            )
        )
        if post:
            bill.action_post()
        return bill

    def _receive(self, product, serials, price_unit):
        picking = (
            self.env["stock.picking"]
            .with_company(self.company_a)
            .create(
                {
                    "picking_type_id": self.warehouse_a.in_type_id.id,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": self.stock_a.id,
                    "partner_id": self.vendor.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": len(serials),
                                "product_uom": product.uom_id.id,
                                "location_id": self.supplier_location.id,
                                "location_dest_id": self.stock_a.id,
                                "price_unit": price_unit,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        for move_line, serial in zip(picking.move_line_ids, serials, strict=True):
            move_line.write({"lot_name": serial, "quantity": 1.0})
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def _assets_of(self, product):
        return self.env["stock.asset"].search(
            [("product_id", "=", product.id)], order="id"
        )

    def test_bill_of_serial_products_then_receipt(self):
        # 3 x 33.33 less 10 % = 89.99: 30.00, 30.00 and 29.99
        bill = self._bill([(self.product, 3.0, 33.33, 10.0)])
        line = bill.invoice_line_ids
        self.assertEqual(line.account_id, self.chart_a["asset"])
        assets = self._assets_of(self.product)
        registered = {
            "acquisition_date": D(2026, 2, 10),
            "acquisition_origin": "bill",
            "invoice_line_id": line.id,
            "category_id": self.category_a.id,
            "company_id": self.company_a.id,
            "lot_id": False,
            "method_period": "1",
            "method_number": 10,
        }
        self.assertRecordValues(
            assets,
            [
                {**registered, "original_value": 30.0},
                {**registered, "original_value": 30.0},
                {**registered, "original_value": 29.99},
            ],
        )
        self.assertEqual(assets[0].depreciation_line_ids.sorted("date")[0].amount, 3.0)
        self.assertEqual(bill.registered_asset_count, 3)
        action = bill.action_view_registered_assets()
        self.assertEqual(self.env["stock.asset"].search(action["domain"]), assets)
        # reposting the bill registers nothing more
        bill.button_draft()
        bill.action_post()
        self.assertEqual(self._assets_of(self.product), assets)
        # the receipt gives them their serial numbers
        self._receive(self.product, ["SN-R1", "SN-R2", "SN-R3"], 30.0)
        self.assertEqual(self._assets_of(self.product), assets)
        self.assertEqual(assets.mapped("lot_id.name"), ["SN-R1", "SN-R2", "SN-R3"])
        self.assertEqual(assets.location_id, self.stock_a)

    def test_receipt_then_bill(self):
        self._receive(self.product, ["SN-E1", "SN-E2"], 150.0)
        assets = self._assets_of(self.product)
        self.assertRecordValues(
            assets,
            [
                {"original_value": 150.0, "acquisition_origin": "receipt"},
                {"original_value": 150.0, "acquisition_origin": "receipt"},
            ],
        )
        self.assertEqual(assets.mapped("lot_id.name"), ["SN-E1", "SN-E2"])
        self.assertEqual(assets[0].depreciation_line_ids[0].amount, 15.0)
        bill = self._bill([(self.product, 2.0, 160.0, 0.0)])
        # the bill gives its value to the received assets, none is added
        self.assertEqual(self._assets_of(self.product), assets)
        self.assertRecordValues(
            assets,
            [
                {"original_value": 160.0, "invoice_line_id": bill.invoice_line_ids.id},
                {"original_value": 160.0, "invoice_line_id": bill.invoice_line_ids.id},
            ],
        )
        self.assertEqual(assets[0].depreciation_line_ids.sorted("date")[0].amount, 16.0)

    def test_product_without_serials_gives_one_asset_per_line(self):
        self._bill([(self.bench, 2.0, 500.0, 0.0)])
        self.assertRecordValues(
            self._assets_of(self.bench),
            [{"original_value": 1000.0, "lot_id": False, "acquisition_origin": "bill"}],
        )

    def test_value_in_company_currency(self):
        # Odoo's fixture: EUR at 2 EUR for 1 unit of company A's currency
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        self.assertEqual(eur.rate_ids.company_id, self.company_a)
        self._bill([(self.bench, 1.0, 1000.0, 0.0)], currency=eur)
        self.assertEqual(self._assets_of(self.bench).original_value, 500.0)

    def test_only_categories_that_register_from_documents(self):
        self.category_a.register_from_documents = False
        bill = self._bill([(self.bench, 1.0, 1000.0, 0.0)])
        self.assertFalse(self._assets_of(self.bench))
        self.assertEqual(
            bill.invoice_line_ids.account_id,
            self.company_data["default_account_expense"],
        )
        self._receive(self.product, ["SN-X1"], 10.0)
        self.assertFalse(self._assets_of(self.product))

    def test_by_hand(self):
        asset = (
            self.env["stock.asset"]
            .with_user(self.accountant_a)
            .create(
                {
                    "name": "Compressor",
                    "category_id": self.category_a.id,
                    "acquisition_date": D(2026, 1, 1),
                    "original_value": 1000.0,
                }
            )
        )
        self.assertEqual(asset.acquisition_origin, "manual")
        self.assertFalse(asset.depreciation_line_ids)
        asset.action_compute_board()
        self.assertEqual(asset.depreciation_line_ids.mapped("amount"), [100.0] * 10)
