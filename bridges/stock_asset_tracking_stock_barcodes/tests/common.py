# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixtures of the bridge's tests: an operator, a serial-tracked drill with an
asset (tag, RFID EPC, GS1 keys) in stock, a torque wrench found out of tolerance,
a disposed asset, a holder with a badge, and barcode option groups in which the
serial number is read (as stock_barcodes' own tests make them).

The classes are HttpCase because the asset actions post through the scan API's
model method, which commits in a transaction of its own: only the test mode of
HttpCase keeps that inside the test's transaction.
"""

from datetime import date

from odoo import Command
from odoo.tests import HttpCase

from odoo.addons.stock_asset_tracking.tests.common import company_user
from odoo.addons.stock_asset_tracking.tools import epc as epc_lib

GTIN = "4006381333931"  # a valid GTIN-13
EPC_HEX = epc_lib.encode(
    "giai-96", "0614141", filter=3, asset_reference="5678"
)  # GIAI 06141415678


class BarcodesAssetCommon(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        stock_groups = "stock.group_stock_user,stock.group_production_lot"
        cls.operator = company_user(
            cls.env,
            "sat_barcodes_operator",
            cls.company,
            f"{stock_groups},stock_asset_tracking.group_asset_user",
        )
        cls.stock_only = company_user(
            cls.env, "sat_barcodes_stock_only", cls.company, stock_groups
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Tool Shelf", "location_id": cls.stock.id, "barcode": "SAT-SHELF"}
        )
        cls.holder = cls.env["res.partner"].create(
            {"name": "Anna Fitter", "ref": "BADGE-ANNA"}
        )
        Product = cls.env["product.product"]
        product_vals = {"type": "consu", "is_storable": True, "tracking": "serial"}
        cls.drill = Product.create(
            dict(product_vals, name="Cordless Drill", barcode=GTIN)
        )
        cls.wrench_product = Product.create(dict(product_vals, name="Torque Wrench"))
        cls.lot_drill, cls.lot_drill_2, cls.lot_wrench, cls.lot_gone = cls.env[
            "stock.lot"
        ].create(
            [
                {"name": "SN-DRILL-1", "product_id": cls.drill.id},
                {"name": "SN-DRILL-2", "product_id": cls.drill.id},
                {"name": "SN-WRENCH-1", "product_id": cls.wrench_product.id},
                {"name": "SN-DRILL-OLD", "product_id": cls.drill.id},
            ]
        )
        for lot in cls.lot_drill | cls.lot_drill_2 | cls.lot_wrench:
            cls.env["stock.quant"]._update_available_quantity(
                lot.product_id, cls.stock, 1.0, lot_id=lot
            )
        Asset = cls.env["stock.asset"]
        cls.drill_asset = Asset.create(
            {
                "name": "Cordless Drill #1",
                "code": "DRL-0001",
                "epc": EPC_HEX,
                "product_id": cls.drill.id,
                "lot_id": cls.lot_drill.id,
                "state": "in_use",
                "location_id": cls.stock.id,
            }
        )
        cls.drill_asset_2 = Asset.create(
            {
                "name": "Cordless Drill #2",
                "code": "DRL-0002",
                "product_id": cls.drill.id,
                "lot_id": cls.lot_drill_2.id,
                "state": "in_use",
                "location_id": cls.stock.id,
            }
        )
        cls.gone_asset = Asset.create(
            {
                "name": "Cordless Drill (scrapped)",
                "code": "DRL-0099",
                "product_id": cls.drill.id,
                "lot_id": cls.lot_gone.id,
                "state": "disposed",
                "disposal_date": date(2026, 3, 2),
            }
        )
        # a measuring instrument found out of tolerance at its calibration
        cls.instruments = cls.env["stock.asset.category"].create(
            {"name": "Torque Tools", "calibration_interval_days": 365}
        )
        cls.wrench = Asset.create(
            {
                "name": "Torque Wrench 5-60 N·m",
                "code": "TW-0001",
                "category_id": cls.instruments.id,
                "product_id": cls.wrench_product.id,
                "lot_id": cls.lot_wrench.id,
                "state": "in_use",
                "location_id": cls.stock.id,
            }
        )
        failed = cls.env["stock.asset.calibration"].create(
            {
                "asset_id": cls.wrench.id,
                "date": date.today(),
                "point_ids": [
                    Command.create(
                        {
                            "name": "Torque",
                            "unit": "N·m",
                            "nominal": 20,
                            "tolerance": 0.8,
                            "as_found": "21.5",
                        }
                    )
                ],
            }
        )
        failed.action_confirm()
        cls.picking_type_out = cls.warehouse.out_type_id
        cls.picking_type_in = cls.warehouse.in_type_id
        cls.picking_type_out.barcode_option_group_id = cls._option_group("OUT")
        cls.picking_type_in.barcode_option_group_id = cls._option_group("IN")

    @classmethod
    def _option_group(cls, code, **vals):
        """A free (not guided) group whose second step reads a product, its
        packaging or a serial number, confirmed on each read."""
        return cls.env["stock.barcodes.option.group"].create(
            {
                "name": f"Assets {code}",
                "code": code,
                **vals,
                "option_ids": [
                    Command.create(
                        {
                            "step": 1,
                            "name": "Location",
                            "field_name": "location_id",
                            "filled_default": True,
                            "to_scan": True,
                            "required": True,
                        }
                    ),
                    Command.create(
                        {
                            "step": 2,
                            "name": "Product",
                            "field_name": "product_id",
                            "to_scan": True,
                            "required": True,
                            "clean_after_done": True,
                        }
                    ),
                    Command.create(
                        {
                            "step": 2,
                            "name": "Lot / Serial",
                            "field_name": "lot_id",
                            "to_scan": True,
                            "required": True,
                            "clean_after_done": True,
                        }
                    ),
                    Command.create(
                        {
                            "step": 3,
                            "name": "Location Dest",
                            "field_name": "location_dest_id",
                            "filled_default": True,
                            "required": True,
                        }
                    ),
                    Command.create(
                        {
                            "step": 4,
                            "name": "Quantity",
                            "field_name": "product_qty",
                            "required": True,
                            "clean_after_done": True,
                        }
                    ),
                ],
            }
        )

    @classmethod
    def _picking(cls, picking_type, product, qty=1.0, assign=True):
        if picking_type.code == "incoming":
            source = cls.env.ref("stock.stock_location_suppliers")
            dest = cls.stock
        else:
            source = cls.stock
            dest = cls.env.ref("stock.stock_location_customers")
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": dest.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": dest.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        if assign:
            picking.action_assign()
        return picking

    def _scan_screen(self, picking, user=None):
        """The picking's barcode screen, as the operator opens it."""
        action = picking.with_user(user or self.operator).action_barcode_scan()
        return (
            self.env[action["res_model"]]
            .with_user(user or self.operator)
            .browse(action["res_id"])
        )

    @staticmethod
    def scan(wizard, barcode):
        """A scan as the web client sends it (stock_barcodes' own test helper)."""
        wizard._barcode_scanned = barcode
        wizard._on_barcode_scanned()
        res = wizard.dummy_on_barcode_scanned()
        # an asset scan is applied by the scan API in a transaction of its own
        wizard.env.invalidate_all()
        return res
