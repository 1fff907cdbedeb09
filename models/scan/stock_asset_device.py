# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from typing import NamedTuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ...tools import presence


class DeviceProfile(NamedTuple):
    """The settings of a device that its batches read (ids, not records)."""

    device_type: str
    company_id: int
    location_id: int | None
    settings: presence.Settings


class StockAssetDevice(models.Model):
    """A handheld or fixed RFID reader that posts batches to the scan endpoint."""

    _name = "stock.asset.device"
    _inherit = ["stock.asset.device.cache.mixin", "mail.thread"]
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
    presence_dwell = fields.Float(
        string="Dwell Time (s)",
        default=presence.DEFAULT_DWELL,
        help="Fixed readers: how long another zone must read a tag, on evidence, "
        "before the tag moves there.",
    )
    presence_margin_db = fields.Float(
        string="Signal Margin (dB)",
        default=presence.DEFAULT_MARGIN_DB,
        help="Fixed readers: how much stronger another zone must read a tag that "
        "its own zone still reads, to claim it.",
    )
    presence_not_seen_minutes = fields.Integer(
        string="Not Seen After (min)",
        default=int(presence.DEFAULT_NOT_SEEN_AFTER // 60),
        help="Fixed readers: a tag that no zone has read for this long is reported "
        "not seen (Scanning > Not Seen, and an activity), never moved.",
    )
    presence_refresh_seconds = fields.Integer(
        string="Last Seen Refresh (s)",
        default=int(presence.DEFAULT_REFRESH_INTERVAL),
        help="Fixed readers: an asset's last seen time is stored at most this often "
        "while it stays in its zone.",
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

    @api.constrains(
        "presence_dwell",
        "presence_margin_db",
        "presence_not_seen_minutes",
        "presence_refresh_seconds",
    )
    def _check_presence_settings(self):
        for device in self:
            if (
                device.presence_dwell < 0
                or device.presence_margin_db < 0
                or device.presence_not_seen_minutes < 1
                or device.presence_refresh_seconds < 1
            ):
                raise ValidationError(
                    self.env._(
                        "The presence settings of device %(device)s must be positive "
                        "(dwell and margin may be 0).",
                        device=device.name,
                    )
                )

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
        """The active device named ``name`` among ``user``'s companies, or empty.

        Every batch names its device: the answer is cached per worker (readers
        post many times a second), and forgotten when a device, a record rule or
        a user's groups change (each clears the registry's caches)."""
        if not name:
            return self.browse()
        device_id = self._device_id_for_batch(
            name, user.id, tuple(user._get_company_ids())
        )
        return self.browse(device_id)

    @tools.ormcache("name", "uid", "company_ids")
    def _device_id_for_batch(self, name, uid, company_ids):
        device = self.with_user(uid).search(
            [("name", "=", name), ("company_id", "in", list(company_ids))],
            order="company_id",
            limit=1,
        )
        if device and device.user_id and device.user_id.id != uid:
            return ()
        return tuple(device.ids)

    def _location_for_antenna(self, antenna):
        """The location of reads from ``antenna`` (its own, else the device's)."""
        self.ensure_one()
        location_id = None
        if antenna is not None:
            location_id = self._antenna_location_ids(self.id).get(antenna)
        return self.env["stock.location"].browse(
            location_id or self._batch_profile().location_id
        )

    @tools.ormcache("device_id")
    def _antenna_location_ids(self, device_id):
        """``{antenna: location id}`` of a device, cached per worker: every read
        of a batch asks (forgotten when an antenna changes)."""
        return {
            line.antenna: line.location_id.id
            for line in self.sudo().browse(device_id).antenna_ids
            if line.location_id
        }

    def _batch_profile(self):
        """What a batch asks of its device (:class:`DeviceProfile`), cached per
        worker like the antennas: a fixed reader posts many times a second, and
        reading the device's row again for each batch cost a query and an ORM
        fetch of every column (forgotten when a device changes)."""
        self.ensure_one()
        return self._batch_profile_of(self.id)

    @tools.ormcache("device_id")
    def _batch_profile_of(self, device_id):
        device = self.sudo().browse(device_id)
        return DeviceProfile(
            device_type=device.device_type,
            company_id=device.company_id.id,
            location_id=device.location_id.id or None,
            settings=presence.Settings(
                dwell=device.presence_dwell,
                margin_db=device.presence_margin_db,
                not_seen_after=device.presence_not_seen_minutes * 60.0,
                refresh_interval=float(device.presence_refresh_seconds),
            ),
        )

    @tools.ormcache("company_id")
    def _presence_zone_ids(self, company_id):
        """The locations the active fixed readers of ``company_id`` watch."""
        devices = self.sudo().search(
            [("company_id", "=", company_id), ("device_type", "=", "fixed_rfid")]
        )
        return frozenset(devices.location_id.ids) | frozenset(
            devices.antenna_ids.location_id.ids
        )
