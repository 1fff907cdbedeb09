# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import Command, api, fields, models


class StockAssetPost(models.TransientModel):
    """Post the depreciation of the register up to a date, on demand."""

    _name = "stock.asset.post"
    _description = "Post Asset Depreciation"
    _inherit = "stock.asset.register.assets.wizard"
    _check_company_auto = True

    date = fields.Date(
        help="Every draft depreciation line dated on or before this date is posted.",
    )
    category_ids = fields.Many2many(
        "stock.asset.category",
        string="Categories",
        check_company=True,
        help="Leave empty for every category.",
    )
    asset_ids = fields.Many2many(
        "stock.asset",
        string="Assets",
        check_company=True,
        domain="[('state', '!=', 'disposed'), ('ownership', '=', 'company')]",
        help="Leave empty for every asset of the company.",
    )
    line_count = fields.Integer(string="Lines to Post", compute="_compute_line_count")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")], default="draft", required=True
    )
    move_ids = fields.Many2many(
        "account.move", string="Posted Entries", readonly=True, check_company=True
    )
    skip_ids = fields.One2many(
        "stock.asset.post.skip", "wizard_id", string="Not Posted", readonly=True
    )

    @api.depends("company_id", "date", "category_ids", "asset_ids")
    def _compute_line_count(self):
        lines = self.env["stock.asset.depreciation.line"]
        for wizard in self:
            wizard.line_count = (
                lines.search_count(wizard._get_line_domain()) if wizard.date else 0
            )

    def action_post(self):
        """Post; when some assets were skipped, show them with their reasons
        (the others are posted) instead of the entries."""
        self.ensure_one()
        assets = self.asset_ids or self.env["stock.asset"].search(
            self._get_asset_domain()
        )
        moves, skips = assets._post_depreciation_until(self.date)
        if not skips:
            if not moves:
                return {"type": "ir.actions.act_window_close"}
            return assets._action_view_moves(moves, self.env._("Depreciation Entries"))
        self.write(
            {
                "state": "done",
                "move_ids": [Command.set(moves.ids)],
                "skip_ids": [
                    Command.create(vals) for vals in self._prepare_skip_vals(skips)
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Depreciation Not Posted"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_view_moves(self):
        self.ensure_one()
        return self.env["stock.asset"]._action_view_moves(
            self.move_ids, self.env._("Depreciation Entries")
        )

    def _prepare_skip_vals(self, skips):
        """One row per skipped asset and reason."""
        vals_list = []
        for lines, reason in skips:
            days = defaultdict(list)
            for line in lines:
                days[line.asset_id.id].append(line.date)
            vals_list += [
                {
                    "asset_id": asset_id,
                    "date_from": min(dates),
                    "date_to": max(dates),
                    "reason": reason,
                }
                for asset_id, dates in days.items()
            ]
        return vals_list

    def _get_asset_domain(self):
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "!=", "disposed"),
            ("ownership", "=", "company"),
        ]
        if self.category_ids:
            domain.append(("category_id", "in", self.category_ids.ids))
        return domain

    def _get_line_domain(self):
        domain = [
            ("state", "=", "draft"),
            ("date", "<=", self.date),
            ("company_id", "=", self.company_id.id),
        ]
        if self.asset_ids:
            domain.append(("asset_id", "in", self.asset_ids.ids))
        if self.category_ids:
            domain.append(("category_id", "in", self.category_ids.ids))
        return domain


class StockAssetPostSkip(models.TransientModel):
    """An asset the Post Depreciation wizard left draft, and why."""

    _name = "stock.asset.post.skip"
    _description = "Asset Depreciation Not Posted"
    _order = "id"

    wizard_id = fields.Many2one("stock.asset.post", required=True, ondelete="cascade")
    asset_id = fields.Many2one("stock.asset", required=True, ondelete="cascade")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    reason = fields.Char(required=True)
