# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

KIT_EVENTS = [
    ("added", "Added"),
    ("removed", "Removed"),
    ("swapped_in", "Swapped In"),
    ("swapped_out", "Swapped Out"),
    ("missing", "Not Returned"),
    ("returned", "Returned"),
]


# the kit and the member of a line: both required, the line goes with either
_LOGGED_ASSET = {
    "required": True,
    "readonly": True,
    "index": True,
    "ondelete": "cascade",
    "check_company": True,
}


class StockAssetKitLog(models.Model):
    """The history of a kit's composition: members added, removed, swapped, not
    returned with the kit. Written by the kit's own code, never by hand."""

    _name = "stock.asset.kit.log"
    _description = "Kit History"
    _order = "date desc, id desc"
    _check_company_auto = True

    kit_id = fields.Many2one("stock.asset", **_LOGGED_ASSET)
    member_id = fields.Many2one("stock.asset", **_LOGGED_ASSET)
    other_member_id = fields.Many2one(
        "stock.asset",
        string="Swapped With",
        readonly=True,
        ondelete="set null",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="kit_id.company_id", store=True, index=True, precompute=True
    )
    event = fields.Selection(KIT_EVENTS, required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    note = fields.Char(readonly=True)
