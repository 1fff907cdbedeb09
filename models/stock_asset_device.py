# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetDevice(models.Model):
    """A handheld or fixed RFID reader that posts batches to the scan endpoint."""

    _name = "stock.asset.device"
    _inherit = ["mail.thread"]
    _description = "Scanning Device"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        tracking=True,
        help="The device's name in the API routes and in the 'device' of a batch.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    device_type = fields.Selection(
        [
            ("handheld", "Handheld scanner"),
            ("fixed_rfid", "Fixed RFID reader"),
            ("mobile_rfid", "Handheld RFID reader"),
            ("middleware", "Middleware / EPCIS"),
        ],
        required=True,
        default="fixed_rfid",
    )
    user_id = fields.Many2one(
        "res.users",
        string="API User",
        check_company=True,
        domain="[('share', '=', False)]",
        help="The user whose API key the device uses. Leave empty to accept any "
        "asset user's key for this device.",
    )
    location_id = fields.Many2one(
        "stock.location",
        string="Default Location",
        check_company=True,
        tracking=True,
        domain="[('usage', 'in', ('internal', 'transit'))]",
        help="Where its reads are, when a batch names no location.",
    )
    antenna_ids = fields.One2many(
        "stock.asset.device.antenna", "device_id", string="Antennas", copy=True
    )
    note = fields.Text()
    batch_ids = fields.One2many("stock.asset.scan.batch", "device_id", string="Batches")
    batch_count = fields.Integer(compute="_compute_batch_stats")
    last_batch_date = fields.Datetime(compute="_compute_batch_stats")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A device name must be unique per company.",
        ),
    ]

    def _compute_batch_stats(self):
        stats = {
            device: (count, last)
            for device, count, last in self.env["stock.asset.scan.batch"]._read_group(
                [("device_id", "in", self.ids)],
                ["device_id"],
                ["__count", "create_date:max"],
            )
        }
        for device in self:
            device.batch_count, device.last_batch_date = stats.get(device, (0, False))

    def action_view_batches(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_scan_batch_action"
        )
        action["domain"] = [("device_id", "=", self.id)]
        return action

    @api.model
    def _find_for_batch(self, name, user):
        """The active device named ``name`` among ``user``'s companies, or empty."""
        if not name:
            return self.browse()
        device = self.with_user(user).search(
            [("name", "=", name), ("company_id", "in", user.company_ids.ids)],
            order="company_id",
            limit=1,
        )
        if device and device.user_id and device.user_id != user:
            return self.browse()
        return device.with_env(self.env)

    def _location_for_antenna(self, antenna):
        """The location of reads from ``antenna`` (its own, else the device's)."""
        self.ensure_one()
        if antenna is not None:
            for line in self.antenna_ids:
                if line.antenna == antenna and line.location_id:
                    return line.location_id
        return self.location_id
