# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockAssetKitSwap(models.TransientModel):
    """Replace a component of a kit by another asset (a broken charger by a new
    one), with a trace in the chatter of the kit and of both assets, and in the
    kit's history."""

    _name = "stock.asset.kit.swap"
    _description = "Swap a Kit Component"
    _check_company_auto = True

    kit_id = fields.Many2one("stock.asset", required=True, check_company=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        compute="_compute_company_id",
        store=True,
        precompute=True,
    )
    old_member_id = fields.Many2one(
        "stock.asset",
        string="Replace",
        required=True,
        check_company=True,
        domain="[('parent_id', '=', kit_id)]",
    )
    new_member_id = fields.Many2one(
        "stock.asset",
        string="By",
        required=True,
        check_company=True,
        domain="[('parent_id', '=', False), ('id', '!=', kit_id), "
        "('state', '!=', 'disposed'), ('custody_id', '=', False)]",
    )
    note = fields.Char(string="Reason", help="Why the component is replaced.")

    @api.depends("kit_id")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.kit_id.company_id or self.env.company

    def action_confirm(self):
        self.ensure_one()
        self._check_swap()
        kit, old, new = self.kit_id, self.old_member_id, self.new_member_id
        # the history says "swapped", not "removed" then "added"
        old.with_context(kit_swapping=True).write({"parent_id": False})
        new.with_context(kit_swapping=True).write({"parent_id": kit.id})
        if kit.location_id and new.location_id != kit.location_id:
            new.with_context(kit_following=True).write(
                {"location_id": kit.location_id.id}
            )
        old._kit_log("swapped_out", kit=kit, other=new, note=self.note)
        new._kit_log("swapped_in", kit=kit, other=old, note=self.note)
        body = self.env._(
            "Kit %(kit)s: component %(old)s replaced by %(new)s%(reason)s.",
            kit=kit.display_name,
            old=old.display_name,
            new=new.display_name,
            reason=self.env._(" (%(note)s)", note=self.note) if self.note else "",
        )
        for asset in kit | old | new:
            asset.message_post(body=body, subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}

    def _check_swap(self):
        kit, old, new = self.kit_id, self.old_member_id, self.new_member_id
        problem = None
        if old.parent_id != kit:
            problem = self.env._(
                "%(old)s is not a component of kit %(kit)s.",
                old=old.code,
                kit=kit.code,
            )
        elif new.parent_id:
            problem = self.env._(
                "%(new)s is already a component of kit %(other)s: take it out of "
                "%(other)s first.",
                new=new.code,
                other=new.parent_id.code,
            )
        elif new.state == "disposed":
            problem = self.env._(
                "%(new)s is disposed of and cannot join kit %(kit)s.",
                new=new.code,
                kit=kit.code,
            )
        elif kit.custody_id or new.custody_id:
            out = kit if kit.custody_id else new
            problem = self.env._(
                "%(asset)s is out with %(holder)s: check it in before swapping "
                "components of kit %(kit)s.",
                asset=out.code,
                holder=out.custody_id.holder_id.name,
                kit=kit.code,
            )
        if problem:
            raise UserError(
                self.env._(
                    "Cannot replace %(old)s by %(new)s in kit %(kit)s: %(problem)s",
                    old=old.code,
                    new=new.code,
                    kit=kit.code,
                    problem=problem,
                )
            )
