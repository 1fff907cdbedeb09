# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class StockAssetAuditLine(models.Model):
    """Audits report the assets found away from their home location."""

    _inherit = "stock.asset.audit.line"

    home_location_id = fields.Many2one(
        related="asset_id.home_location_id", string="Home Location"
    )
    found_away_from_home = fields.Boolean(
        compute="_compute_found_away_from_home",
        search="_search_found_away_from_home",
        help="The audit found the asset outside its home location.",
    )

    @api.depends("status", "found_location_id", "asset_id.home_location_id")
    def _compute_found_away_from_home(self):
        for line in self:
            home = line.asset_id.home_location_id
            found = line.found_location_id
            line.found_away_from_home = bool(
                home
                and found
                and line.status in ("found", "found_elsewhere")
                and not (found.parent_path or "").startswith(home.parent_path or "-")
            )

    def _search_found_away_from_home(self, operator, value):
        # the lines are written in SQL by the audit: searched in SQL too
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on Found Away From Home."))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id
                  FROM stock_asset_audit_line l
                  JOIN stock_asset a ON a.id = l.asset_id
                  JOIN stock_location h ON h.id = a.home_location_id
                  JOIN stock_location f ON f.id = l.found_location_id
                 WHERE l.status IN ('found', 'found_elsewhere')
                   AND NOT starts_with(f.parent_path, h.parent_path)
                """
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]
