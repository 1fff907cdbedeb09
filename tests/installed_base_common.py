# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixtures of the installed-base tests: a serial-tracked machine whose category
tracks its serials as installed base, customers with delivery addresses, serials
in stock, and helpers that deliver and return them through stock's own flows."""

from odoo import Command

from .common import AssetCommon


def create_acme_water(env, **values):
    """The customer "Acme Water" (``values`` added) and its delivery address
    "Plant North" in Lyon."""
    Partner = env["res.partner"]
    acme = Partner.create({"name": "Acme Water", "is_company": True, **values})
    plant = Partner.create(
        {
            "name": "Plant North",
            "type": "delivery",
            "parent_id": acme.id,
            "street": "1 River Road",
            "city": "Lyon",
        }
    )
    return acme, plant


class InstalledBaseCommon(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.category_ib = cls.env["stock.asset.category"].create(
            {
                "name": "Pumps (installed base)",
                "company_id": cls.company_a.id,
                "installed_base": True,
                "warranty_months": 12,
            }
        )
        cls.machine = (
            cls.env["product.product"]
            .with_company(cls.company_a)
            .create(
                {
                    "name": "Pump P-200",
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "serial",
                    "asset_category_id": cls.category_ib.id,
                }
            )
        )
        # the same shared product in company B, where its category is B's
        cls.category_ib_b = cls.env["stock.asset.category"].create(
            {
                "name": "Pumps B",
                "company_id": cls.company_b.id,
                "installed_base": True,
                "warranty_months": 6,
            }
        )
        cls.machine.with_company(cls.company_b).asset_category_id = cls.category_ib_b
        Partner = cls.env["res.partner"]
        cls.acme, cls.acme_plant = create_acme_water(
            cls.env, company_id=cls.company_a.id
        )
        cls.acme_plant_2 = Partner.create(
            {
                "name": "Plant South",
                "type": "delivery",
                "parent_id": cls.acme.id,
                "city": "Marseille",
            }
        )
        cls.globex = Partner.create(
            {"name": "Globex", "is_company": True, "company_id": cls.company_a.id}
        )
        cls.initech_b = Partner.create(
            {"name": "Initech", "is_company": True, "company_id": cls.company_b.id}
        )

    # Helpers -------------------------------------------------------------------------
    @classmethod
    def _lots(cls, *names, product=None, company=None):
        product = product or cls.machine
        company = company or cls.company_a
        return cls.env["stock.lot"].create(
            [
                {"name": name, "product_id": product.id, "company_id": company.id}
                for name in names
            ]
        )

    @classmethod
    def _put_in_stock(cls, lots, location=None):
        """Put each serial of ``lots`` at ``location`` (taking it from wherever
        it is, as an inventory correction would)."""
        location = location or cls.stock_a
        Quant = cls.env["stock.quant"]
        for lot in lots:
            for quant in Quant.search([("lot_id", "=", lot.id), ("quantity", ">", 0)]):
                Quant._update_available_quantity(
                    lot.product_id, quant.location_id, -quant.quantity, lot_id=lot
                )
            Quant._update_available_quantity(lot.product_id, location, 1.0, lot_id=lot)

    @classmethod
    def _transfer(cls, lots, partner, picking_type, source, dest, user=None):
        """A validated transfer of ``lots`` (one move per product), through
        ``button_validate`` as ``user``."""
        env = cls.env if user is None else cls.env(user=user)
        env = env(
            context=dict(env.context, allowed_company_ids=picking_type.company_id.ids)
        )
        picking = env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id if partner else False,
                "location_id": source.id,
                "location_dest_id": dest.id,
            }
        )
        for product in lots.product_id:
            product_lots = lots.filtered(lambda lot, p=product: lot.product_id == p)
            env["stock.move"].create(
                {
                    "name": product.name,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom_qty": len(product_lots),
                    "product_uom": product.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": dest.id,
                    "move_line_ids": [
                        Command.create(
                            {
                                "picking_id": picking.id,
                                "product_id": product.id,
                                "lot_id": lot.id,
                                "quantity": 1.0,
                                "location_id": source.id,
                                "location_dest_id": dest.id,
                            }
                        )
                        for lot in product_lots
                    ],
                }
            )
        picking.action_confirm()
        picking.move_ids.picked = True
        result = picking.button_validate()
        assert result is True, result
        return picking

    @classmethod
    def _deliver(cls, lots, partner, user=None, warehouse=None):
        warehouse = warehouse or cls.warehouse_a
        cls._put_in_stock(lots, warehouse.lot_stock_id)
        return cls._transfer(
            lots,
            partner,
            warehouse.out_type_id,
            warehouse.lot_stock_id,
            cls.customers,
            user=user,
        )

    @classmethod
    def _return(cls, delivery, lots=None):
        """Return ``lots`` (default: all) of ``delivery`` with stock's wizard."""
        lots = lots or delivery.move_line_ids.lot_id
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = len(
                lots.filtered(lambda lot, ret=line: lot.product_id == ret.product_id)
            )
        picking = cls.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        for move in picking.move_ids:
            move.move_line_ids.unlink()
            move.move_line_ids = [
                Command.create(
                    {
                        "picking_id": picking.id,
                        "product_id": move.product_id.id,
                        "lot_id": lot.id,
                        "quantity": 1.0,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                    }
                )
                for lot in lots.filtered(
                    lambda lot, m=move: lot.product_id == m.product_id
                )
            ]
        picking.move_ids.picked = True
        result = picking.button_validate()
        assert result is True, result
        return picking

    @classmethod
    def _item(cls, lot):
        return (
            cls.env["stock.asset"]
            .with_context(active_test=False)
            .search([("lot_id", "=", lot.id)])
        )
