# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ...models.common import UNAVAILABLE_STATES


class StockAssetCheckout(models.TransientModel):
    """Check one or many assets out to a holder (asset form, list selection, or a
    reservation's check-out button)."""

    _name = "stock.asset.checkout"
    _inherit = ["stock.asset.handover.mixin"]
    _description = "Check Out Assets"
    _check_company_auto = True

    asset_ids = fields.Many2many(
        domain=[("custody_id", "=", False), ("state", "not in", UNAVAILABLE_STATES)]
    )
    reservation_id = fields.Many2one(
        "stock.asset.reservation",
        check_company=True,
        domain=[("state", "=", "confirmed")],
        help="The reservation this check-out fulfils.",
    )
    reservation_category_id = fields.Many2one(related="reservation_id.category_id")
    holder_id = fields.Many2one(
        "res.partner",
        check_company=True,
        help="Who takes the assets: a contact, or an employee's work contact.",
    )
    date_due = fields.Datetime(string="Due Back")
    location_to_id = fields.Many2one(
        "stock.location",
        string="To Location",
        check_company=True,
        help="Where the holder takes the assets, if they leave the premises "
        "(a site, a van): their location follows.",
    )
    note = fields.Text(
        string="Condition", help="Condition and accessories handed over."
    )
    signature = fields.Image(
        max_width=1024,
        max_height=1024,
        help="The holder signs on the spot to acknowledge receipt.",
    )
    signed_by = fields.Char()
    refusal_text = fields.Text(compute="_compute_refusal_text")

    @api.depends("asset_ids", "reservation_id")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = (
                wizard.asset_ids.company_id[:1]
                or wizard.reservation_id.company_id
                or wizard.company_id
                or self.env.company
            )

    @api.depends("asset_ids", "holder_id", "date_due")
    def _compute_refusal_text(self):
        for wizard in self:
            if not wizard.asset_ids or not wizard.holder_id:
                wizard.refusal_text = False
                continue
            refusals = wizard.asset_ids._check_checkout_allowed(
                wizard.holder_id,
                date_from=fields.Datetime.now(),
                date_due=wizard.date_due or None,
            )
            wizard.refusal_text = "\n".join(
                message for messages in refusals.values() for message in messages
            )

    @api.onchange("holder_id")
    def _onchange_holder_id(self):
        if self.holder_id and not self.signed_by:
            self.signed_by = self.holder_id.name

    def action_confirm(self):
        self.ensure_one()
        self.asset_ids._checkout(
            self.holder_id,
            date_due=self.date_due or None,
            note=self.note,
            location_to=self.location_to_id,
            signature=self.signature,
            signed_by=self.signed_by,
            reservation=self.reservation_id,
        )
        return {"type": "ir.actions.act_window_close"}
