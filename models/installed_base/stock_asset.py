# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..common import set_counts


class StockAsset(models.Model):
    """Installed base: customer items, site, warranty, services and repairs."""

    _inherit = "stock.asset"

    # Installed base (customer items; set by deliveries) ----------------------------
    installation_state = fields.Selection(
        [("installed", "Installed"), ("returned", "Returned")],
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Installed: at the customer since its last delivery. Returned: back "
        "from the customer, its coverage ended on the return.",
    )
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Site",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The delivery address where the customer's item is installed.",
        groups="base.group_user",
    )
    site_address = fields.Char(compute="_compute_site_address", compute_sudo=True)
    delivery_date = fields.Date(readonly=True, copy=False, tracking=True)
    delivery_picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The delivery that last handed the item over to the customer.",
        groups="base.group_user",
    )
    sale_line_ref = fields.Reference(
        [("sale.order.line", "Sales Order Line")],
        string="Sales Order Line",
        readonly=True,
        copy=False,
        help="The sales order line of that delivery (when Sales is installed).",
        groups="base.group_user",
    )
    return_date = fields.Date(readonly=True, copy=False)
    return_picking_id = fields.Many2one(
        "stock.picking",
        string="Return",
        readonly=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
    )
    warranty_start_date = fields.Date(tracking=True, copy=False)
    warranty_end_date = fields.Date(
        tracking=True,
        copy=False,
        help="Last day covered by the warranty; a return from the customer ends "
        "the coverage on the return date.",
    )
    warranty_state = fields.Selection(
        [("in_warranty", "In Warranty"), ("expired", "Expired"), ("none", "None")],
        string="Warranty",
        compute="_compute_warranty_state",
        search="_search_warranty_state",
    )
    service_ids = fields.One2many(
        "stock.asset.service",
        "asset_id",
        string="Service History",
        groups="base.group_user",
    )
    service_count = fields.Integer(
        compute="_compute_service_count", groups="base.group_user"
    )
    repair_count = fields.Integer(
        compute="_compute_repair_count",
        help="Repair orders of the serial number (when Repairs is installed).",
        groups="base.group_user",
    )

    @api.depends("site_partner_id")
    def _compute_site_address(self):
        for asset in self:
            site = asset.site_partner_id
            lines = site._display_address(without_company=True).splitlines()
            parts = [site.display_name] + [line.strip() for line in lines]
            asset.site_address = ", ".join(filter(None, parts)) if site else False

    @api.depends("warranty_end_date", "installation_state")
    def _compute_warranty_state(self):
        # a return ends the coverage, whatever the end date says
        today = fields.Date.context_today(self)
        for asset in self:
            end = asset.warranty_end_date
            if not end:
                asset.warranty_state = "none"
            elif end >= today and asset.installation_state != "returned":
                asset.warranty_state = "in_warranty"
            else:
                asset.warranty_state = "expired"

    def _search_warranty_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the warranty status."))
        today = fields.Date.context_today(self)
        by_state = {
            "none": [("warranty_end_date", "=", False)],
            "in_warranty": [
                "&",
                ("warranty_end_date", ">=", today),
                ("installation_state", "!=", "returned"),
            ],
            "expired": [
                "|",
                ("warranty_end_date", "<", today),
                "&",
                ("warranty_end_date", "!=", False),
                ("installation_state", "=", "returned"),
            ],
        }
        wanted = {value or "none"} if isinstance(value, str | bool) else set(value)
        if operator in ("!=", "not in"):
            wanted = set(by_state) - wanted
        domains = [by_state[state] for state in by_state if state in wanted]
        if not domains:
            return [("id", "=", False)]
        return ["|"] * (len(domains) - 1) + [leaf for dom in domains for leaf in dom]

    def _compute_service_count(self):
        set_counts(self, "service_count", "stock.asset.service", "asset_id")

    @api.depends_context("uid")
    def _compute_repair_count(self):
        # soft link: repair.order exists only when Repairs is installed
        Repair = self.env.get("repair.order")
        counts = {}
        if Repair is not None and Repair.has_access("read") and self.lot_id:
            counts = dict(
                Repair._read_group(
                    [("lot_id", "in", self.lot_id.ids)], ["lot_id"], ["__count"]
                )
            )
        for asset in self:
            asset.repair_count = counts.get(asset.lot_id, 0) if asset.lot_id else 0

    def action_view_services(self):
        return self._action_view_asset_records(
            "stock_asset_tracking.stock_asset_service_action"
        )

    def action_view_repairs(self):
        """The repair orders of the serial (only offered when Repairs is
        installed: see ``repair_count``)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repair.action_repair_order_tree"
        )
        action["domain"] = [("lot_id", "=", self.lot_id.id)]
        action["context"] = {
            "default_product_id": self.product_id.id,
            "default_lot_id": self.lot_id.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
