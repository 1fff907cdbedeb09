# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError

FOUND = ("found", "found_elsewhere")


class StockAssetAuditLine(models.Model):
    """Audits flag a kit found without all its components."""

    _inherit = "stock.asset.audit.line"

    kit_missing_member_ids = fields.Many2many(
        "stock.asset",
        string="Kit Components Not Found",
        compute="_compute_kit_incomplete",
        help="Components of this kit that the audit has not found (yet).",
    )
    kit_incomplete = fields.Boolean(
        compute="_compute_kit_incomplete",
        search="_search_kit_incomplete",
        help="The audit found this kit, but not all of its components.",
    )
    kit_note = fields.Char(
        string="Kit",
        compute="_compute_kit_incomplete",
        help='e.g. "kit incomplete: [CH-12] Charger missing"',
    )

    def _compute_kit_incomplete(self):
        # the lines are written in SQL by the audit: read, not depended on
        missing = self._kit_missing_members()
        for line in self:
            members = missing.get(line.id) or self.env["stock.asset"]
            line.kit_missing_member_ids = members
            line.kit_incomplete = bool(members)
            line.kit_note = (
                self.env._(
                    "kit incomplete: %(members)s missing",
                    members=", ".join(members.mapped("display_name")),
                )
                if members
                else False
            )

    def _kit_missing_members(self):
        """``{line_id: components not found}`` for the lines of kits found."""
        kits = self.filtered(
            lambda line: line.id
            and line.asset_id.sudo().is_kit
            and line.status in FOUND
        )
        if not kits:
            return {}
        members = kits.asset_id._kit_members().sudo()
        found = defaultdict(set)
        for audit, asset in (
            self.sudo()
            .search(
                [
                    ("audit_id", "in", kits.audit_id.ids),
                    ("asset_id", "in", members.ids),
                    ("status", "in", FOUND),
                ]
            )
            .mapped(lambda line: (line.audit_id.id, line.asset_id.id))
        ):
            found[audit].add(asset)
        result = {}
        for line in kits:
            mine = line.asset_id._kit_members().sudo()
            result[line.id] = (
                self.env["stock.asset"]
                .browse([m.id for m in mine if m.id not in found[line.audit_id.id]])
                .sorted("code")
            )
        return result

    def _search_kit_incomplete(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on Kit Incomplete."))
        candidates = self.search(
            [("asset_id.is_kit", "=", True), ("status", "in", FOUND)]
        )
        ids = [line.id for line in candidates if line.kit_incomplete]
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]
