# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

SOURCES = [
    ("manual", "Set by hand"),
    ("checkout", "Check-out"),
    ("checkin", "Check-in"),
    ("audit", "Audit"),
    ("scan", "Handheld scan"),
]


class StockAssetConditionLog(models.Model):
    """The condition history of an asset: one entry each time its condition is
    recorded (by hand, at check-out or check-in, in an audit, by a scan)."""

    _name = "stock.asset.condition.log"
    _inherit = ["stock.asset.record.mixin"]
    _description = "Asset Condition Record"
    _order = "date desc, id desc"
    _rec_name = "condition_id"
    _check_company_auto = True

    # the history goes with its asset
    asset_id = fields.Many2one(ondelete="cascade")
    condition_id = fields.Many2one(
        "stock.asset.condition", required=True, index=True, ondelete="restrict"
    )
    out_of_service = fields.Boolean(related="condition_id.out_of_service")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user
    )
    source = fields.Selection(SOURCES, required=True, default="manual")
    note = fields.Text()
    photo = fields.Image(max_width=1920, max_height=1920)
    location_id = fields.Many2one(
        "stock.location", help="Where the asset was when its condition was recorded."
    )
    holder_id = fields.Many2one(
        "res.partner", help="Who held the asset when its condition was recorded."
    )
    service_id = fields.Many2one(
        "stock.asset.service",
        string="Repair Proposed",
        readonly=True,
        help="The repair this broken condition proposed.",
    )
    repair_ref = fields.Char(
        string="Repair Order",
        readonly=True,
        help="The Odoo repair order this broken condition proposed (Repairs app).",
    )
