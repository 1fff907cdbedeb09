# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..common import records_action


class AccountMove(models.Model):
    _inherit = "account.move"

    asset_id = fields.Many2one(
        "stock.asset",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The asset of a register entry (depreciation, change or disposal).",
        groups="base.group_user",
    )
    asset_depreciation_line_ids = fields.One2many(
        "stock.asset.depreciation.line",
        "move_id",
        string="Depreciation Lines",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    registered_asset_count = fields.Integer(
        compute="_compute_registered_asset_count",
        help="Fixed assets registered from this vendor bill.",
        groups="base.group_user",
    )

    def _compute_registered_asset_count(self):
        counts = dict(
            self.env["stock.asset"]
            .sudo()
            ._read_group(
                [("invoice_line_id.move_id", "in", self.ids)],
                ["invoice_line_id"],
                ["__count"],
            )
            if self.ids
            else []
        )
        per_move = {}
        for line, count in counts.items():
            per_move[line.move_id.id] = per_move.get(line.move_id.id, 0) + count
        for move in self:
            move.registered_asset_count = per_move.get(move.id, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_release_depreciation_lines(self):
        # A deleted depreciation entry gives its lines back to the board.
        self.asset_depreciation_line_ids.sudo().write(
            {"state": "draft", "move_id": False}
        )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        lines = posted.asset_depreciation_line_ids.sudo().filtered(
            lambda line: line.state == "draft"
        )
        if lines:
            lines.write({"state": "posted", "post_skip_reason": False})
        bill_lines = posted.filtered(
            lambda move: move.move_type == "in_invoice"
        ).invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and line.product_id
        )
        if bill_lines:
            self.env["stock.asset"]._register_from_bill_lines(bill_lines)
        return posted

    def button_draft(self):
        self._check_register_entries_undo()
        res = super().button_draft()
        self.asset_depreciation_line_ids.sudo().write({"state": "draft"})
        return res

    def button_cancel(self):
        self._check_register_entries_undo()
        res = super().button_cancel()
        self.asset_depreciation_line_ids.sudo().write(
            {"state": "draft", "move_id": False}
        )
        return res

    def _check_register_entries_undo(self):
        """Disposal and revaluation entries are final; depreciation entries may be
        reset (their lines then go back to draft)."""
        final = self.filtered(
            lambda move: move.asset_id
            and not move.asset_depreciation_line_ids
            and move.state == "posted"
        )
        if final:
            raise UserError(
                self.env._(
                    "Entry %(entry)s records a disposal or a change of value of "
                    "asset %(asset)s in the fixed-asset register: it cannot be "
                    "reset; record an opposite change instead.",
                    entry=final[0].name,
                    asset=final[0].asset_id.code,
                )
            )

    def action_view_registered_assets(self):
        return records_action(
            self,
            "stock_asset_tracking.stock_asset_action",
            "invoice_line_id.move_id",
            {"create": False},
        )
