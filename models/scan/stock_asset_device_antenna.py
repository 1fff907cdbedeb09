# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetDeviceAntenna(models.Model):
    """Where the reads of one antenna of a fixed reader are (a dock door, a shelf)."""

    _name = "stock.asset.device.antenna"
    _inherit = ["stock.asset.device.cache.mixin"]
    _description = "Scanning Device Antenna"
    _order = "device_id, antenna"
    _check_company_auto = True

    device_id = fields.Many2one(
        "stock.asset.device", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="device_id.company_id", store=True, index=True)
    antenna = fields.Integer(
        required=True, help="Antenna port number, as the reader sends it."
    )
    name = fields.Char(string="Label", help="e.g. Dock door 3, inside")
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        check_company=True,
        domain="[('usage', 'in', ('internal', 'transit'))]",
    )

    _sql_constraints = [
        (
            "antenna_uniq",
            "unique(device_id, antenna)",
            "Each antenna of a device has one location.",
        ),
        ("antenna_positive", "CHECK(antenna >= 0)", "Antenna numbers start at 0."),
    ]
